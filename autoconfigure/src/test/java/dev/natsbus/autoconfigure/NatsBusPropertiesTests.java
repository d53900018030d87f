package dev.natsbus.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.natsbus.BusListener;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.listener.BusListenerContainer;
import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.test.NatsServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/** How {@code natsbus.*} properties reach listeners, authentication and shutdown. */
@Timeout(30)
class NatsBusPropertiesTests {

	@RegisterExtension
	static final NatsServerExtension nats = NatsServerExtension.server();

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NatsBusAutoConfiguration.class))
			.withPropertyValues("natsbus.servers=" + nats.url());
	}

	@Test
	void listenersWithoutQueueOrConcurrencyGetTheStandardDefaults() {
		runner().withUserConfiguration(Listeners.class).run(context -> {
			BusListenerContainer plain = endpoints(context).get("listeners.plain");
			assertThat(plain.getQueue()).isEqualTo("q");
			assertThat(plain.getConcurrency()).isEqualTo(1);
		});
	}

	@Test
	void listenerDefaultsComeFromTheProperties() {
		runner().withPropertyValues("natsbus.listener.concurrency=4", "natsbus.listener.queue=billing")
			.withUserConfiguration(Listeners.class)
			.run(context -> {
				Map<String, BusListenerContainer> endpoints = endpoints(context);
				assertThat(endpoints.get("listeners.plain").getQueue()).isEqualTo("billing");
				assertThat(endpoints.get("listeners.plain").getConcurrency()).isEqualTo(4);
				assertThat(endpoints.get("listeners.explicit").getQueue()).isEqualTo("own");
				assertThat(endpoints.get("listeners.explicit").getConcurrency()).isEqualTo(2);
				assertThat(context.getBean(BusListenerRegistry.class).getListenerContainers())
					.allMatch(BusListenerContainer::isSubscribed);
			});
	}

	@Test
	void listenerDefaultsAcceptRelaxedPropertyNames() {
		runner().withPropertyValues("natsbus.listener.Concurrency=3", "natsbus.LISTENER.queue=relaxed")
			.withUserConfiguration(Listeners.class)
			.run(context -> {
				BusListenerContainer plain = endpoints(context).get("listeners.plain");
				assertThat(plain.getConcurrency()).isEqualTo(3);
				assertThat(plain.getQueue()).isEqualTo("relaxed");
			});
	}

	@Test
	void placeholdersInConcurrencyResolve() {
		runner().withPropertyValues("orders.workers=5").withUserConfiguration(Listeners.class).run(context -> {
			assertThat(endpoints(context).get("listeners.placeholder").getConcurrency()).isEqualTo(5);
			assertThat(context.getBean(BusTemplate.class).request("props.placeholder", "x", String.class))
				.isEqualTo("placeholder:x");
		});
	}

	@Test
	void usernameAndTokenTogetherFailStartUp() {
		runner().withPropertyValues("natsbus.username=alice", "natsbus.password=secret", "natsbus.token=t0ken")
			.run(context -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("natsbus.username")
				.hasMessageContaining("natsbus.token")
				.hasMessageNotContaining("secret")
				.hasMessageNotContaining("t0ken"));
	}

	@Test
	void drainTimeoutIsTheConfiguredOneWhenShorterThanTheShutdownPhase() {
		runner()
			.withPropertyValues("natsbus.shutdown.drain-timeout=3s", "spring.lifecycle.timeout-per-shutdown-phase=30s")
			.run(context -> assertDrainTimeout(context, Duration.ofSeconds(3)));
	}

	@Test
	void drainTimeoutIsCappedByTheShutdownPhaseTimeout() {
		runner()
			.withPropertyValues("natsbus.shutdown.drain-timeout=20s", "spring.lifecycle.timeout-per-shutdown-phase=5s")
			.run(context -> assertDrainTimeout(context, Duration.ofSeconds(5)));
	}

	@Test
	void drainTimeoutCapAcceptsRelaxedNamesAndIsoDurations() {
		runner().withPropertyValues("spring.lifecycle.timeoutPerShutdownPhase=PT4S")
			.run(context -> assertDrainTimeout(context, Duration.ofSeconds(4)));
	}

	@Test
	void drainTimeoutDefaultsToTenSeconds() {
		runner().run(context -> assertDrainTimeout(context, Duration.ofSeconds(10)));
	}

	private static void assertDrainTimeout(AssertableApplicationContext context, Duration expected) {
		assertThat(context).hasNotFailed();
		assertThat(ReflectionTestUtils.getField(context.getBean(BusTemplate.class), "drainTimeout"))
			.isEqualTo(expected);
		assertThat(ReflectionTestUtils.getField(context.getBean(BusListenerRegistry.class), "drainTimeout"))
			.isEqualTo(expected);
	}

	private static Map<String, BusListenerContainer> endpoints(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		return context.getBean(BusListenerRegistry.class)
			.getListenerContainers()
			.stream()
			.collect(Collectors.toMap(BusListenerContainer::getId, Function.identity()));
	}

	static class Listeners {

		@BusListener(subject = "props.plain", id = "listeners.plain")
		String plain(String text) {
			return "plain:" + text;
		}

		@BusListener(subject = "props.explicit", queue = "own", concurrency = "2", id = "listeners.explicit")
		String explicit(String text) {
			return "explicit:" + text;
		}

		@BusListener(subject = "props.placeholder", concurrency = "${orders.workers:1}", id = "listeners.placeholder")
		String placeholder(String text) {
			return "placeholder:" + text;
		}

	}

}
