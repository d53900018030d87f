package dev.natsbus.micro;

import dev.natsbus.BusTestContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.natsbus.BusListener;
import dev.natsbus.BusService;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.test.NatsServer;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The responder in a plain Spring context (no Boot) against a real server: every
 * discovery subject answers, also while a listener is saturated, and stopping ends the
 * answers.
 */
@Timeout(30)
class MicroServiceResponderTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static NatsServer server;

	private static AnnotationConfigApplicationContext context;

	private static Connection client;

	@BeforeAll
	static void start() throws Exception {
		server = NatsServer.builder().start();
		context = new AnnotationConfigApplicationContext();
		context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("test",
					Map.of("test.nats.url", server.url(), "test.nats.name", "micro-test", "audit.version", "3.0.1")));
		context.register(MicroConfiguration.class, Handlers.class, Audit.class);
		context.refresh();
		client = Nats.connect(server.url());
	}

	@AfterAll
	static void stop() throws Exception {
		Handlers.release.countDown();
		if (context != null) {
			context.close();
		}
		if (client != null) {
			client.close();
		}
		server.close();
	}

	@Test
	void everyDiscoverySubjectAnswers() throws Exception {
		MicroService app = service("app");
		MicroService audit = service("audit");
		assertThat(audit.definition().version()).as("placeholder resolved").isEqualTo("3.0.1");
		for (String verb : List.of("PING", "INFO", "STATS")) {
			String type = "io.nats.micro.v1." + verb.toLowerCase() + "_response";
			// Bare: one answer per service of the instance.
			assertThat(collect("$SRV." + verb, 2)).extracting(answer -> answer.get("name").asString())
				.containsExactlyInAnyOrder("app", "audit");
			for (MicroService service : List.of(app, audit)) {
				for (String subject : List.of("$SRV." + verb + "." + service.name(),
						"$SRV." + verb + "." + service.name() + "." + service.id())) {
					JsonNode answer = request(subject);
					assertThat(answer.get("type").asString()).as(subject).isEqualTo(type);
					assertThat(answer.get("id").asString()).as(subject).isEqualTo(service.id());
				}
			}
		}
		// Another instance's id gets no answer from this one: a timeout or a
		// no-responders status.
		Message other = client.request("$SRV.PING.app.other-id", null, Duration.ofMillis(500));
		assertThat(other == null || other.isStatusMessage()).isTrue();
	}

	@Test
	void answersWhileAListenerIsSaturated() throws Exception {
		BusTemplate bus = context.getBean(BusTemplate.class);
		List<CompletableFuture<String>> pending = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			pending.add(bus.requestAsync("micro.blocking", "job-" + i, String.class, Duration.ofSeconds(20)));
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> Handlers.running.get() == 1);
		// The only worker is blocked and four requests wait behind it, yet discovery
		// answers.
		MicroService app = service("app");
		JsonNode stats = request("$SRV.STATS.app." + app.id());
		assertThat(stats.get("endpoints").findValue("data").get("busy_workers").asInt()).isEqualTo(1);
		assertThat(request("$SRV.PING.app").get("id").asString()).isEqualTo(app.id());
		Handlers.release.countDown();
		for (CompletableFuture<String> reply : pending) {
			assertThat(reply.get(10, TimeUnit.SECONDS)).startsWith("done ");
		}
	}

	private static MicroService service(String name) {
		return context.getBean(MicroServiceResponder.class)
			.getServices()
			.stream()
			.filter(service -> service.name().equals(name))
			.findFirst()
			.orElseThrow();
	}

	private static JsonNode request(String subject) throws Exception {
		Message reply = client.request(subject, null, Duration.ofSeconds(2));
		assertThat(reply).as(subject).isNotNull();
		return json.readTree(reply.getData());
	}

	/**
	 * Answers to a subject that several services answer, waiting for {@code expected} of
	 * them.
	 */
	private static List<JsonNode> collect(String subject, int expected) throws Exception {
		String inbox = client.createInbox();
		io.nats.client.Subscription subscription = client.subscribe(inbox);
		try {
			client.publish(subject, inbox, null);
			List<JsonNode> answers = new ArrayList<>();
			for (int i = 0; i < expected; i++) {
				Message message = subscription.nextMessage(Duration.ofSeconds(2));
				assertThat(message).as(subject + " answer " + (i + 1)).isNotNull();
				answers.add(json.readTree(message.getData()));
			}
			return answers;
		}
		finally {
			subscription.unsubscribe();
		}
	}

	/** The hand-wired bus of {@link BusTestContext}, plus the responder under test. */
	@Configuration(proxyBeanMethods = false)
	@Import(BusTestContext.BusConfiguration.class)
	static class MicroConfiguration {

		@Bean
		MicroServiceResponder microServiceResponder(NatsConnectionPool pool, BusListenerRegistry registry) {
			return new MicroServiceResponder(pool, registry, new ServiceDefinition("app", "1.0.0", "", Map.of()));
		}

	}

	static class Handlers {

		static final CountDownLatch release = new CountDownLatch(1);

		static final AtomicInteger running = new AtomicInteger();

		@BusListener(subject = "micro.blocking", concurrency = "1")
		String block(String job) throws InterruptedException {
			running.incrementAndGet();
			try {
				release.await(20, TimeUnit.SECONDS);
				return "done " + job;
			}
			finally {
				running.decrementAndGet();
			}
		}

	}

	@BusService(name = "audit", version = "${audit.version}")
	static class Audit {

		@BusListener("micro.audit")
		void record(String entry) {
		}

	}

}
