package dev.natsbus;

import dev.natsbus.template.BusTemplate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.natsbus.test.NatsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.stereotype.Component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code concurrency = "N"}: never more than N invocations at once, and N under load. */
class ListenerConcurrencyTests {

	private static NatsServer server;

	private static AnnotationConfigApplicationContext context;

	private static BusTemplate bus;

	private static Handlers handlers;

	@BeforeAll
	static void start() {
		server = NatsServer.builder().start();
		context = BusTestContext.start(server.url(), Handlers.class);
		bus = context.getBean(BusTemplate.class);
		handlers = context.getBean(Handlers.class);
	}

	@AfterAll
	static void stop() {
		handlers.release.countDown();
		context.close();
		server.close();
	}

	@Test
	void burstOfThreeTimesNRunsExactlyNAtOnce() throws Exception {
		List<CompletableFuture<String>> replies = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			replies.add(bus.requestAsync("work.blocking", "job-" + i, String.class, Duration.ofSeconds(10)));
		}
		// Four run and hold; the other eight wait for a worker.
		await().atMost(Duration.ofSeconds(5)).until(() -> handlers.running.get() == 4);
		assertThat(handlers.started.get()).isEqualTo(4);
		// The slow listener does not stall another one.
		assertThat(bus.request("work.fast", "ping", String.class, Duration.ofSeconds(2))).isEqualTo("pong");
		handlers.release.countDown();
		for (CompletableFuture<String> reply : replies) {
			assertThat(reply.get(10, TimeUnit.SECONDS)).startsWith("done job-");
		}
		assertThat(handlers.started.get()).isEqualTo(12);
		assertThat(handlers.maxRunning.get()).isEqualTo(4);
	}

	@Component
	static class Handlers {

		final CountDownLatch release = new CountDownLatch(1);

		final AtomicInteger running = new AtomicInteger();

		final AtomicInteger started = new AtomicInteger();

		final AtomicInteger maxRunning = new AtomicInteger();

		@BusListener(subject = "work.blocking", concurrency = "4")
		String block(String job) throws InterruptedException {
			this.started.incrementAndGet();
			int now = this.running.incrementAndGet();
			this.maxRunning.accumulateAndGet(now, Math::max);
			try {
				this.release.await(10, TimeUnit.SECONDS);
				return "done " + job;
			}
			finally {
				this.running.decrementAndGet();
			}
		}

		@BusListener("work.fast")
		String fast(String ping) {
			return "pong";
		}

	}

}
