package dev.natsbus.benchmarks;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import dev.natsbus.BusClientInterceptor;
import dev.natsbus.BusListener;
import dev.natsbus.BusListenerInterceptor;
import dev.natsbus.BusServiceException;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.conversion.JsonPayloadConverter;
import dev.natsbus.listener.BusListenerAnnotationBeanPostProcessor;
import dev.natsbus.listener.BusListenerContainerFactory;
import dev.natsbus.listener.BusListenerRegistry;
import io.nats.client.Connection;
import io.nats.client.Consumer;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.MessageHandler;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Connections and responders of both sides. Requester and responder always use separate
 * connections, as two services would. Both sides get the same jnats {@link Options}
 * (defaults plus {@code reportNoResponders()}, as nats-bus requires).
 */
final class Fixtures {

	/**
	 * Connection problems (slow consumers, errors) are counted and reported, never
	 * hidden.
	 */
	static final AtomicLong connectionErrors = new AtomicLong();

	private static final ErrorListener errors = new ErrorListener() {

		@Override
		public void errorOccurred(Connection conn, String error) {
			report("error", error);
		}

		@Override
		public void exceptionOccurred(Connection conn, Exception exp) {
			report("exception", String.valueOf(exp));
		}

		@Override
		public void slowConsumerDetected(Connection conn, Consumer consumer) {
			report("slow consumer", conn.getOptions().getConnectionName());
		}

		private void report(String kind, String text) {
			if (connectionErrors.incrementAndGet() <= 10) {
				System.err.println("  ! NATS " + kind + ": " + text);
			}
		}

	};

	private Fixtures() {
	}

	static Options options(String url, String name) {
		return new Options.Builder().server(url)
			.connectionName(name)
			.reportNoResponders()
			.errorListener(errors)
			.build();
	}

