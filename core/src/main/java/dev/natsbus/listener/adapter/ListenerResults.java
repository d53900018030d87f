package dev.natsbus.listener.adapter;

import java.util.List;

import org.springframework.util.ClassUtils;

/**
 * The kinds of listener result that need more than a plain reply, as far as the class
 * path allows: {@code Stream} and {@code Iterable} always; Reactor's {@code Mono} and
 * {@code Flux} where Reactor is present. Reactor is an optional dependency: without it,
 * nothing of it is loaded and listeners work as before.
 */
public final class ListenerResults {

	private static final boolean REACTOR_PRESENT = ClassUtils.isPresent("reactor.core.publisher.Flux",
			ListenerResults.class.getClassLoader());

	private ListenerResults() {
	}

	/**
	 * The reply stream adapters listeners use unless configured otherwise, in the order
	 * they are asked: {@link JavaStreamReplyAdapter}, then {@link FluxReplyStreamAdapter}
	 * where Reactor is present.
	 */
	public static List<ReplyStreamAdapter> defaultReplyStreamAdapters() {
		if (REACTOR_PRESENT) {
			return List.of(new JavaStreamReplyAdapter(), new FluxReplyStreamAdapter());
		}
		return List.of(new JavaStreamReplyAdapter());
	}

	/**
	 * {@code invocation}, with its {@code Mono} results answered as
	 * {@code CompletableFuture} results are (see {@link ReactorMonoInvocation}), where
	 * Reactor is present; {@code invocation} itself otherwise, or when it already is.
	 */
	public static ListenerInvocation adaptAsyncResults(ListenerInvocation invocation) {
		return REACTOR_PRESENT ? ReactorMonoInvocation.adapt(invocation) : invocation;
	}

	/** Whether Reactor is on the class path. */
	static boolean reactorPresent() {
		return REACTOR_PRESENT;
	}

}
