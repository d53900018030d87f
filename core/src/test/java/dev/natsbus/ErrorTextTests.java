package dev.natsbus;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServer;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.impl.Headers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.stereotype.Component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What error replies say, against a real server: by default a failure's text names only
 * the listener and an error id that its log line repeats; 400s say what was wrong in the
 * caller's terms; full messages only when switched on. The same texts reach
 * {@code $SRV.STATS} ({@code last_error}).
 */
@ExtendWith(OutputCaptureExtension.class)
class ErrorTextTests {

	private static final Pattern SAFE_500 = Pattern
		.compile("Listener 'errorTextTests\\.Handlers\\.(\\w+)' failed \\(error id (\\w{22})\\)");

	/**
	 * What must never reach a caller: Java class names, signatures, framework internals.
	 */
	private static final List<String> INTERNALS = List.of("dev.natsbus", "java.", "Exception", "`", "Could not resolve",
			"method parameter", "index 0", "codes [", "[Source");

	private static NatsServer server;

	private static AnnotationConfigApplicationContext context;

	private static BusTemplate bus;

	@BeforeAll
	static void start() {
		server = NatsServer.builder().start();
		context = BusTestContext.start(server.url(), Handlers.class);
		bus = context.getBean(BusTemplate.class);
	}

	@AfterAll
	static void stop() {
		context.close();
		server.close();
	}

