package dev.natsbus.test;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener.Events;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@Timeout(30)
class NatsServerLifecycleTests {

	@Test
	void startsOnFreeLoopbackPortAndServesRequestReply() throws Exception {
		try (NatsServer server = NatsServer.builder().start(); Connection nc = Nats.connect(server.url())) {
			assertThat(server.isRunning()).isTrue();
			assertThat(server.port()).isPositive();
			assertThat(server.url()).isEqualTo("nats://127.0.0.1:" + server.port());

			Clients.upperCaseResponder(nc, "greet");

			assertThat(Clients.request(nc, "greet", "hello")).isEqualTo("HELLO");
		}
	}

	@Test
	void stopClosesThePortSoConnectingFails() throws Exception {
		try (NatsServer server = NatsServer.builder().start()) {
			server.stop();

			assertThat(server.isRunning()).isFalse();
			assertThat(Ports.isListening(server.port())).isFalse();
			assertThatThrownBy(() -> Clients.connectOnce(server.url())).isInstanceOf(IOException.class);
		}
	}

	@Test
	void restartComesBackOnTheSamePortAndClientsReconnect() throws Exception {
		List<Events> events = new CopyOnWriteArrayList<>();
		try (NatsServer server = NatsServer.builder().start()) {
			int port = server.port();
			Options options = Options.builder()
				.server(server.url())
				.maxReconnects(-1)
				.reconnectWait(Duration.ofMillis(50))
				.connectionListener((connection, event) -> events.add(event))
				.build();
			try (Connection nc = Nats.connect(options)) {
				server.stop();
				await().atMost(Duration.ofSeconds(10)).until(() -> nc.getStatus() != Connection.Status.CONNECTED);

				server.restart();

				assertThat(server.port()).isEqualTo(port);
				assertThat(server.isRunning()).isTrue();
				await().atMost(Duration.ofSeconds(10)).until(() -> events.contains(Events.RECONNECTED));
				assertThat(nc.getStatus()).isEqualTo(Connection.Status.CONNECTED);
				Clients.upperCaseResponder(nc, "after.restart");
				assertThat(Clients.request(nc, "after.restart", "back")).isEqualTo("BACK");
			}
		}
	}

	@Test
	void restartOfStoppedServerJustStartsIt() {
		try (NatsServer server = NatsServer.builder().build()) {
			assertThat(server.isRunning()).isFalse();

			server.restart();

			assertThat(server.isRunning()).isTrue();
		}
	}

	@Test
	void maxPayloadIsAppliedToTheServer() throws Exception {
		try (NatsServer server = NatsServer.builder().maxPayload(2048).start();
				Connection nc = Nats.connect(server.url())) {
			assertThat(nc.getServerInfo().getMaxPayload()).isEqualTo(2048);
		}
	}

	@Test
	void fixedPortIsUsed() throws Exception {
		int port = Ports.free();
		try (NatsServer server = NatsServer.builder().port(port).start();
				Connection nc = Clients.connectOnce("nats://127.0.0.1:" + port)) {
			assertThat(server.port()).isEqualTo(port);
			assertThat(nc.getStatus()).isEqualTo(Connection.Status.CONNECTED);
		}
	}

	@Test
	void serverLogIsKeptInAFileUntilClose() {
		NatsServer server = NatsServer.builder().start();
		Path log = server.logFile();
		try {
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(Files.readString(log)).contains("Server is ready"));
		}
		finally {
			server.close();
		}
		assertThat(log).doesNotExist();
		assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
	}

	@Test
	void missingBinaryFailsWithInstallHint() {
		NatsServer.Builder builder = NatsServer.builder().executable(Path.of("/nonexistent/bin/nats-server"));

		assertThatThrownBy(builder::start).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("/nonexistent/bin/nats-server")
			.hasMessageContaining("apt-get install -y nats-server")
			.hasMessageContaining(NatsServer.EXECUTABLE_PROPERTY);
	}

	@Test
	void systemPropertyOverridesTheBinary() {
		String previous = System.getProperty(NatsServer.EXECUTABLE_PROPERTY);
		System.setProperty(NatsServer.EXECUTABLE_PROPERTY, "/nonexistent/custom/nats-server");
		try {
			assertThatThrownBy(() -> NatsServer.builder().start()).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("/nonexistent/custom/nats-server")
				.hasMessageContaining("system property " + NatsServer.EXECUTABLE_PROPERTY);
		}
		finally {
			if (previous == null) {
				System.clearProperty(NatsServer.EXECUTABLE_PROPERTY);
			}
			else {
				System.setProperty(NatsServer.EXECUTABLE_PROPERTY, previous);
			}
		}
	}

	@Test
	void invalidConfigFailsToStartWithoutLeavingAProcess() {
		NatsServer server = NatsServer.builder().config("authorization { token: ").build();
		try {
			assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("Invalid nats-server config")
				.hasMessageContaining("Parse error");
			assertThat(server.isRunning()).isFalse();
			assertThat(Ports.isListening(server.port())).isFalse();
		}
		finally {
			server.close();
		}
	}

}
