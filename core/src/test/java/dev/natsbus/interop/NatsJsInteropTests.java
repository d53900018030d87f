package dev.natsbus.interop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import dev.natsbus.BusListener;
import dev.natsbus.BusServiceException;
import dev.natsbus.BusReplies;
import dev.natsbus.BusReplies.EndedBy;
import dev.natsbus.BusTestContext;
import dev.natsbus.RequestMany;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The patterns across languages, against a real server: nats.js {@code requestMany}
 * gathers from Java broadcast listeners and reads a Java streamed reply with its sentinel
 * strategy, and Java {@code requestMany} reads a nats.js responder that streams replies
 * ending with the sentinel. The nats.js client is {@code @nats-io/transport-node}, run as
 * a child process ({@link NodeScripts}).
 */
@Timeout(300)
class NatsJsInteropTests {

	private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(30);

	private static final JsonMapper json = JsonMapper.builder().build();

	private static NatsServer server;

	private static final List<AnnotationConfigApplicationContext> apps = new ArrayList<>();

	@BeforeAll
	static void start() {
		// Installs the npm packages (once per build) before the clock of any test starts.
		NodeScripts.install();
		server = NatsServer.builder().start();
		for (int i = 0; i < 3; i++) {
			apps.add(BusTestContext.start(server.url(), "census" + i, Map.of(), Census.class));
		}
		// Once flushed, the server has every subscription before a script sends anything.
		apps.forEach((app) -> app.getBean(NatsConnectionPool.class).flush(SCRIPT_TIMEOUT));
	}

	@AfterAll
	static void stop() {
		apps.forEach(AnnotationConfigApplicationContext::close);
		if (server != null) {
			server.close();
		}
	}

	@Test
	void natsJsRequestManyGathersFromJavaBroadcastListeners() throws Exception {
		JsonNode counted = requestMany("interop.census", "count", 5000, 3);
		assertThat(texts(counted)).containsExactlyInAnyOrder("census0-0", "census1-0", "census2-0");
		JsonNode timed = requestMany("interop.census", "timer", 500, 0);
		assertThat(texts(timed)).containsExactlyInAnyOrder("census0-0", "census1-0", "census2-0");
	}

	@Test
	void natsJsReadsAJavaStreamedReplyWithItsSentinelStrategy() throws Exception {
		JsonNode streamed = requestMany("interop.countdown", "sentinel", 5000, 0);
		// nats.js hands the sentinel itself on as the last, empty message.
		assertThat(texts(streamed)).containsExactly("5", "4", "3", "2", "1", "");
		assertThat(streamed.get("elapsed").asLong()).isLessThan(5000);
	}

	@Test
	void natsJsSeesAFailedJavaStreamEndWithTheErrorReply() throws Exception {
		JsonNode failed = requestMany("interop.failing", "sentinel", 5000, 0);
		JsonNode replies = failed.get("replies");
		assertThat(replies).hasSize(3);
		assertThat(replies.get(2).get("error").asString()).isEqualTo("no more");
		assertThat(replies.get(2).get("code").asString()).isEqualTo("500");
		assertThat(failed.get("elapsed").asLong()).isLessThan(5000);
	}

	@Test
	void javaRequestManyReadsANatsJsResponderThatStreamsRepliesEndingWithTheSentinel() throws Exception {
		BusTemplate bus = apps.get(0).getBean(BusTemplate.class);
		try (NodeScripts.Script responder = NodeScripts.start("streaming-responder.mjs", server.url(),
				"interop.js.stream", "10")) {
			assertThat(responder.nextLine(SCRIPT_TIMEOUT)).isEqualTo("ready");
			long before = System.currentTimeMillis();
			BusReplies<Element> replies = bus.requestMany("interop.js.stream", "", Element.class,
					RequestMany.sentinel().withMaxWait(Duration.ofSeconds(10)));
			assertThat(replies.endedBy()).isEqualTo(EndedBy.SENTINEL);
			assertThat(replies.errors()).isEmpty();
			assertThat(replies.values()).extracting(Element::index)
				.containsExactlyElementsOf(IntStream.range(0, 10).boxed().toList());
			// The deadline reached the nats.js side as a plain header.
			assertThat(Long.parseLong(replies.values().get(0).deadline())).isBetween(before + 10_000,
					System.currentTimeMillis() + 10_000);
			assertThat(responder.nextLine(SCRIPT_TIMEOUT)).isEqualTo("served");
			assertThat(responder.awaitExit(SCRIPT_TIMEOUT)).as(responder.errorLog()).isZero();
		}
	}

	private static JsonNode requestMany(String subject, String strategy, int maxWaitMillis, int maxMessages)
			throws Exception {
		List<String> args = new ArrayList<>(List.of(server.url(), subject, strategy, Integer.toString(maxWaitMillis)));
		if (maxMessages > 0) {
			args.add(Integer.toString(maxMessages));
		}
		try (NodeScripts.Script script = NodeScripts.start("request-many.mjs", args.toArray(String[]::new))) {
			JsonNode result = json.readTree(script.nextLine(SCRIPT_TIMEOUT));
			assertThat(script.awaitExit(SCRIPT_TIMEOUT)).as(script.errorLog()).isZero();
			return result;
		}
	}

	private static List<String> texts(JsonNode result) {
		List<String> texts = new ArrayList<>();
		result.get("replies").forEach((reply) -> texts.add(reply.get("data").asString()));
		return texts;
	}

	record Element(int index, String deadline) {
	}

	static class Census {

		private final String name;

		Census(Environment environment) {
			this.name = environment.getRequiredProperty("test.nats.name") + "-0";
		}

		@BusListener(subject = "interop.census", broadcast = true)
		String census(String question) {
			return this.name;
		}

		@BusListener(subject = "interop.countdown", id = "countdown-${test.nats.name}")
		Stream<Integer> countdown() {
			return Stream.of(5, 4, 3, 2, 1);
		}

		@BusListener(subject = "interop.failing", id = "failing-${test.nats.name}")
		Stream<String> failing() {
			return Stream.of("a", "b", "c").map((text) -> {
				if (text.equals("c")) {
					// A deliberate error text reaches other clients as written.
					throw new BusServiceException(500, "no more");
				}
				return text;
			});
		}

	}

}
