package dev.natsbus.autoconfigure.threads;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.natsbus.BusListener;
import dev.natsbus.autoconfigure.NatsBusAutoConfiguration;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServerExtension;
import io.micrometer.context.ContextSnapshotFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With Micrometer's context-propagation on the class path, Boot's bus completes
 * asynchronous requests in their caller's context (here its MDC); without it, everything
 * works and nothing is propagated.
 */
@Timeout(60)
class ContextPropagationAutoConfigurationTests {

	@RegisterExtension
	static final NatsServerExtension nats = NatsServerExtension.server();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatsBusAutoConfiguration.class))
		.withUserConfiguration(GatedListener.class)
		.withPropertyValues("natsbus.servers=" + nats.url());

	@AfterEach
	void clear() {
		MDC.clear();
	}

	@Test
	void asynchronousRequestsCompleteWithTheCallersMdc() {
		this.runner.run((context) -> assertThat(
				callbackMdc(context.getBean(BusTemplate.class), context.getBean(GatedListener.class)))
			.isEqualTo("natsbus-callback r-99"));
	}

	@Test
	void withoutContextPropagationTheBusStillWorks() {
		this.runner.withClassLoader(new FilteredClassLoader(ContextSnapshotFactory.class))
			.run((context) -> assertThat(
					callbackMdc(context.getBean(BusTemplate.class), context.getBean(GatedListener.class)))
				.isEqualTo("natsbus-callback null"));
	}

	private static String callbackMdc(BusTemplate bus, GatedListener listener) throws Exception {
		CountDownLatch gate = new CountDownLatch(1);
		listener.gate = gate;
		MDC.put("requestId", "r-99");
		CompletableFuture<String> seen = bus.requestAsync("ctx.boot.gated", "x", String.class, Duration.ofSeconds(10))
			.thenApply((reply) -> (Thread.currentThread().getName().startsWith("natsbus-callback") ? "natsbus-callback"
					: Thread.currentThread().getName()) + " " + MDC.get("requestId"));
		MDC.remove("requestId");
		gate.countDown();
		return seen.get(10, TimeUnit.SECONDS);
	}

	@Configuration(proxyBeanMethods = false)
	static class GatedListener {

		volatile CountDownLatch gate = new CountDownLatch(0);

		@Bean
		Gated gatedHandler() {
			return new Gated(this);
		}

		static class Gated {

			private final GatedListener state;

			Gated(GatedListener state) {
				this.state = state;
			}

			/**
			 * Replies once the test has attached its stage, so that it runs on the
			 * callback thread.
			 */
			@BusListener("ctx.boot.gated")
			String gated(String ignored) throws InterruptedException {
				this.state.gate.await(10, TimeUnit.SECONDS);
				return "open";
			}

		}

	}

}
