package dev.natsbus.autoconfigure.observation;

import dev.natsbus.template.BusTemplate;
import dev.natsbus.autoconfigure.NatsBusAutoConfiguration;
import dev.natsbus.observation.BusListenerObservationConvention;
import dev.natsbus.observation.BusRequestObservationConvention;
import dev.natsbus.observation.BusSendObservationConvention;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Observes sends, requests and listener invocations ({@code natsbus.send},
 * {@code natsbus.request}, {@code natsbus.listener}) through the application's
 * {@link ObservationRegistry} bean when there is one (Spring Boot defines it with
 * {@code spring-boot-micrometer-observation}, part of Actuator). With
 * {@code natsbus.observation.enabled=false}, or without a registry, the bus does no
 * observation work at all.
 */
@AutoConfiguration(after = NatsBusAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass({ BusTemplate.class, ObservationRegistry.class })
@ConditionalOnBooleanProperty(name = "natsbus.observation.enabled", matchIfMissing = true)
@EnableConfigurationProperties(NatsBusObservationProperties.class)
public final class NatsBusObservationAutoConfiguration {

	@Bean
	static NatsBusObservationPostProcessor natsBusObservationPostProcessor(
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<BusSendObservationConvention> sendConvention,
			ObjectProvider<BusRequestObservationConvention> requestConvention,
			ObjectProvider<BusListenerObservationConvention> listenerConvention) {
		return new NatsBusObservationPostProcessor(observationRegistry, sendConvention, requestConvention,
				listenerConvention);
	}

}
