package dev.natsbus.autoconfigure.web;

import dev.natsbus.BusException;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.http.ProblemDetail;

/**
 * In a Spring MVC or WebFlux application, answers bus failures that escape controllers
 * with problem details and statuses that say what failed ({@link BusExceptionHandler}).
 * {@code natsbus.web.problem-details.enabled=false} turns it off.
 */
@AutoConfiguration
@ConditionalOnClass({ BusException.class, ProblemDetail.class })
@ConditionalOnWebApplication
@ConditionalOnBooleanProperty(name = "natsbus.web.problem-details.enabled", matchIfMissing = true)
@EnableConfigurationProperties(NatsBusWebProperties.class)
public final class NatsBusWebAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	BusExceptionHandler busExceptionHandler() {
		return new BusExceptionHandler();
	}

}
