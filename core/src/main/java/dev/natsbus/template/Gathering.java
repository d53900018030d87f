package dev.natsbus.template;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import dev.natsbus.BusException;
import dev.natsbus.BusNoRespondersException;
import dev.natsbus.BusReplies.EndedBy;
import dev.natsbus.RequestMany;
import dev.natsbus.protocol.ServiceErrors;
import io.nats.client.Connection;
import io.nats.client.Message;
import org.jspecify.annotations.Nullable;

/**
 * One request-many in progress: takes the replies its {@link ReplyInbox} route delivers,
 * decides when the gathering ends, and then says what was gathered or why it failed.
 * <p>
 * It ends through its {@link #end()} future, whichever comes first: completed here with
 * {@link EndedBy#MAX_REPLIES} or {@link EndedBy#SENTINEL}; failed with a
 * {@link TimeoutException} by the template's request timer when the total time or the
 * stall time is over (the timer's deadline moves with each reply while a stall is set);
 * failed with {@link BusNoRespondersException} on the server's 503; failed as shutting
 * down by a stop; cancelled by the caller. Replies arrive on the inbox's dispatcher
 * thread; the end may come from any thread, so the state is guarded by one lock.
 */
final class Gathering implements Consumer<Message> {

	private final String subject;

	private final Connection connection;

	private final Requester requester;

	private final int maxReplies;

	private final boolean sentinel;

	private final @Nullable Duration stall;

	private final long startNanos = System.nanoTime();

	private final long maxWaitEndNanos;

	/**
	 * Replies may be lost across a reconnect: a gathering that saw one cannot vouch for
	 * its result.
	 */
	private final long reconnectsBefore;

	private final End end = new End();

	private final Object lock = new Object();

	private final List<Message> replies = new ArrayList<>();

	private final AtomicBoolean released = new AtomicBoolean();

	private @Nullable Runnable release;

	private @Nullable Consumer<Message> each;

	/**
	 * Whether the timer's current deadline is a stall deadline rather than the total
	 * time.
	 */
	private boolean stalling;

	Gathering(String subject, Connection connection, RequestMany options, Duration maxWait, Requester requester) {
		this.subject = subject;
		this.connection = connection;
		this.requester = requester;
		this.maxReplies = options.getMaxReplies();
		this.sentinel = options.isSentinel();
		Duration stall = options.getStall();
		// As ADR-47 has it: a stall not shorter than the total time is no stall.
		this.stall = (stall != null && stall.compareTo(maxWait) < 0) ? stall : null;
		this.maxWaitEndNanos = this.startNanos + maxWait.toNanos();
		this.reconnectsBefore = connection.getStatistics().getReconnects();
	}

	/**
	 * Hands each reply that counts (values and error replies, not the sentinel) to
	 * {@code each} as it arrives, before the gathering can end with it; set before the
	 * request is sent. It runs on the inbox's dispatcher thread under the gathering's
	 * lock, so it must only hand the reply on.
	 */
	void onEachReply(Consumer<Message> each) {
		this.each = each;
	}

	/** The future whose completion ends the gathering (see the class description). */
	CompletableFuture<EndedBy> end() {
		return this.end;
	}

	/**
	 * Sets what releases the gathering's inbox route and in-flight entry; run once, at
	 * the end.
	 */
	void onRelease(Runnable release) {
		this.release = release;
		this.end.whenComplete((endedBy, ex) -> release());
	}

	/** Releases the inbox route and the in-flight entry, once. */
	void release() {
		Runnable action = this.release;
		if (action != null && this.released.compareAndSet(false, true)) {
			action.run();
		}
	}

	/** Takes one reply, on the inbox's dispatcher thread. */
	@Override
	public void accept(Message reply) {
		EndedBy endedBy = null;
		synchronized (this.lock) {
			if (this.end.isDone()) {
				return;
			}
			if (reply.isStatusMessage()) {
				// A 503 comes instead of any reply when nobody listens; other statuses
				// are not replies.
				if (reply.getStatus().getCode() == RequestFailures.NO_RESPONDERS && this.replies.isEmpty()) {
					this.end.completeExceptionally(new BusNoRespondersException(this.subject));
				}
				return;
			}
			boolean error = ServiceErrors.isError(reply);
			if (this.sentinel && !error && isEmpty(reply)) {
				endedBy = EndedBy.SENTINEL;
			}
			else {
				this.replies.add(reply);
				if (this.each != null) {
					this.each.accept(reply);
				}
				if (this.sentinel && error) {
					// A streamed reply that ends with an error has nothing more to send.
					endedBy = EndedBy.SENTINEL;
				}
				else if (this.maxReplies > 0 && this.replies.size() >= this.maxReplies) {
					endedBy = EndedBy.MAX_REPLIES;
				}
				else if (this.stall != null) {
					restartStall();
				}
			}
			if (endedBy != null) {
				this.end.complete(endedBy);
			}
		}
	}

	private void restartStall() {
		long remaining = this.maxWaitEndNanos - System.nanoTime();
		this.stalling = this.stall.toNanos() < remaining;
		this.requester.extend(this.end, this.stalling ? this.stall : Duration.ofNanos(Math.max(0, remaining)));
	}

	private static boolean isEmpty(Message reply) {
		byte[] data = reply.getData();
		return data == null || data.length == 0;
	}

	/**
	 * What was gathered, once {@link #end()} is done.
	 * @throws BusException when the gathering failed: no responders, shutting down, the
	 * connection down or lost while it waited, the publish denied
	 */
	Gathered finish() {
		List<Message> gathered;
		boolean stalled;
		synchronized (this.lock) {
			// A reply being added as the end came is complete once the lock is ours.
			gathered = this.replies;
			stalled = this.stalling;
		}
		Duration elapsed = Duration.ofNanos(this.end.endedAt() - this.startNanos);
		try {
			return new Gathered(gathered, this.end.join(), elapsed);
		}
		catch (CancellationException ex) {
			throw new BusException("Gathering replies on '" + this.subject + "' was cancelled", ex);
		}
		catch (CompletionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			if (cause instanceof TimeoutException) {
				BusException lost = RequestFailures.lostWhileGathering(this.subject, this.connection,
						this.reconnectsBefore, gathered.isEmpty());
				if (lost != null) {
					throw lost;
				}
				return new Gathered(gathered, stalled ? EndedBy.STALL : EndedBy.MAX_WAIT, elapsed);
			}
			if (cause instanceof BusException busException) {
				throw busException;
			}
			throw new BusException("Gathering replies on '" + this.subject + "' failed: " + cause, cause);
		}
	}

	/** The end, with the time it came at whichever way it came. */
	private static final class End extends CompletableFuture<EndedBy> {

		private long endedAt;

		private boolean stamped;

		private synchronized void stamp() {
			if (!this.stamped) {
				this.endedAt = System.nanoTime();
				this.stamped = true;
			}
		}

		synchronized long endedAt() {
			return this.stamped ? this.endedAt : System.nanoTime();
		}

		@Override
		public boolean complete(EndedBy value) {
			stamp();
			return super.complete(value);
		}

		@Override
		public boolean completeExceptionally(Throwable ex) {
			stamp();
			return super.completeExceptionally(ex);
		}

		@Override
		public boolean cancel(boolean mayInterruptIfRunning) {
			stamp();
			return super.cancel(mayInterruptIfRunning);
		}

	}

}
