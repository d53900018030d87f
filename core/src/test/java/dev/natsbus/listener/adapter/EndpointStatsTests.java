package dev.natsbus.listener.adapter;

import java.time.Duration;
import java.time.Instant;

import dev.natsbus.BusListener;
import dev.natsbus.BusRemoteException;
import dev.natsbus.BusServiceException;
import dev.natsbus.BusTestContext;
import dev.natsbus.listener.BusListenerContainer;
import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.protocol.Deadlines;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServer;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What a listener counts, as {@code $SRV.STATS} reports it, against a real server:
 * successes and errors, the last error, processing time and its average, requests skipped
 * past their caller's deadline, and a reset.
 */
@Timeout(60)
class EndpointStatsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private static NatsServer server;

	private static AnnotationConfigApplicationContext context;

	private static BusListenerRegistry registry;

	private static BusTemplate bus;

	@BeforeAll
	static void start() {
		server = NatsServer.builder().start();
		context = BusTestContext.start(server.url(), Handlers.class);
		registry = context.getBean(BusListenerRegistry.class);
		bus = context.getBean(BusTemplate.class);
	}

	@AfterAll
	static void stop() {
		context.close();
		server.close();
	}

	@Test
	void countsSuccessesAndErrorsWithTheLastErrorAndTheTimeTaken() {
		BusListenerContainer container = container("stats-counted");
		assertThat(bus.request("stats.counted", "ok", String.class, TIMEOUT)).isEqualTo("ok");
		assertThat(bus.request("stats.counted", "ok", String.class, TIMEOUT)).isEqualTo("ok");
		assertThatExceptionOfType(BusRemoteException.class)
			.isThrownBy(() -> bus.request("stats.counted", "missing", String.class, TIMEOUT));
		await().atMost(TIMEOUT).until(() -> container.getStats().getRequests() == 3);
		EndpointStats stats = container.getStats();
		assertThat(stats.getErrors()).isOne();
		assertThat(stats.getLastError()).isEqualTo("404:no such thing");
		assertThat(stats.getProcessingNanos()).isPositive();
		assertThat(stats.getAverageProcessingNanos()).isPositive()
			.isEqualTo(stats.getProcessingNanos() / stats.getRequests());
		assertThat(stats.getExpired()).isZero();
	}

	@Test
	void theAverageIsZeroBeforeTheFirstRequest() {
		EndpointStats stats = container("stats-idle").getStats();
		assertThat(stats.getRequests()).isZero();
		assertThat(stats.getAverageProcessingNanos()).isZero();
		assertThat(stats.getLastError()).isEmpty();
	}

	@Test
	void aResetStartsCountingAfresh() {
		BusListenerContainer container = container("stats-reset");
		assertThatExceptionOfType(BusRemoteException.class)
			.isThrownBy(() -> bus.request("stats.reset", "missing", String.class, TIMEOUT));
		await().atMost(TIMEOUT).until(() -> container.getStats().getErrors() == 1);
		EndpointStats stats = container.getStats();
		Instant startedBefore = stats.getStarted();
		await().atMost(TIMEOUT).until(() -> Instant.now().isAfter(startedBefore));
		stats.reset();
		assertThat(stats.getRequests()).isZero();
		assertThat(stats.getErrors()).isZero();
		assertThat(stats.getProcessingNanos()).isZero();
		assertThat(stats.getLastError()).isEmpty();
		assertThat(stats.getStarted()).isAfter(startedBefore);
	}

	@Test
	void aRequestPastItsDeadlineIsSkippedAndCountedAsExpired() throws Exception {
		BusListenerContainer container = container("stats-expired");
		Headers headers = new Headers().put(Deadlines.HEADER, Long.toString(System.currentTimeMillis() - 60_000));
		try (Connection raw = Nats.connect(server.url())) {
			Message reply = raw.request(
					NatsMessage.builder().subject("stats.expired").headers(headers).data("late".getBytes()).build(),
					Duration.ofMillis(500));
			assertThat(reply).as("no reply to a caller that has given up").isNull();
		}
		await().atMost(TIMEOUT).until(() -> container.getStats().getExpired() == 1);
		assertThat(container.getStats().getRequests()).isZero();
		assertThat(context.getBean(Handlers.class).expiredInvocations).isZero();
		container.getStats().reset();
		assertThat(container.getStats().getExpired()).isZero();
	}

	private static BusListenerContainer container(String id) {
		return registry.getListenerContainer(id).orElseThrow();
	}

	static class Handlers {

		volatile int expiredInvocations;

		@BusListener(subject = "stats.counted", id = "stats-counted")
		String counted(String text) {
			return answer(text);
		}

		@BusListener(subject = "stats.idle", id = "stats-idle")
		String idle(String text) {
			return text;
		}

		@BusListener(subject = "stats.reset", id = "stats-reset")
		String reset(String text) {
			return answer(text);
		}

		@BusListener(subject = "stats.expired", id = "stats-expired")
		String expired(String text) {
			this.expiredInvocations++;
			return text;
		}

		private static String answer(String text) {
			if (text.equals("missing")) {
				throw new BusServiceException(404, "no such thing");
			}
			return text;
		}

	}

}
