package dev.natsbus.autoconfigure.threads;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.natsbus.BusListener;
import dev.natsbus.RequestMany;
import dev.natsbus.autoconfigure.NatsBusAutoConfiguration;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServerExtension;
import dev.natsbus.test.RequiresJava21;
import dev.natsbus.test.VirtualThreads;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hot path on virtual threads (a listener invocation that blocks in a nested request,
 * blocking, asynchronous and request-many calls, their completions) never pins its
 * carrier thread: a JFR recording of {@code jdk.VirtualThreadPinned} events, with no
 * threshold, stays empty.
 */
@RequiresJava21
@Timeout(120)
class VirtualThreadPinningTests {

	private static final String PINNED = "jdk.VirtualThreadPinned";

	@RegisterExtension
	static final NatsServerExtension nats = NatsServerExtension.server();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatsBusAutoConfiguration.class))
		.withUserConfiguration(BlockingListeners.class)
		.withPropertyValues("natsbus.servers=" + nats.url(), "spring.threads.virtual.enabled=true");

	@Test
	void blockingListenersAndCallersOnVirtualThreadsPinNoCarrier(@TempDir Path directory) {
		this.runner.run((context) -> {
			BusTemplate bus = context.getBean(BusTemplate.class);
			// Every kind of call once first: loading and initializing classes may pin,
			// and happens once, not on the hot path.
			runCallers(bus, 3);
			List<RecordedEvent> pinned;
			try (Recording recording = new Recording()) {
				recording.enable(PINNED).withThreshold(Duration.ZERO).withStackTrace();
				recording.start();
				runCallers(bus, 200);
				recording.stop();
				Path file = directory.resolve("pinning.jfr");
				recording.dump(file);
				pinned = RecordingFile.readAllEvents(file)
					.stream()
					.filter((event) -> PINNED.equals(event.getEventType().getName()))
					.toList();
				Files.delete(file);
			}
			assertThat(pinned).as(() -> "pinned virtual threads:\n" + describe(pinned)).isEmpty();
		});
	}

	private static void runCallers(BusTemplate bus, int callers) throws Exception {
		ExecutorService virtual = VirtualThreads.newVirtualThreadPerTaskExecutor();
		try {
			List<Future<String>> replies = new ArrayList<>();
			for (int i = 0; i < callers; i++) {
				String payload = "c" + i;
				int kind = i % 3;
				replies.add(virtual.submit(() -> switch (kind) {
					case 0 -> bus.requestAsync("pin.outer", payload, String.class, Duration.ofSeconds(30))
						.thenApply(String::valueOf)
						.get(30, TimeUnit.SECONDS);
					case 1 -> bus.requestMany("pin.outer", payload, String.class,
							RequestMany.maxReplies(1).withMaxWait(Duration.ofSeconds(30)))
						.values()
						.get(0);
					default -> bus.request("pin.outer", payload, String.class, Duration.ofSeconds(30));
				}));
			}
			for (int i = 0; i < callers; i++) {
				assertThat(replies.get(i).get(60, TimeUnit.SECONDS)).isEqualTo("outer(inner(c" + i + "))");
			}
		}
		finally {
			virtual.shutdownNow();
		}
	}

	private static String describe(List<RecordedEvent> events) {
		return events.stream()
			.limit(5)
			.map((event) -> (event.getStackTrace() != null) ? event.getStackTrace()
				.getFrames()
				.stream()
				.limit(25)
				.map(RecordedFrame::toString)
				.collect(Collectors.joining("\n  ", "  ", "")) : "(no stack trace)")
			.collect(Collectors.joining("\n---\n"));
	}

	@Configuration(proxyBeanMethods = false)
	static class BlockingListeners {

		@Bean
		Handlers pinningHandlers(ObjectProvider<BusTemplate> bus) {
			return new Handlers(bus);
		}

		static class Handlers {

			private final ObjectProvider<BusTemplate> bus;

			Handlers(ObjectProvider<BusTemplate> bus) {
				this.bus = bus;
			}

			/**
			 * Blocks its thread in a nested request, as a listener calling another
			 * service does.
			 */
			@BusListener(subject = "pin.outer", concurrency = "16")
			String outer(String payload) {
				return "outer(" + this.bus.getObject().request("pin.inner", payload, String.class) + ")";
			}

			@BusListener(subject = "pin.inner", concurrency = "8")
			String inner(String payload) {
				return "inner(" + payload + ")";
			}

		}

	}

}
