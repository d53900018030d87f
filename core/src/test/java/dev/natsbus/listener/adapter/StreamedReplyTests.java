package dev.natsbus.listener.adapter;

import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import dev.natsbus.BusListener;
import dev.natsbus.BusRemoteException;
import dev.natsbus.BusReplies;
import dev.natsbus.BusReplies.EndedBy;
import dev.natsbus.BusTestContext;
import dev.natsbus.RequestMany;
import dev.natsbus.listener.BusListenerContainer;
import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServer;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.ParameterizedTypeReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Listeners that return a {@code Stream} or an {@code Iterable} against a real server:
 * one reply per element as the stream yields it, then the sentinel; an error reply when
 * the stream fails; nothing more once the caller's deadline has passed; one invocation in
 * the stats; a drain that waits for a stream in progress.
 */
@Timeout(120)
class StreamedReplyTests {

	private static final Duration LONG = Duration.ofSeconds(30);

	private static NatsServer server;

	private static AnnotationConfigApplicationContext context;

	private static BusTemplate bus;

	private static Streams streams;

	@BeforeAll
	static void start() {
		server = NatsServer.builder().start();
		context = BusTestContext.start(server.url(), "streams", Map.of(), Streams.class);
		bus = context.getBean(BusTemplate.class);
		streams = context.getBean(Streams.class);
	}

	@AfterAll
	static void stop() {
		context.close();
		server.close();
	}

	@Test
	void tenThousandElementsArriveInOrderEndedByTheSentinelAsOneInvocation() {
		TestObservationRegistry observations = TestObservationRegistry.create();
		BusListenerRegistry registry = context.getBean(BusListenerRegistry.class);
		registry.getContainerFactory().setObservationRegistry(observations);
		BusListenerContainer container = registry.getListenerContainer("count").orElseThrow();
		long before = container.getStats().getRequests();
		try {
			BusReplies<Integer> replies = bus.requestMany("streams.count", 10_000, Integer.class,
					RequestMany.sentinel().withMaxWait(LONG));
			assertThat(replies.endedBy()).isEqualTo(EndedBy.SENTINEL);
			assertThat(replies.errors()).isEmpty();
			assertThat(replies.values()).hasSize(10_000).isEqualTo(IntStream.range(0, 10_000).boxed().toList());
			await().atMost(LONG).until(() -> container.getStats().getRequests() == before + 1);
			assertThat(container.getStats().getErrors()).isZero();
			assertThat(observations).hasNumberOfObservationsWithNameEqualTo("natsbus.listener", 1)
				.hasObservationWithNameEqualTo("natsbus.listener")
				.that()
				.hasBeenStopped()
				.hasLowCardinalityKeyValue("natsbus.outcome", "success");
		}
		finally {
			registry.getContainerFactory().setObservationRegistry(null);
		}
	}

	@Test
	void aStreamThatFailsAfterFiveHundredElementsEndsWithAnErrorReply() {
		BusListenerContainer container = context.getBean(BusListenerRegistry.class)
			.getListenerContainer("failing")
			.orElseThrow();
		long errorsBefore = container.getStats().getErrors();
		BusReplies<Integer> replies = bus.requestMany("streams.failing", 500, Integer.class,
				RequestMany.sentinel().withMaxWait(LONG));
		assertThat(replies.values()).isEqualTo(IntStream.range(0, 500).boxed().toList());
		assertThat(replies.errors()).singleElement().isInstanceOfSatisfying(BusRemoteException.class, (error) -> {
			assertThat(error.getErrorCode()).isEqualTo(500);
			// Safe by default: the caller learns which listener failed, the log line the
			// why.
			assertThat(error.getRemoteMessage()).startsWith("Listener 'failing' failed (error id ");
		});
		// An error reply ends a streamed reply: the caller does not wait out its time.
		assertThat(replies.endedBy()).isEqualTo(EndedBy.SENTINEL);
		assertThat(replies.elapsed()).isLessThan(Duration.ofSeconds(10));
		await().atMost(LONG).until(() -> container.getStats().getErrors() == errorsBefore + 1);
		assertThat(container.getStats().getLastError()).startsWith("500:Listener 'failing' failed (error id ");
	}

