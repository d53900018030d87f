package dev.natsbus;

import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.messaging.Message;

/**
 * The bus for reactive callers: the operations of {@link BusOperations} as Reactor types.
 * Every {@code Mono} and {@code Flux} is cold: nothing is sent until it is subscribed to,
 * and each subscription sends again. Cancelling the subscription cancels the request (or
 * ends the gathering): its reply is no longer awaited and nothing is delivered late.
 * Failures are the typed exceptions of {@link BusOperations}
 * ({@link BusTimeoutException}, {@link BusNoRespondersException},
 * {@link BusRemoteException}, ...), signalled as errors. Signals are delivered on the
 * template's callback executor, never on a jnats thread.
 * <p>
 * Needs Reactor ({@code io.projectreactor:reactor-core}) on the class path; with Spring
 * Boot, a bean of this type is defined when it is.
 */
public interface ReactiveBusOperations {

	/**
	 * Publishes a message without waiting for a reply, when subscribed to; completes once
	 * it is handed to the connection.
	 */
	Mono<Void> send(String subject, @Nullable Object payload, @Nullable Map<String, ?> headers);

	/** {@link #send(String, Object, Map)} without headers. */
	default Mono<Void> send(String subject, @Nullable Object payload) {
		return send(subject, payload, null);
	}

	/**
	 * Sends a request and emits its reply converted to {@code replyType}; an empty reply
	 * completes the {@code Mono} empty.
	 */
	<T> Mono<T> request(String subject, @Nullable Object payload, ParameterizedTypeReference<T> replyType,
			Duration timeout);

	/** {@link #request(String, Object, ParameterizedTypeReference, Duration)}. */
	default <T> Mono<T> request(String subject, @Nullable Object payload, Class<T> replyType, Duration timeout) {
		return request(subject, payload, ParameterizedTypeReference.forType(replyType), timeout);
	}

	/** A request with the default timeout. */
	default <T> Mono<T> request(String subject, @Nullable Object payload, Class<T> replyType) {
		return request(subject, payload, replyType, getDefaultTimeout());
	}

	/** A request with the default timeout. */
	default <T> Mono<T> request(String subject, @Nullable Object payload, ParameterizedTypeReference<T> replyType) {
		return request(subject, payload, replyType, getDefaultTimeout());
	}

	/**
	 * Sends a request with the headers of {@code request} and emits the reply with its
	 * headers.
	 */
	<T> Mono<Message<T>> requestMessage(String subject, Message<?> request, ParameterizedTypeReference<T> replyType,
			Duration timeout);

	/** {@link #requestMessage(String, Message, ParameterizedTypeReference, Duration)}. */
	default <T> Mono<Message<T>> requestMessage(String subject, Message<?> request, Class<T> replyType,
			Duration timeout) {
		return requestMessage(subject, request, ParameterizedTypeReference.forType(replyType), timeout);
	}

	/**
	 * Sends one request and emits each reply, converted to {@code replyType}, as it
	 * arrives, until {@code options} end the gathering; then completes, or fails with the
	 * first error reply (or unreadable reply) if there was one. Empty replies are not
	 * values (Reactor has no {@code null} element) and are left out. Ending by
	 * {@code maxWait} with no reply at all completes empty, as
	 * {@link BusOperations#requestMany} does; no responders at all fails at once with
	 * {@link BusNoRespondersException}.
	 */
	<T> Flux<T> requestMany(String subject, @Nullable Object payload, ParameterizedTypeReference<T> replyType,
			RequestMany options);

	/** {@link #requestMany(String, Object, ParameterizedTypeReference, RequestMany)}. */
	default <T> Flux<T> requestMany(String subject, @Nullable Object payload, Class<T> replyType, RequestMany options) {
		return requestMany(subject, payload, ParameterizedTypeReference.forType(replyType), options);
	}

	/** The timeout of requests that do not give one. */
	Duration getDefaultTimeout();

}
