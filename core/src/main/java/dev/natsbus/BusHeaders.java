package dev.natsbus;

/**
 * Names of the spring-messaging headers that nats-bus adds to an incoming message, for
 * use with {@code @Header}: {@code @Header(BusHeaders.SUBJECT) String subject}.
 */
public final class BusHeaders {

	/** The subject the message was published to (useful with wildcard listeners). */
	public static final String SUBJECT = "nats_subject";

	/** The reply subject of a request, absent for a plain send. */
	public static final String REPLY_TO = "nats_replyTo";

	/** The raw jnats {@link io.nats.client.Message}. */
	public static final String RAW_MESSAGE = "nats_rawMessage";

	private BusHeaders() {
	}

}