	static Connection connect(String url, String name) {
		try {
			return Nats.connect(options(url, name));
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot connect to " + url, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static void flush(Connection connection) {
		try {
			connection.flush(Duration.ofSeconds(5));
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("Flush timed out", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static void closeQuietly(AutoCloseable closeable) {
		if (closeable == null) {
			return;
		}
		try {
			closeable.close();
		}
		catch (Exception ex) {
			System.err.println("  ! close failed: " + ex);
		}
	}

	/**
	 * Raw jnats: a responder connection with its dispatchers, and a requester connection.
	 */
	static final class Raw implements AutoCloseable {

		final Connection responder;

		final Connection requester;

		/**
		 * @param dispatchers how many dispatchers (each with its own thread) subscribe in
		 * the queue group: the plain-jnats way to handle N messages at once
		 */
		Raw(String url, String name, String subject, int dispatchers,
				java.util.function.Function<Connection, MessageHandler> handler) {
			this.responder = connect(url, name + "-responder");
			for (int i = 0; i < dispatchers; i++) {
				Dispatcher dispatcher = this.responder.createDispatcher(handler.apply(this.responder));
				dispatcher.subscribe(subject, "q");
			}
			flush(this.responder);
			this.requester = connect(url, name + "-requester");
		}

		@Override
		public void close() throws InterruptedException {
			this.requester.close();
			this.responder.close();
		}

	}

	/**
	 * nats-bus: a listener bean with a {@code @BusListener} method, found by the real
	 * annotation post-processor in a plain Spring context on a one-connection "server"
	 * pool, and a {@link BusTemplate} on a separate "client" pool of {@code poolSize}
	 * connections.
	 */
	static final class Bus implements AutoCloseable {

		final NatsConnectionPool serverPool;

		final NatsConnectionPool clientPool;

		final AnnotationConfigApplicationContext context; // null without a listener

		final BusTemplate template;

		/**
		 * @param listenerType the listener bean's class, or null for a template only (the
		 * responder is then someone else's)
		 * @param customizer applied to the template before use (experiments), or null
		 */
		<T> Bus(String url, String name, String subject, int concurrency, int poolSize, Class<T> listenerType,
				T listener, java.util.function.Consumer<BusTemplate> customizer, Duration timeout) {
			this(url, name, subject, concurrency, poolSize, listenerType, listener, customizer, null, timeout);
		}

		/**
		 * @param listeners applied to the listeners' container factory before they are
		 * created, or null
		 */
		<T> Bus(String url, String name, String subject, int concurrency, int poolSize, Class<T> listenerType,
				T listener, java.util.function.Consumer<BusTemplate> customizer,
				java.util.function.Consumer<BusListenerContainerFactory> listeners, Duration timeout) {
			JsonPayloadConverter converter = new JsonPayloadConverter();
			this.serverPool = NatsConnectionPool.connect(List.of(options(url, name + "-server")));
			if (listenerType != null) {
				BusListenerRegistry registry = new BusListenerRegistry(this.serverPool, converter);
				registry.setDrainTimeout(Duration.ofSeconds(2));
				if (listeners != null) {
					listeners.accept(registry.getContainerFactory());
				}
				AnnotationConfigApplicationContext ctx = new AnnotationConfigApplicationContext();
				ctx.getEnvironment()
					.getPropertySources()
					.addFirst(new MapPropertySource("benchmark",
							Map.of("bench.subject", subject, "bench.concurrency", Integer.toString(concurrency))));
				ctx.registerBean("busListenerRegistry", BusListenerRegistry.class, () -> registry);
				ctx.registerBean("busListenerAnnotationBeanPostProcessor", BusListenerAnnotationBeanPostProcessor.class,
						() -> new BusListenerAnnotationBeanPostProcessor(() -> ctx.getBean(BusListenerRegistry.class)));
				ctx.registerBean("listener", listenerType, () -> listener);
				ctx.refresh();
				this.context = ctx;
				this.serverPool.flush(Duration.ofSeconds(5));
			}
			else {
				this.context = null;
			}
			List<Options> clientOptions = new ArrayList<>();
			for (int i = 0; i < poolSize; i++) {
				clientOptions.add(options(url, name + "-client-" + i));
			}
			this.clientPool = NatsConnectionPool.connect(clientOptions);
			this.template = new BusTemplate(this.clientPool, converter);
			this.template.setDefaultTimeout(timeout);
			if (customizer != null) {
				customizer.accept(this.template);
			}
			this.template.start();
		}

		/** The first client connection, for driving the listener with plain jnats. */
		Connection clientConnection() {
			return this.clientPool.connection(0).orElseThrow();
		}

		@Override
		public void close() {
			if (this.context != null) {
				this.context.close();
			}
			this.template.stop();
			this.template.destroy();
			this.clientPool.close();
			this.serverPool.close();
		}

	}

	// The interceptors of scenario 7: a tenant header added by the caller and required by
	// the listener, the most common use.

	static final class TenantHeader implements BusClientInterceptor {

		@Override
		public org.springframework.messaging.Message<byte[]> preSend(String subject,
				org.springframework.messaging.Message<byte[]> message) {
			return MessageBuilder.fromMessage(message).setHeader("X-Tenant", "bench").build();
		}

	}

	static final class TenantCheck implements BusListenerInterceptor {

		@Override
		public void beforeHandle(org.springframework.messaging.Message<byte[]> message) {
			if (!"bench".equals(message.getHeaders().get("X-Tenant"))) {
				throw new BusServiceException(401, "X-Tenant header missing");
			}
		}

	}

	// The listener beans of the nats-bus side: what an application would write.

	public static class BytesEcho {

		@BusListener(subject = "${bench.subject}", concurrency = "${bench.concurrency}")
		public byte[] echo(byte[] body) {
			return body;
		}

	}

	public static class OrderEcho {

		@BusListener(subject = "${bench.subject}", concurrency = "${bench.concurrency}")
		public Order echo(Order order) {
			return order;
		}

	}

	public static class SlowEcho {

		@BusListener(subject = "${bench.subject}", concurrency = "${bench.concurrency}")
		public byte[] echo(byte[] body) throws InterruptedException {
			Scenarios.sleepInHandler(1);
			return body;
		}

	}

	public static class Sink {

		private final PublishLoad.Receiver receiver;

		public Sink(PublishLoad.Receiver receiver) {
			this.receiver = receiver;
		}

		@BusListener(subject = "${bench.subject}", concurrency = "${bench.concurrency}")
		public void receive(byte[] body) {
			this.receiver.onMessage(body);
		}

	}

}
