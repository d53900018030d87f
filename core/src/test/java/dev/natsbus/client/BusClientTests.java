package dev.natsbus.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import dev.natsbus.BusClient;
import dev.natsbus.BusConversionException;
import dev.natsbus.BusHeaders;
import dev.natsbus.BusListener;
import dev.natsbus.BusNoRespondersException;
import dev.natsbus.BusRemoteException;
import dev.natsbus.BusReplies;
import dev.natsbus.BusRequest;
import dev.natsbus.BusRequestMany;
import dev.natsbus.BusSend;
import dev.natsbus.BusServiceException;
import dev.natsbus.BusTestContext;
import dev.natsbus.BusTimeoutException;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServer;
import io.nats.client.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.EmbeddedValueResolver;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.DestinationVariable;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * A client proxy made by {@link BusClientProxyFactory} against plain {@code @BusListener}
 * handlers on a real server: every kind of parameter and return type, the timeout
 * precedence, and what a proxy is as an object.
 */
class BusClientTests {

	private static NatsServer server;

	private static AnnotationConfigApplicationContext context;

	private static BusTemplate template;

	private static Handlers handlers;

	private static TestClient client;

	@BeforeAll
	static void start() {
		server = NatsServer.builder().start();
		context = BusTestContext.start(server.url(), "client-test",
				Map.of("test.quotes.subject", "quotes.get", "test.slow.timeout", "250ms"), Handlers.class,
				Counter.class, Counter2.class, Counter3.class);
		template = context.getBean(BusTemplate.class);
		template.setDefaultTimeout(Duration.ofMillis(400));
		handlers = context.getBean(Handlers.class);
		BusClientProxyFactory factory = new BusClientProxyFactory(template);
		factory.setEmbeddedValueResolver(new EmbeddedValueResolver(context.getBeanFactory()));
		client = factory.createClient(TestClient.class);
	}

	@AfterAll
	static void stop() {
		context.close();
		server.close();
	}

	@BusClient(timeout = "${test.slow.timeout}")
	interface TestClient {

		@BusRequest("${test.quotes.subject}")
		Quote get(String symbol);

		@BusRequest("quotes.{region}.list")
		List<Quote> list(@DestinationVariable String region);

		@BusRequest("quotes.{region}.list")
		CompletableFuture<List<Quote>> listAsync(@DestinationVariable("region") String area);

		@BusRequest("quotes.traced")
		Message<Quote> traced(@Payload String symbol, @Header("X-Request-Id") String requestId);

		@BusRequest("quotes.traced")
		CompletableFuture<Message<Quote>> tracedAsync(String symbol, @Header("X-Request-Id") String requestId);

		@BusRequest("quotes.traced")
		Quote tracedValue(String symbol, @Header(name = "X-Request-Id", required = false) String requestId);

		@BusRequest("headers.all")
		String allHeaders(@Headers Map<String, Object> headers);

		// What these check is the empty reply, not a timeout: a bound of their own that a
		// loaded machine cannot reach.
		@BusRequest(value = "jobs.run", timeout = "5s")
		void run(String job);

		@BusRequest(value = "jobs.run", timeout = "5s")
		CompletableFuture<Void> runAsync(String job);

		@BusSend("quotes.viewed")
		void viewed(String symbol);

		@BusRequest("silent")
		String silent(String input);

		@BusRequest(value = "silent", timeout = "150ms")
		String silentAnnotated(String input);

		@BusRequest(value = "silent", timeout = "150ms")
		String silentPerCall(String input, Duration timeout);

		@BusRequest(value = "silent", timeout = "150ms")
		CompletableFuture<String> silentAsync(String input);

		@BusRequest("nobody.listens")
		String nobody();

		@BusRequest("quotes.missing")
		Quote missing(String symbol);

		@BusRequest("counts.total")
		long total();

		@BusRequest("counts.none")
		long none();

		@BusRequestMany(value = "counts.each", maxReplies = "3", maxWait = "2s")
		BusReplies<Integer> counts();

		@BusRequestMany(value = "counts.each", maxReplies = "3", maxWait = "2s")
		CompletableFuture<BusReplies<Integer>> countsAsync();

