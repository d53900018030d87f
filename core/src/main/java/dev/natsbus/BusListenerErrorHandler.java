package dev.natsbus;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;

/**
 * Turns the failure of a {@link BusListener} into its reply, in one place rather than in
 * every handler: for example a domain {@code NotFoundException} into a 404, or any
 * failure into a fallback value. Named by {@link BusListener#errorHandler()} for one
 * listener; with Spring Boot, a single bean of this type (or the {@code @Primary} one
 * among several) serves every listener that names none. Shaped like Spring AMQP's
 * {@code RabbitListenerErrorHandler} and Spring Kafka's
 * {@code KafkaListenerErrorHandler}.
 * <p>
 * It sees every failure of the listener: an exception of the handler (the one it threw,
 * or the failure of the {@code CompletableFuture} it returned), a request that could not
 * be read or was not valid
 * ({@link dev.natsbus.listener.adapter.UnreadableRequestException}, answered 400 without
 * a handler), and a {@link BusServiceException} the handler threw on purpose.
 */
@FunctionalInterface
public interface BusListenerErrorHandler {

	/**
	 * Answers a failed message. The return value is the reply, as a handler's would be: a
	 * value, a {@code Message<?>} (a reply with headers), {@code null} (an empty reply),
	 * or a {@code CompletableFuture} of one. To answer with an error, throw: a
	 * {@link BusServiceException} answers with its own code and text; rethrowing
	 * {@code exception} keeps the documented rules (400 for a request that could not be
	 * read, 500 otherwise); any other exception is answered like a handler failure (500).
	 * For a plain send, which has no reply, the value is dropped.
	 * @param message the failed message: its raw body and headers, including those of
	 * {@link BusHeaders}
	 * @param exception why it failed
	 * @return the reply
	 * @throws Exception to answer with an error instead
	 */
	@Nullable Object handleError(Message<byte[]> message, Exception exception) throws Exception;

}
