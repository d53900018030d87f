package dev.natsbus.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.natsbus.BusClientInterceptor;
import dev.natsbus.BusListenerErrorHandler;
import dev.natsbus.BusListenerInterceptor;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.autoconfigure.events.NatsConnectionEventPublisher;
import dev.natsbus.autoconfigure.security.NatsPermissionViolations;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.conversion.JsonPayloadConverter;
import dev.natsbus.conversion.PayloadConverter;
import dev.natsbus.listener.BusListenerAnnotationBeanPostProcessor;
import dev.natsbus.listener.BusListenerContainerFactory;
import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.listener.adapter.ReplyStreamAdapter;
import dev.natsbus.protocol.PermissionViolation;
import dev.natsbus.support.BusTaskExecutors;
import dev.natsbus.support.CallerContexts;
import dev.natsbus.support.DefaultBusTaskExecutors;
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
import org.springframework.boot.thread.Threading;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.task.TaskDecorator;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;
import org.springframework.validation.Validator;

/**
 * Auto-configuration of nats-bus: a pool of NATS connections, the {@link BusTemplate},
 * and the {@code @BusListener} machinery, with the application's validator, error handler
 * and interceptor beans. Every bean backs off when the application defines its own.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass({ Connection.class, BusTemplate.class })
@EnableConfigurationProperties(NatsBusProperties.class)
@Import(NatsBusSecurityConfiguration.class)
public final class NatsBusAutoConfiguration {

	private static final String CONTEXT_SNAPSHOT_FACTORY = "io.micrometer.context.ContextSnapshotFactory";

	@Bean
	@ConditionalOnMissingBean
	NatsBusConnectionDetails natsBusConnectionDetails(NatsBusProperties properties,
			ObjectProvider<SslBundles> sslBundles) {
		return new PropertiesNatsBusConnectionDetails(properties, sslBundles.getIfAvailable());
	}

	/**
	 * Where the bus gets its threads: virtual threads for listener workers and
	 * completions when {@code spring.threads.virtual.enabled} is on (Java 21+), and the
	 * application's {@link TaskDecorator} (for example to propagate a context) around
	 * each of them. With Micrometer's context-propagation on the class path, asynchronous
	 * requests complete in their caller's context (observation, trace, MDC).
	 */
	@Bean
	@ConditionalOnMissingBean
	BusTaskExecutors natsBusTaskExecutors(Environment environment, ObjectProvider<TaskDecorator> taskDecorator,
			ResourceLoader resourceLoader) {
		DefaultBusTaskExecutors executors = new DefaultBusTaskExecutors();
		executors.setVirtualThreads(Threading.VIRTUAL.isActive(environment));
		executors.setTaskDecorator(taskDecorator.getIfUnique());
		if (ClassUtils.isPresent(CONTEXT_SNAPSHOT_FACTORY, resourceLoader.getClassLoader())) {
			ContextPropagation.apply(executors);
		}
		return executors;
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	NatsConnectionPool natsConnectionPool(NatsBusConnectionDetails connectionDetails, NatsBusProperties properties,
			ObjectProvider<NatsOptionsBuilderCustomizer> customizers, Environment environment,
			ObjectProvider<AuthHandler> authHandler, ObjectProvider<NatsPermissionViolations> permissionViolations,
			ObjectProvider<BusListenerRegistry> listenerRegistry, BusTaskExecutors taskExecutors,
			ApplicationEventPublisher eventPublisher) {
		String name = StringUtils.hasText(properties.getConnectionName()) ? properties.getConnectionName()
				: environment.getProperty("spring.application.name", "natsbus");
		NatsOptionsFactory factory = new NatsOptionsFactory(connectionDetails, properties,
				customizers.orderedStream().toList(), name);
		factory.setAuthHandler(authHandler.getIfUnique());
		factory.setPermissionViolations(permissionViolations.getIfAvailable());
		// Looked up when a slow consumer is reported, long after the registry exists.
		factory.setListeners((consumer) -> Optional.ofNullable(listenerRegistry.getIfUnique())
			.flatMap((registry) -> registry.getListenerContainer(consumer)));
		factory.setConnectThreads(
				(options) -> taskExecutors.threadFactory("natsbus-connect-" + options.getConnectionName() + "-"));
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

	@Bean
	@ConditionalOnMissingBean
	BusTemplate busTemplate(NatsConnectionPool pool, PayloadConverter payloadConverter, NatsBusProperties properties,
			Environment environment, BusTaskExecutors taskExecutors, ObjectProvider<BusTemplateCustomizer> customizers,
			ObjectProvider<NatsPermissionViolations> permissionViolations) {
		BusTemplate template = new BusTemplate(pool, payloadConverter, taskExecutors);
		template.setDefaultTimeout(properties.getRequest().getTimeout());
		template.setPropagateDeadline(properties.getRequest().isPropagateDeadline());
		template.setDrainTimeout(drainTimeout(properties, environment));
		// The server refuses a publish to a denied subject with an error, never a reply:
		// requests waiting for one fail as soon as it arrives.
		permissionViolations.ifAvailable((violations) -> violations.addListener((connection, violation) -> {
			if (violation.operation() == PermissionViolation.Operation.PUBLISH) {
				template.publishDenied(connection, violation.subject(), violation.error());
			}
		}));
		customizers.orderedStream().forEach((customizer) -> customizer.customize(template));
		return template;
	}

	/**
	 * The settings that listeners share unless their annotation says otherwise, with the
	 * application's Bean Validation {@link Validator} for {@code @Valid} payloads (Boot
	 * defines it with {@code spring-boot-starter-validation}) and its single
	 * {@link BusListenerErrorHandler} bean, if any, as the default error handler.
	 */
	@Bean
	@ConditionalOnMissingBean
	BusListenerContainerFactory busListenerContainerFactory(PayloadConverter payloadConverter,
			NatsBusProperties properties, BusTaskExecutors taskExecutors,
			ObjectProvider<ReplyStreamAdapter> replyStreamAdapters, ObjectProvider<Validator> validator,
			ObjectProvider<BusListenerErrorHandler> errorHandler) {
		BusListenerContainerFactory factory = new BusListenerContainerFactory(payloadConverter);
		NatsBusProperties.Listener listener = properties.getListener();
		factory.setConcurrency(listener.getConcurrency());
		factory.setQueue(listener.getQueue());
		factory.setPendingMessageLimit(listener.getPendingMessages());
		factory.setPendingByteLimit(listener.getPendingBytes().toBytes());
		factory.setTaskExecutors(taskExecutors);
		// The application's adapters first, so that they may also take what the default
		// one streams.
		List<ReplyStreamAdapter> adapters = new ArrayList<>(replyStreamAdapters.orderedStream().toList());
		adapters.addAll(factory.getReplyStreamAdapters());
		factory.setReplyStreamAdapters(adapters);
		factory.setValidator(validator.getIfUnique());
		factory.setErrorHandler(errorHandler.getIfUnique());
		factory.setIncludeErrorMessages(
				listener.getError().getIncludeMessage() == NatsBusProperties.ListenerError.IncludeMessage.ALWAYS);
		return factory;
	}

	@Bean
	@ConditionalOnMissingBean
	BusListenerRegistry busListenerRegistry(NatsConnectionPool pool, BusListenerContainerFactory containerFactory,
			NatsBusProperties properties, Environment environment) {
		BusListenerRegistry registry = new BusListenerRegistry(pool, containerFactory);
		registry.setDrainTimeout(drainTimeout(properties, environment));
		return registry;
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	static BusListenerAnnotationBeanPostProcessor busListenerAnnotationBeanPostProcessor(
			ObjectProvider<BusListenerRegistry> registry) {
		return new BusListenerAnnotationBeanPostProcessor(registry::getObject);
	}

	/**
	 * Applies the {@link BusClientInterceptor} and {@link BusListenerInterceptor} beans
	 * to every template and listener registry.
	 */
	@Bean
	static BusInterceptorsPostProcessor busInterceptorsPostProcessor(
			ObjectProvider<BusClientInterceptor> clientInterceptors,
			ObjectProvider<BusListenerInterceptor> listenerInterceptors) {
		return new BusInterceptorsPostProcessor(clientInterceptors, listenerInterceptors);
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

	/** Loaded only when context-propagation is on the class path. */
	private static final class ContextPropagation {

		static void apply(DefaultBusTaskExecutors executors) {
			executors.setContextCapture(CallerContexts.withMdc());
		}

	}

}