	@Test
	void repliesArePublishedAsTheStreamYieldsThemNotBufferedFirst() throws Exception {
		// The stream waits at every 1,000th element until the caller has read everything
		// before it: a listener that gathered its replies first would never get there. So
		// at most 1,000 replies are ever on their way, and the elements already sent can
		// be
		// collected while the stream goes on.
		try (Connection caller = Nats.connect(server.url())) {
			AtomicLong received = new AtomicLong();
			CountDownLatch ended = new CountDownLatch(1);
			String inbox = caller.createInbox();
			caller.createDispatcher((message) -> {
				if (message.getData().length == 0) {
					ended.countDown();
				}
				else {
					received.incrementAndGet();
				}
			}).subscribe(inbox);
			caller.flush(LONG);
			streams.gatedReceived = received;
			caller.publish("streams.gated", inbox, "go".getBytes());
			assertThat(ended.await(60, TimeUnit.SECONDS)).as("the sentinel arrived").isTrue();
			assertThat(received).hasValue(10_000);
		}
		assertThat(streams.gateFailure.get()).as("the caller kept up with the stream").isNull();
		assertThat(streams.earlyElementsCollected.get()).as("elements already sent were not retained").isTrue();
		long grown = streams.heapAtNineThousand.get() - streams.heapAtOneThousand.get();
		System.out.printf(
				"STREAM | 10,000 x 16 KiB streamed | heap after GC at element 1,000: %d KiB,"
						+ " at 9,000: %d KiB, growth %d KiB%n",
				streams.heapAtOneThousand.get() / 1024, streams.heapAtNineThousand.get() / 1024, grown / 1024);
		// 10,000 elements of 16 KiB are 160 MiB; at most 1,000 of them (16 MiB) are ever
		// held.
		assertThat(grown).as("heap growth between elements 1,000 and 9,000").isLessThan(64L * 1024 * 1024);
	}

	@Test
	void aStreamStopsProducingOnceTheCallersDeadlineHasPassed() throws Exception {
		streams.slowClosed = new CountDownLatch(1);
		streams.slowProduced.set(0);
		BusReplies<Integer> replies = bus.requestMany("streams.slow", "", Integer.class,
				RequestMany.sentinel().withMaxWait(Duration.ofMillis(300)));
		assertThat(replies.endedBy()).isEqualTo(EndedBy.MAX_WAIT);
		assertThat(replies.values()).isNotEmpty().hasSizeLessThan(100);
		assertThat(streams.slowClosed.await(10, TimeUnit.SECONDS)).as("the stream was closed").isTrue();
		// 100 elements 50 ms apart would take 5 s; the stream ends soon after the 300 ms.
		assertThat(streams.slowProduced.get()).isLessThan(30);
	}

	@Test
	void anEmptyElementIsAnErrorSinceEmptyIsTheSentinel() {
		BusReplies<String> replies = bus.requestMany("streams.empty", "", String.class,
				RequestMany.sentinel().withMaxWait(LONG));
		assertThat(replies.values()).containsExactly("a");
		assertThat(replies.errors()).singleElement()
			.isInstanceOfSatisfying(BusRemoteException.class,
					(error) -> assertThat(error.getErrorCode()).isEqualTo(500));
		assertThat(replies.endedBy()).isEqualTo(EndedBy.SENTINEL);
	}

	@Test
	void anIterableReturnTypeStreamsWhileAListStaysOneReply() {
		BusReplies<String> iterable = bus.requestMany("streams.iterable", "", String.class,
				RequestMany.sentinel().withMaxWait(LONG));
		assertThat(iterable.values()).containsExactly("x", "y", "z");
		assertThat(iterable.endedBy()).isEqualTo(EndedBy.SENTINEL);
		assertThat(bus.request("streams.list", "", new ParameterizedTypeReference<List<String>>() {
		})).containsExactly("x", "y", "z");
		// Elements may carry headers of their own.
		BusReplies<String> quoted = bus.requestMany("streams.messages", "", String.class,
				RequestMany.sentinel().withMaxWait(LONG));
		assertThat(quoted.values()).containsExactly("one", "two");
	}

	@Test
	void aStreamReturnedForAPlainSendIsClosedNotRead() {
		streams.eventClosed.set(false);
		streams.eventProduced.set(0);
		bus.send("streams.event", "");
		await().atMost(LONG).untilTrue(streams.eventClosed);
		assertThat(streams.eventProduced).hasValue(0);
	}

