package dev.natsbus.reliability;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.natsbus.BusConnectionException;
import dev.natsbus.BusListener;
import dev.natsbus.BusNoRespondersException;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.listener.BusListenerContainer;
import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.test.NatsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The server is killed (SIGKILL) under load and comes back on the same port; and an
 * application starts before any server runs.
 */
@Timeout(120)
class ServerRestartTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	@Test
	void serverRestartUnderLoad() throws Exception {
		try (NatsServer server = NatsServer.builder().start()) {
			ConfigurableApplicationContext app = ReliabilityApps.start(server.url(), Echo.class,
					"spring.application.name=restart-app", "natsbus.listener.concurrency=2",
					"natsbus.reconnect-wait=250ms");
			try {
				BusTemplate bus = app.getBean(BusTemplate.class);
				BusListenerContainer container = app.getBean(BusListenerRegistry.class).getListenerContainers().get(0);
				// Warm up with the same load, so that every pool has its threads before
				// the baseline.
				Tally warmUp = new Tally();
				try (Load load = load(bus, warmUp).start()) {
					await().atMost(Duration.ofSeconds(20)).until(() -> warmUp.succeeded() >= 300);
				}
				assertThat(warmUp.failedCount()).isZero();
				int threadsBefore = ReliabilityApps.settledThreadCount();

				Tally tally = new Tally();
				long downAt;
				long upAt;
				AtomicLong firstSuccessAfterRestart = new AtomicLong();
				try (Load load = load(bus, tally).start()) {
					await().atMost(Duration.ofSeconds(20)).until(() -> tally.succeeded() >= 200);
					downAt = System.nanoTime();
					server.kill();
					// Down for three seconds: callers must be told, quickly, that the
					// connection is down.
					long downFailures = tally.failedCount();
					await().pollDelay(Duration.ofSeconds(3))
						.atMost(Duration.ofSeconds(6))
						.until(() -> tally.failedCount() > downFailures);
					upAt = System.nanoTime();
					server.start();
					long succeededAtRestart = tally.succeeded();
					await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> {
						if (tally.succeeded() > succeededAtRestart) {
							firstSuccessAfterRestart.compareAndSet(0, System.nanoTime());
							return true;
						}
						return false;
					});
					long succeeded = tally.succeeded();
					await().atMost(Duration.ofSeconds(10)).until(() -> tally.succeeded() >= succeeded + 200);
				}
				long recoveryMillis = TimeUnit.NANOSECONDS.toMillis(firstSuccessAfterRestart.get() - upAt);
				assertThat(container.isSubscribed()).isTrue();

				// Every failure while the server was down says the connection is down,
				// within the
				// request's timeout. In the instant after the restart the connection is
				// up while
				// jnats is still re-sending the subscriptions: a request may find no
				// responder then.
				List<Tally.Failure> failures = tally.failures();
				for (Tally.Failure failure : failures) {
					assertThat(failure.millis()).isLessThan(TIMEOUT.toMillis() + 1_000);
					assertThat(failure.endNanos()).isGreaterThanOrEqualTo(downAt);
					if (failure.exception() instanceof BusNoRespondersException) {
						assertThat(failure.startNanos()).isGreaterThanOrEqualTo(upAt);
						continue;
					}
					assertThat(failure.exception()).isInstanceOf(BusConnectionException.class);
					assertThat(failure.exception().getMessage()).contains("connection to NATS is down");
				}
				long fastFailures = failures.stream().filter(failure -> failure.millis() < 100).count();

				// Nothing left behind: no pending futures, no extra threads.
				await().atMost(Duration.ofSeconds(5)).until(() -> bus.getRequestsInFlight() == 0);
				await().atMost(Duration.ofSeconds(30))
					.pollInterval(Duration.ofMillis(500))
					.until(() -> ReliabilityApps.threadCount() <= threadsBefore + 2);
				int threadsAfter = ReliabilityApps.threadCount();

				tally.report("Server killed under load, restarted on the same port after 3 s",
						String.format(
								"first success %d ms after restart; %d of the failures fast (<100 ms); "
										+ "threads %d before, %d after; 0 pending futures",
								recoveryMillis, fastFailures, threadsBefore, threadsAfter));
				assertThat(recoveryMillis).isLessThan(5_000);
				assertThat(tally.failedCount()).isPositive();
			}
			finally {
				app.close();
			}
		}
	}

	@Test
	void startsWithTheServerDownAndServesOnceItAppears() throws Exception {
		int port = freePort();
		try (NatsServer server = NatsServer.builder().port(port).build()) {
			long start = System.nanoTime();
			ConfigurableApplicationContext app = ReliabilityApps.start("nats://127.0.0.1:" + port, Echo.class,
					"spring.application.name=late-app", "natsbus.background-connect=true");
			try {
				long startupMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
				BusTemplate bus = app.getBean(BusTemplate.class);
				BusListenerContainer container = app.getBean(BusListenerRegistry.class).getListenerContainers().get(0);
				assertThat(container.isSubscribed()).isFalse();
				Tally tally = new Tally();
				long[] serverAt = new long[1];
				try (Load load = load(bus, tally).start()) {
					await().atMost(Duration.ofSeconds(10)).until(() -> tally.failedCount() >= 20);
					serverAt[0] = System.nanoTime();
					server.start();
					await().atMost(Duration.ofSeconds(15)).until(container::isSubscribed);
					await().atMost(Duration.ofSeconds(10)).until(() -> tally.succeeded() >= 100);
					long lastFailure = tally.failures()
						.stream()
						.mapToLong(Tally.Failure::endNanos)
						.max()
						.orElse(serverAt[0]);
					tally.report("Start-up with the server down (background-connect), server appears later",
							String.format(
									"context started in %d ms without a server; last failure %d ms after the "
											+ "server started",
									startupMillis,
									Math.max(0, TimeUnit.NANOSECONDS.toMillis(lastFailure - serverAt[0]))));
				}
				// Before the server appears: connection down. Once it is there the
				// connection is up a
				// moment before the listener has subscribed: no responders then, as for
				// any late listener.
				for (Tally.Failure failure : tally.failures()) {
					assertThat(failure.millis()).isLessThan(TIMEOUT.toMillis() + 1_000);
					if (failure.startNanos() < serverAt[0]) {
						assertThat(failure.exception()).isInstanceOf(BusConnectionException.class);
					}
					else {
						assertThat(failure.exception()).isInstanceOfAny(BusConnectionException.class,
								BusNoRespondersException.class);
					}
				}
			}
			finally {
				app.close();
			}
		}
	}

	private static Load load(BusTemplate bus, Tally tally) {
		return new Load("restart", 3, Duration.ofMillis(5), tally, sequence -> {
			String reply = bus.request("restart.echo", "m" + sequence, String.class, TIMEOUT);
			if (!reply.equals("m" + sequence)) {
				throw new AssertionError("Wrong reply " + reply);
			}
		});
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	static class Echo {

		@BusListener(subject = "restart.echo", id = "restart-echo")
		String echo(String text) {
			return text;
		}

	}

}
