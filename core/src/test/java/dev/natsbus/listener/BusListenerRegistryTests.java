package dev.natsbus.listener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.natsbus.BusListener;
import dev.natsbus.BusNoRespondersException;
import dev.natsbus.BusTestContext;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The listener registry against a real server: listeners by id, registered in code,
 * stopped, started, paused and resumed one at a time, containers made by a factory
 * configured in code.
 */
@Timeout(60)
class BusListenerRegistryTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private static NatsServer server;

	private static AnnotationConfigApplicationContext context;

	private static BusListenerRegistry registry;

	private static BusTemplate bus;

	@BeforeAll
	static void start() {
		server = NatsServer.builder().start();
		context = BusTestContext.start(server.url(), Handlers.class);
		registry = context.getBean(BusListenerRegistry.class);
		bus = context.getBean(BusTemplate.class);
	}

	@AfterAll
	static void stop() {
		context.close();
		server.close();
	}

	@Test
	void looksListenersUpById() {
		assertThat(registry.getListenerContainerIds()).contains("echo", "slow");
		BusListenerContainer echo = registry.getListenerContainer("echo").orElseThrow();
		assertThat(echo.getSubject()).isEqualTo("registry.echo");
		assertThat(echo.getQueue()).isEqualTo("q");
		assertThat(echo.getState()).isEqualTo(BusListenerContainer.State.RUNNING);
		assertThat(registry.getListenerContainer("nobody")).isEmpty();
		assertThatIllegalArgumentException().isThrownBy(() -> registry.pause("nobody"))
			.withMessageContaining("'nobody'")
			.withMessageContaining("echo");
	}

	@Test
	void refusesTwoListenersWithTheSameIdNamingBothMethods() {
		assertThatExceptionOfType(BeanCreationException.class)
			.isThrownBy(() -> BusTestContext.start(server.url(), Twins.class).close())
			.withMessageContaining("Two listeners have the id 'twin'")
			.withMessageContaining("Twins.first (bean")
			.withMessageContaining("Twins.second (bean");
	}

	@Test
	void registersAListenerInCode() {
		BusListenerContainer container = registry.registerListener(SimpleBusListenerEndpoint
			.of("coded", "registry.coded", (message) -> "coded:" + new String(message.getPayload()))
			.concurrency(2));
		await().atMost(TIMEOUT).until(container::isSubscribed);
		assertThat(bus.request("registry.coded", "hi", String.class, TIMEOUT)).isEqualTo("coded:hi");
		assertThat(container.getConcurrency()).isEqualTo(2);
		// A listener counts a success just after replying, hence the wait.
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(container.getStats().getRequests()).isEqualTo(1));
		assertThat(registry.getListenerContainer("coded")).containsSame(container);
	}

	@Test
	void stopsAndStartsOneListener() {
		registry.stop("toggled");
		assertThat(registry.getListenerContainer("toggled").orElseThrow().getState())
			.isEqualTo(BusListenerContainer.State.STOPPED);
		assertThatExceptionOfType(BusNoRespondersException.class)
			.isThrownBy(() -> bus.request("registry.toggled", "x", String.class, TIMEOUT));
		// The others go on.
		assertThat(bus.request("registry.echo", "still", String.class, TIMEOUT)).isEqualTo("still");
		registry.start("toggled");
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(bus.request("registry.toggled", "x", String.class, TIMEOUT))
				.isEqualTo("toggled:x"));
	}

	@Test
	void pauseHandlesWhatWasDeliveredTakesNothingNewAndResumeTakesMessagesAgain() throws Exception {
		Handlers handlers = context.getBean(Handlers.class);
		List<CompletableFuture<String>> inFlight = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			inFlight.add(bus.requestAsync("registry.slow", "job-" + i, String.class, Duration.ofSeconds(20)));
		}
		// All six are delivered before the pause: two run, four wait in the listener's
		// delivery queue.
		await().atMost(TIMEOUT).until(() -> handlers.slowStarted.get() == 2);
		await().atMost(TIMEOUT)
			.until(() -> registry.getListenerContainer("slow").orElseThrow().getPendingMessages() >= 3);
		CompletableFuture<Boolean> paused = CompletableFuture.supplyAsync(() -> registry.pause("slow"));
		handlers.release.countDown();
		assertThat(paused.get(20, TimeUnit.SECONDS)).isTrue();
		for (int i = 0; i < inFlight.size(); i++) {
			assertThat(inFlight.get(i).get(5, TimeUnit.SECONDS)).isEqualTo("slow:job-" + i);
		}
		BusListenerContainer slow = registry.getListenerContainer("slow").orElseThrow();
		assertThat(slow.getState()).isEqualTo(BusListenerContainer.State.PAUSED);
		assertThat(slow.isSubscribed()).isFalse();
		assertThatExceptionOfType(BusNoRespondersException.class)
			.isThrownBy(() -> bus.request("registry.slow", "later", String.class, TIMEOUT));
		registry.resume("slow");
		assertThat(slow.getState()).isEqualTo(BusListenerContainer.State.RUNNING);
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(bus.request("registry.slow", "again", String.class, TIMEOUT))
				.isEqualTo("slow:again"));
	}

	@Test
	void aFactoryConfiguredInCodeGivesItsSettingsToEndpointsWithoutTheirOwn() throws Exception {
		BusListenerContainerFactory factory = new BusListenerContainerFactory(
				new dev.natsbus.conversion.JsonPayloadConverter());
		factory.setConcurrency(3);
		factory.setQueue("custom");
		BusListenerRegistry own = new BusListenerRegistry(
				context.getBean(dev.natsbus.connection.NatsConnectionPool.class), factory);
		AtomicInteger running = new AtomicInteger();
		AtomicInteger most = new AtomicInteger();
		CountDownLatch release = new CountDownLatch(1);
		BusListenerContainer container = own
			.registerListener(SimpleBusListenerEndpoint.of("factory-made", "registry.factory", (message) -> {
				most.accumulateAndGet(running.incrementAndGet(), Math::max);
				release.await(10, TimeUnit.SECONDS);
				running.decrementAndGet();
				return null;
			}));
		own.start();
		try {
			assertThat(container.getQueue()).isEqualTo("custom");
			assertThat(container.getConcurrency()).isEqualTo(3);
			await().atMost(TIMEOUT).until(container::isSubscribed);
			List<CompletableFuture<byte[]>> replies = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				replies.add(bus.requestAsync("registry.factory", "x", byte[].class, Duration.ofSeconds(20)));
			}
			await().atMost(TIMEOUT).until(() -> running.get() == 3);
			release.countDown();
			for (CompletableFuture<byte[]> reply : replies) {
				assertThat(reply.get(10, TimeUnit.SECONDS)).isEmpty();
			}
			assertThat(most).hasValue(3);
		}
		finally {
			own.stop();
		}
	}

	@Test
	void aSlowConsumerReportFindsItsListenerInItsOwnRegistryOnly() throws Exception {
		BusListenerContainer echo = registry.getListenerContainer("echo").orElseThrow();
		try (AnnotationConfigApplicationContext other = BusTestContext.start(server.url(), "other", Map.of(),
				Handlers.class)) {
			BusListenerRegistry otherRegistry = other.getBean(BusListenerRegistry.class);
			BusListenerContainer otherEcho = otherRegistry.getListenerContainer("echo").orElseThrow();
			await().atMost(TIMEOUT).until(otherEcho::isSubscribed);
			// The delivery queue of a container is the consumer that a slow-consumer
			// report
			// names.
			Object deliveries = org.springframework.test.util.ReflectionTestUtils.getField(echo, "deliveries");
			assertThat(registry.getListenerContainer((io.nats.client.Consumer) deliveries)).containsSame(echo);
			assertThat(otherRegistry.getListenerContainer((io.nats.client.Consumer) deliveries)).isEmpty();
		}
		assertThat(bus.requestMessage("registry.echo", MessageBuilder.withPayload("m").build(), String.class, TIMEOUT)
			.getPayload()).isEqualTo("m");
	}

	static class Handlers {

		final CountDownLatch release = new CountDownLatch(1);

		final AtomicInteger slowStarted = new AtomicInteger();

		@BusListener(subject = "registry.echo", id = "echo")
		String echo(String text) {
			return text;
		}

		@BusListener(subject = "registry.toggled", id = "toggled")
		String toggled(String text) {
			return "toggled:" + text;
		}

		@BusListener(subject = "registry.slow", id = "slow", concurrency = "2")
		String slow(String text) throws InterruptedException {
			this.slowStarted.incrementAndGet();
			this.release.await(20, TimeUnit.SECONDS);
			return "slow:" + text;
		}

	}

	static class Twins {

		@BusListener(subject = "registry.twin.a", id = "twin")
		void first(String text) {
		}

		@BusListener(subject = "registry.twin.b", id = "twin")
		void second(String text) {
		}

	}

}
