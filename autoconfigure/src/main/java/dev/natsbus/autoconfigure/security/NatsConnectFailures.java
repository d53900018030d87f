package dev.natsbus.autoconfigure.security;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import dev.natsbus.BusConnectionException;
import dev.natsbus.autoconfigure.diagnostics.NatsConnectException;
import dev.natsbus.autoconfigure.diagnostics.NatsConnectException.ServerFailure;
import dev.natsbus.connection.NatsConnectionPool;
import io.nats.client.AuthenticationException;
import io.nats.client.Options;

import org.springframework.boot.convert.DurationStyle;

/**
 * Tells why a connection could not be established. jnats throws a bare "Unable to connect
 * to NATS servers" and passes the real causes to the listeners only, so they record each
 * connection's {@link ConnectAttempts attempts}, and {@link #explain} turns the start-up
 * failure into a {@link NatsConnectException} that says, per server, what went wrong:
 * refused, unknown host, no answer, TLS required or not offered, failed authentication,
 * an untrusted certificate, a host name mismatch, a missing client certificate. Never
 * secrets: the server's and the JDK's error texts carry none.
 */
public class NatsConnectFailures {

	/**
	 * jnats reports on its callback thread, usually before connect gives up; the wait
	 * ends when the close is reported, after every attempt.
	 */
	private static final Duration REPORT_WAIT = Duration.ofSeconds(2);

	/** Waited for any report when the listeners were replaced by a customizer. */
	private static final Duration UNOBSERVED_REPORT_WAIT = Duration.ofSeconds(1);

	private static final String BACKGROUND_CONNECT = "Or set natsbus.background-connect=true to start without a "
			+ "reachable server: the bus then connects as soon as one answers (its health is DOWN until then).";

	private final Map<String, ConnectAttempts> attempts = new ConcurrentHashMap<>();

	private final String serversSource;

	/**
	 * @param serversSource where the server URLs come from, for messages, such as
	 * {@code natsbus.servers}
	 */
	public NatsConnectFailures(String serversSource) {
		this.serversSource = serversSource;
	}

	public NatsConnectFailures() {
		this("natsbus.servers");
	}

	/** The record of the attempts of a connection, by its name. */
	public ConnectAttempts attempts(String connectionName) {
		return this.attempts.computeIfAbsent(connectionName, name -> new ConnectAttempts());
	}

	/** Whether a server error text says that authentication failed. */
	public static boolean isAuthenticationError(String error) {
		String lower = (error != null) ? error.toLowerCase(Locale.ROOT) : "";
		return lower.contains("authorization violation") || lower.contains("authentication");
	}

	/** Whether an exception is a TLS failure. */
	public static boolean isTlsFailure(Throwable ex) {
		return find(ex, SSLException.class) != null || find(ex, CertificateException.class) != null;
	}

