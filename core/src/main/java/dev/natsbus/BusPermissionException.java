package dev.natsbus;

/**
 * The server refused to let this connection publish to the subject (its permissions deny
 * it). NATS does not acknowledge publishes, so a request learns this when it would
 * otherwise time out; a plain {@code send} cannot learn it at all.
 */
public class BusPermissionException extends BusException {

	private final String subject;

	public BusPermissionException(String subject, String serverError) {
		super("Permission denied to publish to '" + subject + "': " + serverError);
		this.subject = subject;
	}

	public String getSubject() {
		return this.subject;
	}

}
