package dev.natsbus.template;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.natsbus.BusClientInterceptor;
import dev.natsbus.BusConnectionException;
import dev.natsbus.BusNoRespondersException;
import dev.natsbus.BusOperations;
import dev.natsbus.BusTestContext;
import dev.natsbus.test.NatsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.messaging.Message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's retrying view with the real template against a real server: it stops
 * retrying when the bus shuts down (a real context close), and its asynchronous retries
 * wait without holding a thread. Nobody listens on the subject, so every attempt fails
 * with the retryable {@code BusNoRespondersException}.
 */
@Timeout(60)
class RetryShutdownTests {

	private NatsServer server;

	private AnnotationConfigApplicationContext context;

	private BusTemplate bus;

	/** Attempts that got as far as sending: the client interceptor sees each. */
	private final AtomicInteger attempts = new AtomicInteger();

	@BeforeEach
	void start() {
		this.server = NatsServer.builder().start();
		this.context = BusTestContext.start(this.server.url(), "retrying", Map.of(), NoListeners.class);
		this.bus = this.context.getBean(BusTemplate.class);
		this.bus.setInterceptors(List.of(new BusClientInterceptor() {

			@Override
			public Message<byte[]> preSend(String subject, Message<byte[]> message) {
				RetryShutdownTests.this.attempts.incrementAndGet();
				return message;
			}

		}));
	}

	@AfterEach
	void stop() {
		this.context.close();
		this.server.close();
	}

	@Test
	void aSynchronousRetryEndsWhenTheBusShutsDown() throws Exception {
		BusOperations retrying = this.bus.withRetry(everyTenthOfASecond());
		CompletableFuture<String> call = CompletableFuture
			.supplyAsync(() -> retrying.request("retry.nobody", "x", String.class, Duration.ofSeconds(1)));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.attempts.get() >= 3);
		this.context.close();
		assertThat(call).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(BusConnectionException.class)
			.withMessageContaining("shutting down");
		assertNoMoreAttempts();
	}

	@Test
	void anAsynchronousRetryEndsWhenTheBusShutsDown() throws Exception {
		BusOperations retrying = this.bus.withRetry(everyTenthOfASecond());
		CompletableFuture<String> call = retrying.requestAsync("retry.nobody", "x", String.class,
				Duration.ofSeconds(1));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.attempts.get() >= 3);
		this.context.close();
		assertThat(call).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(BusConnectionException.class)
			.withMessageContaining("shutting down");
		assertNoMoreAttempts();
	}

	@Test
	void asynchronousRetriesWaitWithoutHoldingAThread() {
		BusOperations retrying = this.bus
			.withRetry(RetryPolicy.builder().maxRetries(2).delay(Duration.ofSeconds(1)).build());
		// Warm the path, so that the executors have their threads before the baseline.
		assertThat(retrying.requestAsync("retry.nobody", "x", String.class)).failsWithin(Duration.ofSeconds(10));
		int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
		int calls = 200;
		List<CompletableFuture<String>> futures = new ArrayList<>();
		long start = System.nanoTime();
		for (int i = 0; i < calls; i++) {
			futures.add(retrying.requestAsync("retry.nobody", "x", String.class));
		}
		// Every call has failed its first attempt and is waiting for its retry.
		int warmUpAttempts = 3;
		await().atMost(Duration.ofSeconds(10)).until(() -> this.attempts.get() >= warmUpAttempts + calls);
		assertThat(futures).noneMatch(CompletableFuture::isDone);
		int threadsWaiting = ManagementFactory.getThreadMXBean().getThreadCount();
		// A thread per waiting call would be 200 more; the JDK's delay scheduler is one.
		assertThat(threadsWaiting - threadsBefore).as("threads added while 200 retries wait").isLessThan(20);
		assertThat(futures).allSatisfy((future) -> assertThat(future).failsWithin(Duration.ofSeconds(20))
			.withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(BusNoRespondersException.class));
		assertThat(this.attempts.get()).isEqualTo(warmUpAttempts + calls * 3);
		// Two back-offs of a second each were waited out.
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
	}

	private static RetryPolicy everyTenthOfASecond() {
		return RetryPolicy.builder().maxRetries(1_000).delay(Duration.ofMillis(100)).build();
	}

	/**
	 * Not one attempt after the failure: several back-offs later the count is the same.
	 */
	private void assertNoMoreAttempts() {
		int after = this.attempts.get();
		await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> this.attempts.get() == after);
	}

	/** The bus alone: nobody answers here. */
	static class NoListeners {

	}

}