	/**
	 * The start-up failure, explained per server tried.
	 * @param failure what the pool threw
	 * @param options the options of every pooled connection
	 * @param authentication how the connections authenticate
	 * @param tls how they use TLS
	 */
	public NatsConnectException explain(BusConnectionException failure, List<Options> options,
			NatsAuthentication authentication, NatsTls tls) {
		Options failed = options.stream()
			.filter(candidate -> String.valueOf(failure.getMessage())
				.contains("'" + candidate.getConnectionName() + "'"))
			.findFirst()
			.orElse(options.get(0));
		String name = failed.getConnectionName();
		ConnectAttempts record = attempts(name);
		List<ConnectAttempts.Attempt> tried = record
			.awaitAttempts(record.isObserved() ? REPORT_WAIT : UNOBSERVED_REPORT_WAIT);
		Context context = new Context(authentication, tls, failed.getConnectionTimeout(),
				find(failure, AuthenticationException.class));
		String allServers = NatsConnectionPool.describeServers(failed);
		List<ServerFailure> failures = new ArrayList<>();
		Set<String> actions = new LinkedHashSet<>();
		List<Throwable> causes = new ArrayList<>();
		for (ConnectAttempts.Attempt attempt : tried) {
			Reason reason = reason(attempt.problems(), context);
			String server = (attempt.server() != null) ? attempt.server() : allServers;
			if (attempt.address() != null) {
				server = server + " (" + attempt.address() + ")";
			}
			failures.add(new ServerFailure(server, reason.text()));
			actions.add(reason.action());
			attempt.problems()
				.stream()
				.filter(Throwable.class::isInstance)
				.map(Throwable.class::cast)
				.forEach(causes::add);
		}
		if (failures.isEmpty()) {
			Object last = record.lastProblem();
			Reason reason = (context.authFailure() != null)
					? authentication(context.authFailure().getMessage(), authentication)
					: reason((last != null) ? List.of(last) : List.of(), context);
			if (last instanceof Throwable reported) {
				causes.add(reported);
			}
			failures.add(new ServerFailure(allServers, (reason != UNKNOWN) ? reason.text() : rootMessage(failure)));
			actions.add(reason.action());
		}
		actions.remove(null);
		actions.add(BACKGROUND_CONNECT);
		String prefix = "Could not connect to NATS at " + allServers + " (connection '" + name + "'): ";
		String reasons = (failures.size() == 1) ? failures.get(0).reason()
				: String.join("; ", failures.stream().map(each -> each.server() + ": " + each.reason()).toList());
		NatsConnectException explained = new NatsConnectException(prefix + reasons, failure, name, failures,
				new ArrayList<>(actions));
		causes.stream().distinct().forEach(explained::addSuppressed);
		return explained;
	}

	/**
	 * Why an attempt failed, in words, e.g. "connection refused (nothing listens there)".
	 */
	public String describe(ConnectAttempts.Attempt attempt, NatsAuthentication authentication, NatsTls tls,
			Duration connectionTimeout) {
		Reason reason = reason(attempt.problems(), new Context(authentication, tls, connectionTimeout, null));
		return (reason != UNKNOWN) ? reason.text() : "no reason reported";
	}

	private Reason reason(List<Object> problems, Context context) {
		String authError = problems.stream()
			.filter(String.class::isInstance)
			.map(String.class::cast)
			.filter(NatsConnectFailures::isAuthenticationError)
			.findFirst()
			.orElse(null);
		if (authError != null) {
			return authentication(authError, context.authentication());
		}
		Throwable reported = problems.stream()
			.filter(Throwable.class::isInstance)
			.map(Throwable.class::cast)
			.findFirst()
			.orElse(null);
		if (reported == null) {
			String error = problems.stream().map(String::valueOf).findFirst().orElse(null);
			return (error != null) ? new Reason("the server answered: " + error, null) : UNKNOWN;
		}
		return reason(unwrap(reported), context);
	}

	private Reason authentication(String error, NatsAuthentication authentication) {
		String serverSays = error.replaceFirst("(?i)^Authentication error connecting to NATS server: ", "");
		String expiry = (authentication.getExpiry() != null) ? "; the user JWT expires at " + authentication.getExpiry()
				: "";
		return new Reason(
				"authentication failed with " + authentication.getDescription() + " (server: " + serverSays + ")"
						+ expiry,
				"Check " + authentication.getDescription() + ": the server did not accept these credentials"
						+ ((authentication.getExpiry() != null) ? " (is the user JWT expired or revoked?)" : "")
						+ ". Set exactly one authentication mode, the one the server's user is configured with.");
	}

