package dev.natsbus.listener.adapter;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import dev.natsbus.BusPayloadTooLargeException;
import dev.natsbus.conversion.PayloadConverter;
import dev.natsbus.observation.BusListenerObservation;
import dev.natsbus.observation.BusListenerObserver;
import dev.natsbus.protocol.Deadlines;
import dev.natsbus.protocol.MessageSize;
import dev.natsbus.protocol.NatsHeaderMapper;
import dev.natsbus.protocol.ServiceErrors;
import dev.natsbus.protocol.Subjects;
import io.micrometer.observation.Observation;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import org.jspecify.annotations.Nullable;

/**
 * Handles each incoming message of one listener: skips a request whose caller's deadline
 * has passed, invokes the listener, and answers a request in the one place that knows
 * every kind of result: a value, a {@code Message<?>} (with reply headers), {@code void}
 * (an empty reply), a {@link CompletionStage} (when it completes; a Reactor {@code Mono}
 * arrives here as one, see {@link ListenerResults}), a stream of values (one reply each,
 * then the sentinel; see {@link ReplyStreamAdapter}), or an exception (an error reply
 * with the NATS micro service error headers). Every request that carries a valid reply
 * subject gets exactly one answer. Counts what it does ({@link EndpointStats}) and
 * observes each invocation until its reply was sent.
 * <p>
 * Error texts are safe by default ({@link ErrorReplies}): an unexpected failure is
 * answered with 500 and a text that names only the listener and an error id, which the
 * log line with the stack trace repeats. {@link ListenerInterceptors}, when there are
 * any, run around each message and before each reply.
 */
public final class BusMessageListenerAdapter {

	private static final byte[] EMPTY = new byte[0];

	private final ListenerInvocation invocation;

	private final PayloadConverter converter;

	private final NatsHeaderMapper headerMapper;

	private final @Nullable BusListenerObserver observer;

	private final AsyncReplyTracker asyncReplies;

	private final ListenerErrorLog errorLog;

	private final ErrorReplies errorReplies;

	private final EndpointStats stats = new EndpointStats();

	private final Class<?> declaredReturnType;

	private volatile List<ReplyStreamAdapter> replyStreamAdapters = ListenerResults.defaultReplyStreamAdapters();

	private @Nullable ListenerInterceptors interceptors;

	/**
	 * @param listenerId the listener's id, for logs
	 * @param invocation what to invoke for each message
	 * @param converter writes replies
	 * @param headerMapper maps the headers of {@code Message<?>} replies
	 * @param observer observes each invocation, or {@code null} for none
	 * @param asyncReplies counts the replies asynchronous results still owe
	 */
	public BusMessageListenerAdapter(String listenerId, ListenerInvocation invocation, PayloadConverter converter,
			NatsHeaderMapper headerMapper, @Nullable BusListenerObserver observer, AsyncReplyTracker asyncReplies) {
		this.declaredReturnType = invocation.getReturnType();
		this.invocation = asyncReplies.track(invocation);
		this.converter = converter;
		this.headerMapper = headerMapper;
		this.observer = observer;
		this.asyncReplies = asyncReplies;
		this.errorLog = new ListenerErrorLog(listenerId);
		this.errorReplies = new ErrorReplies(listenerId, this.errorLog);
	}

	/**
	 * The interceptors around each message and before each reply, or {@code null} for
	 * none; set before the listener takes messages.
	 */
	public void setInterceptors(@Nullable ListenerInterceptors interceptors) {
		this.interceptors = interceptors;
	}

	/**
	 * Whether the replies to unexpected failures (500) carry the exception's message. Off
	 * by default: they say only that the listener failed, with an error id that its log
	 * line repeats.
	 */
	public void setIncludeErrorMessages(boolean includeErrorMessages) {
		this.errorReplies.setIncludeMessages(includeErrorMessages);
	}

	/**
	 * What this listener has done: requests, errors, processing time, skipped expired
	 * requests.
	 */
	public EndpointStats getStats() {
		return this.stats;
	}

