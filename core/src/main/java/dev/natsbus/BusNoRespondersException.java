package dev.natsbus;

/**
 * Nobody listens on the subject. The server says so at once (status 503), so this is
 * thrown without waiting for the timeout.
 */
public class BusNoRespondersException extends BusException {

	private final String subject;

	public BusNoRespondersException(String subject) {
		super("No responders on '" + subject + "': no listener is subscribed to it");
		this.subject = subject;
	}

	public String getSubject() {
		return this.subject;
	}

}
