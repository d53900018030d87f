package dev.natsbus.test;

import io.nats.client.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(60)
class NatsClusterTests {

	private static NatsCluster cluster;

	@BeforeAll
	static void startCluster() {
		cluster = NatsCluster.builder().nodes(3).start();
	}

	@AfterAll
	static void stopCluster() {
		cluster.close();
	}

	@Test
	void nodesHaveDistinctLoopbackUrls() {
		assertThat(cluster.size()).isEqualTo(3);
		assertThat(cluster.urls()).hasSize(3)
			.doesNotHaveDuplicates()
			.allMatch(url -> url.startsWith("nats://127.0.0.1:"));
		assertThat(cluster.url()).isEqualTo(String.join(",", cluster.urls()));
		assertThat(cluster.nodes()).allMatch(NatsServer::isRunning);
	}

	@Test
	void requestFromNodeTwoReachesSubscriberOnNodeZero() throws Exception {
		assertRoundTripAcrossNodes("cluster.echo");
	}

	@Test
	void nodeZeroCanBeStoppedAndStartedAgain() throws Exception {
		String url = cluster.node(0).url();

		cluster.stop(0);

		assertThat(cluster.node(0).isRunning()).isFalse();
		assertThat(Ports.isListening(cluster.node(0).port())).isFalse();
		cluster.awaitRoutes();

		cluster.start(0);
		cluster.awaitRoutes();

		assertThat(cluster.node(0).url()).isEqualTo(url);
		assertRoundTripAcrossNodes("cluster.echo.after.restart");
	}

	private static void assertRoundTripAcrossNodes(String subject) throws Exception {
		try (Connection responder = Clients.connectOnce(cluster.node(0).url());
				Connection requester = Clients.connectOnce(cluster.node(2).url())) {
			Clients.upperCaseResponder(responder, subject);

			// The route is up, but interest in a new subscription still travels
			// asynchronously.
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(Clients.request(requester, subject, "ping")).isEqualTo("PING"));
		}
	}

}
