package dev.natsbus.autoconfigure.security;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.test.NatsServer;
import io.nats.client.AuthHandler;
import io.nats.client.Connection;
import io.nats.client.NKey;
import io.nats.client.support.JwtUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static dev.natsbus.autoconfigure.security.SecurityTestSupport.assertConnectFailure;
import static dev.natsbus.autoconfigure.security.SecurityTestSupport.assertNoSecrets;
import static dev.natsbus.autoconfigure.security.SecurityTestSupport.assertRoundTrip;
import static dev.natsbus.autoconfigure.security.SecurityTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * NKey seeds, credentials files and AuthHandler beans against servers that require them,
 * and how wrong, expired, revoked or conflicting credentials fail. User/password and
 * token are in {@code NatsBusAuthenticationTests}.
 */
@Timeout(60)
@ExtendWith(OutputCaptureExtension.class)
class NatsAuthenticationModesTests {

	private static final NKey user = TestJwt.newUser();

	private static final NKey stranger = TestJwt.newUser();

	private static final NKey revokedUser = TestJwt.newUser();

	private static final TestJwt jwt = new TestJwt().revoke(revokedUser);

	private static NatsServer nkeyServer;

	private static NatsServer jwtServer;

	@TempDir
	static Path dir;

	@BeforeAll
	static void startServers() {
		nkeyServer = NatsServer.builder()
			.config("authorization { users: [ { nkey: " + TestJwt.publicKey(user) + " } ] }")
			.start();
		jwtServer = NatsServer.builder().config(jwt.serverConfig()).start();
	}

	@AfterAll
	static void stopServers() {
		if (nkeyServer != null) {
			nkeyServer.close();
		}
		if (jwtServer != null) {
			jwtServer.close();
		}
	}

	@Test
	void nkeySeed() {
		runner().withPropertyValues("natsbus.servers=" + nkeyServer.url(), "natsbus.nkey-seed=" + TestJwt.seed(user))
			.run(SecurityTestSupport::assertRoundTrip);
	}

	@Test
	void nkeySeedFile() throws Exception {
		Path seedFile = Files.writeString(dir.resolve("user.nk"), TestJwt.seed(user) + "\n", StandardCharsets.UTF_8);
		runner().withPropertyValues("natsbus.servers=" + nkeyServer.url(), "natsbus.nkey-seed-file=file:" + seedFile)
			.run(SecurityTestSupport::assertRoundTrip);
	}

	@Test
	void wrongSeedFailsStartUpNamingTheServerNotTheSeed() {
		String wrongSeed = TestJwt.seed(stranger);
		runner().withPropertyValues("natsbus.servers=" + nkeyServer.url(), "natsbus.nkey-seed=" + wrongSeed)
			.run(context -> {
				assertConnectFailure(context).hasMessageContaining("authentication failed with natsbus.nkey-seed")
					.hasMessageContaining(nkeyServer.url())
					.hasMessageContaining("Authorization Violation");
				assertNoSecrets(context.getStartupFailure(), wrongSeed);
			});
	}

	@Test
	void invalidSeedFailsWithoutQuotingIt() {
		String notASeed = "SUNOTAVALIDSEEDATALLXYZ";
		runner().withPropertyValues("natsbus.servers=" + nkeyServer.url(), "natsbus.nkey-seed=" + notASeed)
			.run(context -> {
				assertThat(context).getFailure()
					.rootCause()
					.hasMessageContaining("natsbus.nkey-seed is not a valid NKey seed");
				assertNoSecrets(context.getStartupFailure(), notASeed);
			});
	}

	@Test
	void accountSeedIsRefused() throws Exception {
		String accountSeed = new String(NKey.createAccount(new java.security.SecureRandom()).getSeed());
		runner().withPropertyValues("natsbus.servers=" + nkeyServer.url(), "natsbus.nkey-seed=" + accountSeed)
			.run(context -> {
				assertThat(context).getFailure()
					.rootCause()
					.hasMessageContaining("type ACCOUNT")
					.hasMessageContaining("SU");
				assertNoSecrets(context.getStartupFailure(), accountSeed);
			});
	}

	@Test
	void credentialsFile() {
		Path creds = jwt.credentials(dir, user, JwtUtils.currentTimeSeconds(), null);
		runner().withPropertyValues("natsbus.servers=" + jwtServer.url(), "natsbus.credentials=file:" + creds)
			.run(SecurityTestSupport::assertRoundTrip);
	}

