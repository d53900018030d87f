package dev.natsbus;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServer;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The README's wire format and the checks made before anything is sent, seen by a raw
 * jnats client on the other side: what the bus puts on the wire, and that a refused
 * message puts nothing there.
 */
@Timeout(60)
class WireClaimsTests {

	/** Small, so that headers alone can tip a message over it. */
	private static final int MAX_PAYLOAD = 4096;

	private static NatsServer server;

	private static AnnotationConfigApplicationContext context;

	private static BusTemplate bus;

	private static Connection raw;

	@BeforeAll
	static void start() throws Exception {
		server = NatsServer.builder().maxPayload(MAX_PAYLOAD).start();
		context = BusTestContext.start(server.url(), Handlers.class);
		bus = context.getBean(BusTemplate.class);
		raw = Nats.connect(server.url());
	}

	@AfterAll
	static void stop() throws Exception {
		raw.close();
		context.close();
		server.close();
	}

	@Test
	void payloadTooLargeCountsHeadersPlusBodyAndSendsNothing() throws Exception {
		BlockingQueue<io.nats.client.Message> seen = subscribe("wire.size");
		// The body alone fits; with the header it does not.
		byte[] body = new byte[MAX_PAYLOAD - 100];
		Map<String, String> headers = Map.of("X-Padding", "p".repeat(200));
		assertThatExceptionOfType(BusPayloadTooLargeException.class)
			.isThrownBy(() -> bus.send("wire.size", body, headers))
			.withMessageContaining("max_payload of " + MAX_PAYLOAD + " bytes");
		Message<byte[]> request = MessageBuilder.withPayload(body).copyHeaders(headers).build();
		assertThatExceptionOfType(BusPayloadTooLargeException.class)
			.isThrownBy(() -> bus.requestMessage("wire.size", request, byte[].class, Duration.ofSeconds(2)));
		assertThat(bus.requestMessageAsync("wire.size", request, byte[].class, Duration.ofSeconds(2)))
			.failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.withCauseInstanceOf(BusPayloadTooLargeException.class);
		// The same body without the header is sent: it is the first and only message the
		// raw subscriber sees.
		bus.send("wire.size", body);
		io.nats.client.Message first = seen.poll(5, TimeUnit.SECONDS);
		assertThat(first).isNotNull();
		assertThat(first.getData()).hasSize(body.length);
		assertThat(first.getHeaders()).isNull();
		raw.flush(Duration.ofSeconds(2));
		assertThat(seen).isEmpty();
	}

	@Test
	void errorRepliesAreEmptyWithTheMicroHeaders() throws Exception {
		for (String subject : List.of("wire.fail.code", "wire.fail.unexpected", "wire.fail.unreadable")) {
			io.nats.client.Message reply = raw.request(subject, "{not a number".getBytes(StandardCharsets.UTF_8),
					Duration.ofSeconds(5));
			assertThat(reply.getData()).as(subject).isEmpty();
			assertThat(reply.getHeaders().getFirst("Nats-Service-Error")).as(subject).isNotBlank();
		}
		assertThat(codeOf("wire.fail.code")).isEqualTo("404");
		assertThat(codeOf("wire.fail.unexpected")).isEqualTo("500");
		assertThat(codeOf("wire.fail.unreadable")).isEqualTo("400");
	}

	@Test
	void nullVoidAndVoidRepliesAreEmptyBodies() throws Exception {
		for (String subject : List.of("wire.void", "wire.null", "wire.boxed-void", "wire.async-void")) {
			io.nats.client.Message reply = raw.request(subject, "x".getBytes(StandardCharsets.UTF_8),
					Duration.ofSeconds(5));
			assertThat(reply.getData()).as(subject).isEmpty();
			// An empty success, not an error reply.
			assertThat(reply.getHeaders() == null || reply.getHeaders().getFirst("Nats-Service-Error") == null)
				.as(subject)
				.isTrue();
		}
	}

