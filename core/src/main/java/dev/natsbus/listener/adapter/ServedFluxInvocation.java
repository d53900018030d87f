package dev.natsbus.listener.adapter;

import java.util.List;

import io.nats.client.Message;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * Answers the {@code Flux} that a service's implementation of a {@code @BusRequestMany}
 * method without the sentinel returns, as {@link ServedRepliesInvocation} answers
 * {@code BusReplies}: a gathering without the sentinel reads one reply per instance, so
 * the {@code Flux} is answered with its one element (an empty reply when it has none),
 * and a second element is an error. With the sentinel, a {@code Flux} is streamed
 * ({@link FluxReplyStreamAdapter}) and this class is not involved.
 * <p>
 * Made only for methods declared to return {@code Flux}, which Reactor must be present to
 * declare.
 */
final class ServedFluxInvocation implements ListenerInvocation {

	private final ListenerInvocation invocation;

	ServedFluxInvocation(ListenerInvocation invocation) {
		this.invocation = invocation;
	}

	@Override
	public @Nullable Object invoke(Message message) throws Exception {
		Object result = this.invocation.invoke(message);
		if (!(result instanceof Flux<?> flux)) {
			return result;
		}
		// Two elements are enough to know that the answer cannot be one reply.
		return flux.take(2).collectList().toFuture().thenApply(ServedFluxInvocation::single);
	}

	@Override
	public Class<?> getReturnType() {
		return this.invocation.getReturnType();
	}

	private static @Nullable Object single(List<?> elements) {
		if (elements.size() > 1) {
			throw new IllegalStateException("Without the sentinel, a @BusRequestMany is answered with one value per "
					+ "request, but the Flux emitted more than one; declare sentinel = true to stream several");
		}
		return elements.isEmpty() ? null : elements.get(0);
	}

}
