package dev.natsbus.template;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.natsbus.BusClientInterceptor;
import dev.natsbus.BusHeaders;
import dev.natsbus.protocol.NatsHeaderMapper;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.Assert;

/**
 * The {@link BusClientInterceptor}s of a template, in order: {@code preSend} first to
 * last on every message before it is sent, {@code postReceive} last to first on every
 * reply before it is read.
 */
final class ClientInterceptors {

	static final ClientInterceptors NONE = new ClientInterceptors(List.of(), new NatsHeaderMapper());

	private final BusClientInterceptor[] interceptors;

	private final NatsHeaderMapper headerMapper;

	private ClientInterceptors(List<BusClientInterceptor> interceptors, NatsHeaderMapper headerMapper) {
		this.interceptors = interceptors.toArray(BusClientInterceptor[]::new);
		this.headerMapper = headerMapper;
	}

	/** {@code interceptors}, in the order given. */
	static ClientInterceptors of(List<? extends BusClientInterceptor> interceptors, NatsHeaderMapper headerMapper) {
		if (interceptors.isEmpty()) {
			return NONE;
		}
		return new ClientInterceptors(List.copyOf(interceptors), headerMapper);
	}

	boolean isEmpty() {
		return this.interceptors.length == 0;
	}

	List<BusClientInterceptor> asList() {
		return List.of(this.interceptors);
	}

	/**
	 * The message as the interceptors want it sent; what they throw refuses the call.
	 * @param headers the NATS headers so far, or {@code null} for none
	 */
	org.springframework.messaging.Message<byte[]> preSend(String subject, @Nullable Headers headers, byte[] body) {
		Map<String, Object> springHeaders = new HashMap<>();
		this.headerMapper.toSpring(headers, springHeaders);
		org.springframework.messaging.Message<byte[]> message = MessageBuilder.createMessage(body,
				new OutgoingHeaders(springHeaders));
		for (BusClientInterceptor interceptor : this.interceptors) {
			message = interceptor.preSend(subject, message);
			Assert.state(message != null,
					() -> "Client interceptor " + interceptor.getClass().getName() + " returned no message");
		}
		return message;
	}

	/** The NATS headers of a message the interceptors returned. */
	@Nullable Headers headers(org.springframework.messaging.Message<byte[]> message) {
		return this.headerMapper.fromSpring(message.getHeaders());
	}

	/**
	 * {@code read}, preceded by {@code postReceive} for every reply that a listener sent
	 * (not the server's status messages).
	 */
	<T> Function<Message, T> reading(String subject, org.springframework.messaging.Message<byte[]> request,
			Function<Message, T> read) {
		return (reply) -> {
			postReceive(subject, request, reply);
			return read.apply(reply);
		};
	}

	/**
	 * Headers without the random id and timestamp that {@link MessageHeaders} makes by
	 * default: they never go on the wire, and making them for every call costs.
	 */
	private static final class OutgoingHeaders extends MessageHeaders {

		OutgoingHeaders(Map<String, Object> headers) {
			super(headers, ID_VALUE_NONE, -1L);
		}

	}

	void postReceive(String subject, org.springframework.messaging.Message<byte[]> request, Message reply) {
		if (reply.isStatusMessage()) {
			return;
		}
		Map<String, Object> headers = new HashMap<>();
		this.headerMapper.toSpring(reply.getHeaders(), headers);
		headers.put(BusHeaders.SUBJECT, reply.getSubject());
		byte[] data = reply.getData();
		org.springframework.messaging.Message<byte[]> springReply = MessageBuilder
			.createMessage((data != null) ? data : new byte[0], new OutgoingHeaders(headers));
		for (int i = this.interceptors.length - 1; i >= 0; i--) {
			this.interceptors[i].postReceive(subject, request, springReply);
		}
	}

}