		@BusRequestMany(value = "counts.stream", sentinel = true, maxWait = "2s")
		BusReplies<Integer> stream(int size);

		default String describe(String symbol) {
			return symbol + " at " + get(symbol).price();
		}

	}

	// parameters and return types

	@Test
	void valueWithThePlaceholderSubject() {
		assertThat(client.get("ACME")).isEqualTo(new Quote("ACME", 42.5));
	}

	@Test
	void genericReplyWithASubjectVariable() {
		assertThat(client.list("eu")).containsExactly(new Quote("quotes.eu.list", 1));
	}

	@Test
	void asyncGenericReplyWithANamedSubjectVariable() throws Exception {
		assertThat(client.listAsync("us").get(5, TimeUnit.SECONDS)).containsExactly(new Quote("quotes.us.list", 1));
	}

	@Test
	void headersTravelBothWays() {
		Message<Quote> reply = client.traced("ACME", "r-1");
		assertThat(reply.getPayload()).isEqualTo(new Quote("ACME", 42.5));
		assertThat(reply.getHeaders().get("X-Request-Id")).isEqualTo("r-1");
		assertThat(reply.getHeaders().get("X-Handled-By")).isEqualTo("traced");
	}

	@Test
	void asyncMessageReply() throws Exception {
		Message<Quote> reply = client.tracedAsync("ACME", "r-2").get(5, TimeUnit.SECONDS);
		assertThat(reply.getHeaders().get("X-Request-Id")).isEqualTo("r-2");
	}

	@Test
	void headerValueAndAnOptionalHeaderLeftOut() {
		assertThat(client.tracedValue("ACME", "r-3")).isEqualTo(new Quote("ACME", 42.5));
		assertThat(client.tracedValue("ACME", null)).isEqualTo(new Quote("ACME", 42.5));
		assertThat(handlers.requestIds).contains("r-3", "none");
	}

	@Test
	void headerMap() {
		assertThat(client.allHeaders(Map.of("A", "1", "B", List.of("x", "y")))).isEqualTo("A=1 B=[x, y]");
	}

	@Test
	void requiredHeaderThatIsNullIsRefusedBeforeSending() {
		assertThatIllegalArgumentException().isThrownBy(() -> client.traced("ACME", null))
			.withMessageContaining("Header 'X-Request-Id'")
			.withMessageContaining("TestClient.traced(String, String)")
			.withMessageContaining("required");
	}

	@Test
	void voidRequestWaitsForTheEmptyReply() {
		// The handler takes a while before it records the job: only a caller that waits
		// for the reply finds it recorded.
		client.run("job-1");
		assertThat(handlers.jobs).contains("job-1");
	}

	@Test
	void futureOfVoidCompletesWithTheEmptyReply() throws Exception {
		assertThat(client.runAsync("job-2").get(5, TimeUnit.SECONDS)).isNull();
		assertThat(handlers.jobs).contains("job-2");
	}

	@Test
	void sendPublishesWithoutWaiting() {
		CountDownLatch gate = handlers.viewGate;
		int before = handlers.views.get();
		// The handler is held until the gate opens; a send that waited would not return.
		client.viewed("ACME");
		assertThat(handlers.views.get()).isEqualTo(before);
		gate.countDown();
		await().atMost(Duration.ofSeconds(5)).until(() -> handlers.views.get() == before + 1);
	}

	@Test
	void primitiveReply() {
		assertThat(client.total()).isEqualTo(7L);
	}

	@Test
	void emptyReplyForAPrimitiveIsAConversionError() {
		assertThatExceptionOfType(BusConversionException.class).isThrownBy(() -> client.none())
			.withMessageContaining("is empty")
			.withMessageContaining("long");
	}

	@Test
	void requestManyGathersEveryReply() {
		BusReplies<Integer> replies = client.counts();
		assertThat(replies.values()).containsExactlyInAnyOrder(1, 2, 3);
		assertThat(replies.endedBy()).isEqualTo(BusReplies.EndedBy.MAX_REPLIES);
	}

