package dev.natsbus;

import org.springframework.messaging.Message;

/**
 * Intercepts each message a {@link BusListener} handles and each reply it sends, for
 * concerns that every listener shares: read a header, set a thread context such as the
 * logging MDC and clear it, refuse a message (a missing or wrong credential) before the
 * handler runs, or add headers to the reply. Named after spring-messaging's
 * {@code ExecutorChannelInterceptor}.
 * <p>
 * Interceptors run in the order of the container factory's list before the handler, and
 * in reverse order after it and before each reply, like layers around the handler. With
 * Spring Boot, every bean of this type is applied to every listener, in the beans'
 * {@link org.springframework.core.annotation.Order @Order} (or
 * {@link org.springframework.core.Ordered}); without any, listeners do no interceptor
 * work at all. Messages skipped because their caller's deadline has passed are not seen.
 */
public interface BusListenerInterceptor {

	/**
	 * Called before the handler, on the thread that will invoke it. Throw to refuse the
	 * message: the handler is not invoked, and a request is answered as if the handler
	 * had thrown, so a {@link BusServiceException} answers with its own code and text
	 * (for example {@code new BusServiceException(401, "X-Tenant header missing")}) and
	 * anything else with 500. A refusal is deliberate: the listener's
	 * {@link BusListenerErrorHandler} does not see it.
	 * @param message the incoming message: its raw body and headers, including those of
	 * {@link BusHeaders}
	 */
	default void beforeHandle(Message<byte[]> message) {
	}

	/**
	 * Called before each reply is sent, with the reply converted to its bytes: every
	 * reply of the listener, error replies (headers {@code Nats-Service-Error} and
	 * {@code Nats-Service-Error-Code}) and the refusals of interceptors included. Return
	 * the reply to send: the same, or one with headers added. An asynchronous handler's
	 * reply is sent, and this called, on the thread that completes it. An exception
	 * thrown here is answered as a handler failure instead.
	 * @param request the message being answered
	 * @param reply the reply about to be sent
	 * @return the reply to send instead
	 */
	default Message<byte[]> beforeSendReply(Message<byte[]> request, Message<byte[]> reply) {
		return reply;
	}

	/**
	 * Called once the message has been handled, on the thread that called
	 * {@link #beforeHandle}, after the reply of a synchronous handler was sent (an
	 * asynchronous handler may still be working): the place to clear what
	 * {@code beforeHandle} set. Called only when this interceptor's {@code beforeHandle}
	 * returned normally; an exception thrown here is logged and ignored.
	 * @param message the message that was handled
	 */
	default void afterMessageHandled(Message<byte[]> message) {
	}

}
