package dev.natsbus;

/** An outgoing payload or an incoming reply could not be converted. */
public class BusConversionException extends BusException {

	public BusConversionException(String message, Throwable cause) {
		super(message, cause);
	}

}