	@Test
	void requestManyAsync() throws Exception {
		assertThat(client.countsAsync().get(5, TimeUnit.SECONDS).values()).containsExactlyInAnyOrder(1, 2, 3);
	}

	@Test
	void requestManyReadsAStreamedReplyToTheSentinel() {
		BusReplies<Integer> replies = client.stream(5);
		assertThat(replies.values()).containsExactly(0, 1, 2, 3, 4);
		assertThat(replies.endedBy()).isEqualTo(BusReplies.EndedBy.SENTINEL);
	}

	// subject variables

	@Test
	void subjectVariablesThatAreNotOneTokenAreRefusedBeforeSending() throws Exception {
		for (String bad : new String[] { "", "e.u", "*", ">", "e u", "e\tu" }) {
			assertThatIllegalArgumentException().as("'%s'", bad)
				.isThrownBy(() -> client.list(bad))
				.withMessageContaining("{region}");
		}
		assertThatIllegalArgumentException().isThrownBy(() -> client.list(null)).withMessageContaining("null");
		// Nothing of the refused calls reached the wildcard listener: the next call is
		// the
		// first it sees after them.
		int before = handlers.listed.size();
		assertThat(client.list("asia")).hasSize(1);
		assertThat(handlers.listed.subList(before, handlers.listed.size())).containsExactly("quotes.asia.list");
	}

	// timeouts and failures

	@Test
	void timeoutOfTheClientBeatsTheTemplateDefault() throws Exception {
		try (Connection silent = BusTestContext.silentResponder(server.url(), "silent")) {
			assertThatExceptionOfType(BusTimeoutException.class).isThrownBy(() -> client.silent("x"))
				.satisfies((ex) -> assertThat(ex.getTimeout()).isEqualTo(Duration.ofMillis(250)));
		}
	}

	@Test
	void timeoutOfTheAnnotationBeatsTheClient() throws Exception {
		try (Connection silent = BusTestContext.silentResponder(server.url(), "silent")) {
			assertThatExceptionOfType(BusTimeoutException.class).isThrownBy(() -> client.silentAnnotated("x"))
				.satisfies((ex) -> assertThat(ex.getTimeout()).isEqualTo(Duration.ofMillis(150)));
		}
	}

	@Test
	void timeoutParameterBeatsTheAnnotation() throws Exception {
		try (Connection silent = BusTestContext.silentResponder(server.url(), "silent")) {
			assertThatExceptionOfType(BusTimeoutException.class)
				.isThrownBy(() -> client.silentPerCall("x", Duration.ofMillis(90)))
				.satisfies((ex) -> assertThat(ex.getTimeout()).isEqualTo(Duration.ofMillis(90)));
			assertThatExceptionOfType(BusTimeoutException.class).isThrownBy(() -> client.silentPerCall("x", null))
				.satisfies((ex) -> assertThat(ex.getTimeout()).isEqualTo(Duration.ofMillis(150)));
			assertThatIllegalArgumentException().isThrownBy(() -> client.silentPerCall("x", Duration.ZERO))
				.withMessageContaining("must be positive");
		}
	}

	@Test
	void templateDefaultWithoutAnyTimeoutDeclared() throws Exception {
		PlainClient plain = new BusClientProxyFactory(template).createClient(PlainClient.class);
		try (Connection silent = BusTestContext.silentResponder(server.url(), "silent")) {
			assertThatExceptionOfType(BusTimeoutException.class).isThrownBy(() -> plain.silent("x"))
				.satisfies((ex) -> assertThat(ex.getTimeout()).isEqualTo(Duration.ofMillis(400)));
		}
	}

	@Test
	void cancellingTheFutureCancelsTheRequest() throws Exception {
		try (Connection silent = BusTestContext.silentResponder(server.url(), "silent")) {
			CompletableFuture<String> future = client.silentAsync("x");
			assertThat(template.getRequestsInFlight()).isEqualTo(1);
			assertThat(future.cancel(false)).isTrue();
			await().atMost(Duration.ofSeconds(2)).until(() -> template.getRequestsInFlight() == 0);
		}
	}

