package dev.natsbus.reliability;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.natsbus.BusException;
import dev.natsbus.BusListener;
import dev.natsbus.BusNoRespondersException;
import dev.natsbus.BusOperations;
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
 * all three. Nodes die under load, the caller fails over, the responders on the surviving
 * nodes keep serving.
 */
@Timeout(180)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFailoverTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

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
	void callerFailsOverWhenItsNodeDies() throws Exception {
		ConfigurableApplicationContext caller = ReliabilityApps.caller(String.join(",", cluster.urls()),
				"spring.application.name=failover-caller");
		try {
			BusTemplate bus = caller.getBean(BusTemplate.class);
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
			try (Load retried = echoLoad("retried", 3, retrying, withRetry);
					Load unretried = echoLoad("plain", 1, bus, plain)) {
				retried.start();
				unretried.start();
				await().atMost(Duration.ofSeconds(20)).until(() -> withRetry.succeeded() >= 300);
				long start = System.nanoTime();

				pause(Duration.ofSeconds(3));
				int first = connectedNode(connection);
				long[] before = served();
				cluster.stop(first);
				phases.add("killed node " + first + " (the caller's)");
				pause(Duration.ofSeconds(5));
				assertThat(connection.getStatus()).isEqualTo(Connection.Status.CONNECTED);
				int failedOver = connectedNode(connection);
				assertThat(failedOver).isNotEqualTo(first);
				assertSurvivorsServed(before, served(), first);

				cluster.start(first);
				cluster.awaitRoutes();
				await().atMost(Duration.ofSeconds(15))
					.until(() -> container(responders.get(first), "failover-echo").getConnection()
						.getStatus() == Connection.Status.CONNECTED);
				phases.add("restarted node " + first);
				pause(Duration.ofSeconds(3));

				int second = connectedNode(connection);
				before = served();
				cluster.stop(second);
				phases.add("killed node " + second + " (the caller's)");
				pause(Duration.ofSeconds(5));
				assertThat(connectedNode(connection)).isNotEqualTo(second);
				assertSurvivorsServed(before, served(), second);
				long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
				phases.add(seconds + " s under load");
			}
			finally {
				cluster.start();
			}
			withRetry.report("Cluster failover, 3 nodes, caller's node killed twice (with retry)",
					String.join(", ", phases));
			plain.report("Cluster failover, same run, one caller thread without retry", "for comparison");
			assertThat(withRetry.successRate()).as(withRetry.summary()).isGreaterThanOrEqualTo(99.0);
			for (Tally.Failure failure : withRetry.failures()) {
				assertThat(failure.exception()).isInstanceOf(BusException.class);
				assertThat(failure.millis()).isLessThan(7_000);
			}
			for (Tally.Failure failure : plain.failures()) {
				assertThat(failure.exception()).isInstanceOf(BusException.class);
			}
		}
		finally {
			caller.close();
		}
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

	private static void assertSurvivorsServed(long[] before, long[] after, int killed) {
		long[] delta = new long[before.length];
		for (int i = 0; i < before.length; i++) {
			delta[i] = after[i] - before[i];
		}
		System.out.println("Served per responder after node " + killed + " died: " + java.util.Arrays.toString(delta));
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

	private static void pause(Duration duration) {
		await().pollDelay(duration).atMost(duration.plusSeconds(1)).until(() -> true);
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
