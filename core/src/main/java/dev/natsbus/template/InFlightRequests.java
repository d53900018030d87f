package dev.natsbus.template;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.nats.client.Connection;

/**
 * The requests whose replies are still awaited, each with the time its timeout ends: a
 * {@link RequestTimer} fails the overdue ones, and a graceful stop waits for the rest and
 * then fails them with a clear reason rather than leave callers hanging.
 */
final class InFlightRequests {

	/**
	 * A request that expires by itself (a synchronous caller waits with its own timeout).
	 */
	private static final long NEVER = Long.MAX_VALUE;

	/**
	 * Times are nanoseconds since this origin, so that they stay positive and compare
	 * plainly.
	 */
	private final long origin = System.nanoTime();

	private final Map<CompletableFuture<?>, Pending> pending = new ConcurrentHashMap<>();

	private final Object lock = new Object();

	private volatile boolean awaited;

	/** Tracks a request until {@link #remove}; its caller enforces the timeout itself. */
	void add(CompletableFuture<?> reply, String subject, Connection connection) {
		this.pending.put(reply, new Pending(NEVER, subject, connection));
	}

	/**
	 * Tracks a request until {@link #remove}; {@link #expireOverdue} fails it after
	 * {@code timeout}.
	 */
	void add(CompletableFuture<?> reply, Duration timeout, String subject, Connection connection) {
		this.pending.put(reply, new Pending(expiresAt(timeout), subject, connection));
	}

	/**
	 * Moves the end of a tracked request to {@code timeout} from now (a request-many's
	 * stall timer after each reply); nothing when it is no longer tracked, so that a
	 * reply racing with the end cannot track it again.
	 */
	void extend(CompletableFuture<?> reply, Duration timeout) {
		long expiresAt = expiresAt(timeout);
		this.pending.computeIfPresent(reply, (key, pending) -> pending.expiringAt(expiresAt));
	}

	private long expiresAt(Duration timeout) {
		long now = now();
		long nanos = timeout.isNegative() ? 0 : nanosUpTo(timeout, NEVER - 1 - now);
		return now + nanos;
	}

	private static long nanosUpTo(Duration timeout, long max) {
		try {
			return Math.min(timeout.toNanos(), max);
		}
		catch (ArithmeticException ex) {
			// Longer than 292 years.
			return max;
		}
	}

	/**
	 * Stops tracking a request; its caller calls this once the reply future completed.
	 */
	void remove(CompletableFuture<?> reply) {
		if (this.pending.remove(reply) != null && this.awaited && this.pending.isEmpty()) {
			synchronized (this.lock) {
				this.lock.notifyAll();
			}
		}
	}

	int size() {
		return this.pending.size();
	}

	/**
	 * Fails each request whose timeout has ended with a {@link TimeoutException}.
	 * @return how many requests with a timeout are still pending
	 */
	int expireOverdue() {
		long now = now();
		int waiting = 0;
		for (Map.Entry<CompletableFuture<?>, Pending> entry : this.pending.entrySet()) {
			long expiresAt = entry.getValue().expiresAt();
			if (expiresAt == NEVER) {
				continue;
			}
			if (expiresAt <= now) {
				entry.getKey().completeExceptionally(new TimeoutException());
			}
			else {
				waiting++;
			}
		}
		return waiting;
	}

	/**
	 * Waits until no request is pending or the timeout passes; true if none is pending.
	 */
	boolean awaitEmpty(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		this.awaited = true;
		synchronized (this.lock) {
			while (!this.pending.isEmpty()) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					return false;
				}
				this.lock.wait(Math.max(1, remaining / 1_000_000));
			}
		}
		return true;
	}

	/**
	 * Fails every pending request, each with its own exception (callers may add to it).
	 */
	void failAll(Supplier<? extends RuntimeException> failure) {
		for (CompletableFuture<?> reply : this.pending.keySet()) {
			reply.completeExceptionally(failure.get());
		}
	}

	/**
	 * Fails the requests published to {@code subject} on {@code connection}, each with
	 * its own exception: the server refused the publish, so no reply can come.
	 */
	void failPublishedTo(Connection connection, String subject, Supplier<? extends RuntimeException> failure) {
		this.pending.forEach((reply, pending) -> {
			if (pending.connection() == connection && pending.subject().equals(subject)) {
				reply.completeExceptionally(failure.get());
			}
		});
	}

	private long now() {
		return System.nanoTime() - this.origin;
	}

	/** When a request expires, and where it was published. */
	private record Pending(long expiresAt, String subject, Connection connection) {

		Pending expiringAt(long newExpiresAt) {
			return new Pending(newExpiresAt, this.subject, this.connection);
		}

	}

}
