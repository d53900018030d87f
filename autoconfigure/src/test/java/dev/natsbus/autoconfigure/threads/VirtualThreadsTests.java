package dev.natsbus.autoconfigure.threads;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.natsbus.BusListener;
import dev.natsbus.autoconfigure.NatsBusAutoConfiguration;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServerExtension;
import dev.natsbus.test.RequiresJava21;
import dev.natsbus.test.VirtualThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code spring.threads.virtual.enabled=true} on Java 21+: every thread that runs user
 * code for the bus is virtual, {@code concurrency} still bounds a listener exactly, and
 * thousands of blocking callers on virtual threads need no platform thread each.
 */
@RequiresJava21
@Timeout(120)
class VirtualThreadsTests {

	@RegisterExtension
	static final NatsServerExtension nats = NatsServerExtension.server();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatsBusAutoConfiguration.class))
		.withUserConfiguration(Listeners.class)
		.withPropertyValues("natsbus.servers=" + nats.url(), "spring.threads.virtual.enabled=true");

	@Test
	void listenersOfEveryConcurrencyRunOnVirtualThreads() {
		this.runner.run((context) -> {
			BusTemplate bus = context.getBean(BusTemplate.class);
			assertThat(bus.request("vt.thread.single", "x", String.class)).startsWith("virtual natsbus-");
			assertThat(bus.request("vt.thread.pooled", "x", String.class)).startsWith("virtual natsbus-");
		});
	}

	@Test
	void platformThreadsWithoutTheProperty() {
		this.runner.withPropertyValues("spring.threads.virtual.enabled=false").run((context) -> {
			BusTemplate bus = context.getBean(BusTemplate.class);
			assertThat(bus.request("vt.thread.single", "x", String.class)).startsWith("platform ");
			assertThat(bus.request("vt.thread.pooled", "x", String.class)).startsWith("platform natsbus-");
		});
	}

	@Test
	void asynchronousRequestsCompleteOnVirtualThreads() {
		this.runner.run((context) -> {
			BusTemplate bus = context.getBean(BusTemplate.class);
			Listeners listeners = context.getBean(Listeners.class);
			// The reply waits until the stage is attached, so that the stage runs where
			// the future completes, not on this thread.
			CompletableFuture<String> thread = bus.requestAsync("vt.gated", "x", String.class, Duration.ofSeconds(10))
				.thenApply((reply) -> describe(Thread.currentThread()));
			listeners.gate.countDown();
			assertThat(thread.get(10, TimeUnit.SECONDS)).startsWith("virtual natsbus-callback-");
		});
	}

	@Test
	void concurrencyStaysExactOnVirtualThreadsAndASlowListenerStallsNoOther() {
		this.runner.run((context) -> {
			BusTemplate bus = context.getBean(BusTemplate.class);
			Listeners listeners = context.getBean(Listeners.class);
			List<CompletableFuture<String>> replies = new ArrayList<>();
			for (int i = 0; i < 12; i++) {
				replies.add(bus.requestAsync("vt.blocking", "job-" + i, String.class, Duration.ofSeconds(30)));
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> listeners.running.get() == 4);
			assertThat(listeners.started.get()).isEqualTo(4);
			assertThat(bus.request("vt.thread.pooled", "x", String.class, Duration.ofSeconds(5)))
				.startsWith("virtual ");
			listeners.release.countDown();
			for (CompletableFuture<String> reply : replies) {
				assertThat(reply.get(30, TimeUnit.SECONDS)).isEqualTo("done");
			}
			assertThat(listeners.started.get()).isEqualTo(12);
			assertThat(listeners.maxRunning.get()).isEqualTo(4);
		});
	}

	@Test
	void tenThousandBlockingRequestsFromVirtualThreadsNeedFewPlatformThreads() {
		this.runner.withPropertyValues("natsbus.request.timeout=60s").run((context) -> {
			BusTemplate bus = context.getBean(BusTemplate.class);
			Listeners listeners = context.getBean(Listeners.class);
			int callers = 10_000;
			ThreadMXBean threads = ManagementFactory.getThreadMXBean();
			int before = threads.getThreadCount();
			AtomicInteger peak = new AtomicInteger(before);
			ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
			sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(threads.getThreadCount(), Math::max), 0, 10,
					TimeUnit.MILLISECONDS);
			CountDownLatch allCalling = new CountDownLatch(callers);
			listeners.allCalling = allCalling;
			List<Future<String>> replies = new ArrayList<>(callers);
			ExecutorService virtual = VirtualThreads.newVirtualThreadPerTaskExecutor();
			try {
				for (int i = 0; i < callers; i++) {
					String payload = "n" + i;
					replies.add(virtual.submit(() -> {
						allCalling.countDown();
						return bus.request("vt.echo", payload, String.class);
					}));
				}
				for (int i = 0; i < callers; i++) {
					assertThat(replies.get(i).get(90, TimeUnit.SECONDS)).isEqualTo("n" + i);
				}
			}
			finally {
				sampler.shutdownNow();
				virtual.shutdownNow();
			}
			// The listener held every reply until all 10,000 callers were blocked in
			// request: platform threads would have needed 10,000 threads.
			assertThat(listeners.echoed.get()).isEqualTo(callers);
			assertThat(peak.get() - before).as("platform threads added during the run").isLessThan(100);
		});
	}

	static String describe(Thread thread) {
		return (VirtualThreads.isVirtual(thread) ? "virtual " : "platform ") + thread.getName();
	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		final CountDownLatch gate = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		final AtomicInteger running = new AtomicInteger();

		final AtomicInteger started = new AtomicInteger();

		final AtomicInteger maxRunning = new AtomicInteger();

		final AtomicInteger echoed = new AtomicInteger();

		volatile CountDownLatch allCalling = new CountDownLatch(0);

		@Bean
		Listeners.Handlers vtHandlers() {
			return new Handlers(this);
		}

		static class Handlers {

			private final Listeners state;

			Handlers(Listeners state) {
				this.state = state;
			}

			@BusListener(subject = "vt.thread.single")
			String single(String ignored) {
				return describe(Thread.currentThread());
			}

			@BusListener(subject = "vt.thread.pooled", concurrency = "3")
			String pooled(String ignored) {
				return describe(Thread.currentThread());
			}

			@BusListener(subject = "vt.gated")
			String gated(String ignored) throws InterruptedException {
				this.state.gate.await(10, TimeUnit.SECONDS);
				return "open";
			}

			@BusListener(subject = "vt.blocking", concurrency = "4")
			String block(String job) throws InterruptedException {
				this.state.started.incrementAndGet();
				int now = this.state.running.incrementAndGet();
				this.state.maxRunning.accumulateAndGet(now, Math::max);
				try {
					this.state.release.await(30, TimeUnit.SECONDS);
					return "done";
				}
				finally {
					this.state.running.decrementAndGet();
				}
			}

			@BusListener(subject = "vt.echo", concurrency = "200")
			String echo(String payload) throws InterruptedException {
				this.state.allCalling.await(60, TimeUnit.SECONDS);
				this.state.echoed.incrementAndGet();
				return payload;
			}

		}

	}

}
