package dev.natsbus.protocol;

import java.time.Duration;

import dev.natsbus.BusPayloadTooLargeException;
import dev.natsbus.test.NatsServer;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.impl.Headers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The size rule against a real server's {@code max_payload}: headers count, and a message
 * of exactly the limit still goes.
 */
@Timeout(30)
class MessageSizeTests {

	private static final int MAX_PAYLOAD = 1024;

	private static NatsServer server;

	private static Connection connection;

	@BeforeAll
	static void start() throws Exception {
		server = NatsServer.builder().maxPayload(MAX_PAYLOAD).start();
		connection = Nats
			.connect(new Options.Builder().server(server.url()).connectionTimeout(Duration.ofSeconds(5)).build());
	}

	@AfterAll
	static void stop() throws InterruptedException {
		connection.close();
		server.close();
	}

	@Test
	void countsTheSerializedHeadersWithTheBody() {
		Headers headers = new Headers().put("tenant", "acme");
		assertThat(MessageSize.of(headers, new byte[10])).isEqualTo(10 + headers.serializedLength());
		assertThat(MessageSize.of(null, new byte[10])).isEqualTo(10);
	}

	@Test
	void aBodyOfExactlyTheLimitPasses() {
		assertThat(connection.getMaxPayload()).isEqualTo(MAX_PAYLOAD);
		assertThatNoException().isThrownBy(() -> MessageSize.check(connection, "orders", null, new byte[MAX_PAYLOAD]));
	}

	@Test
	void oneByteOverTheLimitIsRefusedWithTheSizes() {
		assertThatExceptionOfType(BusPayloadTooLargeException.class)
			.isThrownBy(() -> MessageSize.check(connection, "orders", null, new byte[MAX_PAYLOAD + 1]))
			.satisfies((ex) -> {
				assertThat(ex.getSize()).isEqualTo(MAX_PAYLOAD + 1);
				assertThat(ex.getMaxPayload()).isEqualTo(MAX_PAYLOAD);
			});
	}

	@Test
	void headersCanTakeABodyOverTheLimit() {
		Headers headers = new Headers().put("tenant", "acme");
		byte[] body = new byte[MAX_PAYLOAD - headers.serializedLength() + 1];
		assertThatExceptionOfType(BusPayloadTooLargeException.class)
			.isThrownBy(() -> MessageSize.check(connection, "orders", headers, body))
			.satisfies((ex) -> assertThat(ex.getSize()).isEqualTo(MAX_PAYLOAD + 1));
		assertThatNoException()
			.isThrownBy(() -> MessageSize.check(connection, "orders", headers, new byte[body.length - 1]));
	}

}
