package dev.natsbus.template;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import dev.natsbus.BusConnectionException;
import dev.natsbus.BusException;
import dev.natsbus.BusNoRespondersException;
import dev.natsbus.BusPermissionException;
import dev.natsbus.BusTimeoutException;
import dev.natsbus.protocol.PermissionViolation;
import io.nats.client.Connection;
import io.nats.client.JetStreamStatusException;
import io.nats.client.support.NatsRequestCompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The one place where a request that got no usable reply becomes a typed
 * {@link BusException}: timeouts, no responders, cancellations, a closing connection,
 * denied permissions.
 */
final class RequestFailures {

	/** The status code of the server's "no responders" answer. */
	static final int NO_RESPONDERS = 503;

	private RequestFailures() {
	}

	/**
	 * The typed exception for a request that failed with {@code failure}.
	 * @param reply the jnats future of the request, which knows why it was cancelled
	 */
	static BusException of(String subject, Throwable failure, Duration timeout, Connection connection,
			@Nullable CompletableFuture<?> reply) {
		Throwable ex = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
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

	/**
	 * A timeout, told apart from a connection that went down while the caller waited and
	 * from a publish the server refused.
	 */
	static BusException timeout(String subject, Duration timeout, Connection connection) {
		String lastError = connection.getLastError();
		if (PermissionViolation.deniesPublish(lastError, subject)) {
			return new BusPermissionException(subject, lastError.trim());
		}
		Connection.Status status = connection.getStatus();
		if (status != Connection.Status.CONNECTED) {
			return new BusConnectionException("No reply on '" + subject + "' within " + timeout.toMillis()
					+ " ms: the connection to NATS is down (" + status + ")");
		}
		return new BusTimeoutException(subject, timeout);
	}

	/**
	 * Why a request-many that ran out of time cannot vouch for what it gathered, or
	 * {@code null} when it can: the connection is down or reconnected while it waited
	 * (replies in flight are lost then), or, when nothing arrived, the server denied the
	 * publish.
	 * @param reconnectsBefore the connection's reconnect count when the gathering started
	 */
	static @Nullable BusException lostWhileGathering(String subject, Connection connection, long reconnectsBefore,
			boolean nothingArrived) {
		String lastError = connection.getLastError();
		if (nothingArrived && PermissionViolation.deniesPublish(lastError, subject)) {
			return new BusPermissionException(subject, lastError.trim());
		}
		Connection.Status status = connection.getStatus();
		if (status != Connection.Status.CONNECTED) {
			return new BusConnectionException("Gathering replies on '" + subject
					+ "' ended with the connection to NATS down (" + status + "): replies may have been lost");
		}
		if (connection.getStatistics().getReconnects() != reconnectsBefore) {
			return new BusConnectionException("The connection to NATS was lost while gathering replies on '" + subject
					+ "': replies may have been lost (it has reconnected since)");
		}
		return null;
	}

	/** The failure of a request in flight when the bus stopped. */
	static BusConnectionException shuttingDown() {
		return new BusConnectionException("The bus is shutting down: no reply arrived before it stopped");
	}

}
