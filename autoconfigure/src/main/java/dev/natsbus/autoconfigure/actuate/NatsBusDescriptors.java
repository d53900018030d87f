package dev.natsbus.autoconfigure.actuate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.natsbus.autoconfigure.security.ServerUrls;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.listener.BusListenerContainer;
import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.listener.adapter.EndpointStats;
import io.nats.client.Connection;
import io.nats.client.Options;
import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * Describes the listeners and connections of the bus for the {@code natsbus} endpoint,
 * never with credentials.
 */
final class NatsBusDescriptors {

	private final BusListenerRegistry registry;

	private final NatsConnectionPool pool;

	NatsBusDescriptors(BusListenerRegistry registry, NatsConnectionPool pool) {
		this.registry = registry;
		this.pool = pool;
	}

	NatsBusDescriptor bus() {
		List<ListenerDescriptor> listeners = this.registry.getListenerContainers()
			.stream()
			.map(NatsBusDescriptors::listener)
			.toList();
		return new NatsBusDescriptor(listeners, connections());
	}

	Optional<ListenerDescriptor> listener(String id) {
		return this.registry.getListenerContainer(id).map(NatsBusDescriptors::listener);
	}

	private static ListenerDescriptor listener(BusListenerContainer container) {
		EndpointStats stats = container.getStats();
		Connection connection = container.getConnection();
		String connectionName = (connection != null) ? connection.getOptions().getConnectionName() : null;
		return new ListenerDescriptor(container.getId(), container.getSubject(), container.getQueue(),
				container.getConcurrency(), container.getState(), container.getBusyWorkers(), stats.getRequests(),
				stats.getErrors(), StringUtils.hasLength(stats.getLastError()) ? stats.getLastError() : null,
				stats.getProcessingNanos(), stats.getAverageProcessingNanos(), stats.getExpired(),
				container.getDroppedCount(), container.getPendingMessages(), connectionName);
	}

	private List<ConnectionDescriptor> connections() {
		List<ConnectionDescriptor> connections = new ArrayList<>(this.pool.size());
		for (int slot = 0; slot < this.pool.size(); slot++) {
			Options options = this.pool.options(slot);
			String name = (options.getConnectionName() != null) ? options.getConnectionName() : "connection-" + slot;
			List<String> servers = options.getServers()
				.stream()
				.map((uri) -> ServerUrls.redact(uri.toString()))
				.toList();
			Optional<Connection> connection = this.pool.connection(slot);
			if (connection.isPresent()) {
				Connection established = connection.get();
				connections.add(new ConnectionDescriptor(name, established.getStatus().name(),
						ServerUrls.redact(established.getConnectedUrl()), servers,
						established.getStatistics().getReconnects(), rttMillis(established)));
			}
			else {
				connections.add(new ConnectionDescriptor(name, notEstablished(slot), null, servers, 0, null));
			}
		}
		return connections;
	}

	/** A PING's round trip, when connected and the server answers in time. */
	private static @Nullable Double rttMillis(Connection connection) {
		if (connection.getStatus() != Connection.Status.CONNECTED) {
			return null;
		}
		try {
			Duration rtt = connection.RTT();
			return Math.round(rtt.toNanos() / 1_000.0) / 1_000.0;
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			return null;
		}
	}

	/** CONNECTING while the background connect runs, FAILED when it gave up. */
	private String notEstablished(int slot) {
		if (this.pool.isClosed()) {
			return Connection.Status.CLOSED.name();
		}
		return this.pool.whenConnected(slot).isCompletedExceptionally() ? "FAILED"
				: Connection.Status.CONNECTING.name();
	}

}
