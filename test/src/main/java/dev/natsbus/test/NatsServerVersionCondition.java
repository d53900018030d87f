package dev.natsbus.test;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

import java.util.Optional;

/**
 * Runs a {@link RequiresNatsServer} test only against a server that is new enough. The
 * method's annotation wins over the class's.
 */
final class NatsServerVersionCondition implements ExecutionCondition {

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		Optional<RequiresNatsServer> required = context.getElement()
			.flatMap(element -> AnnotationSupport.findAnnotation(element, RequiresNatsServer.class));
		if (required.isEmpty()) {
			return ConditionEvaluationResult.enabled("no nats-server version required");
		}
		NatsServerVersion minimum = NatsServerVersion.parse(required.get().value());
		NatsServerVersion installed;
		try {
			installed = NatsServerVersion.installed();
		}
		catch (IllegalStateException ex) {
			// Let the test run and fail with the message that says how to install one.
			return ConditionEvaluationResult.enabled("nats-server version unknown: " + ex.getMessage());
		}
		if (installed.compareTo(minimum) >= 0) {
			return ConditionEvaluationResult.enabled("nats-server " + installed + " is at least " + minimum);
		}
		return ConditionEvaluationResult
			.disabled("needs nats-server " + minimum + " or newer, found " + installed + "; point "
					+ NatsServer.EXECUTABLE_ENV + " or -D" + NatsServer.EXECUTABLE_PROPERTY + " at a newer binary");
	}

}
