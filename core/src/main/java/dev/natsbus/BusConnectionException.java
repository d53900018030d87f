package dev.natsbus;

/**
 * The bus cannot reach NATS: the connection is down, not yet established, or the bus is
 * shutting down. Safe to retry for idempotent requests.
 */
public class BusConnectionException extends BusException {

	public BusConnectionException(String message) {
		super(message);
	}

	public BusConnectionException(String message, Throwable cause) {
		super(message, cause);
	}

}
