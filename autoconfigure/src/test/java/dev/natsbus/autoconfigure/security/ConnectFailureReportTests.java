package dev.natsbus.autoconfigure.security;

import dev.natsbus.autoconfigure.diagnostics.FailureReports;
import dev.natsbus.test.NatsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.diagnostics.FailureAnalysis;

import static dev.natsbus.autoconfigure.security.SecurityTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start-up failure report of TLS and authentication failures against real servers:
 * what went wrong with which server, and the properties to check.
 */
@Timeout(60)
class ConnectFailureReportTests {

	private static final TestPki pki = TestPki.get();

	private static NatsServer tlsServer;

	private static NatsServer wrongHostServer;

	private static NatsServer plainServer;

	private static NatsServer userServer;

	@BeforeAll
	static void startServers() {
		tlsServer = NatsServer.builder().config(pki.serverTls("server", false)).start();
		wrongHostServer = NatsServer.builder().config(pki.serverTls("wrong-host", false)).start();
		plainServer = NatsServer.builder().start();
		userServer = NatsServer.builder()
			.config("authorization { users: [ { user: app, password: \"right-pa55\" } ] }")
			.start();
	}

	@AfterAll
	static void stopServers() {
		for (NatsServer server : new NatsServer[] { tlsServer, wrongHostServer, plainServer, userServer }) {
			if (server != null) {
				server.close();
			}
		}
	}

	@Test
	void tlsOnlyServerWithoutTlsConfigured() {
		runner().withPropertyValues("natsbus.servers=" + tlsServer.url()).run(context -> {
			FailureAnalysis analysis = FailureReports.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains(tlsServer.url() + ": the server requires TLS");
			assertThat(analysis.getAction()).contains("Use tls:// URLs in natsbus.servers")
				.contains("natsbus.ssl.enabled=true")
				.contains("natsbus.ssl.bundle")
				.contains("natsbus.background-connect=true");
		});
	}

	@Test
	void plainServerWithTlsConfigured() {
		runner().withPropertyValues("natsbus.servers=" + plainServer.url(), "natsbus.ssl.enabled=true").run(context -> {
			FailureAnalysis analysis = FailureReports.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains(plainServer.url()
					+ ": TLS is configured (the JVM's default trust store) but the server does not offer it");
			assertThat(analysis.getAction()).contains("Use nats:// URLs and remove natsbus.ssl.enabled");
		});
	}

	@Test
	void wrongPasswordNamesTheModeAndItsProperties() {
		runner()
			.withPropertyValues("natsbus.servers=" + userServer.url(), "natsbus.username=app",
					"natsbus.password=wrong-pa55")
			.run(context -> {
				FailureAnalysis analysis = FailureReports.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains(userServer.url()
						+ ": authentication failed with natsbus.username/natsbus.password (server: Authorization "
						+ "Violation)");
				assertThat(analysis.getAction()).contains("Check natsbus.username/natsbus.password");
				assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain("pa55");
			});
	}

	@Test
	void untrustedCertificateNamesTheBundle() {
		runner()
			.withPropertyValues("spring.ssl.bundle.pem.other.truststore.certificate=" + pki.location("other-ca.pem"),
					"natsbus.servers=" + tlsServer.url(), "natsbus.ssl.bundle=other")
			.run(context -> {
				FailureAnalysis analysis = FailureReports.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription())
					.contains(tlsServer.url() + ": the server's TLS certificate is not trusted by SSL bundle 'other'");
				assertThat(analysis.getAction())
					.contains("Give natsbus.ssl.bundle (spring.ssl.bundle.*) a trust store");
			});
	}

	@Test
	void hostNameMismatchNamesTheVerification() {
		runner()
			.withPropertyValues("spring.ssl.bundle.pem.nats.truststore.certificate=" + pki.location("ca.pem"),
					"natsbus.servers=" + wrongHostServer.url(), "natsbus.ssl.bundle=nats")
			.run(context -> {
				FailureAnalysis analysis = FailureReports.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains(
						wrongHostServer.url() + ": the server's TLS certificate does not name the host connected to");
				assertThat(analysis.getAction()).contains("natsbus.ssl.verify-hostname=false");
			});
	}

}
