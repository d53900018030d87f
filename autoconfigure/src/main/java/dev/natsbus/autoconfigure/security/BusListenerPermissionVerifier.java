package dev.natsbus.autoconfigure.security;

import dev.natsbus.protocol.PermissionViolation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import dev.natsbus.autoconfigure.diagnostics.NatsBusConfigurationException;
import dev.natsbus.listener.BusListenerContainer;
import dev.natsbus.listener.BusListenerRegistry;
import io.nats.client.Connection;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Fails start-up when the server refused the subscription of a {@code @BusListener}: such
 * a listener would otherwise run and never receive a message. Starts right after the
 * listeners subscribed, flushes their connections (the server answers a subscription it
 * refuses before the flush's PONG) and checks the reported violations. Listeners that
 * subscribe later, when connecting in the background, are reported by the error
 * listener's log instead.
 */
public class BusListenerPermissionVerifier implements SmartLifecycle {

	/** Right after the listener registry, which subscribes in its own start. */
	public static final int PHASE = BusListenerRegistry.PHASE + 1;

	private static final Duration REPORT_WAIT = Duration.ofSeconds(2);

	private final ObjectProvider<BusListenerRegistry> registry;

	private final NatsPermissionViolations violations;

	private final Duration flushTimeout;

	private volatile boolean running;

	public BusListenerPermissionVerifier(ObjectProvider<BusListenerRegistry> registry,
			NatsPermissionViolations violations, Duration flushTimeout) {
		this.registry = registry;
		this.violations = violations;
		this.flushTimeout = flushTimeout;
	}

	@Override
	public void start() {
		this.running = true;
		BusListenerRegistry listeners = this.registry.getIfAvailable();
		if (listeners == null) {
			return;
		}
		Map<Connection, List<BusListenerContainer>> byConnection = new IdentityHashMap<>();
		for (BusListenerContainer container : listeners.getListenerContainers()) {
			Connection connection = container.getConnection();
			if (connection != null && container.isSubscribed()) {
				byConnection.computeIfAbsent(connection, key -> new ArrayList<>()).add(container);
			}
		}
		List<String> denied = new ArrayList<>();
		byConnection.forEach((connection, containers) -> {
			if (awaitReports(connection)) {
				for (BusListenerContainer container : containers) {
					String subject = container.getSubject();
					this.violations.find(connection, PermissionViolation.Operation.SUBSCRIBE, subject)
						.ifPresent(violation -> denied.add("listener '" + container.getId() + "' on '" + subject
								+ "' (connection '" + connection.getOptions().getConnectionName() + "', server: "
								+ violation.error() + ")"));
				}
			}
		});
		if (!denied.isEmpty()) {
			throw new NatsBusConfigurationException(
					"NATS denied permission to subscribe to the subject of " + String.join(", ", denied)
							+ ". Grant the user subscribe permission on these subjects, or remove the listeners.",
					"Grant the NATS user of this application subscribe permission on these subjects (in the server's "
							+ "authorization or the account's JWT), or remove the listeners or change their subjects.");
		}
	}

	/**
	 * Whether the server's answers to the subscriptions so far have been read and
	 * reported.
	 */
	private boolean awaitReports(Connection connection) {
		if (connection.getStatus() != Connection.Status.CONNECTED) {
			return false;
		}
		try {
			connection.flush(this.flushTimeout);
			// The reader has seen every answer now; the error listener hears of them a
			// little later, in order.
			Optional<PermissionViolation> last = PermissionViolation.parse(connection.getLastError());
			if (last.isPresent()) {
				this.violations.await(connection, last.get()::equals, REPORT_WAIT);
			}
			return true;
		}
		catch (TimeoutException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
