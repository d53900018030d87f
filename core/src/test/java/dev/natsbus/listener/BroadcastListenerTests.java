package dev.natsbus.listener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.natsbus.BusListener;
import dev.natsbus.BusReplies;
import dev.natsbus.BusTestContext;
import dev.natsbus.RequestMany;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServer;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Broadcast listeners against a real server: three applications each declare a broadcast
 * listener and a queue listener on sibling subjects; every broadcast listener gets every
 * message, the queue listeners share theirs, and an application that joins later gets
 * only what was sent after it subscribed.
 */
@Timeout(90)
class BroadcastListenerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static NatsServer server;

	private static final List<AnnotationConfigApplicationContext> apps = new ArrayList<>();

	@BeforeAll
	static void start() {
		server = NatsServer.builder().start();
		for (int i = 0; i < 3; i++) {
			apps.add(BusTestContext.start(server.url(), "app" + i, Map.of(), Handlers.class));
		}
		apps.forEach(BroadcastListenerTests::flush);
	}

	/**
	 * Once its connection is flushed, the server has the subscriptions of an application:
	 * a message another connection sends after that reaches them.
	 */
	private static void flush(AnnotationConfigApplicationContext app) {
		app.getBean(NatsConnectionPool.class).flush(TIMEOUT);
	}

	@AfterAll
	static void stop() {
		apps.forEach(AnnotationConfigApplicationContext::close);
		server.close();
	}

	@Test
	void everyBroadcastListenerGetsEveryMessageWhileQueueListenersShareThem() {
		BusTemplate bus = apps.get(0).getBean(BusTemplate.class);
		List<Handlers> first = handlers();
		first.forEach(Handlers::reset);
		for (int i = 0; i < 1000; i++) {
			bus.send("patterns.event", "e" + i);
			bus.send("patterns.work", "w" + i);
		}
		await().atMost(TIMEOUT).until(() -> first.stream().allMatch((h) -> h.events.get() >= 1000));
		await().atMost(TIMEOUT).until(() -> first.stream().mapToInt((h) -> h.work.get()).sum() >= 1000);
		// Exactly: the counts hold once everything was delivered.
		await().during(Duration.ofMillis(300)).atMost(TIMEOUT).untilAsserted(() -> {
			assertThat(first).allSatisfy((h) -> assertThat(h.events).hasValue(1000));
			assertThat(first.stream().mapToInt((h) -> h.work.get()).sum()).isEqualTo(1000);
		});
		assertThat(first).allSatisfy((h) -> assertThat(h.work.get()).isLessThan(1000));
		// Each instance answers a request-many on a broadcast subject with its own count.
		assertThat(bus.requestMany("patterns.event.count", "", Integer.class, RequestMany.maxReplies(3)).values())
			.containsOnly(1000);

		// A fourth application joins: it gets only what is sent after it subscribed.
		try (AnnotationConfigApplicationContext late = BusTestContext.start(server.url(), "late", Map.of(),
				Handlers.class)) {
			Handlers latecomer = late.getBean(Handlers.class);
			await().atMost(TIMEOUT)
				.until(() -> late.getBean(BusListenerRegistry.class)
					.getListenerContainers()
					.stream()
					.allMatch(BusListenerContainer::isSubscribed));
			flush(late);
			for (int i = 0; i < 100; i++) {
				bus.send("patterns.event", "later" + i);
			}
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(
						bus.requestMany("patterns.event.count", "", Integer.class, RequestMany.maxReplies(4)).values())
					.containsExactlyInAnyOrder(1100, 1100, 1100, 100));
			assertThat(latecomer.events).hasValue(100);
		}
	}

	@Test
	void aBroadcastListenerThatReturnsAValueAnswersEachRequestOncePerInstance() {
		BusTemplate bus = apps.get(1).getBean(BusTemplate.class);
		assertThat(bus.request("patterns.event.whoami", "", String.class, TIMEOUT)).startsWith("app");
		BusReplies<String> all = bus.requestMany("patterns.event.whoami", "", String.class,
				RequestMany.maxReplies(3).withMaxWait(TIMEOUT));
		assertThat(all.values()).containsExactlyInAnyOrder("app0-0", "app1-0", "app2-0");
		assertThat(all.endedBy()).isEqualTo(BusReplies.EndedBy.MAX_REPLIES);
	}

	@Test
	void fiveBroadcastListenersAndMaxRepliesFiveReturnFiveValuesWithoutWaitingOutTheTime() {
		List<BusListenerContainer> five = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			int value = i;
			BusListenerRegistry registry = apps.get(i % apps.size()).getBean(BusListenerRegistry.class);
			five.add(registry.registerListener(
					SimpleBusListenerEndpoint.of("five-" + i, "patterns.five", (m) -> value).broadcast()));
		}
		await().atMost(TIMEOUT).until(() -> five.stream().allMatch(BusListenerContainer::isSubscribed));
		apps.forEach(BroadcastListenerTests::flush);
		BusReplies<Integer> replies = apps.get(0)
			.getBean(BusTemplate.class)
			.requestMany("patterns.five", "", Integer.class, RequestMany.maxReplies(5).withMaxWait(TIMEOUT));
		assertThat(replies.values()).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
		assertThat(replies.endedBy()).isEqualTo(BusReplies.EndedBy.MAX_REPLIES);
		assertThat(replies.elapsed()).isLessThan(Duration.ofSeconds(2));
	}

	@Test
	void aBroadcastContainerSubscribesInNoQueueGroup() {
		BusListenerRegistry registry = apps.get(0).getBean(BusListenerRegistry.class);
		BusListenerContainer event = registry.getListenerContainer("event").orElseThrow();
		assertThat(event.isBroadcast()).isTrue();
		assertThat(event.getQueue()).isNull();
		assertThat(event.getEndpoint().isBroadcast()).isTrue();
		BusListenerContainer work = registry.getListenerContainer("work").orElseThrow();
		assertThat(work.isBroadcast()).isFalse();
		assertThat(work.getQueue()).isEqualTo("q");
	}

	@Test
	void broadcastWithAQueueFailsStartUpNamingTheBeanAndMethod() {
		assertThatExceptionOfType(BeanCreationException.class)
			.isThrownBy(() -> BusTestContext.start(server.url(), BroadcastInAQueue.class).close())
			.withMessageContaining("BroadcastInAQueue.prices")
			.withMessageContaining("bean '")
			.withMessageContaining("broadcast = true")
			.withMessageContaining("'audit'");
	}

	@Test
	void aBroadcastEndpointInCodeHasNoQueue() {
		assertThatIllegalStateException()
			.isThrownBy(() -> SimpleBusListenerEndpoint.of("x", "patterns.x", (m) -> null).queue("q").broadcast())
			.withMessageContaining("'q'");
		assertThatIllegalStateException()
			.isThrownBy(() -> SimpleBusListenerEndpoint.of("x", "patterns.x", (m) -> null).broadcast().queue("q"))
			.withMessageContaining("broadcast");
		BusListenerEndpoint inconsistent = new BusListenerEndpoint() {

			@Override
			public String getId() {
				return "inconsistent";
			}

			@Override
			public String getSubject() {
				return "patterns.inconsistent";
			}

			@Override
			public String getQueue() {
				return "q";
			}

			@Override
			public boolean isBroadcast() {
				return true;
			}

			@Override
			public Integer getConcurrency() {
				return null;
			}

			@Override
			public dev.natsbus.listener.adapter.ListenerInvocation createInvocation(
					dev.natsbus.listener.adapter.BusHandlerMethodFactory factory,
					dev.natsbus.listener.adapter.IncomingMessages incoming) {
				return (message) -> null;
			}

			@Override
			public String describe() {
				return "listener 'inconsistent'";
			}

		};
		BusListenerRegistry registry = apps.get(0).getBean(BusListenerRegistry.class);
		assertThatIllegalArgumentException().isThrownBy(() -> registry.registerListener(inconsistent))
			.withMessageContaining("listener 'inconsistent' has queue 'q'");
		BusListenerContainer coded = registry.registerListener(
				SimpleBusListenerEndpoint.of("coded-broadcast", "patterns.coded", (m) -> "coded").broadcast());
		await().atMost(TIMEOUT).until(coded::isSubscribed);
		assertThat(coded.isBroadcast()).isTrue();
	}

	@Test
	void aRawSubscriberAndTheBroadcastListenersAllGetAnEvent() throws Exception {
		try (Connection raw = Nats.connect(server.url())) {
			AtomicInteger seen = new AtomicInteger();
			raw.createDispatcher((Message m) -> seen.incrementAndGet()).subscribe("patterns.event");
			raw.flush(TIMEOUT);
			List<Handlers> all = handlers();
			int[] before = all.stream().mapToInt((h) -> h.events.get()).toArray();
			apps.get(2).getBean(BusTemplate.class).send("patterns.event", "one");
			await().atMost(TIMEOUT).until(() -> seen.get() == 1);
			for (int i = 0; i < all.size(); i++) {
				int index = i;
				await().atMost(TIMEOUT).until(() -> all.get(index).events.get() == before[index] + 1);
			}
		}
	}

	private static List<Handlers> handlers() {
		return apps.stream().map((app) -> app.getBean(Handlers.class)).toList();
	}

	static class Handlers {

		final AtomicInteger events = new AtomicInteger();

		final AtomicInteger work = new AtomicInteger();

		private final String name;

		Handlers(org.springframework.core.env.Environment environment) {
			this.name = environment.getRequiredProperty("test.nats.name") + "-0";
		}

		void reset() {
			this.events.set(0);
			this.work.set(0);
		}

		@BusListener(subject = "patterns.event", id = "event", broadcast = true)
		void event(String payload) {
			this.events.incrementAndGet();
		}

		@BusListener(subject = "patterns.work", id = "work")
		void work(String payload) {
			this.work.incrementAndGet();
		}

		@BusListener(subject = "patterns.event.count", broadcast = true)
		int count() {
			return this.events.get();
		}

		@BusListener(subject = "patterns.event.whoami", broadcast = true)
		String whoami() {
			return this.name;
		}

	}

	static class BroadcastInAQueue {

		@BusListener(subject = "patterns.prices", queue = "audit", broadcast = true)
		void prices(String price) {
		}

	}

}
