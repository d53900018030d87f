package dev.natsbus.autoconfigure.diagnostics;

import java.util.stream.Collectors;

import dev.natsbus.autoconfigure.diagnostics.NatsConnectException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Reports a bus that could not connect at start-up: each server tried with its root
 * cause, and the properties to check.
 */
class NatsConnectFailureAnalyzer extends AbstractFailureAnalyzer<NatsConnectException> implements Ordered {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, NatsConnectException cause) {
		String servers = cause.getServerFailures()
			.stream()
			.map(failure -> "    " + failure.server() + ": " + failure.reason())
			.collect(Collectors.joining("\n"));
		String description = "nats-bus could not connect to NATS (connection '" + cause.getConnectionName()
				+ "'). The servers tried, and why each failed:\n\n" + servers + "\n";
		String action = cause.getActions()
			.stream()
			.map(each -> "    - " + each)
			.collect(Collectors.joining("\n", "Check the following:\n\n", "\n"));
		return new FailureAnalysis(description, action, cause);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
