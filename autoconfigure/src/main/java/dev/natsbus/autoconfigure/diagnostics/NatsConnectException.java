package dev.natsbus.autoconfigure.diagnostics;

import java.util.List;

import dev.natsbus.BusConnectionException;

/**
 * The bus could not connect to NATS at start-up. Says, for each server tried, why it
 * failed (refused, unknown host, timed out, TLS, authentication, certificate), and what
 * to check; Boot's failure report shows both. The root causes are attached as suppressed
 * exceptions. Never carries a secret.
 */
public class NatsConnectException extends BusConnectionException {

	private final String connectionName;

	private final List<ServerFailure> serverFailures;

	private final List<String> actions;

	/**
	 * @param message the whole explanation in one line
	 * @param cause what the connection pool threw
	 * @param connectionName the connection that could not connect
	 * @param serverFailures each server tried and why it failed
	 * @param actions what to check, most specific first
	 */
	public NatsConnectException(String message, Throwable cause, String connectionName,
			List<ServerFailure> serverFailures, List<String> actions) {
		super(message, cause);
		this.connectionName = connectionName;
		this.serverFailures = List.copyOf(serverFailures);
		this.actions = List.copyOf(actions);
	}

	/** The name of the connection that failed, such as {@code orders-0}. */
	public String getConnectionName() {
		return this.connectionName;
	}

	/** Each server tried, in the order tried, with the reason it failed. */
	public List<ServerFailure> getServerFailures() {
		return this.serverFailures;
	}

	/** What to check or change, naming the properties, most specific first. */
	public List<String> getActions() {
		return this.actions;
	}

	/**
	 * Why one server could not be connected to.
	 *
	 * @param server the server URL, without user info
	 * @param reason why, e.g. "connection refused (nothing listens there)"
	 */
	public record ServerFailure(String server, String reason) {
	}

}
