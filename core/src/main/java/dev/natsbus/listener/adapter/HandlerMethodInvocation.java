package dev.natsbus.listener.adapter;

import io.nats.client.Message;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;

/**
 * Invokes a handler method for a message: straight from the payload bytes when the method
 * takes just its payload ({@link PayloadParameter}), otherwise through spring-messaging's
 * argument resolution on the message seen as a Spring message.
 */
final class HandlerMethodInvocation implements ListenerInvocation {

	private final InvocableHandlerMethod handlerMethod;

	private final @Nullable PayloadParameter payloadParameter;

	private final IncomingMessages incomingMessages;

	HandlerMethodInvocation(InvocableHandlerMethod handlerMethod, @Nullable PayloadParameter payloadParameter,
			IncomingMessages incomingMessages) {
		this.handlerMethod = handlerMethod;
		this.payloadParameter = payloadParameter;
		this.incomingMessages = incomingMessages;
	}

	@Override
	public @Nullable Object invoke(Message message) throws Exception {
		Object payload = (this.payloadParameter != null) ? this.payloadParameter.read(message.getData()) : null;
		if (payload != null) {
			return PayloadParameter.invoke(this.handlerMethod, payload);
		}
		return this.handlerMethod.invoke(this.incomingMessages.toSpring(message));
	}

	@Override
	public Class<?> getReturnType() {
		return this.handlerMethod.getReturnType().getParameterType();
	}

}
