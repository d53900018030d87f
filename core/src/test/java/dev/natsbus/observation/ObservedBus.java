package dev.natsbus.observation;

import java.util.List;
import java.util.Map;

import dev.natsbus.BusTemplate;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.conversion.JsonPayloadConverter;
import dev.natsbus.conversion.PayloadConverter;
import dev.natsbus.listener.BusListenerAnnotationBeanPostProcessor;
import dev.natsbus.listener.BusListenerRegistry;
import io.nats.client.Options;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;

/** The bus wired by hand in a plain Spring context against a real server, for observation tests. */
final class ObservedBus {

	private ObservedBus() {
	}

	static AnnotationConfigApplicationContext start(String url, String name, Class<?>... components) {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("test", Map.of("test.nats.url", url, "test.nats.name", name)));
		context.register(BusConfiguration.class);
		context.register(components);
		context.refresh();
		return context;
	}

	@Configuration(proxyBeanMethods = false)
	static class BusConfiguration {

		@Bean(destroyMethod = "close")
		NatsConnectionPool natsConnectionPool(Environment environment) {
			Options options = new Options.Builder().server(environment.getRequiredProperty("test.nats.url"))
				.connectionName(environment.getRequiredProperty("test.nats.name"))
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
			return new BusListenerAnnotationBeanPostProcessor(registry::getObject,
					BusListenerAnnotationBeanPostProcessor.ListenerDefaults.standard());
		}

	}

}
