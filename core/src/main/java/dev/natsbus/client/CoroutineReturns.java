package dev.natsbus.client;

import java.util.concurrent.CompletableFuture;

import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlinx.coroutines.future.FutureKt;

import org.springframework.util.ClassUtils;

/**
 * Kotlin's suspending calls, the only class of nats-bus that names coroutines: it is
 * loaded when a client method is a {@code suspend} function, which cannot be declared
 * without Kotlin. The calling coroutine is suspended, no thread waits, until the reply's
 * future completes; its failure is thrown to the coroutine as it is, and cancelling the
 * coroutine cancels the future, which cancels the request.
 */
final class CoroutineReturns {

	private static final String AWAIT = "kotlinx.coroutines.future.FutureKt";

	private CoroutineReturns() {
	}

	/** Whether kotlinx-coroutines can be loaded by {@code classLoader}. */
	static boolean isPresent(ClassLoader classLoader) {
		return ClassUtils.isPresent(AWAIT, classLoader);
	}

	/**
	 * Suspends the coroutine of {@code continuation} until {@code reply} completes.
	 * @return the reply, or the marker that the coroutine is suspended
	 */
	@SuppressWarnings("unchecked")
	static Object await(CompletableFuture<?> reply, Object continuation) {
		return FutureKt.await(reply, (Continuation<Object>) continuation);
	}

	/** What a {@code suspend} function that returns nothing returns. */
	static Object unit() {
		return Unit.INSTANCE;
	}

}
