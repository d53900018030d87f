package dev.natsbus.autoconfigure.security;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.natsbus.template.BusTemplate;
import dev.natsbus.autoconfigure.NatsBusAutoConfiguration;
import dev.natsbus.autoconfigure.NatsBusConnectionDetails;
import dev.natsbus.autoconfigure.NatsBusProperties;
import dev.natsbus.autoconfigure.health.NatsBusHealthContributorAutoConfiguration;
import dev.natsbus.test.NatsServer;
import io.nats.client.AuthHandler;
import io.nats.client.NKey;
import io.nats.client.support.JwtUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every secret these tests use, in every mode, right and wrong, at the most verbose level
 * the starter and jnats log: none appears in the log, an exception, a {@code toString()},
 * Actuator's {@code /env} and {@code /configprops} (values shown), or health details.
 */
@Timeout(60)
@ExtendWith(OutputCaptureExtension.class)
class NatsSecretsTests {

	private static final String PASSWORD = "pa55-SECRET-one";

	private static final String TOKEN = "t0ken-SECRET-two";

	private static final String URL_PASSWORD = "url-SECRET-three";

	private static final NKey user = TestJwt.newUser();

	private static final NKey stranger = TestJwt.newUser();

	private static final TestJwt jwt = new TestJwt();

	private static NatsServer userServer;

	private static NatsServer tokenServer;

	private static NatsServer nkeyServer;

	private static NatsServer jwtServer;

	private static Path goodCreds;

	private static Path expiredCreds;

	private static final List<String> secrets = new ArrayList<>();

	@TempDir
	static Path dir;

	@BeforeAll
	static void start() throws Exception {
		userServer = NatsServer.builder()
			.config("authorization { users: [ { user: alice, password: \"" + PASSWORD
					+ "\" }, { user: bob, password: \"" + URL_PASSWORD + "\" } ] }")
			.start();
		tokenServer = NatsServer.builder().config("authorization { token: \"" + TOKEN + "\" }").start();
		nkeyServer = NatsServer.builder()
			.config("authorization { users: [ { nkey: " + TestJwt.publicKey(user) + " } ] }")
			.start();
		jwtServer = NatsServer.builder().config(jwt.serverConfig()).start();
		goodCreds = jwt.credentials(dir, user, JwtUtils.currentTimeSeconds(), null);
		expiredCreds = jwt.credentials(dir, user, JwtUtils.currentTimeSeconds() - 3600, Duration.ofMinutes(1));
		secrets.addAll(List.of(PASSWORD, TOKEN, URL_PASSWORD, TestJwt.seed(user), TestJwt.seed(stranger),
				jwtOf(goodCreds), jwtOf(expiredCreds), "wrong-" + PASSWORD, "wrong-" + TOKEN, "wrong-" + URL_PASSWORD));
	}

	@AfterAll
	static void stop() {
		for (NatsServer server : new NatsServer[] { userServer, tokenServer, nkeyServer, jwtServer }) {
			if (server != null) {
				server.close();
			}
		}
	}

	@Test
	void noSecretInLogsOrExceptions(CapturedOutput output) {
		List<Throwable> failures = new ArrayList<>();
		String seedFile = writeSeedFile();
		// Every mode, right: connects and serves a request.
		roundTrip(failures, "natsbus.servers=" + userServer.url(), "natsbus.username=alice",
				"natsbus.password=" + PASSWORD);
		roundTrip(failures,
				"natsbus.servers=" + userServer.url().replace("nats://", "nats://bob:" + URL_PASSWORD + "@"));
		roundTrip(failures, "natsbus.servers=" + tokenServer.url(), "natsbus.token=" + TOKEN);
		roundTrip(failures, "natsbus.servers=" + nkeyServer.url(), "natsbus.nkey-seed=" + TestJwt.seed(user));
		roundTrip(failures, "natsbus.servers=" + nkeyServer.url(), "natsbus.nkey-seed-file=" + seedFile);
		roundTrip(failures, "natsbus.servers=" + jwtServer.url(), "natsbus.credentials=file:" + goodCreds);
		assertThat(failures).as("failures of the right credentials").isEmpty();
		// Every mode, wrong: fails start-up.
		fail(failures, "natsbus.servers=" + userServer.url(), "natsbus.username=alice",
				"natsbus.password=wrong-" + PASSWORD);
		fail(failures,
				"natsbus.servers=" + userServer.url().replace("nats://", "nats://bob:wrong-" + URL_PASSWORD + "@"));
		fail(failures, "natsbus.servers=nats://bob:" + URL_PASSWORD + "@127.0.0.1:1");
		fail(failures, "natsbus.servers=" + tokenServer.url(), "natsbus.token=wrong-" + TOKEN);
		fail(failures, "natsbus.servers=" + nkeyServer.url(), "natsbus.nkey-seed=" + TestJwt.seed(stranger));
		fail(failures, "natsbus.servers=" + jwtServer.url(), "natsbus.credentials=file:" + expiredCreds);
		fail(failures, "natsbus.servers=" + userServer.url(), "natsbus.token=" + TOKEN,
				"natsbus.nkey-seed=" + TestJwt.seed(user), "natsbus.username=alice", "natsbus.password=" + PASSWORD);
		assertThat(failures).hasSize(7);
		for (Throwable failure : failures) {
			SecurityTestSupport.assertNoSecrets(failure, secrets.toArray(String[]::new));
		}
		// Boot prints the failure analysis instead of the stack trace (which the loop
		// above
		// scanned).
		assertThat(output.getAll()).contains("authentication failed").contains("APPLICATION FAILED TO START");
		assertNoSecrets(output.getAll());
	}

