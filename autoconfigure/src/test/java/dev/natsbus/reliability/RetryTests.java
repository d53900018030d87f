package dev.natsbus.reliability;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.natsbus.BusConnectionException;
import dev.natsbus.BusConversionException;
import dev.natsbus.BusListener;
import dev.natsbus.BusNoRespondersException;
import dev.natsbus.BusOperations;
import dev.natsbus.BusRemoteException;
import dev.natsbus.BusServiceException;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.BusTimeoutException;
import dev.natsbus.test.NatsServer;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.retry.RetryPolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@link BusTemplate#withRetry} against a real server: it waits for a listener that is
 * not there yet and for a server that is restarting, and never repeats a request that was
 * handled.
 */
@Timeout(60)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RetryTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	private static final RetryPolicy POLICY = RetryPolicy.builder()
		.maxRetries(40)
		.delay(Duration.ofMillis(50))
		.multiplier(1.5)
		.maxDelay(Duration.ofMillis(250))
		.build();

	private static NatsServer server;

	private static ConfigurableApplicationContext app;

	private static BusTemplate bus;

	private static BusOperations retrying;

	@BeforeAll
	static void start() {
		server = NatsServer.builder().start();
		app = ReliabilityApps.start(server.url(), Handlers.class, "spring.application.name=retry-app",
				"natsbus.reconnect-wait=100ms");
		bus = app.getBean(BusTemplate.class);
		retrying = bus.withRetry(POLICY);
	}

	@AfterAll
	static void stop() {
		app.close();
		server.close();
	}

	@BeforeEach
	void reset() {
		Handlers.calls.set(0);
	}

	@Test
	@Order(1)
	void waitsForAListenerThatAppearsLater() throws Exception {
		assertThatExceptionOfType(BusNoRespondersException.class)
			.isThrownBy(() -> bus.request("retry.late", "x", String.class, TIMEOUT));
		try (Connection late = Nats.connect(server.url())) {
			AtomicLong subscribedAt = new AtomicLong();
			CompletableFuture.delayedExecutor(700, TimeUnit.MILLISECONDS).execute(() -> {
				answer(late, "retry.late");
				subscribedAt.set(System.nanoTime());
			});
			long start = System.nanoTime();
			assertThat(retrying.request("retry.late", "x", String.class, TIMEOUT)).isEqualTo("late:x");
			long end = System.nanoTime();
			long waited = TimeUnit.NANOSECONDS.toMillis(end - start);
			long afterSubscribe = TimeUnit.NANOSECONDS.toMillis(end - subscribedAt.get());
			assertThat(waited).isGreaterThanOrEqualTo(500);

			start = System.nanoTime();
			CompletableFuture<String> reply = retrying.requestAsync("retry.late2", "y", String.class, TIMEOUT);
			long returnedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
			// The caller is not held: it is back while nobody listens (a view that
			// retried on its thread would return only after its last attempt), and the
			// future keeps retrying for 700 ms until the listener subscribes.
			assertThat(reply).isNotDone();
			await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> !reply.isDone());
			answer(late, "retry.late2");
			assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo("late:y");
			long asyncWaited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
			Tally.report("Retry: no responders, listener appears after 700 ms", 2, 2, "{}",
					"sync request answered after " + waited + " ms (" + afterSubscribe
							+ " ms after the listener subscribed), async after " + asyncWaited + " ms (returned in "
							+ returnedAfter + " ms)");
		}
	}

	@Test
	@Order(2)
	void neverRetriesARemoteError() {
		assertThatExceptionOfType(BusRemoteException.class)
			.isThrownBy(() -> retrying.request("retry.conflict", "x", String.class, TIMEOUT))
			.satisfies(ex -> assertThat(ex.getErrorCode()).isEqualTo(409));
		assertThat(Handlers.calls).hasValue(1);
		CompletableFuture<String> reply = retrying.requestAsync("retry.conflict", "x", String.class, TIMEOUT);
		await().atMost(Duration.ofSeconds(5)).until(reply::isDone);
		assertThat(reply).isCompletedExceptionally();
		assertThat(Handlers.calls).hasValue(2);
	}

	@Test
	@Order(3)
	void neverRetriesATimeoutOrAConversionError() {
		assertThatExceptionOfType(BusTimeoutException.class)
			.isThrownBy(() -> retrying.request("retry.slow", "x", String.class, Duration.ofMillis(200)));
		// The handler is still busy with the one request: no second attempt arrives
		// meanwhile.
		await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2)).until(() -> Handlers.calls.get() == 1);

		assertThatExceptionOfType(BusConversionException.class)
			.isThrownBy(() -> retrying.request("retry.text", "x", Handlers.Quote.class, TIMEOUT));
		assertThat(Handlers.calls).hasValue(2);
	}

	@Test
	@Order(4)
	void ridesThroughAServerRestart() throws Exception {
		assertThat(retrying.request("retry.echo", "before", String.class, TIMEOUT)).isEqualTo("before");
		server.stop();
		assertThatExceptionOfType(BusConnectionException.class)
			.isThrownBy(() -> bus.request("retry.echo", "down", String.class, TIMEOUT));
		CompletableFuture.delayedExecutor(1500, TimeUnit.MILLISECONDS).execute(server::start);
		long start = System.nanoTime();
		CompletableFuture<String> async = retrying.requestAsync("retry.echo", "async", String.class, TIMEOUT);
		assertThat(retrying.request("retry.echo", "sync", String.class, TIMEOUT)).isEqualTo("sync");
		assertThat(async.get(10, TimeUnit.SECONDS)).isEqualTo("async");
		long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		assertThat(waited).isGreaterThanOrEqualTo(1000);
		Tally.report("Retry: server down, restarted after 1.5 s", 2, 2, "{}",
				"sync and async requests answered " + waited + " ms after they were made");
	}

	private static void answer(Connection connection, String subject) {
		Dispatcher dispatcher = connection.createDispatcher(message -> connection.publish(message.getReplyTo(),
				("late:" + new String(message.getData(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)));
		dispatcher.subscribe(subject);
	}

	static class Handlers {

		static final AtomicInteger calls = new AtomicInteger();

		record Quote(String symbol, double price) {
		}

		@BusListener(subject = "retry.conflict", id = "retry-conflict")
		String conflict(String text) {
			calls.incrementAndGet();
			throw new BusServiceException(409, "already there");
		}

		@BusListener(subject = "retry.slow", id = "retry-slow")
		String slow(String text) throws InterruptedException {
			calls.incrementAndGet();
			Thread.sleep(600);
			return text;
		}

		@BusListener(subject = "retry.text", id = "retry-text")
		String text(String text) {
			calls.incrementAndGet();
			return "this is not JSON";
		}

		@BusListener(subject = "retry.echo", id = "retry-echo")
		String echo(String text) {
			return text;
		}

	}

}
