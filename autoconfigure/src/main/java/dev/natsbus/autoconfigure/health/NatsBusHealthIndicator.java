package dev.natsbus.autoconfigure.health;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.natsbus.autoconfigure.security.ServerUrls;
import dev.natsbus.connection.NatsConnectionPool;
import io.nats.client.Connection;
import io.nats.client.Options;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The health of the bus ({@code natsbus}): each pooled connection with its status, the
 * server it is connected to (never credentials), its round-trip time (a PING to the
 * server) and its reconnect count. DOWN when any connection is not connected, including a
 * connection that is still being established in the background.
 */
public class NatsBusHealthIndicator implements HealthIndicator {

	private final NatsConnectionPool pool;

	public NatsBusHealthIndicator(NatsConnectionPool pool) {
		this.pool = pool;
	}

	@Override
	public Health health() {
		Map<String, Object> connections = new LinkedHashMap<>();
		boolean up = !this.pool.isClosed();
		for (int i = 0; i < this.pool.size(); i++) {
			Options options = this.pool.options(i);
			String name = (options.getConnectionName() != null) ? options.getConnectionName() : "connection-" + i;
			Map<String, Object> details = new LinkedHashMap<>();
			Optional<Connection> connection = this.pool.connection(i);
			if (connection.isPresent()) {
				up &= describe(connection.get(), options, details);
			}
			else {
				up = false;
				details.put("status", notEstablished(i));
				details.put("servers", NatsConnectionPool.describeServers(options));
			}
			connections.put(name, details);
		}
		return (up ? Health.up() : Health.down()).withDetail("connections", connections).build();
	}

	/** Adds the details of an established connection; whether it is connected. */
	private static boolean describe(Connection connection, Options options, Map<String, Object> details) {
		Connection.Status status = connection.getStatus();
		details.put("status", status.name());
		String server = ServerUrls.redact(connection.getConnectedUrl());
		details.put("server", (server != null) ? server : NatsConnectionPool.describeServers(options));
		boolean connected = status == Connection.Status.CONNECTED;
		if (connected) {
			try {
				Duration rtt = connection.RTT();
				details.put("rttMillis", Math.round(rtt.toNanos() / 1_000.0) / 1_000.0);
			}
			catch (Exception ex) {
				if (ex instanceof InterruptedException) {
					Thread.currentThread().interrupt();
				}
				details.put("rttError", ex.getClass().getSimpleName() + ": " + ex.getMessage());
			}
		}
		details.put("reconnects", connection.getStatistics().getReconnects());
		return connected;
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
