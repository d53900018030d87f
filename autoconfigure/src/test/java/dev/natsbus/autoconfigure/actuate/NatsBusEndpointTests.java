package dev.natsbus.autoconfigure.actuate;

import java.time.Duration;
import java.util.List;

import dev.natsbus.BusRemoteException;
import dev.natsbus.autoconfigure.NatsBusAutoConfiguration;
import dev.natsbus.listener.BusListenerContainer;
import dev.natsbus.listener.BusListenerContainer.State;
import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServer;
import dev.natsbus.test.NatsServerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The {@code natsbus} endpoint's operations, invoked on the beans the auto-configuration
 * makes, against a real nats-server.
 */
@NatsServerTest
@Timeout(60)
class NatsBusEndpointTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(NatsBusAutoConfiguration.class, NatsBusEndpointAutoConfiguration.class))
		.withUserConfiguration(EndpointTestListeners.class)
		.withPropertyValues("natsbus.connection-name=orders", "natsbus.pool.size=2",
				"management.endpoints.web.exposure.include=natsbus");

	@Test
	void listsTheListenersAndTheConnections(NatsServer server) {
		run(server, (context) -> {
			BusTemplate bus = context.getBean(BusTemplate.class);
			assertThat(bus.request(EndpointTestListeners.QUOTES, "acme", String.class)).isEqualTo("ACME");
			assertThatExceptionOfType(BusRemoteException.class)
				.isThrownBy(() -> bus.request(EndpointTestListeners.QUOTES, "NOPE", String.class));

			// A listener counts a request, and frees its worker, just after replying.
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				ListenerDescriptor settled = listener(context.getBean(NatsBusEndpoint.class).bus(), "quotes");
				assertThat(settled.busyWorkers()).isZero();
				assertThat(settled.requests()).isEqualTo(2);
			});
			NatsBusDescriptor descriptor = context.getBean(NatsBusEndpoint.class).bus();

			assertThat(descriptor.listeners()).extracting(ListenerDescriptor::id)
				.containsExactlyInAnyOrder("echo", "gated", "quotes");
			ListenerDescriptor quotes = listener(descriptor, "quotes");
			assertThat(quotes.subject()).isEqualTo(EndpointTestListeners.QUOTES);
			assertThat(quotes.queueGroup()).isEqualTo("pricing");
			assertThat(quotes.concurrency()).isEqualTo(2);
			assertThat(quotes.state()).isEqualTo(State.RUNNING);
			assertThat(quotes.busyWorkers()).isZero();
			assertThat(quotes.requests()).isEqualTo(2);
			assertThat(quotes.errors()).isEqualTo(1);
			assertThat(quotes.lastError()).isEqualTo("404:no quote for NOPE");
			assertThat(quotes.processingTimeNanos()).isPositive();
			assertThat(quotes.averageProcessingTimeNanos()).isEqualTo(quotes.processingTimeNanos() / 2);
			assertThat(quotes.expiredRequests()).isZero();
			assertThat(quotes.droppedMessages()).isZero();
			assertThat(quotes.pendingMessages()).isZero();
			// Listeners are spread over the pool's connections.
			assertThat(descriptor.listeners()).extracting(ListenerDescriptor::connection)
				.containsOnly("orders-0", "orders-1")
				.contains("orders-0", "orders-1");
			ListenerDescriptor echo = listener(descriptor, "echo");
			assertThat(echo.queueGroup()).isEqualTo("q");
			assertThat(echo.concurrency()).isEqualTo(1);
			assertThat(echo.requests()).isZero();
			assertThat(echo.lastError()).isNull();

			assertThat(descriptor.connections()).extracting(ConnectionDescriptor::name)
				.containsExactly("orders-0", "orders-1");
			for (ConnectionDescriptor connection : descriptor.connections()) {
				assertThat(connection.status()).isEqualTo("CONNECTED");
				assertThat(connection.server()).isEqualTo(server.url());
				assertThat(connection.servers()).containsExactly(server.url());
				assertThat(connection.reconnects()).isZero();
				assertThat(connection.rttMillis()).isNotNull().isNotNegative();
			}
		});
	}

	@Test
	void describesOneListenerByIdAndNoneForAnUnknownId(NatsServer server) {
		run(server, (context) -> {
			NatsBusEndpoint endpoint = context.getBean(NatsBusEndpoint.class);
			NatsBusEndpointWebExtension web = context.getBean(NatsBusEndpointWebExtension.class);

			assertThat(endpoint.listener("gated")).isEqualTo(listener(endpoint.bus(), "gated"));
			WebEndpointResponse<ListenerDescriptor> found = web.listener("gated");
			assertThat(found.getStatus()).isEqualTo(200);
			assertThat(found.getBody().subject()).isEqualTo(EndpointTestListeners.GATED);

			assertThat(endpoint.listener("nope")).isNull();
			assertThat(web.listener("nope").getStatus()).isEqualTo(404);
			assertThat(endpoint.changeListener("nope", "pause")).isNull();
			assertThat(web.changeListener("nope", "pause").getStatus()).isEqualTo(404);
		});
	}

	@Test
	void pauseAnswersTheDeliveredMessagesAndRefusesNewOnesUntilResumed(NatsServer server) {
		run(server, (context) -> {
			NatsBusEndpoint endpoint = context.getBean(NatsBusEndpoint.class);
			BusListenerContainer gated = context.getBean(BusListenerRegistry.class)
				.getListenerContainer("gated")
				.orElseThrow();
			PauseScenario.pauseAndResume(context.getBean(BusTemplate.class),
					context.getBean(EndpointTestListeners.class), gated,
					() -> endpoint.changeListener("gated", "pause").state().name(),
					() -> endpoint.changeListener("gated", "resume").state().name());
			// Pausing one listener leaves the others serving.
			assertThat(endpoint.listener("echo").state()).isEqualTo(State.RUNNING);
		});
	}

	@Test
	void anUnknownActionIsRefusedNamingTheActionsAndChangesNothing(NatsServer server) {
		run(server, (context) -> {
			NatsBusEndpoint endpoint = context.getBean(NatsBusEndpoint.class);
			NatsBusEndpointWebExtension web = context.getBean(NatsBusEndpointWebExtension.class);

			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.changeListener("echo", "explode"))
				.withMessage("Unknown action 'explode'; the actions are [pause, resume]");
			WebEndpointResponse<?> refused = web.changeListener("echo", "stop");
			assertThat(refused.getStatus()).isEqualTo(400);
			assertThat(refused.getBody()).isEqualTo(new InvalidActionDescriptor(
					"Unknown action 'stop'; the actions are [pause, resume]", List.of("pause", "resume")));
			assertThat(endpoint.listener("echo").state()).isEqualTo(State.RUNNING);
			assertThat(context.getBean(BusTemplate.class).request(EndpointTestListeners.ECHO, "still", String.class))
				.isEqualTo("still");

			// Actions in any case; resuming a running listener leaves it running.
			assertThat(endpoint.changeListener("echo", "Resume").state()).isEqualTo(State.RUNNING);
			assertThat(endpoint.changeListener("echo", "PAUSE").state()).isEqualTo(State.PAUSED);
			assertThat(endpoint.changeListener("echo", "pause").state()).isEqualTo(State.PAUSED);
		});
	}

	@Test
	void neverShowsCredentials() {
		String password = "actuator-SECRET-pw";
		try (NatsServer server = NatsServer.builder()
			.config("authorization { user: \"orders\", password: \"" + password + "\" }")
			.start()) {
			this.runner
				.withPropertyValues(
						"natsbus.servers=" + server.url().replace("nats://", "nats://orders:" + password + "@"))
				.run((context) -> {
					assertThat(context).hasNotFailed();
					NatsBusDescriptor descriptor = context.getBean(NatsBusEndpoint.class).bus();
					assertThat(descriptor.connections()).allSatisfy((connection) -> {
						assertThat(connection.status()).isEqualTo("CONNECTED");
						assertThat(connection.server()).isEqualTo(server.url());
						assertThat(connection.servers()).containsExactly(server.url());
					});
					String json = JsonMapper.builder().build().writeValueAsString(descriptor);
					assertThat(json).contains(server.url()).doesNotContain(password);
				});
		}
	}

	private static ListenerDescriptor listener(NatsBusDescriptor descriptor, String id) {
		return descriptor.listeners().stream().filter((listener) -> listener.id().equals(id)).findFirst().orElseThrow();
	}

	private void run(NatsServer server, ContextConsumer<AssertableApplicationContext> test) {
		this.runner.withPropertyValues("natsbus.servers=" + server.url()).run((context) -> {
			assertThat(context).hasNotFailed();
			test.accept(context);
		});
	}

}
