package dev.natsbus.autoconfigure.events;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.natsbus.autoconfigure.NatsBusAutoConfiguration;
import dev.natsbus.autoconfigure.NatsOptionsBuilderCustomizer;
import dev.natsbus.autoconfigure.security.ServerUrls;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.autoconfigure.events.NatsConnectionEvent.Type;
import dev.natsbus.test.NatsCluster;
import dev.natsbus.test.NatsServer;
import io.nats.client.ConnectionListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Connection events as Spring application events and log lines, against a real server.
 */
@Timeout(60)
@ExtendWith(OutputCaptureExtension.class)
class NatsConnectionEventTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatsBusAutoConfiguration.class))
		.withPropertyValues("natsbus.connection-name=events", "natsbus.reconnect-wait=100ms",
				"natsbus.connection-timeout=1s")
		.withUserConfiguration(EventCollector.class);

	@Test
	void eventsArePublishedAndLoggedOnceEachWithoutCredentials(CapturedOutput output) throws IOException {
		try (NatsServer server = NatsServer.builder()
			.port(freePort())
			.config("authorization { user: \"events\", password: \"s3cret-pw\" }")
			.start()) {
			String url = "nats://events:s3cret-pw@127.0.0.1:" + server.port();
			this.runner.withPropertyValues("natsbus.servers=" + url).run(context -> {
				EventCollector events = context.getBean(EventCollector.class);
				await().atMost(Duration.ofSeconds(5)).until(() -> events.types().contains(Type.CONNECTED));
				server.stop();
				try {
					await().atMost(Duration.ofSeconds(10)).until(() -> events.types().contains(Type.DISCONNECTED));
				}
				finally {
					server.start();
				}
				await().atMost(Duration.ofSeconds(15)).until(() -> events.types().contains(Type.RECONNECTED));
				assertThat(events.types()).containsExactly(Type.CONNECTED, Type.DISCONNECTED, Type.RECONNECTED);
				assertThat(events.events).allSatisfy(event -> {
					assertThat(event.getConnectionName()).isEqualTo("events-0");
					assertThat(event.getServerUrl()).isEqualTo(server.url());
					assertThat(event.getConnection())
						.isSameAs(context.getBean(NatsConnectionPool.class).connection(0).orElseThrow());
				});
				assertThat(output).containsOnlyOnce("NATS connection 'events-0' connected to " + server.url())
					.containsOnlyOnce("NATS connection 'events-0' disconnected from " + server.url())
					.containsOnlyOnce("NATS connection 'events-0' reconnected to " + server.url())
					.doesNotContain("s3cret-pw");
			});
		}
	}

	@Test
	void closedIsPublishedWhenReconnectsAreExhausted() throws IOException {
		try (NatsServer server = NatsServer.builder().port(freePort()).start()) {
			this.runner.withPropertyValues("natsbus.servers=" + server.url(), "natsbus.max-reconnects=0")
				.run(context -> {
					EventCollector events = context.getBean(EventCollector.class);
					await().atMost(Duration.ofSeconds(5)).until(() -> events.types().contains(Type.CONNECTED));
					server.stop();
					await().atMost(Duration.ofSeconds(10)).until(() -> events.types().contains(Type.CLOSED));
					assertThat(events.types()).containsExactly(Type.CONNECTED, Type.DISCONNECTED, Type.CLOSED);
					assertThat(events.events.get(2).getServerUrl()).isEqualTo(server.url());
				});
		}
	}

	@Test
	void lameDuckIsPublishedAndLoggedWhenTheServerEntersIt(CapturedOutput output) {
		try (NatsCluster cluster = NatsCluster.builder()
			.name("events-ldm")
			.nodes(2)
			.lameDuck(Duration.ofSeconds(30), Duration.ofSeconds(1))
			.start()) {
			this.runner.withPropertyValues("natsbus.servers=" + cluster.node(0).url()).run(context -> {
				EventCollector events = context.getBean(EventCollector.class);
				await().atMost(Duration.ofSeconds(5)).until(() -> events.types().contains(Type.CONNECTED));

				cluster.lameDuck(0);

				await().atMost(Duration.ofSeconds(5)).until(() -> events.types().contains(Type.LAME_DUCK));
				NatsConnectionEvent lameDuck = events.events.get(events.types().indexOf(Type.LAME_DUCK));
				assertThat(lameDuck.getConnectionName()).isEqualTo("events-0");
				assertThat(lameDuck.getServerUrl()).isEqualTo(cluster.node(0).url());
				assertThat(output).containsOnlyOnce(
						"NATS server " + cluster.node(0).url() + " of connection 'events-0' entered lame duck mode");
				// After the grace period the server closes the connection; the client
				// moves to the node it learned from the cluster.
				await().atMost(Duration.ofSeconds(15)).until(() -> events.types().contains(Type.RECONNECTED));
				assertThat(events.types()).containsSubsequence(Type.CONNECTED, Type.LAME_DUCK, Type.DISCONNECTED,
						Type.RECONNECTED);
				assertThat(events.events.get(events.types().lastIndexOf(Type.RECONNECTED)).getServerUrl())
					.isEqualTo(cluster.node(1).url());
				assertThat(cluster.node(0).awaitExit(Duration.ofSeconds(15))).isTrue();
			});
		}
	}

	@Test
	void applicationCustomizerMaySetItsOwnConnectionListener() throws IOException {
		List<ConnectionListener.Events> own = new CopyOnWriteArrayList<>();
		try (NatsServer server = NatsServer.builder().port(freePort()).start()) {
			this.runner.withPropertyValues("natsbus.servers=" + server.url())
				.withBean(NatsOptionsBuilderCustomizer.class,
						() -> builder -> builder.connectionListener((connection, event) -> own.add(event)))
				.run(context -> {
					await().atMost(Duration.ofSeconds(5))
						.until(() -> own.contains(ConnectionListener.Events.CONNECTED));
					assertThat(context.getBean(EventCollector.class).events).isEmpty();
				});
		}
	}

	@Test
	void serverUrlsAreRedacted() {
		assertThat(ServerUrls.redact("nats://user:pw@host:4222")).isEqualTo("nats://host:4222");
		assertThat(ServerUrls.redact("tls://token@nats.example.com:4443")).isEqualTo("tls://nats.example.com:4443");
		assertThat(ServerUrls.redact("nats://host:4222")).isEqualTo("nats://host:4222");
		assertThat(ServerUrls.redact("nats://us%er:p@ss@host:4222")).isEqualTo("nats://host:4222");
		assertThat(ServerUrls.redact((String) null)).isNull();
	}

	static class EventCollector implements ApplicationListener<NatsConnectionEvent> {

		final List<NatsConnectionEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(NatsConnectionEvent event) {
			this.events.add(event);
		}

		List<Type> types() {
			return this.events.stream().map(NatsConnectionEvent::getType).toList();
		}

	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
