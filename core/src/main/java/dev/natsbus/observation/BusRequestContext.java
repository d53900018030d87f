package dev.natsbus.observation;

import java.time.Duration;

import io.micrometer.observation.transport.Kind;

/** The context of a request observation ({@code natsbus.request}), a client span. */
public class BusRequestContext extends BusSenderContext {

	private final Duration timeout;

	public BusRequestContext(String subject, Duration timeout) {
		super(subject, Kind.CLIENT);
		this.timeout = timeout;
	}

	/** How long the request waits for its reply. */
	public Duration getTimeout() {
		return this.timeout;
	}

}
