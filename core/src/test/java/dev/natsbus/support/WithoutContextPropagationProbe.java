package dev.natsbus.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.conversion.JsonPayloadConverter;
import dev.natsbus.template.BusTemplate;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;

/**
 * Runs in {@link WithoutContextPropagationTests}' class loader: a template on the
 * standard executors, a synchronous and an asynchronous request.
 */
public final class WithoutContextPropagationProbe {

	private WithoutContextPropagationProbe() {
	}

	public static String run(String url) throws Exception {
		try (Connection responder = Nats.connect(url);
				NatsConnectionPool pool = NatsConnectionPool
					.connect(List.of(new Options.Builder().server(url).reportNoResponders().build()))) {
			// The asynchronous reply waits until its dependent stage is attached, so that
			// the
			// stage runs where the completion does, never on this thread.
			CountDownLatch attached = new CountDownLatch(1);
			responder.createDispatcher((message) -> {
				String body = new String(message.getData(), StandardCharsets.UTF_8);
				if (body.equals("b") && !attached.await(10, TimeUnit.SECONDS)) {
					return;
				}
				responder.publish(message.getReplyTo(), ("echo:" + body).getBytes(StandardCharsets.UTF_8));
			}).subscribe("probe.echo");
			responder.flush(Duration.ofSeconds(2));
			// Spring introspects bean classes: every method signature must resolve.
			int methods = DefaultBusTaskExecutors.class.getDeclaredMethods().length
					+ BusTaskExecutors.class.getDeclaredMethods().length;
			DefaultBusTaskExecutors executors = new DefaultBusTaskExecutors();
			executors.setContextCapture(null);
			BusTemplate template = new BusTemplate(pool, new JsonPayloadConverter(), executors);
			template.start();
			try {
				String sync = template.request("probe.echo", "a", String.class);
				CompletableFuture<String> stage = template.requestAsync("probe.echo", "b", String.class)
					.thenApply(
							(reply) -> reply + "@" + Thread.currentThread().getName().startsWith("natsbus-callback"));
				attached.countDown();
				String async = stage.get(10, TimeUnit.SECONDS);
				return sync + " " + async + " " + (methods > 0);
			}
			finally {
				template.stop();
				template.destroy();
			}
		}
	}

}
