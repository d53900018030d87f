package dev.natsbus.listener.adapter;

import dev.natsbus.BusHeaders;
import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

/**
 * Resolves a parameter of type {@link io.nats.client.Message} to the raw jnats message.
 */
final class NatsMessageArgumentResolver implements HandlerMethodArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return io.nats.client.Message.class.isAssignableFrom(parameter.getParameterType());
	}

	@Override
	public Object resolveArgument(MethodParameter parameter, Message<?> message) {
		return message.getHeaders().get(BusHeaders.RAW_MESSAGE);
	}

}
