package dev.natsbus.autoconfigure.security;

import dev.natsbus.protocol.PermissionViolation;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

import io.nats.client.Connection;

/**
 * The permission violations the servers reported, per connection: jnats only passes them
 * to the error listener, so that a publish to a denied subject otherwise looks like a
 * request that timed out and a denied subscription like a listener that never receives
 * anything.
 */
public class NatsPermissionViolations {

	/** Kept per connection; a client that keeps violating only needs the recent ones. */
	private static final int LIMIT = 256;

	private final Map<Connection, Deque<PermissionViolation>> violations = new IdentityHashMap<>();

	private final List<BiConsumer<Connection, PermissionViolation>> listeners = new CopyOnWriteArrayList<>();

	/** Records a violation reported on a connection and tells the listeners. */
	public void record(Connection connection, PermissionViolation violation) {
		synchronized (this) {
			Deque<PermissionViolation> recorded = this.violations.computeIfAbsent(connection,
					(key) -> new ArrayDeque<>());
			recorded.remove(violation);
			recorded.addLast(violation);
			if (recorded.size() > LIMIT) {
				recorded.removeFirst();
			}
			notifyAll();
		}
		this.listeners.forEach((listener) -> listener.accept(connection, violation));
	}

	/**
	 * Tells {@code listener} of every violation recorded from now on, on the thread that
	 * reports it (a jnats thread: return quickly).
	 */
	public void addListener(BiConsumer<Connection, PermissionViolation> listener) {
		this.listeners.add(listener);
	}

	/** The violations reported on a connection, oldest first. */
	public synchronized List<PermissionViolation> get(Connection connection) {
		Deque<PermissionViolation> recorded = this.violations.get(connection);
		return (recorded != null) ? List.copyOf(recorded) : List.of();
	}

	/** The violation reported on a connection for an operation on a subject, if any. */
	public Optional<PermissionViolation> find(Connection connection, PermissionViolation.Operation operation,
			String subject) {
		return get(connection).stream()
			.filter(violation -> violation.operation() == operation && violation.subject().equals(subject))
			.reduce((first, second) -> second);
	}

	/**
	 * Waits until a matching violation was recorded on a connection: jnats reports errors
	 * on its callback thread, a little after it read them.
	 * @return whether one was recorded in time
	 */
	public synchronized boolean await(Connection connection, Predicate<PermissionViolation> matching, Duration timeout)
			throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (get(connection).stream().noneMatch(matching)) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return false;
			}
			wait(Math.max(1, left / 1_000_000));
		}
		return true;
	}

	/** Forgets a connection, e.g. once it is closed. */
	public synchronized void forget(Connection connection) {
		this.violations.remove(connection);
	}

}
