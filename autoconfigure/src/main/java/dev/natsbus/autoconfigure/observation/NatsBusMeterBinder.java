package dev.natsbus.autoconfigure.observation;

import java.util.Locale;
import java.util.Optional;

import dev.natsbus.template.BusTemplate;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.listener.BusListenerContainer;
import dev.natsbus.listener.BusListenerRegistry;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.nats.client.Connection;
import io.nats.client.Statistics;

/**
 * The state of the bus as meters, read when they are scraped:
 * <ul>
 * <li>{@code natsbus.requests.in.flight} (gauge): requests of the template awaiting their
 * reply</li>
 * <li>{@code natsbus.publish.denied} (counter): publishes the server refused for lack of
 * permission, sends included (they cannot learn it otherwise)</li>
 * <li>{@code natsbus.connections} (gauge, tag {@code status}): pooled connections per
 * status ({@code connected}, {@code connecting}, {@code reconnecting},
 * {@code disconnected}, {@code closed}); a slot still connecting in the background counts
 * as {@code connecting}</li>
 * <li>{@code natsbus.reconnects} (counter, tag {@code connection}): reconnects per pooled
 * connection</li>
 * <li>{@code natsbus.listener.workers.busy} (gauge, tag {@code natsbus.listener.id}):
 * handler invocations running now</li>
 * <li>{@code natsbus.listener.dropped} (counter, tag {@code natsbus.listener.id}):
 * messages dropped as a slow consumer</li>
 * <li>{@code natsbus.listener.expired} (counter, tag {@code natsbus.listener.id}):
 * requests skipped because their caller had already timed out</li>
 * </ul>
 * Listener meters cover the listeners registered when the binder is bound (Spring Boot
 * binds once all singletons exist).
 */
public class NatsBusMeterBinder implements MeterBinder {

	static final String LISTENER_TAG = "natsbus.listener.id";

	private final NatsConnectionPool pool;

	private final BusTemplate template;

	private final BusListenerRegistry listenerRegistry;

	/**
	 * @param pool the connection pool
	 * @param template the template, or {@code null} for none
	 * @param listenerRegistry the listener registry, or {@code null} for none
	 */
	public NatsBusMeterBinder(NatsConnectionPool pool, BusTemplate template, BusListenerRegistry listenerRegistry) {
		this.pool = pool;
		this.template = template;
		this.listenerRegistry = listenerRegistry;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		if (this.template != null) {
			Gauge.builder("natsbus.requests.in.flight", this.template, BusTemplate::getRequestsInFlight)
				.description("Requests awaiting their reply")
				.baseUnit("requests")
				.register(registry);
			FunctionCounter.builder("natsbus.publish.denied", this.template, BusTemplate::getPublishDenials)
				.description("Publishes (sends and requests) the server refused for lack of permission")
				.baseUnit("messages")
				.register(registry);
		}
		bindConnections(registry);
		if (this.listenerRegistry != null) {
			for (BusListenerContainer container : this.listenerRegistry.getListenerContainers()) {
				bindListener(registry, container);
			}
		}
	}

	private void bindConnections(MeterRegistry registry) {
		for (Connection.Status status : Connection.Status.values()) {
			Gauge.builder("natsbus.connections", this.pool, pool -> countConnections(pool, status))
				.description("Pooled NATS connections by status")
				.tag("status", status.name().toLowerCase(Locale.ROOT))
				.baseUnit("connections")
				.register(registry);
		}
		for (int i = 0; i < this.pool.size(); i++) {
			int slot = i;
			FunctionCounter.builder("natsbus.reconnects", this.pool, pool -> reconnects(pool, slot))
				.description("Reconnects of a pooled NATS connection")
				.tag("connection", connectionName(slot))
				.register(registry);
		}
	}

	private void bindListener(MeterRegistry registry, BusListenerContainer container) {
		String id = container.getId();
		Gauge.builder("natsbus.listener.workers.busy", container, BusListenerContainer::getBusyWorkers)
			.description("Handler invocations of a listener running now")
			.tag(LISTENER_TAG, id)
			.baseUnit("workers")
			.register(registry);
		FunctionCounter.builder("natsbus.listener.dropped", container, BusListenerContainer::getDroppedCount)
			.description("Messages a listener dropped as a slow consumer (pending limits reached)")
			.tag(LISTENER_TAG, id)
			.baseUnit("messages")
			.register(registry);
		FunctionCounter.builder("natsbus.listener.expired", container, each -> each.getStats().getExpired())
			.description("Requests a listener skipped because their caller had already given up")
			.tag(LISTENER_TAG, id)
			.baseUnit("requests")
			.register(registry);
	}

	private String connectionName(int slot) {
		String name = this.pool.options(slot).getConnectionName();
		return (name != null) ? name : "connection-" + slot;
	}

	/** Connections in {@code status}; slots not connected yet count as connecting. */
	static double countConnections(NatsConnectionPool pool, Connection.Status status) {
		int count = 0;
		for (int i = 0; i < pool.size(); i++) {
			Optional<Connection> connection = pool.connection(i);
			Connection.Status current = connection.map(Connection::getStatus)
				.orElse(pool.isClosed() ? Connection.Status.CLOSED : Connection.Status.CONNECTING);
			if (current == status) {
				count++;
			}
		}
		return count;
	}

	static double reconnects(NatsConnectionPool pool, int slot) {
		return pool.connection(slot).map(Connection::getStatistics).map(Statistics::getReconnects).orElse(0L);
	}

}
