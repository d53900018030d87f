package dev.natsbus.autoconfigure.actuate;

import dev.natsbus.autoconfigure.NatsBusAutoConfiguration;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.listener.BusListenerRegistry;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code natsbus} Actuator endpoint, when Actuator's endpoint support
 * ({@code spring-boot-actuator-autoconfigure}) is present and the endpoint is available:
 * its access not {@code none}, and exposed, for example with
 * {@code management.endpoints.web.exposure.include=natsbus}.
 */
@AutoConfiguration(after = NatsBusAutoConfiguration.class)
@ConditionalOnClass({ BusListenerRegistry.class, Endpoint.class, ConditionalOnAvailableEndpoint.class })
public final class NatsBusEndpointAutoConfiguration {

	/**
	 * Nested, so that its conditions (classes of Actuator) are only loaded once the outer
	 * class has found Actuator on the classpath.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean({ BusListenerRegistry.class, NatsConnectionPool.class })
	@ConditionalOnAvailableEndpoint(NatsBusEndpoint.class)
	static class NatsBusEndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		NatsBusEndpoint natsBusEndpoint(BusListenerRegistry registry, NatsConnectionPool pool) {
			return new NatsBusEndpoint(registry, pool);
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(NatsBusEndpoint.class)
		@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
		NatsBusEndpointWebExtension natsBusEndpointWebExtension(NatsBusEndpoint endpoint) {
			return new NatsBusEndpointWebExtension(endpoint);
		}

	}

}
