package dev.natsbus.listener.adapter;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

/**
 * Wraps an argument resolver so that its failures are known to be about reading the
 * request, not about the handler: the reply is then a 400, not a 500, with a text in the
 * caller's terms ({@link RequestProblems}).
 */
final class RequestReadingResolver implements HandlerMethodArgumentResolver {

	private final HandlerMethodArgumentResolver delegate;

	RequestReadingResolver(HandlerMethodArgumentResolver delegate) {
		this.delegate = delegate;
	}

	HandlerMethodArgumentResolver delegate() {
		return this.delegate;
	}

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return this.delegate.supportsParameter(parameter);
	}

	@Override
	public Object resolveArgument(MethodParameter parameter, Message<?> message) throws Exception {
		try {
			return this.delegate.resolveArgument(parameter, message);
		}
		catch (Exception ex) {
			throw new UnreadableRequestException(RequestProblems.describe(parameter, message, ex), ex);
		}
	}

}
