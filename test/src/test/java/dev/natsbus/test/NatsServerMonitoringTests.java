package dev.natsbus.test;

import com.jayway.jsonpath.JsonPath;
import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@Timeout(30)
class NatsServerMonitoringTests {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	@Test
	void connzReportsOpenConnections() throws Exception {
		try (NatsServer server = NatsServer.builder().monitoring().start();
				Connection nc = Nats.connect(server.url())) {
			assertThat(server.monitoringUrl()).startsWith("http://127.0.0.1:");

			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				HttpResponse<String> response = get(server.monitoringUrl() + "/connz");
				assertThat(response.statusCode()).isEqualTo(200);
				assertThat((Integer) JsonPath.read(response.body(), "$.num_connections")).isEqualTo(1);
			});
		}
	}

	@Test
	void varzShowsLoopbackBindingAndTheClientPort() throws Exception {
		try (NatsServer server = NatsServer.builder().monitoring().start()) {
			String varz = get(server.monitoringUrl() + "/varz").body();

			assertThat((String) JsonPath.read(varz, "$.host")).isEqualTo("127.0.0.1");
			assertThat((String) JsonPath.read(varz, "$.http_host")).isEqualTo("127.0.0.1");
			assertThat((Integer) JsonPath.read(varz, "$.port")).isEqualTo(server.port());
		}
	}

	@Test
	void monitoringPortSurvivesRestart() throws Exception {
		try (NatsServer server = NatsServer.builder().monitoring().start()) {
			String before = server.monitoringUrl();

			server.restart();

			assertThat(server.monitoringUrl()).isEqualTo(before);
			assertThat(get(before + "/varz").statusCode()).isEqualTo(200);
		}
	}

	@Test
	void monitoringUrlRequiresMonitoring() {
		try (NatsServer server = NatsServer.builder().build()) {
			assertThatThrownBy(server::monitoringUrl).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("monitoring()");
		}
	}

	private HttpResponse<String> get(String url) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
