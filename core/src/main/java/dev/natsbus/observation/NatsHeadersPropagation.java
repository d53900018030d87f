package dev.natsbus.observation;

import java.util.Collections;
import java.util.List;

import io.micrometer.observation.transport.Propagator;
import io.nats.client.impl.Headers;

/**
 * Reads and writes trace context (W3C {@code traceparent}, {@code tracestate},
 * baggage...) in jnats {@link Headers}.
 */
public final class NatsHeadersPropagation {

	/** Writes a propagation field, replacing an earlier value of the same field. */
	public static final Propagator.Setter<Headers> SETTER = (carrier, key, value) -> {
		if (carrier != null && key != null && value != null) {
			carrier.put(key, value);
		}
	};

	/**
	 * Reads a propagation field; {@code null} when absent or when the message has no
	 * headers.
	 */
	public static final Propagator.Getter<Headers> GETTER = new Propagator.Getter<>() {

		@Override
		public String get(Headers carrier, String key) {
			return (carrier != null) ? carrier.getFirst(key) : null;
		}

		@Override
		public Iterable<String> getAll(Headers carrier, String key) {
			List<String> values = (carrier != null) ? carrier.get(key) : null;
			return (values != null) ? values : Collections.emptyList();
		}

	};

	private NatsHeadersPropagation() {
	}

}
