package dev.natsbus.listener.adapter;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import dev.natsbus.BusHeaders;
import dev.natsbus.BusServiceException;
import dev.natsbus.protocol.NatsHeaderMapper;
import dev.natsbus.conversion.PayloadConverter;
import dev.natsbus.protocol.ServiceErrors;
import dev.natsbus.observation.BusListenerObservation;
import dev.natsbus.observation.BusListenerObserver;
import dev.natsbus.protocol.Deadlines;
import dev.natsbus.protocol.Subjects;
import io.micrometer.observation.Observation;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import org.springframework.messaging.support.GenericMessage;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;

/**
 * Handles one incoming message for one listener: resolves the arguments, invokes the
 * method and answers a request with the return value, an empty reply for {@code void}, or
 * an error reply. Every request that carries a valid reply subject gets exactly one
 * answer.
 */
public final class ListenerInvoker {

	private static final byte[] EMPTY = new byte[0];

	private final InvocableHandlerMethod handlerMethod;

	/**
	 * Set when the method takes just its payload: it is then invoked without a Spring
	 * message.
	 */
	private final PayloadParameter payloadParameter;

	private final PayloadConverter converter;

	private final NatsHeaderMapper headerMapper;

	private final ListenerErrorLog errorLog;

	private final EndpointStats stats = new EndpointStats();

	private BusListenerObserver observer;

	public ListenerInvoker(String listenerId, InvocableHandlerMethod handlerMethod, PayloadParameter payloadParameter,
			PayloadConverter converter, NatsHeaderMapper headerMapper) {
		this.handlerMethod = handlerMethod;
		this.payloadParameter = payloadParameter;
		this.converter = converter;
		this.headerMapper = headerMapper;
		this.errorLog = new ListenerErrorLog(listenerId);
	}

	public void onMessage(Message message) {
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
			result = invoke(message);
		}
		catch (Throwable ex) {
			replyError(message, ex, start, observation);
			return;
		}
		if (result instanceof CompletionStage<?> stage) {
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

	private Object invoke(Message message) throws Exception {
		Object payload = (this.payloadParameter != null) ? this.payloadParameter.read(message.getData()) : null;
		if (payload != null) {
			return PayloadParameter.invoke(this.handlerMethod, payload);
		}
		return this.handlerMethod.invoke(toSpringMessage(message));
	}

	/** Observes each invocation from the message's arrival until the reply was sent. */
	public void setObserver(BusListenerObserver observer) {
		this.observer = observer;
	}

	public EndpointStats stats() {
		return this.stats;
	}

	private GenericMessage<byte[]> toSpringMessage(Message message) {
		// Sized for the three nats_* entries plus a few headers, so that it never
		// rehashes.
		Map<String, Object> headers = new HashMap<>(16);
		this.headerMapper.toSpring(message.getHeaders(), headers);
		headers.put(BusHeaders.SUBJECT, message.getSubject());
		if (message.getReplyTo() != null) {
			headers.put(BusHeaders.REPLY_TO, message.getReplyTo());
		}
		headers.put(BusHeaders.RAW_MESSAGE, message);
		byte[] data = message.getData();
		return new GenericMessage<>((data != null) ? data : EMPTY, new BusMessageHeaders(headers));
	}

	private void reply(Message request, Object result, long start, BusListenerObservation observation) {
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

	private void replyError(Message request, Throwable ex, long start, BusListenerObservation observation) {
		int code;
		String text;
		if (ex instanceof BusServiceException serviceException) {
			code = serviceException.getCode();
			text = serviceException.getMessage();
		}
		else if (ex instanceof UnreadableRequestException) {
			code = ServiceErrors.BAD_REQUEST;
			text = ex.getMessage();
			this.errorLog.unreadableRequest(request.getSubject(), ex);
		}
		else {
			code = ServiceErrors.INTERNAL_ERROR;
			text = (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getName();
			this.errorLog.handlerFailed(request.getSubject(), ex);
		}
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
	private boolean publish(Message request, Headers headers, byte[] body) {
		Connection connection = request.getConnection();
		try {
			long size = body.length + ((headers != null) ? headers.serializedLength() : 0);
			if (size > connection.getMaxPayload()) {
				String text = "Reply of " + size + " bytes is over the server's max_payload of "
						+ connection.getMaxPayload() + " bytes";
				this.errorLog.handlerFailed(request.getSubject(), new IllegalStateException(text));
				connection.publish(request.getReplyTo(), ServiceErrors.errorHeaders(ServiceErrors.INTERNAL_ERROR, text),
						EMPTY);
				return false;
			}
			connection.publish(request.getReplyTo(), headers, body);
			return true;
		}
		catch (RuntimeException ex) {
			// The connection is closing or the reply headers were refused: nothing to
			// answer with.
			this.errorLog.handlerFailed(request.getSubject(), ex);
			return false;
		}
	}

	/** A plain send, or a reply subject nobody could subscribe to: no answer. */
	private static boolean canReply(Message request) {
		return Subjects.isReplySubject(request.getReplyTo());
	}

}