	@Test
	void typedExceptionsAsTheTemplateThrows() {
		assertThatExceptionOfType(BusNoRespondersException.class).isThrownBy(() -> client.nobody());
		assertThatExceptionOfType(BusRemoteException.class).isThrownBy(() -> client.missing("NOPE"))
			.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo(404))
			.satisfies((ex) -> assertThat(ex.getRemoteMessage()).isEqualTo("no quote for NOPE"));
	}

	// the proxy as an object

	@Test
	void defaultMethodsRunAsWritten() {
		assertThat(client.describe("ACME")).isEqualTo("ACME at 42.5");
	}

	@Test
	void equalsHashCodeAndToStringOfAPlainObject() {
		BusClientProxyFactory factory = new BusClientProxyFactory(template);
		factory.setEmbeddedValueResolver(new EmbeddedValueResolver(context.getBeanFactory()));
		TestClient other = factory.createClient(TestClient.class);
		assertThat(client).isEqualTo(client).isNotEqualTo(other).isNotEqualTo(null).isNotEqualTo("x");
		assertThat(client.hashCode()).isEqualTo(System.identityHashCode(client));
		assertThat(client.toString())
			.isEqualTo(TestClient.class.getName() + "@" + Integer.toHexString(System.identityHashCode(client)));
	}

	@BusClient
	interface PlainClient {

		@BusRequest("silent")
		String silent(String input);

	}

	@Component
	static class Handlers {

		final List<String> requestIds = new CopyOnWriteArrayList<>();

		final List<String> listed = new CopyOnWriteArrayList<>();

		final List<String> jobs = new CopyOnWriteArrayList<>();

		final AtomicInteger views = new AtomicInteger();

		volatile CountDownLatch viewGate = new CountDownLatch(1);

		@BusListener("quotes.get")
		Quote get(String symbol) {
			return new Quote(symbol, 42.5);
		}

		@BusListener("quotes.missing")
		Quote missing(String symbol) {
			throw new BusServiceException(404, "no quote for " + symbol);
		}

		@BusListener("quotes.*.list")
		List<Quote> list(@Header(BusHeaders.SUBJECT) String subject) {
			this.listed.add(subject);
			return List.of(new Quote(subject, 1));
		}

		@BusListener("quotes.traced")
		Message<Quote> traced(String symbol, @Header(name = "X-Request-Id", required = false) String requestId) {
			this.requestIds.add((requestId != null) ? requestId : "none");
			MessageBuilder<Quote> reply = MessageBuilder.withPayload(new Quote(symbol, 42.5))
				.setHeader("X-Handled-By", "traced");
			if (requestId != null) {
				reply.setHeader("X-Request-Id", requestId);
			}
			return reply.build();
		}

		@BusListener("headers.all")
		String headers(@Header("A") String a, @Header("B") List<String> b) {
			return "A=" + a + " B=" + b;
		}

		@BusListener(subject = "jobs.run", concurrency = "2")
		void run(String job) throws InterruptedException {
			Thread.sleep(200);
			this.jobs.add(job);
		}

		@BusListener("quotes.viewed")
		void viewed(String symbol) throws InterruptedException {
			this.viewGate.await(5, TimeUnit.SECONDS);
			this.viewGate = new CountDownLatch(1);
			this.views.incrementAndGet();
		}

		@BusListener("counts.total")
		long total() {
			return 7;
		}

		@BusListener("counts.none")
		void none() {
		}

		@BusListener("counts.stream")
		Stream<Integer> stream(int size) {
			return Stream.iterate(0, (i) -> i + 1).limit(size);
		}

		@BusListener("raw.bytes")
		byte[] raw(byte[] body) {
			return new String(body, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
		}

	}

	@Component
	static class Counter {

		@BusListener(subject = "counts.each", broadcast = true)
		int count() {
			return 1;
		}

	}

	@Component
	static class Counter2 {

		@BusListener(subject = "counts.each", broadcast = true)
		int count() {
			return 2;
		}

	}

	@Component
	static class Counter3 {

		@BusListener(subject = "counts.each", broadcast = true)
		int count() {
			return 3;
		}

	}

}
