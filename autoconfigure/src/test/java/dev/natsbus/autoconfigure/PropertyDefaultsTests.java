package dev.natsbus.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.natsbus.BusListener;
import dev.natsbus.listener.BusListenerContainer;
import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServer;
import io.nats.client.Connection;
import io.nats.client.Consumer;
import io.nats.client.Nats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's property table, for the rows whose default or effect only a running bus
 * shows: the default servers, the listener pending limits (their defaults on the live
 * subscription, and that each limit is what drops messages), and {@code no-echo}.
 */
@Timeout(120)
class PropertyDefaultsTests {

	private static NatsServer server;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatsBusAutoConfiguration.class));

	@BeforeAll
	static void startServer() {
		server = NatsServer.builder().start();
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Test
	void serversDefaultToLocalhost4222() {
		NatsBusProperties bound = new Binder(new MapConfigurationPropertySource(Map.of())).bindOrCreate("natsbus",
				NatsBusProperties.class);
		assertThat(bound.getServers()).containsExactly("nats://localhost:4222");
		assertThat(new PropertiesNatsBusConnectionDetails(bound).getServers()).containsExactly("nats://localhost:4222");
	}

	@Test
	void pendingLimitsDefaultTo65536MessagesAnd64MB() {
		this.runner.withUserConfiguration(Blocked.class)
			.withPropertyValues("natsbus.servers=" + server.url())
			.run((context) -> {
				Consumer pending = pendingOf(container(context));
				assertThat(pending.getPendingMessageLimit()).isEqualTo(65_536);
				assertThat(pending.getPendingByteLimit()).isEqualTo(64L * 1024 * 1024);
			});
	}

	@Test
	void theDefaultPendingMessageLimitIsWhatDrops() {
		int sent = 70_000;
		this.runner.withUserConfiguration(Blocked.class)
			.withPropertyValues("natsbus.servers=" + server.url())
			.run((context) -> flood(context, sent, new byte[1], (container) -> {
				// One message is in the blocked handler, 65536 wait, the rest are
				// dropped.
				assertThat(container.getPendingMessages()).isEqualTo(65_536);
				assertThat(container.getDroppedCount()).isEqualTo(sent - 1 - 65_536);
			}));
	}

	@Test
	void thePendingByteLimitIsWhatDrops() {
		int sent = 100;
		byte[] body = new byte[1024];
		this.runner.withUserConfiguration(Blocked.class)
			.withPropertyValues("natsbus.servers=" + server.url(), "natsbus.listener.pending-bytes=16KB")
			.run((context) -> flood(context, sent, body, (container) -> {
				Consumer pending = pendingOf(container);
				assertThat(pending.getPendingByteLimit()).isEqualTo(16 * 1024);
				// Far below the message limit: only the bytes can have dropped these.
				assertThat(container.getDroppedCount()).isGreaterThanOrEqualTo(sent - 1 - 17);
				assertThat(pending.getPendingByteCount()).isLessThanOrEqualTo(16 * 1024 + 2 * body.length);
			}));
	}

	@Test
	void noEchoKeepsAConnectionsOwnMessagesFromItsOwnSubscriptions() {
		this.runner.withUserConfiguration(Broadcast.class)
			.withPropertyValues("natsbus.servers=" + server.url(), "natsbus.no-echo=true")
			.run((context) -> assertThat(ownAndForeign(context)).containsExactly("foreign"));
		this.runner.withUserConfiguration(Broadcast.class)
			.withPropertyValues("natsbus.servers=" + server.url())
			.run((context) -> assertThat(ownAndForeign(context)).containsExactly("own", "foreign"));
	}

	/**
	 * Sends "own" from the application's connection, then "foreign" from another one once
	 * the server has the first: what the broadcast listener received.
	 */
	private static List<String> ownAndForeign(AssertableApplicationContext context) throws Exception {
		assertThat(context).hasNotFailed();
		Broadcast listener = context.getBean(Broadcast.class);
		BusTemplate bus = context.getBean(BusTemplate.class);
		bus.send("defaults.echo", "own");
		bus.getConnectionPool().connection(0).orElseThrow().flush(Duration.ofSeconds(2));
		try (Connection raw = Nats.connect(server.url())) {
			raw.publish("defaults.echo", "foreign".getBytes());
			raw.flush(Duration.ofSeconds(2));
		}
		List<String> received = new java.util.ArrayList<>();
		while (!received.contains("foreign")) {
			String next = listener.received.poll(5, TimeUnit.SECONDS);
			assertThat(next).as("a message after %s", received).isNotNull();
			received.add(next);
		}
		return received;
	}

	/**
	 * Publishes {@code count} messages to the blocked listener, waits until each is held,
	 * dropped or being handled, checks, and lets the listener go.
	 */
	private static void flood(AssertableApplicationContext context, int count, byte[] body,
			ThrowingConsumer<BusListenerContainer> check) throws Exception {
		assertThat(context).hasNotFailed();
		Blocked blocked = context.getBean(Blocked.class);
		BusListenerContainer container = container(context);
		try (Connection raw = Nats.connect(server.url())) {
			raw.publish("defaults.blocked", body);
			assertThat(blocked.entered.await(10, TimeUnit.SECONDS)).isTrue();
			for (int i = 1; i < count; i++) {
				raw.publish("defaults.blocked", body);
			}
			raw.flush(Duration.ofSeconds(10));
			await().atMost(Duration.ofSeconds(30))
				.until(() -> 1 + container.getPendingMessages() + container.getDroppedCount() == count);
			check.accept(container);
		}
		finally {
			blocked.gate.countDown();
		}
	}

	private static BusListenerContainer container(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		BusListenerContainer container = context.getBean(BusListenerRegistry.class)
			.getListenerContainers()
			.iterator()
			.next();
		await().atMost(Duration.ofSeconds(10)).until(container::isSubscribed);
		return container;
	}

	/**
	 * What holds the listener's pending messages and enforces its limits: the jnats
	 * dispatcher of its own that the first listener of concurrency 1 of a connection
	 * keeps, or else its delivery queue on a shared dispatcher.
	 */
	private static Consumer pendingOf(BusListenerContainer container) {
		Object own = ReflectionTestUtils.getField(container, "exclusive");
		Object pending = (own != null) ? own : ReflectionTestUtils.getField(container, "deliveries");
		assertThat(pending).isInstanceOf(Consumer.class);
		return (Consumer) pending;
	}

	@FunctionalInterface
	interface ThrowingConsumer<T> {

		void accept(T value) throws Exception;

	}

	static class Blocked {

		final CountDownLatch entered = new CountDownLatch(1);

		final CountDownLatch gate = new CountDownLatch(1);

		final AtomicInteger handled = new AtomicInteger();

		@BusListener(subject = "defaults.blocked", concurrency = "1")
		void block(byte[] body) throws InterruptedException {
			this.entered.countDown();
			this.gate.await(60, TimeUnit.SECONDS);
			this.handled.incrementAndGet();
		}

	}

	static class Broadcast {

		final BlockingQueue<String> received = new LinkedBlockingQueue<>();

		@BusListener(subject = "defaults.echo", broadcast = true)
		void receive(String text) {
			this.received.add(text);
		}

	}

}
