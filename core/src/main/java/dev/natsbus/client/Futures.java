package dev.natsbus.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * Futures derived from a request's future that keep its promise: cancelling the derived
 * future cancels the request, which {@code thenApply} alone would not do.
 */
final class Futures {

	private Futures() {
	}

	static <S, T> CompletableFuture<T> map(CompletableFuture<S> source, Function<S, @Nullable T> mapping) {
		CompletableFuture<T> mapped = new CompletableFuture<>() {

			@Override
			public boolean cancel(boolean mayInterruptIfRunning) {
				boolean cancelled = super.cancel(mayInterruptIfRunning);
				if (cancelled) {
					source.cancel(mayInterruptIfRunning);
				}
				return cancelled;
			}

		};
		source.whenComplete((value, ex) -> {
			if (ex != null) {
				mapped.completeExceptionally(
						(ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex);
				return;
			}
			try {
				mapped.complete(mapping.apply(value));
			}
			catch (RuntimeException failure) {
				mapped.completeExceptionally(failure);
			}
		});
		return mapped;
	}

}
