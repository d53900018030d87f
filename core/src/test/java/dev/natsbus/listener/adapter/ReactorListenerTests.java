package dev.natsbus.listener.adapter;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.natsbus.BusListener;
import dev.natsbus.BusListenerErrorHandler;
import dev.natsbus.BusRemoteException;
import dev.natsbus.BusReplies;
import dev.natsbus.BusReplies.EndedBy;
import dev.natsbus.BusServiceException;
import dev.natsbus.BusTestContext;
import dev.natsbus.RequestMany;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.listener.BusListenerContainer;
import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Listeners that return Reactor's {@code Mono} and {@code Flux} against a real server: a
 * {@code Mono} answers as a {@code CompletableFuture} does (the reply when it emits, an
 * empty reply when empty, an error reply through the error handler and the safe error
 * texts when it fails; owed but holding no worker while pending; awaited by a drain); a
 * {@code Flux} streams one reply per element, then the sentinel.
 */
@Timeout(120)
class ReactorListenerTests {

	private static final Duration LONG = Duration.ofSeconds(30);

	private static NatsServer server;

	private static AnnotationConfigApplicationContext context;

	private static BusTemplate bus;

	private static Listeners listeners;

	@BeforeAll
	static void start() {
		server = NatsServer.builder().start();
		context = BusTestContext.start(server.url(), "reactor-listeners", Map.of(), ErrorHandlers.class,
				Listeners.class);
		bus = context.getBean(BusTemplate.class);
		listeners = context.getBean(Listeners.class);
	}

	@AfterAll
	static void stop() {
		context.close();
		server.close();
	}

	@Test
	void monoRepliesWhenItEmits() {
		assertThat(bus.request("rx.later", "ACME", String.class, LONG)).isEqualTo("later ACME");
	}

	@Test
	void emptyMonoIsAnEmptyReply() {
		assertThat(bus.request("rx.empty", "x", byte[].class, LONG)).isEmpty();
		assertThat(bus.request("rx.void", "x", byte[].class, LONG)).isEmpty();
		assertThat(listeners.voids).hasPositiveValue();
	}

