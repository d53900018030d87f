package dev.natsbus.observation;

import io.micrometer.observation.transport.Kind;
import io.nats.client.impl.Headers;

/** The context of a {@code send} observation ({@code natsbus.send}), a producer span. */
public class BusSendContext extends BusSenderContext {

	/**
	 * @param carrier the NATS headers of the message, which the trace context is written
	 * into
	 */
	public BusSendContext(String subject, Headers carrier) {
		super(subject, Kind.PRODUCER, carrier);
	}

}
