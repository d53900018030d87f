package dev.natsbus;

import dev.natsbus.protocol.ServiceErrors;
import dev.natsbus.template.BusTemplate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.natsbus.test.NatsServer;
import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Request/reply over a real server with every kind of payload and argument. */
class RequestReplyTests {

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
	void pojoRequestAndReply() {
		Quote quote = bus.request("quotes.get", "ACME", Quote.class);
		assertThat(quote).isEqualTo(new Quote("ACME", 42.5));
	}

	@Test
	void pojoPayloadIsJsonOnTheWire() throws Exception {
		try (Connection raw = Nats.connect(server.url())) {
			io.nats.client.Message reply = raw.request("quotes.reprice",
					"{\"symbol\":\"X\",\"price\":1.5}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(2));
			assertThat(new String(reply.getData(), StandardCharsets.UTF_8))
				.isEqualTo("{\"symbol\":\"X\",\"price\":3.0}");
		}
	}

	@Test
	void stringTravelsAsPlainUtf8() throws Exception {
		assertThat(bus.request("text.upper", "grüße", String.class)).isEqualTo("GRÜSSE");
		try (Connection raw = Nats.connect(server.url())) {
			io.nats.client.Message reply = raw.request("text.upper", "abc".getBytes(StandardCharsets.UTF_8),
					Duration.ofSeconds(2));
			assertThat(reply.getData()).isEqualTo("ABC".getBytes(StandardCharsets.UTF_8));
		}
	}

	@Test
	void bytesTravelAsTheyAre() {
		byte[] reply = bus.request("bytes.reverse", new byte[] { 1, 2, 3, (byte) 0xff }, byte[].class);
		assertThat(reply).containsExactly((byte) 0xff, 3, 2, 1);
	}

	@Test
	void genericListReply() {
		List<Quote> quotes = bus.request("quotes.all", "", new ParameterizedTypeReference<List<Quote>>() {
		});
		assertThat(quotes).containsExactly(new Quote("ACME", 42.5), new Quote("INIT", 7.0));
	}

	@Test
	void genericListParameter() {
		Integer count = bus.request("quotes.count", List.of(new Quote("A", 1), new Quote("B", 2)), Integer.class);
		assertThat(count).isEqualTo(2);
	}

	@Test
	void asyncRequestCompletesOffTheJnatsThread() throws Exception {
		Handlers handlers = context.getBean(Handlers.class);
		CompletableFuture<String> future = bus.requestAsync("gate.wait", "ACME", String.class, Duration.ofSeconds(5));
		// Attached while the handler still holds the reply, so the stage runs where the
		// future completes.
		CompletableFuture<String> thread = future.thenApply(reply -> Thread.currentThread().getName());
		handlers.gate.countDown();
		// Wait on the dependent stage only: a thread blocked in future.get() may run the
		// future's pending dependents itself once it completes.
		assertThat(thread.get(5, TimeUnit.SECONDS)).startsWith("natsbus-callback-");
		assertThat(future.getNow(null)).isEqualTo("opened ACME");
	}

	@Test
	void asyncGenericReply() throws Exception {
		List<Quote> quotes = bus.requestAsync("quotes.all", "", new ParameterizedTypeReference<List<Quote>>() {
		}).get(5, TimeUnit.SECONDS);
		// Elements of the declared type, not the LinkedHashMaps an erased List would
		// hold.
		assertThat(quotes).containsExactly(new Quote("ACME", 42.5), new Quote("INIT", 7.0));
	}

	@Test
	void headersTravelBothWays() {
		Message<?> request = MessageBuilder.withPayload("ping").setHeader("X-Request-Id", "r-17").build();
		Message<String> reply = bus.requestMessage("headers.echo", request, String.class, Duration.ofSeconds(2));
		assertThat(reply.getPayload()).isEqualTo("ping");
		assertThat(reply.getHeaders().get("X-Request-Id")).isEqualTo("r-17");
		assertThat(reply.getHeaders().get("X-Handled-By")).isEqualTo("echo");
	}

	@Test
	void messageRequestWithTheDefaultTimeout() {
		Message<?> request = MessageBuilder.withPayload("pong").setHeader("X-Request-Id", "r-19").build();
		Message<String> reply = bus.requestMessage("headers.echo", request, String.class);
		assertThat(reply.getPayload()).isEqualTo("pong");
		assertThat(reply.getHeaders().get("X-Request-Id")).isEqualTo("r-19");
	}

	@Test
	void asyncMessageRequestCarriesHeaders() throws Exception {
		Message<?> request = MessageBuilder.withPayload("ping").setHeader("X-Request-Id", "r-18").build();
		Message<String> reply = bus.requestMessageAsync("headers.echo", request, String.class, Duration.ofSeconds(2))
			.get(5, TimeUnit.SECONDS);
		assertThat(reply.getHeaders().get("X-Request-Id")).isEqualTo("r-18");
	}

	@Test
	void allHeadersAndSubjectAreAvailable() {
		Message<?> request = MessageBuilder.withPayload("")
			.setHeader("A", "1")
			.setHeader("B", List.of("x", "y"))
			.build();
		Message<String> reply = bus.requestMessage("headers.all.one", request, String.class, Duration.ofSeconds(2));
		assertThat(reply.getPayload()).isEqualTo("headers.all.one A=1 B=[x, y]");
	}

	@Test
	void voidHandlerSendsAnEmptyReply() throws Exception {
		// The template reads any body as null for Void, so only a raw client sees the
		// bytes.
		try (Connection raw = Nats.connect(server.url())) {
			io.nats.client.Message reply = raw.request("events.record",
					"{\"symbol\":\"VOID\",\"price\":1.0}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(2));
			assertThat(reply.getData()).isEmpty();
			assertThat(reply.getHeaders() == null ? null : reply.getHeaders().getFirst(ServiceErrors.ERROR_CODE_HEADER))
				.isNull();
		}
		assertThat(context.getBean(Handlers.class).recorded).contains(new Quote("VOID", 1));
		assertThat(bus.request("events.record", new Quote("ACME", 1), Void.class)).isNull();
		assertThat(context.getBean(Handlers.class).recorded).contains(new Quote("ACME", 1));
	}

	@Test
	void sendWithHeadersReachesTheListener() {
		Handlers handlers = context.getBean(Handlers.class);
		bus.send("events.audit", "hello", Map.of("X-Actor", "alice"));
		org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(handlers.audited).contains("alice:hello"));
	}

	@Test
	void completableFutureReturnValueRepliesWhenComplete() {
		assertThat(bus.request("async.double", "21", Integer.class)).isEqualTo(42);
	}

	@Test
	void listenersServeAgainAfterTheContextStopsAndStarts() {
		context.stop();
		assertThat(context.getBean(dev.natsbus.listener.BusListenerRegistry.class).getListenerContainers())
			.noneMatch(dev.natsbus.listener.BusListenerContainer::isSubscribed);
		context.start();
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(bus.request("text.upper", "again", String.class)).isEqualTo("AGAIN"));
	}