	/** Replies that asynchronous results of this listener still owe. */
	public AsyncReplyTracker getAsyncReplies() {
		return this.asyncReplies;
	}

	/**
	 * The adapters that answer multi-value results with streamed replies (default:
	 * {@link ListenerResults#defaultReplyStreamAdapters()}), asked in order.
	 */
	public void setReplyStreamAdapters(List<ReplyStreamAdapter> replyStreamAdapters) {
		this.replyStreamAdapters = List.copyOf(replyStreamAdapters);
	}

	/** Handles one message, on the thread that delivers it or on a worker. */
	public void onMessage(Message message) {
		ListenerInterceptors chain = this.interceptors;
		if (chain == null || Deadlines.isExpired(message)) {
			handle(message);
			return;
		}
		chain.handle(message, this::handle, this::refuse);
	}

	/** A message an interceptor refused: answered as a failure, without the handler. */
	private void refuse(Message message, Throwable ex) {
		replyError(message, ex, System.nanoTime(), (this.observer != null) ? this.observer.start(message) : null);
	}

	private void handle(Message message) {
		if (Deadlines.isExpired(message)) {
			// The caller has given up: an answer would only cost capacity that live
			// requests need.
			this.stats.recordExpired();
			this.errorLog.expired(message.getSubject());
			return;
		}
		long start = System.nanoTime();
		BusListenerObservation observation = (this.observer != null) ? this.observer.start(message) : null;
		Object result;
		// The scope (none when not observed) closes before the reply, which ends the
		// observation.
		try (Observation.Scope scope = (observation != null) ? observation.openScope() : null) {
			result = this.invocation.invoke(message);
		}
		catch (Throwable ex) {
			replyError(message, ex, start, observation);
			return;
		}
		ReplyStreamAdapter streaming = (result != null) ? replyStreamAdapterFor(result) : null;
		if (streaming != null) {
			stream(message, result, streaming, start, observation);
		}
		else if (result instanceof CompletionStage<?> stage) {
			stage.whenComplete((value, ex) -> {
				if (ex != null) {
					replyError(message,
							(ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex, start,
							observation);
				}
				else {
					reply(message, value, start, observation);
				}
			});
		}
		else {
			reply(message, result, start, observation);
		}
	}

	private @Nullable ReplyStreamAdapter replyStreamAdapterFor(Object result) {
		for (ReplyStreamAdapter adapter : this.replyStreamAdapters) {
			if (adapter.supports(result, this.declaredReturnType)) {
				return adapter;
			}
		}
		return null;
	}

	/**
	 * Answers with one reply per element and the sentinel: one invocation for the stats
	 * and the observation, counted as a reply owed until it ends, so that a drain waits
	 * for it.
	 */
	private void stream(Message request, Object result, ReplyStreamAdapter streaming, long start,
			@Nullable BusListenerObservation observation) {
		if (!canReply(request)) {
			// Nobody reads the replies: do not produce them, but let the stream release
			// what it holds.
			closeQuietly(result);
			reply(request, null, start, observation);
			return;
		}
		this.asyncReplies.started();
		StreamedReply replies = new StreamedReply(request, this.converter, this.headerMapper,
				(headers, body) -> publish(request, headers, body), new StreamedReply.Outcome() {

					@Override
					public void succeeded() {
						BusMessageListenerAdapter.this.stats.recordSuccess(System.nanoTime() - start);
						if (observation != null) {
							observation.succeeded();
						}
						BusMessageListenerAdapter.this.asyncReplies.replied();
					}

					@Override
					public void failed(Throwable failure) {
						replyError(request, failure, start, observation);
						BusMessageListenerAdapter.this.asyncReplies.replied();
					}

					@Override
					public void notSent() {
						BusMessageListenerAdapter.this.stats.recordError(System.nanoTime() - start,
								ServiceErrors.INTERNAL_ERROR, "reply not sent");
						if (observation != null) {
							observation.replyFailed(ServiceErrors.INTERNAL_ERROR);
						}
						BusMessageListenerAdapter.this.asyncReplies.replied();
					}

				});
		replies.emit(streaming, result, observation);
	}

	private static void closeQuietly(Object result) {
		if (result instanceof AutoCloseable closeable) {
			try {
				closeable.close();
			}
			catch (Exception ex) {
				// Nothing to report to: nobody waits for this result.
			}
		}
	}

	private void reply(Message request, @Nullable Object result, long start,
			@Nullable BusListenerObservation observation) {
		if (!canReply(request)) {
			this.stats.recordSuccess(System.nanoTime() - start);
			if (observation != null) {
				observation.succeeded();
			}
			return;
		}
		byte[] body;
		Headers headers = null;
		try {
			if (result instanceof org.springframework.messaging.Message<?> replyMessage) {
				body = this.converter.toBytes(replyMessage.getPayload());
				headers = this.headerMapper.fromSpring(replyMessage.getHeaders());
			}
			else {
				body = this.converter.toBytes(result);
			}
		}
		catch (RuntimeException ex) {
			replyError(request, ex, start, observation);
			return;
		}
		if (publish(request, headers, body)) {
			this.stats.recordSuccess(System.nanoTime() - start);
			if (observation != null) {
				observation.succeeded();
			}
		}
		else {
			this.stats.recordError(System.nanoTime() - start, ServiceErrors.INTERNAL_ERROR, "reply not sent");
			if (observation != null) {
				observation.replyFailed(ServiceErrors.INTERNAL_ERROR);
			}
		}
	}

	private void replyError(Message request, Throwable ex, long start, @Nullable BusListenerObservation observation) {
		ErrorReplies.ErrorReply error = this.errorReplies.of(request.getSubject(), ex);
		int code = error.code();
		String text = error.text();
		this.stats.recordError(System.nanoTime() - start, code, text);
		if (canReply(request)) {
			publish(request, ServiceErrors.errorHeaders(code, text), EMPTY);
		}
		if (observation != null) {
			observation.failed(ex, code);
		}
	}

	/**
	 * Publishes a reply; false when an error reply had to be sent instead or nothing
	 * could be.
	 */
	private boolean publish(Message request, @Nullable Headers headers, byte[] body) {
		Connection connection = request.getConnection();
		ListenerInterceptors chain = this.interceptors;
		if (chain != null) {
			try {
				ListenerInterceptors.InterceptedReply reply = chain.beforeSendReply(request, headers, body);
				headers = reply.headers();
				body = reply.body();
			}
			catch (RuntimeException ex) {
				// This reply cannot go out: the interceptor's failure answers instead.
				ErrorReplies.ErrorReply error = this.errorReplies.of(request.getSubject(), ex);
				publishQuietly(connection, request, ServiceErrors.errorHeaders(error.code(), error.text()));
				return false;
			}
		}
		try {
			MessageSize.check(connection, request.getReplyTo(), headers, body);
			connection.publish(request.getReplyTo(), headers, body);
			return true;
		}
		catch (BusPayloadTooLargeException ex) {
			String text = "Reply of " + ex.getSize() + " bytes is over the server's max_payload of "
					+ ex.getMaxPayload() + " bytes";
			this.errorLog.handlerFailed(request.getSubject(), new IllegalStateException(text));
			publishQuietly(connection, request, ServiceErrors.errorHeaders(ServiceErrors.INTERNAL_ERROR, text));
			return false;
		}
		catch (RuntimeException ex) {
			// The connection is closing or the reply headers were refused: nothing to
			// answer with.
			this.errorLog.handlerFailed(request.getSubject(), ex);
			return false;
		}
	}

	private void publishQuietly(Connection connection, Message request, Headers errorHeaders) {
		try {
			connection.publish(request.getReplyTo(), errorHeaders, EMPTY);
		}
		catch (RuntimeException ex) {
			this.errorLog.handlerFailed(request.getSubject(), ex);
		}
	}

	/** A plain send, or a reply subject nobody could subscribe to: no answer. */
	private static boolean canReply(Message request) {
		return Subjects.isReplySubject(request.getReplyTo());
	}

}
