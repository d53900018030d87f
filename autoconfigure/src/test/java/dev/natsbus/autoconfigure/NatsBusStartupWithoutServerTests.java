package dev.natsbus.autoconfigure;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;

import dev.natsbus.BusConnectionException;
import dev.natsbus.BusListener;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.listener.BusListenerContainer;
import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.test.NatsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Start-up while nothing listens where {@code natsbus.servers} points. */
@Timeout(60)
class NatsBusStartupWithoutServerTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatsBusAutoConfiguration.class))
		.withPropertyValues("natsbus.connection-timeout=500ms", "natsbus.reconnect-wait=100ms");

	@Test
	void startUpFailsNamingTheServerItCouldNotReach() throws IOException {
		int port = freePort();
		this.runner.withPropertyValues("natsbus.servers=nats://127.0.0.1:" + port).run(context -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			assertThat(failure).rootCause().hasMessageContaining("nats://127.0.0.1:" + port);
			assertThat(causeOfType(failure, BusConnectionException.class))
				.hasMessageContaining("Could not connect to NATS at nats://127.0.0.1:" + port)
				.hasMessageContaining("connection 'natsbus-0'");
		});
	}

	@Test
	void backgroundConnectStartsWithoutServerAndSubscribesOnceOneRuns() throws IOException {
		int port = freePort();
		// Closed after the context, so that the listeners drain through a live
		// connection.
		try (NatsServer server = NatsServer.builder().port(port).build()) {
			this.runner
				.withPropertyValues("natsbus.servers=nats://127.0.0.1:" + port, "natsbus.background-connect=true")
				.withUserConfiguration(EchoListener.class)
				.run(context -> {
					assertThat(context).hasNotFailed();
					BusListenerContainer container = context.getBean(BusListenerRegistry.class)
						.getListenerContainers()
						.get(0);
					assertThat(container.isSubscribed()).isFalse();
					server.start();
					await().atMost(Duration.ofSeconds(15)).until(container::isSubscribed);
					BusTemplate template = context.getBean(BusTemplate.class);
					await().atMost(Duration.ofSeconds(10))
						.ignoreExceptions()
						.untilAsserted(() -> assertThat(template.request("late.echo", "hi", String.class))
							.isEqualTo("late:hi"));
				});
		}
	}

	static Throwable causeOfType(Throwable failure, Class<? extends Throwable> type) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return cause;
			}
		}
		throw new AssertionError("No " + type.getName() + " among the causes of " + failure, failure);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	static class EchoListener {

		@BusListener("late.echo")
		String echo(String text) {
			return "late:" + text;
		}

	}

}
