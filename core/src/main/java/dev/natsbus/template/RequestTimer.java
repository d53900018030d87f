package dev.natsbus.template;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Makes asynchronous request timeouts exact. jnats only sweeps expired request futures every
 * {@code requestCleanupInterval} (5 s by default), so a timeout would fire up to that late.
 * One daemon thread serves every pending request (no timer per request); cancelled entries
 * are removed at once so that a high request rate does not fill the queue.
 */
public final class RequestTimer implements AutoCloseable {

	private final ScheduledThreadPoolExecutor scheduler;

	public RequestTimer(String name) {
		this.scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
			Thread thread = new Thread(runnable, name);
			thread.setDaemon(true);
			return thread;
		});
		this.scheduler.setRemoveOnCancelPolicy(true);
	}

	/**
	 * Fails {@code future} with a {@link TimeoutException} after {@code timeout} unless it
	 * completes first. The caller cancels the returned timer when the future completes (in the
	 * one completion callback it registers anyway, rather than a second one here).
	 */
	public ScheduledFuture<?> expire(CompletableFuture<?> future, Duration timeout) {
		return this.scheduler.schedule(() -> future.completeExceptionally(new TimeoutException()), timeout.toNanos(),
				TimeUnit.NANOSECONDS);
	}

	@Override
	public void close() {
		this.scheduler.shutdownNow();
	}

}
