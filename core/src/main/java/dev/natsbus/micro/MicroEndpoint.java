package dev.natsbus.micro;

import dev.natsbus.listener.BusListenerContainer;
import dev.natsbus.listener.adapter.EndpointStats;
import org.jspecify.annotations.Nullable;

/**
 * One listener as an endpoint of a NATS micro service.
 *
 * @param name the endpoint name, unique in its service
 * @param container the listener that serves it
 */
public record MicroEndpoint(String name, BusListenerContainer container) {

	/** The subject the listener subscribes to, possibly with wildcards. */
	public String subject() {
		return this.container.getSubject();
	}

	/**
	 * The queue group the listener subscribes in, or {@code null} for a broadcast
	 * listener.
	 */
	public @Nullable String queueGroup() {
		return this.container.getQueue();
	}

	/** The live counters of the listener. */
	public EndpointStats stats() {
		return this.container.getStats();
	}

}
