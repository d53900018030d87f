package dev.natsbus;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.messaging.Message;

/**
 * Sending and requesting over the bus. Implemented by {@code BusTemplate}; an interface
 * so that callers can be tested with a stand-in and wrapped (see {@link #withRetry}).
 * <p>
 * Payloads follow one wire format: {@code byte[]} as is, {@code String} as UTF-8,
 * {@code null} as an empty body, anything else as JSON. Each family of calls has four
 * forms (reply type as a {@code Class} or a {@link ParameterizedTypeReference}, with or
 * without a timeout; {@code requestMany} takes {@link RequestMany} options instead of a
 * timeout); only the most general form of each is abstract.
 * <p>
 * Every call checks its subject first and throws {@link IllegalArgumentException} for an
 * empty one, one with whitespace or control characters, or one with wildcards, before
 * anything is sent (asynchronous calls too). Everything else that fails is a
 * {@link BusException}:
 * <ul>
 * <li>{@link BusTimeoutException}: no reply within the timeout;</li>
 * <li>{@link BusNoRespondersException}: nobody listens on the subject (known at
 * once);</li>
 * <li>{@link BusRemoteException}: the listener answered with an error reply;</li>
 * <li>{@link BusConversionException}: the payload or the reply cannot be converted;</li>
 * <li>{@link BusPayloadTooLargeException}: headers and body exceed the server's
 * {@code max_payload} (nothing is sent);</li>
 * <li>{@link BusPermissionException}: the server denies this connection publishing to the
 * subject;</li>
 * <li>{@link BusConnectionException}: not connected, the connection was lost while
 * waiting, or the bus is shutting down.</li>
 * </ul>
 * Asynchronous variants report these through the returned future, which never completes
 * on a jnats thread.
 */
public interface BusOperations {

	// send

	/**
	 * Publishes a payload with headers without waiting for anyone (fire and forget).
	 * @param headers header values: strings, or collections of them for repeated headers;
	 * may be {@code null}
	 */
	void send(String subject, @Nullable Object payload, @Nullable Map<String, ?> headers);

	/** Publishes a payload without waiting for anyone (fire and forget). */
	default void send(String subject, @Nullable Object payload) {
		send(subject, payload, null);
	}

	// request

	/**
	 * Sends a request and returns the reply converted to {@code replyType}, waiting at
	 * most {@code timeout}.
	 */
	<T> @Nullable T request(String subject, @Nullable Object payload, ParameterizedTypeReference<T> replyType,
			Duration timeout);

	/**
	 * Sends a request and returns the converted reply, waiting at most the default
	 * timeout.
	 */
	default <T> @Nullable T request(String subject, @Nullable Object payload, ParameterizedTypeReference<T> replyType) {
		return request(subject, payload, replyType, getDefaultTimeout());
	}

	/**
	 * Sends a request and returns the converted reply, waiting at most {@code timeout}.
	 */
	default <T> @Nullable T request(String subject, @Nullable Object payload, Class<T> replyType, Duration timeout) {
		return request(subject, payload, ParameterizedTypeReference.forType(replyType), timeout);
	}

	/**
	 * Sends a request and returns the converted reply, waiting at most the default
	 * timeout.
	 */
	default <T> @Nullable T request(String subject, @Nullable Object payload, Class<T> replyType) {
		return request(subject, payload, replyType, getDefaultTimeout());
	}

	// requestAsync

	/**
	 * Sends a request; the future completes with the converted reply or a
	 * {@link BusException}.
	 */
	<T> CompletableFuture<T> requestAsync(String subject, @Nullable Object payload,
			ParameterizedTypeReference<T> replyType, Duration timeout);

	/**
	 * Sends a request; the future completes with the converted reply or a
	 * {@link BusException}.
	 */
	default <T> CompletableFuture<T> requestAsync(String subject, @Nullable Object payload,
			ParameterizedTypeReference<T> replyType) {
		return requestAsync(subject, payload, replyType, getDefaultTimeout());
	}

	/**
	 * Sends a request; the future completes with the converted reply or a
	 * {@link BusException}.
	 */
	default <T> CompletableFuture<T> requestAsync(String subject, @Nullable Object payload, Class<T> replyType,
			Duration timeout) {
		return requestAsync(subject, payload, ParameterizedTypeReference.forType(replyType), timeout);
	}

	/**
	 * Sends a request; the future completes with the converted reply or a
	 * {@link BusException}.
	 */
	default <T> CompletableFuture<T> requestAsync(String subject, @Nullable Object payload, Class<T> replyType) {
		return requestAsync(subject, payload, replyType, getDefaultTimeout());
	}

	// requestMessage

	/**
	 * Sends a request message (payload and headers) and returns the reply message with
	 * its headers, waiting at most {@code timeout}.
	 */
	<T> Message<T> requestMessage(String subject, Message<?> request, ParameterizedTypeReference<T> replyType,
			Duration timeout);

