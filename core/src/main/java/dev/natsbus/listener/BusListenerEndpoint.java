package dev.natsbus.listener;

import dev.natsbus.BusListenerErrorHandler;
import dev.natsbus.listener.adapter.BusHandlerMethodFactory;
import dev.natsbus.listener.adapter.IncomingMessages;
import dev.natsbus.listener.adapter.ListenerInvocation;
import org.jspecify.annotations.Nullable;

/**
 * What one listener subscribes to and what it invokes for each message: an annotated
 * method ({@link MethodBusListenerEndpoint}) or a handler registered in code
 * ({@link SimpleBusListenerEndpoint}). Settings it leaves {@code null} come from the
 * {@link BusListenerContainerFactory}.
 */
public interface BusListenerEndpoint {

	/** The id, unique in its registry, for logs, metrics, discovery and management. */
	String getId();

	/** The subject to subscribe to; may contain wildcards. */
	String getSubject();

	/**
	 * The queue group, or {@code null} for the container factory's default (or none, for
	 * a {@linkplain #isBroadcast() broadcast} listener).
	 */
	@Nullable String getQueue();

	/**
	 * Whether the listener subscribes in no queue group, so that every instance receives
	 * every message; a broadcast endpoint has no {@linkplain #getQueue() queue}.
	 */
	default boolean isBroadcast() {
		return false;
	}

	/**
	 * The most invocations that run at once, or {@code null} for the container factory's
	 * default.
	 */
	@Nullable Integer getConcurrency();

	/**
	 * The error handler of this listener, or {@code null} for the container factory's
	 * default.
	 */
	default @Nullable BusListenerErrorHandler getErrorHandler() {
		return null;
	}

	/** What to invoke for each message. */
	ListenerInvocation createInvocation(BusHandlerMethodFactory handlerMethodFactory,
			IncomingMessages incomingMessages);

	/**
	 * Where the listener is declared, for messages (e.g.
	 * {@code QuoteHandlers.quote (bean 'quoteHandlers')}).
	 */
	String describe();

}
