package dev.natsbus.template;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.natsbus.BusConversionException;
import dev.natsbus.BusNoRespondersException;
import dev.natsbus.BusRemoteException;
import dev.natsbus.BusTestContext;
import dev.natsbus.BusTimeoutException;
import dev.natsbus.RequestMany;
import dev.natsbus.client.Quote;
import dev.natsbus.protocol.ServiceErrors;
import dev.natsbus.test.NatsServer;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.MessageHandler;
import io.nats.client.Nats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.SignalType;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@link ReactiveBusTemplate} against a real server and plain jnats responders: cold
 * {@code Mono}s and {@code Flux}es, typed failures as error signals, replies emitted as
 * they arrive, and cancellation that ends the request or the gathering with nothing
 * delivered late.
 */
@Timeout(60)
class ReactiveBusTemplateTests {

	private static final Duration LONG = Duration.ofSeconds(10);

	private static NatsServer server;

	private static AnnotationConfigApplicationContext context;

	private static BusTemplate template;

	private static ReactiveBusTemplate bus;

	private static Connection responders;

	private static final AtomicInteger echoes = new AtomicInteger();

	private static final AtomicInteger sends = new AtomicInteger();

	private static final AtomicInteger dripped = new AtomicInteger();

	private static volatile CountDownLatch second = new CountDownLatch(1);

	@BeforeAll
	static void start() throws Exception {
		server = NatsServer.builder().start();
		context = BusTestContext.start(server.url(), "reactive", Map.of(), Nothing.class);
		template = context.getBean(BusTemplate.class);
		bus = new ReactiveBusTemplate(template);
		responders = Nats.connect(server.url());
		respond("rxt.echo", (request) -> {
			echoes.incrementAndGet();
			reply(request, "echo:" + text(request));
		});
		respond("rxt.empty", (request) -> reply(request, ""));
		respond("rxt.silent", (request) -> {
		});
		respond("rxt.fail", (request) -> responders.publish(request.getReplyTo(),
				ServiceErrors.errorHeaders(409, "taken"), new byte[0]));
		respond("rxt.headers", (request) -> responders.publish(request.getReplyTo(), request.getHeaders(),
				("for " + request.getHeaders().getFirst("X-Request-Id")).getBytes(StandardCharsets.UTF_8)));
		respond("rxt.send", (request) -> sends.incrementAndGet());
		for (int i = 0; i < 3; i++) {
			String value = Integer.toString(i);
			respond("rxt.three", (request) -> reply(request, value));
		}
		respond("rxt.mixed", (request) -> reply(request, "1"));
		respond("rxt.mixed", (request) -> responders.publish(request.getReplyTo(),
				ServiceErrors.errorHeaders(404, "gone"), new byte[0]));
		respond("rxt.garbled", (request) -> reply(request, "not json"));
		respond("rxt.stepped", (request) -> new Thread(() -> {
			reply(request, "1");
			awaitLatch(second);
			reply(request, "2");
			reply(request, "");
		}).start());
		respond("rxt.drip", (request) -> new Thread(() -> {
			for (int i = 0; i < 40 && !responders.getStatus().equals(Connection.Status.CLOSED); i++) {
				reply(request, Integer.toString(i));
				dripped.incrementAndGet();
				sleep(25);
			}
		}).start());
		responders.flush(LONG);
	}

	@AfterAll
	static void stop() throws Exception {
		responders.close();
		context.close();
		server.close();
	}

	@Configuration(proxyBeanMethods = false)
	static class Nothing {

	}

	@Test
	void requestEmitsTheConvertedReply() {
		assertThat(bus.request("rxt.echo", "hi", String.class).block(LONG)).isEqualTo("echo:hi");
		assertThat(bus.getDefaultTimeout()).isEqualTo(template.getDefaultTimeout());
	}

	@Test
	void requestIsSentOnSubscriptionOnlyAndOnEach() {
		int before = echoes.get();
		Mono<String> mono = bus.request("rxt.echo", "cold", String.class, LONG);
		// A request of its own, answered after any the Mono would have sent.
		assertThat(bus.request("rxt.echo", "probe", String.class).block(LONG)).isEqualTo("echo:probe");
		assertThat(echoes.get()).isEqualTo(before + 1);
		mono.block(LONG);
		mono.block(LONG);
		assertThat(echoes.get()).isEqualTo(before + 3);
	}

