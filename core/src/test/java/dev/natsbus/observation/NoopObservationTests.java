package dev.natsbus.observation;

import java.util.Map;

import dev.natsbus.BusTestContext;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.natsbus.template.BusTemplate;
import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.test.NatsServer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With a no-op registry the bus does no observation work: beyond asking {@code isNoop()}
 * it never touches the registry (no observation, no context, no current-observation
 * lookup), and no trace header goes on the wire.
 */
@Timeout(30)
class NoopObservationTests {

	private static NatsServer server;

	private static AnnotationConfigApplicationContext context;

	private static BusTemplate bus;

	@BeforeAll
	static void start() {
		server = NatsServer.builder().start();
		context = BusTestContext.start(server.url(), "noop-test", Map.of(), ObservedHandlers.class);
		bus = context.getBean(BusTemplate.class);
	}

	@AfterAll
	static void stop() {
		context.close();
		server.close();
	}

	@Test
	void defaultRegistryIsNoopAndAddsNoHeaders() {
		assertThat(bus.request("obs.traceparent", "", String.class)).isEqualTo("none");
	}

	@Test
	void noopRegistryIsOnlyAskedWhetherItIsNoop() throws Exception {
		CountingNoopRegistry registry = new CountingNoopRegistry();
		bus.setObservationRegistry(registry);
		context.getBean(BusListenerRegistry.class).getContainerFactory().setObservationRegistry(registry);
		try {
			ObservedHandlers handlers = context.getBean(ObservedHandlers.class);
			assertThat(bus.request("obs.greet.noop", "noop", String.class)).isEqualTo("hello noop");
			assertThat(bus.requestAsync("obs.greet.async", "async", String.class).get(5, TimeUnit.SECONDS))
				.isEqualTo("hello async");
			assertThat(bus.request("obs.traceparent", "", String.class)).isEqualTo("none");
			bus.send("obs.events", "noop-event");
			await().atMost(Duration.ofSeconds(5)).until(() -> handlers.events.contains("noop-event"));
			// Every operation, on both sides, asked once.
			assertThat(registry.noopChecks.get()).isGreaterThanOrEqualTo(8);
			assertThat(registry.otherCalls.get()).isZero();
		}
		finally {
			bus.setObservationRegistry(ObservationRegistry.NOOP);
			context.getBean(BusListenerRegistry.class)
				.getContainerFactory()
				.setObservationRegistry(ObservationRegistry.NOOP);
		}
	}

	@Test
	void registryWithoutHandlersIsNoop() {
		ObservationRegistry registry = ObservationRegistry.create();
		bus.setObservationRegistry(registry);
		try {
			assertThat(bus.request("obs.traceparent", "", String.class)).isEqualTo("none");
		}
		finally {
			bus.setObservationRegistry(ObservationRegistry.NOOP);
		}
	}

	/** A registry that is no-op and counts every call other than {@code isNoop()}. */
	static final class CountingNoopRegistry implements ObservationRegistry {

		final AtomicInteger noopChecks = new AtomicInteger();

		final AtomicInteger otherCalls = new AtomicInteger();

		@Override
		public boolean isNoop() {
			this.noopChecks.incrementAndGet();
			return true;
		}

		@Override
		public Observation getCurrentObservation() {
			this.otherCalls.incrementAndGet();
			return null;
		}

		@Override
		public Observation.Scope getCurrentObservationScope() {
			this.otherCalls.incrementAndGet();
			return null;
		}

		@Override
		public void setCurrentObservationScope(Observation.Scope current) {
			this.otherCalls.incrementAndGet();
		}

		@Override
		public ObservationConfig observationConfig() {
			this.otherCalls.incrementAndGet();
			return ObservationRegistry.NOOP.observationConfig();
		}

	}

}
