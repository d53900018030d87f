package dev.natsbus.autoconfigure.actuate;

import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.listener.BusListenerRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code natsbus} Actuator endpoint: the listeners and connections of the bus, one
 * listener by id, and pausing or resuming a listener. Like every endpoint but health, it
 * is not exposed over the web unless {@code management.endpoints.web.exposure.include}
 * names it.
 */
@Endpoint(id = "natsbus")
public class NatsBusEndpoint {

	private final BusListenerRegistry registry;

	private final NatsBusDescriptors descriptors;

	public NatsBusEndpoint(BusListenerRegistry registry, NatsConnectionPool pool) {
		this.registry = registry;
		this.descriptors = new NatsBusDescriptors(registry, pool);
	}

	/** Every listener and connection. */
	@ReadOperation
	public NatsBusDescriptor bus() {
		return this.descriptors.bus();
	}

	/**
	 * The listener with {@code id}, or {@code null} (404 on the web) when none has it.
	 */
	@ReadOperation
	public @Nullable ListenerDescriptor listener(@Selector String id) {
		return this.descriptors.listener(id).orElse(null);
	}

	/**
	 * Applies {@code action} ({@code pause} or {@code resume}) to the listener with
	 * {@code id} and answers its state afterwards, or {@code null} when no listener has
	 * the id. A pause answers once the messages already delivered are handled (within the
	 * drain timeout); the other members of the queue group take this instance's share
	 * meanwhile. A listener that is neither running nor paused is left as it is.
	 * @throws InvalidEndpointRequestException when the action is unknown
	 */
	@WriteOperation
	public @Nullable ListenerDescriptor changeListener(@Selector String id, String action) {
		if (this.registry.getListenerContainer(id).isEmpty()) {
			return null;
		}
		ListenerAction.of(action).applyTo(this.registry, id);
		return listener(id);
	}

}
