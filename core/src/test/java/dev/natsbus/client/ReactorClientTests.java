package dev.natsbus.client;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import dev.natsbus.BusClient;
import dev.natsbus.BusListener;
import dev.natsbus.BusRemoteException;
import dev.natsbus.BusReplies;
import dev.natsbus.BusRequest;
import dev.natsbus.BusRequestMany;
import dev.natsbus.BusServiceException;
import dev.natsbus.BusTestContext;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServer;
import io.nats.client.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Reactor return types of client methods against a real server: cold (sent on
 * subscription), typed errors, and cancellation that cancels the request.
 */
class ReactorClientTests {

	private static final Duration BLOCK = Duration.ofSeconds(5);

	private static NatsServer server;

	private static AnnotationConfigApplicationContext context;

	private static BusTemplate template;

	private static Handlers handlers;

	private static ReactiveClient client;

	@BeforeAll
	static void start() {
		server = NatsServer.builder().start();
		context = BusTestContext.start(server.url(), "reactor-client-test", Map.of(), Handlers.class, One.class,
				Two.class);
		template = context.getBean(BusTemplate.class);
		handlers = context.getBean(Handlers.class);
		client = new BusClientProxyFactory(template).createClient(ReactiveClient.class);
	}

	@AfterAll
	static void stop() {
		context.close();
		server.close();
	}

	@BusClient(timeout = "2s")
	interface ReactiveClient {

		@BusRequest("rx.quote")
		Mono<Quote> quote(String symbol);

		@BusRequest("rx.quote")
		Quote quoteNow(String symbol);

		@BusRequest("rx.traced")
		Mono<Message<String>> traced(String text, @Header("X-Request-Id") String requestId);

		@BusRequest("rx.record")
		Mono<Void> record(String text);

		@BusRequest("rx.fail")
		Mono<String> fail();

		@BusRequest("rx.silent")
		Mono<String> silent();

		@BusRequestMany(value = "rx.each", maxReplies = "2")
		Flux<Integer> each();

		@BusRequestMany(value = "rx.each", maxReplies = "2")
		Mono<BusReplies<Integer>> eachReplies();

		@BusRequestMany(value = "rx.some", maxReplies = "2")
		Flux<Integer> some();

		@BusRequestMany(value = "rx.stream", sentinel = true)
		Flux<Integer> stream(int failAfter);

	}

	@Test
	void monoSendsOnSubscriptionOnly() {
		int before = handlers.quotes.get();
		Mono<Quote> mono = client.quote("ACME");
		// The listener runs one at a time, in order: a Mono that had sent its request
		// would be counted before the synchronous call that follows.
		assertThat(client.quoteNow("ACME")).isEqualTo(new Quote("ACME", 1));
		assertThat(handlers.quotes.get()).isEqualTo(before + 1);
		assertThat(mono.block(BLOCK)).isEqualTo(new Quote("ACME", 1));
		assertThat(mono.block(BLOCK)).isEqualTo(new Quote("ACME", 1));
		assertThat(handlers.quotes.get()).isEqualTo(before + 3);
	}

	@Test
	void monoOfAMessageCarriesHeadersBothWays() {
		Message<String> reply = client.traced("hi", "r-9").block(BLOCK);
		assertThat(reply.getPayload()).isEqualTo("hi");
		assertThat(reply.getHeaders().get("X-Request-Id")).isEqualTo("r-9");
	}

	@Test
	void monoOfVoidCompletesEmptyWithTheReply() {
		assertThat(client.record("done").blockOptional(BLOCK)).isEmpty();
		assertThat(handlers.recorded).hasValue("done");
	}

	@Test
	void monoFailsWithTheTypedException() {
		assertThatExceptionOfType(BusRemoteException.class).isThrownBy(() -> client.fail().block(BLOCK))
			.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo(409));
	}

	@Test
	void cancellingTheSubscriptionCancelsTheRequest() throws Exception {
		try (Connection silent = BusTestContext.silentResponder(server.url(), "rx.silent")) {
			Disposable subscription = client.silent().subscribe();
			await().atMost(Duration.ofSeconds(2)).until(() -> template.getRequestsInFlight() == 1);
			subscription.dispose();
			await().atMost(Duration.ofSeconds(2)).until(() -> template.getRequestsInFlight() == 0);
		}
	}

	@Test
	void fluxEmitsTheGatheredValues() {
		assertThat(client.each().collectList().block(BLOCK)).containsExactlyInAnyOrder(1, 2);
	}

	@Test
	void fluxLeavesEmptyRepliesOut() {
		assertThat(client.some().collectList().block(BLOCK)).containsExactly(2);
	}

	@Test
	void monoOfReplies() {
		BusReplies<Integer> replies = client.eachReplies().block(BLOCK);
		assertThat(replies.values()).containsExactlyInAnyOrder(1, 2);
		assertThat(replies.endedBy()).isEqualTo(BusReplies.EndedBy.MAX_REPLIES);
	}

	@Test
	void fluxOfAStreamedReplyEndsWithItsError() {
		assertThat(client.stream(100).collectList().block(BLOCK)).hasSize(3);
		Flux<Integer> failing = client.stream(2);
		assertThat(failing.onErrorResume((ex) -> Flux.just(-1)).collectList().block(BLOCK)).containsExactly(0, 1, -1);
		assertThatExceptionOfType(BusRemoteException.class).isThrownBy(() -> failing.blockLast(BLOCK))
			.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo(500));
	}

	@Component
	static class Handlers {

		final AtomicInteger quotes = new AtomicInteger();

		final java.util.concurrent.atomic.AtomicReference<String> recorded = new java.util.concurrent.atomic.AtomicReference<>();

		@BusListener("rx.quote")
		Quote quote(String symbol) {
			this.quotes.incrementAndGet();
			return new Quote(symbol, 1);
		}

		@BusListener("rx.traced")
		Message<String> traced(String text, @Header("X-Request-Id") String requestId) {
			return MessageBuilder.withPayload(text).setHeader("X-Request-Id", requestId).build();
		}

		@BusListener("rx.record")
		void record(String text) {
			this.recorded.set(text);
		}

		@BusListener("rx.fail")
		String fail() {
			throw new BusServiceException(409, "conflict");
		}

		@BusListener("rx.stream")
		Stream<Integer> stream(int failAfter) {
			return Stream.iterate(0, (i) -> i + 1).limit(3).map((i) -> {
				if (i >= failAfter) {
					throw new IllegalStateException("broken");
				}
				return i;
			});
		}

	}

	@Component
	static class One {

		@BusListener(subject = "rx.each", broadcast = true)
		int each() {
			return 1;
		}

		@BusListener(subject = "rx.some", broadcast = true)
		void some() {
		}

	}

	@Component
	static class Two {

		@BusListener(subject = "rx.each", broadcast = true)
		int each() {
			return 2;
		}

		@BusListener(subject = "rx.some", broadcast = true)
		int some() {
			return 2;
		}

	}

}
