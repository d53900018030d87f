package dev.natsbus.autoconfigure.reactor;

import dev.natsbus.ReactiveBusOperations;
import dev.natsbus.autoconfigure.NatsBusAutoConfiguration;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.template.ReactiveBusTemplate;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * A {@link ReactiveBusOperations} bean on the application's {@link BusTemplate}, where
 * Reactor is on the class path (WebFlux brings it). Without Reactor this class is not
 * even loaded, and nothing else changes.
 */
@AutoConfiguration(after = NatsBusAutoConfiguration.class)
@ConditionalOnClass(name = "reactor.core.publisher.Mono")
@ConditionalOnBean(BusTemplate.class)
public final class NatsBusReactorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ReactiveBusOperations reactiveBusOperations(BusTemplate template) {
		return new ReactiveBusTemplate(template);
	}

}
