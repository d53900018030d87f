package dev.natsbus;

import org.springframework.messaging.Message;

/**
 * Intercepts what a {@code BusTemplate} sends and the replies it receives, for concerns
 * that every call shares (a tenant or caller-identity header, a correlation id, an access
 * check). Named after spring-messaging's {@code ChannelInterceptor}.
 * <p>
 * Interceptors run in the order of the template's list before a message is sent, and in
 * reverse order when its reply arrives, like layers around the call. With Spring Boot,
 * every bean of this type is applied to every {@code BusTemplate}, in the beans'
 * {@link org.springframework.core.annotation.Order @Order} (or
 * {@link org.springframework.core.Ordered}); without any, the template does no
 * interceptor work at all.
 */
public interface BusClientInterceptor {

	/**
	 * Called for every {@code send} and request before it is sent, with the payload
	 * already converted to its bytes, on the calling thread. Return the message to send:
	 * the same, or one with headers added or changed (for example with
	 * {@code MessageBuilder.fromMessage(message).setHeader(...)}). Throw to refuse the
	 * call: nothing is sent, and the exception reaches the caller unchanged (through the
	 * future of an asynchronous request); throw a {@link BusException} subclass to keep
	 * the promise of {@link BusOperations} that every failure is one.
	 * @param subject where the message goes
	 * @param message the converted payload and the headers that will go on the wire
	 * @return the message to send instead
	 */
	default Message<byte[]> preSend(String subject, Message<byte[]> message) {
		return message;
	}

	/**
	 * Called for every reply that arrives, before it is converted or an error reply
	 * becomes a {@link BusRemoteException}: on the calling thread for a synchronous
	 * request, on the template's callback executor for an asynchronous one, never on a
	 * jnats thread. Not called when no reply arrives (timeout, no responders). An
	 * exception thrown here fails the call with it.
	 * @param subject the subject the request was sent to
	 * @param request the request as it was sent
	 * @param reply the reply, with its raw body and its headers (error replies carry
	 * {@code Nats-Service-Error-Code})
	 */
	default void postReceive(String subject, Message<byte[]> request, Message<byte[]> reply) {
	}

}
