package dev.natsbus.autoconfigure.client;

import java.lang.reflect.Proxy;
import java.time.Duration;

import dev.natsbus.BusTimeoutException;
import dev.natsbus.autoconfigure.NatsBusAutoConfiguration;
import dev.natsbus.autoconfigure.client.app.AppConfiguration;
import dev.natsbus.autoconfigure.client.app.GreetingClient;
import dev.natsbus.autoconfigure.client.invalid.InvalidApplication;
import dev.natsbus.autoconfigure.client.invalid.InvalidClient;
import dev.natsbus.autoconfigure.client.shared.SharedClient;
import dev.natsbus.autoconfigure.client.shared.SharedService;
import dev.natsbus.autoconfigure.client.shared.WithSharedClients;
import dev.natsbus.client.BusClientProxyFactory;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.EmbeddedValueResolver;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.retry.RetryPolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Client beans with Spring Boot, against a real server: found in the application's
 * packages, added from elsewhere with {@code @EnableBusClients}, replaced by a bean of
 * the application, checked at start-up, and timed out as declared.
 */
@Timeout(60)
class NatsBusClientAutoConfigurationTests {

	@RegisterExtension
	static final NatsServerExtension nats = NatsServerExtension.server();

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(NatsBusAutoConfiguration.class, NatsBusClientAutoConfiguration.class))
			.withPropertyValues("natsbus.servers=" + nats.url());
	}

	@Test
	void clientsInTheApplicationPackagesAreBeans() {
		runner().withUserConfiguration(AppConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(GreetingClient.class).doesNotHaveBean(SharedClient.class);
			assertThat(context.getBean(GreetingClient.class).hello("ada")).isEqualTo("hello ada");
		});
	}

	@Test
	void placeholdersComeFromTheEnvironment() {
		runner().withUserConfiguration(AppConfiguration.class)
			.withPropertyValues("greeting.subject=greet.custom")
			.run((context) -> assertThat(context.getBean(GreetingClient.class).hello("ada")).isEqualTo("custom ada"));
	}

	@Test
	void perCallTimeoutBeatsTheAnnotationWhichBeatsTheRequestTimeoutProperty() {
		runner().withUserConfiguration(AppConfiguration.class)
			.withPropertyValues("natsbus.request.timeout=333ms")
			.run((context) -> {
				GreetingClient client = context.getBean(GreetingClient.class);
				try (Connection silent = Nats.connect(nats.url())) {
					silent.createDispatcher((message) -> {
					}).subscribe("greet.silent");
					silent.flush(Duration.ofSeconds(2));
					assertThat(timeoutOf(client::silent)).isEqualTo(Duration.ofMillis(333));
					assertThat(timeoutOf(client::silentAnnotated)).isEqualTo(Duration.ofMillis(222));
					assertThat(timeoutOf(() -> client.silentPerCall(Duration.ofMillis(111))))
						.isEqualTo(Duration.ofMillis(111));
				}
			});
	}

	private static Duration timeoutOf(Runnable call) {
		try {
			call.run();
		}
		catch (BusTimeoutException ex) {
			return ex.getTimeout();
		}
		throw new AssertionError("no timeout");
	}

	@Test
	void enableBusClientsAddsInterfacesFromElsewhere() {
		runner().withUserConfiguration(AppConfiguration.class, WithSharedClients.class).run((context) -> {
			assertThat(context).hasSingleBean(GreetingClient.class).hasSingleBean(SharedClient.class);
			assertThat(context.getBeanNamesForType(SharedClient.class)).containsExactly(SharedClient.class.getName());
		});
	}

	@Test
	void aBeanOfTheApplicationReplacesTheClient() {
		runner().withUserConfiguration(AppConfiguration.class, StandIn.class).run((context) -> {
			assertThat(context.getBeanNamesForType(GreetingClient.class)).containsExactly("standInGreetingClient");
			assertThat(context.getBean(GreetingClient.class).hello("ada")).isEqualTo("stand-in ada");
		});
	}

	@Test
	void theProxyIsInjectedBesideAnImplementation() {
		runner().withUserConfiguration(WithSharedClients.class, SharedServiceConfiguration.class).run((context) -> {
			assertThat(context.getBeanNamesForType(SharedClient.class)).hasSize(2);
			SharedClient client = context.getBean(SharedClient.class);
			assertThat(Proxy.isProxyClass(client.getClass())).isTrue();
			context.getBean(NatsConnectionPool.class).flush(Duration.ofSeconds(2));
			assertThat(client.count("abc")).isEqualTo(3);
			assertThat(context.getBean(SharedService.class).calls).hasValue(1);
		});
	}

	@Test
	void invalidDeclarationFailsTheStartUp() {
		runner().withUserConfiguration(InvalidApplication.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure())
				.hasMessageContaining("Invalid @BusClient method " + InvalidClient.class.getName()
						+ ".send(String): @BusSend is fire-and-forget and must be void, not java.lang.String;"
						+ " declare @BusRequest to wait for a reply");
		});
	}

	@Test
	void withoutAutoConfigurationPackagesThereAreNoClients() {
		runner().run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(BusClientProxyFactory.class);
			assertThat(context).doesNotHaveBean(GreetingClient.class);
		});
	}

	@Test
	void theApplicationsProxyFactoryMakesTheClients() {
		runner().withUserConfiguration(AppConfiguration.class, RetryingClients.class).run((context) -> {
			assertThat(context).hasSingleBean(BusClientProxyFactory.class);
			assertThat(context.getBean(BusClientProxyFactory.class).getOperations()).isNotInstanceOf(BusTemplate.class);
			assertThat(context.getBean(GreetingClient.class).hello("ada")).isEqualTo("hello ada");
		});
	}

	@Test
	void clientsWorkWithoutReactor() {
		// Context-propagation left out too: its registry, first loaded here, would find
		// Reactor's accessor listed as a service and fail to load it for the whole JVM.
		runner().withClassLoader(new FilteredClassLoader("reactor.", "io.micrometer.context."))
			.withUserConfiguration(AppConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(GreetingClient.class).hello("ada")).isEqualTo("hello ada");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class StandIn {

		@Bean
		GreetingClient standInGreetingClient() {
			return (GreetingClient) Proxy.newProxyInstance(getClass().getClassLoader(),
					new Class<?>[] { GreetingClient.class }, (proxy, method, args) -> "stand-in " + args[0]);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(SharedService.class)
	static class SharedServiceConfiguration {

	}

	@Configuration(proxyBeanMethods = false)
	static class RetryingClients {

		@Bean
		BusClientProxyFactory retryingClients(BusTemplate template, ConfigurableListableBeanFactory beanFactory) {
			BusClientProxyFactory factory = new BusClientProxyFactory(template.withRetry(RetryPolicy.withDefaults()));
			factory.setEmbeddedValueResolver(new EmbeddedValueResolver(beanFactory));
			return factory;
		}

	}

}
