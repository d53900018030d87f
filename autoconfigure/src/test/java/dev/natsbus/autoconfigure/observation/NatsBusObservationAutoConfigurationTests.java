package dev.natsbus.autoconfigure.observation;

import java.time.Duration;

import dev.natsbus.BusRemoteException;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.autoconfigure.NatsBusAutoConfiguration;
import dev.natsbus.autoconfigure.health.NatsBusHealthContributorAutoConfiguration;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.conversion.PayloadConverter;
import dev.natsbus.observation.BusRequestContext;
import dev.natsbus.observation.DefaultBusRequestObservationConvention;
import dev.natsbus.test.NatsServerExtension;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The ObservationRegistry wired into the bus, the off switch, and the bus without
 * Micrometer's Boot modules.
 */
@Timeout(60)
class NatsBusObservationAutoConfigurationTests {

	@RegisterExtension
	static final NatsServerExtension nats = NatsServerExtension.server();

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(NatsBusAutoConfiguration.class, NatsBusObservationAutoConfiguration.class,
							NatsBusMetricsAutoConfiguration.class, NatsBusHealthContributorAutoConfiguration.class))
			.withPropertyValues("natsbus.servers=" + nats.url())
			.withUserConfiguration(GreetingListener.class);
	}

	@Test
	void requestsAndListenersAreObservedThroughTheRegistryBean() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		runner().withBean(ObservationRegistry.class, () -> registry).run(context -> {
			assertThat(context.getBean(BusTemplate.class).request("greet.ada", "ada", String.class))
				.isEqualTo("hello ada");
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(registry).hasObservationWithNameEqualTo("natsbus.listener")
					.that()
					.hasBeenStopped()
					.hasLowCardinalityKeyValue("natsbus.subject", "greet.*")
					.hasLowCardinalityKeyValue("natsbus.listener.id", "greeter")
					.hasLowCardinalityKeyValue("natsbus.outcome", "success"));
			assertThat(registry).hasObservationWithNameEqualTo("natsbus.request")
				.that()
				.hasBeenStopped()
				.hasLowCardinalityKeyValue("natsbus.subject", "greet.ada")
				.hasLowCardinalityKeyValue("natsbus.outcome", "success");
		});
	}

	@Test
	void offSwitchLeavesTheBusUnobserved() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		runner().withBean(ObservationRegistry.class, () -> registry)
			.withPropertyValues("natsbus.observation.enabled=false")
			.run(context -> {
				assertThat(context).doesNotHaveBean(NatsBusObservationAutoConfiguration.class);
				assertThat(context.getBean(BusTemplate.class).request("greet.bob", "bob", String.class))
					.isEqualTo("hello bob");
				assertThat(registry).doesNotHaveAnyObservation();
			});
	}

	@Test
	void userDefinedTemplateIsObservedToo() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		runner().withBean(ObservationRegistry.class, () -> registry)
			.withUserConfiguration(UserTemplateConfiguration.class)
			.run(context -> {
				assertThat(context).getBean(BusTemplate.class).isSameAs(context.getBean("myTemplate"));
				context.getBean(BusTemplate.class).request("greet.cy", "cy", String.class);
				assertThat(registry).hasObservationWithNameEqualTo("natsbus.request")
					.that()
					.hasLowCardinalityKeyValue("natsbus.subject", "greet.cy");
			});
	}

	@Test
	void conventionBeansAreUsed() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		runner().withBean(ObservationRegistry.class, () -> registry)
			.withBean(DefaultBusRequestObservationConvention.class, () -> new DefaultBusRequestObservationConvention() {

				@Override
				public KeyValues getLowCardinalityKeyValues(BusRequestContext context) {
					return super.getLowCardinalityKeyValues(context).and("team", "payments");
				}

			})
			.run(context -> {
				context.getBean(BusTemplate.class).request("greet.cy", "cy", String.class);
				assertThat(registry).hasObservationWithNameEqualTo("natsbus.request")
					.that()
					.hasLowCardinalityKeyValue("team", "payments")
					.hasLowCardinalityKeyValue("natsbus.outcome", "success");
			});
	}

	@Test
	void timersOfTheObservationsAreMeters() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class, NatsBusAutoConfiguration.class,
					NatsBusObservationAutoConfiguration.class, NatsBusMetricsAutoConfiguration.class))
			.withPropertyValues("natsbus.servers=" + nats.url())
			.withUserConfiguration(GreetingListener.class)
			.run(context -> {
				BusTemplate bus = context.getBean(BusTemplate.class);
				bus.request("greet.dan", "dan", String.class);
				assertThatExceptionOfType(BusRemoteException.class)
					.isThrownBy(() -> bus.request("refuse", "eve", String.class));
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				await().atMost(Duration.ofSeconds(5))
					.until(() -> meters.find("natsbus.listener").tag("natsbus.listener.id", "refuser").timer() != null);
				Timer success = meters.get("natsbus.request")
					.tag("natsbus.subject", "greet.dan")
					.tag("natsbus.outcome", "success")
					.tag("natsbus.error.code", "none")
					.timer();
				assertThat(success.count()).isEqualTo(1);
				Timer refused = meters.get("natsbus.request")
					.tag("natsbus.subject", "refuse")
					.tag("natsbus.outcome", "remote_error")
					.tag("natsbus.error.code", "403")
					.timer();
				assertThat(refused.count()).isEqualTo(1);
				assertThat(meters.get("natsbus.listener")
					.tag("natsbus.subject", "refuse")
					.tag("natsbus.listener.id", "refuser")
					.tag("natsbus.outcome", "error")
					.tag("natsbus.error.code", "403")
					.timer()
					.count()).isEqualTo(1);
			});
	}

	@Test
	void observationsInProgressAreLongTaskTimers() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class, NatsBusAutoConfiguration.class,
					NatsBusObservationAutoConfiguration.class, NatsBusMetricsAutoConfiguration.class))
			.withPropertyValues("natsbus.servers=" + nats.url())
			.withUserConfiguration(GreetingListener.class)
			.run(context -> {
				BusTemplate bus = context.getBean(BusTemplate.class);
				bus.request("greet.hal", "hal", String.class);
				bus.send("greet.ivy", "ivy");
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				// Micrometer's DefaultMeterObservationHandler adds one per observation
				// name: what is running now, and for how long.
				await().atMost(Duration.ofSeconds(5))
					.until(() -> meters.find("natsbus.send.active")
						.tag("natsbus.subject", "greet.ivy")
						.longTaskTimer() != null);
				assertThat(meters.get("natsbus.request.active")
					.tag("natsbus.subject", "greet.hal")
					.longTaskTimer()
					.activeTasks()).isZero();
				assertThat(meters.get("natsbus.listener.active")
					.tag("natsbus.subject", "greet.*")
					.tag("natsbus.listener.id", "greeter")
					.longTaskTimer()).isNotNull();
			});
	}

	@Test
	void busWorksWithoutMicrometerBootModulesMetricsOrHealth() {
		runner()
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.micrometer", "io.micrometer.core",
					"org.springframework.boot.health"))
			.run(context -> {
				assertThat(context).hasNotFailed()
					.hasSingleBean(NatsConnectionPool.class)
					.doesNotHaveBean(NatsBusMeterBinder.class)
					.doesNotHaveBean("natsbusHealthIndicator");
				assertThat(context.getBean(BusTemplate.class).request("greet.fay", "fay", String.class))
					.isEqualTo("hello fay");
			});
	}

	@Test
	void busWorksWithoutObservationRegistryBean() {
		runner().run(context -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(ObservationRegistry.class);
			assertThat(context.getBean(BusTemplate.class).request("greet.gus", "gus", String.class))
				.isEqualTo("hello gus");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserTemplateConfiguration {

		@Bean(destroyMethod = "destroy")
		BusTemplate myTemplate(NatsConnectionPool pool, PayloadConverter converter) {
			return new BusTemplate(pool, converter);
		}

	}

}
