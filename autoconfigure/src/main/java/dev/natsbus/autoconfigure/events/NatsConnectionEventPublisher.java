package dev.natsbus.autoconfigure.events;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.natsbus.autoconfigure.security.ServerUrls;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes jnats connection events as {@link NatsConnectionEvent}s, once per change of
 * state (jnats repeats a disconnect for every failed reconnect attempt). The server URL
 * is the connected one, or for a disconnect or close the last one known, always without
 * credentials.
 */
public class NatsConnectionEventPublisher implements ConnectionListener {

	private static final Logger logger = LoggerFactory.getLogger(NatsConnectionEventPublisher.class);

	private final ApplicationEventPublisher publisher;

	/** Last server each connection was connected to, by connection name. */
	private final Map<String, String> lastServer = new ConcurrentHashMap<>();

	/**
	 * Last published type per connection: jnats repeats DISCONNECTED for each failed
	 * reconnect.
	 */
	private final Map<String, NatsConnectionEvent.Type> lastType = new ConcurrentHashMap<>();

	public NatsConnectionEventPublisher(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	public void connectionEvent(Connection connection, Events event) {
		NatsConnectionEvent.Type type = NatsConnectionEvent.Type.of(event);
		if (type == null || connection == null) {
			return;
		}
		String name = connection.getOptions().getConnectionName();
		String key = (name != null) ? name : "";
		NatsConnectionEvent.Type previous = this.lastType.put(key, type);
		if (type == NatsConnectionEvent.Type.DISCONNECTED && previous == NatsConnectionEvent.Type.DISCONNECTED) {
			return;
		}
		String server = serverUrl(connection);
		if (server != null) {
			this.lastServer.put(key, server);
		}
		else {
			server = this.lastServer.get(key);
		}
		try {
			this.publisher.publishEvent(new NatsConnectionEvent(connection, name, type, server));
		}
		catch (RuntimeException ex) {
			// Typically a CLOSED event while the context shuts down and its listeners are
			// gone.
			logger.debug("Could not publish {} of NATS connection '{}': {}", type, name, ex.toString());
		}
	}

	/** The connected server, credentials removed, or {@code null}. */
	public static String serverUrl(Connection connection) {
		try {
			return ServerUrls.redact(connection.getConnectedUrl());
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

}
