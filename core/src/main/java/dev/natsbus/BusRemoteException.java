package dev.natsbus;

/**
 * The remote handler answered with an error reply (NATS micro headers
 * {@code Nats-Service-Error} and {@code Nats-Service-Error-Code}).
 */
public class BusRemoteException extends BusException {

	private final String subject;

	private final int errorCode;

	private final String remoteMessage;

	public BusRemoteException(String subject, int errorCode, String remoteMessage) {
		super("Remote error " + errorCode + " from '" + subject + "': " + remoteMessage);
		this.subject = subject;
		this.errorCode = errorCode;
		this.remoteMessage = remoteMessage;
	}

	public String getSubject() {
		return this.subject;
	}

	/**
	 * The service error code, e.g. 400 for a request the handler could not read, 500 for
	 * a failure.
	 */
	public int getErrorCode() {
		return this.errorCode;
	}

	/** The error text the remote side sent, without the local context. */
	public String getRemoteMessage() {
		return this.remoteMessage;
	}

}
