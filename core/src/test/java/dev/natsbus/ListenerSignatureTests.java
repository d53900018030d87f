package dev.natsbus;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.natsbus.listener.BusListenerContainer;
import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServer;
import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.stereotype.Component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's "What a listener method can take and return", each row through a real
 * server: {@code @Payload} beside unannotated parameters, {@code @Payload(required =
 * false)}, the 400 of an empty payload otherwise, and a {@code CompletableFuture} result
 * that does not hold a worker.
 */
@Timeout(60)
class ListenerSignatureTests {

	private static NatsServer server;

	private static AnnotationConfigApplicationContext context;

	private static BusTemplate bus;

	private static Connection raw;

	@BeforeAll
	static void start() throws Exception {
		server = NatsServer.builder().start();
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
	void payloadBesideUnannotatedParameters() {
		assertThat(bus.request("sig.beside", new Quote("ACME", 2.5), String.class))
			.isEqualTo("ACME 2.5 on sig.beside, 1 headers or more");
	}

	@Test
	void anOptionalPayloadTakesAnEmptyRequestAsNull() {
		assertThat(bus.request("sig.optional.text", "", String.class)).isEqualTo("no text");
		assertThat(bus.request("sig.optional.text", "hi", String.class)).isEqualTo("text hi");
		assertThat(bus.request("sig.optional.bytes", new byte[0], String.class)).isEqualTo("no bytes");
		assertThat(bus.request("sig.optional.bytes", new byte[] { 1, 2 }, String.class)).isEqualTo("2 bytes");
	}

	@Test
	void anEmptyPayloadToTextOrBytesIsA400() throws Exception {
		for (String subject : List.of("sig.text", "sig.annotated.text", "sig.bytes")) {
			io.nats.client.Message reply = raw.request(subject, new byte[0], Duration.ofSeconds(5));
			assertThat(reply.getHeaders()).as(subject).isNotNull();
			assertThat(reply.getHeaders().getFirst("Nats-Service-Error-Code")).as(subject).isEqualTo("400");
			assertThat(reply.getHeaders().getFirst("Nats-Service-Error")).as(subject)
				.startsWith("The request is empty: parameter '");
		}
		// And the listener keeps serving.
		assertThat(new String(
				raw.request("sig.text", "ok".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5)).getData(),
				StandardCharsets.UTF_8))
			.isEqualTo("ok");
	}

	@Test
	void aCompletableFutureResultDoesNotHoldAWorker() throws Exception {
		Handlers handlers = context.getBean(Handlers.class);
		BusListenerContainer container = context.getBean(BusListenerRegistry.class)
			.getListenerContainer("sig.later")
			.orElseThrow();
		assertThat(container.getConcurrency()).isEqualTo(1);
		List<CompletableFuture<String>> replies = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			replies.add(bus.requestAsync("sig.later", "r" + i, String.class, Duration.ofSeconds(20)));
		}
		// With concurrency 1, a second invocation can only start if the first one's
		// worker
		// was released while its reply was still owed.
		List<CompletableFuture<String>> owed = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			CompletableFuture<String> pending = handlers.owed.poll(10, TimeUnit.SECONDS);
			assertThat(pending).as("invocation %d", i).isNotNull();
			owed.add(pending);
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> container.getBusyWorkers() == 0);
		assertThat(replies).noneMatch(CompletableFuture::isDone);
		for (int i = 0; i < owed.size(); i++) {
			owed.get(i).complete("done " + i);
		}
		assertThat(replies).allSatisfy((reply) -> assertThat(reply).succeedsWithin(Duration.ofSeconds(10)));
		assertThat(replies.stream().map(CompletableFuture::join)).containsExactlyInAnyOrder("done 0", "done 1",
				"done 2");
	}

	@Component
	static class Handlers {

		final BlockingQueue<CompletableFuture<String>> owed = new LinkedBlockingQueue<>();

		@BusListener("sig.beside")
		String beside(@Payload Quote quote, io.nats.client.Message message, MessageHeaders headers) {
			return quote.symbol() + " " + quote.price() + " on " + message.getSubject() + ", "
					+ Math.min(headers.size(), 1) + " headers or more";
		}

		@BusListener("sig.optional.text")
		String optionalText(@Payload(required = false) String text) {
			return (text == null) ? "no text" : "text " + text;
		}

		@BusListener("sig.optional.bytes")
		String optionalBytes(@Payload(required = false) byte[] bytes) {
			return (bytes == null) ? "no bytes" : bytes.length + " bytes";
		}

		@BusListener("sig.text")
		String text(String text) {
			return text;
		}

		@BusListener("sig.annotated.text")
		String annotatedText(@Payload String text) {
			return text;
		}

		@BusListener("sig.bytes")
		byte[] bytes(byte[] bytes) {
			return bytes;
		}

		@BusListener(id = "sig.later", subject = "sig.later", concurrency = "1")
		CompletableFuture<String> later(String input) {
			CompletableFuture<String> reply = new CompletableFuture<>();
			this.owed.add(reply);
			return reply;
		}

	}

}