	/**
	 * Sends a request message and returns the reply message, waiting at most the default
	 * timeout.
	 */
	default <T> Message<T> requestMessage(String subject, Message<?> request, ParameterizedTypeReference<T> replyType) {
		return requestMessage(subject, request, replyType, getDefaultTimeout());
	}

	/**
	 * Sends a request message and returns the reply message, waiting at most
	 * {@code timeout}.
	 */
	default <T> Message<T> requestMessage(String subject, Message<?> request, Class<T> replyType, Duration timeout) {
		return requestMessage(subject, request, ParameterizedTypeReference.forType(replyType), timeout);
	}

	/**
	 * Sends a request message and returns the reply message, waiting at most the default
	 * timeout.
	 */
	default <T> Message<T> requestMessage(String subject, Message<?> request, Class<T> replyType) {
		return requestMessage(subject, request, replyType, getDefaultTimeout());
	}

	// requestMessageAsync

	/**
	 * Sends a request message; the future completes with the reply message or a
	 * {@link BusException}.
	 */
	<T> CompletableFuture<Message<T>> requestMessageAsync(String subject, Message<?> request,
			ParameterizedTypeReference<T> replyType, Duration timeout);

	/**
	 * Sends a request message; the future completes with the reply message or a
	 * {@link BusException}.
	 */
	default <T> CompletableFuture<Message<T>> requestMessageAsync(String subject, Message<?> request,
			ParameterizedTypeReference<T> replyType) {
		return requestMessageAsync(subject, request, replyType, getDefaultTimeout());
	}

	/**
	 * Sends a request message; the future completes with the reply message or a
	 * {@link BusException}.
	 */
	default <T> CompletableFuture<Message<T>> requestMessageAsync(String subject, Message<?> request,
			Class<T> replyType, Duration timeout) {
		return requestMessageAsync(subject, request, ParameterizedTypeReference.forType(replyType), timeout);
	}

	/**
	 * Sends a request message; the future completes with the reply message or a
	 * {@link BusException}.
	 */
	default <T> CompletableFuture<Message<T>> requestMessageAsync(String subject, Message<?> request,
			Class<T> replyType) {
		return requestMessageAsync(subject, request, replyType, getDefaultTimeout());
	}

	// requestMany: one request, every reply within the options

	/**
	 * Sends one request and gathers every reply until {@code options} end the gathering
	 * (scatter-gather, or a streamed reply ended by the sentinel), blocking until then.
	 * Replies are converted to {@code replyType}; error replies and replies that cannot
	 * be converted are kept as {@link BusReplies#errors()}, not thrown. Reaching the
	 * total time is an ordinary end, even with no reply. Thrown:
	 * {@link BusNoRespondersException} when nobody listens (at once),
	 * {@link BusConnectionException} when the connection is down or was lost while
	 * gathering, or the bus stops; the request carries its deadline (the total time) like
	 * any request.
	 */
	<T> BusReplies<T> requestMany(String subject, @Nullable Object payload, ParameterizedTypeReference<T> replyType,
			RequestMany options);

	/**
	 * Sends one request and gathers every reply until {@code options} end the gathering;
	 * see {@link #requestMany(String, Object, ParameterizedTypeReference, RequestMany)}.
	 */
	default <T> BusReplies<T> requestMany(String subject, @Nullable Object payload, Class<T> replyType,
			RequestMany options) {
		return requestMany(subject, payload, ParameterizedTypeReference.forType(replyType), options);
	}

	/**
	 * Sends one request and gathers every reply until {@code options} end the gathering;
	 * the future completes with what was gathered or a {@link BusException}, and
	 * cancelling it stops the gathering.
	 */
	<T> CompletableFuture<BusReplies<T>> requestManyAsync(String subject, @Nullable Object payload,
			ParameterizedTypeReference<T> replyType, RequestMany options);

	/**
	 * Sends one request and gathers every reply until {@code options} end the gathering;
	 * the future completes with what was gathered or a {@link BusException}.
	 */
	default <T> CompletableFuture<BusReplies<T>> requestManyAsync(String subject, @Nullable Object payload,
			Class<T> replyType, RequestMany options) {
		return requestManyAsync(subject, payload, ParameterizedTypeReference.forType(replyType), options);
	}

	// settings and views

	/** The timeout of requests that do not name one. */
	Duration getDefaultTimeout();

	/**
	 * A view of these operations whose requests are retried under {@code retryPolicy},
	 * for idempotent requests that should ride through a failover or a redeploy. Only
	 * {@link BusNoRespondersException} and {@link BusConnectionException} are retried
	 * (the policy may narrow them further), never remote errors, timeouts or conversion
	 * errors, and nothing once the bus is shutting down. Asynchronous retries wait
	 * without holding a thread. {@code send} is not retried. On a retrying view this
	 * replaces its policy.
	 */
	BusOperations withRetry(RetryPolicy retryPolicy);

}
