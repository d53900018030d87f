package dev.natsbus.reliability;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import dev.natsbus.BusException;
import dev.natsbus.BusListener;
import dev.natsbus.BusNoRespondersException;
import dev.natsbus.BusOperations;
import dev.natsbus.BusReplies;
import dev.natsbus.RequestMany;
import dev.natsbus.BusTimeoutException;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsSuperCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.retry.RetryPolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One bus across two regions: clusters "east" and "west" of three nodes each, joined by
 * gateways. A caller in east reaches a listener that runs only in west; once instances
 * run in east too, east's requests stay in east; when every east instance is killed, the
 * traffic moves to west.
 */
@Timeout(240)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SuperclusterTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	private static final Duration SLACK = Duration.ofSeconds(1);

	private static final int RETRIED_THREADS = 3;

	private static NatsSuperCluster regions;

	private static ConfigurableApplicationContext west;

	private static ConfigurableApplicationContext caller;

	private static BusTemplate bus;

	private static ChildJvm eastListeners;

	@BeforeAll
	static void start() {
		regions = NatsSuperCluster.builder().cluster("east").cluster("west").start();
		west = ReliabilityApps.start(regions.cluster("west").node(1).url(), Quotes.class,
				"spring.application.name=west-quotes", "natsbus.listener.concurrency=2");
		caller = ReliabilityApps.caller(regions.cluster("east").url(), "spring.application.name=east-caller");
		bus = caller.getBean(BusTemplate.class);
	}

	@AfterAll
	static void stop() throws Exception {
		if (eastListeners != null) {
			eastListeners.close();
		}
		caller.close();
		west.close();
		regions.close();
	}

	@Test
	@Order(1)
	void aCallerInOneRegionReachesAListenerThatRunsOnlyInTheOther() {
		await().atMost(Duration.ofSeconds(10))
			.ignoreException(BusNoRespondersException.class)
			.until(() -> bus.request("regions.quote", "warm-up", String.class, TIMEOUT).startsWith("west-"));
		Tally tally = new Tally();
		Map<String, LongAdder> answeredBy = requests(tally, 200);
		tally.report("Supercluster: caller in east, listener only in west",
				"answered by " + answeredBy + " through the gateway");
		assertThat(tally.failedCount()).isZero();
		assertThat(answeredBy).containsOnlyKeys("west-quotes");
	}

	@Test
	@Order(2)
	void requestsStayInTheirRegionWhenItHasListeners() throws Exception {
		eastListeners = ChildJvm.start(List.of(eastApp(1), eastApp(2)), Duration.ofSeconds(90));
		// Interest in the new queue members reaches every east node within moments.
		await().atMost(Duration.ofSeconds(10))
			.until(() -> bus.request("regions.quote", "warm-up", String.class, TIMEOUT).startsWith("east-"));
		Tally tally = new Tally();
		Map<String, LongAdder> answeredBy = requests(tally, 1000);
		long inEast = answeredBy.entrySet()
			.stream()
			.filter(entry -> entry.getKey().startsWith("east-"))
			.mapToLong(entry -> entry.getValue().sum())
			.sum();
		tally.report("Supercluster: listeners in both regions, caller in east",
				String.format("%.1f%% answered in east %s", 100.0 * inEast / tally.sent(), answeredBy));
		assertThat(tally.failedCount()).isZero();
		// NATS serves a queue group in the requester's cluster whenever it has a member.
		assertThat(inEast).isEqualTo(tally.sent());
		assertThat(answeredBy).containsOnlyKeys("east-quotes-1", "east-quotes-2");
	}

	@Test
	@Order(3)
	void killingEveryInstanceInARegionMovesItsTrafficToTheOther() throws Exception {
		BusOperations retrying = bus.withRetry(RetryPolicy.builder()
			.maxRetries(20)
			.delay(Duration.ofMillis(50))
			.multiplier(1.5)
			.maxDelay(Duration.ofMillis(500))
			.timeout(Duration.ofSeconds(5))
			.build());
		Tally withRetry = new Tally();
		Tally plain = new Tally();
		Map<String, LongAdder> answeredBy = new ConcurrentHashMap<>();
		long killedAt;
		long goneAt;
		long firstWestAnswer;
		try (Load retried = quoteLoad("regions-retried", RETRIED_THREADS, retrying, withRetry, answeredBy);
				Load unretried = quoteLoad("regions-plain", 1, bus, plain, answeredBy)) {
			retried.start();
			unretried.start();
			await().atMost(Duration.ofSeconds(20)).until(() -> withRetry.succeeded() >= 500);
			long westBefore = answered(answeredBy, "west-quotes");
			killedAt = System.nanoTime();
			eastListeners.kill();
			goneAt = System.nanoTime();
			await().atMost(Duration.ofSeconds(10)).until(() -> answered(answeredBy, "west-quotes") > westBefore);
			firstWestAnswer = System.nanoTime();
			long succeeded = withRetry.succeeded();
			await().atMost(Duration.ofSeconds(20)).until(() -> withRetry.succeeded() >= succeeded + 500);
		}
		long sentAfter = answered(answeredBy, "west-quotes");
		withRetry.report("Supercluster: every east instance killed (SIGKILL) under load (with retry)",
				String.format("traffic in west %d ms after the kill; answered by %s",
						TimeUnit.NANOSECONDS.toMillis(firstWestAnswer - killedAt), answeredBy));
		plain.report("Supercluster kill, same run, one caller thread without retry", "for comparison");
		assertThat(sentAfter).isGreaterThanOrEqualTo(500);
		// Only requests in flight at the killed instances are lost (their replies never
		// come): no caller is told "no responders", the gateway takes over at once.
		for (Tally tally : List.of(withRetry, plain)) {
			assertThat(tally.failures()).hasSize((int) tally.failedCount());
			assertThat(tally.failures()).allSatisfy(failure -> {
				assertThat(failure.exception()).isInstanceOf(BusTimeoutException.class);
				assertThat(failure.startNanos()).isBetween(killedAt - TIMEOUT.toNanos(), goneAt + SLACK.toNanos());
			});
		}
		assertThat(withRetry.failedCount() + plain.failedCount()).isLessThanOrEqualTo(RETRIED_THREADS + 1);
		await().atMost(Duration.ofSeconds(5)).until(() -> bus.getRequestsInFlight() == 0);
	}

	private static String eastApp(int node) {
		return ChildApplications.app(regions.cluster("east").node(node).url(), Quotes.class,
				"spring.application.name=east-quotes-" + node, "natsbus.listener.concurrency=2");
	}

	private static Map<String, LongAdder> requests(Tally tally, int count) {
		Map<String, LongAdder> answeredBy = new ConcurrentHashMap<>();
		for (int i = 0; i < count; i++) {
			long start = System.nanoTime();
			try {
				String reply = bus.request("regions.quote", "q" + i, String.class, TIMEOUT);
				assertThat(reply).endsWith(":q" + i);
				answeredBy.computeIfAbsent(reply.substring(0, reply.indexOf(':')), name -> new LongAdder()).increment();
				tally.success(start);
			}
			catch (BusException ex) {
				tally.failure(start, ex);
			}
		}
		return answeredBy;
	}

	private static long answered(Map<String, LongAdder> answeredBy, String name) {
		LongAdder count = answeredBy.get(name);
		return (count != null) ? count.sum() : 0;
	}

	private static Load quoteLoad(String name, int threads, BusOperations bus, Tally tally,
			Map<String, LongAdder> answeredBy) {
		return new Load(name, threads, Duration.ofMillis(5), tally, sequence -> {
			String reply = bus.request("regions.quote", "q" + sequence, String.class, TIMEOUT);
			if (!reply.endsWith(":q" + sequence)) {
				throw new AssertionError("Wrong reply " + reply);
			}
			answeredBy.computeIfAbsent(reply.substring(0, reply.indexOf(':')), key -> new LongAdder()).increment();
		});
	}

	@Test
	@Order(4)
	void broadcastListenersInBothRegionsAllReceiveAnEvent() {
		try (ConfigurableApplicationContext eastPrices = ReliabilityApps.start(regions.cluster("east").node(2).url(),
				Prices.class, "spring.application.name=east-prices");
				ConfigurableApplicationContext westPrices = ReliabilityApps.start(regions.cluster("west").node(2).url(),
						Prices.class, "spring.application.name=west-prices")) {
			// Both regions have answered once: the gateways carry the interest both ways.
			await().atMost(Duration.ofSeconds(15))
				.until(() -> bus
					.requestMany("regions.price", "probe", String.class,
							RequestMany.maxReplies(2).withMaxWait(Duration.ofMillis(500)))
					.values()
					.size() == 2);
			Prices east = eastPrices.getBean(Prices.class);
			Prices west = westPrices.getBean(Prices.class);
			long eastBefore = east.events.sum();
			long westBefore = west.events.sum();
			for (int i = 0; i < 200; i++) {
				bus.send("regions.price.changed", "ACME " + i);
			}
			await().atMost(Duration.ofSeconds(15))
				.until(() -> east.events.sum() - eastBefore == 200 && west.events.sum() - westBefore == 200);
			BusReplies<String> views = bus.requestMany("regions.price", "who", String.class,
					RequestMany.maxReplies(2).withMaxWait(Duration.ofSeconds(2)));
			assertThat(views.values()).containsExactlyInAnyOrder("east-prices", "west-prices");
			Tally.report("Supercluster: broadcast listeners in east and west", 200, 200, "{}",
					"every event reached both regions; request-many gathered one answer from each");
		}
	}

	static class Prices {

		final LongAdder events = new LongAdder();

		private final String name;

		Prices(@Value("${spring.application.name}") String name) {
			this.name = name;
		}

		@BusListener(subject = "regions.price.changed", id = "regions-price-changed", broadcast = true)
		void changed(String event) {
			this.events.increment();
		}

		@BusListener(subject = "regions.price", id = "regions-price", broadcast = true)
		String who(String question) {
			return this.name;
		}

	}

	static class Quotes {

		private final String name;

		Quotes(@Value("${spring.application.name}") String name) {
			this.name = name;
		}

		@BusListener(subject = "regions.quote", id = "regions-quote")
		String quote(String symbol) {
			return this.name + ":" + symbol;
		}

	}

}
