package dev.natsbus.autoconfigure;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import dev.natsbus.autoconfigure.events.NatsConnectionEvent;
import dev.natsbus.test.NatsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The log lines of the connections on {@code dev.natsbus.connection}, against real
 * servers and closed ports.
 */
@Timeout(60)
@ExtendWith(OutputCaptureExtension.class)
class NatsConnectionLoggerTests {

	private static final Pattern LOGGER = Pattern.compile("\\bdev\\.natsbus\\.connection\\s");

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatsBusAutoConfiguration.class))
		.withPropertyValues("natsbus.connection-timeout=500ms", "natsbus.reconnect-wait=100ms");

	private final LoggingSystem loggingSystem = LoggingSystem.get(getClass().getClassLoader());

	@AfterEach
	void restoreLevel() {
		this.loggingSystem.setLogLevel("dev.natsbus.connection", null);
	}

	@Test
	void startUpThatGivesUpLogsNoNullServerAndNoReconnecting(CapturedOutput output) throws IOException {
		this.loggingSystem.setLogLevel("dev.natsbus.connection", LogLevel.DEBUG);
		String server = "nats://127.0.0.1:" + freePort();
		this.runner.withPropertyValues("natsbus.servers=" + server, "natsbus.connection-name=abandoned")
			.run(context -> {
				assertThat(context).hasFailed();
				List<String> lines = lines(output, "'abandoned-0'");
				assertThat(lines).isNotEmpty()
					.anySatisfy(line -> assertThat(line).contains("DEBUG")
						.contains("could not connect to " + server + ": connection refused (nothing listens there)"))
					.noneSatisfy(line -> assertThat(line).containsAnyOf("null", "reconnecting", "WARN"));
			});
	}

	@Test
	void backgroundConnectWarnsOnceWithTheServerAndWhy(CapturedOutput output) throws IOException {
		this.loggingSystem.setLogLevel("dev.natsbus.connection", LogLevel.DEBUG);
		int port = freePort();
		String server = "nats://127.0.0.1:" + port;
		String failed = "could not connect to " + server + ": connection refused (nothing listens there)";
		try (NatsServer nats = NatsServer.builder().port(port).build()) {
			this.runner
				.withPropertyValues("natsbus.servers=" + server, "natsbus.connection-name=patient",
						"natsbus.background-connect=true")
				.withUserConfiguration(Events.class)
				.run(context -> {
					assertThat(context).hasNotFailed();
					// The attempts after the first fail alike and are logged at DEBUG
					// only.
					await().atMost(Duration.ofSeconds(20))
						.until(() -> lines(output, "'patient-0' " + failed).size() >= 3);
					nats.start();
					await().atMost(Duration.ofSeconds(20))
						.until(() -> !lines(output, "'patient-0' connected to " + server).isEmpty());
					List<String> lines = lines(output, "'patient-0'");
					assertThat(lines).filteredOn(line -> line.contains(" WARN "))
						.singleElement()
						.asString()
						.contains(failed + "; retrying in the background");
					assertThat(lines).noneSatisfy(line -> assertThat(line).containsAnyOf("null", "reconnecting"));
					// The first connection, although jnats reports it as a reconnect.
					assertThat(context.getBean(Events.class).events).singleElement().satisfies(event -> {
						assertThat(event.getType()).isEqualTo(NatsConnectionEvent.Type.CONNECTED);
						assertThat(event.getServerUrl()).isEqualTo(server);
					});
				});
		}
	}

	@Test
	void eachPooledConnectionLogsAndPublishesItsOwnChanges(CapturedOutput output) throws IOException {
		try (NatsServer nats = NatsServer.builder().port(freePort()).start()) {
			this.runner
				.withPropertyValues("natsbus.servers=" + nats.url(), "natsbus.connection-name=pooled",
						"natsbus.pool.size=2")
				.withUserConfiguration(Events.class)
				.run(context -> {
					Events events = context.getBean(Events.class);
					await().atMost(Duration.ofSeconds(10)).until(() -> connected(output, nats.url()));
					nats.stop();
					try {
						await().atMost(Duration.ofSeconds(10))
							.until(() -> events.of(NatsConnectionEvent.Type.DISCONNECTED).size() == 2);
					}
					finally {
						nats.start();
					}
					await().atMost(Duration.ofSeconds(15))
						.until(() -> events.of(NatsConnectionEvent.Type.RECONNECTED).size() == 2);
					for (String name : List.of("pooled-0", "pooled-1")) {
						assertThat(output).containsOnlyOnce("NATS connection '" + name + "' connected to " + nats.url())
							.containsOnlyOnce("NATS connection '" + name + "' disconnected from " + nats.url())
							.containsOnlyOnce("NATS connection '" + name + "' reconnected to " + nats.url());
					}
					assertThat(events.events).extracting(NatsConnectionEvent::getServerUrl).containsOnly(nats.url());
					assertThat(events.of(NatsConnectionEvent.Type.DISCONNECTED))
						.extracting(NatsConnectionEvent::getConnectionName)
						.containsExactlyInAnyOrder("pooled-0", "pooled-1");
				});
		}
	}

	private static boolean connected(CapturedOutput output, String url) {
		return output.getAll().contains("'pooled-0' connected to " + url)
				&& output.getAll().contains("'pooled-1' connected to " + url);
	}

	private static List<String> lines(CapturedOutput output, String text) {
		return output.getAll().lines().filter(line -> LOGGER.matcher(line).find() && line.contains(text)).toList();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	static class Events implements ApplicationListener<NatsConnectionEvent> {

		final List<NatsConnectionEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(NatsConnectionEvent event) {
			this.events.add(event);
		}

		List<NatsConnectionEvent> of(NatsConnectionEvent.Type type) {
			return this.events.stream().filter(event -> event.getType() == type).toList();
		}

	}

}
