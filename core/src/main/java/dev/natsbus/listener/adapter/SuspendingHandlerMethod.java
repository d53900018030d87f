package dev.natsbus.listener.adapter;

import java.lang.reflect.Method;

import org.jspecify.annotations.Nullable;

import org.springframework.core.CoroutinesUtils;
import org.springframework.core.KotlinDetector;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.util.ClassUtils;

/**
 * A Kotlin {@code suspend} function as a handler method. spring-messaging's
 * {@link InvocableHandlerMethod} calls methods reflectively, which a suspend function
 * does not allow (its last parameter, the {@code Continuation}, is Kotlin's to give);
 * this one starts it as a coroutine through Spring's {@link CoroutinesUtils}, which
 * returns a {@code Mono} of its result (a {@code Flux} for a {@code Flow}), answered as
 * any {@code Mono} or {@code Flux} a listener returns ({@link ListenerResults}). The
 * coroutine runs on the listener's worker until it first suspends, and resumes wherever
 * what it awaits completes.
 */
final class SuspendingHandlerMethod extends InvocableHandlerMethod {

	private static final String[] REQUIRED = { "kotlin.reflect.full.KClasses", "kotlinx.coroutines.reactor.MonoKt",
			"reactor.core.publisher.Mono" };

	SuspendingHandlerMethod(Object bean, Method method) {
		super(bean, method);
	}

	/** Whether {@code method} is a Kotlin {@code suspend} function. */
	static boolean isSuspending(Method method) {
		return KotlinDetector.isSuspendingFunction(method);
	}

	/**
	 * Checks that what Spring invokes suspend functions with is on the class path.
	 * @throws IllegalStateException naming what is missing
	 */
	static void checkSupported(Method method) {
		ClassLoader classLoader = method.getDeclaringClass().getClassLoader();
		for (String required : REQUIRED) {
			if (!ClassUtils.isPresent(required, classLoader)) {
				throw new IllegalStateException("the method is a suspend function, which Spring invokes with "
						+ "kotlin-reflect, kotlinx-coroutines-reactor and Reactor; add them to the application ("
						+ required + " is missing)");
			}
		}
	}

	@Override
	protected @Nullable Object doInvoke(@Nullable Object... args) throws Exception {
		return CoroutinesUtils.invokeSuspendingFunction(getBridgedMethod(), getBean(), args);
	}

}
