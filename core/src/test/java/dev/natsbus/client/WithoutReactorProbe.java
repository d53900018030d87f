package dev.natsbus.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.natsbus.BusClient;
import dev.natsbus.BusReplies;
import dev.natsbus.BusRequest;
import dev.natsbus.BusRequestMany;
import dev.natsbus.RequestMany;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.conversion.JsonPayloadConverter;
import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.listener.SimpleBusListenerEndpoint;
import dev.natsbus.template.BusTemplate;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;

/**
 * Runs in {@link WithoutReactorTests}' class loader: a template, a client proxy and a raw
 * jnats responder, every call kind that needs no Reactor; listeners, one of them
 * streaming.
 */
public final class WithoutReactorProbe {

	private WithoutReactorProbe() {
	}

	@BusClient(timeout = "2s")
	public interface ProbeClient {

		@BusRequest("probe.ping")
		String ping(String text);

		@BusRequest("probe.ping")
		CompletableFuture<String> pingAsync(String text);

		@BusRequest("probe.ping")
		void pingVoid(String text);

		@BusRequestMany(value = "probe.many", maxReplies = "1")
		BusReplies<String> many(String text);

	}

	public static String run(String url) throws Exception {
		try (Connection responder = Nats.connect(url);
				NatsConnectionPool pool = NatsConnectionPool
					.connect(List.of(new Options.Builder().server(url).reportNoResponders().build()))) {
			responder.createDispatcher((message) -> {
				String text = new String(message.getData(), StandardCharsets.UTF_8);
				String prefix = message.getSubject().equals("probe.many") ? "many:" : "";
				responder.publish(message.getReplyTo(), (prefix + text).getBytes(StandardCharsets.UTF_8));
			}).subscribe("probe.>");
			responder.flush(Duration.ofSeconds(2));
			BusTemplate template = new BusTemplate(pool, new JsonPayloadConverter());
			template.start();
			BusListenerRegistry listeners = new BusListenerRegistry(pool, new JsonPayloadConverter());
			listeners.registerListener(SimpleBusListenerEndpoint.of("probe-listener", "listen.one",
					(message) -> "heard:" + new String(message.getPayload(), StandardCharsets.UTF_8)));
			listeners.registerListener(
					SimpleBusListenerEndpoint.of("probe-stream", "listen.stream", (message) -> Stream.of("a", "b")));
			listeners.start();
			try {
				ProbeClient client = new BusClientProxyFactory(template).createClient(ProbeClient.class);
				String sync = client.ping("ping");
				String future = client.pingAsync("ping").get(5, TimeUnit.SECONDS);
				client.pingVoid("ping");
				pool.flush(Duration.ofSeconds(2));
				String heard = template.request("listen.one", "hi", String.class);
				List<String> streamed = template
					.requestMany("listen.stream", "x", String.class,
							RequestMany.sentinel().withMaxWait(Duration.ofSeconds(5)))
					.values();
				return "pong:" + sync + ", future:" + future + ", void, replies:" + client.many("ping").values() + ", "
						+ heard + ", streamed:" + streamed;
			}
			finally {
				listeners.stop();
				template.stop();
				template.destroy();
			}
		}
	}

}
