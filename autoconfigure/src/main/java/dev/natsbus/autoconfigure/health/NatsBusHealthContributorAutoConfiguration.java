package dev.natsbus.autoconfigure.health;

import dev.natsbus.autoconfigure.NatsBusAutoConfiguration;
import dev.natsbus.connection.NatsConnectionPool;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code natsbus} health contributor, when Spring Boot's health support
 * ({@code spring-boot-health}, part of Actuator) is present. Switch it off with
 * {@code management.health.natsbus.enabled=false}.
 */
@AutoConfiguration(after = NatsBusAutoConfiguration.class)
@ConditionalOnClass({ NatsConnectionPool.class, HealthIndicator.class })
public final class NatsBusHealthContributorAutoConfiguration {

	/**
	 * Nested, so that its condition (itself a class of spring-boot-health) is only loaded
	 * once the outer class has found spring-boot-health on the classpath.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(NatsConnectionPool.class)
	@ConditionalOnEnabledHealthIndicator("natsbus")
	static class NatsBusHealthIndicatorConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = { "natsbusHealthIndicator", "natsbusHealthContributor" })
		NatsBusHealthIndicator natsbusHealthIndicator(NatsConnectionPool pool) {
			return new NatsBusHealthIndicator(pool);
		}

	}

}
