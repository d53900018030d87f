package dev.natsbus.reliability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.natsbus.BusConnectionException;
import dev.natsbus.BusListener;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.listener.BusListenerContainer;
import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.micro.MicroServiceResponder;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServer;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's shutdown section, in a real web application: the phases run in the
 * documented order (web server, discovery, listeners, template, connections), recorded by
 * probes that run between them; a listener still draining can call the bus; a handler
 * that outlives the drain timeout does not hold the shutdown.
 */
@Timeout(120)
@ExtendWith(OutputCaptureExtension.class)
class ShutdownOrderTests {

	private static NatsServer server;

	private static Connection raw;

	@BeforeAll
	static void start() throws Exception {
		server = NatsServer.builder().start();
		raw = Nats.connect(new Options.Builder().server(server.url()).reportNoResponders().build());
		raw.createDispatcher((message) -> raw.publish(message.getReplyTo(), "raw".getBytes(StandardCharsets.UTF_8)))
			.subscribe("order.raw");
		raw.flush(Duration.ofSeconds(2));
	}

	@AfterAll
	static void stop() throws Exception {
		raw.close();
		server.close();
	}

	@Test
	void thePhasesRunInTheDocumentedOrder() throws Exception {
		ConfigurableApplicationContext context = start(OrderApp.class, "natsbus.shutdown.drain-timeout=5s");
		Probes probes = context.getBean(Probes.class);
		Connection connection = context.getBean(NatsConnectionPool.class).connection(0).orElseThrow();
		assertThat(probes.snapshot()).isEqualTo("answered=false discovery=true listening=true template=true CONNECTED");
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		CompletableFuture<HttpResponse<String>> http = HttpClient.newHttpClient()
			.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(probes.httpEntered.await(10, TimeUnit.SECONDS)).isTrue();
		context.close();
		assertThat(http).succeedsWithin(Duration.ofSeconds(10))
			.satisfies((response) -> assertThat(response.body()).isEqualTo("echo:x"));
		assertThat(probes.recorded).containsExactly(
				"after the web server: answered=true discovery=true listening=true template=true CONNECTED",
				"after the listeners: answered=true discovery=false listening=false template=true CONNECTED",
				"after the template: answered=true discovery=false listening=false template=false CONNECTED");
		assertThat(connection.getStatus()).isEqualTo(Connection.Status.CLOSED);
	}

	@Test
	void aListenerStillDrainingAnswersAndMayCallTheBusWhileDiscoveryIsAlreadyGone() throws Exception {
		ConfigurableApplicationContext context = start(DrainApp.class, "natsbus.shutdown.drain-timeout=10s");
		Draining draining = context.getBean(Draining.class);
		CompletableFuture<io.nats.client.Message> reply = raw.request("order.hold", new byte[] { 'x' });
		assertThat(draining.entered.await(10, TimeUnit.SECONDS)).isTrue();
		context.close();
		assertThat(reply).succeedsWithin(Duration.ofSeconds(10))
			.satisfies((message) -> assertThat(new String(message.getData(), StandardCharsets.UTF_8))
				.isEqualTo("held, discovery=false, bus said raw"));
	}

	@Test
	void aHandlerThatOutlivesTheDrainTimeoutDoesNotHoldTheShutdown(CapturedOutput output) throws Exception {
		ConfigurableApplicationContext context = start(StuckApp.class, "natsbus.shutdown.drain-timeout=1s");
		Stuck stuck = context.getBean(Stuck.class);
		raw.publish("order.stuck", new byte[] { 'x' });
		try {
			assertThat(stuck.entered.await(10, TimeUnit.SECONDS)).isTrue();
			long start = System.nanoTime();
			context.close();
			long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
			// Bounded by the drain timeout (with room for a loaded machine), far below
			// the
			// 60 s the handler would take.
			assertThat(closeMillis).isLessThan(10_000);
			assertThat(output.getAll())
				.containsPattern("Listener '.*Stuck.stuck' still had work running after the drain timeout");
		}
		finally {
			stuck.release.countDown();
		}
	}

	private static ConfigurableApplicationContext start(Class<?> application, String... properties) {
		return new SpringApplicationBuilder(application).web(WebApplicationType.SERVLET)
			.properties("server.port=0", "natsbus.servers=" + server.url(), "spring.main.banner-mode=off",
					"spring.application.name=shutdown-order")
			.properties(properties)
			.run();
	}

	/** Whether any discovery responder answers a {@code $SRV.PING} of this service. */
	static boolean discoveryAnswers() {
		try {
			io.nats.client.Message reply = raw.request("$SRV.PING.shutdown-order", new byte[0], Duration.ofSeconds(1));
			return reply != null && !reply.isStatusMessage();
		}
		catch (Exception ex) {
			return false;
		}
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = "org.springframework.boot.tomcat.autoconfigure.reactive"
			+ ".TomcatReactiveWebServerAutoConfiguration")
	@Import({ SlowController.class, Echo.class, Probes.class })
	static class OrderApp {

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = "org.springframework.boot.tomcat.autoconfigure.reactive"
			+ ".TomcatReactiveWebServerAutoConfiguration")
	@Import(Draining.class)
	static class DrainApp {

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = "org.springframework.boot.tomcat.autoconfigure.reactive"
			+ ".TomcatReactiveWebServerAutoConfiguration")
	@Import(Stuck.class)
	static class StuckApp {

	}

