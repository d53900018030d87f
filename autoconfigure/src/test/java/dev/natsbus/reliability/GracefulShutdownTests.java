package dev.natsbus.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.natsbus.BusException;
import dev.natsbus.BusListener;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.test.NatsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Graceful shutdown: a rolling redeploy of the serving side loses nothing, and closing
 * the calling side fails its requests in flight with a clear reason instead of leaving
 * them hanging.
 */
@Timeout(120)
class GracefulShutdownTests {

	private static NatsServer server;

	@BeforeAll
	static void startServer() {
		server = NatsServer.builder().start();
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Test
	void rollingRedeployAnswersEveryRequestExactlyOnce() throws Exception {
		EchoService.handled.clear();
		// One instance hands each message to workers, the other runs the handler on the
		// dispatcher thread.
		ConfigurableApplicationContext a = serving("redeploy-a", 4);
		ConfigurableApplicationContext b = serving("redeploy-b", 1);
		ConfigurableApplicationContext caller = ReliabilityApps.caller(server.url(),
				"spring.application.name=redeploy-caller");
		ConfigurableApplicationContext a2 = null;
		Set<String> answered = ConcurrentHashMap.newKeySet();
		Map<String, AtomicInteger> answeredBy = new ConcurrentHashMap<>();
		BusTemplate bus = caller.getBean(BusTemplate.class);
		Tally tally = new Tally();
		try (Load load = new Load("redeploy", 4, Duration.ofMillis(2), tally, sequence -> {
			// Half of the requests go to a handler that answers later, from another
			// thread.
			String id = "r-" + sequence;
			String subject = (sequence % 2 == 0) ? "redeploy.echo" : "redeploy.async";
			Pong pong = bus.request(subject, new Ping(id), Pong.class, Duration.ofSeconds(5));
			if (!id.equals(pong.id())) {
				throw new AssertionError("Reply for " + pong.id() + " to request " + id);
			}
			if (!answered.add(id)) {
				throw new AssertionError("Second reply to " + id);
			}
			answeredBy.computeIfAbsent(pong.servedBy(), name -> new AtomicInteger()).incrementAndGet();
		})) {
			load.start();
			awaitMoreSuccesses(tally, 300);
			a.close();
			awaitMoreSuccesses(tally, 300);
			a2 = serving("redeploy-a2", 4);
			BusListenerRegistry a2Registry = a2.getBean(BusListenerRegistry.class);
			await().atMost(Duration.ofSeconds(20))
				.until(() -> a2Registry.getListenerContainers().get(0).getStats().getRequests() >= 100);
			b.close();
			awaitMoreSuccesses(tally, 300);
		}
		finally {
			closeAll(a2, caller, a, b);
		}
		Tally.report("Rolling redeploy (2 instances, close A, start A', close B)", tally.sent(), tally.succeeded(),
				tally.failedByType().toString(), "answered by " + new java.util.TreeMap<>(answeredBy)
						+ "; duplicates handled: " + duplicates() + "; slowest " + tally.slowestMillis() + " ms");
		assertThat(tally.failedCount()).as("failed requests: %s %s", tally.failedByType(), firstFailures(tally))
			.isZero();
		assertThat(answered).hasSize((int) tally.sent());
		// Every request was handled by exactly one instance: nothing lost, nothing
		// handled twice.
		assertThat(EchoService.handled).hasSize((int) tally.sent());
		assertThat(duplicates()).isZero();
		assertThat(answeredBy).containsKeys("redeploy-a", "redeploy-b", "redeploy-a2");
	}

	@Test
	void closingTheCallerCompletesEveryRequestInFlight() throws Exception {
		ConfigurableApplicationContext service = ReliabilityApps.start(server.url(), SlowService.class,
				"spring.application.name=slow-service", "natsbus.listener.concurrency=32");
		ConfigurableApplicationContext caller = ReliabilityApps.caller(server.url(),
				"spring.application.name=closing-caller", "natsbus.shutdown.drain-timeout=700ms");
		BusTemplate bus = caller.getBean(BusTemplate.class);
		Tally tally = new Tally();
		List<CompletableFuture<String>> async = new ArrayList<>();
		List<Long> asyncStarts = new ArrayList<>();
		try {
			try (Load load = new Load("closing", 8, Duration.ofMillis(5), tally,
					sequence -> bus.request("slow.echo", "s" + sequence, String.class, Duration.ofSeconds(10)))) {
				load.start();
				for (int i = 0; i < 40; i++) {
					asyncStarts.add(System.nanoTime());
					async.add(bus.requestAsync("slow.echo", "a" + i, String.class, Duration.ofSeconds(10)));
				}
				await().atMost(Duration.ofSeconds(10)).until(() -> bus.getRequestsInFlight() >= 20);
				long closeStart = System.nanoTime();
				caller.close();
				long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closeStart);
				// Shutdown takes the drain timeout at most, plus the close of the
				// connection.
				assertThat(closeMillis).isLessThan(5_000);
				awaitMoreOutcomes(tally, 50);
			}
			for (int i = 0; i < async.size(); i++) {
				CompletableFuture<String> future = async.get(i);
				try {
					future.get(5, TimeUnit.SECONDS);
					tally.success(asyncStarts.get(i));
				}
				catch (java.util.concurrent.ExecutionException ex) {
					tally.failure(asyncStarts.get(i), ex.getCause());
				}
			}
		}
		finally {
			closeAll(caller, service);
		}
		Tally.report("Caller closed with requests in flight (drain timeout 700 ms, handlers 50-1500 ms)", tally.sent(),
				tally.succeeded(), tally.failedByType().toString(),
				"every failure says the bus is shutting down; slowest call " + tally.slowestMillis() + " ms");
		assertThat(tally.succeeded()).isPositive();
		assertThat(tally.failedCount()).isPositive();
		for (Tally.Failure failure : tally.failures()) {
			assertThat(failure.exception()).isInstanceOf(BusException.class);
			assertThat(failure.exception().getMessage()).containsIgnoringCase("the bus is shutting down");
		}
		// No call hung: the longest took about the drain timeout plus a slow handler.
		assertThat(tally.slowestMillis()).isLessThan(6_000);
	}

