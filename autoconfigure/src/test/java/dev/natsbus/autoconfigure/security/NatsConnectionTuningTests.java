package dev.natsbus.autoconfigure.security;

import java.time.Duration;

import dev.natsbus.template.BusTemplate;
import dev.natsbus.autoconfigure.NatsBusAutoConfiguration;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.test.NatsServer;
import io.nats.client.Options;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each connection tuning property reaches the live connection, and the defaults are the
 * documented ones.
 */
@Timeout(30)
class NatsConnectionTuningTests {

	private static NatsServer server;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatsBusAutoConfiguration.class));

	@BeforeAll
	static void startServer() {
		server = NatsServer.builder().start();
	}

	@AfterAll
	static void stopServer() {
		if (server != null) {
			server.close();
		}
	}

	private static Options liveOptions(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		return context.getBean(NatsConnectionPool.class).connection(0).orElseThrow().getOptions();
	}

	@Test
	void everyPropertyReachesTheConnection() {
		this.runner
			.withPropertyValues("natsbus.servers=" + server.url(), "natsbus.connection-timeout=750ms",
					"natsbus.max-reconnects=7", "natsbus.reconnect-wait=300ms", "natsbus.reconnect-jitter=40ms",
					"natsbus.reconnect-jitter-tls=400ms", "natsbus.reconnect-buffer-size=1MB",
					"natsbus.ping-interval=45s", "natsbus.max-pings-out=5", "natsbus.inbox-prefix=_APP",
					"natsbus.no-echo=true", "natsbus.shutdown.drain-timeout=3s")
			.run(context -> {
				Options options = liveOptions(context);
				assertThat(options.getConnectionTimeout()).isEqualTo(Duration.ofMillis(750));
				assertThat(options.getMaxReconnect()).isEqualTo(7);
				assertThat(options.getReconnectWait()).isEqualTo(Duration.ofMillis(300));
				assertThat(options.getReconnectJitter()).isEqualTo(Duration.ofMillis(40));
				assertThat(options.getReconnectJitterTls()).isEqualTo(Duration.ofMillis(400));
				assertThat(options.getReconnectBufferSize()).isEqualTo(1024 * 1024);
				assertThat(options.getPingInterval()).isEqualTo(Duration.ofSeconds(45));
				assertThat(options.getMaxPingsOut()).isEqualTo(5);
				assertThat(options.getInboxPrefix()).isEqualTo("_APP.");
				assertThat(options.isNoEcho()).isTrue();
				assertThat(ReflectionTestUtils.getField(context.getBean(BusTemplate.class), "drainTimeout"))
					.isEqualTo(Duration.ofSeconds(3));
				assertThat(ReflectionTestUtils.getField(context.getBean(BusListenerRegistry.class), "drainTimeout"))
					.isEqualTo(Duration.ofSeconds(3));
			});
	}

	@Test
	void defaultsAreTheDocumentedOnes() {
		this.runner.withPropertyValues("natsbus.servers=" + server.url()).run(context -> {
			Options options = liveOptions(context);
			assertThat(options.getConnectionTimeout()).isEqualTo(Duration.ofSeconds(2));
			assertThat(options.getMaxReconnect()).isEqualTo(-1);
			assertThat(options.getReconnectWait()).isEqualTo(Duration.ofSeconds(2));
			// The README's property table, literally: not jnats' constants, which could
			// change under the table.
			assertThat(options.getReconnectJitter()).isEqualTo(Duration.ofMillis(100));
			assertThat(options.getReconnectJitterTls()).isEqualTo(Duration.ofSeconds(1));
			assertThat(options.getReconnectBufferSize()).isEqualTo(8L * 1024 * 1024);
			assertThat(options.getPingInterval()).isEqualTo(Duration.ofMinutes(2));
			assertThat(options.getMaxPingsOut()).isEqualTo(2);
			assertThat(options.getInboxPrefix()).isEqualTo("_INBOX.");
			assertThat(options.isNoEcho()).isFalse();
			assertThat(options.isTLSRequired()).isFalse();
		});
	}

	@Test
	void unlimitedReconnectBuffer() {
		this.runner.withPropertyValues("natsbus.servers=" + server.url(), "natsbus.reconnect-buffer-size=-1B")
			.run(context -> assertThat(liveOptions(context).getReconnectBufferSize()).isNegative());
	}

}
