package dev.natsbus.autoconfigure.observation;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Observation of nats-bus: sends, requests and listener invocations as Micrometer
 * observations (timers, and spans when a tracer is present).
 */
@ConfigurationProperties("natsbus.observation")
public class NatsBusObservationProperties {

	/**
	 * Whether sends, requests and listener invocations are observed through the
	 * application's ObservationRegistry (when there is one).
	 */
	private boolean enabled = true;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

}
