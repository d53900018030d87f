package dev.natsbus.autoconfigure.diagnostics;

import dev.natsbus.autoconfigure.diagnostics.NatsBusConfigurationException;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Reports a nats-bus configuration that cannot work, such as two authentication modes or
 * a malformed server URL. Runs before Boot's own analyzers, whose report of a property
 * that failed to bind quotes its value, which may hold a password.
 */
class NatsBusConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<NatsBusConfigurationException>
		implements Ordered {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, NatsBusConfigurationException cause) {
		StringBuilder description = new StringBuilder("The nats-bus configuration cannot work: ")
			.append(cause.getMessage())
			.append('\n');
		BindException binding = findCause(rootFailure, BindException.class);
		ConfigurationProperty property = (binding != null) ? binding.getProperty() : null;
		if (property != null && property.getOrigin() != null) {
			description.append("\n    Origin: ").append(property.getOrigin()).append('\n');
		}
		return new FailureAnalysis(description.toString(), cause.getAction(), cause);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
