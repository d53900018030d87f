package dev.natsbus.listener;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Subscription;

/**
 * Waits until a jnats dispatcher has handed on every message it had queued: a message to
 * a fresh inbox, subscribed on that dispatcher, queues behind them, and a dispatcher
 * hands its messages on in order, one at a time.
 */
final class DispatcherMarker {

	private DispatcherMarker() {
	}

	/**
	 * Sends a marker through {@code dispatcher} and waits up to {@code timeout} for it;
	 * returns whether it passed.
	 */
	static boolean await(Connection connection, Dispatcher dispatcher, Duration timeout) throws InterruptedException {
		CompletableFuture<Void> passed = new CompletableFuture<>();
		String inbox = connection.createInbox();
		Subscription marker = dispatcher.subscribe(inbox, (message) -> passed.complete(null));
		try {
			// The SUB goes out before the PUB on the same connection, so the server
			// routes
			// the marker to it.
			connection.publish(inbox, null);
			passed.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
			return true;
		}
		catch (ExecutionException | TimeoutException ex) {
			return false;
		}
		finally {
			if (dispatcher.isActive()) {
				dispatcher.unsubscribe(marker);
			}
		}
	}

}
