package dev.natsbus.template;

import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.Map;

import dev.natsbus.BusHeaders;
import dev.natsbus.BusNoRespondersException;
import dev.natsbus.BusRemoteException;
import dev.natsbus.conversion.PayloadConverter;
import dev.natsbus.protocol.NatsHeaderMapper;
import dev.natsbus.protocol.ServiceErrors;
import io.nats.client.Message;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Turns a reply into the caller's result: its payload converted, or the whole message
 * with its headers; an error reply or the server's "no responders" into the typed
 * exception.
 */
final class ReplyReader {

	private final PayloadConverter converter;

	private final NatsHeaderMapper headerMapper;

	ReplyReader(PayloadConverter converter, NatsHeaderMapper headerMapper) {
		this.converter = converter;
		this.headerMapper = headerMapper;
	}

	/**
	 * The reply's payload as {@code type}, or the exception its error headers describe.
	 */
	@Nullable Object payload(String subject, Message reply, Type type) {
		checkReply(subject, reply);
		return this.converter.fromBytes(reply.getData(), type);
	}

	/** The reply as a spring-messaging message with its headers. */
	org.springframework.messaging.Message<Object> message(String subject, Message reply, Type type) {
		Object payload = payload(subject, reply, type);
		Map<String, Object> headers = new HashMap<>();
		this.headerMapper.toSpring(reply.getHeaders(), headers);
		headers.put(BusHeaders.SUBJECT, reply.getSubject());
		return MessageBuilder.createMessage((payload != null) ? payload : new byte[0], new MessageHeaders(headers));
	}

	private static void checkReply(String subject, Message reply) {
		if (reply.isStatusMessage() && reply.getStatus().getCode() == RequestFailures.NO_RESPONDERS) {
			throw new BusNoRespondersException(subject);
		}
		if (ServiceErrors.isError(reply)) {
			throw new BusRemoteException(subject, ServiceErrors.code(reply), ServiceErrors.text(reply));
		}
	}

}
