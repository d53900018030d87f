package dev.natsbus.autoconfigure.observation;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.natsbus.BusListener;
import dev.natsbus.autoconfigure.NatsBusAutoConfiguration;
import dev.natsbus.protocol.Deadlines;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.impl.Headers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The gauges and counters of the bus in a SimpleMeterRegistry, against a real server. */
@Timeout(60)
class NatsBusMetricsAutoConfigurationTests {

	private static NatsServer server;

	@BeforeAll
	static void start() throws IOException {
		server = NatsServer.builder().port(freePort()).start();
	}

	@AfterAll
	static void stop() {
		server.close();
	}

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
							NatsBusAutoConfiguration.class, NatsBusMetricsAutoConfiguration.class))
			.withPropertyValues("natsbus.servers=" + server.url(), "natsbus.pool.size=2",
					"natsbus.connection-name=metrics", "natsbus.reconnect-wait=100ms")
			.withUserConfiguration(GreetingListener.class);
	}

	@Test
	void gaugesAndCountersOfTheBus() {
		runner().run(context -> {
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters).isInstanceOf(SimpleMeterRegistry.class);
			assertThat(meters.get("natsbus.requests.in.flight").gauge().value()).isZero();
			assertThat(meters.get("natsbus.connections").tag("status", "connected").gauge().value()).isEqualTo(2);
			assertThat(meters.get("natsbus.connections").tag("status", "reconnecting").gauge().value()).isZero();
			assertThat(meters.get("natsbus.reconnects").tag("connection", "metrics-0").functionCounter().count())
				.isZero();
			assertThat(
					meters.get("natsbus.listener.workers.busy").tag("natsbus.listener.id", "greeter").gauge().value())
				.isZero();
			assertThat(meters.get("natsbus.listener.dropped")
				.tag("natsbus.listener.id", "greeter")
				.functionCounter()
				.count()).isZero();
			assertThat(meters.get("natsbus.listener.expired")
				.tag("natsbus.listener.id", "refuser")
				.functionCounter()
				.count()).isZero();
		});
	}

	@Test
	void gaugesRiseWhileRequestsAreHeldAndFallBack() {
		HeldListener.release = new CountDownLatch(1);
		runner().withUserConfiguration(HeldListener.class)
			.withPropertyValues("natsbus.listener.pending-messages=5")
			.run(context -> {
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				BusTemplate bus = context.getBean(BusTemplate.class);
				try (Connection raw = Nats.connect(server.url())) {
					List<CompletableFuture<String>> held = List.of(
							bus.requestAsync("held.work", "a", String.class, Duration.ofSeconds(20)),
							bus.requestAsync("held.work", "b", String.class, Duration.ofSeconds(20)));
					await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
						assertThat(meters.get("natsbus.requests.in.flight").gauge().value()).isEqualTo(2);
						assertThat(meters.get("natsbus.listener.workers.busy")
							.tag("natsbus.listener.id", "held")
							.gauge()
							.value()).isEqualTo(2);
					});

					// Its one worker held, the dropper holds 5 messages at most and drops
					// the rest.
					for (int i = 0; i < 50; i++) {
						raw.publish("held.drop", ("m" + i).getBytes(StandardCharsets.UTF_8));
					}
					raw.flush(Duration.ofSeconds(2));
					await().atMost(Duration.ofSeconds(5))
						.untilAsserted(() -> assertThat(meters.get("natsbus.listener.dropped")
							.tag("natsbus.listener.id", "dropper")
							.functionCounter()
							.count()).isPositive());

					HeldListener.release.countDown();
					assertThat(CompletableFuture.allOf(held.toArray(CompletableFuture[]::new)))
						.succeedsWithin(Duration.ofSeconds(10));
					assertThat(held).allSatisfy(reply -> assertThat(reply.join()).startsWith("done "));
					await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
						assertThat(meters.get("natsbus.requests.in.flight").gauge().value()).isZero();
						assertThat(meters.get("natsbus.listener.workers.busy")
							.tag("natsbus.listener.id", "held")
							.gauge()
							.value()).isZero();
						assertThat(meters.get("natsbus.listener.workers.busy")
							.tag("natsbus.listener.id", "dropper")
							.gauge()
							.value()).isZero();
					});
				}
				finally {
					HeldListener.release.countDown();
				}
			});
	}

	@Test
	void expiredRequestsAreCounted() {
		runner().run(context -> {
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			try (Connection raw = Nats.connect(server.url())) {
				// A request whose caller gave up a second ago: the listener skips it.
				Headers headers = new Headers().put(Deadlines.HEADER, Long.toString(System.currentTimeMillis() - 1000));
				raw.publish("greet.late", "_INBOX.nobody", headers, "late".getBytes(StandardCharsets.UTF_8));
				raw.flush(Duration.ofSeconds(2));
			}
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(meters.get("natsbus.listener.expired")
					.tag("natsbus.listener.id", "greeter")
					.functionCounter()
					.count()).isEqualTo(1));
		});
	}

	@Test
	void connectionStatesAndReconnectsFollowTheServer() {
		runner().run(context -> {
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			server.stop();
			try {
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(
							meters.get("natsbus.connections").tag("status", "connected").gauge().value())
						.isZero());
			}
			finally {
				server.start();
			}
			await().atMost(Duration.ofSeconds(15))
				.untilAsserted(
						() -> assertThat(meters.get("natsbus.connections").tag("status", "connected").gauge().value())
							.isEqualTo(2));
			assertThat(meters.get("natsbus.reconnects").tag("connection", "metrics-1").functionCounter().count())
				.isEqualTo(1);
		});
	}

	@Test
	void noMetersWithoutMeterRegistryOrMicrometer() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(NatsBusAutoConfiguration.class, NatsBusMetricsAutoConfiguration.class))
			.withPropertyValues("natsbus.servers=" + server.url())
			.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(NatsBusMeterBinder.class));
		runner().withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(NatsBusMeterBinder.class));
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/** Listeners whose workers stay busy until the test releases them. */
	static class HeldListener {

		static volatile CountDownLatch release = new CountDownLatch(1);

		@BusListener(subject = "held.work", id = "held", concurrency = "2")
		String work(String text) throws InterruptedException {
			release.await(20, TimeUnit.SECONDS);
			return "done " + text;
		}

		@BusListener(subject = "held.drop", id = "dropper", concurrency = "1")
		void drop(String text) throws InterruptedException {
			release.await(20, TimeUnit.SECONDS);
		}

	}

}
