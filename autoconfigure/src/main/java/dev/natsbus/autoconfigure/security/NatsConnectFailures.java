package dev.natsbus.autoconfigure.security;

import java.net.SocketException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import dev.natsbus.BusConnectionException;
import dev.natsbus.connection.NatsConnectionPool;
import io.nats.client.AuthenticationException;
import io.nats.client.Options;

/**
 * Tells why a connection could not be established. jnats throws a bare "Unable to connect
 * to NATS servers" for a TLS failure and passes the real cause to the error listener
 * only, so the listener records the last problem of each connection (by name) here, and
 * {@link #explain} turns the start-up failure into one that says what went wrong: failed
 * authentication, an untrusted certificate, a host name mismatch, a missing client
 * certificate. Never secrets: the server's and the JDK's error texts carry none.
 */
public class NatsConnectFailures {

	/** jnats reports an error on its callback thread, usually before connect gives up. */
	private static final Duration REPORT_WAIT = Duration.ofSeconds(1);

	private final Map<String, Object> problems = new HashMap<>();

	/**
	 * Records the last problem of a connection: the server's error text or an exception.
	 */
	public synchronized void record(String connectionName, Object problem) {
		this.problems.put(connectionName, problem);
		notifyAll();
	}

	private synchronized Object await(String connectionName) {
		long deadline = System.nanoTime() + REPORT_WAIT.toNanos();
		while (!this.problems.containsKey(connectionName)) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return null;
			}
			try {
				wait(Math.max(1, left / 1_000_000));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return null;
			}
		}
		return this.problems.get(connectionName);
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
	 * The start-up failure, explained when the cause is known; otherwise {@code failure}
	 * itself.
	 * @param failure what the pool threw
	 * @param options the options of every pooled connection
	 * @param authentication how the connections authenticate
	 * @param tls how they use TLS
	 */
	public BusConnectionException explain(BusConnectionException failure, List<Options> options,
			NatsAuthentication authentication, NatsTls tls) {
		Options failed = options.stream()
			.filter(candidate -> String.valueOf(failure.getMessage())
				.contains("'" + candidate.getConnectionName() + "'"))
			.findFirst()
			.orElse(options.get(0));
		String name = failed.getConnectionName();
		String prefix = "Could not connect to NATS at " + NatsConnectionPool.describeServers(failed) + " (connection '"
				+ name + "'): ";
		Object problem = (find(failure, AuthenticationException.class) != null) ? null : await(name);
		String reason = reason(failure, problem, authentication, tls);
		if (reason == null) {
			return failure;
		}
		BusConnectionException explained = new BusConnectionException(prefix + reason, failure);
		if (problem instanceof Throwable reported) {
			explained.addSuppressed(reported);
		}
		return explained;
	}

	private static String reason(BusConnectionException failure, Object problem, NatsAuthentication authentication,
			NatsTls tls) {
		AuthenticationException authFailure = find(failure, AuthenticationException.class);
		if (authFailure != null || (problem instanceof String error && isAuthenticationError(error))) {
			String error = (authFailure != null) ? authFailure.getMessage() : (String) problem;
			String serverSays = error.replaceFirst("(?i)^Authentication error connecting to NATS server: ", "");
			String expiry = (authentication.getExpiry() != null)
					? "; the user JWT expires at " + authentication.getExpiry() : "";
			return "authentication failed with " + authentication.getDescription() + " (server: " + serverSays + ")"
					+ expiry;
		}
		if (!(problem instanceof Throwable reported)) {
			return null;
		}
		Throwable cause = unwrap(reported);
		String detail = rootMessage(cause);
		if (isTlsFailure(cause)) {
			String lower = detail.toLowerCase(Locale.ROOT);
			if (lower.contains("no subject alternative") || lower.contains("no name matching")) {
				return "the server's TLS certificate does not name the host connected to (host name verification, "
						+ "natsbus.ssl.verify-hostname): " + detail;
			}
			if (find(cause, CertPathBuilderException.class) != null
					|| find(cause, CertPathValidatorException.class) != null || lower.contains("pkix")
					|| lower.contains("certification path")) {
				return "the server's TLS certificate is not trusted by " + tls.getTrust() + ": " + detail;
			}
			return "the TLS handshake failed: " + detail + clientCertificateHint(tls);
		}
		if (tls.isEnabled() && (cause instanceof TimeoutException || cause instanceof SocketException)) {
			return "the TLS handshake did not complete (" + detail + ")" + clientCertificateHint(tls);
		}
		String lower = detail.toLowerCase(Locale.ROOT);
		if (lower.contains("ssl required by server")) {
			return "the server requires TLS; use tls:// URLs, natsbus.ssl.enabled=true or natsbus.ssl.bundle";
		}
		if (lower.contains("ssl required by client")) {
			return "TLS is configured (" + tls.getTrust() + ") but the server does not offer it";
		}
		return null;
	}

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

}
