package dev.natsbus.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.natsbus.BusListener;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.listener.BusListenerContainer;
import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.test.NatsServer;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.impl.Headers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.messaging.handler.annotation.Header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hostile input: thousands of random messages, sent with a plain jnats client, to a
 * listener of each parameter kind. Every request gets a reply (a result or a coded
 * error), the listeners keep serving, no worker dies and the log is not flooded.
 */
@Timeout(180)
@ExtendWith(OutputCaptureExtension.class)
class FuzzTests {

	private static final int MESSAGES = 10_000;

	private static final int CONCURRENCY = 4;

	private static final List<String> SUBJECTS = List.of("fuzz.pojo", "fuzz.string", "fuzz.bytes", "fuzz.message",
			"fuzz.list", "fuzz.header", "fuzz.box");

	private static final String EVIL = Evil.class.getName();

	/**
	 * Header names with a meaning somewhere: spring-messaging's, nats-bus's local ones,
	 * NATS micro's.
	 */
	private static final List<String> SPECIAL_HEADERS = List.of("id", "timestamp", "contentType", "Content-Type",
			"nats_replyTo", "nats_subject", "nats_rawMessage", "replyChannel", "errorChannel", "Nats-Service-Error",
			"Nats-Service-Error-Code", "X-Tenant", "Nats-Bus-Deadline", "traceparent", "@class");

	private static final List<String> CONTENT_TYPES = List.of("application/json", "text/plain",
			"application/x-java-serialized-object", "application/octet-stream; charset=bogus", "*/*", "", ";;;",
			"application/json; charset=UTF-32");

	private static NatsServer server;

	private static ConfigurableApplicationContext app;

	@BeforeAll
	static void start() {
		server = NatsServer.builder().start();
		app = ReliabilityApps.start(server.url(), Listeners.class, "spring.application.name=fuzz-app",
				"natsbus.listener.concurrency=" + CONCURRENCY);
	}

	@AfterAll
	static void stop() {
		app.close();
		server.close();
	}

	@Test
	void everyRandomRequestIsAnsweredAndNothingBreaks(CapturedOutput output) throws Exception {
		long seed = Long.getLong("natsbus.fuzz.seed", System.nanoTime());
		Random random = new Random(seed);
		Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
		Map<String, LongAdder> bodyKinds = new ConcurrentHashMap<>();
		List<String> unanswered = java.util.Collections.synchronizedList(new ArrayList<>());
		Map<String, String> errorTexts = new ConcurrentHashMap<>();
		Semaphore window = new Semaphore(64);
		int outputBefore = output.getAll().length();
		long start = System.nanoTime();
		try (Connection client = Nats.connect(server.url())) {
			long maxPayload = client.getMaxPayload();
			for (int i = 0; i < MESSAGES; i++) {
				String subject = SUBJECTS.get(random.nextInt(SUBJECTS.size()));
				Headers headers = randomHeaders(random);
				Body body = randomBody(random, maxPayload - 64 * 1024);
				bodyKinds.computeIfAbsent(body.kind(), kind -> new LongAdder()).increment();
				window.acquire();
				String description = subject + " / " + body.kind() + " / headers " + headers;
				CompletableFuture<Message> reply;
				try {
					reply = client.requestWithTimeout(subject, headers, body.data(), Duration.ofSeconds(15));
				}
				catch (RuntimeException ex) {
					window.release();
					throw new AssertionError("The client refused to send " + description, ex);
				}
				reply.whenComplete((message, ex) -> {
					String outcome = (ex != null) ? "no reply: " + ex.getClass().getSimpleName() : classify(message);
					outcomes.computeIfAbsent(outcome, key -> new LongAdder()).increment();
					if (outcome.startsWith("error") && errorTexts.size() < 10_000) {
						errorTexts.putIfAbsent(message.getHeaders().getFirst("Nats-Service-Error"), description);
					}
					if (ex != null || outcome.startsWith("no reply")) {
						unanswered.add(description);
					}
					window.release(); // last, so that all outcomes are counted once the
										// window is whole again
				});
			}
			assertThat(window.tryAcquire(64, 60, TimeUnit.SECONDS)).as("all replies arrived").isTrue();
		}
		long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		Map<String, Long> outcomeCounts = counts(outcomes);
		long answered = outcomeCounts.entrySet()
			.stream()
			.filter(entry -> !entry.getKey().startsWith("no reply"))
			.mapToLong(Map.Entry::getValue)
			.sum();
		String log = output.getAll().substring(outputBefore);
		long errorLines = count(log, Pattern.compile("(?m)^\\S+\\s+ERROR "));
		long listenerLogLines = count(log, Pattern.compile("(?m)^.*Listener 'fuzz-"));
		Tally.report("Fuzz: " + MESSAGES + " random requests (seed " + seed + ") over 7 parameter kinds", MESSAGES,
				answered, "{unanswered=" + unanswered.size() + "}",
				String.format("replies %s; bodies %s; %d ms; %d ERROR log lines, %d listener log lines in all",
						outcomeCounts, counts(bodyKinds), millis, errorLines, listenerLogLines));

		assertThat(unanswered).as("requests without a reply (seed %d)", seed).isEmpty();
		// What the callers were told is in their terms: no Java names, signatures or
		// framework internals.
		assertThat(errorTexts).isNotEmpty();
		errorTexts.forEach((text, request) -> assertThat(text).as("error text for %s (seed %d)", request, seed)
			.doesNotContain("dev.natsbus", "java.", "Exception", "Could not resolve", "method parameter", "[Source",
					"codes ["));
		assertThat(answered).isEqualTo(MESSAGES);
		// As the README's row says: every reply is a result or a 400 (the request could
		// not be read), never a 500, and bad input logs no ERROR line.
		assertThat(outcomeCounts).as("replies by outcome (seed %d)", seed).containsOnlyKeys("ok", "error 400");
		assertThat(outcomeCounts.get("ok")).isPositive();
		assertThat(outcomeCounts.get("error 400")).isPositive();
		assertThat(errorLines).as("ERROR lines (seed %d)", seed).isZero();
		assertThat(listenerLogLines).isLessThanOrEqualTo(6L * SUBJECTS.size() * (1 + millis / 10_000));
		assertThat(Evil.instances).hasValue(0);
		assertWorkersAlive();
		assertListenersServe();
	}