	@Test
	void emptyReplyCompletesTheMonoEmpty() {
		assertThat(bus.request("rxt.empty", "x", Quote.class).blockOptional(LONG)).isEmpty();
		assertThat(bus.request("rxt.empty", "x", Void.class).blockOptional(LONG)).isEmpty();
	}

	@Test
	void requestMessageCarriesHeadersBothWays() {
		org.springframework.messaging.Message<String> reply = bus
			.requestMessage("rxt.headers", MessageBuilder.withPayload("x").setHeader("X-Request-Id", "r-7").build(),
					String.class, LONG)
			.block(LONG);
		assertThat(reply.getPayload()).isEqualTo("for r-7");
		assertThat(reply.getHeaders().get("X-Request-Id")).isEqualTo("r-7");
	}

	@Test
	void failuresAreTypedErrorSignals() {
		assertThatExceptionOfType(BusNoRespondersException.class)
			.isThrownBy(() -> bus.request("rxt.nobody", "x", String.class).block(LONG));
		assertThatExceptionOfType(BusTimeoutException.class)
			.isThrownBy(() -> bus.request("rxt.silent", "x", String.class, Duration.ofMillis(200)).block(LONG));
		assertThatExceptionOfType(BusRemoteException.class)
			.isThrownBy(() -> bus.request("rxt.fail", "x", String.class).block(LONG))
			.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo(409))
			.satisfies((ex) -> assertThat(ex.getRemoteMessage()).isEqualTo("taken"));
	}

	@Test
	void invalidSubjectIsAnErrorSignalNotAThrow() {
		Mono<String> request = bus.request("bad subject", "x", String.class);
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> request.block(LONG));
		Flux<String> many = bus.requestMany("rxt.>", "x", String.class, RequestMany.maxReplies(1));
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> many.blockLast(LONG));
	}

	@Test
	void cancellingTheMonoCancelsTheRequest() {
		int before = template.getRequestsInFlight();
		AtomicBoolean delivered = new AtomicBoolean();
		Disposable subscription = bus.request("rxt.silent", "x", String.class, LONG)
			.subscribe((value) -> delivered.set(true), (ex) -> delivered.set(true));
		await().atMost(LONG).until(() -> template.getRequestsInFlight() == before + 1);
		subscription.dispose();
		await().atMost(LONG).until(() -> template.getRequestsInFlight() == before);
		assertThat(delivered).isFalse();
	}

	@Test
	void sendPublishesOnSubscription() {
		int before = sends.get();
		Mono<Void> send = bus.send("rxt.send", "x");
		bus.request("rxt.echo", "probe", String.class).block(LONG);
		assertThat(sends.get()).isEqualTo(before);
		send.block(LONG);
		await().atMost(LONG).until(() -> sends.get() == before + 1);
	}

	@Test
	void requestManyEmitsEveryReplyOnTheCallbackExecutor() {
		List<String> threads = new CopyOnWriteArrayList<>();
		List<Integer> values = bus.requestMany("rxt.three", "x", Integer.class, RequestMany.maxReplies(3))
			.doOnNext((value) -> threads.add(Thread.currentThread().getName()))
			.collectList()
			.block(LONG);
		assertThat(values).containsExactlyInAnyOrder(0, 1, 2);
		assertThat(threads).allSatisfy((name) -> assertThat(name).startsWith("natsbus-callback-"));
	}

	@Test
	void requestManyEmitsRepliesAsTheyArrive() {
		second = new CountDownLatch(1);
		List<Integer> received = new CopyOnWriteArrayList<>();
		AtomicBoolean completed = new AtomicBoolean();
		bus.requestMany("rxt.stepped", "x", Integer.class, RequestMany.sentinel().withMaxWait(LONG))
			.subscribe(received::add, (ex) -> {
			}, () -> completed.set(true));
		// The first reply is emitted while the responder still holds the second.
		await().atMost(LONG).until(() -> received.equals(List.of(1)));
		assertThat(completed).isFalse();
		second.countDown();
		await().atMost(LONG).untilTrue(completed);
		assertThat(received).containsExactly(1, 2);
	}

	@Test
	void errorReplyFailsTheFluxAfterTheValues() {
		List<Integer> received = new CopyOnWriteArrayList<>();
		assertThatExceptionOfType(BusRemoteException.class)
			.isThrownBy(() -> bus.requestMany("rxt.mixed", "x", Integer.class, RequestMany.maxReplies(2))
				.doOnNext(received::add)
				.blockLast(LONG))
			.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo(404));
		assertThat(received).containsExactly(1);
	}

	@Test
	void unreadableReplyFailsTheFluxWithAConversionError() {
		assertThatExceptionOfType(BusConversionException.class).isThrownBy(
				() -> bus.requestMany("rxt.garbled", "x", Quote.class, RequestMany.maxReplies(1)).blockLast(LONG));
	}

	@Test
	void requestManyWithoutRespondersFailsAtOnce() {
		assertThatExceptionOfType(BusNoRespondersException.class).isThrownBy(
				() -> bus.requestMany("rxt.nobody", "x", String.class, RequestMany.maxWait(LONG)).blockLast(LONG));
	}

	@Test
	void maxWaitWithoutRepliesCompletesEmpty() {
		assertThat(bus.requestMany("rxt.silent", "x", String.class, RequestMany.maxWait(Duration.ofMillis(200)))
			.collectList()
			.block(LONG)).isEmpty();
	}

	@Test
	void gatheringIsSentOnSubscriptionOnly() {
		int before = echoes.get();
		Flux<String> many = bus.requestMany("rxt.echo", "x", String.class, RequestMany.maxReplies(1));
		bus.request("rxt.echo", "probe", String.class).block(LONG);
		assertThat(echoes.get()).isEqualTo(before + 1);
		assertThat(many.blockLast(LONG)).isEqualTo("echo:x");
		assertThat(echoes.get()).isEqualTo(before + 2);
	}

	@Test
	void cancellingTheFluxEndsTheGatheringWithNothingDeliveredLate() {
		int before = template.getRequestsInFlight();
		List<Integer> received = new CopyOnWriteArrayList<>();
		AtomicBoolean terminated = new AtomicBoolean();
		// Cancelled from onNext itself, so that no element is on its way as it happens.
		bus.requestMany("rxt.drip", "x", Integer.class, RequestMany.maxWait(LONG))
			.subscribe(new BaseSubscriber<Integer>() {

				@Override
				protected void hookOnNext(Integer value) {
					received.add(value);
					if (received.size() == 2) {
						cancel();
					}
				}

				@Override
				protected void hookFinally(SignalType type) {
					terminated.set(type != SignalType.CANCEL);
				}

			});
		await().atMost(LONG).until(() -> received.size() == 2);
		await().atMost(LONG).until(() -> template.getRequestsInFlight() == before);
		assertThat(template.gatherer().openRoutes()).isZero();
		int drippedAtCancel = dripped.get();
		// The responder goes on sending: none of it reaches the cancelled subscriber.
		await().atMost(LONG).until(() -> dripped.get() >= drippedAtCancel + 5);
		assertThat(received).hasSize(2);
		assertThat(terminated).isFalse();
	}

	@Test
	void clientInterceptorsSeeEachStreamedReply() {
		List<String> seen = new CopyOnWriteArrayList<>();
		BusTemplate intercepted = new BusTemplate(template.getConnectionPool(),
				new dev.natsbus.conversion.JsonPayloadConverter());
		intercepted.setInterceptors(List.of(new dev.natsbus.BusClientInterceptor() {

			@Override
			public void postReceive(String subject, org.springframework.messaging.Message<byte[]> request,
					org.springframework.messaging.Message<byte[]> reply) {
				seen.add(new String(reply.getPayload(), StandardCharsets.UTF_8));
			}

		}));
		intercepted.start();
		try {
			List<Integer> values = new ReactiveBusTemplate(intercepted)
				.requestMany("rxt.three", "x", Integer.class, RequestMany.maxReplies(3))
				.collectList()
				.block(LONG);
			assertThat(values).containsExactlyInAnyOrder(0, 1, 2);
			assertThat(seen).containsExactlyInAnyOrder("0", "1", "2");
		}
		finally {
			intercepted.stop();
			intercepted.destroy();
		}
	}

	private static void respond(String subject, MessageHandler handler) {
		responders.createDispatcher(handler).subscribe(subject);
	}

	private static void reply(Message request, String body) {
		responders.publish(request.getReplyTo(), body.getBytes(StandardCharsets.UTF_8));
	}

	private static String text(Message message) {
		return new String(message.getData(), StandardCharsets.UTF_8);
	}

	private static void awaitLatch(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
