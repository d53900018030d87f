package dev.natsbus.autoconfigure;

import dev.natsbus.autoconfigure.security.BusListenerPermissionVerifier;
import dev.natsbus.autoconfigure.security.NatsBusSanitizingFunction;
import dev.natsbus.autoconfigure.security.NatsPermissionViolations;
import dev.natsbus.listener.BusListenerRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Security beans of the auto-configuration: the record of permission violations, the
 * check that listeners may subscribe, and, with Actuator, the masking of secrets.
 */
@Configuration(proxyBeanMethods = false)
class NatsBusSecurityConfiguration {

	@Bean
	@ConditionalOnMissingBean
	NatsPermissionViolations natsPermissionViolations() {
		return new NatsPermissionViolations();
	}

	@Bean
	@ConditionalOnMissingBean
	BusListenerPermissionVerifier busListenerPermissionVerifier(ObjectProvider<BusListenerRegistry> registry,
			NatsPermissionViolations violations, NatsBusProperties properties) {
		return new BusListenerPermissionVerifier(registry, violations, properties.getConnectionTimeout());
	}

	/** Nested, so that SanitizingFunction is only loaded when Actuator is present. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.SanitizingFunction")
	static class SanitizingConfiguration {

		@Bean
		@ConditionalOnMissingBean
		NatsBusSanitizingFunction natsBusSanitizingFunction() {
			return new NatsBusSanitizingFunction();
		}

	}

}