	@Test
	void jsonNeverInstantiatesATypeThePayloadNames() {
		BusTemplate bus = app.getBean(BusTemplate.class);
		String nested = "{\"value\":{\"@class\":\"" + EVIL + "\",\"name\":\"x\"}}";
		assertThat(bus.request("fuzz.box", nested.getBytes(StandardCharsets.UTF_8), String.class))
			.isEqualTo("java.util.LinkedHashMap");
		String wrapped = "{\"value\":[\"" + EVIL + "\",{\"name\":\"x\"}]}";
		assertThat(bus.request("fuzz.box", wrapped.getBytes(StandardCharsets.UTF_8), String.class))
			.isEqualTo("java.util.ArrayList");
		String topLevel = "{\"@class\":\"" + EVIL + "\",\"symbol\":\"ACME\",\"price\":1}";
		assertThat(bus.request("fuzz.pojo", topLevel.getBytes(StandardCharsets.UTF_8), Quote.class).symbol())
			.isEqualTo("ACME");
		assertThat(Evil.instances).hasValue(0);
	}

	@Test
	void wildcardOrInvalidReplySubjectsGetNoReplyAndBreakNothing(CapturedOutput output) throws Exception {
		BusListenerContainer container = container("fuzz-string");
		List<String> badReplies = List.of("abuse.*", "abuse.>", "abuse.*.x", ">", "abuse..x", "abuse.x.");
		AtomicInteger seen = new AtomicInteger();
		int outputBefore = output.getAll().length();
		try (Connection watcher = Nats.connect(server.url())) {
			Dispatcher dispatcher = watcher.createDispatcher(message -> seen.incrementAndGet());
			dispatcher.subscribe("abuse.>");
			watcher.flush(Duration.ofSeconds(2));
			long handledBefore = container.getStats().getRequests();
			// Straight on the wire: a well-behaved client would refuse to send such reply
			// subjects.
			String pongOrError = rawPublish(server.port(), "fuzz.string", badReplies);
			long accepted = badReplies.size() - count(pongOrError, Pattern.compile("-ERR"));
			// Otherwise the rest of this test would check nothing.
			assertThat(accepted).as("bad reply subjects the server passed on (%s)", pongOrError).isPositive();
			await().atMost(Duration.ofSeconds(5))
				.until(() -> container.getStats().getRequests() - handledBefore >= accepted);
			long handled = container.getStats().getRequests() - handledBefore;
			Tally.report("Reply-subject abuse: " + badReplies.size() + " requests with wildcard/invalid reply subjects",
					badReplies.size(), 0, "{}",
					String.format("server accepted %d, listener handled %d, replies sent 0, "
							+ "server errors on the app's connection 0", accepted, handled));
			assertThat(handled).isEqualTo(accepted);

			// Headers that name nats-bus's own local headers are data, never a route for
			// the reply.
			Headers spoofed = new Headers().add("nats_replyTo", "abuse.redirect")
				.add("nats_subject", "abuse.subject")
				.add("replyChannel", "abuse.channel");
			Message reply = watcher.request("fuzz.string", spoofed, "x".getBytes(StandardCharsets.UTF_8),
					Duration.ofSeconds(5));
			assertThat(reply).isNotNull();
			assertThat(new String(reply.getData(), StandardCharsets.UTF_8)).isEqualTo("len:1");
			watcher.flush(Duration.ofSeconds(2));
		}
		assertThat(seen).hasValue(0);
		String log = output.getAll().substring(outputBefore);
		assertThat(log).doesNotContain("NATS server reported an error").doesNotContain(" ERROR ");
		assertListenersServe();
	}

