package dev.natsbus.listener.adapter;

import io.nats.client.Message;
import org.jspecify.annotations.Nullable;

/**
 * Invokes a listener for one incoming message: a handler method with its arguments
 * resolved, or a handler registered in code. What it returns is the reply (a
 * {@link java.util.concurrent.CompletionStage} replies when it completes); what it throws
 * becomes an error reply.
 */
@FunctionalInterface
public interface ListenerInvocation {

	@Nullable Object invoke(Message message) throws Exception;

	/**
	 * The return type the listener declares, for telling a streamed result from a single
	 * one ({@link ReplyStreamAdapter}); {@code Object} when it declares none.
	 */
	default Class<?> getReturnType() {
		return Object.class;
	}

}
