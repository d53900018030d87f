package dev.natsbus.listener.adapter;

/**
 * Answers a listener's multi-value result with one reply per element and then the
 * sentinel, so that {@code requestMany(..., RequestMany.sentinel())} and nats.js
 * {@code requestMany} with the sentinel strategy read it: {@link JavaStreamReplyAdapter}
 * for {@code java.util.stream.Stream} and {@code Iterable}; other kinds of result (such
 * as Reactor's {@code Flux}) plug in with an adapter of their own on the
 * {@code BusListenerContainerFactory}.
 * <p>
 * Elements go to the {@link ReplySink} as they are produced, never all gathered first; an
 * adapter stops producing as soon as the sink wants no more.
 */
public interface ReplyStreamAdapter {

	/**
	 * Whether {@code result} is answered as a stream of replies.
	 * @param result what the listener returned, never {@code null}
	 * @param declaredType the return type the listener declares ({@code Object} for a
	 * handler registered in code), so that a {@code List} declared as such stays one
	 * reply
	 */
	boolean supports(Object result, Class<?> declaredType);

	/**
	 * Hands the elements of {@code result} to {@code sink} and ends it. A synchronous
	 * adapter does so on the calling thread (the listener's worker, which the stream then
	 * holds, so that the listener's concurrency bounds streams too); an asynchronous one
	 * may return at once and end the sink later.
	 */
	void emit(Object result, ReplySink sink);

}
