package dev.natsbus.template;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import dev.natsbus.BusConnectionException;
import dev.natsbus.BusException;
import dev.natsbus.BusPermissionException;
import io.nats.client.Connection;
import io.nats.client.Message;
import org.jspecify.annotations.Nullable;

/**
 * Sends requests and follows each until its reply: the one place where a request is
 * published, tracked in flight, expired, completed or failed. A synchronous request is
 * the same exchange plus a wait on its own future; an asynchronous one completes on the
 * callback executor, never on the jnats thread that delivers every reply of a connection.
 */
final class Requester {

	private final InFlightRequests inFlight = new InFlightRequests();

	private final RequestTimer timer;

	private final BooleanSupplier accepting;

	/**
	 * Set when stop() fails what is left in flight, so that a request racing with it
	 * fails too.
	 */
	private volatile boolean stopped;

	/**
	 * The latest publish the server refused, so that a request whose refusal arrived
	 * while it was still being published (before it was tracked) learns of it too.
	 */
	private volatile @Nullable Denial lastDenial;

	/**
	 * @param timerThreads makes the timer thread that expires asynchronous requests
	 * @param accepting whether the bus still takes requests (for the reason of a refusal)
	 */
	Requester(ThreadFactory timerThreads, BooleanSupplier accepting) {
		this.timer = new RequestTimer(timerThreads, this.inFlight);
		this.accepting = accepting;
	}

	/** Sends the request and waits for its reply for at most {@code timeout}. */
	Message await(OutgoingMessage outgoing, Duration timeout) {
		CompletableFuture<Message> reply = send(outgoing, timeout, false);
		try {
			return reply.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			reply.cancel(false);
			throw RequestFailures.timeout(outgoing.subject(), timeout, outgoing.connection());
		}
		catch (ExecutionException ex) {
			throw RequestFailures.of(outgoing.subject(), ex.getCause(), timeout, outgoing.connection(), reply);
		}
		catch (CancellationException ex) {
			throw RequestFailures.of(outgoing.subject(), ex, timeout, outgoing.connection(), reply);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			reply.cancel(false);
			throw new BusException("Interrupted while waiting for a reply on '" + outgoing.subject() + "'", ex);
		}
		finally {
			this.inFlight.remove(reply);
		}
	}

	/**
	 * Sends the request; the returned future completes on {@code callbacks} with the
	 * reply as {@code read} turns it into the result, or with the typed failure.
	 * Cancelling it cancels the request.
	 */
	<T> CompletableFuture<T> sendAsync(OutgoingMessage outgoing, Duration timeout, Function<Message, T> read,
			Executor callbacks) {
		CompletableFuture<Message> reply = send(outgoing, timeout, true);
		this.timer.watch();
		ReplyFuture<T> result = new ReplyFuture<>(reply);
		// One callback and one task per reply for all the bookkeeping: at this rate each
		// extra
		// dependent stage or lambda shows in the throughput.
		reply.whenComplete((message, ex) -> {
			this.inFlight.remove(reply);
			Runnable completion = () -> {
				try {
					if (ex == null) {
						result.complete(read.apply(message));
					}
					else {
						result.completeExceptionally(
								RequestFailures.of(outgoing.subject(), ex, timeout, outgoing.connection(), reply));
					}
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
	 * Publishes the request and tracks it until its reply. One that raced with
	 * {@link #stop()} (it passed the accepting check just before) fails as those in
	 * flight do, rather than waiting for a connection that is about to close. With
	 * {@code expire} the {@link RequestTimer} ends it after {@code timeout}; otherwise
	 * the caller waits with the timeout itself.
	 */
	private CompletableFuture<Message> send(OutgoingMessage outgoing, Duration timeout, boolean expire) {
		CompletableFuture<Message> reply;
		Denial denialBefore = this.lastDenial;
		try {
			reply = outgoing.connection()
				.requestWithTimeout(outgoing.subject(), outgoing.headers(), outgoing.body(), timeout);
		}
		catch (IllegalStateException ex) {
			// jnats refuses requests on a closed or draining connection, or with a full
			// reconnect buffer.
			throw new BusConnectionException("Cannot send to '" + outgoing.subject() + "': "
					+ (this.accepting.getAsBoolean() ? ex.getMessage() : "the bus is shutting down"), ex);
		}
		if (expire) {
			this.inFlight.add(reply, timeout, outgoing.subject(), outgoing.connection());
		}
		else {
			this.inFlight.add(reply, outgoing.subject(), outgoing.connection());
		}
		if (this.stopped) {
			reply.completeExceptionally(RequestFailures.shuttingDown());
		}
		Denial denial = this.lastDenial;
		if (denial != denialBefore && denial != null && denial.denies(outgoing)) {
			// The refusal came before the request was tracked, so failPublishDenied
			// missed it.
			reply.completeExceptionally(denial.failure());
		}
		return reply;
	}

	/**
	 * Tracks a request whose replies another part of the template follows (a
	 * request-many) until {@link #untrack}: the timer fails {@code end} with a
	 * {@link TimeoutException} after {@code timeout}, a stop fails it as shutting down,
	 * and a graceful stop waits for it like any request in flight.
	 */
	void track(CompletableFuture<?> end, Duration timeout, String subject, Connection connection) {
		this.inFlight.add(end, timeout, subject, connection);
		this.timer.watch();
		if (this.stopped) {
			end.completeExceptionally(RequestFailures.shuttingDown());
		}
	}

	/**
	 * Moves the timeout of a tracked request to {@code timeout} from now, if it is still
	 * tracked.
	 */
	void extend(CompletableFuture<?> end, Duration timeout) {
		this.inFlight.extend(end, timeout);
	}

	/**
	 * Fails the requests (and gatherings) published to {@code subject} on
	 * {@code connection} with a {@link BusPermissionException}: the server refused the
	 * publish, so waiting for their timeout would only delay the answer.
	 */
	void failPublishDenied(Connection connection, String subject, String serverError) {
		this.lastDenial = new Denial(connection, subject, serverError);
		this.inFlight.failPublishedTo(connection, subject, () -> new BusPermissionException(subject, serverError));
	}

	/** Stops tracking a request of {@link #track} once it has ended. */
	void untrack(CompletableFuture<?> end) {
		this.inFlight.remove(end);
	}

	/** Requests whose replies are awaited now. */
	int inFlight() {
		return this.inFlight.size();
	}

	/** Waits until no request is in flight or {@code timeout} passes; true if none is. */
	boolean awaitEmpty(Duration timeout) throws InterruptedException {
		return this.inFlight.awaitEmpty(timeout);
	}

	/** Takes requests again after a {@link #stop()}. */
	void start() {
		this.stopped = false;
	}

	/**
	 * Fails every request still in flight, and any that races with this, as shutting
	 * down.
	 */
	void stop() {
		this.stopped = true;
		this.inFlight.failAll(RequestFailures::shuttingDown);
	}

	/** Ends the timer thread; called when the template is discarded. */
	void close() {
		this.timer.close();
	}

	/** A publish the server refused. */
	private record Denial(Connection connection, String subject, String serverError) {

		boolean denies(OutgoingMessage outgoing) {
			return this.connection == outgoing.connection() && this.subject.equals(outgoing.subject());
		}

		BusPermissionException failure() {
			return new BusPermissionException(this.subject, this.serverError);
		}

	}

}
