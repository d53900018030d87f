package dev.natsbus;

import dev.natsbus.template.BusTemplate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.conversion.JsonPayloadConverter;
import dev.natsbus.conversion.PayloadConverter;
import dev.natsbus.listener.BusListenerAnnotationBeanPostProcessor;
import dev.natsbus.listener.BusListenerContainerFactory;
import dev.natsbus.listener.BusListenerRegistry;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;

/**
 * The bus wired by hand in a plain Spring context, as an application without Boot would,
 * against a real server. Shared by the core tests of every package.
 */
public final class BusTestContext {

	private BusTestContext() {
	}

	public static AnnotationConfigApplicationContext start(String url, Class<?>... components) {
		return start(url, "core-test", Map.of(), components);
	}

	/**
	 * Starts a context with the bus, {@code components}, and {@code properties} for their
	 * placeholders; the connection is named {@code name-0}.
	 */
	public static AnnotationConfigApplicationContext start(String url, String name, Map<String, Object> properties,
			Class<?>... components) {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		Map<String, Object> all = new java.util.HashMap<>(properties);
		all.put("test.nats.url", url);
		all.put("test.nats.name", name);
		context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", all));
		context.register(BusConfiguration.class);
		context.register(components);
		context.refresh();
		return context;
	}

	/**
	 * A post-processor that adjusts the listener registry's container factory and every
	 * template before they are used, as the Boot auto-configuration does: declare it as a
	 * {@code static @Bean} of a test configuration.
	 */
	public static BeanPostProcessor configuring(Consumer<BusListenerContainerFactory> listeners,
			Consumer<BusTemplate> templates) {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessBeforeInitialization(Object bean, String beanName) {
				if (bean instanceof BusListenerRegistry registry) {
					listeners.accept(registry.getContainerFactory());
				}
				else if (bean instanceof BusTemplate template) {
					templates.accept(template);
				}
				return bean;
			}

		};
	}

	/**
	 * A connection whose subscriber takes every request on {@code subject} and never
	 * answers, so that a caller can only time out.
	 */
	public static Connection silentResponder(String url, String subject) throws Exception {
		Connection connection = Nats.connect(url);
		connection.createDispatcher(message -> {
		}).subscribe(subject);
		connection.flush(Duration.ofSeconds(2));
		return connection;
	}

	@Configuration(proxyBeanMethods = false)
	public static class BusConfiguration {

		@Bean(destroyMethod = "close")
		NatsConnectionPool natsConnectionPool(Environment environment) {
			Options options = new Options.Builder().server(environment.getRequiredProperty("test.nats.url"))
				.connectionName(environment.getRequiredProperty("test.nats.name") + "-0")
				.reportNoResponders()
				.build();
			return NatsConnectionPool.connect(List.of(options));
		}

		@Bean
		PayloadConverter payloadConverter() {
			return new JsonPayloadConverter();
		}

		@Bean(destroyMethod = "destroy")
		BusTemplate busTemplate(NatsConnectionPool pool, PayloadConverter converter) {
			return new BusTemplate(pool, converter);
		}

		@Bean
		BusListenerRegistry busListenerRegistry(NatsConnectionPool pool, PayloadConverter converter) {
			return new BusListenerRegistry(pool, converter);
		}

		@Bean
		static BusListenerAnnotationBeanPostProcessor busListenerAnnotationBeanPostProcessor(
				ObjectProvider<BusListenerRegistry> registry) {
			return new BusListenerAnnotationBeanPostProcessor(registry::getObject);
		}

	}

}
