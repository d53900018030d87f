package dev.natsbus.listener.adapter;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessagingException;

/**
 * A listener's argument could not be resolved from the incoming message (a payload that
 * is not valid for the parameter type, a missing header...). Answered with code 400.
 */
public class UnreadableRequestException extends MessagingException {

	public UnreadableRequestException(Message<?> message, String description, Throwable cause) {
		super(message, description, cause);
	}

}
