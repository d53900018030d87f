package dev.natsbus.listener.adapter;

import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

/**
 * The {@code Continuation} that Kotlin adds as the last parameter of a {@code suspend}
 * function: nothing to read from the message, since the coroutine that
 * {@link SuspendingHandlerMethod} starts gives its own.
 */
final class ContinuationArgumentResolver implements HandlerMethodArgumentResolver {

	static final String CONTINUATION = "kotlin.coroutines.Continuation";

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.getParameterType().getName().equals(CONTINUATION);
	}

	@Override
	public @Nullable Object resolveArgument(MethodParameter parameter, Message<?> message) {
		return null;
	}

}
