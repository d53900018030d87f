package dev.natsbus.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.natsbus.autoconfigure.NatsBusAutoConfiguration;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.awaitility.Awaitility.await;

/**
 * Starts real Boot applications (the starter's auto-configuration and Boot's JSON mapper,
 * as a service would run them) against real nats-server processes, with short reconnect
 * waits so that the fault tests stay quick.
 */
final class ReliabilityApps {

	/**
	 * Auto-configurations of the applications under test: the bus and Boot's JSON mapper.
	 */
	static final Class<?>[] AUTO_CONFIGURATIONS = { NatsBusAutoConfiguration.class,
			org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration.class };

	private ReliabilityApps() {
	}

	/**
	 * Runs an application from {@code sources} against {@code servers} (comma-separated
	 * URLs) with {@code properties} on top of the defaults here.
	 */
	static ConfigurableApplicationContext start(String servers, List<Class<?>> sources, String... properties) {
		List<String> all = new ArrayList<>(List.of("natsbus.servers=" + servers, "natsbus.reconnect-wait=200ms",
				"natsbus.connection-timeout=1s", "natsbus.shutdown.drain-timeout=5s", "spring.main.banner-mode=off",
				"spring.main.register-shutdown-hook=false", "spring.main.log-startup-info=false",
				"logging.level.dev.natsbus=INFO"));
		all.addAll(List.of(properties));
		List<Class<?>> allSources = new ArrayList<>(List.of(AUTO_CONFIGURATIONS));
		allSources.addAll(sources);
		return new SpringApplicationBuilder(allSources.toArray(Class<?>[]::new)).web(WebApplicationType.NONE)
			.properties(all.toArray(String[]::new))
			.run();
	}

	static ConfigurableApplicationContext start(String servers, Class<?> source, String... properties) {
		return start(servers, List.of(source), properties);
	}

	/** An application with the bus and no listener of its own: a pure caller. */
	static ConfigurableApplicationContext caller(String servers, String... properties) {
		return start(servers, List.of(), properties);
	}

	/** Live threads of this JVM. */
	static int threadCount() {
		return java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount();
	}

	/**
	 * The thread count once short-lived threads (connect, reconnect, timers) have ended:
	 * the same count seen over a second of samples.
	 */
	static int settledThreadCount() {
		AtomicInteger last = new AtomicInteger(-1);
		AtomicInteger unchanged = new AtomicInteger();
		await().pollInterval(Duration.ofMillis(100)).atMost(Duration.ofSeconds(20)).until(() -> {
			int now = threadCount();
			if (last.getAndSet(now) == now) {
				return unchanged.incrementAndGet() >= 10;
			}
			unchanged.set(0);
			return false;
		});
		return last.get();
	}

}
