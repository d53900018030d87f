package dev.natsbus.autoconfigure.security;

import dev.natsbus.protocol.PermissionViolation;
import java.time.Duration;

import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.support.LogThrottle;
import io.nats.client.Connection;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.support.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports failed authentication, TLS failures and permission violations clearly, naming
 * the server or subject and never a credential, and passes every other event to the next
 * listener. Records what it sees for {@link ConnectAttempts} and
 * {@link NatsPermissionViolations}. A reconnecting client hits the same failure again and
 * again, so each is logged at WARN at most once a minute per connection.
 */
public class NatsSecurityErrorListener implements ErrorListener {

	private static final Logger logger = LoggerFactory.getLogger("dev.natsbus.security");

	private final ErrorListener next;

	private final ConnectAttempts attempts;

	private final NatsPermissionViolations violations;

	private final String authentication;

	/**
	 * A reconnecting client hits the same failure again and again: WARN once a minute per
	 * connection and failure.
	 */
	private final LogThrottle warnings = new LogThrottle(Duration.ofMinutes(1));

	/**
	 * @param next told every other event; may be {@code null}
	 * @param attempts where the connection's connect problems are recorded
	 * @param violations where permission violations are recorded; may be {@code null}
	 * @param authentication how the connection authenticates, for messages
	 */
	public NatsSecurityErrorListener(ErrorListener next, ConnectAttempts attempts, NatsPermissionViolations violations,
			String authentication) {
		this.next = (next != null) ? next : new ErrorListener() {
		};
		this.attempts = attempts;
		this.violations = violations;
		this.authentication = authentication;
	}

	@Override
	public void errorOccurred(Connection connection, String error) {
		var violation = PermissionViolation.parse(error);
		if (violation.isPresent()) {
			if (this.violations != null) {
				this.violations.record(connection, violation.get());
			}
			warnOrDebug(connection, error, "NATS server denied connection '{}': {}{} (server: {})", name(connection),
					violation.get().describe(), hint(connection, violation.get()), error);
			return;
		}
		if (NatsConnectFailures.isAuthenticationError(error)) {
			this.attempts.problem(error);
			warnOrDebug(connection, error, "NATS connection '{}': authentication failed at {} with {} (server: {})",
					name(connection), server(connection), this.authentication, error);
			return;
		}
		this.attempts.problem(error);
		this.next.errorOccurred(connection, error);
	}

	@Override
	public void exceptionOccurred(Connection connection, Exception exception) {
		// Recorded whatever the status: another attempt may have connected meanwhile.
		this.attempts.problem(exception);
		if (NatsConnectFailures.isTlsFailure(exception)) {
			String detail = NatsConnectFailures.rootMessage(exception);
			warnOrDebug(connection, detail, "NATS connection '{}': TLS with {} failed: {}", name(connection),
					server(connection), detail);
			return;
		}
		this.next.exceptionOccurred(connection, exception);
	}

	private static String hint(Connection connection, PermissionViolation violation) {
		boolean inbox = connection != null && violation.subject().startsWith(connection.getOptions().getInboxPrefix());
		if (violation.operation() == PermissionViolation.Operation.SUBSCRIBE) {
			return inbox
					? "; requests cannot receive replies: allow subscribing to the inbox or set "
							+ "natsbus.inbox-prefix to a prefix the user may subscribe to"
					: "; the subscription receives nothing";
		}
		return inbox ? "; a reply was dropped" : "; the message was dropped, a request to it gets no reply";
	}

	private void warnOrDebug(Connection connection, String key, String format, Object... arguments) {
		if (this.warnings.tryAcquire(name(connection) + key) >= 0) {
			logger.warn(format, arguments);
		}
		else {
			logger.debug(format, arguments);
		}
	}

	private static String name(Connection connection) {
		return (connection != null) ? connection.getOptions().getConnectionName() : "?";
	}

	private static String server(Connection connection) {
		if (connection == null) {
			return "?";
		}
		String url = connection.getConnectedUrl();
		return (url != null) ? ServerUrls.redact(url) : NatsConnectionPool.describeServers(connection.getOptions());
	}

	@Override
	public void slowConsumerDetected(Connection connection, Consumer consumer) {
		this.next.slowConsumerDetected(connection, consumer);
	}

	@Override
	public void messageDiscarded(Connection connection, Message message) {
		this.next.messageDiscarded(connection, message);
	}

	@Override
	public void heartbeatAlarm(Connection connection, JetStreamSubscription subscription, long lastStreamSequence,
			long lastConsumerSequence) {
		this.next.heartbeatAlarm(connection, subscription, lastStreamSequence, lastConsumerSequence);
	}

	@Override
	public void unhandledStatus(Connection connection, JetStreamSubscription subscription, Status status) {
		this.next.unhandledStatus(connection, subscription, status);
	}

	@Override
	public void pullStatusWarning(Connection connection, JetStreamSubscription subscription, Status status) {
		this.next.pullStatusWarning(connection, subscription, status);
	}

	@Override
	public void pullStatusError(Connection connection, JetStreamSubscription subscription, Status status) {
		this.next.pullStatusError(connection, subscription, status);
	}

	@Override
	public void flowControlProcessed(Connection connection, JetStreamSubscription subscription, String subject,
			FlowControlSource source) {
		this.next.flowControlProcessed(connection, subscription, subject, source);
	}

	@Override
	public void socketWriteTimeout(Connection connection) {
		this.next.socketWriteTimeout(connection);
	}

	@Override
	public String supplyMessage(String label, Connection connection, Consumer consumer, Subscription subscription,
			Object... pairs) {
		return this.next.supplyMessage(label, connection, consumer, subscription, pairs);
	}

}
