package dev.natsbus.template;

import dev.natsbus.BusException;
import org.jspecify.annotations.Nullable;

/**
 * One reply of a request-many as it arrived, read only when {@link #read()} is called, so
 * that the client interceptors and the conversion run on the receiver's thread rather
 * than on the inbox's dispatcher thread.
 */
@FunctionalInterface
interface ArrivedReply<T> {

	/**
	 * The reply converted, or {@code null} for an empty one.
	 * @throws BusException why it is not a value: an error reply, a conversion failure
	 */
	@Nullable T read();

}
