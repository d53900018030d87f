package dev.natsbus.listener.adapter;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

import dev.natsbus.BusException;
import dev.natsbus.BusRemoteException;
import dev.natsbus.BusReplies;
import dev.natsbus.BusServiceException;
import io.nats.client.Message;
import org.jspecify.annotations.Nullable;

/**
 * Answers the {@code BusReplies} that a service's implementation of a
 * {@code @BusRequestMany} method returns: with the sentinel, as a streamed reply (each
 * value one reply, then the first error as an error reply, or the sentinel); without it,
 * with its one value (or its one error), as a gathering without the sentinel reads one
 * reply per instance.
 */
final class ServedRepliesInvocation implements ListenerInvocation {

	private final ListenerInvocation invocation;

	private final boolean sentinel;

	ServedRepliesInvocation(ListenerInvocation invocation, boolean sentinel) {
		this.invocation = invocation;
		this.sentinel = sentinel;
	}

	@Override
	public @Nullable Object invoke(Message message) throws Exception {
		Object result = this.invocation.invoke(message);
		if (result instanceof BusReplies<?> replies) {
			return answer(replies);
		}
		if (result instanceof CompletionStage<?> stage) {
			return stage.thenApply((value) -> (value instanceof BusReplies<?> replies) ? answer(replies) : value);
		}
		return result;
	}

	@Override
	public Class<?> getReturnType() {
		return this.sentinel ? Stream.class : this.invocation.getReturnType();
	}

	private @Nullable Object answer(BusReplies<?> replies) {
		List<?> values = replies.values();
		List<BusException> errors = replies.errors();
		if (this.sentinel) {
			Stream<?> stream = values.stream();
			if (!errors.isEmpty()) {
				BusException error = errors.get(0);
				stream = Stream.concat(stream, Stream.of(error).map((failure) -> {
					throw asReply(failure);
				}));
			}
			return stream;
		}
		if (values.size() == 1 && errors.isEmpty()) {
			return values.get(0);
		}
		if (values.isEmpty() && errors.size() == 1) {
			throw asReply(errors.get(0));
		}
		throw new IllegalStateException("Without the sentinel, a @BusRequestMany is answered with one value per "
				+ "request, not " + values.size() + " values and " + errors.size()
				+ " errors; declare sentinel = true to stream several");
	}

	/** A remote error keeps its code when it is passed on. */
	private static RuntimeException asReply(BusException error) {
		if (error instanceof BusRemoteException remote) {
			return new BusServiceException(remote.getErrorCode(), remote.getRemoteMessage(), remote);
		}
		return error;
	}

}
