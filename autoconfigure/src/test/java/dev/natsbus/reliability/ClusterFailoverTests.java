package dev.natsbus.reliability;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.natsbus.BusConnectionException;
import dev.natsbus.BusException;
import dev.natsbus.BusListener;
import dev.natsbus.BusNoRespondersException;
import dev.natsbus.BusOperations;
import dev.natsbus.BusTimeoutException;
import dev.natsbus.autoconfigure.events.NatsConnectionEvent.Type;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.listener.BusListenerContainer;
import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.test.NatsCluster;
import io.nats.client.Connection;
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
 * A three-node cluster on loopback: a responder pinned to each node, a caller that knows
 * all three. Nodes are killed (SIGKILL) under load, the caller fails over, the responders
 * on the surviving nodes keep serving.
 */
@Timeout(180)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFailoverTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	private static final int RETRIED_THREADS = 3;

	private static NatsCluster cluster;

	private static final List<ConfigurableApplicationContext> responders = new ArrayList<>();

	@BeforeAll
	static void startCluster() {
		cluster = NatsCluster.builder().nodes(3).name("failover").start();
		for (int i = 0; i < 3; i++) {
			List<Class<?>> listeners = (i == 0) ? List.of(Echo.class, NodeAOnly.class) : List.of(Echo.class);
			responders.add(ReliabilityApps.start(cluster.node(i).url(), listeners,
					"spring.application.name=responder-" + i, "natsbus.listener.concurrency=2"));
		}
	}

	@AfterAll
	static void stopCluster() {
		responders.forEach(ConfigurableApplicationContext::close);
		cluster.close();
	}

	@Test
	@Order(1)
	void responderOnNodeAAnswersCallerOnNodeC() {
		ConfigurableApplicationContext caller = ReliabilityApps.caller(cluster.node(2).url(),
				"spring.application.name=caller-on-c");
		try {
			BusTemplate bus = caller.getBean(BusTemplate.class);
			assertThat(connectedNode(bus.getConnectionPool().connections().get(0))).isEqualTo(2);
			assertThat(connectedNode(container(responders.get(0), "node-a-only").getConnection())).isZero();
			// Interest crosses the routes within moments of the subscription.
			await().atMost(Duration.ofSeconds(10))
				.ignoreException(BusNoRespondersException.class)
				.until(() -> bus.request("cluster.a-only", "ping", String.class, TIMEOUT).equals("node-a:ping"));
			Tally tally = new Tally();
			for (int i = 0; i < 200; i++) {
				long start = System.nanoTime();
				try {
					assertThat(bus.request("cluster.a-only", "m" + i, String.class, TIMEOUT)).isEqualTo("node-a:m" + i);
					tally.success(start);
				}
				catch (BusException ex) {
					tally.failure(start, ex);
				}
			}
			tally.report("Cross-node: responder only on node A, caller only on node C", "all through the routes");
			assertThat(tally.failedCount()).isZero();
		}
		finally {
			caller.close();
		}
	}

	@Test
	@Order(2)
	void callerFailsOverWhenItsNodeIsKilled() throws Exception {
		ConfigurableApplicationContext caller = ReliabilityApps.start(String.join(",", cluster.urls()),
				List.of(ConnectionEvents.class), "spring.application.name=failover-caller");
		try {
			BusTemplate bus = caller.getBean(BusTemplate.class);
			ConnectionEvents events = caller.getBean(ConnectionEvents.class);
			Connection connection = bus.getConnectionPool().connections().get(0);
			// Retries ride through the moment without a connection; each attempt still
			// has its 1 s timeout.
			BusOperations retrying = bus.withRetry(RetryPolicy.builder()
				.maxRetries(20)
				.delay(Duration.ofMillis(50))
				.multiplier(1.5)
				.maxDelay(Duration.ofMillis(500))
				.timeout(Duration.ofSeconds(5))
				.build());
			Tally withRetry = new Tally();
			Tally plain = new Tally();
			List<String> phases = new ArrayList<>();
			List<Outage> outages = new ArrayList<>();
			try (Load retried = echoLoad("retried", RETRIED_THREADS, retrying, withRetry);
					Load unretried = echoLoad("plain", 1, bus, plain)) {
				retried.start();
				unretried.start();
				await().atMost(Duration.ofSeconds(20)).until(() -> withRetry.succeeded() >= 300);
				long start = System.nanoTime();

				for (int round = 0; round < 2; round++) {
					long succeeded = withRetry.succeeded();
					await().atMost(Duration.ofSeconds(20)).until(() -> withRetry.succeeded() >= succeeded + 1000);
					int killed = connectedNode(connection);
					long[] before = served();
					long killedAt = System.nanoTime();
					cluster.kill(killed);
					phases.add("killed node " + killed + " (the caller's)");
					await().atMost(Duration.ofSeconds(10))
						.until(() -> events.has(Type.RECONNECTED, killedAt)
								&& connection.getStatus() == Connection.Status.CONNECTED);
					assertThat(connectedNode(connection)).isNotEqualTo(killed);
					outages.add(new Outage(killed, killedAt,
							events.first(Type.DISCONNECTED, killedAt).orElseThrow().nanos(),
							events.first(Type.RECONNECTED, killedAt).orElseThrow().nanos()));
					await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertSurvivorsServed(before, killed));

					cluster.start(killed);
					cluster.awaitRoutes();
					await().atMost(Duration.ofSeconds(15))
						.until(() -> container(responders.get(killed), "failover-echo").getConnection()
							.getStatus() == Connection.Status.CONNECTED);
					phases.add("restarted node " + killed);
				}
				long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
				phases.add(seconds + " s under load");
			}
			finally {
				cluster.start();
			}
			withRetry.report("Cluster failover, 3 nodes, caller's node killed (SIGKILL) twice (with retry)",
					String.join(", ", phases) + "; " + describe(outages));
			plain.report("Cluster failover, same run, one caller thread without retry", "for comparison");
			// Both kills happened and were seen, so that the checks of each failure
			// against
			// an outage below have outages to match.
			assertThat(outages).hasSize(2);
			assertThat(withRetry.successRate()).as(withRetry.summary()).isGreaterThanOrEqualTo(99.0);
			// Only the replies in flight at a kill are lost: a request sent before the
			// caller saw its connection drop, which timed out; the retrying view rides
			// over
			// everything else. At most one such request per caller thread and kill.
			assertThat(withRetry.failures()).hasSize((int) withRetry.failedCount());
			assertThat(withRetry.failedCount()).isLessThanOrEqualTo(RETRIED_THREADS * outages.size());
			assertThat(withRetry.failures()).allSatisfy(failure -> {
				assertThat(failure.exception()).isInstanceOf(BusTimeoutException.class);
				assertThat(outages).anySatisfy(outage -> assertThat(outage.inFlightAtKill(failure)).isTrue());
			});
			// Without retry, a request sent while reconnecting fails fast as well, and
			// nothing fails outside an outage.
			assertThat(plain.failures()).hasSize((int) plain.failedCount());
			assertThat(plain.failures()).allSatisfy(failure -> {
				if (failure.exception() instanceof BusTimeoutException) {
					assertThat(outages).anySatisfy(outage -> assertThat(outage.inFlightAtKill(failure)).isTrue());
				}
				else {
					assertThat(failure.exception()).isInstanceOf(BusConnectionException.class);
					assertThat(outages)
						.anySatisfy(outage -> assertThat(outage.sentWhileReconnecting(failure)).isTrue());
				}
			});
		}
		finally {
			caller.close();
		}
	}

	/**
	 * One kill of the caller's node: when it was killed, when the caller saw its
	 * connection drop and when it was connected to another node again (System.nanoTime).
	 */
	private record Outage(int node, long killedAt, long disconnectedAt, long reconnectedAt) {

		boolean inFlightAtKill(Tally.Failure failure) {
			return failure.startNanos() <= this.disconnectedAt && failure.endNanos() >= this.killedAt;
		}

		boolean sentWhileReconnecting(Tally.Failure failure) {
			return failure.startNanos() >= this.killedAt && failure.startNanos() <= this.reconnectedAt;
		}

	}

	private static String describe(List<Outage> outages) {
		return outages.stream()
			.map(outage -> String.format("node %d: drop seen after %d ms, reconnected after %d ms", outage.node(),
					TimeUnit.NANOSECONDS.toMillis(outage.disconnectedAt() - outage.killedAt()),
					TimeUnit.NANOSECONDS.toMillis(outage.reconnectedAt() - outage.killedAt())))
			.collect(java.util.stream.Collectors.joining("; "));
	}

	private static Load echoLoad(String name, int threads, BusOperations bus, Tally tally) {
		return new Load(name, threads, Duration.ofMillis(5), tally, sequence -> {
			String reply = bus.request("cluster.echo", "m" + sequence, String.class, TIMEOUT);
			if (!reply.endsWith(":m" + sequence)) {
				throw new AssertionError("Wrong reply " + reply);
			}
		});
	}

	/** Requests each responder has served so far. */
	private static long[] served() {
		long[] served = new long[responders.size()];
		for (int i = 0; i < served.length; i++) {
			served[i] = container(responders.get(i), "failover-echo").getStats().getRequests();
		}
		return served;
	}

	private static void assertSurvivorsServed(long[] before, int killed) {
		long[] after = served();
		for (int i = 0; i < before.length; i++) {
			if (i != killed) {
				assertThat(after[i]).as("requests served by the responder on surviving node %d", i)
					.isGreaterThan(before[i] + 10);
			}
		}
	}

	private static BusListenerContainer container(ConfigurableApplicationContext context, String id) {
		return context.getBean(BusListenerRegistry.class)
			.getListenerContainers()
			.stream()
			.filter(container -> container.getId().equals(id))
			.findFirst()
			.orElseThrow();
	}

	/** The index of the node a connection is connected to. */
	private static int connectedNode(Connection connection) {
		String url = connection.getConnectedUrl();
		int port = URI.create(url).getPort();
		for (int i = 0; i < cluster.size(); i++) {
			if (cluster.node(i).port() == port) {
				return i;
			}
		}
		throw new IllegalStateException("Connected to " + url + ", not a node of " + cluster);
	}

	static class Echo {

		private final String name;

		Echo(@Value("${spring.application.name}") String name) {
			this.name = name;
		}

		@BusListener(subject = "cluster.echo", id = "failover-echo")
		String echo(String text) {
			return this.name + ":" + text;
		}

	}

	static class NodeAOnly {

		@BusListener(subject = "cluster.a-only", id = "node-a-only")
		String echo(String text) {
			return "node-a:" + text;
		}

	}

}
