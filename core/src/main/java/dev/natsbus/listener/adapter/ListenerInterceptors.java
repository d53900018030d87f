package dev.natsbus.listener.adapter;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import dev.natsbus.BusHeaders;
import dev.natsbus.BusListenerInterceptor;
import dev.natsbus.protocol.NatsHeaderMapper;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.Assert;

/**
 * The {@link BusListenerInterceptor}s of one listener, in order: {@code beforeHandle}
 * first to last, then the handling, then {@code afterMessageHandled} last to first; and
 * {@code beforeSendReply} last to first before each reply.
 */
public final class ListenerInterceptors {

	private static final Logger logger = LoggerFactory.getLogger(ListenerInterceptors.class);

	private final BusListenerInterceptor[] interceptors;

	private final IncomingMessages incomingMessages;

	private final NatsHeaderMapper headerMapper;

	/**
	 * The request being handled on this thread: a synchronous reply goes out on the
	 * thread that handled the request, so it reuses the Spring message built for
	 * {@code beforeHandle} instead of building another.
	 */
	private final ThreadLocal<org.springframework.messaging.@Nullable Message<byte[]>> handling = new ThreadLocal<>();

	private ListenerInterceptors(List<BusListenerInterceptor> interceptors, IncomingMessages incomingMessages,
			NatsHeaderMapper headerMapper) {
		this.interceptors = interceptors.toArray(BusListenerInterceptor[]::new);
		this.incomingMessages = incomingMessages;
		this.headerMapper = headerMapper;
	}

	/**
	 * The chain of {@code interceptors} in the order given, or {@code null} when there
	 * are none, so that listeners without interceptors do no interceptor work at all.
	 */
	public static @Nullable ListenerInterceptors of(List<? extends BusListenerInterceptor> interceptors,
			IncomingMessages incomingMessages, NatsHeaderMapper headerMapper) {
		if (interceptors.isEmpty()) {
			return null;
		}
		return new ListenerInterceptors(List.copyOf(interceptors), incomingMessages, headerMapper);
	}

	/**
	 * Runs {@code handler} for {@code message} between the interceptors, or
	 * {@code refusal} with the exception of the {@code beforeHandle} that refused it.
	 */
	void handle(Message message, Consumer<Message> handler, BiConsumer<Message, Throwable> refusal) {
		org.springframework.messaging.Message<byte[]> request = this.incomingMessages.toSpring(message);
		int entered = 0;
		this.handling.set(request);
		try {
			try {
				for (; entered < this.interceptors.length; entered++) {
					this.interceptors[entered].beforeHandle(request);
				}
			}
			catch (RuntimeException ex) {
				refusal.accept(message, ex);
				return;
			}
			handler.accept(message);
		}
		finally {
			this.handling.remove();
			for (int i = entered - 1; i >= 0; i--) {
				try {
					this.interceptors[i].afterMessageHandled(request);
				}
				catch (RuntimeException ex) {
					logger.warn("Listener interceptor {} failed after a message on '{}'",
							this.interceptors[i].getClass().getName(), message.getSubject(), ex);
				}
			}
		}
	}

	/**
	 * The reply to {@code request} as the interceptors want it sent.
	 * @param headers the reply's headers, or {@code null} for none
	 * @param body the reply's body
	 */
	InterceptedReply beforeSendReply(Message request, @Nullable Headers headers, byte[] body) {
		org.springframework.messaging.Message<byte[]> springRequest = springRequest(request);
		Map<String, Object> replyHeaders = new HashMap<>();
		this.headerMapper.toSpring(headers, replyHeaders);
		org.springframework.messaging.Message<byte[]> reply = MessageBuilder.createMessage(body,
				new BusMessageHeaders(replyHeaders));
		for (int i = this.interceptors.length - 1; i >= 0; i--) {
			BusListenerInterceptor interceptor = this.interceptors[i];
			reply = interceptor.beforeSendReply(springRequest, reply);
			Assert.state(reply != null,
					() -> "Listener interceptor " + interceptor.getClass().getName() + " returned no reply");
		}
		return new InterceptedReply(this.headerMapper.fromSpring(reply.getHeaders()), reply.getPayload());
	}

	private org.springframework.messaging.Message<byte[]> springRequest(Message request) {
		org.springframework.messaging.Message<byte[]> current = this.handling.get();
		if (current != null && current.getHeaders().get(BusHeaders.RAW_MESSAGE) == request) {
			return current;
		}
		return this.incomingMessages.toSpring(request);
	}

	/**
	 * A reply as the interceptors left it.
	 *
	 * @param headers its NATS headers, or {@code null} for none
	 * @param body its body
	 */
	record InterceptedReply(@Nullable Headers headers, byte[] body) {
	}

}
