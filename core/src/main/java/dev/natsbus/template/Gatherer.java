package dev.natsbus.template;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import dev.natsbus.BusConnectionException;
import dev.natsbus.BusException;
import dev.natsbus.RequestMany;
import io.nats.client.Connection;
import io.nats.client.Message;
import org.jspecify.annotations.Nullable;

/**
 * Sends requests-many and follows each until it ends: the request-many counterpart of the
 * {@link Requester}, whose in-flight bookkeeping, timer and stop it shares, so that
 * gatherings expire without a task each, count as requests in flight, are waited for by a
 * graceful stop and fail as shutting down after it.
 * <p>
 * Replies arrive on one {@link ReplyInbox} per pooled connection, subscribed with the
 * first gathering on it: any number of gatherings at once cost one subscription per
 * connection. Asynchronous results complete on the callback executor, never on the
 * inbox's dispatcher thread.
 */
final class Gatherer {

	private final Requester requester;

	private final Map<Connection, ReplyInbox> inboxes = new ConcurrentHashMap<>();

	/**
	 * Guards creating and closing inboxes: a lock rather than {@code synchronized}, as
	 * callers on virtual threads subscribe in jnats while holding it (no pinning on Java
	 * 21).
	 */
	private final ReentrantLock inboxLock = new ReentrantLock();

	Gatherer(Requester requester) {
		this.requester = requester;
	}

	/**
	 * Sends the request and gathers its replies on this thread until the gathering ends.
	 */
	Gathered await(OutgoingMessage outgoing, RequestMany options, Duration maxWait) {
		Gathering gathering = start(outgoing, options, maxWait, null);
		CompletableFuture<?> end = gathering.end();
		try {
			end.get(maxWait.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			// Here before the timer's next tick: the total time is over all the same.
			end.completeExceptionally(new TimeoutException());
		}
		catch (ExecutionException | CancellationException ex) {
			// finish() says what it means.
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			end.cancel(false);
			throw new BusException("Interrupted while gathering replies on '" + outgoing.subject() + "'", ex);
		}
		finally {
			gathering.release();
		}
		return gathering.finish();
	}

	/**
	 * Sends the request; the returned future completes on {@code callbacks} with what
	 * {@code read} makes of the gathered replies, or with the typed failure. Cancelling
	 * it ends the gathering.
	 */
	<T> CompletableFuture<T> gatherAsync(OutgoingMessage outgoing, RequestMany options, Duration maxWait,
			Function<Gathered, T> read, Executor callbacks) {
		return gatherAsync(outgoing, options, maxWait, read, callbacks, null);
	}

	/**
	 * {@link #gatherAsync(OutgoingMessage, RequestMany, Duration, Function, Executor)},
	 * handing each reply to {@code each} as it arrives as well (see
	 * {@link Gathering#onEachReply}).
	 */
	<T> CompletableFuture<T> gatherAsync(OutgoingMessage outgoing, RequestMany options, Duration maxWait,
			Function<Gathered, T> read, Executor callbacks, @Nullable Consumer<Message> each) {
		Gathering gathering = start(outgoing, options, maxWait, each);
		ReplyFuture<T> result = new ReplyFuture<>(gathering.end());
		gathering.end().whenComplete((endedBy, ex) -> {
			if (result.isDone()) {
				return; // cancelled by the caller
			}
			Runnable completion = () -> {
				try {
					result.complete(read.apply(gathering.finish()));
				}
				catch (RuntimeException failure) {
					result.completeExceptionally(failure);
				}
			};
			Completions.run(callbacks, completion);
		});
		return result;
	}

	/**
	 * Opens a route on the connection's inbox, tracks the gathering and publishes the
	 * request with the route as its reply subject; the route and the tracking are
	 * released on every end.
	 */
	private Gathering start(OutgoingMessage outgoing, RequestMany options, Duration maxWait,
			@Nullable Consumer<Message> each) {
		Connection connection = outgoing.connection();
		ReplyInbox inbox = inboxOf(connection, outgoing.subject());
		Gathering gathering = new Gathering(outgoing.subject(), connection, options, maxWait, this.requester);
		if (each != null) {
			gathering.onEachReply(each);
		}
		String replyTo = inbox.open(gathering);
		CompletableFuture<?> end = gathering.end();
		gathering.onRelease(() -> {
			inbox.close(replyTo);
			this.requester.untrack(end);
		});
		this.requester.track(end, maxWait, outgoing.subject(), connection);
		if (end.isDone()) {
			return gathering; // the bus stopped as it started
		}
		try {
			connection.publish(outgoing.subject(), replyTo, outgoing.headers(), outgoing.body());
		}
		catch (IllegalStateException ex) {
			// The connection closed, started draining or filled its reconnect buffer.
			BusConnectionException failure = new BusConnectionException(
					"Cannot send to '" + outgoing.subject() + "': " + ex.getMessage(), ex);
			end.completeExceptionally(failure);
			throw failure;
		}
		return gathering;
	}

	private ReplyInbox inboxOf(Connection connection, String subject) {
		ReplyInbox inbox = this.inboxes.get(connection);
		if (inbox != null && inbox.isActive()) {
			return inbox;
		}
		this.inboxLock.lock();
		try {
			inbox = this.inboxes.get(connection);
			if (inbox == null || !inbox.isActive()) {
				try {
					inbox = ReplyInbox.subscribe(connection);
				}
				catch (IllegalStateException ex) {
					throw new BusConnectionException("Cannot gather replies on '" + subject
							+ "': the connection to NATS is closing (" + ex.getMessage() + ")", ex);
				}
				this.inboxes.put(connection, inbox);
			}
			return inbox;
		}
		finally {
			this.inboxLock.unlock();
		}
	}

	/** Subscriptions this gatherer holds: one per connection it has gathered on. */
	int inboxes() {
		return this.inboxes.size();
	}

	/** Gatherings whose inbox route is open now. */
	int openRoutes() {
		return this.inboxes.values().stream().mapToInt(ReplyInbox::routes).sum();
	}

	/** Unsubscribes every inbox; called when the template is discarded. */
	void close() {
		this.inboxLock.lock();
		try {
			this.inboxes.values().forEach(ReplyInbox::unsubscribe);
			this.inboxes.clear();
		}
		finally {
			this.inboxLock.unlock();
		}
	}

}
