package dev.natsbus.listener;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.natsbus.BusNoRespondersException;
import dev.natsbus.BusTestContext;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.conversion.JsonPayloadConverter;
import dev.natsbus.support.DefaultBusTaskExecutors;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServer;
import io.nats.client.Connection;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import io.nats.client.Options;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.task.TaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Listeners share a few jnats dispatchers per connection: threads do not grow with the
 * number of listeners, and on one shared dispatcher a blocked listener stalls no other,
 * concurrency stays exact per listener, and pausing or stopping one leaves the others
 * serving.
 */
@Timeout(120)
class SharedDispatcherTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private static final ThreadLocal<Boolean> DECORATED = ThreadLocal.withInitial(() -> false);

	private static NatsServer server;

	private static AnnotationConfigApplicationContext context;

	private static BusTemplate bus;

	private BusListenerContainerFactory factory;

	private BusListenerRegistry registry;

	@BeforeAll
	static void startServer() {
		server = NatsServer.builder().start();
		context = BusTestContext.start(server.url(), Occupancy.class);
		bus = context.getBean(BusTemplate.class);
	}

	@AfterAll
	static void stopServer() {
		context.close();
		server.close();
	}

	@BeforeEach
	void oneSharedDispatcher() {
		this.factory = new BusListenerContainerFactory(new JsonPayloadConverter());
		this.factory.setDispatchersPerConnection(1);
		this.registry = new BusListenerRegistry(context.getBean(NatsConnectionPool.class), this.factory);
		this.registry.start();
	}

	@AfterEach
	void stopListeners() {
		this.registry.stop();
	}

	@Test
	void aThousandListenersStartAFewThreadsAndAllServe() {
		BusListenerContainerFactory shared = new BusListenerContainerFactory(new JsonPayloadConverter());
		BusListenerRegistry many = new BusListenerRegistry(context.getBean(NatsConnectionPool.class), shared);
		int threadsBefore = threadCount();
		List<BusListenerContainer> containers = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			String id = "many-" + i;
			containers.add(many.registerListener(SimpleBusListenerEndpoint.of(id, "shared.many." + i,
					(message) -> id + ":" + new String(message.getPayload()))));
		}
		many.start();
		try {
			await().atMost(Duration.ofSeconds(30))
				.until(() -> containers.stream().allMatch(BusListenerContainer::isSubscribed));
			for (int i = 0; i < 1000; i++) {
				assertThat(bus.request("shared.many." + i, "x", String.class, TIMEOUT)).isEqualTo("many-" + i + ":x");
			}
			List<CompletableFuture<String>> spread = new ArrayList<>();
			for (int i = 0; i < 1000; i++) {
				spread.add(bus.requestAsync("shared.many." + i, "y", String.class, Duration.ofSeconds(20)));
			}
			for (int i = 0; i < 1000; i++) {
				assertThat(spread.get(i).join()).isEqualTo("many-" + i + ":y");
			}
			// Before: one dispatcher thread per listener, a thousand in all.
			int started = threadCount() - threadsBefore;
			assertThat(started).as("threads started for 1000 listeners").isLessThanOrEqualTo(100);
			Connection connection = containers.get(0).getConnection();
			assertThat(shared.getDispatchersPerConnection()).isEqualTo(2);
			assertThat(containers).allMatch((container) -> container.getConnection() == connection);
		}
		finally {
			many.stop();
		}
	}

	@Test
	void aBlockedListenerStallsNoOtherOnTheSameDispatcher() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger blocked = new AtomicInteger();
		BusListenerContainer slow = this.registry
			.registerListener(SimpleBusListenerEndpoint.of("blocked", "shared.blocked", (message) -> {
				blocked.incrementAndGet();
				release.await(30, TimeUnit.SECONDS);
				return "late";
			}));
		BusListenerContainer fast = this.registry
			.registerListener(SimpleBusListenerEndpoint.of("sibling", "shared.sibling", (message) -> "fast"));
		await().atMost(TIMEOUT).until(() -> slow.isSubscribed() && fast.isSubscribed());
		assertThat(this.factory.getDispatchersPerConnection()).isEqualTo(1);
		List<CompletableFuture<String>> waiting = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			waiting.add(bus.requestAsync("shared.blocked", "x", String.class, Duration.ofSeconds(30)));
		}
		await().atMost(TIMEOUT).until(() -> blocked.get() == 1 && slow.getPendingMessages() == 19);
		try {
			for (int i = 0; i < 50; i++) {
				assertThat(bus.request("shared.sibling", "x", String.class, TIMEOUT)).isEqualTo("fast");
			}
		}
		finally {
			release.countDown();
		}
		for (CompletableFuture<String> reply : waiting) {
			assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo("late");
		}
		assertThat(blocked).hasValue(20);
	}

	@Test
	void concurrencyIsExactPerListenerOnTheSameDispatcher() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		Occupancy one = new Occupancy();
		Occupancy three = new Occupancy();
		BusListenerContainer single = this.registry
			.registerListener(SimpleBusListenerEndpoint.of("single", "shared.single", (message) -> one.hold(release)));
		BusListenerContainer triple = this.registry
			.registerListener(SimpleBusListenerEndpoint.of("triple", "shared.triple", (message) -> three.hold(release))
				.concurrency(3));
		await().atMost(TIMEOUT).until(() -> single.isSubscribed() && triple.isSubscribed());
		List<CompletableFuture<String>> replies = new ArrayList<>();
		for (int i = 0; i < 9; i++) {
			replies.add(bus.requestAsync("shared.single", "x", String.class, Duration.ofSeconds(30)));
			replies.add(bus.requestAsync("shared.triple", "x", String.class, Duration.ofSeconds(30)));
		}
		// Under load each runs exactly as many as its concurrency, no more.
		await().atMost(TIMEOUT).until(() -> one.running.get() == 1 && three.running.get() == 3);
		await().atMost(TIMEOUT).until(() -> single.getPendingMessages() == 8 && triple.getPendingMessages() == 6);
		assertThat(single.getBusyWorkers()).isEqualTo(1);
		assertThat(triple.getBusyWorkers()).isEqualTo(3);
		release.countDown();
		for (CompletableFuture<String> reply : replies) {
			assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo("done");
		}
		assertThat(one.most).hasValue(1);
		assertThat(three.most).hasValue(3);
	}

	@Test
	void pausingOrStoppingOneListenerLeavesItsSiblingsServing() {
		BusListenerContainer first = this.registry
			.registerListener(SimpleBusListenerEndpoint.of("first", "shared.first", (message) -> "first"));
		BusListenerContainer second = this.registry
			.registerListener(SimpleBusListenerEndpoint.of("second", "shared.second", (message) -> "second"));
		await().atMost(TIMEOUT).until(() -> first.isSubscribed() && second.isSubscribed());
		Connection connection = first.getConnection();
		assertThat(this.factory.getDispatchersPerConnection()).isEqualTo(1);

		assertThat(this.registry.pause("first")).isTrue();
		assertThatExceptionOfType(BusNoRespondersException.class)
			.isThrownBy(() -> bus.request("shared.first", "x", String.class, TIMEOUT));
		assertThat(bus.request("shared.second", "x", String.class, TIMEOUT)).isEqualTo("second");
		this.registry.resume("first");
		await().atMost(TIMEOUT)
			.untilAsserted(
					() -> assertThat(bus.request("shared.first", "x", String.class, TIMEOUT)).isEqualTo("first"));

		assertThat(this.registry.stop("second")).isTrue();
		assertThatExceptionOfType(BusNoRespondersException.class)
			.isThrownBy(() -> bus.request("shared.second", "x", String.class, TIMEOUT));
		assertThat(bus.request("shared.first", "x", String.class, TIMEOUT)).isEqualTo("first");
		this.registry.start("second");
		await().atMost(TIMEOUT)
			.untilAsserted(
					() -> assertThat(bus.request("shared.second", "x", String.class, TIMEOUT)).isEqualTo("second"));
		assertThat(first.getConnection()).isSameAs(connection);
	}

	@Test
	void aFullDeliveryQueueDropsAndCountsWithoutStallingTheDispatcher() throws Exception {
		this.factory.setPendingMessageLimit(5);
		CountDownLatch release = new CountDownLatch(1);
		BusListenerContainer full = this.registry
			.registerListener(SimpleBusListenerEndpoint.of("full", "shared.full", (message) -> {
				release.await(30, TimeUnit.SECONDS);
				return null;
			}));
		BusListenerContainer sibling = this.registry
			.registerListener(SimpleBusListenerEndpoint.of("free", "shared.free", (message) -> "free"));
		await().atMost(TIMEOUT).until(() -> full.isSubscribed() && sibling.isSubscribed());
		Connection connection = full.getConnection();
		try {
			for (int i = 0; i < 50; i++) {
				connection.publish("shared.full", new byte[16]);
			}
			connection.flush(TIMEOUT);
			// One runs, five wait, the rest are dropped and counted; four wait and one
			// more
			// is dropped when the worker starts only after the dispatcher handed on all
			// 50.
			await().atMost(TIMEOUT)
				.until(() -> full.getBusyWorkers() == 1 && full.getDroppedCount() + full.getPendingMessages() == 49);
			assertThat(full.getPendingMessages()).isBetween(4L, 5L);
			assertThat(bus.request("shared.free", "x", String.class, TIMEOUT)).isEqualTo("free");
			assertThat(sibling.getDroppedCount()).isZero();
		}
		finally {
			release.countDown();
		}
		await().atMost(TIMEOUT).until(() -> full.getPendingMessages() == 0 && full.getBusyWorkers() == 0);
	}

	@Test
	void aSlowConsumerReportThatBlocksStallsNoListenerOfTheDispatcher() throws Exception {
		CountDownLatch reported = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		ErrorListener blocking = new ErrorListener() {
			@Override
			public void slowConsumerDetected(Connection connection, Consumer consumer) {
				reported.countDown();
				try {
					release.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		};
		NatsConnectionPool pool = NatsConnectionPool
			.connect(List.of(Options.builder().server(server.url()).errorListener(blocking).build()));
		BusListenerContainerFactory limited = new BusListenerContainerFactory(new JsonPayloadConverter());
		limited.setDispatchersPerConnection(1);
		limited.setPendingMessageLimit(5);
		BusListenerRegistry own = new BusListenerRegistry(pool, limited);
		BusListenerContainer full = own
			.registerListener(SimpleBusListenerEndpoint.of("reported", "shared.reported", (message) -> {
				release.await(30, TimeUnit.SECONDS);
				return null;
			}));
		BusListenerContainer sibling = own
			.registerListener(SimpleBusListenerEndpoint.of("unbothered", "shared.unbothered", (message) -> "free"));
		own.start();
		try {
			await().atMost(TIMEOUT).until(() -> full.isSubscribed() && sibling.isSubscribed());
			Connection connection = full.getConnection();
			for (int i = 0; i < 50; i++) {
				connection.publish("shared.reported", new byte[16]);
			}
			connection.flush(TIMEOUT);
			assertThat(reported.await(10, TimeUnit.SECONDS)).isTrue();
			// The error listener still blocks; the dispatcher carries on.
			for (int i = 0; i < 20; i++) {
				assertThat(bus.request("shared.unbothered", "x", String.class, TIMEOUT)).isEqualTo("free");
			}
			assertThat(release.getCount()).isOne();
			assertThat(full.getDroppedCount()).isBetween(44L, 45L);
		}
		finally {
			release.countDown();
			own.stop();
			pool.close();
		}
	}

	@Test
	void listenersLeftToASharedDispatcherThreadRunOnTheSharedListenerExecutor() throws Exception {
		DefaultBusTaskExecutors decorated = new DefaultBusTaskExecutors() {
			@Override
			public @Nullable TaskExecutor listenerExecutor(String listenerId, int concurrency) {
				// As the standard ones do for concurrency 1 on platform threads without a
				// decorator: leave it to the dispatcher thread.
				return (concurrency == 1) ? null : super.listenerExecutor(listenerId, concurrency);
			}
		};
		decorated.setTaskDecorator((task) -> () -> {
			DECORATED.set(true);
			try {
				task.run();
			}
			finally {
				DECORATED.remove();
			}
		});
		this.factory.setTaskExecutors(decorated);
		java.util.Map<String, String> seen = new java.util.concurrent.ConcurrentHashMap<>();
		BusListenerContainer shared = this.registry
			.registerListener(SimpleBusListenerEndpoint.of("decorated", "shared.decorated", (message) -> {
				seen.put(Thread.currentThread().getName(), String.valueOf(DECORATED.get()));
				return "ok";
			}));
		await().atMost(TIMEOUT).until(shared::isSubscribed);
		for (int i = 0; i < 5; i++) {
			assertThat(bus.request("shared.decorated", "x", String.class, TIMEOUT)).isEqualTo("ok");
		}
		assertThat(seen).isNotEmpty()
			.allSatisfy((thread, decoratedRun) -> assertThat(thread).startsWith("natsbus-listener-"))
			.containsValue("true")
			.doesNotContainValue("false");
	}

	@Test
	void theSharedListenerExecutorStartsEveryTaskAtOnce() throws Exception {
		TaskExecutor executor = new DefaultBusTaskExecutors().sharedListenerExecutor("natsbus-listener-");
		CountDownLatch running = new CountDownLatch(20);
		CountDownLatch release = new CountDownLatch(1);
		try {
			for (int i = 0; i < 20; i++) {
				executor.execute(() -> {
					running.countDown();
					try {
						release.await(30, TimeUnit.SECONDS);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				});
			}
			// Twenty blocked tasks run side by side: none waits in a queue.
			assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
		}
		finally {
			release.countDown();
			dev.natsbus.support.BusTaskExecutors.release(executor);
		}
	}

	@Test
	void theFirstInlineListenerOfAConnectionRunsOnADispatcherNoOtherJoins() throws Exception {
		BusListenerContainerFactory twoPerConnection = new BusListenerContainerFactory(new JsonPayloadConverter());
		BusListenerRegistry own = new BusListenerRegistry(context.getBean(NatsConnectionPool.class), twoPerConnection);
		CountDownLatch release = new CountDownLatch(1);
		java.util.Map<String, String> threads = new java.util.concurrent.ConcurrentHashMap<>();
		BusListenerContainer first = own
			.registerListener(SimpleBusListenerEndpoint.of("alone", "shared.alone", (message) -> {
				threads.put("alone", Thread.currentThread().getName());
				release.await(30, TimeUnit.SECONDS);
				return "alone";
			}));
		List<BusListenerContainer> others = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			String id = "other-" + i;
			others.add(own.registerListener(SimpleBusListenerEndpoint.of(id, "shared." + id, (message) -> {
				threads.put(id, Thread.currentThread().getName());
				return id;
			})));
		}
		own.start();
		try {
			await().atMost(TIMEOUT)
				.until(() -> first.isSubscribed() && others.stream().allMatch(BusListenerContainer::isSubscribed));
			CompletableFuture<String> blocked = bus.requestAsync("shared.alone", "x", String.class,
					Duration.ofSeconds(30));
			await().atMost(TIMEOUT).until(() -> threads.containsKey("alone"));
			// The others share the second dispatcher and hand off to workers; the blocked
			// one holds only its own dispatcher.
			for (int i = 0; i < 3; i++) {
				assertThat(bus.request("shared.other-" + i, "x", String.class, TIMEOUT)).isEqualTo("other-" + i);
				assertThat(threads.get("other-" + i)).startsWith("natsbus-listener-");
			}
			assertThat(threads.get("alone")).doesNotStartWith("natsbus-listener-");
			release.countDown();
			assertThat(blocked.get(10, TimeUnit.SECONDS)).isEqualTo("alone");
		}
		finally {
			release.countDown();
			own.stop();
		}
	}

	@Test
	void refusesFewerThanOneDispatcherPerConnection() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.factory.setDispatchersPerConnection(0))
			.withMessageContaining("dispatchers per connection must be at least 1, not 0");
	}

	private static int threadCount() {
		return ManagementFactory.getThreadMXBean().getThreadCount();
	}

	static final class Occupancy {

		final AtomicInteger running = new AtomicInteger();

		final AtomicInteger most = new AtomicInteger();

		String hold(CountDownLatch release) throws InterruptedException {
			this.most.accumulateAndGet(this.running.incrementAndGet(), Math::max);
			try {
				release.await(30, TimeUnit.SECONDS);
				return "done";
			}
			finally {
				this.running.decrementAndGet();
			}
		}

	}

}
