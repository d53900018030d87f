package dev.natsbus.autoconfigure.actuate;

import dev.natsbus.autoconfigure.NatsBusAutoConfiguration;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServer;
import dev.natsbus.test.NatsServerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the {@code natsbus} endpoint exists: with Actuator's endpoint support, exposed and
 * not switched off, unless the application defines its own.
 */
@NatsServerTest
@Timeout(60)
class NatsBusEndpointAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(NatsBusAutoConfiguration.class, NatsBusEndpointAutoConfiguration.class));

	@Test
	void notThereUnlessExposed(NatsServer server) {
		this.runner.withPropertyValues("natsbus.servers=" + server.url())
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(BusTemplate.class)
				.doesNotHaveBean(NatsBusEndpoint.class)
				.doesNotHaveBean(NatsBusEndpointWebExtension.class));
	}

	@Test
	void exposedOverTheWebWithItsWebExtension(NatsServer server) {
		this.runner
			.withPropertyValues("natsbus.servers=" + server.url(), "management.endpoints.web.exposure.include=natsbus")
			.run((context) -> assertThat(context).hasSingleBean(NatsBusEndpoint.class)
				.hasSingleBean(NatsBusEndpointWebExtension.class));
	}

	@Test
	void exposedOverJmxOnlyWithoutTheWebExtension(NatsServer server) {
		this.runner
			.withPropertyValues("natsbus.servers=" + server.url(), "spring.jmx.enabled=true",
					"management.endpoints.jmx.exposure.include=natsbus")
			.run((context) -> assertThat(context).hasSingleBean(NatsBusEndpoint.class)
				.doesNotHaveBean(NatsBusEndpointWebExtension.class));
	}

	@Test
	void notThereWhenItsAccessIsNone(NatsServer server) {
		this.runner
			.withPropertyValues("natsbus.servers=" + server.url(), "management.endpoints.web.exposure.include=natsbus",
					"management.endpoint.natsbus.access=NONE")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(NatsBusEndpoint.class));
	}

	@Test
	void notThereWithoutActuatorAndNothingFailsToLoad(NatsServer server) {
		for (String hidden : new String[] { "org.springframework.boot.actuate",
				"org.springframework.boot.actuate.autoconfigure" }) {
			this.runner
				.withPropertyValues("natsbus.servers=" + server.url(),
						"management.endpoints.web.exposure.include=natsbus")
				.withClassLoader(new FilteredClassLoader(hidden))
				.run((context) -> assertThat(context).as("without %s", hidden)
					.hasNotFailed()
					.hasSingleBean(BusTemplate.class)
					.doesNotHaveBean(NatsBusEndpoint.class)
					.doesNotHaveBean(NatsBusEndpointWebExtension.class));
		}
	}

	@Test
	void backsOffForTheApplicationsOwnEndpoint(NatsServer server) {
		this.runner
			.withPropertyValues("natsbus.servers=" + server.url(), "management.endpoints.web.exposure.include=natsbus")
			.withUserConfiguration(OwnEndpoint.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(NatsBusEndpoint.class).hasBean("ownNatsBusEndpoint");
				assertThat(context.getBean(NatsBusEndpointWebExtension.class)).isNotNull();
			});
	}

	@Test
	void registersReflectionHintsForTheWebExtensionsBodies() {
		RuntimeHints hints = new RuntimeHints();
		new NatsBusEndpointWebExtension.NatsBusEndpointWebExtensionRuntimeHints().registerHints(hints,
				getClass().getClassLoader());
		for (Class<?> body : new Class<?>[] { ListenerDescriptor.class, InvalidActionDescriptor.class }) {
			assertThat(RuntimeHintsPredicates.reflection().onType(body)).accepts(hints);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnEndpoint {

		@Bean
		NatsBusEndpoint ownNatsBusEndpoint(BusListenerRegistry registry, NatsConnectionPool pool) {
			return new NatsBusEndpoint(registry, pool);
		}

	}

}
