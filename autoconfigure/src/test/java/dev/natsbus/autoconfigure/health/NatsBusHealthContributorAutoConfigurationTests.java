package dev.natsbus.autoconfigure.health;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import dev.natsbus.autoconfigure.NatsBusAutoConfiguration;
import dev.natsbus.test.NatsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code natsbus} health contributor, against a real server that stops and comes
 * back.
 */
@Timeout(60)
class NatsBusHealthContributorAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(NatsBusAutoConfiguration.class, NatsBusHealthContributorAutoConfiguration.class))
		.withPropertyValues("natsbus.connection-name=orders", "natsbus.reconnect-wait=100ms",
				"natsbus.connection-timeout=1s");

	@Test
	void reportsEachConnectionAndFollowsAServerThatStopsAndRestarts() throws IOException {
		try (NatsServer server = NatsServer.builder().port(freePort()).start()) {
			this.runner.withPropertyValues("natsbus.servers=" + server.url(), "natsbus.pool.size=2").run(context -> {
				assertThat(context).hasSingleBean(NatsBusHealthIndicator.class).hasBean("natsbusHealthIndicator");
				NatsBusHealthIndicator indicator = context.getBean(NatsBusHealthIndicator.class);
				Health up = indicator.health();
				assertThat(up.getStatus()).isEqualTo(Status.UP);
				Map<String, Object> connections = connections(up);
				assertThat(connections).containsOnlyKeys("orders-0", "orders-1");
				assertThat(connection(up, "orders-0")).containsEntry("status", "CONNECTED")
					.containsEntry("server", server.url())
					.containsEntry("reconnects", 0L)
					.containsKey("rttMillis");
				assertThat((Double) connection(up, "orders-0").get("rttMillis")).isGreaterThanOrEqualTo(0.0);

				server.stop();
				try {
					await().atMost(Duration.ofSeconds(10))
						.untilAsserted(() -> assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN));
					Health down = indicator.health();
					assertThat(connection(down, "orders-0").get("status")).isIn("DISCONNECTED", "RECONNECTING");
					assertThat(connection(down, "orders-0")).doesNotContainKey("rttMillis");
				}
				finally {
					server.start();
				}
				await().atMost(Duration.ofSeconds(15))
					.untilAsserted(() -> assertThat(indicator.health().getStatus()).isEqualTo(Status.UP));
				assertThat(connection(indicator.health(), "orders-1")).containsEntry("reconnects", 1L)
					.containsEntry("status", "CONNECTED");
			});
		}
	}

	@Test
	void downUntilABackgroundConnectSucceeds() throws IOException {
		int port = freePort();
		try (NatsServer server = NatsServer.builder().port(port).build()) {
			this.runner
				.withPropertyValues("natsbus.servers=nats://127.0.0.1:" + port, "natsbus.background-connect=true")
				.run(context -> {
					NatsBusHealthIndicator indicator = context.getBean(NatsBusHealthIndicator.class);
					Health connecting = indicator.health();
					assertThat(connecting.getStatus()).isEqualTo(Status.DOWN);
					assertThat(connection(connecting, "orders-0")).containsEntry("status", "CONNECTING")
						.containsEntry("servers", "nats://127.0.0.1:" + port);
					server.start();
					await().atMost(Duration.ofSeconds(15))
						.untilAsserted(() -> assertThat(indicator.health().getStatus()).isEqualTo(Status.UP));
				});
		}
	}

	@Test
	void neverShowsCredentials() throws IOException {
		try (NatsServer server = NatsServer.builder()
			.port(freePort())
			.config("authorization { user: \"orders\", password: \"s3cret-pw\" }")
			.start()) {
			String url = "nats://orders:s3cret-pw@127.0.0.1:" + server.port();
			this.runner.withPropertyValues("natsbus.servers=" + url).run(context -> {
				assertThat(context).hasNotFailed();
				Health health = context.getBean(NatsBusHealthIndicator.class).health();
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(connection(health, "orders-0")).containsEntry("server", server.url());
				assertThat(health.toString()).doesNotContain("s3cret-pw");
			});
		}
	}

	@Test
	void absentWithoutSpringBootHealthOrWhenDisabled() throws IOException {
		try (NatsServer server = NatsServer.builder().port(freePort()).start()) {
			this.runner.withPropertyValues("natsbus.servers=" + server.url())
				.withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
				.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("natsbusHealthIndicator"));
			this.runner.withPropertyValues("natsbus.servers=" + server.url(), "management.health.natsbus.enabled=false")
				.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("natsbusHealthIndicator"));
		}
	}

	@Test
	void backsOffForTheApplicationsOwnIndicator() throws IOException {
		try (NatsServer server = NatsServer.builder().port(freePort()).start()) {
			this.runner.withPropertyValues("natsbus.servers=" + server.url())
				.withBean("natsbusHealthIndicator", org.springframework.boot.health.contributor.HealthIndicator.class,
						() -> () -> Health.up().withDetail("custom", true).build())
				.run(context -> assertThat(context).doesNotHaveBean(NatsBusHealthIndicator.class));
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> connections(Health health) {
		return (Map<String, Object>) health.getDetails().get("connections");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> connection(Health health, String name) {
		return (Map<String, Object>) connections(health).get(name);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
