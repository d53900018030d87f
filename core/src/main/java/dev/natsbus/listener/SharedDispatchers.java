package dev.natsbus.listener;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.MessageHandler;
import io.nats.client.Subscription;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * The jnats dispatchers that the listeners of one container factory subscribe on: at most
 * {@code perConnection} per connection, each carrying many subscriptions, so that the
 * number of dispatcher threads does not grow with the number of listeners. A new
 * subscription goes to the dispatcher with the fewest; a dispatcher is created when
 * needed and closed when its last subscription is gone. Handlers must not block: they
 * hand messages on to the listener's {@link DeliveryQueue}.
 */
final class SharedDispatchers {

	/** Dispatchers per connection unless set otherwise. */
	static final int DEFAULT_PER_CONNECTION = 2;

	private static final Logger logger = LoggerFactory.getLogger(SharedDispatchers.class);

	private final int perConnection;

	private final Map<Connection, List<Slot>> slots = new IdentityHashMap<>();

	private final Map<Subscription, Slot> bySubscription = new IdentityHashMap<>();

	SharedDispatchers(int perConnection) {
		Assert.isTrue(perConnection >= 1, () -> "dispatchers per connection must be at least 1, not " + perConnection);
		this.perConnection = perConnection;
	}

	int getPerConnection() {
		return this.perConnection;
	}

	/** Subscribes {@code handler} on one of the dispatchers of {@code connection}. */
	synchronized Subscription subscribe(Connection connection, String subject, @Nullable String queue,
			MessageHandler handler) {
		Slot slot = leastLoaded(connection);
		Subscription subscription = (queue != null) ? slot.dispatcher.subscribe(subject, queue, handler)
				: slot.dispatcher.subscribe(subject, handler);
		slot.subscriptions++;
		this.bySubscription.put(subscription, slot);
		return subscription;
	}

	private Slot leastLoaded(Connection connection) {
		List<Slot> ofConnection = this.slots.computeIfAbsent(connection, (key) -> new ArrayList<>());
		Slot least = null;
		for (Slot slot : ofConnection) {
			if (least == null || slot.subscriptions < least.subscriptions) {
				least = slot;
			}
		}
		if (least == null || (least.subscriptions > 0 && ofConnection.size() < this.perConnection)) {
			least = new Slot(connection, connection.createDispatcher());
			// The handlers only queue messages, so the dispatcher's own queue stays
			// short;
			// the listener's pending limits apply in its delivery queue.
			ofConnection.add(least);
		}
		return least;
	}

	/**
	 * Forgets {@code subscription} once it is unsubscribed or drained, and closes its
	 * dispatcher when it carried the last subscription.
	 */
	synchronized void release(Subscription subscription) {
		Slot slot = this.bySubscription.remove(subscription);
		if (slot == null || --slot.subscriptions > 0) {
			return;
		}
		List<Slot> ofConnection = this.slots.get(slot.connection);
		if (ofConnection != null) {
			ofConnection.remove(slot);
			if (ofConnection.isEmpty()) {
				this.slots.remove(slot.connection);
			}
		}
		try {
			slot.connection.closeDispatcher(slot.dispatcher);
		}
		catch (RuntimeException ex) {
			logger.debug("Closing a shared listener dispatcher failed: {}", ex.toString());
		}
	}

	/** The dispatchers open now on {@code connection}. */
	synchronized int dispatcherCount(Connection connection) {
		List<Slot> ofConnection = this.slots.get(connection);
		return (ofConnection != null) ? ofConnection.size() : 0;
	}

	private static final class Slot {

		private final Connection connection;

		private final Dispatcher dispatcher;

		private int subscriptions;

		Slot(Connection connection, Dispatcher dispatcher) {
			this.connection = connection;
			this.dispatcher = dispatcher;
		}

	}

}
