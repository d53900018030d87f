package dev.natsbus;

import org.springframework.messaging.MessagingException;

/**
 * Base of every exception that nats-bus throws for a failed send or request. Unchecked,
 * and a spring-messaging {@link MessagingException}, so that code written against
 * spring-messaging abstractions handles it like any other messaging failure.
 */
public class BusException extends MessagingException {

	public BusException(String message) {
		super(message);
	}

	public BusException(String message, Throwable cause) {
		super(message, cause);
	}

}
