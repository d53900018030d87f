package dev.natsbus.autoconfigure.web;

import java.io.IOException;
import java.net.ServerSocket;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.natsbus.BusException;
import dev.natsbus.BusListener;
import dev.natsbus.BusServiceException;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.conversion.JsonPayloadConverter;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServer;
import io.nats.client.Options;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.reactor.netty.NettyWebServer;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bus failures that escape a controller, over HTTP on a random port, in Spring MVC on
 * Tomcat and in WebFlux on Netty, against a real nats-server.
 */
@Timeout(120)
class BusExceptionHandlerHttpTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static NatsServer nats;

	@BeforeAll
	static void startServer() {
		nats = NatsServer.builder().start();
	}

	@AfterAll
	static void stopServer() {
		if (nats != null) {
			nats.close();
		}
	}

	@ParameterizedTest
	@EnumSource
	void busFailuresBecomeProblemDetails(Stack stack) throws Exception {
		try (ConfigurableApplicationContext context = start(stack, WebApp.class)) {
			assertThat(get(context, "/quotes/ACME").body()).contains("\"symbol\":\"ACME\"");
			assertProblem(get(context, "/quotes/NOPE"), 404, "No quote for 'NOPE'");
			assertProblem(get(context, "/bad"), 400, "symbol must be upper case");
			assertProblem(get(context, "/maintenance"), 502, "back at noon");
			Response failed = get(context, "/fail");
			assertProblem(failed, 502, "The service behind this request failed.");
			assertThat(failed.body()).doesNotContain("hunter2");
			assertProblem(get(context, "/slow"), 504, "The service behind this request did not answer in time.");
			assertProblem(get(context, "/nobody"), 503, "No service is available to answer this request.");
			assertProblem(get(context, "/offline"), 503, "The message bus is not available.");
			assertProblem(get(context, "/garbage"), 502,
					"A message to or from the service behind this request could not be converted.");
		}
	}

	@ParameterizedTest
	@EnumSource
	void applicationsOwnHandlerWins(Stack stack) throws Exception {
		try (ConfigurableApplicationContext context = start(stack, WebAppWithOwnHandler.class)) {
			Response response = get(context, "/quotes/NOPE");
			assertThat(response.status()).isEqualTo(418);
			assertThat(response.body()).isEqualTo("mine: Remote error 404 from 'web.quotes.get': No quote for 'NOPE'");
		}
	}

	@ParameterizedTest
	@EnumSource
	void propertySwitchesItOff(Stack stack) throws Exception {
		try (ConfigurableApplicationContext context = start(stack, WebApp.class,
				"natsbus.web.problem-details.enabled=false")) {
			assertThat(context.getBeansOfType(BusExceptionHandler.class)).isEmpty();
			Response response = get(context, "/quotes/NOPE");
			assertThat(response.status()).isEqualTo(500);
			assertThat(response.contentType()).doesNotContain("application/problem+json");
		}
	}

	private static ConfigurableApplicationContext start(Stack stack, Class<?> application, String... properties) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(application).web(stack.type)
			.properties("server.port=0", "natsbus.servers=" + nats.url(), "spring.main.banner-mode=off",
					"natsbus.shutdown.drain-timeout=2s")
			.properties(properties)
			.run();
		WebServer server = ((WebServerApplicationContext) context).getWebServer();
		assertThat(server).isInstanceOf(stack.server);
		return context;
	}

	/**
	 * A GET on a connection of its own: on this machine Reactor Netty leaves about one
	 * request in a hundred unread when it arrives on a kept-alive connection after an
	 * asynchronously completed response (with or without the bus), which would fail a
	 * test for reasons of its own.
	 */
	private static Response get(ConfigurableApplicationContext context, String path) throws IOException {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path)
			.toURL()
			.openConnection();
		connection.setRequestProperty("Accept", "application/json");
		connection.setRequestProperty("Connection", "close");
		connection.setConnectTimeout(10_000);
		connection.setReadTimeout(10_000);
		try {
			int status = connection.getResponseCode();
			try (InputStream body = (status >= 400) ? connection.getErrorStream() : connection.getInputStream()) {
				return new Response(path, status, connection.getContentType(),
						(body != null) ? new String(body.readAllBytes(), StandardCharsets.UTF_8) : "");
			}
		}
		finally {
			connection.disconnect();
		}
	}

	record Response(String path, int status, String contentType, String body) {
	}

	private static void assertProblem(Response response, int status, String detail) {
		assertThat(response.status()).as(response.path() + ": " + response.body()).isEqualTo(status);
		assertThat(response.contentType()).isEqualTo("application/problem+json");
		JsonNode problem = json.readTree(response.body());
		assertThat(problem.path("status").asInt()).isEqualTo(status);
		assertThat(problem.path("detail").asString()).isEqualTo(detail);
		assertThat(problem.path("title").asString()).isNotBlank();
	}

	enum Stack {

		MVC(WebApplicationType.SERVLET, TomcatWebServer.class),

		WEBFLUX(WebApplicationType.REACTIVE, NettyWebServer.class);

		final WebApplicationType type;

		final Class<? extends WebServer> server;

		Stack(WebApplicationType type, Class<? extends WebServer> server) {
			this.type = type;
			this.server = server;
		}

	}

	record Quote(String symbol, double price) {
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = "org.springframework.boot.tomcat.autoconfigure.reactive"
			+ ".TomcatReactiveWebServerAutoConfiguration")
	@Import({ QuoteController.class, QuoteHandlers.class, OwnNettyResources.class })
	static class WebApp {

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = "org.springframework.boot.tomcat.autoconfigure.reactive"
			+ ".TomcatReactiveWebServerAutoConfiguration")
	@Import({ QuoteController.class, QuoteHandlers.class, OwnHandler.class, OwnNettyResources.class })
	static class WebAppWithOwnHandler {

	}

	/**
	 * Event loops of each context's own: Boot shares Reactor Netty's global ones and
	 * disposes of them, with a quiet period, when a context closes, which would stop the
	 * next context's server in the middle of a test.
	 */
	static class OwnNettyResources {

		@Bean
		ReactorResourceFactory reactorResourceFactory() {
			ReactorResourceFactory factory = new ReactorResourceFactory();
			factory.setUseGlobalResources(false);
			return factory;
		}

	}

	@RestControllerAdvice
	static class OwnHandler {

		@ExceptionHandler
		ResponseEntity<String> busFailure(BusException ex) {
			return ResponseEntity.status(418).body("mine: " + ex.getMessage());
		}

	}

	@RestController
	static class QuoteController implements DisposableBean {

		private final BusTemplate bus;

		private final NatsConnectionPool offlinePool;

		private final BusTemplate offline;

		QuoteController(BusTemplate bus) throws IOException {
			this.bus = bus;
			// A bus whose only server is a closed port: never connected.
			Options options = new Options.Builder().server("nats://127.0.0.1:" + closedPort())
				.connectionTimeout(Duration.ofMillis(200))
				.build();
			this.offlinePool = NatsConnectionPool.connectInBackground(List.of(options));
			this.offline = new BusTemplate(this.offlinePool, new JsonPayloadConverter());
		}

		@GetMapping("/quotes/{symbol}")
		CompletableFuture<Quote> quote(@PathVariable String symbol) {
			return this.bus.requestAsync("web.quotes.get", symbol, Quote.class, Duration.ofSeconds(5));
		}

		@GetMapping("/bad")
		CompletableFuture<Quote> bad() {
			return this.bus.requestAsync("web.bad", "acme", Quote.class, Duration.ofSeconds(5));
		}

		@GetMapping("/maintenance")
		CompletableFuture<Quote> maintenance() {
			return this.bus.requestAsync("web.maintenance", "ACME", Quote.class, Duration.ofSeconds(5));
		}

		@GetMapping("/fail")
		CompletableFuture<Quote> fail() {
			return this.bus.requestAsync("web.fail", "ACME", Quote.class, Duration.ofSeconds(5));
		}

		@GetMapping("/slow")
		CompletableFuture<Quote> slow() {
			return this.bus.requestAsync("web.slow", "ACME", Quote.class, Duration.ofMillis(200));
		}

		@GetMapping("/nobody")
		CompletableFuture<Quote> nobody() {
			return this.bus.requestAsync("web.nobody", "ACME", Quote.class, Duration.ofSeconds(5));
		}

		@GetMapping("/offline")
		CompletableFuture<Quote> offline() {
			return this.offline.requestAsync("web.quotes.get", "ACME", Quote.class, Duration.ofSeconds(5));
		}

		@GetMapping("/garbage")
		CompletableFuture<Quote> garbage() {
			return this.bus.requestAsync("web.garbage", "ACME", Quote.class, Duration.ofSeconds(5));
		}

		@Override
		public void destroy() {
			this.offline.destroy();
			this.offlinePool.close();
		}

		private static int closedPort() throws IOException {
			try (ServerSocket socket = new ServerSocket(0)) {
				return socket.getLocalPort();
			}
		}

	}

	static class QuoteHandlers {

		@BusListener("web.quotes.get")
		Quote quote(String symbol) {
			if (!symbol.equals("ACME")) {
				throw new BusServiceException(404, "No quote for '" + symbol + "'");
			}
			return new Quote(symbol, 12.5);
		}

		@BusListener("web.bad")
		Quote bad(String symbol) {
			throw new BusServiceException(400, "symbol must be upper case");
		}

		@BusListener("web.maintenance")
		Quote maintenance(String symbol) {
			throw new BusServiceException(503, "back at noon");
		}

		@BusListener("web.fail")
		Quote fail(String symbol) {
			throw new IllegalStateException("could not log in to the database with password hunter2");
		}

		@BusListener("web.slow")
		CompletableFuture<Quote> slow(String symbol) {
			return new CompletableFuture<Quote>().completeOnTimeout(new Quote(symbol, 1), 1, TimeUnit.SECONDS);
		}

		@BusListener("web.garbage")
		String garbage(String symbol) {
			return "not JSON";
		}

	}

}
