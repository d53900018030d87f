package dev.natsbus.autoconfigure.actuate;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import dev.natsbus.BusNoRespondersException;
import dev.natsbus.BusOperations;
import dev.natsbus.listener.BusListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Pausing the gated listener, the only member of its queue group, while it holds
 * delivered messages, then resuming it; {@code pause} and {@code resume} answer the state
 * the endpoint reports afterwards.
 */
final class PauseScenario {

	private static final int DELIVERED = 4;

	private PauseScenario() {
	}

	static void pauseAndResume(BusOperations bus, EndpointTestListeners listeners, BusListenerContainer gated,
			Supplier<String> pause, Supplier<String> resume) throws Exception {
		listeners.closeGate();
		try {
			List<CompletableFuture<String>> delivered = IntStream.range(0, DELIVERED)
				.mapToObj((i) -> bus.requestAsync(EndpointTestListeners.GATED, "m" + i, String.class,
						Duration.ofSeconds(30)))
				.toList();
			// Concurrency 1 runs the handler on the dispatcher thread: one message in it,
			// the others waiting in the subscription.
			await().atMost(Duration.ofSeconds(10))
				.until(() -> gated.getBusyWorkers() == 1 && gated.getPendingMessages() == DELIVERED - 1);

			CompletableFuture<String> paused = CompletableFuture.supplyAsync(pause);
			// Unsubscribed on the server at once, while the delivered messages still
			// wait.
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThatExceptionOfType(BusNoRespondersException.class).isThrownBy(
						() -> bus.request(EndpointTestListeners.GATED, "probe", String.class, Duration.ofMillis(300))));
			assertThat(paused).as("pause answers once the delivered messages are handled").isNotDone();
			assertThat(delivered).noneMatch(CompletableFuture::isDone);

			listeners.openGate();
			assertThat(paused.get(15, TimeUnit.SECONDS)).isEqualTo("PAUSED");
			CompletableFuture.allOf(delivered.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
			assertThat(delivered.stream().map(CompletableFuture::join))
				.containsExactlyElementsOf(IntStream.range(0, DELIVERED).mapToObj((i) -> "m" + i).toList());
			assertThat(gated.getState()).isEqualTo(BusListenerContainer.State.PAUSED);
			assertThatExceptionOfType(BusNoRespondersException.class).isThrownBy(() -> bus
				.request(EndpointTestListeners.GATED, "while paused", String.class, Duration.ofSeconds(2)));

			assertThat(resume.get()).isEqualTo("RUNNING");
			assertThat(bus.request(EndpointTestListeners.GATED, "resumed", String.class, Duration.ofSeconds(5)))
				.isEqualTo("resumed");
		}
		finally {
			listeners.openGate();
		}
	}

}
