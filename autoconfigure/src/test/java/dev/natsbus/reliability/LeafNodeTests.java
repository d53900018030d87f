package dev.natsbus.reliability;

import java.time.Duration;

import dev.natsbus.BusException;
import dev.natsbus.BusListener;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsCluster;
import dev.natsbus.test.NatsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An edge site: a leaf node server connected to a hub cluster of three nodes. An
 * application at the edge calls a listener at the hub and the other way round, and the
 * edge keeps working when the hub node it is connected to dies.
 */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LeafNodeTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	private static NatsCluster hub;

	private static NatsServer edge;

	private static ConfigurableApplicationContext hubApp;

	private static ConfigurableApplicationContext edgeApp;

	@BeforeAll
	static void start() {
		hub = NatsCluster.builder().name("hub").acceptLeafNodes().start();
		edge = NatsServer.builder().name("edge").leafNodeOf(hub).start();
		edge.awaitLeafNodeConnections(1, Duration.ofSeconds(15));
		hubApp = ReliabilityApps.start(hub.url(), HubListener.class, "spring.application.name=hub-app");
		edgeApp = ReliabilityApps.start(edge.url(), EdgeListener.class, "spring.application.name=edge-app");
	}

	@AfterAll
	static void stop() {
		edgeApp.close();
		hubApp.close();
		edge.close();
		hub.close();
	}

	@Test
	@Order(1)
	void anApplicationAtTheEdgeCallsAListenerAtTheHub() {
		Tally tally = roundTrips(edgeApp.getBean(BusTemplate.class), "hub.stock", "hub:");
		tally.report("Leaf node: app on the edge server calls a listener on the hub cluster",
				"over the leaf connection");
		assertThat(tally.failedCount()).isZero();
	}

	@Test
	@Order(2)
	void anApplicationAtTheHubCallsAListenerAtTheEdge() {
		Tally tally = roundTrips(hubApp.getBean(BusTemplate.class), "edge.sensor", "edge:");
		tally.report("Leaf node: app on the hub cluster calls a listener on the edge server",
				"over the leaf connection");
		assertThat(tally.failedCount()).isZero();
	}

	@Test
	@Order(3)
	void theEdgeReconnectsToAnotherHubNodeWhenItsNodeIsKilled() {
		int connectedTo = -1;
		for (int i = 0; i < hub.size(); i++) {
			if (hub.node(i).leafNodeConnections() > 0) {
				connectedTo = i;
			}
		}
		assertThat(connectedTo).as("hub node with the leaf connection").isNotNegative();
		long killedAt = System.nanoTime();
		hub.kill(connectedTo);
		try {
			edge.awaitLeafNodeConnections(1, Duration.ofSeconds(15));
			long reconnectedAt = System.nanoTime();
			Tally tally = roundTrips(edgeApp.getBean(BusTemplate.class), "hub.stock", "hub:");
			tally.report("Leaf node: the hub node the edge was connected to killed (SIGKILL)",
					"the edge's leaf connection back on another hub node after "
							+ java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(reconnectedAt - killedAt)
							+ " ms; requests served through it");
			assertThat(tally.failedCount()).isZero();
		}
		finally {
			hub.start(connectedTo);
		}
	}

	/**
	 * 200 requests once the first one got through: interest crosses the leaf connection
	 * within moments of a subscription or a reconnect.
	 */
	private static Tally roundTrips(BusTemplate bus, String subject, String prefix) {
		await().atMost(Duration.ofSeconds(15))
			.ignoreExceptionsInstanceOf(BusException.class)
			.until(() -> bus.request(subject, "warm-up", String.class, TIMEOUT).equals(prefix + "warm-up"));
		Tally tally = new Tally();
		for (int i = 0; i < 200; i++) {
			long start = System.nanoTime();
			try {
				assertThat(bus.request(subject, "r" + i, String.class, TIMEOUT)).isEqualTo(prefix + "r" + i);
				tally.success(start);
			}
			catch (BusException ex) {
				tally.failure(start, ex);
			}
		}
		return tally;
	}

	static class HubListener {

		@BusListener(subject = "hub.stock", id = "hub-stock")
		String stock(String item) {
			return "hub:" + item;
		}

	}

	static class EdgeListener {

		@BusListener(subject = "edge.sensor", id = "edge-sensor")
		String sensor(String reading) {
			return "edge:" + reading;
		}

	}

}
