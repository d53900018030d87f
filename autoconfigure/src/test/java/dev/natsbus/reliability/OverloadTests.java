package dev.natsbus.reliability;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.natsbus.BusListener;
import dev.natsbus.BusNoRespondersException;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.BusTimeoutException;
import dev.natsbus.listener.BusListenerContainer;
import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.protocol.Deadlines;
import dev.natsbus.test.NatsServer;
import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * More work than a listener can do: memory stays bounded, the overflow is counted and
 * logged with the listener's name, callers get a bounded answer, and nothing is spent on
 * requests whose callers have already given up.
 */
@Timeout(120)
@ExtendWith(OutputCaptureExtension.class)
class OverloadTests {

	private static final int PENDING_LIMIT = 200;

	private static NatsServer server;

	private static ConfigurableApplicationContext app;

	private static BusTemplate bus;

	@BeforeAll
	static void start() {
		server = NatsServer.builder().start();
		app = ReliabilityApps.start(server.url(), Listeners.class, "spring.application.name=overload-app",
				"natsbus.listener.pending-messages=" + PENDING_LIMIT, "natsbus.listener.pending-bytes=1048576");
		bus = app.getBean(BusTemplate.class);
	}

	@AfterAll
	static void stop() {
		app.close();
		server.close();
	}

