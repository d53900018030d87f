package dev.natsbus.template;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.natsbus.BusConnectionException;
import dev.natsbus.BusNoRespondersException;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.conversion.JsonPayloadConverter;
import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.listener.SimpleBusListenerEndpoint;
import dev.natsbus.test.NatsServer;
import io.nats.client.Connection;
import io.nats.client.Options;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code send} keeps the promise of jnats' reconnect buffer: while the connection is
 * reconnecting, sends are buffered and reach the listeners after the reconnect; only a
 * full or disabled buffer fails them, typed. Requests fail fast instead.
 */
@Timeout(60)
class SendReconnectBufferTests {

	private final NatsServer server = NatsServer.builder().start();

	private NatsConnectionPool pool;

	private BusTemplate template;

	private BusListenerRegistry registry;

	@AfterEach
	void close() {
		if (this.registry != null) {
			this.registry.stop();
		}
		if (this.template != null) {
			this.template.destroy();
		}
		if (this.pool != null) {
			this.pool.close();
		}
		this.server.close();
	}

	private void connect(long reconnectBufferSize) {
		Options options = new Options.Builder().server(this.server.url())
			.connectionName("buffer-0")
			.reportNoResponders()
			.maxReconnects(-1)
			.reconnectWait(Duration.ofMillis(100))
			.reconnectBufferSize(reconnectBufferSize)
			.build();
		this.pool = NatsConnectionPool.connect(List.of(options));
		this.template = new BusTemplate(this.pool, new JsonPayloadConverter());
	}

	@Test
	void sendsDuringAnOutageArriveAfterTheReconnect() {
		connect(Options.DEFAULT_RECONNECT_BUF_SIZE);
		List<String> received = new CopyOnWriteArrayList<>();
		this.registry = new BusListenerRegistry(this.pool, new JsonPayloadConverter());
		this.registry.registerListener(SimpleBusListenerEndpoint.of("events", "buffer.events", (message) -> {
			received.add(new String(message.getPayload()));
			return null;
		}));
		this.registry.start();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.registry.getListenerContainer("events").orElseThrow().isSubscribed());
		this.server.kill();
		Connection connection = this.pool.connection(0).orElseThrow();
		await().atMost(Duration.ofSeconds(10)).until(() -> connection.getStatus() != Connection.Status.CONNECTED);
		for (int i = 0; i < 20; i++) {
			this.template.send("buffer.events", "event-" + i);
		}
		// Requests do not wait in the buffer: they fail at once.
		assertThatExceptionOfType(BusConnectionException.class)
			.isThrownBy(() -> this.template.request("buffer.events", "x", String.class, Duration.ofSeconds(5)))
			.withMessageContaining("down");
		this.server.start();
		await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 20);
		assertThat(received).containsExactly(
				java.util.stream.IntStream.range(0, 20).mapToObj((i) -> "event-" + i).toArray(String[]::new));
	}

	@Test
	void aFullReconnectBufferFailsTheSendTyped() {
		connect(2_000);
		this.server.kill();
		Connection connection = this.pool.connection(0).orElseThrow();
		await().atMost(Duration.ofSeconds(10)).until(() -> connection.getStatus() != Connection.Status.CONNECTED);
		byte[] event = new byte[300];
		int accepted = 0;
		BusConnectionException refused = null;
		while (refused == null && accepted < 100) {
			try {
				this.template.send("buffer.full", event);
				accepted++;
			}
			catch (BusConnectionException ex) {
				refused = ex;
			}
		}
		assertThat(refused).as("a send refused once the buffer is full").isNotNull();
		assertThat(refused.getMessage()).contains("buffer.full").contains("reconnect buffer");
		assertThat(accepted).as("sends buffered before it filled").isBetween(1, 6);
	}

	@Test
	void aDisabledReconnectBufferFailsTheFirstSend() {
		connect(0);
		this.server.kill();
		Connection connection = this.pool.connection(0).orElseThrow();
		await().atMost(Duration.ofSeconds(10)).until(() -> connection.getStatus() != Connection.Status.CONNECTED);
		assertThatExceptionOfType(BusConnectionException.class)
			.isThrownBy(() -> this.template.send("buffer.none", "event"))
			.withMessageContaining("reconnect buffer");
	}

	@Test
	void whileConnectedNothingChanges() {
		connect(Options.DEFAULT_RECONNECT_BUF_SIZE);
		assertThatExceptionOfType(BusNoRespondersException.class)
			.isThrownBy(() -> this.template.request("buffer.nobody", "x", String.class, Duration.ofSeconds(2)));
		this.template.send("buffer.nobody", "nobody listens, nothing fails");
	}

}
