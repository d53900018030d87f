package dev.natsbus.template;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * The caller's future of an asynchronous request: cancelling it (or completing it with a
 * {@link CancellationException}) cancels the request, whose reply is then no longer
 * awaited.
 */
final class ReplyFuture<T> extends CompletableFuture<T> {

	private final CompletableFuture<?> request;

	ReplyFuture(CompletableFuture<?> request) {
		this.request = request;
	}

	@Override
	public boolean cancel(boolean mayInterruptIfRunning) {
		boolean cancelled = super.cancel(mayInterruptIfRunning);
		if (cancelled) {
			this.request.cancel(false);
		}
		return cancelled;
	}

	@Override
	public boolean completeExceptionally(Throwable ex) {
		boolean completed = super.completeExceptionally(ex);
		if (completed && ex instanceof CancellationException) {
			this.request.cancel(false);
		}
		return completed;
	}

}
