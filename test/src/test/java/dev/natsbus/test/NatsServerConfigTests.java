package dev.natsbus.test;

import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class NatsServerConfigTests {

	private static NatsServer server;

	@BeforeAll
	static void startWithToken() {
		server = NatsServer.builder().config("authorization { token: \"s3cret\" }").start();
	}

	@AfterAll
	static void stop() {
		server.close();
	}

	@Test
	void configIsWrittenToTheConfigFile() throws Exception {
		assertThat(server.configFile()).content().contains("token: \"s3cret\"").contains("host: 127.0.0.1");
	}

	@Test
	void connectionWithoutTokenIsRejected() {
		assertThatThrownBy(() -> Clients.connectOnce(server.url())).isInstanceOf(IOException.class);
	}

	@Test
	void connectionWithTokenIsAccepted() throws Exception {
		try (Connection nc = Nats.connect(Clients.onceOptions(server.url()).token("s3cret".toCharArray()).build())) {
			assertThat(nc.getStatus()).isEqualTo(Connection.Status.CONNECTED);
		}
	}

}