	@Test
	void failedMonoIsAnErrorReplyWithTheServiceErrorsCodeAndText() {
		assertThatExceptionOfType(BusRemoteException.class)
			.isThrownBy(() -> bus.request("rx.missing", "NOPE", String.class, LONG))
			.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo(404))
			.satisfies((ex) -> assertThat(ex.getRemoteMessage()).isEqualTo("no quote for NOPE"));
	}

	@Test
	void unexpectedFailureOfAMonoIsAnswered500WithTheSafeText() {
		assertThatExceptionOfType(BusRemoteException.class)
			.isThrownBy(() -> bus.request("rx.crash", "x", String.class, LONG))
			.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo(500))
			.satisfies((ex) -> assertThat(ex.getRemoteMessage())
				.matches("Listener 'rx-crash' failed \\(error id \\w{22}\\)"));
	}

	@Test
	void failureOfAMonoGoesToTheErrorHandler() {
		assertThat(bus.request("rx.handled", "ACME", String.class, LONG)).isEqualTo("fallback for ACME");
	}

	@Test
	void pendingMonoHoldsNoWorker() throws Exception {
		// concurrency 1: were a pending Mono a busy invocation, the second request would
		// wait for the first to complete and never be subscribed to.
		List<CompletableFuture<String>> replies = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			replies.add(bus.requestAsync("rx.held", "job-" + i, String.class, LONG));
		}
		await().atMost(LONG).until(() -> listeners.held.currentSubscriberCount() == 3);
		BusListenerContainer container = context.getBean(BusListenerRegistry.class)
			.getListenerContainer("rx-held")
			.orElseThrow();
		assertThat(container.getConcurrency()).isEqualTo(1);
		assertThat(container.getBusyWorkers()).isZero();
		assertThat(replies).noneMatch(CompletableFuture::isDone);
		listeners.held.tryEmitValue("released");
		for (CompletableFuture<String> reply : replies) {
			assertThat(reply.get(30, TimeUnit.SECONDS)).isEqualTo("released");
		}
	}

	@Test
	void aDrainWaitsForAPendingMono() throws Exception {
		AnnotationConfigApplicationContext serving = BusTestContext.start(server.url(), "draining-mono", Map.of(),
				Draining.class);
		Draining draining = serving.getBean(Draining.class);
		serving.getBean(NatsConnectionPool.class).flush(LONG);
		CompletableFuture<String> reply = bus.requestAsync("rx.draining", "x", String.class, LONG);
		await().atMost(LONG).until(() -> draining.pending.currentSubscriberCount() == 1);
		CompletableFuture<Void> closed = CompletableFuture.runAsync(serving::close);
		// The close waits for the owed reply; the Mono completes while it does.
		await().during(Duration.ofMillis(200)).atMost(LONG).until(() -> !closed.isDone());
		draining.pending.tryEmitValue("finished");
		assertThat(reply.get(20, TimeUnit.SECONDS)).isEqualTo("finished");
		closed.get(20, TimeUnit.SECONDS);
	}

	@Test
	void fluxStreamsOneReplyPerElementThenTheSentinel() {
		BusReplies<Integer> replies = bus.requestMany("rx.range", "1000", Integer.class,
				RequestMany.sentinel().withMaxWait(LONG));
		assertThat(replies.values()).hasSize(1000).isSorted().startsWith(0, 1, 2).endsWith(999);
		assertThat(replies.errors()).isEmpty();
		assertThat(replies.endedBy()).isEqualTo(EndedBy.SENTINEL);
	}

	@Test
	void fluxElementsAreRequestedOneAtATime() {
		listeners.largestRequest.set(0);
		BusReplies<Integer> replies = bus.requestMany("rx.counted", "x", Integer.class,
				RequestMany.sentinel().withMaxWait(LONG));
		assertThat(replies.values()).hasSize(200);
		assertThat(listeners.largestRequest).hasValue(1);
	}

	@Test
	void asynchronousFluxStreamsFromItsOwnThreads() {
		BusReplies<Integer> replies = bus.requestMany("rx.delayed", "x", Integer.class,
				RequestMany.sentinel().withMaxWait(LONG));
		assertThat(replies.values()).containsExactly(0, 1, 2, 3, 4);
		assertThat(replies.endedBy()).isEqualTo(EndedBy.SENTINEL);
	}

	@Test
	void fluxThatFailsMidStreamSendsAnErrorReplyAndEnds() {
		BusReplies<Integer> replies = bus.requestMany("rx.failing", "x", Integer.class,
				RequestMany.sentinel().withMaxWait(Duration.ofSeconds(3)));
		assertThat(replies.values()).containsExactly(0, 1, 2, 3, 4);
		assertThat(replies.errors()).singleElement().isInstanceOfSatisfying(BusRemoteException.class, (ex) -> {
			assertThat(ex.getErrorCode()).isEqualTo(409);
			assertThat(ex.getRemoteMessage()).isEqualTo("stopped after 5");
		});
		// A sentinel gathering ends at the error reply, as at the sentinel.
		assertThat(replies.endedBy()).isEqualTo(EndedBy.SENTINEL);
		assertThat(replies.elapsed()).isLessThan(Duration.ofSeconds(3));
	}

	@Test
	void fluxIsCancelledOnceTheCallersDeadlineHasPassed() {
		listeners.endlessCancelled.set(false);
		BusReplies<Integer> replies = bus.requestMany("rx.endless", "x", Integer.class,
				RequestMany.sentinel().withMaxWait(Duration.ofMillis(500)));
		assertThat(replies.endedBy()).isEqualTo(EndedBy.MAX_WAIT);
		await().atMost(LONG).untilTrue(listeners.endlessCancelled);
	}

	@Test
	void fluxReturnedForAPlainSendIsNotSubscribedTo() {
		listeners.sentSubscribed.set(false);
		listeners.sentCalls.set(0);
		bus.send("rx.event", "x");
		await().atMost(LONG).until(() -> listeners.sentCalls.get() == 1);
		assertThat(bus.request("rx.later", "after", String.class, LONG)).isEqualTo("later after");
		assertThat(listeners.sentSubscribed).isFalse();
	}

	@Configuration(proxyBeanMethods = false)
	static class ErrorHandlers {

		@Bean
		BusListenerErrorHandler fallbackHandler() {
			return (message, exception) -> "fallback for " + new String(message.getPayload(), StandardCharsets.UTF_8);
		}

	}

	static class Listeners {

		final AtomicInteger voids = new AtomicInteger();

		final Sinks.One<String> held = Sinks.one();

		final AtomicLong largestRequest = new AtomicLong();

		final AtomicBoolean endlessCancelled = new AtomicBoolean();

		final AtomicBoolean sentSubscribed = new AtomicBoolean();

		final AtomicInteger sentCalls = new AtomicInteger();

		@BusListener("rx.later")
		Mono<String> later(String symbol) {
			return Mono.delay(Duration.ofMillis(50)).map((tick) -> "later " + symbol);
		}

		@BusListener("rx.empty")
		Mono<String> empty(String ignored) {
			return Mono.empty();
		}

		@BusListener("rx.void")
		Mono<Void> none(String ignored) {
			return Mono.fromRunnable(this.voids::incrementAndGet);
		}

		@BusListener("rx.missing")
		Mono<String> missing(String symbol) {
			return Mono.delay(Duration.ofMillis(10))
				.flatMap((tick) -> Mono.error(new BusServiceException(404, "no quote for " + symbol)));
		}

		@BusListener(id = "rx-crash", subject = "rx.crash")
		Mono<String> crash(String ignored) {
			return Mono.error(new IllegalStateException("secret detail"));
		}

		@BusListener(subject = "rx.handled", errorHandler = "fallbackHandler")
		Mono<String> handled(String ignored) {
			return Mono.delay(Duration.ofMillis(10)).then(Mono.error(new IllegalStateException("boom")));
		}

		@BusListener(id = "rx-held", subject = "rx.held", concurrency = "1")
		Mono<String> held(String job) {
			return this.held.asMono();
		}

		@BusListener("rx.range")
		Flux<Integer> range(String count) {
			return Flux.range(0, Integer.parseInt(count));
		}

		@BusListener("rx.counted")
		Flux<Integer> counted(String ignored) {
			return Flux.range(0, 200).doOnRequest((n) -> this.largestRequest.accumulateAndGet(n, Math::max));
		}

		@BusListener("rx.delayed")
		Flux<Integer> delayed(String ignored) {
			return Flux.range(0, 5).delayElements(Duration.ofMillis(10));
		}

		@BusListener("rx.failing")
		Flux<Integer> failing(String ignored) {
			return Flux.range(0, 5).concatWith(Flux.error(new BusServiceException(409, "stopped after 5")));
		}

		@BusListener("rx.endless")
		Flux<Integer> endless(String ignored) {
			return Flux.interval(Duration.ofMillis(20))
				.map(Long::intValue)
				.doOnCancel(() -> this.endlessCancelled.set(true));
		}

		@BusListener("rx.event")
		Flux<Integer> event(String ignored) {
			this.sentCalls.incrementAndGet();
			return Flux.range(0, 3).doOnSubscribe((subscription) -> this.sentSubscribed.set(true));
		}

	}

	static class Draining {

		final Sinks.One<String> pending = Sinks.one();

		@BusListener("rx.draining")
		Mono<String> draining(String ignored) {
			return this.pending.asMono();
		}

	}

}