	@Test
	void expiredCredentialsFailStartUp() throws Exception {
		Path creds = jwt.credentials(dir, user, JwtUtils.currentTimeSeconds() - 3600, Duration.ofMinutes(1));
		runner().withPropertyValues("natsbus.servers=" + jwtServer.url(), "natsbus.credentials=file:" + creds)
			.run(context -> {
				assertConnectFailure(context).hasMessageContaining("authentication failed with natsbus.credentials")
					.hasMessageContaining(jwtServer.url())
					.hasMessageContaining("the user JWT expires at");
				assertNoSecrets(context.getStartupFailure(), TestJwt.seed(user), jwtOf(creds));
			});
	}

	@Test
	void revokedCredentialsFailStartUp() throws Exception {
		Path creds = jwt.credentials(dir, revokedUser, JwtUtils.currentTimeSeconds() - 10, null);
		runner().withPropertyValues("natsbus.servers=" + jwtServer.url(), "natsbus.credentials=file:" + creds)
			.run(context -> {
				assertConnectFailure(context).hasMessageContaining("authentication failed with natsbus.credentials")
					.hasMessageContaining(jwtServer.url());
				assertNoSecrets(context.getStartupFailure(), TestJwt.seed(revokedUser), jwtOf(creds));
			});
	}

	@Test
	void missingOrMalformedCredentialsFileFailsNamingTheFile() throws Exception {
		Path notCreds = Files.writeString(dir.resolve("not.creds"), "just-some-secret-text", StandardCharsets.UTF_8);
		runner().withPropertyValues("natsbus.servers=" + jwtServer.url(), "natsbus.credentials=file:" + notCreds)
			.run(context -> {
				assertThat(context).getFailure().rootCause().hasMessageContaining("is not a NATS credentials file");
				assertNoSecrets(context.getStartupFailure(), "just-some-secret-text");
			});
		runner()
			.withPropertyValues("natsbus.servers=" + jwtServer.url(), "natsbus.credentials=file:" + dir.resolve("nope"))
			.run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("does not exist"));
	}

	@Test
	void authHandlerBeanWinsOverProperties() {
		runner().withUserConfiguration(OwnAuthHandler.class)
			.withPropertyValues("natsbus.servers=" + nkeyServer.url(), "natsbus.username=ignored",
					"natsbus.password=ignored-pa55")
			.run(SecurityTestSupport::assertRoundTrip);
	}

	@Test
	void twoModesFailStartUpNamingBothButNoValue() {
		String seed = TestJwt.seed(user);
		runner()
			.withPropertyValues("natsbus.servers=" + nkeyServer.url(), "natsbus.nkey-seed=" + seed,
					"natsbus.credentials=file:/nowhere.creds", "natsbus.token=t0ken-value")
			.run(context -> {
				assertThat(context).getFailure()
					.rootCause()
					.hasMessageContaining("natsbus.token, natsbus.nkey-seed and natsbus.credentials are all set");
				assertNoSecrets(context.getStartupFailure(), seed, "t0ken-value");
			});
		runner()
			.withPropertyValues("natsbus.servers=" + nkeyServer.url(), "natsbus.nkey-seed=" + seed,
					"natsbus.nkey-seed-file=file:/nowhere.nk")
			.run(context -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("natsbus.nkey-seed and natsbus.nkey-seed-file are set")
				.hasMessageNotContaining(seed));
		runner().withPropertyValues("natsbus.servers=" + nkeyServer.url(), "natsbus.password=lonely-pa55")
			.run(context -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("natsbus.password is set without natsbus.username")
				.hasMessageNotContaining("lonely-pa55"));
	}

	@Test
	void backgroundConnectWithWrongCredentialsStartsDownAndLogsWhy(CapturedOutput output) {
		String wrongSeed = TestJwt.seed(stranger);
		runner()
			.withPropertyValues("natsbus.servers=" + nkeyServer.url(), "natsbus.nkey-seed=" + wrongSeed,
					"natsbus.background-connect=true")
			.run(context -> {
				assertThat(context).hasNotFailed();
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(output.getAll())
						.contains("authentication failed at " + nkeyServer.url() + " with natsbus.nkey-seed"));
				assertThat(context.getBean(NatsConnectionPool.class).connection(0).map(Connection::getStatus))
					.isNotEqualTo(Optional.of(Connection.Status.CONNECTED));
			});
		assertThat(output.getAll()).doesNotContain(wrongSeed);
	}

	private static String jwtOf(Path creds) throws Exception {
		String text = Files.readString(creds);
		return text.substring(text.indexOf("eyJ"), text.indexOf("\n", text.indexOf("eyJ")));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnAuthHandler {

		@Bean
		AuthHandler authHandler() {
			return NKeyAuthHandler.fromSeed(TestJwt.seed(user), "test");
		}

	}

}