	@Test
	void failureSaysOnlyThatTheListenerFailedWithAnIdThatTheLogRepeats(CapturedOutput output) {
		BusRemoteException ex = remoteError("errors.logged", "x");
		assertThat(ex.getErrorCode()).isEqualTo(500);
		assertThat(ex.getRemoteMessage()).doesNotContain("database password is hunter2");
		Matcher matcher = SAFE_500.matcher(ex.getRemoteMessage());
		assertThat(matcher.matches()).as(ex.getRemoteMessage()).isTrue();
		assertThat(matcher.group(1)).isEqualTo("logged");
		String errorId = matcher.group(2);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(output.getAll()).contains(
					"ERROR dev.natsbus.listener.adapter.ListenerErrorLog -- Listener 'errorTextTests.Handlers.logged'"
							+ " failed on a message on 'errors.logged' (error id " + errorId
							+ ")\njava.lang.IllegalStateException: " + "database password is hunter2"));
	}

	@Test
	void idsOfFailuresHeldBackByTheRateLimitAreLoggedAtDebug(CapturedOutput output) {
		Logger logger = (Logger) LoggerFactory.getLogger("dev.natsbus.listener.adapter.ListenerErrorLog");
		Level level = logger.getLevel();
		logger.setLevel(Level.DEBUG);
		try {
			String first = errorId(remoteError("errors.flood", "x"));
			String second = errorId(remoteError("errors.flood", "x"));
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				assertThat(output.getAll()).contains("ERROR dev.natsbus.listener.adapter.ListenerErrorLog -- Listener "
						+ "'errorTextTests.Handlers.flood' failed on a message on 'errors.flood' (error id " + first
						+ ")");
				assertThat(output.getAll()).contains("DEBUG dev.natsbus.listener.adapter.ListenerErrorLog -- Listener "
						+ "'errorTextTests.Handlers.flood' failed on a message on 'errors.flood' (error id " + second
						+ ")");
			});
		}
		finally {
			logger.setLevel(level);
		}
	}

	private static String errorId(BusRemoteException ex) {
		Matcher matcher = SAFE_500.matcher(ex.getRemoteMessage());
		assertThat(matcher.matches()).as(ex.getRemoteMessage()).isTrue();
		return matcher.group(2);
	}

	@Test
	void eachFailureHasItsOwnId() {
		String first = remoteError("errors.fail", "x").getRemoteMessage();
		String second = remoteError("errors.fail", "x").getRemoteMessage();
		assertThat(first).isNotEqualTo(second);
		assertThat(SAFE_500.matcher(second).matches()).isTrue();
	}

	@Test
	void asynchronousFailureIsAsSafe() {
		BusRemoteException ex = remoteError("errors.later", "x");
		assertThat(ex.getErrorCode()).isEqualTo(500);
		assertThat(SAFE_500.matcher(ex.getRemoteMessage()).matches()).as(ex.getRemoteMessage()).isTrue();
	}

	@Test
	void serviceExceptionTextIsSentAsWritten() {
		BusRemoteException ex = remoteError("errors.deliberate", "x");
		assertThat(ex.getErrorCode()).isEqualTo(409);
		assertThat(ex.getRemoteMessage()).isEqualTo("order 7 was already shipped");
	}

	@Test
	void lastErrorInTheStatsIsTheTextTheCallerGot() {
		BusRemoteException ex = remoteError("errors.stats", "x");
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(context.getBean(BusListenerRegistry.class)
				.getListenerContainer("errorTextTests.Handlers.stats")
				.orElseThrow()
				.getStats()
				.getLastError()).isEqualTo("500:" + ex.getRemoteMessage()));
		BusRemoteException unreadable = remoteError("errors.quote", "{");
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(context.getBean(BusListenerRegistry.class)
				.getListenerContainer("errorTextTests.Handlers.quote")
				.orElseThrow()
				.getStats()
				.getLastError()).isEqualTo("400:" + unreadable.getRemoteMessage()));
	}

	@Test
	void malformedJsonSaysWhereAndWhyWithoutJavaNames() {
		assertThat(badRequest("errors.quote", "{not json")).startsWith(
				"Cannot read parameter 'quote': expected a JSON object; malformed JSON at line 1, column 2: Unexpected character ('n'");
	}

	@Test
	void fieldOfTheWrongKindIsNamed() {
		assertThat(badRequest("errors.quote", "{\"symbol\":\"A\",\"price\":\"cheap\"}")).isEqualTo(
				"Cannot read parameter 'quote': expected a JSON object; field 'price' expects a number, got \"cheap\"");
		assertThat(badRequest("errors.quote", "{\"symbol\":{\"a\":1},\"price\":1}")).isEqualTo(
				"Cannot read parameter 'quote': expected a JSON object; field 'symbol' expects text, got an object");
	}

	@Test
	void valueOfTheWrongKindSaysWhatCame() {
		assertThat(badRequest("errors.quote", "[1,2]"))
			.isEqualTo("Cannot read parameter 'quote': expected a JSON object; got an array");
		assertThat(badRequest("errors.quote", "true"))
			.isEqualTo("Cannot read parameter 'quote': expected a JSON object; got true or false");
		assertThat(badRequest("errors.count", "\"many\""))
			.isEqualTo("Cannot read parameter 'count': expected a whole number; got \"many\"");
		assertThat(badRequest("errors.list", "{\"a\":1}"))
			.isEqualTo("Cannot read parameter 'quotes': expected a JSON array; got an object");
		assertThat(badRequest("errors.side", "\"SIDEWAYS\""))
			.startsWith("Cannot read parameter 'side': expected one of BUY, SELL; got \"SIDEWAYS\"");
	}

	@Test
	void emptyRequestSaysWhatWasExpected() {
		assertThat(badRequest("errors.quote", ""))
			.isEqualTo("The request is empty: parameter 'quote' expects a JSON object");
		assertThat(badRequest("errors.text", "")).isEqualTo("The request is empty: parameter 'text' expects text");
	}

	@Test
	void jsonNullForAParameterThatCannotBeNullSaysSo() {
		assertThat(badRequest("errors.quote", "null"))
			.isEqualTo("Cannot read parameter 'quote': expected a JSON object, got null");
		// Text is never JSON: "null" is the four letters.
		assertThat(bus.request("errors.text", "null", String.class)).isEqualTo("null");
	}

	@Test
	void aNullableParameterTakesJsonNullAndAnEmptyRequestAsNull() {
		assertThat(bus.request("errors.maybe", "null", String.class)).isEqualTo("no quote");
		assertThat(bus.request("errors.maybe", "", String.class)).isEqualTo("no quote");
		assertThat(bus.request("errors.maybe", new Quote("ACME", 1), String.class)).isEqualTo("ACME");
		assertThat(badRequest("errors.maybe", "[1]"))
			.startsWith("Cannot read parameter 'quote': expected a JSON object");
	}

	@Test
	void headersAreNamed() throws Exception {
		assertThat(badRequest("errors.header", "x", null)).isEqualTo("Missing header 'X-Count'");
		assertThat(badRequest("errors.header", "x", new Headers().add("X-Count", "lots")))
			.isEqualTo("Cannot read header 'X-Count': expected a whole number, got \"lots\"");
	}

	@Test
	void fullMessagesOnlyWhenSwitchedOn() {
		try (AnnotationConfigApplicationContext verbose = BusTestContext.start(server.url(), "verbose", Map.of(),
				IncludeMessages.class, VerboseHandlers.class)) {
			BusTemplate verboseBus = verbose.getBean(BusTemplate.class);
			assertThatExceptionOfType(BusRemoteException.class)
				.isThrownBy(() -> verboseBus.request("errors.verbose", "x", String.class))
				.satisfies((ex) -> {
					assertThat(ex.getErrorCode()).isEqualTo(500);
					assertThat(ex.getRemoteMessage()).matches("database password is hunter2 \\(error id \\w{22}\\)");
				});
		}
	}

	private static BusRemoteException remoteError(String subject, String payload) {
		try {
			bus.request(subject, payload.getBytes(StandardCharsets.UTF_8), String.class);
		}
		catch (BusRemoteException ex) {
			return ex;
		}
		throw new AssertionError("No error reply on " + subject);
	}

	private static String badRequest(String subject, String payload) {
		BusRemoteException ex = remoteError(subject, payload);
		assertThat(ex.getErrorCode()).isEqualTo(400);
		assertThat(ex.getRemoteMessage()).doesNotContain(INTERNALS);
		return ex.getRemoteMessage();
	}

	/** Sent with a plain jnats client, to choose the headers exactly. */
	private static String badRequest(String subject, String payload, Headers headers) throws Exception {
		try (Connection raw = Nats.connect(server.url())) {
			io.nats.client.Message reply = raw.request(subject, headers, payload.getBytes(StandardCharsets.UTF_8),
					Duration.ofSeconds(2));
			assertThat(reply.getHeaders().getFirst("Nats-Service-Error-Code")).isEqualTo("400");
			String text = reply.getHeaders().getFirst("Nats-Service-Error");
			assertThat(text).doesNotContain(INTERNALS);
			return text;
		}
	}

	enum Side {

		BUY, SELL

	}

	@Configuration(proxyBeanMethods = false)
	static class IncludeMessages {

		@Bean
		static BeanPostProcessor includeMessages() {
			return BusTestContext.configuring((factory) -> factory.setIncludeErrorMessages(true), (template) -> {
			});
		}

	}

	@Component
	static class VerboseHandlers {

		@BusListener("errors.verbose")
		String fail(String input) {
			throw new IllegalStateException("database password is hunter2");
		}

	}

	@Component
	static class Handlers {

		@BusListener("errors.fail")
		String fail(String input) {
			throw new IllegalStateException("database password is hunter2");
		}

		@BusListener("errors.logged")
		String logged(String input) {
			throw new IllegalStateException("database password is hunter2");
		}

		@BusListener("errors.flood")
		String flood(String input) {
			throw new UnsupportedOperationException("not yet");
		}

		@BusListener("errors.stats")
		String stats(String input) {
			throw new IllegalStateException("internal detail");
		}

		@BusListener("errors.later")
		CompletableFuture<String> later(String input) {
			return CompletableFuture.failedFuture(new IllegalStateException("connection pool exhausted at 10.0.0.7"));
		}

		@BusListener("errors.deliberate")
		String deliberate(String input) {
			throw new BusServiceException(409, "order 7 was already shipped");
		}

		@BusListener("errors.quote")
		String quote(Quote quote) {
			return quote.symbol();
		}

		@BusListener("errors.count")
		int count(int count) {
			return count;
		}

		@BusListener("errors.list")
		int list(List<Quote> quotes) {
			return quotes.size();
		}

		@BusListener("errors.side")
		String side(Side side) {
			return side.name();
		}

		@BusListener("errors.text")
		String text(@Payload String text) {
			return text;
		}

		@BusListener("errors.header")
		String header(String body, @Header("X-Count") int count) {
			return body + count;
		}

		@BusListener("errors.maybe")
		String maybe(@org.jspecify.annotations.Nullable Quote quote) {
			return (quote != null) ? quote.symbol() : "no quote";
		}

	}

}
