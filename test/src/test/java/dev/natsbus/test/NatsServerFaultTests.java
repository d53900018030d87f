package dev.natsbus.test;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener.Events;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The hard faults: SIGKILL, SIGSTOP/SIGCONT and lame duck mode, against real servers. */
@Timeout(60)
class NatsServerFaultTests {

	/**
	 * What nats-server logs when it shuts down cleanly; a SIGKILL leaves no such line.
	 */
	private static final String CLEAN_SHUTDOWN = "Server Exiting..";

	@Test
	void killEndsTheProcessWithoutACleanShutdown() throws Exception {
		List<Events> events = new CopyOnWriteArrayList<>();
		try (NatsServer server = NatsServer.builder().start(); Connection nc = connect(server, events)) {
			long pid = server.pid();

			server.kill();

			assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
			assertThat(server.isRunning()).isFalse();
			assertThat(Ports.isListening(server.port())).isFalse();
			assertThat(Files.readString(server.logFile())).doesNotContain(CLEAN_SHUTDOWN);
			await().atMost(Duration.ofSeconds(5)).until(() -> events.contains(Events.DISCONNECTED));

			server.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> events.contains(Events.RECONNECTED));
			Clients.upperCaseResponder(nc, "after.kill");
			assertThat(Clients.request(nc, "after.kill", "back")).isEqualTo("BACK");
			assertThatIllegalStateException().isThrownBy(() -> {
				server.kill();
				server.pid();
			}).withMessageContaining("not running");
		}
	}

	@Test
	void stopIsACleanShutdown() throws Exception {
		try (NatsServer server = NatsServer.builder().start()) {
			server.stop();
			assertThat(Files.readString(server.logFile())).contains(CLEAN_SHUTDOWN);
		}
	}

	@Test
	void aFrozenServerKeepsItsSocketsButAnswersNothingUntilThawed() throws Exception {
		List<Events> events = new CopyOnWriteArrayList<>();
		try (NatsServer server = NatsServer.builder().start(); Connection nc = connect(server, events)) {
			Clients.upperCaseResponder(nc, "frozen.echo");

			server.freeze();

			assertThat(server.isFrozen()).isTrue();
			assertThat(server.isRunning()).isTrue();
			assertThat(ProcessHandle.of(server.pid()).filter(ProcessHandle::isAlive)).isPresent();
			// The kernel still completes TCP handshakes; the server never sends its INFO.
			assertThat(Ports.isListening(server.port())).isTrue();
			assertThatThrownBy(() -> Nats
				.connect(Clients.onceOptions(server.url()).connectionTimeout(Duration.ofMillis(500)).build()))
				.isInstanceOf(IOException.class);
			// Only the ping timer tells the client: 100 ms × 2 pings out.
			await().atMost(Duration.ofSeconds(5)).until(() -> events.contains(Events.DISCONNECTED));
			assertThat(Clients.request(nc, "frozen.echo", "lost")).isNull();

			server.thaw();

			assertThat(server.isFrozen()).isFalse();
			await().atMost(Duration.ofSeconds(10)).until(() -> events.contains(Events.RECONNECTED));
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(Clients.request(nc, "frozen.echo", "back")).isEqualTo("BACK"));
		}
	}

	@Test
	void aFrozenServerCanBeStoppedAndKilled() {
		try (NatsServer server = NatsServer.builder().start()) {
			server.freeze();
			server.stop();
			assertThat(server.isRunning()).isFalse();
			assertThat(server.isFrozen()).isFalse();

			server.start();
			long pid = server.pid();
			server.freeze();
			server.kill();
			assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
			assertThat(server.isFrozen()).isFalse();
		}
	}

	@Test
	void freezingAServerThatIsNotRunningFailsClearly() {
		try (NatsServer server = NatsServer.builder().build()) {
			assertThatIllegalStateException().isThrownBy(server::freeze).withMessageContaining("not running");
			assertThatIllegalStateException().isThrownBy(server::lameDuck).withMessageContaining("not running");
		}
	}

	@Test
	void lameDuckModeTellsClientsStopsAcceptingAndExits() throws Exception {
		List<Events> events = new CopyOnWriteArrayList<>();
		try (NatsServer server = NatsServer.builder().lameDuck(Duration.ofSeconds(30), Duration.ofSeconds(1)).start();
				Connection nc = connect(server, events)) {
			server.lameDuck();

			await().atMost(Duration.ofSeconds(5)).until(() -> events.contains(Events.LAME_DUCK));
			await().atMost(Duration.ofSeconds(5)).until(() -> !Ports.isListening(server.port()));
			// Grace period (1 s), then one client closed per second at most, then exit.
			assertThat(server.awaitExit(Duration.ofSeconds(15))).isTrue();
			assertThat(server.isRunning()).isFalse();
			// jnats reports the disconnect on its own thread, possibly after the exit.
			await().atMost(Duration.ofSeconds(10)).until(() -> events.contains(Events.DISCONNECTED));

			server.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> events.contains(Events.RECONNECTED));
			assertThat(nc.getStatus()).isEqualTo(Connection.Status.CONNECTED);
		}
	}

	@Test
	void lameDuckDurationsTheServerWouldRefuseFailAtOnce() {
		NatsServer.Builder builder = NatsServer.builder();
		assertThatIllegalArgumentException().isThrownBy(() -> builder.lameDuck(Duration.ofSeconds(5), Duration.ZERO))
			.withMessageContaining("at least 30 s");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> builder.lameDuck(Duration.ofSeconds(30), Duration.ofSeconds(30)))
			.withMessageContaining("shorter than the duration");
	}

	private static Connection connect(NatsServer server, List<Events> events) throws IOException, InterruptedException {
		Options options = Options.builder()
			.server(server.url())
			.maxReconnects(-1)
			.reconnectWait(Duration.ofMillis(50))
			.connectionTimeout(Duration.ofMillis(500))
			.pingInterval(Duration.ofMillis(100))
			.maxPingsOut(2)
			.connectionListener((connection, event) -> events.add(event))
			.build();
		return Nats.connect(options);
	}

}
