package dev.natsbus.listener.adapter;

import dev.natsbus.BusConversionException;

/**
 * A listener's argument could not be resolved from the incoming message (a payload that
 * is not valid for the parameter type, a missing header...): a conversion failure of the
 * request, answered with code 400.
 */
public class UnreadableRequestException extends BusConversionException {

	public UnreadableRequestException(String description, Throwable cause) {
		super(description, cause);
	}

}
