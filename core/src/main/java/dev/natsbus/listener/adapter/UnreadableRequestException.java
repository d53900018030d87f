package dev.natsbus.listener.adapter;

import dev.natsbus.BusConversionException;

/**
 * A listener's argument could not be resolved from the incoming message (a payload that
 * is not valid for the parameter type, a missing header...) or is not valid (a
 * {@code @Valid} payload that breaks its constraints; the cause is then
 * spring-messaging's {@code MethodArgumentNotValidException} with its
 * {@code BindingResult}): answered with code 400. Its message is the text the caller
 * gets, in the caller's terms; its cause has the details for the log.
 */
public class UnreadableRequestException extends BusConversionException {

	public UnreadableRequestException(String description, Throwable cause) {
		super(description, cause);
	}

}