	@Test
	void floodedSlowListenerStaysBoundedVisibleAndRecovers(CapturedOutput output) throws Exception {
		BusListenerContainer slow = container("overload-slow");
		Tally callers = new Tally();
		Tally healthy = new Tally();
		AtomicLong maxPending = new AtomicLong();
		int flood = 30_000;
		byte[] body = new byte[1024];
		try (Connection flooder = Nats.connect(server.url());
				Load calls = new Load("overload-callers", 4, Duration.ofMillis(10), callers,
						sequence -> bus.request("overload.slow", "c" + sequence, String.class, Duration.ofMillis(500)));
				Load fast = new Load("overload-fast", 1, Duration.ofMillis(20), healthy, sequence -> bus
					.request("overload.fast", "f" + sequence, String.class, Duration.ofSeconds(2)))) {
			calls.start();
			fast.start();
			Thread sampler = new Thread(() -> {
				while (!Thread.currentThread().isInterrupted()) {
					maxPending.accumulateAndGet(slow.getPendingMessages(), Math::max);
					java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
				}
			}, "pending-sampler");
			sampler.setDaemon(true);
			sampler.start();
			for (int i = 0; i < flood; i++) {
				flooder.publish("overload.slow", body);
			}
			flooder.flush(Duration.ofSeconds(10));
			await().atMost(Duration.ofSeconds(10)).until(() -> slow.getDroppedCount() > 0);
			// Keep the pressure on for a moment with the callers alone.
			await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> true);
			sampler.interrupt();
		}
		long dropped = slow.getDroppedCount();
		assertThat(dropped).isPositive();
		assertThat(maxPending.get()).isLessThanOrEqualTo(PENDING_LIMIT);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(output.getAll())
				.containsPattern("WARN .*slow consumer, listener 'overload-slow' on 'overload\\.slow' cannot keep up"));

		// Once the load stops the listener works off what it holds and serves normally
		// again.
		await().atMost(Duration.ofSeconds(30))
			.until(() -> slow.getPendingMessages() == 0 && slow.getBusyWorkers() == 0);
		Tally after = new Tally();
		for (int i = 0; i < 20; i++) {
			long start = System.nanoTime();
			try {
				assertThat(bus.request("overload.slow", "after" + i, String.class, Duration.ofSeconds(2)))
					.isEqualTo("after" + i);
				after.success(start);
			}
			catch (RuntimeException ex) {
				after.failure(start, ex);
			}
		}
		callers.report(
				"Overload: slow listener (20 ms/msg, pending limit " + PENDING_LIMIT + ") flooded with " + flood
						+ " messages; callers with 500 ms timeout",
				String.format(
						"%d dropped (slow consumer logged naming the listener), max pending %d; other listener "
								+ "meanwhile: %s; afterwards %d/%d served",
						dropped, maxPending.get(), healthy.summary(), after.succeeded(), after.sent()));
		// A flooded listener cannot answer every caller in 500 ms: some fail, each in a
		// bounded way.
		assertThat(callers.failures()).isNotEmpty()
			.allSatisfy(failure -> assertThat(failure.exception()).isInstanceOfAny(BusTimeoutException.class,
					BusNoRespondersException.class));
		assertThat(callers.slowestMillis()).isLessThan(1_500);
		assertThat(healthy.failedCount()).isZero();
		assertThat(after.succeeded()).isEqualTo(20);
	}

	@Test
	void saturatedListenerSkipsRequestsWhoseCallersGaveUp() throws Exception {
		DeadlineRun run = saturate();
		if (run.late() > 0) {
			// A handler counts as late when it starts 50 ms past its deadline: one stall
			// of
			// a loaded machine between the check and the call can do that. A listener
			// that
			// did not skip expired requests would be late on most of them, in every run.
			run = saturate();
		}
		run.callers()
			.report("Deadline: listener at 100 ms/request, 4 callers with 250 ms timeout",
					String.format("handler ran %d times, skipped %d expired requests, %d invocations past the deadline",
							run.handled(), run.expired(), run.late()));
		assertThat(run.expired()).isPositive();
		assertThat(run.handled() + run.expired()).isEqualTo(run.callers().sent());
		assertThat(run.late()).isZero();
		// Callers that gave up are what made requests expire: there are some, and each
		// timed out.
		assertThat(run.callers().failures()).isNotEmpty()
			.allSatisfy(failure -> assertThat(failure.exception()).isInstanceOf(BusTimeoutException.class));
	}

	/** What one saturation of the deadline listener did. */
	private record DeadlineRun(Tally callers, long handled, long expired, int late) {
	}

	private static DeadlineRun saturate() throws Exception {
		BusListenerContainer container = container("deadline-slow");
		container.getStats().reset();
		Listeners.deadlineCalls.set(0);
		Listeners.lateCalls.set(0);
		Tally callers = new Tally();
		try (Load load = new Load("deadline-callers", 4, Duration.ofMillis(1), callers,
				sequence -> bus.request("deadline.slow", "d" + sequence, String.class, Duration.ofMillis(250)))) {
			load.start();
			await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
		}
		// Everything sent is either handled or skipped once the listener has caught up.
		await().atMost(Duration.ofSeconds(20))
			.until(() -> container.getStats().getRequests() + container.getStats().getExpired() == callers.sent());
		return new DeadlineRun(callers, Listeners.deadlineCalls.get(), container.getStats().getExpired(),
				Listeners.lateCalls.get());
	}

	private static BusListenerContainer container(String id) {
		return app.getBean(BusListenerRegistry.class)
			.getListenerContainers()
			.stream()
			.filter(container -> container.getId().equals(id))
			.findFirst()
			.orElseThrow();
	}

	static class Listeners {

		/**
		 * A handler that starts this much after its caller's deadline was picked up too
		 * late.
		 */
		static final long TOLERANCE_MILLIS = 50;

		static final AtomicInteger deadlineCalls = new AtomicInteger();

		static final AtomicInteger lateCalls = new AtomicInteger();

		@BusListener(subject = "overload.slow", id = "overload-slow", concurrency = "1")
		String slow(String text) throws InterruptedException {
			Thread.sleep(20);
			return text;
		}

		@BusListener(subject = "overload.fast", id = "overload-fast")
		String fast(String text) {
			return text;
		}

		@BusListener(subject = "deadline.slow", id = "deadline-slow", concurrency = "1")
		String deadline(String text, io.nats.client.Message request) throws InterruptedException {
			long now = System.currentTimeMillis();
			deadlineCalls.incrementAndGet();
			// The deadline header stays out of the Spring headers: read it off the NATS
			// message.
			String deadline = request.getHeaders().getFirst(Deadlines.HEADER);
			if (now > Long.parseLong(deadline) + TOLERANCE_MILLIS) {
				lateCalls.incrementAndGet();
			}
			Thread.sleep(100);
			return text;
		}

	}

}
