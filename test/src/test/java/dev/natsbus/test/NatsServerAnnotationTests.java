package dev.natsbus.test;

import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@NatsServerTest(monitoring = true)
@Timeout(30)
class NatsServerAnnotationTests {

	private static NatsServer fromBeforeAll;

	private final NatsServer fromConstructor;

	private NatsServer fromBeforeEach;

	NatsServerAnnotationTests(NatsServer server) {
		this.fromConstructor = server;
	}

	@BeforeAll
	static void beforeAll(NatsServer server) {
		fromBeforeAll = server;
	}

	@BeforeEach
	void beforeEach(NatsServer server) {
		fromBeforeEach = server;
	}

	@Test
	void injectsTheSameRunningServerEverywhere(NatsServer server) throws Exception {
		assertThat(server).isSameAs(fromBeforeAll).isSameAs(fromConstructor).isSameAs(fromBeforeEach);
		assertThat(server.isRunning()).isTrue();
		assertThat(server.hasMonitoring()).isTrue();
		try (Connection nc = Nats.connect(server.url())) {
			assertThat(nc.getStatus()).isEqualTo(Connection.Status.CONNECTED);
		}
	}

	@Nested
	class NestedClass {

		@Test
		void sharesTheEnclosingClassServer(NatsServer server) {
			assertThat(server).isSameAs(fromBeforeAll);
		}

	}

}
