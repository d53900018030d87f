package dev.natsbus.protocol;

import dev.natsbus.BusPayloadTooLargeException;
import io.nats.client.Connection;
import io.nats.client.impl.Headers;
import org.jspecify.annotations.Nullable;

/**
 * The one size rule of NATS messages, for requests and replies alike: the server's
 * {@code max_payload} counts the serialized headers plus the body, and a connection that
 * has not learned the limit yet (0) refuses nothing.
 */
public final class MessageSize {

	private MessageSize() {
	}

	/** The bytes that count against {@code max_payload}: serialized headers plus body. */
	public static long of(@Nullable Headers headers, byte[] body) {
		return body.length + ((headers != null) ? headers.serializedLength() : 0);
	}

	/**
	 * Checks a message before it is published on {@code connection}.
	 * @throws BusPayloadTooLargeException when it is over the server's
	 * {@code max_payload}; nothing has been sent then
	 */
	public static void check(Connection connection, String subject, @Nullable Headers headers, byte[] body) {
		long maxPayload = connection.getMaxPayload();
		if (maxPayload > 0) {
			long size = of(headers, body);
			if (size > maxPayload) {
				throw new BusPayloadTooLargeException(subject, size, maxPayload);
			}
		}
	}

}
