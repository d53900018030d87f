package dev.natsbus.conversion;

import java.lang.reflect.Type;

import org.jspecify.annotations.Nullable;

/**
 * Converts payloads to and from the bytes of a NATS message. One instance serves both the
 * requesting and the listening side, so both follow the same wire format.
 */
public interface PayloadConverter {

	/**
	 * The bytes to send for a payload.
	 * @throws dev.natsbus.BusConversionException if the payload cannot be written
	 */
	byte[] toBytes(@Nullable Object payload);

	/**
	 * The payload read from the bytes of a message, as the given type (a {@code Class} or
	 * a generic type such as {@code List<Quote>}).
	 * @throws dev.natsbus.BusConversionException if the bytes cannot be read as that type
	 */
	@Nullable Object fromBytes(byte[] data, Type type);

}
