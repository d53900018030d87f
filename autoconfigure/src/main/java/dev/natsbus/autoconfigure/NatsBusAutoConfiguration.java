package dev.natsbus.autoconfigure;

import java.time.Duration;

import dev.natsbus.template.BusTemplate;
import dev.natsbus.autoconfigure.events.NatsConnectionEventPublisher;
import dev.natsbus.autoconfigure.security.NatsBusSecurityConfiguration;
import dev.natsbus.autoconfigure.security.NatsPermissionViolations;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.conversion.JsonPayloadConverter;
import dev.natsbus.conversion.PayloadConverter;
import dev.natsbus.listener.BusListenerAnnotationBeanPostProcessor;
import dev.natsbus.listener.BusListenerAnnotationBeanPostProcessor.ListenerDefaults;
import dev.natsbus.listener.BusListenerRegistry;
import io.nats.client.AuthHandler;
import io.nats.client.Connection;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Auto-configuration of nats-bus: a pool of NATS connections, the {@link BusTemplate},
 * and the {@code @BusListener} machinery. Every bean backs off when the application
 * defines its own.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass({ Connection.class, BusTemplate.class })
@EnableConfigurationProperties(NatsBusProperties.class)
@Import(NatsBusSecurityConfiguration.class)
public final class NatsBusAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	NatsBusConnectionDetails natsBusConnectionDetails(NatsBusProperties properties,
			ObjectProvider<SslBundles> sslBundles) {
		return new PropertiesNatsBusConnectionDetails(properties, sslBundles.getIfAvailable());
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	NatsConnectionPool natsConnectionPool(NatsBusConnectionDetails connectionDetails, NatsBusProperties properties,
			ObjectProvider<NatsOptionsBuilderCustomizer> customizers, Environment environment,
			ObjectProvider<AuthHandler> authHandler, ObjectProvider<NatsPermissionViolations> permissionViolations,
			ApplicationEventPublisher eventPublisher) {
		String name = StringUtils.hasText(properties.getConnectionName()) ? properties.getConnectionName()
				: environment.getProperty("spring.application.name", "natsbus");
		NatsOptionsFactory factory = new NatsOptionsFactory(connectionDetails, properties,
				customizers.orderedStream().toList(), name);
		factory.setAuthHandler(authHandler.getIfUnique());
		factory.setPermissionViolations(permissionViolations.getIfAvailable());
		// Each connection's events are logged once each and published as
		// NatsConnectionEvents by one listener, unless a customizer sets its own.
		factory.setConnectionEvents(new NatsConnectionEventPublisher(eventPublisher));
		return factory.connect();
	}

	@Bean
	@ConditionalOnMissingBean
	PayloadConverter natsBusPayloadConverter(ObjectProvider<JsonMapper> jsonMapper) {
		JsonMapper mapper = jsonMapper.getIfAvailable();
		return (mapper != null) ? new JsonPayloadConverter(mapper) : new JsonPayloadConverter();
	}

	@Bean(destroyMethod = "destroy")
	@ConditionalOnMissingBean
	BusTemplate busTemplate(NatsConnectionPool pool, PayloadConverter payloadConverter, NatsBusProperties properties,
			Environment environment, ObjectProvider<BusTemplateCustomizer> customizers) {
		BusTemplate template = new BusTemplate(pool, payloadConverter);
		template.setDefaultTimeout(properties.getRequest().getTimeout());
		template.setPropagateDeadline(properties.getRequest().isPropagateDeadline());
		template.setDrainTimeout(drainTimeout(properties, environment));
		customizers.orderedStream().forEach(customizer -> customizer.customize(template));
		return template;
	}

	@Bean
	@ConditionalOnMissingBean
	BusListenerRegistry busListenerRegistry(NatsConnectionPool pool, PayloadConverter payloadConverter,
			NatsBusProperties properties, Environment environment) {
		BusListenerRegistry registry = new BusListenerRegistry(pool, payloadConverter);
		registry.setPendingMessageLimit(properties.getListener().getPendingMessages());
		registry.setPendingByteLimit(properties.getListener().getPendingBytes());
		registry.setDrainTimeout(drainTimeout(properties, environment));
		return registry;
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	static BusListenerAnnotationBeanPostProcessor busListenerAnnotationBeanPostProcessor(
			ObjectProvider<BusListenerRegistry> registry) {
		// Placeholders, resolved when a listener is found, so that this early bean binds
		// nothing.
		return new BusListenerAnnotationBeanPostProcessor(registry::getObject,
				new ListenerDefaults("${natsbus.listener.queue:q}", "${natsbus.listener.concurrency:1}"));
	}

	/** The drain timeout, never longer than Spring's own limit for one shutdown phase. */
	static Duration drainTimeout(NatsBusProperties properties, Environment environment) {
		Duration drainTimeout = properties.getShutdown().getDrainTimeout();
		String phaseTimeout = environment.getProperty("spring.lifecycle.timeout-per-shutdown-phase");
		if (StringUtils.hasText(phaseTimeout)) {
			Duration phase = DurationStyle.detectAndParse(phaseTimeout);
			if (phase.compareTo(drainTimeout) < 0) {
				return phase;
			}
		}
		return drainTimeout;
	}

}
