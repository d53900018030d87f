package dev.natsbus;

/**
 * Thrown by a {@link BusListener} method to answer with a chosen error code and message,
 * for example {@code throw new BusServiceException(404, "quote not found")}. The caller
 * receives it as a {@link BusRemoteException} with the same code and message; callers in
 * other languages see a NATS micro service error.
 */
public class BusServiceException extends RuntimeException {

	private final int code;

	public BusServiceException(int code, String message) {
		super(message);
		this.code = code;
	}

	public BusServiceException(int code, String message, Throwable cause) {
		super(message, cause);
		this.code = code;
	}

	public int getCode() {
		return this.code;
	}

}
