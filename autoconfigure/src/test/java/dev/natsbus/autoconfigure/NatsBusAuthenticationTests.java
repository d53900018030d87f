package dev.natsbus.autoconfigure;

import dev.natsbus.BusConnectionException;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.test.NatsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code natsbus.username}/{@code password} and {@code natsbus.token} against servers
 * that require them.
 */
@Timeout(30)
class NatsBusAuthenticationTests {

	private static NatsServer userServer;

	private static NatsServer tokenServer;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatsBusAutoConfiguration.class))
		// jnats waits this long for the server's answer after an authorization violation.
		.withPropertyValues("natsbus.connection-timeout=500ms");

	@BeforeAll
	static void startServers() {
		userServer = NatsServer.builder().config("authorization { user: alice, password: \"pa55word\" }").start();
		tokenServer = NatsServer.builder().config("authorization { token: \"t0ken-s3cret\" }").start();
	}

	@AfterAll
	static void stopServers() {
		if (userServer != null) {
			userServer.close();
		}
		if (tokenServer != null) {
			tokenServer.close();
		}
	}

	@Test
	void connectsWithUsernameAndPassword() {
		this.runner
			.withPropertyValues("natsbus.servers=" + userServer.url(), "natsbus.username=alice",
					"natsbus.password=pa55word")
			.run(context -> assertThat(context.getBean(NatsConnectionPool.class).connection(0)).isPresent());
	}

	@Test
	void connectsWithToken() {
		this.runner.withPropertyValues("natsbus.servers=" + tokenServer.url(), "natsbus.token=t0ken-s3cret")
			.run(context -> assertThat(context.getBean(NatsConnectionPool.class).connection(0)).isPresent());
	}

	@Test
	void wrongPasswordFailsStartUpWithoutShowingIt() {
		this.runner
			.withPropertyValues("natsbus.servers=" + userServer.url(), "natsbus.username=alice",
					"natsbus.password=wrong-pa55")
			.run(context -> {
				Throwable failure = context.getStartupFailure();
				assertThat(NatsBusStartupWithoutServerTests.causeOfType(failure, BusConnectionException.class))
					.hasMessageContaining("Could not connect to NATS at " + userServer.url())
					.hasMessageContaining("authentication failed with natsbus.username/natsbus.password")
					.hasMessageContaining("Authorization Violation");
				for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
					assertThat(String.valueOf(cause.getMessage())).doesNotContain("wrong-pa55");
				}
			});
	}

	@Test
	void wrongTokenFailsStartUpWithoutShowingIt() {
		this.runner.withPropertyValues("natsbus.servers=" + tokenServer.url(), "natsbus.token=wrong-t0ken")
			.run(context -> {
				Throwable failure = context.getStartupFailure();
				assertThat(NatsBusStartupWithoutServerTests.causeOfType(failure, BusConnectionException.class))
					.hasMessageContaining("Could not connect to NATS at " + tokenServer.url())
					.hasMessageContaining("authentication failed with natsbus.token");
				for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
					assertThat(String.valueOf(cause.getMessage())).doesNotContain("wrong-t0ken");
				}
			});
	}

	@Test
	void missingTokenFailsStartUp() {
		this.runner.withPropertyValues("natsbus.servers=" + tokenServer.url())
			.run(context -> assertThat(context).getFailure().hasStackTraceContaining("Authorization Violation"));
	}

}
