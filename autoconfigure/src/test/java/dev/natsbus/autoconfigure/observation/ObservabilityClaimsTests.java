package dev.natsbus.autoconfigure.observation;

import java.time.Duration;

import dev.natsbus.BusListener;
import dev.natsbus.BusPayloadTooLargeException;
import dev.natsbus.autoconfigure.NatsBusAutoConfiguration;
import dev.natsbus.observation.BusListenerContext;
import dev.natsbus.observation.BusSendContext;
import dev.natsbus.observation.DefaultBusListenerObservationConvention;
import dev.natsbus.observation.DefaultBusSendObservationConvention;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServer;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The README's metrics table rows not covered elsewhere: the {@code natsbus.send} timer,
 * the {@code error} outcome of a request, and the send and listener observation
 * convention beans.
 */
@Timeout(60)
class ObservabilityClaimsTests {

	private static NatsServer server;

	@BeforeAll
	static void startServer() {
		server = NatsServer.builder().maxPayload(1024).start();
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Test
	void sendsAreTimedAndAFailureOutsideTheNamedKindsIsAnError() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class, NatsBusAutoConfiguration.class,
					NatsBusObservationAutoConfiguration.class, NatsBusMetricsAutoConfiguration.class))
			.withPropertyValues("natsbus.servers=" + server.url())
			.withUserConfiguration(Events.class)
			.run((context) -> {
				BusTemplate bus = context.getBean(BusTemplate.class);
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				bus.send("obs.claims.event", "hello");
				byte[] tooLarge = new byte[2048];
				assertThatExceptionOfType(BusPayloadTooLargeException.class)
					.isThrownBy(() -> bus.send("obs.claims.event", tooLarge));
				assertThatExceptionOfType(BusPayloadTooLargeException.class)
					.isThrownBy(() -> bus.request("obs.claims.event", tooLarge, String.class));
				assertThat(meters.get("natsbus.send")
					.tag("natsbus.subject", "obs.claims.event")
					.tag("natsbus.outcome", "success")
					.timer()
					.count()).isEqualTo(1);
				assertThat(meters.get("natsbus.send")
					.tag("natsbus.subject", "obs.claims.event")
					.tag("natsbus.outcome", "error")
					.timer()
					.count()).isEqualTo(1);
				assertThat(meters.get("natsbus.request")
					.tag("natsbus.subject", "obs.claims.event")
					.tag("natsbus.outcome", "error")
					.tag("natsbus.error.code", "none")
					.timer()
					.count()).isEqualTo(1);
			});
	}

	@Test
	void sendAndListenerConventionBeansAreUsed() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(NatsBusAutoConfiguration.class, NatsBusObservationAutoConfiguration.class))
			.withPropertyValues("natsbus.servers=" + server.url())
			.withUserConfiguration(Events.class)
			.withBean(ObservationRegistry.class, () -> registry)
			.withBean(DefaultBusSendObservationConvention.class, () -> new DefaultBusSendObservationConvention() {

				@Override
				public KeyValues getLowCardinalityKeyValues(BusSendContext context) {
					return super.getLowCardinalityKeyValues(context).and("team", "sending");
				}

			})
			.withBean(DefaultBusListenerObservationConvention.class,
					() -> new DefaultBusListenerObservationConvention() {

						@Override
						public KeyValues getLowCardinalityKeyValues(BusListenerContext context) {
							return super.getLowCardinalityKeyValues(context).and("team", "listening");
						}

					})
			.run((context) -> {
				context.getBean(BusTemplate.class).send("obs.claims.event", "hello");
				await().atMost(Duration.ofSeconds(5))
					.untilAsserted(() -> assertThat(registry).hasObservationWithNameEqualTo("natsbus.listener")
						.that()
						.hasBeenStopped()
						.hasLowCardinalityKeyValue("team", "listening")
						.hasLowCardinalityKeyValue("natsbus.listener.id", "claims-events"));
				assertThat(registry).hasObservationWithNameEqualTo("natsbus.send")
					.that()
					.hasLowCardinalityKeyValue("team", "sending")
					.hasLowCardinalityKeyValue("natsbus.outcome", "success");
			});
	}

	static class Events {

		@BusListener(id = "claims-events", subject = "obs.claims.event")
		void event(String text) {
		}

	}

}
