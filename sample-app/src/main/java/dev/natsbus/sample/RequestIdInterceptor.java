package dev.natsbus.sample;

import java.util.UUID;

import dev.natsbus.BusClientInterceptor;
import dev.natsbus.BusListenerInterceptor;
import org.slf4j.MDC;

import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Carries a {@value QuoteSubjects#REQUEST_ID} through every bus call in one place, so
 * that the log lines of both sides correlate and no handler or controller has to pass it
 * by hand. As a bean it is applied on both sides: every message the bus sends gets the id
 * of the work in progress (the HTTP request's header, the message being handled, or a new
 * one); every listener puts the id of its message in the logging context
 * ({@code %X{requestId}}) while it runs, and copies it onto its reply.
 */
@Component
public class RequestIdInterceptor implements BusClientInterceptor, BusListenerInterceptor {

	/** The logging context key. */
	public static final String MDC_KEY = "requestId";

	@Override
	public Message<byte[]> preSend(String subject, Message<byte[]> message) {
		if (message.getHeaders().containsKey(QuoteSubjects.REQUEST_ID)) {
			return message;
		}
		return MessageBuilder.fromMessage(message).setHeader(QuoteSubjects.REQUEST_ID, currentRequestId()).build();
	}

	@Override
	public void beforeHandle(Message<byte[]> message) {
		Object requestId = message.getHeaders().get(QuoteSubjects.REQUEST_ID);
		if (requestId != null) {
			MDC.put(MDC_KEY, requestId.toString());
		}
	}

	@Override
	public Message<byte[]> beforeSendReply(Message<byte[]> request, Message<byte[]> reply) {
		Object requestId = request.getHeaders().get(QuoteSubjects.REQUEST_ID);
		return (requestId != null)
				? MessageBuilder.fromMessage(reply).setHeader(QuoteSubjects.REQUEST_ID, requestId).build() : reply;
	}

	@Override
	public void afterMessageHandled(Message<byte[]> message) {
		MDC.remove(MDC_KEY);
	}

	/**
	 * The id of the message a listener is handling, else of the HTTP request being
	 * served, else a new one.
	 */
	private static String currentRequestId() {
		String requestId = MDC.get(MDC_KEY);
		if (requestId == null && RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes http) {
			requestId = http.getRequest().getHeader(QuoteSubjects.REQUEST_ID);
		}
		return (requestId != null) ? requestId : UUID.randomUUID().toString();
	}

}
