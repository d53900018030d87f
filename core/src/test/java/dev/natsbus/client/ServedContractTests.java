package dev.natsbus.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.natsbus.BusRemoteException;
import dev.natsbus.BusReplies;
import dev.natsbus.BusTestContext;
import dev.natsbus.client.shared.QuoteContract;
import dev.natsbus.client.shared.QuoteService;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.listener.BusListenerContainer;
import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.micro.MicroEndpoint;
import dev.natsbus.micro.MicroService;
import dev.natsbus.micro.ServiceCatalog;
import dev.natsbus.micro.ServiceDefinition;
import dev.natsbus.test.NatsServer;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * One contract for both sides: {@link QuoteService} implements {@link QuoteContract} in
 * two service applications, and a proxy in a third application (registered with
 * {@link EnableBusClients}) and a raw jnats client call it over a real server.
 */
class ServedContractTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	private static NatsServer server;

	private static AnnotationConfigApplicationContext service1;

	private static AnnotationConfigApplicationContext service2;

	private static AnnotationConfigApplicationContext caller;

	private static QuoteContract quotes;

	@BeforeAll
	static void start() {
		server = NatsServer.builder().start();
		service1 = BusTestContext.start(server.url(), "service-1", Map.of(), QuoteService.class);
		service2 = BusTestContext.start(server.url(), "service-2", Map.of(), QuoteService.class);
		caller = BusTestContext.start(server.url(), "caller", Map.of(), CallerConfiguration.class);
		// The server has the services' subscriptions once their connections are flushed.
		Stream.of(service1, service2).forEach((app) -> app.getBean(NatsConnectionPool.class).flush(TIMEOUT));
		quotes = caller.getBean(QuoteContract.class);
	}

	@AfterAll
	static void stop() {
		Stream.of(caller, service2, service1).forEach(AnnotationConfigApplicationContext::close);
		server.close();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableBusClients(basePackageClasses = QuoteContract.class)
	static class CallerConfiguration {

	}

	@Test
	void theCallerGetsAProxy() {
		assertThat(quotes).isNotInstanceOf(QuoteService.class);
		assertThat(caller.getBeansOfType(QuoteContract.class)).containsOnlyKeys(QuoteContract.class.getName());
	}

	@Test
	void proxyCallsTheImplementationInAnotherApplication() throws Exception {
		assertThat(quotes.get("ACME")).isEqualTo(new Quote("ACME", 42.5));
		assertThat(quotes.list("eu")).containsExactly(new Quote("eu-1", 1), new Quote("eu-2", 2));
		assertThat(quotes.page("us", 2).get(5, TimeUnit.SECONDS)).containsExactly(new Quote("us#3", 2));
		org.springframework.messaging.Message<Quote> repriced = quotes.reprice(new Quote("ACME", 2), "r-5");
		assertThat(repriced.getPayload()).isEqualTo(new Quote("ACME", 4));
		assertThat(repriced.getHeaders().get("X-Request-Id")).isEqualTo("r-5");
		assertThat(quotes.getOrDefault("SAP")).isEqualTo(new Quote("SAP", 42.5));
	}

	@Test
	void voidMethodIsServedAndAwaited() {
		int before = resets();
		quotes.reset();
		assertThat(resets()).isEqualTo(before + 1);
	}

	@Test
	void errorOfTheImplementationReachesTheCallerTyped() {
		assertThatExceptionOfType(BusRemoteException.class).isThrownBy(() -> quotes.missing("NOPE"))
			.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo(404))
			.satisfies((ex) -> assertThat(ex.getRemoteMessage()).isEqualTo("no quote for NOPE"));
	}

	@Test
	void durationParameterOfTheImplementationIsTheTimeLeft() {
		long left = quotes.timeLeft(Duration.ofSeconds(3));
		assertThat(left).isPositive().isLessThanOrEqualTo(3000);
	}

	@Test
	void broadcastSendReachesEveryInstance() {
		quotes.viewed("ACME");
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(
					Stream.of(service1, service2).map((app) -> app.getBean(QuoteService.class).views()).toList())
				.allSatisfy((views) -> assertThat(views).containsKey("ACME")));
	}

	@Test
	void broadcastRequestManyGathersEveryInstance() {
		BusReplies<String> instances = quotes.instances();
		assertThat(instances.values()).containsExactlyInAnyOrder(service1.getBean(QuoteService.class).instance,
				service2.getBean(QuoteService.class).instance);
		assertThat(instances.endedBy()).isEqualTo(BusReplies.EndedBy.MAX_REPLIES);
	}

	@Test
	void streamedRepliesOfTheImplementationEndWithTheSentinel() {
		BusReplies<Quote> history = quotes.history("ACME");
		assertThat(history.values()).extracting(Quote::price).containsExactly(1.0, 2.0, 3.0);
		assertThat(history.endedBy()).isEqualTo(BusReplies.EndedBy.SENTINEL);
		BusReplies<Quote> broken = quotes.history("BROKEN");
		assertThat(broken.values()).containsExactly(new Quote("BROKEN", 1));
		assertThat(broken.errors()).singleElement()
			.isInstanceOfSatisfying(BusRemoteException.class, (ex) -> assertThat(ex.getErrorCode()).isEqualTo(503));
	}

	@Test
	void listenersFollowTheContract() {
		Map<String, BusListenerContainer> containers = new java.util.HashMap<>();
		service1.getBean(BusListenerRegistry.class)
			.getListenerContainers()
			.forEach((container) -> containers.put(container.getId(), container));
		String service = "quoteService";
		assertThat(containers.get("quoteService.get").getSubject()).isEqualTo("svc.quotes.get");
		assertThat(containers.get(service + ".get").getConcurrency()).isEqualTo(3);
		assertThat(containers.get(service + ".list").getSubject()).isEqualTo("svc.quotes.*.list");
		assertThat(containers.get(service + ".list").getQueue()).isEqualTo("q");
		assertThat(containers.get(service + ".page").getSubject()).isEqualTo("svc.quotes.*.page.*");
		assertThat(containers.get(service + ".viewed").isBroadcast()).isTrue();
		assertThat(containers.get(service + ".instances").isBroadcast()).isTrue();
		assertThat(containers.get(service + ".history").isBroadcast()).isFalse();
		assertThat(containers).hasSize(11);
	}

	@Test
	void discoveryListsTheContractsMethodsAsEndpointsOfTheService() {
		List<MicroService> services = new ServiceCatalog(new ServiceDefinition("default", "1.0.0", "", Map.of()), null)
			.services(service1.getBean(BusListenerRegistry.class).getListenerContainers(), () -> "id", Instant.now());
		assertThat(services).singleElement().satisfies((service) -> {
			assertThat(service.name()).isEqualTo("quotes");
			assertThat(service.endpoints()).extracting(MicroEndpoint::name)
				.contains("get", "list", "page", "instances", "history");
		});
	}

	@Test
	void rawJnatsClientCallsTheServedContract() throws Exception {
		try (Connection raw = Nats.connect(server.url())) {
			assertThat(text(raw.request("svc.quotes.get", bytes("ACME"), TIMEOUT)))
				.isEqualTo("{\"symbol\":\"ACME\",\"price\":42.5}");
			assertThat(text(raw.request("svc.quotes.asia.list", new byte[0], TIMEOUT)))
				.isEqualTo("[{\"symbol\":\"asia-1\",\"price\":1.0},{\"symbol\":\"asia-2\",\"price\":2.0}]");
			assertThat(text(raw.request("svc.quotes.eu.page.0", new byte[0], TIMEOUT)))
				.isEqualTo("[{\"symbol\":\"eu#1\",\"price\":0.0}]");
			Message repriced = raw.request(NatsMessage.builder()
				.subject("svc.quotes.reprice")
				.headers(new Headers().put("X-Request-Id", "raw-1"))
				.data(bytes("{\"symbol\":\"X\",\"price\":1.5}"))
				.build(), TIMEOUT);
			assertThat(text(repriced)).isEqualTo("{\"symbol\":\"X\",\"price\":3.0}");
			assertThat(repriced.getHeaders().getFirst("X-Request-Id")).isEqualTo("raw-1");
			// A request without a deadline header: the implementation's Duration is null.
			assertThat(text(raw.request("svc.quotes.budget", new byte[0], TIMEOUT))).isEqualTo("-1");
			// A variable that does not convert to the parameter's type is the caller's
			// mistake: 400.
			Message bad = raw.request("svc.quotes.eu.page.first", new byte[0], TIMEOUT);
			assertThat(bad.getHeaders().getFirst("Nats-Service-Error-Code")).isEqualTo("400");
			// A required header that is missing: 400 as well.
			Message missing = raw.request("svc.quotes.reprice", bytes("{\"symbol\":\"X\",\"price\":1.5}"), TIMEOUT);
			assertThat(missing.getHeaders().getFirst("Nats-Service-Error-Code")).isEqualTo("400");
		}
	}

	private static int resets() {
		return service1.getBean(QuoteService.class).resets + service2.getBean(QuoteService.class).resets;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String text(Message message) {
		return new String(message.getData(), StandardCharsets.UTF_8);
	}

}
