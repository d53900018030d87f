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
 * needed and closed when its last subscription is gone. Handlers of shared dispatchers
 * must not block: they hand messages on to the listener's {@link DeliveryQueue}.
 * <p>
 * While a connection has fewer than {@code perConnection - 1} dispatchers, a listener
 * that would run on its dispatcher's thread (concurrency 1 on platform threads) gets one
 * of its own, which no other listener ever joins: it runs without a hand-off, as a
 * dispatcher per listener did, and can stall nobody. With the default of two, that is the
 * first such listener of each connection; all others share.
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

	/**
	 * Subscribes {@code queueing} on one of the shared dispatchers of {@code connection},
	 * or {@code inline} on a dispatcher of its own when given and the bound leaves room.
	 * @param queueing a handler that never blocks
	 * @param inline a handler that may block, or {@code null} to always share
	 * @param pendingMessages the pending message limit of a dispatcher of its own
	 * @param pendingBytes the pending byte limit of a dispatcher of its own
	 */
	synchronized Lease subscribe(Connection connection, String subject, @Nullable String queue, MessageHandler queueing,
			@Nullable MessageHandler inline, long pendingMessages, long pendingBytes) {
		List<Slot> ofConnection = this.slots.computeIfAbsent(connection, (key) -> new ArrayList<>());
		Slot slot;
		if (inline != null && ofConnection.size() < this.perConnection - 1) {
			slot = new Slot(connection, connection.createDispatcher(), true);
			slot.dispatcher.setPendingLimits(pendingMessages, pendingBytes);
			ofConnection.add(slot);
		}
		else {
			slot = leastLoadedShared(connection, ofConnection);
		}
		MessageHandler handler = slot.exclusive ? inline : queueing;
		Subscription subscription = (queue != null) ? slot.dispatcher.subscribe(subject, queue, handler)
				: slot.dispatcher.subscribe(subject, handler);
		slot.subscriptions++;
		this.bySubscription.put(subscription, slot);
		return new Lease(subscription, slot.exclusive ? slot.dispatcher : null);
	}

	private Slot leastLoadedShared(Connection connection, List<Slot> ofConnection) {
		Slot least = null;
		for (Slot slot : ofConnection) {
			if (!slot.exclusive && (least == null || slot.subscriptions < least.subscriptions)) {
				least = slot;
			}
		}
		if (least == null || (least.subscriptions > 0 && ofConnection.size() < this.perConnection)) {
			least = new Slot(connection, connection.createDispatcher(), false);
			// The handlers only queue messages, so the dispatcher's own queue stays
			// short; the listeners' pending limits apply in their delivery queues.
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

	/**
	 * A listener's subscription, and its dispatcher when no other listener shares it.
	 */
	record Lease(Subscription subscription, @Nullable Dispatcher exclusive) {

	}

	private static final class Slot {

		private final Connection connection;

		private final Dispatcher dispatcher;

		private final boolean exclusive;

		private int subscriptions;

		Slot(Connection connection, Dispatcher dispatcher, boolean exclusive) {
			this.connection = connection;
			this.dispatcher = dispatcher;
			this.exclusive = exclusive;
		}

	}

}
