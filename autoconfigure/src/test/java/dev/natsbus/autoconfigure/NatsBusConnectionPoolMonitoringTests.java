package dev.natsbus.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.natsbus.test.NatsServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The pool as the server sees it, through its monitoring endpoint. */
@Timeout(30)
class NatsBusConnectionPoolMonitoringTests {

	@RegisterExtension
	static final NatsServerExtension nats = NatsServerExtension.server().withMonitoring();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	@Test
	void poolOpensOneNamedConnectionPerSlot() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NatsBusAutoConfiguration.class))
			.withPropertyValues("natsbus.servers=" + nats.url(), "natsbus.pool.size=3",
					"natsbus.connection-name=orders")
			.run(context -> {
				assertThat(context).hasNotFailed();
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(connectionNames()).containsExactlyInAnyOrder("orders-0", "orders-1",
							"orders-2"));
			});
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(connectionNames()).isEmpty());
	}

	private List<String> connectionNames() throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(nats.getServer().monitoringUrl() + "/connz"))
			.timeout(Duration.ofSeconds(2))
			.GET()
			.build();
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode connections = JsonMapper.builder().build().readTree(response.body()).path("connections");
		List<String> names = new ArrayList<>();
		connections.forEach(connection -> names.add(connection.path("name").asString()));
		return names;
	}

}