	@Test
	void aNullPayloadIsAnEmptyBodyOnTheWire() throws Exception {
		BlockingQueue<io.nats.client.Message> seen = subscribe("wire.null-payload");
		bus.send("wire.null-payload", null);
		io.nats.client.Message sent = seen.poll(5, TimeUnit.SECONDS);
		assertThat(sent).isNotNull();
		assertThat(sent.getData()).isEmpty();
		Dispatcher responder = raw.createDispatcher((message) -> raw.publish(message.getReplyTo(),
				String.valueOf(message.getData().length).getBytes(StandardCharsets.UTF_8)));
		responder.subscribe("wire.null-request");
		raw.flush(Duration.ofSeconds(2));
		try {
			assertThat(bus.request("wire.null-request", null, String.class)).isEqualTo("0");
		}
		finally {
			raw.closeDispatcher(responder);
		}
	}

	@Test
	void bytesAreUnchangedBothWays() throws Exception {
		// Not UTF-8, not JSON: a converter that touched them would change them.
		byte[] bytes = { 0, (byte) 0xff, (byte) 0xfe, '"', '\n', (byte) 0xc3, 0x28, 127 };
		io.nats.client.Message reply = raw.request("wire.bytes.echo", bytes, Duration.ofSeconds(5));
		assertThat(reply.getData()).containsExactly(bytes);
		BlockingQueue<io.nats.client.Message> seen = subscribe("wire.bytes.raw");
		bus.send("wire.bytes.raw", bytes);
		io.nats.client.Message sent = seen.poll(5, TimeUnit.SECONDS);
		assertThat(sent).isNotNull();
		assertThat(sent.getData()).containsExactly(bytes);
		Dispatcher responder = raw.createDispatcher((message) -> raw.publish(message.getReplyTo(), bytes));
		responder.subscribe("wire.bytes.from-raw");
		raw.flush(Duration.ofSeconds(2));
		try {
			assertThat(bus.request("wire.bytes.from-raw", "", byte[].class)).containsExactly(bytes);
		}
		finally {
			raw.closeDispatcher(responder);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " ", "a b", "orders.*", "orders.>", "a..b", ".a", "a." })
	void invalidSubjectsAreThrownByEveryVariant(String subject) {
		Message<String> request = MessageBuilder.withPayload("x").setHeader("X-Id", "1").build();
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> bus.requestMessage(subject, request, String.class, Duration.ofSeconds(1)));
		// Thrown by the call itself, not reported through a failed future.
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> bus.requestMessageAsync(subject, request, String.class, Duration.ofSeconds(1)));
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> bus.send(subject, "x", Map.of("X-Id", "1")));
	}

	private static String codeOf(String subject) throws Exception {
		return raw.request(subject, "{".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5))
			.getHeaders()
			.getFirst("Nats-Service-Error-Code");
	}

	private static BlockingQueue<io.nats.client.Message> subscribe(String subject) throws Exception {
		BlockingQueue<io.nats.client.Message> seen = new LinkedBlockingQueue<>();
		raw.createDispatcher(seen::add).subscribe(subject);
		raw.flush(Duration.ofSeconds(2));
		return seen;
	}

	@Component
	static class Handlers {

		@BusListener("wire.fail.code")
		String code(String input) {
			throw new BusServiceException(404, "no such thing");
		}

		@BusListener("wire.fail.unexpected")
		String unexpected(String input) {
			throw new IllegalStateException("internal");
		}

		@BusListener("wire.fail.unreadable")
		String unreadable(Quote quote) {
			return quote.symbol();
		}

		@BusListener("wire.void")
		void nothing(String input) {
		}

		@BusListener("wire.null")
		String none(String input) {
			return null;
		}

		@BusListener("wire.boxed-void")
		Void boxedVoid(String input) {
			return null;
		}

		@BusListener("wire.bytes.echo")
		byte[] echo(byte[] data) {
			return data;
		}

		@BusListener("wire.async-void")
		CompletableFuture<Void> asyncVoid(String input) {
			return CompletableFuture.completedFuture(null);
		}

	}

}
