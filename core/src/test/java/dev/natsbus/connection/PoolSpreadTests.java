package dev.natsbus.connection;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.natsbus.conversion.JsonPayloadConverter;
import dev.natsbus.listener.BusListenerContainer;
import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.listener.SimpleBusListenerEndpoint;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServer;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's "Pool and raw jnats": requests go round robin over the connected
 * connections of the pool, listeners are spread over them by index. Each pooled
 * connection goes to a server of its own here, so the server that answers tells which
 * connection carried a request.
 */
@Timeout(60)
class PoolSpreadTests {

	private final List<NatsServer> servers = new ArrayList<>();

	private final List<Connection> responders = new ArrayList<>();

	private NatsConnectionPool pool;

	@BeforeEach
	void start() throws Exception {
		List<Options> options = new ArrayList<>();
		for (String name : List.of("a", "b", "c")) {
			NatsServer server = NatsServer.builder().start();
			this.servers.add(server);
			Connection responder = Nats.connect(server.url());
			responder
				.createDispatcher(
						(message) -> responder.publish(message.getReplyTo(), name.getBytes(StandardCharsets.UTF_8)))
				.subscribe("pool.who");
			responder.flush(Duration.ofSeconds(2));
			this.responders.add(responder);
			options.add(new Options.Builder().server(server.url())
				.connectionName("pool-" + name)
				.reportNoResponders()
				.reconnectWait(Duration.ofSeconds(30))
				.build());
		}
		this.pool = NatsConnectionPool.connect(options);
	}

	@AfterEach
	void stop() throws Exception {
		this.pool.close();
		for (Connection responder : this.responders) {
			responder.close();
		}
		this.servers.forEach(NatsServer::close);
	}

	@Test
	void requestsGoRoundRobinOverTheConnectedConnectionsOnly() {
		BusTemplate bus = new BusTemplate(this.pool, new JsonPayloadConverter());
		bus.start();
		try {
			List<String> answeredBy = new ArrayList<>();
			for (int i = 0; i < 6; i++) {
				answeredBy.add(bus.request("pool.who", "", String.class));
			}
			// One after the other, whichever connection the counter starts at.
			for (int i = 1; i < answeredBy.size(); i++) {
				String previous = answeredBy.get(i - 1);
				String expected = switch (previous) {
					case "a" -> "b";
					case "b" -> "c";
					default -> "a";
				};
				assertThat(answeredBy.get(i)).as("after %s in %s", previous, answeredBy).isEqualTo(expected);
			}
			Connection toB = this.pool.connection(1).orElseThrow();
			this.servers.get(1).kill();
			await().atMost(Duration.ofSeconds(10)).until(() -> toB.getStatus() != Connection.Status.CONNECTED);
			Set<String> afterKill = new HashSet<>();
			for (int i = 0; i < 12; i++) {
				// Not one fails: a connection that is down is skipped.
				afterKill.add(bus.request("pool.who", "", String.class));
			}
			assertThat(afterKill).containsExactlyInAnyOrder("a", "c");
		}
		finally {
			bus.stop();
			bus.destroy();
		}
	}

	@Test
	void listenersAreSpreadOverTheConnectionsByIndex() {
		BusListenerRegistry registry = new BusListenerRegistry(this.pool, new JsonPayloadConverter());
		registry.start();
		try {
			List<BusListenerContainer> containers = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				containers.add(registry
					.registerListener(SimpleBusListenerEndpoint.of("spread-" + i, "pool.spread." + i, (m) -> "ok")));
			}
			for (int i = 0; i < containers.size(); i++) {
				BusListenerContainer container = containers.get(i);
				await().atMost(Duration.ofSeconds(10)).until(container::isSubscribed);
				assertThat(container.getConnection()).as("listener %d", i)
					.isSameAs(this.pool.connection(i % 3).orElseThrow());
			}
		}
		finally {
			registry.stop();
		}
	}

}
