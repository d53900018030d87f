package dev.natsbus.listener.adapter;

import java.util.HashMap;
import java.util.Map;

import dev.natsbus.BusHeaders;
import dev.natsbus.protocol.NatsHeaderMapper;
import io.nats.client.Message;

import org.springframework.messaging.support.GenericMessage;

/**
 * Presents an incoming NATS message as a spring-messaging message: the body as a
 * {@code byte[]} payload, the NATS headers, and the {@code nats_*} headers of
 * {@link BusHeaders} (subject, reply subject, the raw message).
 */
public final class IncomingMessages {

	private static final byte[] EMPTY = new byte[0];

	private final NatsHeaderMapper headerMapper;

	public IncomingMessages(NatsHeaderMapper headerMapper) {
		this.headerMapper = headerMapper;
	}

	public GenericMessage<byte[]> toSpring(Message message) {
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

}
