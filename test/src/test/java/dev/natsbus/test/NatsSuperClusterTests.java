package dev.natsbus.test;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

@Timeout(90)
class NatsSuperClusterTests {

	private static NatsSuperCluster regions;

	@BeforeAll
	static void start() {
		regions = NatsSuperCluster.builder().cluster("east").cluster("west", 2).start();
	}

	@AfterAll
	static void stop() {
		regions.close();
	}

	@Test
	void clustersAreNamedAndHaveTheirOwnNodes() {
		assertThat(regions.clusters()).extracting(NatsCluster::name).containsExactly("east", "west");
		assertThat(regions.cluster("east").size()).isEqualTo(3);
		assertThat(regions.cluster("west").size()).isEqualTo(2);
		assertThat(regions.nodes()).hasSize(5).allMatch(NatsServer::isRunning);
		assertThat(regions.nodes()).extracting(NatsServer::port).doesNotHaveDuplicates();
		assertThatIllegalArgumentException().isThrownBy(() -> regions.cluster("north")).withMessageContaining("north");
	}

	@Test
	void aRequestCrossesTheGatewayToTheOnlyResponder() throws Exception {
		try (Connection west = Clients.connectOnce(regions.cluster("west").node(1).url());
				Connection east = Clients.connectOnce(regions.cluster("east").node(0).url())) {
			Clients.upperCaseResponder(west, "regions.only-west");
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(
						() -> assertThat(Clients.request(east, "regions.only-west", "hello")).isEqualTo("HELLO"));
		}
	}

	@Test
	void aQueueGroupIsServedInTheRequestersClusterFirst() throws Exception {
		try (Connection west = Clients.connectOnce(regions.cluster("west").node(0).url());
				Connection eastResponder = Clients.connectOnce(regions.cluster("east").node(2).url());
				Connection east = Clients.connectOnce(regions.cluster("east").node(0).url())) {
			queueResponder(west, "west");
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(Clients.request(east, "regions.served", "x")).isEqualTo("west"));
			queueResponder(eastResponder, "east");
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(Clients.request(east, "regions.served", "x")).isEqualTo("east"));
			for (int i = 0; i < 50; i++) {
				assertThat(Clients.request(east, "regions.served", "x")).isEqualTo("east");
			}
		}
	}

	@Test
	void gatewaysFormAgainAfterANodeIsKilledAndStarted() {
		NatsServer node = regions.cluster("west").node(0);
		node.kill();
		regions.awaitGateways();
		node.start();
		regions.awaitGateways();
		assertThat(node.isRunning()).isTrue();
	}

	@Test
	void aSuperclusterNeedsTwoDistinctClusters() {
		assertThatIllegalStateException().isThrownBy(() -> NatsSuperCluster.builder().cluster("alone").build())
			.withMessageContaining("at least two clusters");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> NatsSuperCluster.builder().cluster("twice").cluster("twice"))
			.withMessageContaining("twice");
		assertThatIllegalArgumentException().isThrownBy(() -> NatsSuperCluster.builder().cluster("bad name"));
	}

	private static void queueResponder(Connection connection, String answer) throws Exception {
		Dispatcher dispatcher = connection.createDispatcher(
				message -> connection.publish(message.getReplyTo(), answer.getBytes(StandardCharsets.UTF_8)));
		dispatcher.subscribe("regions.served", "q");
		connection.flush(Duration.ofSeconds(2));
	}

}
