package dev.natsbus.listener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.natsbus.BusNoRespondersException;
import dev.natsbus.BusTestContext;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.conversion.JsonPayloadConverter;
import dev.natsbus.support.DefaultBusTaskExecutors;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServer;
import io.nats.client.Connection;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.core.task.TaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pausing or stopping a listener on a dispatcher that other listeners share loses none of
 * the messages the server delivered to it, also those still queued in the dispatcher
 * behind the other listeners' messages when the server has stopped sending.
 */
@Timeout(120)
class SharedDispatcherPauseTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private static NatsServer server;

	private static org.springframework.context.annotation.AnnotationConfigApplicationContext context;

	private static BusTemplate bus;

	private final CountDownLatch gateEntered = new CountDownLatch(1);

	private final CountDownLatch gateOpen = new CountDownLatch(1);

	private BusListenerRegistry registry;

	@BeforeAll
	static void startServer() {
		server = NatsServer.builder().start();
		context = BusTestContext.start(server.url(), SharedDispatcherPauseTests.class);
		bus = context.getBean(BusTemplate.class);
	}

	@AfterAll
	static void stopServer() {
		context.close();
		server.close();
	}

	@BeforeEach
	void oneSharedDispatcher() {
		BusListenerContainerFactory factory = new BusListenerContainerFactory(new JsonPayloadConverter());
		factory.setDispatchersPerConnection(1);
		factory.setTaskExecutors(new GatedExecutors());
		this.registry = new BusListenerRegistry(context.getBean(NatsConnectionPool.class), factory);
		this.registry.start();
	}

	@AfterEach
	void stopListeners() {
		this.gateOpen.countDown();
		this.registry.stop();
	}

	@Test
	void pausingHandsOnWhatTheDispatcherHadQueuedBehindAnotherListener() throws Exception {
		pauseOrStopWithMessagesQueuedInTheDispatcher(true);
	}

	@Test
	void stoppingHandsOnWhatTheDispatcherHadQueuedBehindAnotherListener() throws Exception {
		pauseOrStopWithMessagesQueuedInTheDispatcher(false);
	}

	private void pauseOrStopWithMessagesQueuedInTheDispatcher(boolean pause) throws Exception {
		AtomicInteger processed = new AtomicInteger();
		BusListenerContainer counted = this.registry
			.registerListener(SimpleBusListenerEndpoint.of("counted", "pause.counted", (message) -> {
				processed.incrementAndGet();
				return "ok";
			}));
		BusListenerContainer gate = this.registry
			.registerListener(SimpleBusListenerEndpoint.of("gate", "pause.gate", (message) -> null));
		await().atMost(TIMEOUT).until(() -> counted.isSubscribed() && gate.isSubscribed());
		Connection connection = counted.getConnection();
		assertThat(gate.getConnection()).isSameAs(connection);

		// The shared dispatcher thread holds in the gate listener's hand-off, so what
		// arrives for the counted listener waits in the dispatcher's own queue.
		connection.publish("pause.gate", new byte[0]);
		assertThat(this.gateEntered.await(10, TimeUnit.SECONDS)).isTrue();
		List<CompletableFuture<String>> replies = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			replies.add(bus.requestAsync("pause.counted", "x", String.class, Duration.ofSeconds(30)));
		}
		context.getBean(NatsConnectionPool.class).flush(TIMEOUT);

		CompletableFuture<Boolean> drained = CompletableFuture
			.supplyAsync(() -> pause ? this.registry.pause("counted") : this.registry.stop("counted"));
		// The server sends it nothing more, and the pause has either finished (a drain
		// that ends the subscription at once) or waits for the dispatcher.
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(bus.requestAsync("pause.counted", "probe", String.class, TIMEOUT))
				.failsWithin(TIMEOUT)
				.withThrowableThat()
				.withCauseInstanceOf(BusNoRespondersException.class));
		await().atMost(TIMEOUT).until(() -> drained.isDone() || waitsForTheDispatcher());
		this.gateOpen.countDown();

		assertThat(drained.get(10, TimeUnit.SECONDS)).isTrue();
		for (CompletableFuture<String> reply : replies) {
			assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
		}
		assertThat(processed).hasValue(50);
		assertThat(counted.isSubscribed()).isFalse();
	}

	@Test
	void everyRequestOfASteadyStreamIsAnsweredOrFindsNoResponderAcrossPausesAndResumes() throws Exception {
		this.gateOpen.countDown();
		AtomicInteger processed = new AtomicInteger();
		BusListenerContainer counted = this.registry
			.registerListener(SimpleBusListenerEndpoint.of("counted", "pause.stream", (message) -> {
				processed.incrementAndGet();
				return "ok";
			}));
		// A sibling on the same dispatcher under a flood keeps the dispatcher's queue
		// busy.
		BusListenerContainer flooded = this.registry
			.registerListener(SimpleBusListenerEndpoint.of("flooded", "pause.flood", (message) -> null));
		await().atMost(TIMEOUT).until(() -> counted.isSubscribed() && flooded.isSubscribed());
		Connection connection = counted.getConnection();
		AtomicBoolean sending = new AtomicBoolean(true);
		AtomicInteger sent = new AtomicInteger();
		AtomicInteger answered = new AtomicInteger();
		AtomicInteger noResponders = new AtomicInteger();
		List<Throwable> otherFailures = java.util.Collections.synchronizedList(new ArrayList<>());
		Semaphore window = new Semaphore(64);
		Thread flood = new Thread(() -> {
			try {
				while (sending.get()) {
					for (int i = 0; i < 50; i++) {
						connection.publish("pause.flood", new byte[8]);
					}
					connection.flush(TIMEOUT);
				}
			}
			catch (Exception ex) {
				otherFailures.add(ex);
			}
		});
		Thread sender = new Thread(() -> {
			while (sending.get()) {
				window.acquireUninterruptibly();
				sent.incrementAndGet();
				bus.requestAsync("pause.stream", "x", String.class, Duration.ofSeconds(20))
					.whenComplete((reply, failure) -> {
						if (failure == null) {
							answered.incrementAndGet();
						}
						else if (failure.getCause() instanceof BusNoRespondersException
								|| failure instanceof BusNoRespondersException) {
							noResponders.incrementAndGet();
						}
						else {
							otherFailures.add(failure);
						}
						window.release();
					});
			}
		});
		flood.start();
		sender.start();
		try {
			for (int round = 0; round < 5; round++) {
				int before = answered.get();
				await().atMost(Duration.ofSeconds(20)).until(() -> answered.get() > before + 200);
				assertThat(this.registry.pause("counted")).isTrue();
				int paused = noResponders.get();
				await().atMost(Duration.ofSeconds(20)).until(() -> noResponders.get() > paused + 20);
				this.registry.resume("counted");
			}
		}
		finally {
			sending.set(false);
			flood.join(10_000);
			sender.join(10_000);
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> window.availablePermits() == 64);
		assertThat(otherFailures).isEmpty();
		assertThat(answered.get() + noResponders.get()).isEqualTo(sent.get());
		assertThat(processed).hasValue(answered.get());
	}

	private static boolean waitsForTheDispatcher() {
		return Thread.getAllStackTraces()
			.values()
			.stream()
			.anyMatch((frames) -> Arrays.stream(frames)
				.anyMatch((frame) -> frame.getClassName().equals(DispatcherMarker.class.getName())));
	}

	/** Workers whose hand-off for the gate listener holds until the gate opens. */
	private final class GatedExecutors extends DefaultBusTaskExecutors {

		@Override
		public @Nullable TaskExecutor listenerExecutor(String listenerId, int concurrency) {
			if (!listenerId.equals("gate")) {
				return super.listenerExecutor(listenerId, concurrency);
			}
			return (task) -> {
				SharedDispatcherPauseTests.this.gateEntered.countDown();
				try {
					SharedDispatcherPauseTests.this.gateOpen.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				task.run();
			};
		}

	}

}
