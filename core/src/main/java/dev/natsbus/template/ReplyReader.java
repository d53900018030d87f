package dev.natsbus.template;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import dev.natsbus.BusConnectionException;
import dev.natsbus.BusException;
import dev.natsbus.BusHeaders;
import dev.natsbus.BusNoRespondersException;
import dev.natsbus.BusPermissionException;
import dev.natsbus.BusRemoteException;
import dev.natsbus.BusTimeoutException;
import dev.natsbus.protocol.NatsHeaderMapper;
import dev.natsbus.conversion.PayloadConverter;
import dev.natsbus.protocol.ServiceErrors;
import io.nats.client.Connection;
import io.nats.client.JetStreamStatusException;
import io.nats.client.Message;
import io.nats.client.support.NatsRequestCompletableFuture;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Turns what came back for a request (a reply or a jnats failure) into the caller's
 * result or a typed {@link BusException}.
 */
public final class ReplyReader {

	private static final int NO_RESPONDERS = 503;

	private final PayloadConverter converter;

	private final NatsHeaderMapper headerMapper;

	public ReplyReader(PayloadConverter converter, NatsHeaderMapper headerMapper) {
		this.converter = converter;
		this.headerMapper = headerMapper;
	}

	/**
	 * The reply's payload as {@code type}, or the exception its error headers describe.
	 */
	public Object payload(String subject, Message reply, Type type) {
		checkReply(subject, reply);
		return this.converter.fromBytes(reply.getData(), type);
	}

	/** The reply as a spring-messaging message with its headers. */
	public org.springframework.messaging.Message<Object> message(String subject, Message reply, Type type) {
		Object payload = payload(subject, reply, type);
		Map<String, Object> headers = new HashMap<>();
		this.headerMapper.toSpring(reply.getHeaders(), headers);
		headers.put(BusHeaders.SUBJECT, reply.getSubject());
		return MessageBuilder.createMessage((payload != null) ? payload : new byte[0], new MessageHeaders(headers));
	}

	private static void checkReply(String subject, Message reply) {
		if (reply.isStatusMessage() && reply.getStatus().getCode() == NO_RESPONDERS) {
			throw new BusNoRespondersException(subject);
		}
		if (ServiceErrors.isError(reply)) {
			throw new BusRemoteException(subject, ServiceErrors.code(reply), ServiceErrors.text(reply));
		}
	}

	/**
	 * The typed exception for a request that failed without a usable reply; {@code reply}
	 * is the jnats future, which knows why it was cancelled.
	 */
	public static BusException failure(String subject, Throwable ex, Duration timeout, Connection connection,
			CompletableFuture<?> reply) {
		if (ex instanceof BusException busException) {
			return busException;
		}
		if (ex instanceof JetStreamStatusException status && status.getStatus().getCode() == NO_RESPONDERS) {
			return new BusNoRespondersException(subject);
		}
		if (ex instanceof TimeoutException) {
			return timeout(subject, timeout, connection);
		}
		if (ex instanceof CancellationException) {
			// jnats cancels a request future when its own sweep finds it expired, when
			// the
			// connection closes, and on a 503 if Options.reportNoResponders() is off.
			if (reply instanceof NatsRequestCompletableFuture request && request.wasCancelledTimedOut()) {
				return timeout(subject, timeout, connection);
			}
			if ((reply instanceof NatsRequestCompletableFuture request && request.wasCancelledClosing())
					|| connection.getStatus() == Connection.Status.CLOSED) {
				return new BusConnectionException(
						"Request to '" + subject + "' was cancelled: the NATS connection is closed");
			}
			return new BusNoRespondersException(subject);
		}
		return new BusException("Request to '" + subject + "' failed: " + ex, ex);
	}

	/** A timeout, told apart from a connection that went down while the caller waited. */
	public static BusException timeout(String subject, Duration timeout, Connection connection) {
		String lastError = connection.getLastError();
		if (lastError != null && lastError.contains("Permissions Violation for Publish to \"" + subject + "\"")) {
			return new BusPermissionException(subject, lastError.trim());
		}
		Connection.Status status = connection.getStatus();
		if (status != Connection.Status.CONNECTED) {
			return new BusConnectionException("No reply on '" + subject + "' within " + timeout.toMillis()
					+ " ms: the connection to NATS is down (" + status + ")");
		}
		return new BusTimeoutException(subject, timeout);
	}

}
