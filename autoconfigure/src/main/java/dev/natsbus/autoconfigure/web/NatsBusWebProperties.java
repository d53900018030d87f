package dev.natsbus.autoconfigure.web;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** nats-bus in web applications, under {@code natsbus.web}. */
@ConfigurationProperties("natsbus.web")
public class NatsBusWebProperties {

	private final ProblemDetails problemDetails = new ProblemDetails();

	public ProblemDetails getProblemDetails() {
		return this.problemDetails;
	}

	public static class ProblemDetails {

		/**
		 * Whether a bus failure that escapes a controller is answered with a problem
		 * detail and a status that says what failed (404 stays 404, a remote 5xx is 502,
		 * a timeout 504, no responder or no connection 503), rather than a bare 500.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

}
