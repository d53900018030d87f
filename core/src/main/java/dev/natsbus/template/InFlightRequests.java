package dev.natsbus.template;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The requests whose replies are still awaited, so that a graceful stop can wait for them
 * and then fail the rest with a clear reason rather than leave callers hanging.
 */
public final class InFlightRequests {

	private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();

	private final Object lock = new Object();

	/** Tracks a request until {@link #remove}, which its caller calls once the reply future completes. */
	public void add(CompletableFuture<?> reply) {
		this.pending.add(reply);
	}

	/** Stops tracking a request; wakes a graceful stop waiting for the last one. */
	public void remove(CompletableFuture<?> reply) {
		if (this.pending.remove(reply) && this.pending.isEmpty()) {
			synchronized (this.lock) {
				this.lock.notifyAll();
			}
		}
	}

	public int size() {
		return this.pending.size();
	}

	/** Waits until no request is pending or the timeout passes; true if none is pending. */
	public boolean awaitEmpty(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
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

	/** Fails every pending request, each with its own exception (callers may add to it). */
	public void failAll(Supplier<? extends RuntimeException> failure) {
		for (CompletableFuture<?> reply : this.pending) {
			reply.completeExceptionally(failure.get());
		}
	}

}
