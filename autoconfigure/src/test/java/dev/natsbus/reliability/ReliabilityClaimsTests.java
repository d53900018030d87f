package dev.natsbus.reliability;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.natsbus.BusException;
import dev.natsbus.BusListener;
import dev.natsbus.listener.BusListenerContainer;
import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServer;
import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Figures of the README's reliability table asserted with the bound the table states: the
 * memory of a flooded listener (measured on the heap, not only as a message count) and
 * the time until an application started without a server serves.
 */
@Timeout(120)
class ReliabilityClaimsTests {

	/** The README's bound on heap growth while 240 MB are thrown at a slow listener. */
	private static final long HEAP_BOUND = 48L * 1024 * 1024;

	/** The README's bound on serving after the server appears (background connect). */
	private static final Duration SERVING_BOUND = Duration.ofSeconds(3);

	@Test
	void aFloodedListenerKeepsTheHeapBounded() throws Exception {
		int pendingLimit = 200;
		int flood = 30_000;
		byte[] body = new byte[8 * 1024];
		try (NatsServer server = NatsServer.builder().start()) {
			ConfigurableApplicationContext app = ReliabilityApps.start(server.url(), Blocked.class,
					"spring.application.name=heap-app", "natsbus.listener.pending-messages=" + pendingLimit);
			Blocked blocked = app.getBean(Blocked.class);
			try (Connection flooder = Nats.connect(server.url())) {
				BusListenerContainer container = app.getBean(BusListenerRegistry.class)
					.getListenerContainer("claims-blocked")
					.orElseThrow();
				await().atMost(Duration.ofSeconds(10)).until(container::isSubscribed);
				flooder.publish("claims.blocked", body);
				assertThat(blocked.entered.await(10, TimeUnit.SECONDS)).isTrue();
				long before = heapUsedAfterGc();
				for (int i = 1; i < flood; i++) {
					flooder.publish("claims.blocked", body);
				}
				flooder.flush(Duration.ofSeconds(30));
				await().atMost(Duration.ofSeconds(60))
					.until(() -> 1 + container.getPendingMessages() + container.getDroppedCount() == flood);
				long growth = heapUsedAfterGc() - before;
				Tally.report("Overload: 30,000 messages of 8 KB (240 MB) to a blocked listener, pending limit 200",
						flood, 1 + container.getPendingMessages(), "dropped " + container.getDroppedCount(),
						String.format("1 in the handler, %d held; heap grew by %d KB (bound %d MB)",
								container.getPendingMessages(), growth / 1024, HEAP_BOUND / 1024 / 1024));
				assertThat(container.getPendingMessages()).isEqualTo(pendingLimit);
				assertThat(growth).as("heap growth in bytes").isLessThan(HEAP_BOUND);
			}
			finally {
				blocked.gate.countDown();
				app.close();
			}
		}
	}

	@Test
	void anApplicationStartedWithoutAServerServesSoonAfterItAppears() throws Exception {
		int port = freePort();
		try (NatsServer server = NatsServer.builder().port(port).build()) {
			ConfigurableApplicationContext app = ReliabilityApps.start("nats://127.0.0.1:" + port, Echo.class,
					"spring.application.name=late-claims", "natsbus.background-connect=true");
			try {
				BusTemplate bus = app.getBean(BusTemplate.class);
				long appearedAt = System.nanoTime();
				server.start();
				await().atMost(SERVING_BOUND.plusSeconds(10)).pollInterval(Duration.ofMillis(10)).until(() -> {
					try {
						return "x".equals(bus.request("claims.echo", "x", String.class, Duration.ofMillis(500)));
					}
					catch (BusException ex) {
						return false;
					}
				});
				Duration serving = Duration.ofNanos(System.nanoTime() - appearedAt);
				Tally.report("Start with the server down (background-connect), first answer once it appears", 1, 1, "—",
						"serving " + serving.toMillis() + " ms after the server appeared (bound "
								+ SERVING_BOUND.toMillis() + " ms)");
				assertThat(serving).isLessThan(SERVING_BOUND);
			}
			finally {
				app.close();
			}
		}
	}

	/** Heap in use once the garbage is collected: the least of a few readings. */
	private static long heapUsedAfterGc() {
		long least = Long.MAX_VALUE;
		for (int i = 0; i < 3; i++) {
			System.gc();
			least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
		}
		return least;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	static class Blocked {

		final CountDownLatch entered = new CountDownLatch(1);

		final CountDownLatch gate = new CountDownLatch(1);

		@BusListener(subject = "claims.blocked", id = "claims-blocked", concurrency = "1")
		void block(byte[] body) throws InterruptedException {
			this.entered.countDown();
			this.gate.await(60, TimeUnit.SECONDS);
		}

	}

	static class Echo {

		@BusListener(subject = "claims.echo", id = "claims-echo")
		String echo(String text) {
			return text;
		}

	}

}
