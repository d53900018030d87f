package dev.natsbus.listener.adapter;

import io.nats.client.Message;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * A listener invocation whose {@code Mono} results become {@code CompletableFuture}s, so
 * that a {@code Mono} is answered exactly as a future is: the reply when it emits, an
 * empty reply when it completes empty, an error reply (after the error handler) when it
 * fails, and counted by the {@link AsyncReplyTracker} rather than holding a worker. The
 * {@code Mono} is subscribed to at once, on the listener's worker and in the scope of its
 * observation, so that work it does while subscribing counts against the listener's
 * concurrency like the rest of the invocation.
 * <p>
 * Loaded only where Reactor is present ({@link ListenerResults#adaptAsyncResults}).
 */
final class ReactorMonoInvocation implements ListenerInvocation {

	private final ListenerInvocation invocation;

	private ReactorMonoInvocation(ListenerInvocation invocation) {
		this.invocation = invocation;
	}

	/** {@code invocation} with its {@code Mono} results as futures. */
	static ListenerInvocation adapt(ListenerInvocation invocation) {
		if (invocation instanceof ReactorMonoInvocation) {
			return invocation;
		}
		return new ReactorMonoInvocation(invocation);
	}

	@Override
	public @Nullable Object invoke(Message message) throws Exception {
		Object result = this.invocation.invoke(message);
		return (result instanceof Mono<?> mono) ? mono.toFuture() : result;
	}

	@Override
	public Class<?> getReturnType() {
		return this.invocation.getReturnType();
	}

}
