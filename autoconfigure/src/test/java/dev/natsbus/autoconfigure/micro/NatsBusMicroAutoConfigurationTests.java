package dev.natsbus.autoconfigure.micro;

import java.util.Map;

import dev.natsbus.BusListener;
import dev.natsbus.BusService;
import dev.natsbus.autoconfigure.NatsBusAutoConfiguration;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.micro.MicroServiceResponder;
import dev.natsbus.micro.ServiceDefinition;
import dev.natsbus.test.NatsServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default service from natsbus.service.* and the application, and when the responder
 * exists.
 */
@Timeout(30)
class NatsBusMicroAutoConfigurationTests {

	@RegisterExtension
	static final NatsServerExtension nats = NatsServerExtension.server();

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(NatsBusAutoConfiguration.class, NatsBusMicroAutoConfiguration.class))
			.withPropertyValues("natsbus.servers=" + nats.url())
			.withUserConfiguration(Listener.class);
	}

	@Test
	void defaultServiceIsNamedAfterTheApplicationWithItsVersion() {
		runner().withPropertyValues("spring.application.name=quotes", "spring.application.version=1.4.0-SNAPSHOT")
			.run(context -> assertThat(defaultService(context.getBean(MicroServiceResponder.class)))
				.isEqualTo(new ServiceDefinition("quotes", "1.4.0-SNAPSHOT", "", Map.of())));
	}

	@Test
	void withoutApplicationNameAndVersionTheServiceIsNatsbus000() {
		runner().run(context -> {
			ServiceDefinition service = defaultService(context.getBean(MicroServiceResponder.class));
			assertThat(service.name()).isEqualTo("natsbus");
			assertThat(service.version()).isEqualTo("0.0.0");
		});
	}

	@Test
	void propertiesWinOverTheApplication() {
		runner()
			.withPropertyValues("spring.application.name=quotes", "spring.application.version=1.4.0",
					"natsbus.service.name=quote-service", "natsbus.service.version=2.0.0",
					"natsbus.service.description=Stock quotes", "natsbus.service.metadata.region=eu")
			.run(context -> assertThat(defaultService(context.getBean(MicroServiceResponder.class)))
				.isEqualTo(new ServiceDefinition("quote-service", "2.0.0", "Stock quotes", Map.of("region", "eu"))));
	}

	@Test
	void applicationNameAndVersionThatBreakTheProtocolAreAdapted() {
		runner()
			.withPropertyValues("spring.application.name=quote.service api", "spring.application.version=1.0-SNAPSHOT")
			.run(context -> {
				ServiceDefinition service = defaultService(context.getBean(MicroServiceResponder.class));
				assertThat(service.name()).isEqualTo("quote-service-api");
				assertThat(service.version()).isEqualTo("0.0.0");
			});
	}

	@Test
	void invalidServiceNamePropertyFailsStartUp() {
		runner().withPropertyValues("natsbus.service.name=quote.service")
			.run(context -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("name 'quote.service' is invalid"));
		runner().withPropertyValues("natsbus.service.name=quote.service")
			.run(context -> assertThat(context).getFailure()
				.hasMessageContaining("Invalid natsbus.service configuration"));
	}

	@Test
	void invalidServiceVersionPropertyFailsStartUp() {
		runner().withPropertyValues("natsbus.service.version=1.0")
			.run(context -> assertThat(context).getFailure()
				.hasMessageContaining("Invalid natsbus.service configuration")
				.hasMessageContaining("version '1.0', which is not a semantic version"));
	}

	@Test
	void invalidBusServiceFailsStartUpBeforeListenersSubscribe() {
		// Thrown as it is rather than wrapped as a failed lifecycle start: no listener
		// subscribed.
		runner().withUserConfiguration(BadService.class)
			.run(context -> assertThat(context).getFailure()
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("Invalid @BusService on " + BadService.class.getName())
				.hasMessageContaining("version 'latest'"));
	}

	@Test
	void canBeSwitchedOff() {
		runner().withPropertyValues("natsbus.service.enabled=false")
			.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(MicroServiceResponder.class));
	}

	@Test
	void backsOffWithoutTheBus() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NatsBusMicroAutoConfiguration.class))
			.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(MicroServiceResponder.class));
	}

	@Test
	void backsOffForTheUsersOwnResponder() {
		runner().withUserConfiguration(UserResponder.class).run(context -> {
			assertThat(context).hasSingleBean(MicroServiceResponder.class);
			assertThat(defaultService(context.getBean(MicroServiceResponder.class)).name()).isEqualTo("mine");
		});
	}

	private static ServiceDefinition defaultService(MicroServiceResponder responder) {
		return responder.getServices().get(0).definition();
	}

	@Configuration(proxyBeanMethods = false)
	static class Listener {

		@BusListener("micro.auto.echo")
		String echo(String in) {
			return in;
		}

	}

	@BusService(name = "bad", version = "latest")
	static class BadService {

		@BusListener("micro.auto.bad")
		void handle(String in) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserResponder {

		@Bean
		MicroServiceResponder myResponder(NatsConnectionPool pool, BusListenerRegistry registry) {
			return new MicroServiceResponder(pool, registry, new ServiceDefinition("mine", "1.0.0", "", null));
		}

	}

}
