package dev.natsbus.observation;

import io.micrometer.observation.transport.Kind;

/** The context of a {@code send} observation ({@code natsbus.send}), a producer span. */
public class BusSendContext extends BusSenderContext {

	public BusSendContext(String subject) {
		super(subject, Kind.PRODUCER);
	}

}
