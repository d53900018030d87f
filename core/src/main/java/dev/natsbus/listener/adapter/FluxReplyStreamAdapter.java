package dev.natsbus.listener.adapter;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;

/**
 * Streams Reactor {@code Flux} results: one reply per element, then the sentinel; an
 * error signal becomes the error reply that ends the stream. Elements are requested one
 * at a time, each after the previous one was published, so that a fast {@code Flux} is
 * held back by the connection rather than buffered; the subscription is cancelled once
 * the caller's deadline has passed or a reply could not be sent.
 * <p>
 * The {@code Flux} is subscribed to on the listener's worker. A {@code Flux} that emits
 * on the subscribing thread (such as {@code Flux.fromIterable}) holds the worker until it
 * ends, like a {@code Stream}; one that emits on other threads (a scheduler, a reactive
 * client) releases the worker at once, and its reply is counted as owed (a drain waits
 * for it) but not as a busy worker, exactly as a {@code Mono} or a
 * {@code CompletableFuture} result is.
 */
public final class FluxReplyStreamAdapter implements ReplyStreamAdapter {

	@Override
	public boolean supports(Object result, Class<?> declaredType) {
		return result instanceof Flux<?>;
	}

	@Override
	public void emit(Object result, ReplySink sink) {
		((Flux<?>) result).subscribe(new SinkSubscriber(sink));
	}

	/** Pulls one element at a time into the sink. */
	private static final class SinkSubscriber extends BaseSubscriber<@Nullable Object> {

		private final ReplySink sink;

		SinkSubscriber(ReplySink sink) {
			this.sink = sink;
		}

		@Override
		protected void hookOnSubscribe(Subscription subscription) {
			request(1);
		}

		@Override
		protected void hookOnNext(@Nullable Object value) {
			if (this.sink.next(value)) {
				request(1);
			}
			else {
				cancel();
			}
		}

		@Override
		protected void hookOnComplete() {
			this.sink.complete();
		}

		@Override
		protected void hookOnError(Throwable failure) {
			this.sink.error(failure);
		}

	}

}
