package dev.natsbus.template;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.natsbus.BusConversionException;
import dev.natsbus.BusException;
import dev.natsbus.BusHeaders;
import dev.natsbus.BusNoRespondersException;
import dev.natsbus.BusRemoteException;
import dev.natsbus.BusReplies;
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

	/**
	 * The gathered replies of a request-many: each converted to {@code type}, or kept as
	 * the exception that says why it is not a value (an error reply, a conversion
	 * failure).
	 */
	<T> BusReplies<T> replies(String subject, Gathered gathered, Type type) {
		List<@Nullable T> values = new ArrayList<>(gathered.replies().size());
		List<BusException> errors = new ArrayList<>();
		for (Message reply : gathered.replies()) {
			try {
				values.add(value(subject, reply, type));
			}
			catch (BusException ex) {
				errors.add(ex);
			}
		}
		return new BusReplies<>(values, errors, gathered.endedBy(), gathered.elapsed());
	}

	/**
	 * One gathered reply converted to {@code type}.
	 * @throws BusException why it is not a value: an error reply, a conversion failure
	 */
	@SuppressWarnings("unchecked")
	<T> @Nullable T value(String subject, Message reply, Type type) {
		try {
			return (T) payload(subject, reply, type);
		}
		catch (BusException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			// A converter of the application's that throws its own exceptions.
			throw new BusConversionException(
					"Cannot read a reply from '" + subject + "' as " + type.getTypeName() + ": " + ex, ex);
		}
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