	private Reason reason(Throwable cause, Context context) {
		NatsTls tls = context.tls();
		String detail = rootMessage(cause);
		String lower = detail.toLowerCase(Locale.ROOT);
		if (isTlsFailure(cause)) {
			if (lower.contains("no subject alternative") || lower.contains("no name matching")) {
				return new Reason(
						"the server's TLS certificate does not name the host connected to (host name verification, "
								+ "natsbus.ssl.verify-hostname): " + detail,
						"Connect with a host name that the server's certificate names (correct the host in "
								+ this.serversSource + "), or have the certificate name this host. "
								+ "natsbus.ssl.verify-hostname=false switches the check off (not for production).");
			}
			if (find(cause, CertPathBuilderException.class) != null
					|| find(cause, CertPathValidatorException.class) != null || lower.contains("pkix")
					|| lower.contains("certification path")) {
				return new Reason("the server's TLS certificate is not trusted by " + tls.getTrust() + ": " + detail,
						"Give natsbus.ssl.bundle (spring.ssl.bundle.*) a trust store with the certificate authority "
								+ "that signed the server's certificate.");
			}
			return new Reason("the TLS handshake failed: " + detail + clientCertificateHint(tls),
					"Check natsbus.ssl.bundle (spring.ssl.bundle.*): its trust store, and its key store when the "
							+ "server requires client certificates.");
		}
		if (lower.contains("ssl required by server")) {
			return new Reason(
					"the server requires TLS; use tls:// URLs, natsbus.ssl.enabled=true or natsbus.ssl.bundle",
					"Use tls:// URLs in " + this.serversSource
							+ ", or set natsbus.ssl.enabled=true or natsbus.ssl.bundle (for a private certificate "
							+ "authority).");
		}
		if (lower.contains("ssl connection wanted by client") || lower.contains("ssl required by client")) {
			return new Reason("TLS is configured (" + tls.getTrust() + ") but the server does not offer it",
					"Use nats:// URLs and remove natsbus.ssl.enabled, natsbus.ssl.bundle and natsbus.ssl.tls-first, "
							+ "or enable TLS on the server.");
		}
		if (cause instanceof ConnectException) {
			return new Reason("connection refused (nothing listens there)", "Check " + this.serversSource
					+ ": start a NATS server at these addresses or correct the host " + "and port.");
		}
		if (cause instanceof UnknownHostException) {
			return new Reason("unknown host '" + cause.getMessage() + "' (the name does not resolve)",
					"Check the host names in " + this.serversSource + ".");
		}
		if (cause instanceof NoRouteToHostException) {
			return new Reason("no route to the host (" + detail + ")",
					"Check " + this.serversSource + " and the network between this host and the server.");
		}
		if (tls.isEnabled() && (cause instanceof TimeoutException || cause instanceof SocketException)) {
			return new Reason("the TLS handshake did not complete (" + detail + ")" + clientCertificateHint(tls),
					"Check natsbus.ssl.bundle (spring.ssl.bundle.*) and natsbus.ssl.tls-first (for servers with "
							+ "handshake_first).");
		}
		if (cause instanceof TimeoutException || cause instanceof SocketTimeoutException) {
			String timeout = DurationStyle.SIMPLE.print(context.connectionTimeout());
			return new Reason("no answer from a NATS server within " + timeout + " (natsbus.connection-timeout)",
					"Check that " + this.serversSource + " points at a NATS client port (4222 by default, not the "
							+ "monitoring, cluster or websocket port) and that no firewall drops the traffic; or "
							+ "raise natsbus.connection-timeout (now " + timeout + ") for a slow link.");
		}
		return new Reason(detail, "Check " + this.serversSource + ".");
	}

	private static final Reason UNKNOWN = new Reason("unknown", null);

	private static String clientCertificateHint(NatsTls tls) {
		return tls.hasClientCertificate() ? ""
				: "; a server that requires client certificates (mutual TLS) refuses clients without one: "
						+ "give natsbus.ssl.bundle a key store with a certificate the server trusts";
	}

	private static Throwable unwrap(Throwable ex) {
		Throwable current = ex;
		while (current instanceof ExecutionException && current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

	static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
		return (root == ex || message.contains(String.valueOf(root.getMessage()))) ? message
				: message + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
	}

	private static <T extends Throwable> T find(Throwable ex, Class<T> type) {
		for (Throwable current = ex; current != null; current = current.getCause()) {
			if (type.isInstance(current)) {
				return type.cast(current);
			}
			if (current.getCause() == current) {
				break;
			}
		}
		return null;
	}

	/** Why one attempt failed, and what to check. */
	private record Reason(String text, String action) {
	}

	private record Context(NatsAuthentication authentication, NatsTls tls, Duration connectionTimeout,
			AuthenticationException authFailure) {
	}

}
