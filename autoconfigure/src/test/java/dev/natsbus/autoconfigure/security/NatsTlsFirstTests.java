package dev.natsbus.autoconfigure.security;

import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.test.NatsServer;
import dev.natsbus.test.RequiresNatsServer;
import io.nats.client.Options;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.natsbus.autoconfigure.security.SecurityTestSupport.assertConnectFailure;
import static dev.natsbus.autoconfigure.security.SecurityTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code natsbus.ssl.tls-first} against a server with {@code handshake_first}: the TLS
 * handshake comes before the server's INFO, saving a round trip and letting TLS-only
 * proxies pass NATS. nats-server has it since 2.10.
 */
@Timeout(60)
@RequiresNatsServer("2.10")
class NatsTlsFirstTests {

	private static final TestPki pki = TestPki.get();

	private static NatsServer tlsFirstServer;

	@BeforeAll
	static void startServer() {
		tlsFirstServer = NatsServer.builder().config(pki.serverTlsFirst("server")).start();
	}

	@AfterAll
	static void stopServer() {
		tlsFirstServer.close();
	}

	@Test
	void tlsFirstClientTalksToAHandshakeFirstServer() {
		runner().withPropertyValues(trust())
			.withPropertyValues("natsbus.servers=" + tlsFirstServer.url(), "natsbus.ssl.bundle=nats",
					"natsbus.ssl.tls-first=true")
			.run(context -> {
				SecurityTestSupport.assertRoundTrip(context);
				Options options = context.getBean(NatsConnectionPool.class).connection(0).get().getOptions();
				assertThat(options.isTlsFirst()).isTrue();
				assertThat(options.isTLSRequired()).isTrue();
			});
	}

	@Test
	void withoutTlsFirstTheClientCannotConnect() {
		runner().withPropertyValues(trust())
			.withPropertyValues("natsbus.servers=" + tlsFirstServer.url(), "natsbus.ssl.bundle=nats")
			.run(context -> assertConnectFailure(context).hasMessageContaining(tlsFirstServer.url())
				.hasMessageContaining("the TLS handshake did not complete"));
	}

	private static String trust() {
		return "spring.ssl.bundle.pem.nats.truststore.certificate=" + pki.location("ca.pem");
	}

}
