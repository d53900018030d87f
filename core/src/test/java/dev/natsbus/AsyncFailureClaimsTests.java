package dev.natsbus;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServer;
import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's error model for {@code requestAsync}: every failure arrives through the
 * future with the same exception as the synchronous call, and a failure that happens
 * while the request waits completes the future on the template's callback executor
 * ({@code natsbus-callback-*}), never on a jnats thread. Each test has a server of its
 * own, since some of them kill it.
 */
@Timeout(60)
class AsyncFailureClaimsTests {

	@Test
	void anUnreadableReplyFailsTheFutureOnTheCallbackExecutor() throws Exception {
		try (NatsServer server = NatsServer.builder().start(); Connection raw = Nats.connect(server.url())) {
			BlockingQueue<io.nats.client.Message> requests = new LinkedBlockingQueue<>();
			raw.createDispatcher(requests::add).subscribe("async.unreadable");
			raw.flush(Duration.ofSeconds(2));
			AnnotationConfigApplicationContext context = BusTestContext.start(server.url(), NoListeners.class);
			try {
				BusTemplate bus = context.getBean(BusTemplate.class);
				CompletableFuture<Quote> future = bus.requestAsync("async.unreadable", "x", Quote.class,
						Duration.ofSeconds(10));
				CompletableFuture<String> thread = completionThread(future);
				io.nats.client.Message request = requests.poll(5, TimeUnit.SECONDS);
				assertThat(request).isNotNull();
				raw.publish(request.getReplyTo(), "not json".getBytes(StandardCharsets.UTF_8));
				// Wait on the dependent stage only: a thread blocked in get() on the
				// future itself
				// may run the future's pending dependents once it completes.
				assertThat(thread.get(10, TimeUnit.SECONDS)).startsWith("natsbus-callback-");
				assertThat(future).failsWithin(Duration.ofSeconds(5))
					.withThrowableOfType(ExecutionException.class)
					.withCauseInstanceOf(BusConversionException.class);
			}
			finally {
				context.close();
			}
		}
	}

	@Test
	void notConnectedFailsTheFutureWithAConnectionException() {
		try (NatsServer server = NatsServer.builder().start()) {
			AnnotationConfigApplicationContext context = BusTestContext.start(server.url(), NoListeners.class);
			try {
				BusTemplate bus = context.getBean(BusTemplate.class);
				Connection connection = bus.getConnectionPool().connection(0).orElseThrow();
				server.kill();
				await().atMost(Duration.ofSeconds(10))
					.until(() -> connection.getStatus() != Connection.Status.CONNECTED);
				CompletableFuture<String> future = bus.requestAsync("async.anything", "x", String.class,
						Duration.ofSeconds(5));
				CompletableFuture<?> message = bus.requestMessageAsync("async.anything",
						MessageBuilder.withPayload("x").build(), String.class, Duration.ofSeconds(5));
				// Found before sending: the future is already failed when it is returned.
				assertThat(future).isCompletedExceptionally();
				for (CompletableFuture<?> failed : java.util.List.of(future, message)) {
					assertThat(failed).failsWithin(Duration.ofSeconds(1))
						.withThrowableOfType(ExecutionException.class)
						.havingCause()
						.isInstanceOf(BusConnectionException.class)
						.withMessageContaining("the connection to NATS is down");
				}
			}
			finally {
				context.close();
			}
		}
	}

	@Test
	void aConnectionLostWhileWaitingFailsTheFutureOnTheCallbackExecutor() throws Exception {
		try (NatsServer server = NatsServer.builder().start();
				Connection silent = BusTestContext.silentResponder(server.url(), "async.silent")) {
			AnnotationConfigApplicationContext context = BusTestContext.start(server.url(), NoListeners.class);
			try {
				BusTemplate bus = context.getBean(BusTemplate.class);
				CompletableFuture<String> future = bus.requestAsync("async.silent", "x", String.class,
						Duration.ofSeconds(2));
				CompletableFuture<String> thread = completionThread(future);
				assertThat(future).isNotDone();
				server.kill();
				// Wait on the dependent stage only: a thread blocked in get() on the
				// future itself
				// may run the future's pending dependents once it completes.
				assertThat(thread.get(10, TimeUnit.SECONDS)).startsWith("natsbus-callback-");
				assertThat(future).failsWithin(Duration.ofSeconds(10))
					.withThrowableOfType(ExecutionException.class)
					.havingCause()
					.isInstanceOf(BusConnectionException.class)
					.withMessageContaining("the connection to NATS is down");
			}
			finally {
				context.close();
			}
		}
	}

	@Test
	void shuttingDownFailsTheFuturesInFlightOnTheCallbackExecutorAndRefusesNewOnes() throws Exception {
		try (NatsServer server = NatsServer.builder().start();
				Connection silent = BusTestContext.silentResponder(server.url(), "async.silent")) {
			AnnotationConfigApplicationContext context = BusTestContext.start(server.url(), NoListeners.class);
			BusTemplate bus = context.getBean(BusTemplate.class);
			bus.setDrainTimeout(Duration.ofMillis(300));
			CompletableFuture<String> inFlight = bus.requestAsync("async.silent", "x", String.class,
					Duration.ofSeconds(30));
			CompletableFuture<String> thread = completionThread(inFlight);
			assertThat(inFlight).isNotDone();
			// The real shutdown: the template's lifecycle stops it before the connections
			// close.
			context.close();
			// Wait on the dependent stage only: a thread blocked in get() on the future
			// itself
			// may run the future's pending dependents once it completes.
			assertThat(thread.get(10, TimeUnit.SECONDS)).startsWith("natsbus-callback-");
			assertThat(inFlight).failsWithin(Duration.ofSeconds(5))
				.withThrowableOfType(ExecutionException.class)
				.havingCause()
				.isInstanceOf(BusConnectionException.class)
				.withMessageContaining("shutting down");
			CompletableFuture<String> refused = bus.requestAsync("async.silent", "x", String.class,
					Duration.ofSeconds(5));
			assertThat(refused).failsWithin(Duration.ofSeconds(1))
				.withThrowableOfType(ExecutionException.class)
				.havingCause()
				.isInstanceOf(BusConnectionException.class)
				.withMessageContaining("the bus is shutting down");
		}
	}

	/**
	 * The thread that runs a stage attached before the future completes: the thread that
	 * completes it.
	 */
	private static CompletableFuture<String> completionThread(CompletableFuture<?> future) {
		return future.handle((result, ex) -> Thread.currentThread().getName());
	}

	/** The bus alone: the requests here are answered, or not, by raw clients. */
	static class NoListeners {

	}

}
