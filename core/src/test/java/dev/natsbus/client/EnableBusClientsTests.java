package dev.natsbus.client;

import java.lang.reflect.Proxy;
import java.util.Map;

import dev.natsbus.BusTestContext;
import dev.natsbus.client.shared.QuoteContract;
import dev.natsbus.client.scanned.ScannedClient;
import dev.natsbus.client.scanned.ScanningConfiguration;
import dev.natsbus.client.shared.QuoteService;
import dev.natsbus.test.NatsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Client beans without Spring Boot: {@link EnableBusClients} finds the interfaces, and
 * the rules of which bean of the interface's type is injected.
 */
class EnableBusClientsTests {

	private static NatsServer server;

	@BeforeAll
	static void start() {
		server = NatsServer.builder().start();
	}

	@AfterAll
	static void stop() {
		server.close();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableBusClients(clients = QuoteContract.class)
	static class Named {

	}

	@Test
	void namedClientIsABean() {
		try (AnnotationConfigApplicationContext context = BusTestContext.start(server.url(), Named.class)) {
			QuoteContract client = context.getBean(QuoteContract.class);
			assertThat(Proxy.isProxyClass(client.getClass())).isTrue();
			assertThat(context.getBeanNamesForType(QuoteContract.class)).containsExactly(QuoteContract.class.getName());
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableBusClients(clients = QuoteContract.class)
	static class WithStandIn {

		@Bean
		QuoteContract standIn() {
			return (QuoteContract) Proxy.newProxyInstance(getClass().getClassLoader(),
					new Class<?>[] { QuoteContract.class }, (proxy, method, args) -> null);
		}

	}

	@Test
	void beanOfTheInterfaceTypeReplacesTheClient() {
		try (AnnotationConfigApplicationContext context = BusTestContext.start(server.url(), WithStandIn.class)) {
			assertThat(context.getBeanNamesForType(QuoteContract.class)).containsExactly("standIn");
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableBusClients(clients = QuoteContract.class)
	static class WithImplementation {

	}

	@Test
	void proxyIsThePrimaryBeanBesideAnImplementation() {
		try (AnnotationConfigApplicationContext context = BusTestContext.start(server.url(), "both", Map.of(),
				WithImplementation.class, QuoteService.class)) {
			QuoteContract injected = context.getBean(QuoteContract.class);
			QuoteService implementation = context.getBean(QuoteService.class);
			assertThat(Proxy.isProxyClass(injected.getClass())).isTrue();
			assertThat(context.getBeanNamesForType(QuoteContract.class)).hasSize(2);
			// The call goes over the bus, to the implementation that serves it here.
			int before = implementation.resets;
			injected.reset();
			assertThat(implementation.resets).isEqualTo(before + 1);
		}
	}

	@Test
	void withoutAttributesThePackageOfTheAnnotatedClassIsScanned() {
		try (AnnotationConfigApplicationContext context = BusTestContext.start(server.url(),
				ScanningConfiguration.class)) {
			assertThat(context.getBeanNamesForType(ScannedClient.class)).containsExactly(ScannedClient.class.getName());
			assertThat(context.getBeanNamesForType(QuoteContract.class)).isEmpty();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableBusClients(clients = BusClientDeclarationTests.TwoPayloads.class)
	static class InvalidClient {

	}

	@Test
	void invalidClientFailsTheStartUpEvenWhenNothingInjectsIt() {
		assertThatException().isThrownBy(() -> BusTestContext.start(server.url(), InvalidClient.class).close())
			.isInstanceOf(BeanCreationException.class)
			.withStackTraceContaining(
					"Invalid @BusClient method " + BusClientDeclarationTests.TwoPayloads.class.getName()
							+ ".reprice(Quote, String): more than one parameter claims the payload");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableBusClients(clients = Quote.class)
	static class NotAClient {

	}

	@Test
	void namingSomethingElseFails() {
		assertThatException().isThrownBy(() -> BusTestContext.start(server.url(), NotAClient.class).close())
			.isInstanceOf(IllegalArgumentException.class)
			.withStackTraceContaining("names " + Quote.class.getName() + ", which is not a @BusClient interface");
	}

}
