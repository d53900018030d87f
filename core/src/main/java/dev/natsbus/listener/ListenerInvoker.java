package dev.natsbus.listener;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import dev.natsbus.BusHeaders;
import dev.natsbus.BusServiceException;
import dev.natsbus.conversion.NatsHeaderMapper;
import dev.natsbus.conversion.PayloadConverter;
import dev.natsbus.micro.ServiceErrors;
import dev.natsbus.support.Subjects;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import org.springframework.messaging.support.GenericMessage;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;

/**
 * Handles one incoming message for one listener: resolves the arguments, invokes the method
 * and answers a request with the return value, an empty reply for {@code void}, or an error
 * reply. Every request that carries a valid reply subject gets exactly one answer.
 */
final class ListenerInvoker {

	private static final byte[] EMPTY = new byte[0];

	private final String listenerId;

	private final InvocableHandlerMethod handlerMethod;

	private final PayloadConverter converter;

	private final NatsHeaderMapper headerMapper;

	private final ListenerErrorLog errorLog;

	ListenerInvoker(String listenerId, InvocableHandlerMethod handlerMethod, PayloadConverter converter,
			NatsHeaderMapper headerMapper) {
		this.listenerId = listenerId;
		this.handlerMethod = handlerMethod;
		this.converter = converter;
		this.headerMapper = headerMapper;
		this.errorLog = new ListenerErrorLog(listenerId);
	}

	void onMessage(Message message) {
		Object result;
		try {
			result = this.handlerMethod.invoke(toSpringMessage(message));
		}
		catch (Throwable ex) {
			replyError(message, ex);
			return;
		}
		if (result instanceof CompletionStage<?> stage) {
			stage.whenComplete((value, ex) -> {
				if (ex != null) {
					replyError(message, (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex);
				}
				else {
					reply(message, value);
				}
			});
		}
		else {
			reply(message, result);
		}
	}

	private GenericMessage<byte[]> toSpringMessage(Message message) {
		Map<String, Object> headers = new HashMap<>();
		this.headerMapper.toSpring(message.getHeaders(), headers);
		headers.put(BusHeaders.SUBJECT, message.getSubject());
		if (message.getReplyTo() != null) {
			headers.put(BusHeaders.REPLY_TO, message.getReplyTo());
		}
		headers.put(BusHeaders.RAW_MESSAGE, message);
		byte[] data = message.getData();
		return new GenericMessage<>((data != null) ? data : EMPTY, new BusMessageHeaders(headers));
	}

	private void reply(Message request, Object result) {
		if (!canReply(request)) {
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
			replyError(request, ex);
			return;
		}
		publish(request, headers, body);
	}

	private void replyError(Message request, Throwable ex) {
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
		if (canReply(request)) {
			publish(request, ServiceErrors.errorHeaders(code, text), EMPTY);
		}
	}

	private void publish(Message request, Headers headers, byte[] body) {
		Connection connection = request.getConnection();
		try {
			long size = body.length + ((headers != null) ? headers.serializedLength() : 0);
			if (size > connection.getMaxPayload()) {
				String text = "Reply of " + size + " bytes is over the server's max_payload of "
						+ connection.getMaxPayload() + " bytes";
				this.errorLog.handlerFailed(request.getSubject(), new IllegalStateException(text));
				connection.publish(request.getReplyTo(),
						ServiceErrors.errorHeaders(ServiceErrors.INTERNAL_ERROR, text), EMPTY);
				return;
			}
			connection.publish(request.getReplyTo(), headers, body);
		}
		catch (RuntimeException ex) {
			// The connection is closing or the reply headers were refused: nothing to answer with.
			this.errorLog.handlerFailed(request.getSubject(), ex);
		}
	}

	/** A plain send, or a reply subject nobody could subscribe to: no answer. */
	private static boolean canReply(Message request) {
		String replyTo = request.getReplyTo();
		if (replyTo == null || replyTo.isEmpty()) {
			return false;
		}
		try {
			Subjects.requirePublishable(replyTo);
			return true;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	String listenerId() {
		return this.listenerId;
	}

}
