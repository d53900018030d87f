package dev.natsbus.contract;

/**
 * What a contract method returns, which decides how the call is made and its reply read.
 * The {@code MONO_} and {@code FLUX} kinds are Reactor's types, known by name so that
 * nothing here needs Reactor.
 */
public enum ReturnKind {

	/**
	 * {@code void} or {@code Void}: a send, or a request that waits for its empty reply.
	 */
	VOID,

	/** The reply converted to the return type. */
	VALUE,

	/** {@code Message<T>}: the reply with its headers. */
	MESSAGE,

	/** {@code CompletableFuture<Void>}. */
	FUTURE_VOID,

	/** {@code CompletableFuture<T>}. */
	FUTURE_VALUE,

	/** {@code CompletableFuture<Message<T>>}. */
	FUTURE_MESSAGE,

	/** {@code Mono<Void>}. */
	MONO_VOID,

	/** {@code Mono<T>}. */
	MONO_VALUE,

	/** {@code Mono<Message<T>>}. */
	MONO_MESSAGE,

	/** {@code BusReplies<T>}. */
	REPLIES,

	/** {@code CompletableFuture<BusReplies<T>>}. */
	FUTURE_REPLIES,

	/** {@code Mono<BusReplies<T>>}. */
	MONO_REPLIES,

	/** {@code Flux<T>}. */
	FLUX;

	/** Whether it is one of Reactor's types. */
	public boolean isReactive() {
		return this == MONO_VOID || this == MONO_VALUE || this == MONO_MESSAGE || this == MONO_REPLIES || this == FLUX;
	}

	/** Whether the reply is read with its headers. */
	public boolean isMessage() {
		return this == MESSAGE || this == FUTURE_MESSAGE || this == MONO_MESSAGE;
	}

	/** Whether the reply is awaited but not read. */
	public boolean isVoid() {
		return this == VOID || this == FUTURE_VOID || this == MONO_VOID;
	}

}
