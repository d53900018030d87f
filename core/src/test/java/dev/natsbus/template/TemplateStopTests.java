package dev.natsbus.template;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.natsbus.BusConnectionException;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.conversion.JsonPayloadConverter;
import dev.natsbus.test.NatsServer;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stopping the template against a real server: it waits, up to the drain timeout, for the
 * replies of requests in flight, and fails those still waiting after it.
 */
@Timeout(60)
class TemplateStopTests {

	private static NatsServer server;

	private static Connection responder;

	private static final LinkedBlockingQueue<Message> held = new LinkedBlockingQueue<>();

	private NatsConnectionPool pool;

	private BusTemplate bus;

	@BeforeAll
	static void startServer() throws Exception {
		server = NatsServer.builder().start();
		responder = Nats.connect(server.url());
		Dispatcher dispatcher = responder.createDispatcher(held::add);
		dispatcher.subscribe("stop.held");
		responder.flush(Duration.ofSeconds(5));
	}

	@AfterAll
	static void stopServer() throws InterruptedException {
		responder.close();
		server.close();
	}

	@BeforeEach
	void startTemplate() {
		held.clear();
		this.pool = NatsConnectionPool
			.connect(List.of(new Options.Builder().server(server.url()).reportNoResponders().build()));
		this.bus = new BusTemplate(this.pool, new JsonPayloadConverter());
		this.bus.start();
	}

	@AfterEach
	void closeTemplate() {
		this.bus.destroy();
		this.pool.close();
	}

	@Test
	void aReplyThatArrivesWithinTheDrainTimeoutStillCompletesItsRequest() throws Exception {
		this.bus.setDrainTimeout(Duration.ofSeconds(20));
		CompletableFuture<String> reply = this.bus.requestAsync("stop.held", "ping", String.class,
				Duration.ofSeconds(30));
		Message request = held.poll(10, TimeUnit.SECONDS);
		assertThat(request).isNotNull();
		CompletableFuture<Void> stopped = CompletableFuture.runAsync(this.bus::stop);
		// The stop waits for the request in flight instead of failing it.
		await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !stopped.isDone());
		assertThat(reply).isNotDone();
		responder.publish(request.getReplyTo(), "pong".getBytes());
		assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo("pong");
		stopped.get(10, TimeUnit.SECONDS);
		assertThat(this.bus.isRunning()).isFalse();
	}

	@Test
	void aRequestStillWaitingAfterTheDrainTimeoutFailsAsShuttingDown() throws Exception {
		Duration drainTimeout = Duration.ofMillis(400);
		this.bus.setDrainTimeout(drainTimeout);
		CompletableFuture<String> reply = this.bus.requestAsync("stop.held", "ping", String.class,
				Duration.ofSeconds(30));
		assertThat(held.poll(10, TimeUnit.SECONDS)).isNotNull();
		long start = System.nanoTime();
		this.bus.stop();
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		assertThat(took).as("waited for the drain timeout").isGreaterThanOrEqualTo(drainTimeout.minusMillis(50));
		assertThat(took).as("not for the request's own timeout").isLessThan(Duration.ofSeconds(20));
		await().atMost(Duration.ofSeconds(5)).until(reply::isDone);
		assertThat(reply).failsWithin(Duration.ZERO)
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(BusConnectionException.class)
			.withMessageContaining("shutting down");
	}

	@Test
	void aStopWithNothingInFlightReturnsAtOnce() {
		this.bus.setDrainTimeout(Duration.ofSeconds(20));
		long start = System.nanoTime();
		this.bus.stop();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
	}

}
