package dev.natsbus.autoconfigure.events;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;

import org.springframework.context.ApplicationEvent;

/**
 * A pooled NATS connection changed state. Published as a Spring application event, so
 * that {@code @EventListener} methods can react, e.g. to pause work while disconnected.
 * <p>
 * Published on a jnats thread: listeners should return quickly. The first
 * {@link Type#CONNECTED} of a pool that connects at start-up happens while the context is
 * still being refreshed, before {@code @EventListener} methods are registered; only
 * {@code ApplicationListener} beans see it. A connection that never connected (its
 * attempts failed) publishes nothing.
 */
public class NatsConnectionEvent extends ApplicationEvent {

	/**
	 * The states that are published; jnats' other events (e.g. discovered servers) are
	 * not.
	 */
	public enum Type {

		/** First connected. */
		CONNECTED,

		/** The connection was lost; jnats is reconnecting. */
		DISCONNECTED,

		/**
		 * Connected again after a disconnect (possibly to another server of the cluster).
		 */
		RECONNECTED,

		/**
		 * The server announced it is shutting down (lame duck mode): jnats will move to
		 * another.
		 */
		LAME_DUCK,

		/** Closed for good: the pool was closed or reconnects were exhausted. */
		CLOSED;

		/** The type of a jnats event; {@code null} for those that are not published. */
		public static Type of(ConnectionListener.Events event) {
			return switch (event) {
				case CONNECTED -> CONNECTED;
				case DISCONNECTED -> DISCONNECTED;
				case RECONNECTED -> RECONNECTED;
				case LAME_DUCK -> LAME_DUCK;
				case CLOSED -> CLOSED;
				default -> null;
			};
		}

	}

	private final String connectionName;

	private final Type type;

	private final String serverUrl;

	/**
	 * @param connection the connection (the event's source)
	 * @param connectionName its name ({@code <name>-<index>} for pooled connections)
	 * @param type what happened
	 * @param serverUrl the server concerned, without credentials; may be {@code null}
	 */
	public NatsConnectionEvent(Connection connection, String connectionName, Type type, String serverUrl) {
		super(connection);
		this.connectionName = connectionName;
		this.type = type;
		this.serverUrl = serverUrl;
	}

	/** The connection; use it read-only (never close it, the pool owns it). */
	public Connection getConnection() {
		return (Connection) getSource();
	}

	public String getConnectionName() {
		return this.connectionName;
	}

	public Type getType() {
		return this.type;
	}

	/**
	 * The server the connection is (or was last) connected to, as
	 * {@code scheme://host:port}, never with credentials; {@code null} when unknown.
	 */
	public String getServerUrl() {
		return this.serverUrl;
	}

	@Override
	public String toString() {
		return "NatsConnectionEvent[" + this.type + " '" + this.connectionName + "' " + this.serverUrl + "]";
	}

}
