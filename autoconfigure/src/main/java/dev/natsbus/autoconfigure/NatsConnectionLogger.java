package dev.natsbus.autoconfigure;

import io.nats.client.Connection;
import io.nats.client.Consumer;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs connection events once each through SLF4J, with the server URL and never credentials,
 * in place of jnats' own listener which logs every failed connect attempt at SEVERE.
 */
class NatsConnectionLogger implements ConnectionListener, ErrorListener {

	private static final Logger logger = LoggerFactory.getLogger("dev.natsbus.connection");

	@Override
	public void connectionEvent(Connection connection, Events event) {
		String name = connection.getOptions().getConnectionName();
		String server = connection.getConnectedUrl();
		switch (event) {
			case CONNECTED -> logger.info("NATS connection '{}' connected to {}", name, server);
			case RECONNECTED -> logger.info("NATS connection '{}' reconnected to {}", name, server);
			case RESUBSCRIBED -> logger.debug("NATS connection '{}' restored its subscriptions", name);
			case DISCONNECTED -> logger.warn("NATS connection '{}' disconnected; reconnecting", name);
			case LAME_DUCK -> logger.warn("NATS server {} of connection '{}' entered lame duck mode", server, name);
			case CLOSED -> logger.info("NATS connection '{}' closed", name);
			default -> logger.debug("NATS connection '{}': {}", name, event);
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
		logger.warn("NATS connection '{}': slow consumer, {} messages dropped so far", name(connection),
				consumer.getDroppedCount());
	}

	private static String name(Connection connection) {
		return (connection != null) ? connection.getOptions().getConnectionName() : "?";
	}

}
