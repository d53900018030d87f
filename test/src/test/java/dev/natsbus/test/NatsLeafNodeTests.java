package dev.natsbus.test;

import io.nats.client.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

@Timeout(60)
class NatsLeafNodeTests {

	private static NatsCluster hub;

	private static NatsServer leaf;

	@BeforeAll
	static void start() {
		hub = NatsCluster.builder().name("hub").nodes(2).acceptLeafNodes().start();
		leaf = NatsServer.builder()
			.name("edge")
			.leafNodeOf(hub)
			.start()
			.awaitLeafNodeConnections(1, Duration.ofSeconds(15));
	}

	@AfterAll
	static void stop() {
		leaf.close();
		hub.close();
	}

	@Test
	void theLeafIsConnectedToOneHubNode() {
		assertThat(hub.leafNodeUrls()).hasSize(2).allMatch(url -> url.startsWith("nats-leaf://127.0.0.1:"));
		assertThat(leaf.leafNodeConnections()).isEqualTo(1);
		await().atMost(Duration.ofSeconds(5)).until(() -> hub.leafNodeConnections() == 1);
	}

	@Test
	void requestsCrossTheLeafConnectionBothWays() throws Exception {
		try (Connection atHub = Clients.connectOnce(hub.node(1).url());
				Connection atEdge = Clients.connectOnce(leaf.url())) {
			Clients.upperCaseResponder(atHub, "leaf.to-hub");
			Clients.upperCaseResponder(atEdge, "leaf.to-edge");
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(Clients.request(atEdge, "leaf.to-hub", "up")).isEqualTo("UP"));
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(Clients.request(atHub, "leaf.to-edge", "down")).isEqualTo("DOWN"));
		}
	}

	@Test
	void aServerThatAcceptsNoLeafNodesSaysSo() {
		try (NatsServer plain = NatsServer.builder().build()) {
			assertThatIllegalStateException().isThrownBy(plain::leafNodeUrl).withMessageContaining("acceptLeafNodes()");
		}
		assertThatIllegalArgumentException().isThrownBy(() -> NatsServer.builder().leafNodeOf(java.util.List.of()));
	}

}
