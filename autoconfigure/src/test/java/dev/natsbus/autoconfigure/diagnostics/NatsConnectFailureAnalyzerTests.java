package dev.natsbus.autoconfigure.diagnostics;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import dev.natsbus.autoconfigure.NatsBusAutoConfiguration;
import dev.natsbus.test.NatsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report of a bus that cannot connect at start-up, from the real failure of an
 * application context against real ports and servers.
 */
@Timeout(60)
class NatsConnectFailureAnalyzerTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatsBusAutoConfiguration.class))
		.withPropertyValues("natsbus.connection-timeout=500ms");

	@Test
	void closedPortIsConnectionRefused() throws IOException {
		String server = "nats://127.0.0.1:" + closedPort();
		this.runner.withPropertyValues("natsbus.servers=" + server).run(context -> {
			FailureAnalysis analysis = FailureReports.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("connection 'natsbus-0'")
				.contains(server + ": connection refused (nothing listens there)");
			assertThat(analysis.getAction()).contains("natsbus.servers").contains("natsbus.background-connect=true");
		});
	}

	@Test
	void unresolvableHostIsUnknownHost() {
		this.runner.withPropertyValues("natsbus.servers=nats://no-such-host.invalid:4222").run(context -> {
			FailureAnalysis analysis = FailureReports.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription())
				.contains("nats://no-such-host.invalid:4222: unknown host 'no-such-host.invalid'");
			assertThat(analysis.getAction()).contains("Check the host names in natsbus.servers");
		});
	}

	@Test
	void silentPortTimesOut() throws IOException {
		// Accepts connections (the backlog does) and never says a word, as no NATS server
		// would.
		try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			String server = "nats://127.0.0.1:" + silent.getLocalPort();
			this.runner.withPropertyValues("natsbus.servers=" + server).run(context -> {
				FailureAnalysis analysis = FailureReports.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription())
					.contains(server + ": no answer from a NATS server within 500ms (natsbus.connection-timeout)");
				assertThat(analysis.getAction()).contains("natsbus.connection-timeout (now 500ms)");
			});
		}
	}

	@Test
	void eachServerTriedIsNamedWithItsOwnCause() throws IOException {
		String refused = "nats://127.0.0.1:" + closedPort();
		String unknown = "nats://no-such-host.invalid:4222";
		try (NatsServer authServer = NatsServer.builder().config("authorization { token: \"right-t0ken\" }").start()) {
			this.runner
				.withPropertyValues("natsbus.servers=" + refused + "," + unknown + "," + authServer.url(),
						"natsbus.token=wrong-t0ken")
				.run(context -> {
					FailureAnalysis analysis = FailureReports.analyze(context.getStartupFailure());
					assertThat(analysis.getDescription()).contains(refused + ": connection refused")
						.contains(unknown + ": unknown host 'no-such-host.invalid'")
						.contains(authServer.url() + ": authentication failed with natsbus.token")
						.doesNotContain("wrong-t0ken");
					assertThat(analysis.getAction()).contains("Check natsbus.token")
						.contains("Check the host names in natsbus.servers")
						.contains("natsbus.background-connect=true")
						.doesNotContain("wrong-t0ken");
				});
		}
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
