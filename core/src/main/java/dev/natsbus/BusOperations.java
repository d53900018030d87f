package dev.natsbus;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.messaging.Message;

/**
 * Sending and requesting over the bus. Implemented by {@link BusTemplate}; an interface
 * so that callers can be tested with a stand-in.
 * <p>
 * Payloads follow one wire format: {@code byte[]} as is, {@code String} as UTF-8,
 * anything else as JSON. Every call validates its subject first and throws
 * {@link IllegalArgumentException} for an empty one, one with whitespace or with
 * wildcards, before anything is sent. Requests fail with {@link BusTimeoutException},
 * {@link BusNoRespondersException}, {@link BusRemoteException},
 * {@link BusConversionException}, {@link BusConnectionException} or
 * {@link BusPayloadTooLargeException}, all of them {@link BusException}s. Asynchronous
 * variants report them through the returned future, which never completes on a jnats
 * thread.
 */
public interface BusOperations {

	/** Publishes a payload without waiting for anyone (fire and forget). */
	void send(String subject, Object payload);

	/**
	 * Publishes a payload with headers (String values, or collections of them for
	 * repeated headers).
	 */
	void send(String subject, Object payload, Map<String, ?> headers);

	/**
	 * Sends a request and returns the converted reply, waiting at most the default
	 * timeout.
	 */
	<T> T request(String subject, Object payload, Class<T> replyType);

	/**
	 * Sends a request and returns the converted reply, waiting at most {@code timeout}.
	 */
	<T> T request(String subject, Object payload, Class<T> replyType, Duration timeout);

	/** Sends a request whose reply has a generic type, such as {@code List<Quote>}. */
	<T> T request(String subject, Object payload, ParameterizedTypeReference<T> replyType);

	/**
	 * Sends a request whose reply has a generic type, waiting at most {@code timeout}.
	 */
	<T> T request(String subject, Object payload, ParameterizedTypeReference<T> replyType, Duration timeout);

	/** Sends a request; the future completes with the reply or a {@link BusException}. */
	<T> CompletableFuture<T> requestAsync(String subject, Object payload, Class<T> replyType);

	<T> CompletableFuture<T> requestAsync(String subject, Object payload, Class<T> replyType, Duration timeout);

	<T> CompletableFuture<T> requestAsync(String subject, Object payload, ParameterizedTypeReference<T> replyType);

	<T> CompletableFuture<T> requestAsync(String subject, Object payload, ParameterizedTypeReference<T> replyType,
			Duration timeout);

	/**
	 * Sends a request message (payload and headers) and returns the reply message with
	 * its headers, waiting at most {@code timeout}.
	 */
	<T> Message<T> requestMessage(String subject, Message<?> request, Class<T> replyType, Duration timeout);

	/**
	 * Sends a request message and returns the reply message, waiting at most the default
	 * timeout.
	 */
	<T> Message<T> requestMessage(String subject, Message<?> request, Class<T> replyType);

	<T> Message<T> requestMessage(String subject, Message<?> request, ParameterizedTypeReference<T> replyType,
			Duration timeout);

	<T> CompletableFuture<Message<T>> requestMessageAsync(String subject, Message<?> request, Class<T> replyType,
			Duration timeout);

}
