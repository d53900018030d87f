package dev.natsbus.observation;

import java.time.Duration;

import io.micrometer.observation.transport.Kind;
import io.nats.client.impl.Headers;

/** The context of a request observation ({@code natsbus.request}), a client span. */
public class BusRequestContext extends BusSenderContext {

	private final Duration timeout;

	/**
	 * @param carrier the NATS headers of the request, which the trace context is written
	 * into
	 */
	public BusRequestContext(String subject, Duration timeout, Headers carrier) {
		super(subject, Kind.CLIENT, carrier);
		this.timeout = timeout;
	}

	/** How long the request waits for its reply. */
	public Duration getTimeout() {
		return this.timeout;
	}

}