	@Test
	void aDrainWaitsForAStreamInProgress() throws Exception {
		AnnotationConfigApplicationContext serving = BusTestContext.start(server.url(), "draining", Map.of(),
				Draining.class);
		Draining draining = serving.getBean(Draining.class);
		// The request goes out on another connection: the server must have the
		// subscription first.
		serving.getBean(dev.natsbus.connection.NatsConnectionPool.class).flush(LONG);
		CompletableFuture<BusReplies<Integer>> gathering = bus.requestManyAsync("streams.draining", "", Integer.class,
				RequestMany.sentinel().withMaxWait(LONG));
		await().atMost(LONG).until(() -> draining.produced.get() >= 2);
		CompletableFuture<Void> closed = CompletableFuture.runAsync(serving::close);
		BusReplies<Integer> replies = gathering.get(20, TimeUnit.SECONDS);
		closed.get(20, TimeUnit.SECONDS);
		assertThat(replies.values()).isEqualTo(IntStream.range(0, 20).boxed().toList());
		assertThat(replies.endedBy()).isEqualTo(EndedBy.SENTINEL);
	}

	static class Streams {

		volatile AtomicLong gatedReceived = new AtomicLong();

		final AtomicBoolean earlyElementsCollected = new AtomicBoolean();

		final java.util.concurrent.atomic.AtomicReference<String> gateFailure = new java.util.concurrent.atomic.AtomicReference<>();

		final AtomicLong heapAtOneThousand = new AtomicLong();

		final AtomicLong heapAtNineThousand = new AtomicLong();

		volatile CountDownLatch slowClosed = new CountDownLatch(1);

		final AtomicInteger slowProduced = new AtomicInteger();

		final AtomicBoolean eventClosed = new AtomicBoolean();

		final AtomicInteger eventProduced = new AtomicInteger();

		@BusListener(subject = "streams.count", id = "count")
		Stream<Integer> count(int count) {
			return IntStream.range(0, count).boxed();
		}

		@BusListener(subject = "streams.failing", id = "failing")
		Stream<Integer> failing(int failAfter) {
			return IntStream.range(0, failAfter + 100).boxed().peek((i) -> {
				if (i == failAfter) {
					throw new IllegalStateException("the source dried up after " + failAfter);
				}
			});
		}

		@BusListener("streams.gated")
		Stream<byte[]> gated() {
			List<WeakReference<byte[]>> early = new ArrayList<>();
			return IntStream.range(0, 10_000).mapToObj((i) -> {
				if (i > 0 && i % 1000 == 0) {
					awaitCaller(i);
				}
				if (i == 1000) {
					this.heapAtOneThousand.set(usedHeapAfterGc());
				}
				if (i == 9000) {
					this.heapAtNineThousand.set(usedHeapAfterGc());
					this.earlyElementsCollected.set(early.stream().allMatch((ref) -> ref.get() == null));
				}
				byte[] element = new byte[16 * 1024];
				Arrays.fill(element, (byte) (i % 127 + 1));
				if (i < 100) {
					early.add(new WeakReference<>(element));
				}
				return element;
			});
		}

		private void awaitCaller(int produced) {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
			while (this.gatedReceived.get() < produced) {
				if (System.nanoTime() > deadline) {
					this.gateFailure.compareAndSet(null,
							"the caller had " + this.gatedReceived.get() + " of " + produced + " replies after 20 s");
					return;
				}
				try {
					Thread.sleep(1);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}

		private static long usedHeapAfterGc() {
			System.gc();
			return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
		}

		@BusListener("streams.slow")
		Stream<Integer> slow() {
			CountDownLatch closed = this.slowClosed;
			return IntStream.range(0, 100).boxed().peek((i) -> {
				this.slowProduced.incrementAndGet();
				try {
					Thread.sleep(50);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}).onClose(closed::countDown);
		}

		@BusListener("streams.empty")
		Stream<String> empty() {
			return Stream.of("a", "", "c");
		}

		@BusListener("streams.iterable")
		Iterable<String> iterable() {
			return List.of("x", "y", "z");
		}

		@BusListener("streams.list")
		List<String> list() {
			return List.of("x", "y", "z");
		}

		@BusListener("streams.messages")
		Stream<org.springframework.messaging.Message<String>> messages() {
			return Stream.of("one", "two")
				.map((text) -> org.springframework.messaging.support.MessageBuilder.withPayload(text)
					.setHeader("X-Element", text)
					.build());
		}

		@BusListener("streams.event")
		Stream<Integer> event() {
			return Stream.of(1, 2, 3)
				.peek((i) -> this.eventProduced.incrementAndGet())
				.onClose(() -> this.eventClosed.set(true));
		}

	}

	static class Draining {

		final AtomicInteger produced = new AtomicInteger();

		@BusListener("streams.draining")
		Stream<Integer> draining() {
			return IntStream.range(0, 20).boxed().peek((i) -> {
				this.produced.incrementAndGet();
				try {
					Thread.sleep(50);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
		}

	}

}
