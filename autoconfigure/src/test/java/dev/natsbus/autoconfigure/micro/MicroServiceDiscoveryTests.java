package dev.natsbus.autoconfigure.micro;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import dev.natsbus.BusListener;
import dev.natsbus.BusRemoteException;
import dev.natsbus.BusService;
import dev.natsbus.BusServiceException;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.autoconfigure.NatsBusAutoConfiguration;
import dev.natsbus.micro.MicroService;
import dev.natsbus.micro.MicroServiceResponder;
import dev.natsbus.test.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.service.Discovery;
import io.nats.service.Endpoint;
import io.nats.service.EndpointStats;
import io.nats.service.InfoResponse;
import io.nats.service.PingResponse;
import io.nats.service.StatsResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of an application, as an operator sees them with jnats' {@link Discovery}
 * (what {@code nats micro} does) and with raw requests: PING, INFO and STATS of the
 * default service and of a {@code @BusService}, on every subject form, and while a
 * listener is saturated.
 */
@Timeout(60)
class MicroServiceDiscoveryTests {

	@RegisterExtension
	static final NatsServerExtension nats = NatsServerExtension.server();

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final CountDownLatch releaseSlow = new CountDownLatch(1);

	private static final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	private static Connection client;

	@BeforeAll
	static void startTwoInstances() throws Exception {
		for (int i = 0; i < 2; i++) {
			instances.add(new SpringApplicationBuilder(QuotesApplication.class).web(WebApplicationType.NONE)
				.bannerMode(Banner.Mode.OFF)
				.logStartupInfo(false)
				.properties("natsbus.servers=" + nats.url(), "spring.application.name=quotes",
						"natsbus.service.version=1.2.3", "natsbus.service.description=Stock quotes",
						"natsbus.service.metadata.region=eu")
				.run());
		}
		client = Nats.connect(nats.url());
	}

	@AfterAll
	static void stopInstances() throws Exception {
		releaseSlow.countDown();
		instances.forEach(ConfigurableApplicationContext::close);
		if (client != null) {
			client.close();
		}
	}

	@Test
	void pingFindsBothInstancesOfEachService() {
		List<PingResponse> quotes = discovery(2).ping("quotes");
		assertThat(quotes).extracting(PingResponse::getId).containsExactlyInAnyOrderElementsOf(ids("quotes"));
		assertThat(quotes).allSatisfy(ping -> {
			assertThat(ping.getVersion()).isEqualTo("1.2.3");
			assertThat(ping.getMetadata()).isEqualTo(Map.of("region", "eu"));
		});
		// The bare subject reaches every service of every instance, and only those.
		assertThat(new Discovery(client, 500, 10).ping()).extracting(PingResponse::getName, PingResponse::getId)
			.containsExactlyInAnyOrderElementsOf(Stream.of("quotes", "billing")
				.flatMap(name -> ids(name).stream().map(id -> tuple(name, id)))
				.toList());
	}

	@Test
	void infoListsEveryEndpointWithSubjectAndQueueGroup() {
		List<InfoResponse> quotes = discovery(2).info("quotes");
		assertThat(quotes).hasSize(2).allSatisfy(info -> {
			assertThat(info.getDescription()).isEqualTo("Stock quotes");
			assertThat(info.getEndpoints()).extracting(Endpoint::getName, Endpoint::getSubject, Endpoint::getQueueGroup)
				.containsExactly(tuple("get-quote", "quotes.get", "q"), tuple("slow", "quotes.slow", "q"));
		});
		InfoResponse billing = discovery(1).info("billing", ids("billing").get(0));
		assertThat(billing.getVersion()).isEqualTo("2.1.0");
		assertThat(billing.getDescription()).isEqualTo("Charges cards");
		assertThat(billing.getEndpoints()).extracting(Endpoint::getName, Endpoint::getSubject, Endpoint::getQueueGroup)
			.containsExactly(tuple("charge", "billing.charge", "billing-workers"));
	}

	@Test
	void busServiceBeanFormsItsOwnService() {
		List<PingResponse> billing = discovery(2).ping("billing");
		assertThat(billing).extracting(PingResponse::getId)
			.containsExactlyInAnyOrderElementsOf(ids("billing"))
			.doesNotContainAnyElementsOf(ids("quotes"));
		assertThat(discovery(2).info("quotes")).flatExtracting(InfoResponse::getEndpoints)
			.extracting(Endpoint::getName)
			.doesNotContain("charge");
	}

