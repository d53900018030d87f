package dev.natsbus.observation;

import org.jspecify.annotations.Nullable;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.nats.client.Message;
import io.nats.client.impl.Headers;

/**
 * The context of a listener invocation ({@code natsbus.listener}): the message, the
 * listener, and once it has replied, the outcome and the error code of an error reply.
 * The carrier is the message's headers, where the caller's trace context is read from. A
 * request (a message with a reply subject) makes a server span, a plain message a
 * consumer span.
 */
public class BusListenerContext extends ReceiverContext<Headers> {

	private final Message message;

	private final String listenerId;

	private final String subjectPattern;

	private final @Nullable String queue;

	private @Nullable BusOutcome outcome;

	private @Nullable Integer errorCode;

	public BusListenerContext(Message message, String listenerId, String subjectPattern, @Nullable String queue) {
		super(NatsHeadersPropagation.GETTER, isRequest(message) ? Kind.SERVER : Kind.CONSUMER);
		this.message = message;
		this.listenerId = listenerId;
		this.subjectPattern = subjectPattern;
		this.queue = queue;
		setCarrier(message.getHeaders());
		setRemoteServiceName("nats");
	}

	private static boolean isRequest(Message message) {
		String replyTo = message.getReplyTo();
		return replyTo != null && !replyTo.isEmpty();
	}

	/** The message as received. */
	public Message getMessage() {
		return this.message;
	}

	/** The subject the message was received on. */
	public String getMessageSubject() {
		return this.message.getSubject();
	}

	public String getListenerId() {
		return this.listenerId;
	}

	/** The subject the listener subscribes to, possibly with wildcards. */
	public String getSubjectPattern() {
		return this.subjectPattern;
	}

	/** The listener's queue group, or {@code null} for a broadcast listener. */
	public @Nullable String getQueue() {
		return this.queue;
	}

	/** Whether the sender waits for a reply. */
	public boolean isRequest() {
		return getKind() == Kind.SERVER;
	}

	/** How the invocation ended; {@code null} while it runs. */
	public @Nullable BusOutcome getOutcome() {
		return this.outcome;
	}

	public void setOutcome(@Nullable BusOutcome outcome) {
		this.outcome = outcome;
	}

	/**
	 * The code of the error reply the listener sent; {@code null} when it did not fail.
	 */
	public @Nullable Integer getErrorCode() {
		return this.errorCode;
	}

	public void setErrorCode(@Nullable Integer errorCode) {
		this.errorCode = errorCode;
	}

}
