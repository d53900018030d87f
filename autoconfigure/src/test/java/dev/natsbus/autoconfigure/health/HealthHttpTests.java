package dev.natsbus.autoconfigure.health;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.natsbus.test.NatsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's {@code /actuator/health} over HTTP, in a web application: the
 * {@code natsbus} component and its connection details as shown, none of it without
 * details switched on, and no credentials.
 */
@Timeout(60)
class HealthHttpTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static NatsServer server;

	@BeforeAll
	static void startServer() {
		server = NatsServer.builder()
			.config("authorization { users: [ { user: orders, password: s3cret-health-pw } ] }")
			.start();
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Test
	void healthShowsEachConnectionWithDetailsAndNoCredentials() throws Exception {
		try (ConfigurableApplicationContext context = start("management.endpoint.health.show-details=always")) {
			HttpResponse<String> response = get(context, "/actuator/health");
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).doesNotContain("s3cret-health-pw");
			JsonNode natsbus = json.readTree(response.body()).path("components").path("natsbus");
			assertThat(natsbus.path("status").asString()).isEqualTo("UP");
			JsonNode connections = natsbus.path("details").path("connections");
			assertThat(connections.propertyNames()).containsExactlyInAnyOrder("orders-0", "orders-1");
			for (String name : new String[] { "orders-0", "orders-1" }) {
				JsonNode connection = connections.path(name);
				assertThat(connection.path("status").asString()).isEqualTo("CONNECTED");
				assertThat(connection.path("server").asString()).isEqualTo(server.url());
				assertThat(connection.path("rttMillis").isNumber()).isTrue();
				assertThat(connection.path("reconnects").asLong()).isZero();
			}
		}
	}

	@Test
	void byDefaultHealthShowsOnlyTheStatus() throws Exception {
		try (ConfigurableApplicationContext context = start()) {
			HttpResponse<String> response = get(context, "/actuator/health");
			assertThat(response.statusCode()).isEqualTo(200);
			JsonNode body = json.readTree(response.body());
			assertThat(body.path("status").asString()).isEqualTo("UP");
			assertThat(response.body()).doesNotContain("natsbus").doesNotContain("orders-0");
		}
	}

	private static ConfigurableApplicationContext start(String... properties) {
		return new SpringApplicationBuilder(WebApp.class).web(WebApplicationType.SERVLET)
			.properties("server.port=0", "natsbus.servers=" + server.url(), "natsbus.username=orders",
					"natsbus.password=s3cret-health-pw", "natsbus.pool.size=2", "spring.application.name=orders",
					"spring.main.banner-mode=off")
			.properties(properties)
			.run();
	}

	private static HttpResponse<String> get(ConfigurableApplicationContext context, String path) throws Exception {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = "org.springframework.boot.tomcat.autoconfigure.reactive"
			+ ".TomcatReactiveWebServerAutoConfiguration")
	static class WebApp {

	}

}
