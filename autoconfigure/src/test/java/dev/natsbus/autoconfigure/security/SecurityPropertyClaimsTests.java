package dev.natsbus.autoconfigure.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.test.NatsServer;
import io.nats.client.Connection;
import io.nats.client.NKey;
import io.nats.client.support.JwtUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's security property rows that only a connection can show: a credentials file
 * is read again at every connect, and {@code natsbus.ssl.enabled=false} keeps TLS off
 * even with a bundle.
 */
@Timeout(60)
class SecurityPropertyClaimsTests {

	@TempDir
	Path dir;

	@Test
	void theCredentialsFileIsReadAgainOnEveryConnect() throws Exception {
		TestJwt jwt = new TestJwt();
		NKey first = TestJwt.newUser();
		NKey second = TestJwt.newUser();
		Path creds = this.dir.resolve("app.creds");
		Files.copy(jwt.credentials(this.dir, first, JwtUtils.currentTimeSeconds(), null), creds);
		try (NatsServer server = NatsServer.builder().config(jwt.serverConfig()).monitoring().start()) {
			SecurityTestSupport.runner()
				.withPropertyValues("natsbus.servers=" + server.url(), "natsbus.credentials=file:" + creds)
				.run((context) -> {
					SecurityTestSupport.assertRoundTrip(context);
					Connection connection = context.getBean(NatsConnectionPool.class).connection(0).orElseThrow();
					assertThat(connectedUsers(server)).contains(TestJwt.publicKey(first));
					// A rotated file, as a secret manager writes it; the next connect
					// must use it.
					Files.move(jwt.credentials(this.dir, second, JwtUtils.currentTimeSeconds(), null), creds,
							StandardCopyOption.REPLACE_EXISTING);
					long reconnects = connection.getStatistics().getReconnects();
					server.restart();
					await().atMost(Duration.ofSeconds(20))
						.until(() -> connection.getStatus() == Connection.Status.CONNECTED
								&& connection.getStatistics().getReconnects() > reconnects);
					SecurityTestSupport.assertRoundTrip(context);
					String users = connectedUsers(server);
					assertThat(users).contains(TestJwt.publicKey(second)).doesNotContain(TestJwt.publicKey(first));
				});
		}
	}

	@Test
	void sslEnabledFalseKeepsTlsOffEvenWithABundle() {
		TestPki pki = TestPki.get();
		try (NatsServer plain = NatsServer.builder().start()) {
			SecurityTestSupport.runner()
				.withPropertyValues("spring.ssl.bundle.pem.nats.truststore.certificate=" + pki.location("ca.pem"),
						"natsbus.ssl.bundle=nats", "natsbus.ssl.enabled=false", "natsbus.servers=" + plain.url())
				.run((context) -> {
					// A TLS client cannot talk to this server, which offers no TLS.
					SecurityTestSupport.assertRoundTrip(context);
					Connection connection = context.getBean(NatsConnectionPool.class).connection(0).orElseThrow();
					assertThat(connection.getOptions().isTLSRequired()).isFalse();
					assertThat(connection.getOptions().getSslContext()).isNull();
				});
		}
	}

	/**
	 * The server's view of its client connections, with the user each authenticated as.
	 */
	private static String connectedUsers(NatsServer server) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(server.monitoringUrl() + "/connz?auth=true"))
				.timeout(Duration.ofSeconds(5))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

}