	// the messages

	private record Body(String kind, byte[] data) {
	}

	private static Body randomBody(Random random, long maxSize) {
		int pick = random.nextInt(100);
		if (pick < 12) {
			byte[] data = new byte[random.nextInt(2048)];
			random.nextBytes(data);
			return new Body("random-bytes", data);
		}
		if (pick < 22) {
			return new Body("valid-json", utf8(quoteJson(random)));
		}
		if (pick < 32) {
			String json = random.nextBoolean() ? quoteJson(random) : listJson(random);
			return new Body("truncated-json", utf8(json.substring(0, random.nextInt(json.length()))));
		}
		if (pick < 40) {
			int depth = 100 + random.nextInt(random.nextBoolean() ? 2_000 : 60_000);
			String open = random.nextBoolean() ? "[" : "{\"a\":";
			String close = open.equals("[") ? "]" : "}";
			boolean closed = random.nextBoolean();
			return new Body("deeply-nested-json", utf8(open.repeat(depth) + "1" + (closed ? close.repeat(depth) : "")));
		}
		if (pick < 41) {
			int size = (int) Math.min(maxSize - 64, 100_000 + random.nextInt(800_000));
			String huge = "x".repeat(size);
			return new Body("huge-string",
					utf8(random.nextBoolean() ? "{\"symbol\":\"" + huge + "\",\"price\":1}" : huge));
		}
		if (pick < 49) {
			return new Body("empty", new byte[0]);
		}
		if (pick < 59) {
			return new Body("valid-list", utf8(listJson(random)));
		}
		if (pick < 67) {
			String[] wrong = { "{\"symbol\":{\"a\":1},\"price\":\"abc\"}", "{\"price\":1e99999}",
					"{\"price\":" + "9".repeat(5000) + "}", "\"just a string\"", "null", "true", "[null,null]",
					"{\"symbol\":null,\"price\":null,\"tags\":{}}", "{\"symbol\":\"\\uD800\"}", "{\"a\":1,\"a\":2}",
					"[1,2,3]", "{\"value\":[1,{\"value\":[]}]}" };
			return new Body("wrong-types", utf8(wrong[random.nextInt(wrong.length)]));
		}
		if (pick < 75) {
			String[] polymorphic = { "{\"@class\":\"" + EVIL + "\",\"name\":\"x\"}",
					"[\"" + EVIL + "\",{\"name\":\"x\"}]", "{\"value\":{\"@class\":\"" + EVIL + "\"}}",
					"{\"value\":[\"" + EVIL + "\",{}]}", "{\"@type\":\"" + EVIL + "\"}",
					"{\"value\":{\"@class\":\"java.lang.ProcessBuilder\",\"command\":[\"false\"]}}",
					"[{\"@class\":\"" + EVIL + "\",\"symbol\":\"x\"}]" };
			return new Body("polymorphic-json", utf8(polymorphic[random.nextInt(polymorphic.length)]));
		}
		if (pick < 85) {
			StringBuilder text = new StringBuilder();
			int length = random.nextInt(500);
			for (int i = 0; i < length; i++) {
				text.appendCodePoint(random.nextInt(0x2FFFF));
			}
			return new Body("random-unicode", text.toString().getBytes(StandardCharsets.UTF_8));
		}
		byte[] invalidUtf8 = { (byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE, '{', '"', (byte) 0xE2, '"' };
		return new Body("invalid-utf8", invalidUtf8);
	}

	private static String quoteJson(Random random) {
		return "{\"symbol\":\"S" + random.nextInt(1000) + "\",\"price\":" + random.nextDouble() * 1000
				+ ",\"tags\":[\"a\",\"b\"]}";
	}

	private static String listJson(Random random) {
		List<String> quotes = new ArrayList<>();
		for (int i = random.nextInt(20); i > 0; i--) {
			quotes.add(quoteJson(random));
		}
		return "[" + String.join(",", quotes) + "]";
	}

	private static Headers randomHeaders(Random random) {
		if (random.nextInt(4) == 0) {
			return null;
		}
		Headers headers = new Headers();
		for (int i = random.nextInt(8); i > 0; i--) {
			String name = random.nextInt(3) == 0 ? SPECIAL_HEADERS.get(random.nextInt(SPECIAL_HEADERS.size()))
					: randomToken(random, 1 + random.nextInt(30));
			if (name.equals("Nats-Bus-Deadline")) {
				// Never a past deadline: a request whose caller gave up is rightly not
				// answered.
				String[] deadlines = { "soon", "", "-", "1e10", "99999999999999999999",
						Long.toString(System.currentTimeMillis() + 600_000) };
				headers.add(name, deadlines[random.nextInt(deadlines.length)]);
				continue;
			}
			String value = name.equalsIgnoreCase("Content-Type") || name.equals("contentType")
					? CONTENT_TYPES.get(random.nextInt(CONTENT_TYPES.size())) : randomValue(random);
			headers.add(name, value);
			if (random.nextInt(4) == 0) {
				headers.add(name, randomValue(random), randomValue(random)); // duplicates
			}
		}
		return headers.isEmpty() ? null : headers;
	}

	private static String randomToken(Random random, int length) {
		String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
		StringBuilder token = new StringBuilder();
		for (int i = 0; i < length; i++) {
			token.append(chars.charAt(random.nextInt(chars.length())));
		}
		return token.toString();
	}

	private static String randomValue(Random random) {
		StringBuilder value = new StringBuilder();
		for (int i = random.nextInt(random.nextInt(10) == 0 ? 2000 : 40); i > 0; i--) {
			value.append((char) (0x20 + random.nextInt(0x5F)));
		}
		return value.toString();
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	// checks

	private static String classify(Message reply) {
		if (reply.isStatusMessage()) {
			return "no reply: status " + reply.getStatus().getCode();
		}
		Headers headers = reply.getHeaders();
		String code = (headers != null) ? headers.getFirst("Nats-Service-Error-Code") : null;
		return (code != null) ? "error " + code : "ok";
	}

	private static void assertWorkersAlive() {
		// A worker that died would have been replaced by one with a higher number.
		Pattern worker = Pattern.compile("natsbus-fuzz-[a-z]+-(\\d+)");
		List<String> workers = new ArrayList<>();
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			Matcher matcher = worker.matcher(thread.getName());
			if (matcher.matches()) {
				workers.add(thread.getName());
				assertThat(Integer.parseInt(matcher.group(1))).as(thread.getName()).isLessThanOrEqualTo(CONCURRENCY);
			}
		}
		// Workers named otherwise would pass the check above unseen.
		assertThat(workers).as("listener worker threads").isNotEmpty();
		for (BusListenerContainer container : app.getBean(BusListenerRegistry.class).getListenerContainers()) {
			assertThat(container.isSubscribed()).as(container.getId()).isTrue();
		}
	}

	private static void assertListenersServe() {
		BusTemplate bus = app.getBean(BusTemplate.class);
		Quote quote = new Quote("ACME", 12.5, List.of("x"));
		assertThat(bus.request("fuzz.pojo", quote, Quote.class)).isEqualTo(quote);
		assertThat(bus.request("fuzz.string", "hello", String.class)).isEqualTo("len:5");
		assertThat(bus.request("fuzz.bytes", new byte[] { 1, 2, 3 }, Integer.class)).isEqualTo(3);
		assertThat(bus.request("fuzz.message", quote, String.class)).isEqualTo("ACME");
		assertThat(bus.request("fuzz.list", List.of(quote, quote), Integer.class)).isEqualTo(2);
		assertThat(bus
			.requestMessage("fuzz.header",
					org.springframework.messaging.support.MessageBuilder.withPayload("x")
						.setHeader("X-Tenant", "t1")
						.build(),
					String.class, Duration.ofSeconds(2))
			.getPayload()).isEqualTo("t1");
		assertThat(bus.request("fuzz.box", Map.of("value", 1), String.class)).isEqualTo("java.lang.Integer");
	}

	private static BusListenerContainer container(String id) {
		return app.getBean(BusListenerRegistry.class)
			.getListenerContainers()
			.stream()
			.filter(container -> container.getId().equals(id))
			.findFirst()
			.orElseThrow();
	}

	/**
	 * Publishes "x" to {@code subject} once per reply subject over a raw socket; returns
	 * what the server said.
	 */
	private static String rawPublish(int port, String subject, List<String> replySubjects) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(5_000);
			InputStream in = socket.getInputStream();
			OutputStream out = socket.getOutputStream();
			readLine(in); // INFO
			StringBuilder protocol = new StringBuilder(
					"CONNECT {\"verbose\":false,\"pedantic\":false,\"headers\":true,\"name\":\"abuser\"}\r\n");
			for (String reply : replySubjects) {
				protocol.append("PUB ").append(subject).append(' ').append(reply).append(" 1\r\nx\r\n");
			}
			protocol.append("PING\r\n");
			out.write(protocol.toString().getBytes(StandardCharsets.US_ASCII));
			out.flush();
			StringBuilder answer = new StringBuilder();
			while (true) {
				String line = readLine(in);
				answer.append(line).append('\n');
				if (line.startsWith("PONG") || line.isEmpty()) {
					return answer.toString();
				}
			}
		}
	}

	private static String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) != -1 && b != '\n') {
			if (b != '\r') {
				line.write(b);
			}
		}
		return line.toString(StandardCharsets.US_ASCII);
	}

	private static long count(String text, Pattern pattern) {
		return pattern.matcher(text).results().count();
	}

	private static Map<String, Long> counts(Map<String, LongAdder> adders) {
		Map<String, Long> counts = new TreeMap<>();
		adders.forEach((key, adder) -> counts.put(key, adder.sum()));
		return counts;
	}

	record Quote(String symbol, double price, List<String> tags) {
	}

	record Box(Object value) {
	}

	/** Must never be created from a payload. */
	static class Evil {

		static final AtomicInteger instances = new AtomicInteger();

		Evil() {
			instances.incrementAndGet();
		}

		public void setName(String name) {
			instances.incrementAndGet();
		}

	}

	static class Listeners {

		@BusListener(subject = "fuzz.pojo", id = "fuzz-pojo")
		Quote pojo(Quote quote) {
			return quote;
		}

		@BusListener(subject = "fuzz.string", id = "fuzz-string")
		String string(String text) {
			return "len:" + text.length();
		}

		@BusListener(subject = "fuzz.bytes", id = "fuzz-bytes")
		int bytes(byte[] data) {
			return data.length;
		}

		@BusListener(subject = "fuzz.message", id = "fuzz-message")
		String message(org.springframework.messaging.Message<Quote> message) {
			return message.getPayload().symbol();
		}

		@BusListener(subject = "fuzz.list", id = "fuzz-list")
		int list(List<Quote> quotes) {
			return quotes.size();
		}

		@BusListener(subject = "fuzz.header", id = "fuzz-header")
		String header(@Header("X-Tenant") String tenant, String body) {
			return tenant;
		}

		@BusListener(subject = "fuzz.box", id = "fuzz-box")
		String box(Box box) {
			return (box.value() != null) ? box.value().getClass().getName() : "null";
		}

	}

}
