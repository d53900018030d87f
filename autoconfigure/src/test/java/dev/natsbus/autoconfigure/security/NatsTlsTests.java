package dev.natsbus.autoconfigure.security;

import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.test.NatsServer;
import io.nats.client.Options;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.natsbus.autoconfigure.security.SecurityTestSupport.assertConnectFailure;
import static dev.natsbus.autoconfigure.security.SecurityTestSupport.assertNoSecrets;
import static dev.natsbus.autoconfigure.security.SecurityTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * TLS against servers that require it, with key material from Spring Boot SSL bundles
 * ({@code spring.ssl.bundle.pem.*}, {@code spring.ssl.bundle.jks.*}) generated at test
 * time.
 */
@Timeout(60)
class NatsTlsTests {

	private static final TestPki pki = TestPki.get();

	private static NatsServer tlsServer;

	private static NatsServer wrongHostServer;

	private static NatsServer mutualTlsServer;

	@BeforeAll
	static void startServers() {
		tlsServer = NatsServer.builder().config(pki.serverTls("server", false)).start();
		wrongHostServer = NatsServer.builder().config(pki.serverTls("wrong-host", false)).start();
		mutualTlsServer = NatsServer.builder().config(pki.serverTls("server", true)).start();
	}

	@AfterAll
	static void stopServers() {
		for (NatsServer server : new NatsServer[] { tlsServer, wrongHostServer, mutualTlsServer }) {
			if (server != null) {
				server.close();
			}
		}
	}

	private static String[] pemTrust(String bundle, String ca) {
		return new String[] { "spring.ssl.bundle.pem." + bundle + ".truststore.certificate=" + pki.location(ca) };
	}

	@Test
	void pemBundleTrust() {
		runner().withPropertyValues(pemTrust("nats", "ca.pem"))
			.withPropertyValues("natsbus.servers=" + tlsServer.url(), "natsbus.ssl.bundle=nats")
			.run(context -> {
				SecurityTestSupport.assertRoundTrip(context);
				Options options = context.getBean(NatsConnectionPool.class).connection(0).get().getOptions();
				assertThat(options.isTLSRequired()).isTrue();
				assertThat(options.isTlsFirst()).isFalse();
			});
	}

	@Test
	void jksBundleTrustWithTlsUrl() {
		runner()
			.withPropertyValues("spring.ssl.bundle.jks.nats.truststore.location=" + pki.location("truststore.p12"),
					"spring.ssl.bundle.jks.nats.truststore.type=PKCS12",
					"spring.ssl.bundle.jks.nats.truststore.password=" + TestPki.STORE_PASSWORD)
			.withPropertyValues("natsbus.servers=" + tlsServer.url().replace("nats://", "tls://"),
					"natsbus.ssl.bundle=nats")
			.run(SecurityTestSupport::assertRoundTrip);
	}

	@Test
	void wrongTrustFailsWithACertificateError() {
		runner().withPropertyValues(pemTrust("other", "other-ca.pem"))
			.withPropertyValues("natsbus.servers=" + tlsServer.url(), "natsbus.ssl.bundle=other")
			.run(context -> assertConnectFailure(context).hasMessageContaining(tlsServer.url())
				.hasMessageContaining("the server's TLS certificate is not trusted by SSL bundle 'other'")
				.hasMessageContaining("PKIX"));
	}

	@Test
	void sslEnabledUsesTheJvmDefaultTrust() {
		// The test CA is not in the JVM's trust store: the failure shows which trust was
		// used.
		runner().withPropertyValues("natsbus.servers=" + tlsServer.url(), "natsbus.ssl.enabled=true")
			.run(context -> assertConnectFailure(context)
				.hasMessageContaining("not trusted by the JVM's default trust store"));
	}

	@Test
	void tlsUrlUsesTheJvmDefaultTrust() {
		runner().withPropertyValues("natsbus.servers=" + tlsServer.url().replace("nats://", "tls://"))
			.run(context -> assertConnectFailure(context)
				.hasMessageContaining("not trusted by the JVM's default trust store"));
	}

	@Test
	void tlsUrlWithTlsSwitchedOffFails() {
		runner()
			.withPropertyValues("natsbus.servers=" + tlsServer.url().replace("nats://", "tls://"),
					"natsbus.ssl.enabled=false")
			.run(context -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("natsbus.ssl.enabled is false, but natsbus.servers has tls:// URLs"));
	}

	@Test
	void hostNameIsVerifiedByDefault() {
		runner().withPropertyValues(pemTrust("nats", "ca.pem"))
			.withPropertyValues("natsbus.servers=" + wrongHostServer.url(), "natsbus.ssl.bundle=nats")
			.run(context -> assertConnectFailure(context).hasMessageContaining("does not name the host connected to")
				.hasMessageContaining("natsbus.ssl.verify-hostname"));
	}

	@Test
	void hostNameVerificationCanBeSwitchedOff() {
		runner().withPropertyValues(pemTrust("nats", "ca.pem"))
			.withPropertyValues("natsbus.servers=" + wrongHostServer.url(), "natsbus.ssl.bundle=nats",
					"natsbus.ssl.verify-hostname=false")
			.run(SecurityTestSupport::assertRoundTrip);
	}

	@Test
	void mutualTlsWithTheBundlesClientCertificate() {
		runner().withPropertyValues(pemTrust("mtls", "ca.pem"))
			.withPropertyValues("spring.ssl.bundle.pem.mtls.keystore.certificate=" + pki.location("client.pem"),
					"spring.ssl.bundle.pem.mtls.keystore.private-key=" + pki.location("client-key.pem"))
			.withPropertyValues("natsbus.servers=" + mutualTlsServer.url(), "natsbus.ssl.bundle=mtls")
			.run(SecurityTestSupport::assertRoundTrip);
	}

	@Test
	void mutualTlsRefusedWithoutClientCertificate() {
		runner().withPropertyValues(pemTrust("nats", "ca.pem"))
			.withPropertyValues("natsbus.servers=" + mutualTlsServer.url(), "natsbus.ssl.bundle=nats")
			.run(context -> assertConnectFailure(context).hasMessageContaining(mutualTlsServer.url())
				.hasMessageContaining("mutual TLS")
				.hasMessageContaining("key store"));
	}

	@Test
	void plainClientIsToldTheServerRequiresTls() {
		runner().withPropertyValues("natsbus.servers=" + tlsServer.url())
			.run(context -> assertConnectFailure(context).hasMessageContaining("the server requires TLS"));
	}

	@Test
	void bundleSecretsStayOutOfFailures() {
		runner()
			.withPropertyValues("spring.ssl.bundle.jks.nats.truststore.location=" + pki.location("truststore.p12"),
					"spring.ssl.bundle.jks.nats.truststore.type=PKCS12",
					"spring.ssl.bundle.jks.nats.truststore.password=" + TestPki.STORE_PASSWORD)
			.withPropertyValues("natsbus.servers=" + mutualTlsServer.url(), "natsbus.ssl.bundle=nats")
			.run(context -> assertNoSecrets(context.getStartupFailure(), TestPki.STORE_PASSWORD));
	}

}