	@RestController
	static class SlowController {

		private final BusTemplate bus;

		private final Probes probes;

		SlowController(BusTemplate bus, Probes probes) {
			this.bus = bus;
			this.probes = probes;
		}

		/** Answers once the shutdown has begun, through the bus. */
		@GetMapping("/slow")
		String slow() throws InterruptedException {
			this.probes.httpEntered.countDown();
			assertThat(this.probes.shutdownBegun.await(20, TimeUnit.SECONDS)).isTrue();
			String reply = this.bus.request("order.echo", "x", String.class);
			this.probes.answered = true;
			return reply;
		}

	}

	static class Echo {

		@BusListener("order.echo")
		String echo(String text) {
			return "echo:" + text;
		}

	}

	/**
	 * Lifecycle beans in the phases between the bus's own, each recording what still
	 * works when its stop runs. Higher phases stop first.
	 */
	static class Probes {

		final CountDownLatch httpEntered = new CountDownLatch(1);

		final CountDownLatch shutdownBegun = new CountDownLatch(1);

		final List<String> recorded = new CopyOnWriteArrayList<>();

		volatile boolean answered;

		private final ObjectProvider<BusTemplate> bus;

		private final ObjectProvider<BusListenerRegistry> registry;

		private final ObjectProvider<NatsConnectionPool> pool;

		Probes(ObjectProvider<BusTemplate> bus, ObjectProvider<BusListenerRegistry> registry,
				ObjectProvider<NatsConnectionPool> pool) {
			this.bus = bus;
			this.registry = registry;
			this.pool = pool;
		}

		String snapshot() {
			boolean listening = this.registry.getObject()
				.getListenerContainers()
				.stream()
				.allMatch(BusListenerContainer::isSubscribed);
			boolean template;
			try {
				template = "raw".equals(this.bus.getObject().request("order.raw", "", String.class));
			}
			catch (BusConnectionException ex) {
				template = false;
			}
			return "answered=" + this.answered + " discovery=" + discoveryAnswers() + " listening=" + listening
					+ " template=" + template + " " + this.pool.getObject().connection(0).orElseThrow().getStatus();
		}

		/** Before everything: lets the HTTP request in progress go on. */
		@Bean
		SmartLifecycle shutdownBegins() {
			return new Probe(SmartLifecycle.DEFAULT_PHASE - 1000, this.shutdownBegun::countDown);
		}

		@Bean
		SmartLifecycle afterTheWebServer() {
			return new Probe(MicroServiceResponder.PHASE + 100,
					() -> this.recorded.add("after the web server: " + snapshot()));
		}

		@Bean
		SmartLifecycle afterTheListeners() {
			return new Probe(BusListenerRegistry.PHASE - 100,
					() -> this.recorded.add("after the listeners: " + snapshot()));
		}

		@Bean
		SmartLifecycle afterTheTemplate() {
			return new Probe(BusTemplate.PHASE - 10, () -> this.recorded.add("after the template: " + snapshot()));
		}

	}

	/** Runs {@code onStop} when the context stops its phase. */
	static final class Probe implements SmartLifecycle {

		private final int phase;

		private final Runnable onStop;

		private volatile boolean running;

		Probe(int phase, Runnable onStop) {
			this.phase = phase;
			this.onStop = onStop;
		}

		@Override
		public void start() {
			this.running = true;
		}

		@Override
		public void stop() {
			this.onStop.run();
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return this.phase;
		}

	}

	static class Draining {

		final CountDownLatch entered = new CountDownLatch(1);

		private final ObjectProvider<BusListenerRegistry> registry;

		private final ObjectProvider<BusTemplate> bus;

		Draining(ObjectProvider<BusListenerRegistry> registry, ObjectProvider<BusTemplate> bus) {
			this.registry = registry;
			this.bus = bus;
		}

		/** Holds its message until the listeners drain, then asks the bus. */
		@BusListener("order.hold")
		String hold(String text) {
			this.entered.countDown();
			await().atMost(Duration.ofSeconds(20)).until(() -> !this.registry.getObject().isRunning());
			boolean discovery = discoveryAnswers();
			return "held, discovery=" + discovery + ", bus said "
					+ this.bus.getObject().request("order.raw", "", String.class);
		}

	}

	static class Stuck {

		final CountDownLatch entered = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		@BusListener("order.stuck")
		void stuck(String text) throws InterruptedException {
			this.entered.countDown();
			this.release.await(60, TimeUnit.SECONDS);
		}

	}

}
