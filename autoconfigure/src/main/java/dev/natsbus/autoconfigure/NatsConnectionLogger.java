package dev.natsbus.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.natsbus.autoconfigure.security.ConnectAttempts;
import dev.natsbus.autoconfigure.security.ServerUrls;
import dev.natsbus.support.LogThrottle;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.listener.BusListenerContainer;
import io.nats.client.Connection;
import io.nats.client.Consumer;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one listener of a connection's events: logs each change once through SLF4J, with
 * the server URL and never credentials, in place of jnats' own listener which logs every
 * failed connect attempt at SEVERE, and tells the next listener (which publishes them as
 * application events). Until the connection is first established, a DISCONNECTED is the
 * end of a failed attempt, not a lost connection: it is logged with the server tried and
 * why (at WARN only when connecting in the background, where nobody else reports it); no
 * event of a connection that never connected is passed on.
 */
class NatsConnectionLogger implements ConnectionListener, ErrorListener {

	private static final Logger logger = LoggerFactory.getLogger("dev.natsbus.connection");

	/**
	 * One slow-consumer line per consumer and ten seconds, with the count of those held
	 * back.
	 */
	private final LogThrottle slowConsumerReports = new LogThrottle(Duration.ofSeconds(10));

	/**
	 * Also told every connection event (e.g. to publish it as an application event); may
	 * be null.
	 */
	private final ConnectionListener next;

	/** Names the listener of a slow consumer; looked up when one is reported. */
	private final Function<Consumer, Optional<BusListenerContainer>> listeners;

	private final ConnectAttempts attempts;

	/** Why an attempt failed, in words. */
	private final Function<ConnectAttempts.Attempt, String> reasons;

	/**
	 * Whether start-up goes on without a connection, so that failed attempts are news.
	 */
	private final boolean background;

	/**
	 * The last reason logged at WARN per server, so that a retry that fails alike is not.
	 */
	private final Map<String, String> warnedAttempts = new ConcurrentHashMap<>();

	/**
	 * The server this connection was last connected to, for the events that have none.
	 */
	private volatile String lastServer;

	/**
	 * The last change of state, to report a disconnect once, not after every failed
	 * reconnect.
	 */
	private volatile Events lastState;

	/**
	 * @param next told every event that is logged; may be null
	 * @param attempts the record of this connection's connect attempts
	 * @param reasons says why an attempt failed
	 * @param background whether the pool connects in the background
	 * @param listeners names the listener of a slow consumer
	 */
	NatsConnectionLogger(ConnectionListener next, ConnectAttempts attempts,
			Function<ConnectAttempts.Attempt, String> reasons, boolean background,
			Function<Consumer, Optional<BusListenerContainer>> listeners) {
		this.next = next;
		this.attempts = attempts;
		this.reasons = reasons;
		this.background = background;
		this.listeners = listeners;
	}

	@Override
	public void connectionEvent(Connection connection, Events event) {
		if (!this.attempts.isConnected()) {
			if (event == Events.RECONNECTED) {
				// jnats' name for the first connection of a pool that connects in the
				// background.
				event = Events.CONNECTED;
			}
			if (event == Events.DISCONNECTED) {
				attemptFailed(connection);
				return;
			}
			if (event == Events.CLOSED) {
				this.attempts.closed();
				logger.debug("NATS connection '{}' closed before it connected to {}", name(connection),
						NatsConnectionPool.describeServers(connection.getOptions()));
				this.lastState = event;
				return;
			}
			if (event == Events.CONNECTED) {
				this.attempts.connected();
			}
		}
		if (isRepeated(event)) {
			return;
		}
		String name = connection.getOptions().getConnectionName();
		String server = ServerUrls.redact(connection.getConnectedUrl());
		if (server != null) {
			this.lastServer = server;
		}
		else {
			server = (this.lastServer != null) ? this.lastServer
					: NatsConnectionPool.describeServers(connection.getOptions());
		}
		switch (event) {
			case CONNECTED -> logger.info("NATS connection '{}' connected to {}", name, server);
			case RECONNECTED -> logger.info("NATS connection '{}' reconnected to {}", name, server);
			case RESUBSCRIBED -> logger.debug("NATS connection '{}' restored its subscriptions", name);
			case DISCONNECTED -> logger.warn("NATS connection '{}' disconnected from {}; reconnecting", name, server);
			case LAME_DUCK -> logger.warn("NATS server {} of connection '{}' entered lame duck mode", server, name);
			case CLOSED -> logger.info("NATS connection '{}' to {} closed", name, server);
			default -> logger.debug("NATS connection '{}': {}", name, event);
		}
		tellNext(connection, event);
	}

	private void attemptFailed(Connection connection) {
		ConnectAttempts.Attempt attempt = this.attempts.attemptFailed();
		String server = (attempt.server() != null) ? attempt.server()
				: NatsConnectionPool.describeServers(connection.getOptions());
		if (attempt.address() != null) {
			server = server + " (" + attempt.address() + ")";
		}
		String reason = this.reasons.apply(attempt);
		if (this.background && !reason.equals(this.warnedAttempts.put(server, reason))) {
			logger.warn("NATS connection '{}' could not connect to {}: {}; retrying in the background",
					name(connection), server, reason);
		}
		else {
			logger.debug("NATS connection '{}' could not connect to {}: {}", name(connection), server, reason);
		}
	}

	private void tellNext(Connection connection, Events event) {
		if (this.next != null) {
			this.next.connectionEvent(connection, event);
		}
	}

	/** jnats reports DISCONNECTED again for each failed reconnect attempt. */
	private boolean isRepeated(Events event) {
		switch (event) {
			case CONNECTED, DISCONNECTED, RECONNECTED, CLOSED -> {
				Events previous = this.lastState;
				this.lastState = event;
				return event == Events.DISCONNECTED && previous == Events.DISCONNECTED;
			}
			default -> {
				return false;
			}
		}
	}

	@Override
	public void errorOccurred(Connection connection, String error) {
		logger.warn("NATS server reported an error to connection '{}': {}", name(connection), error);
	}

	@Override
	public void exceptionOccurred(Connection connection, Exception exception) {
		logger.debug("NATS connection '{}': {}", name(connection), exception.toString());
	}

	@Override
	public void slowConsumerDetected(Connection connection, Consumer consumer) {
		// jnats reports every time a consumer falls behind again: one line per consumer
		// and interval.
		long suppressed = this.slowConsumerReports.tryAcquire(consumer);
		if (suppressed < 0) {
			return;
		}
		String listener = this.listeners.apply(consumer)
			.map((container) -> "listener '" + container.getId() + "' on '" + container.getSubject() + "'")
			.orElse("a subscription");
		logger.warn(
				"NATS connection '{}': slow consumer, {} cannot keep up and dropped {} messages so far "
						+ "(pending limits reached){}",
				name(connection), listener, consumer.getDroppedCount(),
				(suppressed > 0) ? " (" + suppressed + " more reports since the last line)" : "");
	}

	private static String name(Connection connection) {
		return (connection != null) ? connection.getOptions().getConnectionName() : "?";
	}

}