	@Test
	void noSecretInHealthDetailsWhileFailingInTheBackground(CapturedOutput output) {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(NatsBusAutoConfiguration.class,
					NatsBusHealthContributorAutoConfiguration.class))
			.withPropertyValues(
					"natsbus.servers=" + userServer.url().replace("nats://", "nats://bob:wrong-" + URL_PASSWORD + "@"),
					"natsbus.background-connect=true", "natsbus.reconnect-wait=100ms")
			.run(context -> {
				assertThat(context).hasNotFailed();
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(output.getAll()).contains(
							"authentication failed at " + userServer.url() + " with the user info in natsbus.servers"));
				Map<String, HealthIndicator> indicators = context.getBeansOfType(HealthIndicator.class);
				// The bus's own indicator at least, or the loop below checks nothing.
				assertThat(indicators).isNotEmpty();
				for (HealthIndicator indicator : indicators.values()) {
					String health = indicator.health(true).toString();
					assertThat(health).contains("DOWN");
					assertNoSecrets(health);
				}
			});
		assertNoSecrets(output.getAll());
	}

	@Test
	void noSecretInToStringOrActuatorEndpoints() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NatsBusAutoConfiguration.class))
			.withUserConfiguration(OwnAuthHandler.class)
			.withPropertyValues(
					"natsbus.servers=" + nkeyServer.url().replace("nats://", "nats://bob:" + URL_PASSWORD + "@"),
					"natsbus.username=alice", "natsbus.password=" + PASSWORD, "natsbus.token=" + TOKEN,
					"natsbus.nkey-seed=" + TestJwt.seed(user), "NATSBUS_NKEYSEED=" + TestJwt.seed(stranger))
			.run(context -> {
				assertThat(context).hasNotFailed();
				assertNoSecrets(context.getBean(NatsBusProperties.class).toString());
				assertNoSecrets(context.getBean(NatsBusConnectionDetails.class).toString());
				List<SanitizingFunction> functions = List
					.copyOf(context.getBeansOfType(SanitizingFunction.class).values());
				assertThat(functions).hasExactlyElementsOfTypes(NatsBusSanitizingFunction.class);
				JsonMapper json = JsonMapper.builder().build();
				String env = json.writeValueAsString(
						new EnvironmentEndpoint(context.getEnvironment(), functions, Show.ALWAYS).environment(null));
				ConfigurationPropertiesReportEndpoint configprops = new ConfigurationPropertiesReportEndpoint(functions,
						Show.ALWAYS);
				configprops.setApplicationContext(context);
				String props = json.writeValueAsString(configprops.configurationPropertiesWithPrefix("natsbus"));
				assertThat(env).contains("natsbus.username").contains("******").contains("127.0.0.1");
				assertThat(props).contains("alice").contains("******").contains("127.0.0.1");
				assertNoSecrets(env);
				assertNoSecrets(props);
				// Why the function is needed: with values shown, Boot itself masks none
				// of these keys.
				String unsanitized = json.writeValueAsString(
						new EnvironmentEndpoint(context.getEnvironment(), List.of(), Show.ALWAYS).environment(null));
				assertThat(unsanitized).contains(PASSWORD).contains(TOKEN);
			});
	}

	private void roundTrip(List<Throwable> failures, String... properties) {
		run(failures,
				context -> assertThat(context.getBean(BusTemplate.class).request("security.echo", "x", String.class))
					.isEqualTo("echo:x"),
				properties);
	}

	private void fail(List<Throwable> failures, String... properties) {
		int before = failures.size();
		run(failures, context -> {
			throw new AssertionError("started with " + List.of(properties).size() + " properties");
		}, properties);
		assertThat(failures).hasSize(before + 1);
	}

	private void run(List<Throwable> failures, Consumer<ConfigurableApplicationContext> check, String... properties) {
		List<String> all = new ArrayList<>(List.of(properties));
		all.addAll(List.of("logging.level.dev.natsbus=trace", "logging.level.io.nats=trace",
				"natsbus.connection-timeout=1s", "spring.main.banner-mode=off"));
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SecretsApp.class)
			.web(WebApplicationType.NONE)
			.properties(all.toArray(String[]::new))
			.run()) {
			check.accept(context);
		}
		catch (AssertionError ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			failures.add(ex);
		}
	}

	private static void assertNoSecrets(String text) {
		for (String secret : secrets) {
			assertThat(text).doesNotContain(secret);
		}
	}

	private static String writeSeedFile() {
		try {
			return "file:" + Files.writeString(dir.resolve("user.nk"), TestJwt.seed(user), StandardCharsets.UTF_8);
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private static String jwtOf(Path creds) throws Exception {
		String text = Files.readString(creds);
		int start = text.indexOf("eyJ");
		return text.substring(start, text.indexOf('\n', start));
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ SslAutoConfiguration.class, NatsBusAutoConfiguration.class })
	@Import(SecurityTestSupport.Echo.class)
	static class SecretsApp {

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnAuthHandler {

		@Bean
		AuthHandler authHandler() {
			return NKeyAuthHandler.fromSeed(TestJwt.seed(user), "test");
		}

	}

}
