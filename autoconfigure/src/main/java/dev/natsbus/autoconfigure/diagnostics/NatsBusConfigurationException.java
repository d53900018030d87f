package dev.natsbus.autoconfigure.diagnostics;

/**
 * The nats-bus configuration cannot work, for example two authentication modes at once or
 * a malformed server URL. Start-up fails with it, and Boot's failure report shows its
 * message as the description and {@link #getAction()} as what to do. Messages name
 * properties, never their secret values.
 */
public class NatsBusConfigurationException extends IllegalStateException {

	private final String action;

	/**
	 * @param description what is wrong, naming the properties concerned
	 * @param action what to change
	 */
	public NatsBusConfigurationException(String description, String action) {
		super(description);
		this.action = action;
	}

	/**
	 * @param description what is wrong, naming the properties concerned
	 * @param action what to change
	 * @param cause the underlying failure
	 */
	public NatsBusConfigurationException(String description, String action, Throwable cause) {
		super(description, cause);
		this.action = action;
	}

	/** What to change so that start-up succeeds. */
	public String getAction() {
		return this.action;
	}

}
