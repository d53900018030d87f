package dev.natsbus.autoconfigure.micro;

import dev.natsbus.autoconfigure.NatsBusAutoConfiguration;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.micro.MicroServiceResponder;
import dev.natsbus.micro.ServiceDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Auto-configuration of NATS micro service discovery: the {@code @BusListener} methods
 * answer {@code nats micro ls / info / stats} as services named by
 * {@link NatsBusMicroProperties} and {@code @BusService}.
 */
@AutoConfiguration(after = NatsBusAutoConfiguration.class)
@ConditionalOnBean({ BusListenerRegistry.class, NatsConnectionPool.class })
@ConditionalOnBooleanProperty(name = "natsbus.service.enabled", matchIfMissing = true)
@EnableConfigurationProperties(NatsBusMicroProperties.class)
public final class NatsBusMicroAutoConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(NatsBusMicroAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	MicroServiceResponder natsBusMicroServiceResponder(NatsConnectionPool pool, BusListenerRegistry registry,
			NatsBusMicroProperties properties, Environment environment) {
		return new MicroServiceResponder(pool, registry, defaultService(properties, environment));
	}

	/**
	 * Values set for nats-bus must be valid, and fail start-up otherwise. Values borrowed
	 * from the application (its name and version) are adapted instead: an application
	 * must not fail to start because its name has a dot or its version is
	 * {@code 1.0-SNAPSHOT}.
	 */
	static ServiceDefinition defaultService(NatsBusMicroProperties properties, Environment environment) {
		String name = properties.getName();
		if (!StringUtils.hasText(name)) {
			String applicationName = environment.getProperty("spring.application.name");
			name = StringUtils.hasText(applicationName) ? applicationName.trim().replaceAll("[^A-Za-z0-9_-]", "-")
					: "natsbus";
		}
		String version = properties.getVersion();
		if (!StringUtils.hasText(version)) {
			// Spring Boot sets it from the Implementation-Version of the main class's
			// package.
			version = environment.getProperty("spring.application.version");
			if (!StringUtils.hasText(version)) {
				version = "0.0.0";
			}
			else if (!ServiceDefinition.isValidVersion(version.trim())) {
				logger.warn("Application version '{}' is not a semantic version; NATS micro services report 0.0.0 "
						+ "(set natsbus.service.version to choose)", version);
				version = "0.0.0";
			}
		}
		try {
			return new ServiceDefinition(name.trim(), version.trim(), properties.getDescription(),
					properties.getMetadata());
		}
		catch (IllegalArgumentException ex) {
			throw new BeanCreationException("natsBusMicroServiceResponder",
					"Invalid natsbus.service configuration: " + ex.getMessage(), ex);
		}
	}

}
