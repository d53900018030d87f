package dev.natsbus.autoconfigure.actuate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServer;
import dev.natsbus.test.NatsServerTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code natsbus} endpoint over HTTP, in a web application with Actuator that exposes
 * it, against a real nats-server; and applications that do not expose it or allow it to
 * be read only.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "natsbus.connection-name=orders",
				"management.endpoints.web.exposure.include=natsbus" })
@NatsServerTest
@DirtiesContext
@Timeout(60)
class NatsBusEndpointHttpTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

	@Autowired
	private BusTemplate bus;

	@Autowired
	private EndpointTestListeners listeners;

	@Autowired
	private BusListenerRegistry registry;

	private String base;

	@BeforeEach
	void setUp(@LocalServerPort int port) {
		this.base = "http://127.0.0.1:" + port + "/actuator/natsbus";
	}

	@Test
	void listsTheListenersAndTheConnections(NatsServer server) {
		this.bus.request(EndpointTestListeners.QUOTES, "acme", String.class);

		HttpResponse<String> response = get(this.base);

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/vnd.spring-boot.actuator.v3+json"));
		JsonNode body = json.readTree(response.body());
		List<String> ids = new ArrayList<>();
		body.get("listeners").forEach((listener) -> ids.add(listener.get("id").asString()));
		assertThat(ids).containsExactlyInAnyOrder("echo", "gated", "quotes");
		JsonNode quotes = listener(body, "quotes");
		assertThat(quotes.get("subject").asString()).isEqualTo(EndpointTestListeners.QUOTES);
		assertThat(quotes.get("queueGroup").asString()).isEqualTo("pricing");
		assertThat(quotes.get("concurrency").asInt()).isEqualTo(2);
		assertThat(quotes.get("state").asString()).isEqualTo("RUNNING");
		assertThat(quotes.get("requests").asLong()).isEqualTo(1);
		assertThat(quotes.get("connection").asString()).startsWith("orders-");
		for (String field : List.of("busyWorkers", "errors", "processingTimeNanos", "averageProcessingTimeNanos",
				"expiredRequests", "droppedMessages", "pendingMessages")) {
			assertThat(quotes.has(field)).as(field).isTrue();
		}
		JsonNode connection = body.get("connections").get(0);
		assertThat(connection.get("name").asString()).isEqualTo("orders-0");
		assertThat(connection.get("status").asString()).isEqualTo("CONNECTED");
		assertThat(connection.get("server").asString()).isEqualTo(server.url());
		assertThat(connection.get("reconnects").asLong()).isZero();
		assertThat(connection.get("rttMillis").isNumber()).isTrue();
	}

	@Test
	void describesOneListenerAndAnswers404ForAnUnknownId() {
		HttpResponse<String> echo = get(this.base + "/echo");
		assertThat(echo.statusCode()).isEqualTo(200);
		JsonNode body = json.readTree(echo.body());
		assertThat(body.get("id").asString()).isEqualTo("echo");
		assertThat(body.get("queueGroup").asString()).isEqualTo("q");
		// Absent rather than null or empty before the first error.
		assertThat(body.has("lastError")).isFalse();

		assertThat(get(this.base + "/nope").statusCode()).isEqualTo(404);
		assertThat(post(this.base + "/nope", "{\"action\":\"pause\"}").statusCode()).isEqualTo(404);
	}

	@Test
	void pauseAnswersTheDeliveredMessagesAndRefusesNewOnesUntilResumed() throws Exception {
		PauseScenario.pauseAndResume(this.bus, this.listeners,
				this.registry.getListenerContainer("gated").orElseThrow(), () -> stateAfter("pause"),
				() -> stateAfter("resume"));
	}

	@Test
	void anUnknownActionIsABadRequestNamingTheActions() {
		HttpResponse<String> refused = post(this.base + "/echo", "{\"action\":\"explode\"}");

		assertThat(refused.statusCode()).isEqualTo(400);
		JsonNode body = json.readTree(refused.body());
		assertThat(body.get("error").asString()).isEqualTo("Unknown action 'explode'; the actions are [pause, resume]");
		assertThat(body.get("actions").toString()).isEqualTo("[\"pause\",\"resume\"]");
		assertThat(json.readTree(get(this.base + "/echo").body()).get("state").asString()).isEqualTo("RUNNING");
		// Without an action at all, Boot itself refuses the request.
		assertThat(post(this.base + "/echo", "{}").statusCode()).isEqualTo(400);
	}

	@Test
	void notExposedByDefault(NatsServer server) {
		withApplication(server, (port) -> {
			String actuator = "http://127.0.0.1:" + port + "/actuator";
			assertThat(get(actuator + "/health").statusCode()).isEqualTo(200);
			HttpResponse<String> links = get(actuator);
			assertThat(links.statusCode()).isEqualTo(200);
			assertThat(links.body()).contains("/actuator/health").doesNotContain("natsbus");
			assertThat(get(actuator + "/natsbus").statusCode()).isEqualTo(404);
			assertThat(post(actuator + "/natsbus/echo", "{\"action\":\"pause\"}").statusCode()).isEqualTo(404);
		});
	}

	@Test
	void readOnlyAccessAllowsNoWriteOperation(NatsServer server) {
		withApplication(server, (port) -> {
			String natsbus = "http://127.0.0.1:" + port + "/actuator/natsbus";
			assertThat(get(natsbus + "/echo").statusCode()).isEqualTo(200);
			assertThat(post(natsbus + "/echo", "{\"action\":\"pause\"}").statusCode()).isEqualTo(405);
			assertThat(json.readTree(get(natsbus + "/echo").body()).get("state").asString()).isEqualTo("RUNNING");
		}, "management.endpoints.web.exposure.include=natsbus", "management.endpoint.natsbus.access=read-only");
	}

	private String stateAfter(String action) {
		HttpResponse<String> response = post(this.base + "/gated", "{\"action\":\"" + action + "\"}");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode body = json.readTree(response.body());
		assertThat(body.get("id").asString()).isEqualTo("gated");
		return body.get("state").asString();
	}

	/** Runs {@code test} against another application, given the port it serves on. */
	private static void withApplication(NatsServer server, Consumer<Integer> test, String... properties) {
		List<String> all = new ArrayList<>(List.of("server.port=0", "server.address=127.0.0.1",
				"natsbus.servers=" + server.url(), "natsbus.service.enabled=false"));
		all.addAll(List.of(properties));
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
			.properties(all.toArray(String[]::new))
			.run()) {
			test.accept(context.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
		}
	}

	private static JsonNode listener(JsonNode body, String id) {
		for (JsonNode listener : body.get("listeners")) {
			if (listener.get("id").asString().equals(id)) {
				return listener;
			}
		}
		throw new AssertionError("no listener " + id + " in " + body);
	}

	private HttpResponse<String> get(String uri) {
		return send(HttpRequest.newBuilder(URI.create(uri)).GET());
	}

	private HttpResponse<String> post(String uri, String body) {
		return send(HttpRequest.newBuilder(URI.create(uri))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return this.http.send(request.timeout(Duration.ofSeconds(20)).build(),
					HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(EndpointTestListeners.class)
	static class Application {

	}

}
