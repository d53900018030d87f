package dev.natsbus.observation;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import dev.natsbus.BusConnectionException;
import dev.natsbus.BusConversionException;
import dev.natsbus.BusNoRespondersException;
import dev.natsbus.BusRemoteException;
import dev.natsbus.BusTimeoutException;

/**
 * How a bus operation ended, as the {@code natsbus.outcome} tag of its observation.
 */
public enum BusOutcome {

	/**
	 * The message was sent, the reply arrived and was read, or the listener replied
	 * normally.
	 */
	SUCCESS("success"),

	/** No reply arrived within the request's timeout. */
	TIMEOUT("timeout"),

	/** Nobody listens on the subject (NATS status 503). */
	NO_RESPONDERS("no_responders"),

	/** The remote listener answered with an error reply; the error code says which. */
	REMOTE_ERROR("remote_error"),

	/**
	 * A payload or reply could not be converted (for a listener: the request could not be
	 * read).
	 */
	CONVERSION_ERROR("conversion_error"),

	/** The connection to NATS is down or the bus is shutting down. */
	CONNECTION_DOWN("connection_down"),

	/**
	 * Anything else: a listener that failed, an invalid subject, a payload over the size
	 * limit...
	 */
	ERROR("error");

	private final String value;

	BusOutcome(String value) {
		this.value = value;
	}

	/** The tag value, e.g. {@code no_responders}. */
	public String value() {
		return this.value;
	}

	/** The outcome of an operation that failed with {@code failure}. */
	public static BusOutcome of(Throwable failure) {
		Throwable cause = unwrap(failure);
		if (cause instanceof BusTimeoutException) {
			return TIMEOUT;
		}
		if (cause instanceof BusNoRespondersException) {
			return NO_RESPONDERS;
		}
		if (cause instanceof BusRemoteException) {
			return REMOTE_ERROR;
		}
		if (cause instanceof BusConversionException) {
			return CONVERSION_ERROR;
		}
		if (cause instanceof BusConnectionException) {
			return CONNECTION_DOWN;
		}
		return ERROR;
	}

	static Throwable unwrap(Throwable failure) {
		Throwable cause = failure;
		while ((cause instanceof CompletionException || cause instanceof ExecutionException)
				&& cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

}
