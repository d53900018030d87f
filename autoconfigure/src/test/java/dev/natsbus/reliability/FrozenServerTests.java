package dev.natsbus.reliability;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.natsbus.BusConnectionException;
import dev.natsbus.BusListener;
import dev.natsbus.BusNoRespondersException;
import dev.natsbus.BusTimeoutException;
import dev.natsbus.autoconfigure.events.NatsConnectionEvent.Type;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsCluster;
import dev.natsbus.test.NatsServer;
import io.nats.client.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server that stops answering without closing anything (SIGSTOP: a long GC pause, a
 * swapped-out or hung host). Nothing tells the client but its ping timer, so requests
 * must fail typed within their timeouts, the dead connection must be noticed within
 * {@code ping-interval × (max-pings-out + 2)}, and the client must move to another node
 * when there is one.
 */
@Timeout(180)
class FrozenServerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	private static final Duration PING_INTERVAL = Duration.ofMillis(500);

	private static final int MAX_PINGS_OUT = 2;

	/**
	 * jnats skips the ping of an interval in which the server sent something, then pings
	 * every interval and gives up at the ping that would exceed max-pings-out: at most
	 * {@code max-pings-out + 2} intervals after the server stopped.
	 */
	private static final Duration DETECTION_BOUND = PING_INTERVAL.multipliedBy(MAX_PINGS_OUT + 2);

	/** Scheduling on two shared cores. */
	private static final Duration SLACK = Duration.ofSeconds(1);

	private static final String[] FAST_DETECTION = { "natsbus.ping-interval=" + PING_INTERVAL.toMillis() + "ms",
			"natsbus.max-pings-out=" + MAX_PINGS_OUT, "natsbus.reconnect-wait=250ms",
			"natsbus.listener.concurrency=2" };

	@Test
	void aFrozenServerFailsRequestsTypedAndRecoversWhenThawed() throws Exception {
		try (NatsServer server = NatsServer.builder().start()) {
			ConfigurableApplicationContext app = ReliabilityApps.start(server.url(),
					List.of(Echo.class, ConnectionEvents.class),
					with(FAST_DETECTION, "spring.application.name=frozen"));
			try {
				BusTemplate bus = app.getBean(BusTemplate.class);
				ConnectionEvents events = app.getBean(ConnectionEvents.class);
				warmUp(bus);
				int threadsBefore = ReliabilityApps.settledThreadCount();

				Tally tally = new Tally();
				long frozenAt;
				long detectedAt;
				long thawedAt;
				AtomicLong firstSuccessAfterThaw = new AtomicLong();
				try (Load load = echoLoad(bus, tally).start()) {
					await().atMost(Duration.ofSeconds(20)).until(() -> tally.succeeded() >= 200);
					frozenAt = System.nanoTime();
					server.freeze();
					await().atMost(DETECTION_BOUND.plus(SLACK).plus(SLACK))
						.until(() -> events.has(Type.DISCONNECTED, frozenAt));
					detectedAt = events.first(Type.DISCONNECTED, frozenAt).orElseThrow().nanos();
					// Frozen for a while after detection: reconnect attempts find a port
					// that accepts connections but never says hello.
					long failedAtDetection = tally.failedCount();
					await().atMost(Duration.ofSeconds(10)).until(() -> tally.failedCount() >= failedAtDetection + 20);
					assertThat(server.isRunning()).isTrue();

					thawedAt = System.nanoTime();
					server.thaw();
					long succeededAtThaw = tally.succeeded();
					await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20)).until(() -> {
						if (tally.succeeded() > succeededAtThaw) {
							firstSuccessAfterThaw.compareAndSet(0, System.nanoTime());
							return true;
						}
						return false;
					});
					long succeeded = tally.succeeded();
					await().atMost(Duration.ofSeconds(10)).until(() -> tally.succeeded() >= succeeded + 200);
				}
				assertThat(events.has(Type.RECONNECTED, thawedAt)).isTrue();

				// Before the client noticed, requests time out; once it knows, they fail
				// at once with the connection down; right after the reconnect a request
				// may find the listener not yet subscribed again. None waits past its
				// timeout.
				List<Tally.Failure> failures = tally.failures();
				assertThat(failures).hasSize((int) tally.failedCount()).isNotEmpty();
				assertThat(failures).allSatisfy(failure -> {
					assertThat(failure.millis()).isLessThanOrEqualTo(TIMEOUT.plus(SLACK).toMillis());
					assertThat(failure.endNanos()).isGreaterThanOrEqualTo(frozenAt);
					assertThat(failure.startNanos()).isLessThan(firstSuccessAfterThaw.get());
					if (failure.exception() instanceof BusTimeoutException) {
						assertThat(failure.startNanos()).isLessThanOrEqualTo(detectedAt);
					}
					else if (failure.exception() instanceof BusNoRespondersException) {
						assertThat(failure.startNanos()).isGreaterThanOrEqualTo(thawedAt);
					}
					else {
						assertThat(failure.exception()).isInstanceOf(BusConnectionException.class)
							.hasMessageContaining("connection to NATS is down");
					}
				});
				long detectionMillis = TimeUnit.NANOSECONDS.toMillis(detectedAt - frozenAt);
				assertThat(detectionMillis).isLessThanOrEqualTo(DETECTION_BOUND.plus(SLACK).toMillis());

				await().atMost(Duration.ofSeconds(5)).until(() -> bus.getRequestsInFlight() == 0);
				await().atMost(Duration.ofSeconds(30))
					.pollInterval(Duration.ofMillis(500))
					.until(() -> ReliabilityApps.threadCount() <= threadsBefore + 2);
				tally.report("Server frozen (SIGSTOP) under load, thawed after detection",
						String.format(
								"ping-interval %d ms × max-pings-out %d: dead connection seen after %d ms; "
										+ "first success %d ms after thaw; threads %d before, %d after; 0 pending",
								PING_INTERVAL.toMillis(), MAX_PINGS_OUT, detectionMillis,
								TimeUnit.NANOSECONDS.toMillis(firstSuccessAfterThaw.get() - thawedAt), threadsBefore,
								ReliabilityApps.threadCount()));
			}
			finally {
				app.close();
			}
		}
	}

	@Test
	void theCallerMovesToAnotherNodeWhenItsNodeFreezes() throws Exception {
		// The servers ping each other as often, so that they too stop routing to the
		// frozen node (and the listener pinned to it) within seconds.
		try (NatsCluster cluster = NatsCluster.builder()
			.name("frozen")
			.config("ping_interval: \"" + PING_INTERVAL.toMillis() + "ms\"\nping_max: " + MAX_PINGS_OUT)
			.start()) {
			List<ConfigurableApplicationContext> responders = new java.util.ArrayList<>();
			ConfigurableApplicationContext caller = null;
			try {
				for (int i = 0; i < cluster.size(); i++) {
					responders.add(ReliabilityApps.start(cluster.node(i).url(), Echo.class,
							with(FAST_DETECTION, "spring.application.name=frozen-responder-" + i)));
				}
				caller = ReliabilityApps.start(cluster.url(), List.of(ConnectionEvents.class),
						with(FAST_DETECTION, "spring.application.name=frozen-caller"));
				BusTemplate bus = caller.getBean(BusTemplate.class);
				ConnectionEvents events = caller.getBean(ConnectionEvents.class);
				Connection connection = bus.getConnectionPool().connections().get(0);
				warmUp(bus);
				int threadsBefore = ReliabilityApps.settledThreadCount();

				Tally tally = new Tally();
				int frozen;
				long frozenAt;
				long detectedAt;
				long movedAt;
				int movedTo;
				try (Load load = echoLoad(bus, tally).start()) {
					await().atMost(Duration.ofSeconds(20)).until(() -> tally.succeeded() >= 200);
					frozen = cluster.indexOf(connection.getConnectedUrl());
					frozenAt = System.nanoTime();
					cluster.freeze(frozen);
					await().atMost(Duration.ofSeconds(15))
						.until(() -> events.has(Type.RECONNECTED, frozenAt)
								&& connection.getStatus() == Connection.Status.CONNECTED);
					detectedAt = events.first(Type.DISCONNECTED, frozenAt).orElseThrow().nanos();
					movedAt = events.first(Type.RECONNECTED, frozenAt).orElseThrow().nanos();
					movedTo = cluster.indexOf(connection.getConnectedUrl());
					long succeeded = tally.succeeded();
					await().atMost(Duration.ofSeconds(20)).until(() -> tally.succeeded() >= succeeded + 300);
					cluster.thaw(frozen);
					cluster.awaitRoutes();
					long afterThaw = tally.succeeded();
					await().atMost(Duration.ofSeconds(20)).until(() -> tally.succeeded() >= afterThaw + 200);
				}
				assertThat(movedTo).isNotEqualTo(frozen);
				long detectionMillis = TimeUnit.NANOSECONDS.toMillis(detectedAt - frozenAt);
				assertThat(detectionMillis).isLessThanOrEqualTo(DETECTION_BOUND.plus(SLACK).toMillis());

				// Failures are typed, never past their timeout, and only while the
				// caller was on the frozen node or the cluster still routed to it
				// (servers notice a frozen peer as the client does, by pings).
				long routesDropBound = detectedAt + DETECTION_BOUND.plus(TIMEOUT).plus(SLACK).toNanos();
				List<Tally.Failure> failures = tally.failures();
				assertThat(failures).hasSize((int) tally.failedCount());
				assertThat(failures).allSatisfy(failure -> {
					assertThat(failure.exception()).isInstanceOfAny(BusTimeoutException.class,
							BusConnectionException.class, BusNoRespondersException.class);
					assertThat(failure.millis()).isLessThanOrEqualTo(TIMEOUT.plus(SLACK).toMillis());
					assertThat(failure.endNanos()).isGreaterThanOrEqualTo(frozenAt);
					assertThat(failure.startNanos()).isLessThanOrEqualTo(Math.max(routesDropBound, movedAt));
				});
				assertThat(connection.getStatus()).isEqualTo(Connection.Status.CONNECTED);
				await().atMost(Duration.ofSeconds(5)).until(() -> bus.getRequestsInFlight() == 0);
				await().atMost(Duration.ofSeconds(30))
					.pollInterval(Duration.ofMillis(500))
					.until(() -> ReliabilityApps.threadCount() <= threadsBefore + 2);
				tally.report("3-node cluster, the caller's node frozen (SIGSTOP) under load, thawed later",
						String.format("dead connection seen after %d ms, connected to node %d after %d ms; "
								+ "the thawed node rejoined the cluster; threads %d before, %d after; 0 pending",
								detectionMillis, movedTo, TimeUnit.NANOSECONDS.toMillis(movedAt - frozenAt),
								threadsBefore, ReliabilityApps.threadCount()));
			}
			finally {
				if (caller != null) {
					caller.close();
				}
				responders.forEach(ConfigurableApplicationContext::close);
			}
		}
	}

	/**
	 * The same load until every pool has its threads (and, in a cluster, interest has
	 * reached every node), before anything is measured.
	 */
	private static void warmUp(BusTemplate bus) throws Exception {
		Tally warmUp = new Tally();
		try (Load load = echoLoad(bus, warmUp).start()) {
			await().atMost(Duration.ofSeconds(20)).until(() -> warmUp.succeeded() >= 300);
		}
	}

	private static Load echoLoad(BusTemplate bus, Tally tally) {
		return new Load("frozen", 3, Duration.ofMillis(5), tally, sequence -> {
			String reply = bus.request("frozen.echo", "m" + sequence, String.class, TIMEOUT);
			if (!reply.endsWith(":m" + sequence)) {
				throw new AssertionError("Wrong reply " + reply);
			}
		});
	}

	private static String[] with(String[] properties, String... more) {
		String[] all = java.util.Arrays.copyOf(properties, properties.length + more.length);
		System.arraycopy(more, 0, all, properties.length, more.length);
		return all;
	}

	static class Echo {

		private final String name;

		Echo(@Value("${spring.application.name}") String name) {
			this.name = name;
		}

		@BusListener(subject = "frozen.echo", id = "frozen-echo")
		String echo(String text) {
			return this.name + ":" + text;
		}

	}

}
