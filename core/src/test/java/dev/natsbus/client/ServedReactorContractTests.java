package dev.natsbus.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import dev.natsbus.BusClient;
import dev.natsbus.BusRemoteException;
import dev.natsbus.BusReplies;
import dev.natsbus.BusRequest;
import dev.natsbus.BusRequestMany;
import dev.natsbus.BusService;
import dev.natsbus.BusServiceException;
import dev.natsbus.BusTestContext;
import dev.natsbus.RequestMany;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A {@code @BusService} whose contract methods return {@code Mono} and {@code Flux},
 * served in two applications and called by a proxy of the same contract in a third over a
 * real server: a {@code Mono} replies when it emits, a {@code Flux} streams with the
 * sentinel or, without it, is one reply per instance.
 */
class ServedReactorContractTests {

	private static final Duration BLOCK = Duration.ofSeconds(10);

	private static NatsServer server;

	private static AnnotationConfigApplicationContext service1;

	private static AnnotationConfigApplicationContext service2;

	private static AnnotationConfigApplicationContext caller;

	private static ReactiveQuotes quotes;

	@BeforeAll
	static void start() {
		server = NatsServer.builder().start();
		service1 = BusTestContext.start(server.url(), "rx-service-1", Map.of(), ReactiveQuoteService.class);
		service2 = BusTestContext.start(server.url(), "rx-service-2", Map.of(), ReactiveQuoteService.class);
		caller = BusTestContext.start(server.url(), "rx-caller", Map.of(), CallerConfiguration.class);
		Stream.of(service1, service2).forEach((app) -> app.getBean(NatsConnectionPool.class).flush(BLOCK));
		quotes = new BusClientProxyFactory(caller.getBean(BusTemplate.class)).createClient(ReactiveQuotes.class);
	}

	@AfterAll
	static void stop() {
		Stream.of(caller, service2, service1).forEach(AnnotationConfigApplicationContext::close);
		server.close();
	}

	@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
	static class CallerConfiguration {

	}

	@BusClient(timeout = "5s")
	public interface ReactiveQuotes {

		@BusRequest("rxs.quote")
		Mono<Quote> get(String symbol);

		@BusRequest("rxs.missing")
		Mono<Quote> missing(String symbol);

		@BusRequest("rxs.reset")
		Mono<Void> reset();

		@BusRequestMany(value = "rxs.history", sentinel = true)
		Flux<Quote> history(String symbol);

		@BusRequestMany(value = "rxs.instances", broadcast = true, maxReplies = "2")
		Flux<String> instances();

		@BusRequestMany(value = "rxs.counts", broadcast = true, maxReplies = "2")
		Mono<BusReplies<Integer>> counts();

		@BusRequestMany(value = "rxs.chatty", maxReplies = "1")
		Flux<Integer> chatty();

	}

	@BusService("reactive-quotes")
	public static class ReactiveQuoteService implements ReactiveQuotes {

		final String instance = UUID.randomUUID().toString();

		final AtomicInteger resets = new AtomicInteger();

		@Override
		public Mono<Quote> get(String symbol) {
			return Mono.delay(Duration.ofMillis(20)).map((tick) -> new Quote(symbol, 42.5));
		}

		@Override
		public Mono<Quote> missing(String symbol) {
			return Mono.error(new BusServiceException(404, "no quote for " + symbol));
		}

		@Override
		public Mono<Void> reset() {
			return Mono.fromRunnable(this.resets::incrementAndGet);
		}

		@Override
		public Flux<Quote> history(String symbol) {
			return Flux.range(1, 3).map((i) -> new Quote(symbol, i));
		}

		@Override
		public Flux<String> instances() {
			return Flux.just(this.instance);
		}

		@Override
		public Mono<BusReplies<Integer>> counts() {
			return Mono.just(BusReplies.of(List.of(7)));
		}

		@Override
		public Flux<Integer> chatty() {
			return Flux.range(0, 3);
		}

	}

	@Test
	void monoMethodsAreServed() {
		assertThat(quotes.get("ACME").block(BLOCK)).isEqualTo(new Quote("ACME", 42.5));
		int before = resets();
		quotes.reset().block(BLOCK);
		assertThat(resets()).isEqualTo(before + 1);
	}

	@Test
	void failedMonoOfTheImplementationReachesTheCallerTyped() {
		assertThatExceptionOfType(BusRemoteException.class).isThrownBy(() -> quotes.missing("NOPE").block(BLOCK))
			.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo(404))
			.satisfies((ex) -> assertThat(ex.getRemoteMessage()).isEqualTo("no quote for NOPE"));
	}

	@Test
	void fluxWithTheSentinelIsStreamedEndingWithTheSentinel() {
		assertThat(quotes.history("ACME").collectList().block(BLOCK)).extracting(Quote::price)
			.containsExactly(1.0, 2.0, 3.0);
		// On the wire: three replies, then the sentinel.
		BusReplies<Quote> raw = caller.getBean(BusTemplate.class)
			.requestMany("rxs.history", "ACME", Quote.class, RequestMany.sentinel().withMaxWait(BLOCK));
		assertThat(raw.values()).hasSize(3);
		assertThat(raw.endedBy()).isEqualTo(BusReplies.EndedBy.SENTINEL);
	}

	@Test
	void fluxWithoutTheSentinelIsOneReplyPerInstance() {
		assertThat(quotes.instances().collectList().block(BLOCK)).containsExactlyInAnyOrder(
				service1.getBean(ReactiveQuoteService.class).instance,
				service2.getBean(ReactiveQuoteService.class).instance);
	}

	@Test
	void monoOfRepliesWithoutTheSentinelIsOneReplyPerInstance() {
		BusReplies<Integer> counts = quotes.counts().block(BLOCK);
		assertThat(counts.values()).containsExactly(7, 7);
		assertThat(counts.endedBy()).isEqualTo(BusReplies.EndedBy.MAX_REPLIES);
	}

	@Test
	void fluxOfSeveralElementsWithoutTheSentinelIsAnError() {
		assertThatExceptionOfType(BusRemoteException.class).isThrownBy(() -> quotes.chatty().collectList().block(BLOCK))
			.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo(500));
	}

	private static int resets() {
		return Stream.of(service1, service2)
			.mapToInt((app) -> app.getBean(ReactiveQuoteService.class).resets.get())
			.sum();
	}

}
