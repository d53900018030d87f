package dev.natsbus.listener.adapter;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.function.Predicate;

import dev.natsbus.BusHeaders;
import dev.natsbus.protocol.Deadlines;
import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.DestinationVariable;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

/**
 * Resolves the {@code Duration} parameter of a listener that serves a {@code @BusClient}
 * method, the caller's timeout, to what is left of it: the time until the deadline the
 * request carries, never negative, or {@code null} when it carries none (a plain
 * {@code send}, or a caller that does not send deadlines).
 */
final class TimeLeftArgumentResolver implements HandlerMethodArgumentResolver {

	private final Predicate<Method> served;

	/**
	 * @param served whether a method serves a {@code @BusClient} method
	 */
	TimeLeftArgumentResolver(Predicate<Method> served) {
		this.served = served;
	}

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.getParameterType() == Duration.class && parameter.getMethod() != null
				&& this.served.test(parameter.getMethod()) && !parameter.hasParameterAnnotation(Payload.class)
				&& !parameter.hasParameterAnnotation(Header.class) && !parameter.hasParameterAnnotation(Headers.class)
				&& !parameter.hasParameterAnnotation(DestinationVariable.class);
	}

	@Override
	public @Nullable Object resolveArgument(MethodParameter parameter, Message<?> message) {
		if (!(message.getHeaders().get(BusHeaders.RAW_MESSAGE) instanceof io.nats.client.Message raw)) {
			return null;
		}
		long deadline = Deadlines.deadlineMillis(raw);
		if (deadline == Long.MAX_VALUE) {
			return null;
		}
		return Duration.ofMillis(Math.max(0, deadline - System.currentTimeMillis()));
	}

}
