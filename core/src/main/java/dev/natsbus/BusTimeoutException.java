package dev.natsbus;

import java.time.Duration;

/** No reply arrived within the request's timeout. */
public class BusTimeoutException extends BusException {

	private final String subject;

	private final Duration timeout;

	public BusTimeoutException(String subject, Duration timeout) {
		super("No reply on '" + subject + "' within " + timeout.toMillis() + " ms");
		this.subject = subject;
		this.timeout = timeout;
	}

	public String getSubject() {
		return this.subject;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

}
