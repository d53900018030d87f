package dev.natsbus.listener.adapter;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;

/**
 * Counts the replies that asynchronous handlers still owe (and the streamed replies in
 * progress), so that a drain waits for them as well: a handler that returns a
 * {@link CompletionStage} leaves its worker (and the drained dispatcher) long before its
 * reply goes out, and a connection closed in between would lose that reply.
 * <p>
 * {@link #track} wraps a listener's invocation; each stage it returns is relayed through
 * a future whose completion runs the adapter's reply before the count goes down.
 */
public final class AsyncReplyTracker {

	private final Object lock = new Object();

	private int pending;

	/**
	 * {@code invocation}, with each {@link CompletionStage} it returns counted until
	 * replied to.
	 */
	public ListenerInvocation track(ListenerInvocation invocation) {
		return (message) -> relay(invocation.invoke(message));
	}

	/** Replies that asynchronous handlers still owe. */
	public int pending() {
		synchronized (this.lock) {
			return this.pending;
		}
	}

	/** Waits until no reply is owed or {@code timeout} passes; true if none is owed. */
	public boolean awaitNone(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.lock) {
			while (this.pending > 0) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					return false;
				}
				this.lock.wait(Math.max(1, remaining / 1_000_000));
			}
			return true;
		}
	}

	/** Counts a reply owed from now on: a stream in progress, say. */
	void started() {
		synchronized (this.lock) {
			this.pending++;
		}
	}

	/** The reply counted by {@link #started()} went out (or never will). */
	void replied() {
		synchronized (this.lock) {
			if (--this.pending == 0) {
				this.lock.notifyAll();
			}
		}
	}

	private @Nullable Object relay(@Nullable Object result) {
		if (!(result instanceof CompletionStage<?> stage)) {
			return result;
		}
		// The adapter attaches its reply to the relay before the stage can complete it
		// (or,
		// when it completes first, replies at once on its own worker, which the drain
		// awaits): completing the relay runs the reply, and only then does the count go
		// down.
		CompletableFuture<Object> relay = new CompletableFuture<>();
		started();
		stage.whenComplete((value, ex) -> {
			try {
				if (ex != null) {
					relay.completeExceptionally(ex);
				}
				else {
					relay.complete(value);
				}
			}
			finally {
				replied();
			}
		});
		return relay;
	}

}