	@Test
	void rawMessageParameter() {
		assertThat(bus.request("raw.info", "abc", String.class)).isEqualTo("raw.info:3");
	}

	@Component
	static class Handlers {

		final List<Quote> recorded = new java.util.concurrent.CopyOnWriteArrayList<>();

		final List<String> audited = new java.util.concurrent.CopyOnWriteArrayList<>();

		final java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);

		@BusListener("gate.wait")
		String gated(String input) throws InterruptedException {
			this.gate.await(5, TimeUnit.SECONDS);
			return "opened " + input;
		}

		@BusListener("quotes.get")
		Quote quote(String symbol) {
			return new Quote(symbol, 42.5);
		}

		@BusListener("quotes.reprice")
		Quote reprice(Quote quote) {
			return new Quote(quote.symbol(), quote.price() * 2);
		}

		@BusListener("quotes.all")
		List<Quote> all() {
			return List.of(new Quote("ACME", 42.5), new Quote("INIT", 7.0));
		}

		@BusListener("quotes.count")
		int count(List<Quote> quotes) {
			assertThat(quotes.get(0)).isInstanceOf(Quote.class);
			return quotes.size();
		}

		@BusListener("text.upper")
		String upper(String text) {
			return text.toUpperCase();
		}

		@BusListener("bytes.reverse")
		byte[] reverse(byte[] data) {
			byte[] reversed = new byte[data.length];
			for (int i = 0; i < data.length; i++) {
				reversed[i] = data[data.length - 1 - i];
			}
			return reversed;
		}

		@BusListener("headers.echo")
		Message<String> echo(String payload, @Header("X-Request-Id") String requestId) {
			return MessageBuilder.withPayload(payload)
				.setHeader("X-Request-Id", requestId)
				.setHeader("X-Handled-By", "echo")
				.build();
		}

		@BusListener("headers.all.*")
		String allHeaders(@Headers Map<String, Object> headers, @Header(BusHeaders.SUBJECT) String subject) {
			return subject + " A=" + headers.get("A") + " B=" + headers.get("B");
		}

		@BusListener("events.record")
		void record(Quote quote) {
			this.recorded.add(quote);
		}

		@BusListener("events.audit")
		void audit(String text, @Header("X-Actor") String actor) {
			this.audited.add(actor + ":" + text);
		}

		@BusListener("async.double")
		CompletableFuture<Integer> doubleLater(String number) {
			return CompletableFuture.supplyAsync(() -> Integer.parseInt(number) * 2);
		}

		@BusListener("raw.info")
		String raw(io.nats.client.Message message) {
			return message.getSubject() + ":" + message.getData().length;
		}

	}

}
