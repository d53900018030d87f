package dev.natsbus.test;

import io.nats.client.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@NatsServerTest(cluster = 2)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class NatsClusterAnnotationTests {

	private final NatsCluster cluster;

	NatsClusterAnnotationTests(NatsCluster cluster) {
		this.cluster = cluster;
	}

	@Test
	void injectsARoutedCluster(NatsCluster injected, NatsServer nodeZero) throws Exception {
		assertThat(injected).isSameAs(cluster);
		assertThat(injected.size()).isEqualTo(2);
		assertThat(nodeZero).isSameAs(injected.node(0));

		try (Connection responder = Clients.connectOnce(injected.node(0).url());
				Connection requester = Clients.connectOnce(injected.node(1).url())) {
			Clients.upperCaseResponder(responder, "annotated.cluster");
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(Clients.request(requester, "annotated.cluster", "hi")).isEqualTo("HI"));
		}
	}

}