	@Test
	void statsCountTheRequestsAndErrorsSent() {
		BusTemplate bus = instances.get(0).getBean(BusTemplate.class);
		for (String symbol : List.of("ACME", "INIT", "NATS")) {
			assertThat(bus.request("quotes.get", symbol, String.class)).isEqualTo("quote:" + symbol);
		}
		assertThatExceptionOfType(BusRemoteException.class)
			.isThrownBy(() -> bus.request("quotes.get", "boom", String.class))
			.satisfies(ex -> assertThat(ex.getErrorCode()).isEqualTo(500));
		assertThatExceptionOfType(BusRemoteException.class)
			.isThrownBy(() -> bus.request("quotes.get", "missing", String.class))
			.satisfies(ex -> assertThat(ex.getErrorCode()).isEqualTo(404));
		// The instances share the queue group, so the counts add up across both; a
		// listener
		// counts a success just after replying, hence the wait.
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			List<EndpointStats> getQuote = endpointStats("get-quote");
			assertThat(getQuote).hasSize(2);
			assertThat(getQuote.stream().mapToLong(EndpointStats::getNumRequests).sum()).isEqualTo(5);
			assertThat(getQuote.stream().mapToLong(EndpointStats::getNumErrors).sum()).isEqualTo(2);
		});
		List<EndpointStats> getQuote = endpointStats("get-quote");
		// "missing" came last, so its instance reports it; the other reports the failure
		// of "boom" (safe: the listener and an error id, never the exception's message)
		// or nothing.
		assertThat(getQuote).extracting(EndpointStats::getLastError).contains("404:no such quote");
		assertThat(getQuote).extracting(EndpointStats::getLastError)
			.allSatisfy(lastError -> assertThat(lastError).satisfiesAnyOf(
					(text) -> assertThat(text).isIn("404:no such quote", ""),
					(text) -> assertThat(text).matches("500:Listener 'get-quote' failed \\(error id \\w{22}\\)")));
		assertThat(getQuote).allSatisfy(stats -> {
			assertThat(stats.getQueueGroup()).isEqualTo("q");
			assertThat(stats.getAverageProcessingTime())
				.isEqualTo((stats.getNumRequests() > 0) ? stats.getProcessingTime() / stats.getNumRequests() : 0);
		});
		assertThat(getQuote.stream().mapToLong(EndpointStats::getProcessingTime).sum()).isPositive();
	}

	@Test
	void everySubjectFormAnswers() throws Exception {
		for (String name : List.of("quotes", "billing")) {
			for (String verb : List.of("PING", "INFO", "STATS")) {
				String type = "io.nats.micro.v1." + verb.toLowerCase() + "_response";
				for (String id : ids(name)) {
					JsonNode answer = request("$SRV." + verb + "." + name + "." + id);
					assertThat(answer.get("type").asString()).isEqualTo(type);
					assertThat(answer.get("name").asString()).isEqualTo(name);
					assertThat(answer.get("id").asString()).isEqualTo(id);
				}
			}
		}
		assertThat(discovery(2).stats("billing")).extracting(StatsResponse::getId)
			.containsExactlyInAnyOrderElementsOf(ids("billing"));
		assertThat(discovery(2).info("quotes")).extracting(InfoResponse::getId)
			.containsExactlyInAnyOrderElementsOf(ids("quotes"));
	}

	@Test
	void rawJsonHasEveryRequiredField() throws Exception {
		// Nothing ever calls billing: its counters are zeros and its last error is empty.
		String id = ids("billing").get(0);
		JsonNode ping = request("$SRV.PING.billing." + id);
		assertThat(ping.propertyNames()).containsExactlyInAnyOrder("type", "name", "id", "version", "metadata");
		assertThat(ping.get("metadata").toString()).isEqualTo("{\"region\":\"eu\"}");

		JsonNode info = request("$SRV.INFO.billing." + id);
		assertThat(info.propertyNames()).containsExactlyInAnyOrder("type", "name", "id", "version", "metadata",
				"description", "endpoints");
		assertThat(info.get("endpoints").get(0).toString()).isEqualTo(
				"{\"name\":\"charge\",\"subject\":\"billing.charge\",\"queue_group\":\"billing-workers\",\"metadata\":{}}");

		JsonNode stats = request("$SRV.STATS.billing." + id);
		assertThat(stats.propertyNames()).containsExactlyInAnyOrder("type", "name", "id", "version", "metadata",
				"started", "endpoints");
		assertThat(stats.get("type").asString()).isEqualTo("io.nats.micro.v1.stats_response");
		String started = stats.get("started").asString();
		assertThat(started).endsWith("Z");
		assertThat(Instant.parse(started)).isBetween(Instant.now().minus(Duration.ofMinutes(5)), Instant.now());
		JsonNode charge = stats.get("endpoints").get(0);
		assertThat(charge.propertyNames()).contains("name", "subject", "queue_group", "num_requests", "num_errors",
				"last_error", "processing_time", "average_processing_time");
		for (String counter : List.of("num_requests", "num_errors", "processing_time", "average_processing_time")) {
			assertThat(charge.get(counter).isIntegralNumber()).as(counter).isTrue();
			assertThat(charge.get(counter).asLong()).as(counter).isZero();
		}
		assertThat(charge.get("last_error").isString()).isTrue();
		assertThat(charge.get("last_error").asString()).isEmpty();
	}

	@Test
	void answersWhileAListenerIsSaturatedAndReportsItsTimeInNanoseconds() throws Exception {
		BusTemplate bus = instances.get(0).getBean(BusTemplate.class);
		List<CompletableFuture<String>> replies = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			replies.add(bus.requestAsync("quotes.slow", "job-" + i, String.class, Duration.ofSeconds(30)));
		}
		await().atMost(Duration.ofSeconds(5))
			.until(() -> instances.stream().anyMatch(instance -> handlers(instance).running.get() == 1));
		ConfigurableApplicationContext blocked = instances.stream()
			.filter(instance -> handlers(instance).running.get() == 1)
			.findFirst()
			.orElseThrow();
		String id = serviceId(blocked, "quotes");
		// Its only worker is blocked in the handler, yet the instance answers discovery.
		assertThat(discovery(1).ping("quotes", id)).isNotNull();
		StatsResponse busy = discovery(1).stats("quotes", id);
		assertThat(busy.getEndpointStatsList()).filteredOn(stats -> stats.getName().equals("slow"))
			.singleElement()
			.satisfies(
					stats -> assertThat(json.readTree(stats.getDataAsJson()).get("busy_workers").asInt()).isEqualTo(1));
		long blockedSince = handlers(blocked).enteredAt.get();
		long releasedAt = System.nanoTime();
		releaseSlow.countDown();
		for (CompletableFuture<String> reply : replies) {
			assertThat(reply.get(10, TimeUnit.SECONDS)).startsWith("done ");
		}
		// Processing time is in nanoseconds: at least as long as the test held the
		// handler.
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(discovery(1).stats("quotes", id).getEndpointStatsList())
				.filteredOn(stats -> stats.getName().equals("slow"))
				.singleElement()
				.satisfies(stats -> assertThat(stats.getProcessingTime())
					.isGreaterThanOrEqualTo(releasedAt - blockedSince)));
	}

	private static Discovery discovery(int expectedAnswers) {
		// Returns as soon as the expected answers arrived.
		return new Discovery(client, 2000, expectedAnswers);
	}

	private static List<EndpointStats> endpointStats(String endpoint) {
		return discovery(2).stats("quotes")
			.stream()
			.flatMap(stats -> stats.getEndpointStatsList().stream())
			.filter(stats -> stats.getName().equals(endpoint))
			.toList();
	}

	private static JsonNode request(String subject) throws Exception {
		Message reply = client.request(subject, null, Duration.ofSeconds(2));
		assertThat(reply).as(subject).isNotNull();
		assertThat(reply.isStatusMessage()).as(subject).isFalse();
		return json.readTree(reply.getData());
	}

	private static List<String> ids(String service) {
		return instances.stream().map(instance -> serviceId(instance, service)).toList();
	}

	private static String serviceId(ConfigurableApplicationContext instance, String service) {
		return instance.getBean(MicroServiceResponder.class)
			.getServices()
			.stream()
			.filter(candidate -> candidate.name().equals(service))
			.map(MicroService::id)
			.findFirst()
			.orElseThrow();
	}

	private static QuoteHandlers handlers(ConfigurableApplicationContext instance) {
		return instance.getBean(QuoteHandlers.class);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ NatsBusAutoConfiguration.class, NatsBusMicroAutoConfiguration.class })
	@Import({ QuoteHandlers.class, BillingHandlers.class })
	static class QuotesApplication {

	}

	static class QuoteHandlers {

		final AtomicInteger running = new AtomicInteger();

		final AtomicLong enteredAt = new AtomicLong();

		@BusListener(subject = "quotes.get", id = "get-quote")
		String get(String symbol) {
			if (symbol.equals("boom")) {
				throw new IllegalStateException("boom");
			}
			if (symbol.equals("missing")) {
				throw new BusServiceException(404, "no such quote");
			}
			return "quote:" + symbol;
		}

		@BusListener(subject = "quotes.slow", concurrency = "1")
		String slow(String job) throws InterruptedException {
			this.enteredAt.compareAndSet(0, System.nanoTime());
			this.running.incrementAndGet();
			try {
				releaseSlow.await(30, TimeUnit.SECONDS);
				return "done " + job;
			}
			finally {
				this.running.decrementAndGet();
			}
		}

	}

	@BusService(name = "billing", version = "2.1.0", description = "Charges cards")
	static class BillingHandlers {

		@BusListener(subject = "billing.charge", queue = "billing-workers")
		String charge(String order) {
			return "charged " + order;
		}

	}

}