	private static ConfigurableApplicationContext serving(String name, int concurrency) {
		return ReliabilityApps.start(server.url(), List.of(EchoService.class, AsyncEchoService.class),
				"spring.application.name=" + name, "natsbus.listener.concurrency=" + concurrency);
	}

	private static long duplicates() {
		return EchoService.handled.values().stream().filter(count -> count.get() > 1).count();
	}

	private static void awaitMoreSuccesses(Tally tally, int more) {
		long target = tally.succeeded() + more;
		await().atMost(Duration.ofSeconds(30)).until(() -> tally.succeeded() >= target || tally.failedCount() > 0);
	}

	private static void awaitMoreOutcomes(Tally tally, int more) {
		long target = tally.sent() + more;
		await().atMost(Duration.ofSeconds(30)).until(() -> tally.sent() >= target);
	}

	static List<String> firstFailures(Tally tally) {
		return tally.failures().stream().limit(5).map(failure -> failure.exception().toString()).toList();
	}

	static void closeAll(ConfigurableApplicationContext... contexts) {
		for (ConfigurableApplicationContext context : contexts) {
			if (context != null && context.isActive()) {
				context.close();
			}
		}
	}

	record Ping(String id) {
	}

	record Pong(String id, String servedBy) {
	}

	static class EchoService {

		static final Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();

		private final String name;

		EchoService(@Value("${spring.application.name}") String name) {
			this.name = name;
		}

		@BusListener(subject = "redeploy.echo", id = "redeploy-echo")
		Pong echo(Ping ping) throws InterruptedException {
			handled.computeIfAbsent(ping.id(), id -> new AtomicInteger()).incrementAndGet();
			// A little work, so that messages are in the middle of being handled when an
			// instance stops.
			Thread.sleep(ThreadLocalRandom.current().nextInt(0, 4));
			return new Pong(ping.id(), this.name);
		}

	}

	static class AsyncEchoService {

		private final String name;

		AsyncEchoService(@Value("${spring.application.name}") String name) {
			this.name = name;
		}

		@BusListener(subject = "redeploy.async", id = "redeploy-async")
		CompletableFuture<Pong> echo(Ping ping) {
			EchoService.handled.computeIfAbsent(ping.id(), id -> new AtomicInteger()).incrementAndGet();
			Executor later = CompletableFuture.delayedExecutor(ThreadLocalRandom.current().nextInt(1, 30),
					TimeUnit.MILLISECONDS);
			return CompletableFuture.supplyAsync(() -> new Pong(ping.id(), this.name), later);
		}

	}

	static class SlowService {

		@BusListener(subject = "slow.echo", id = "slow-echo")
		String echo(String text) throws InterruptedException {
			Thread.sleep(ThreadLocalRandom.current().nextInt(50, 1500));
			return text;
		}

	}

}
