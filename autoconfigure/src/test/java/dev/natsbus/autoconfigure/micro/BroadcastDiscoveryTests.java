package dev.natsbus.autoconfigure.micro;

import java.time.Duration;
import java.util.List;

import dev.natsbus.BusListener;
import dev.natsbus.RequestMany;
import dev.natsbus.autoconfigure.NatsBusAutoConfiguration;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.service.Discovery;
import io.nats.service.Endpoint;
import io.nats.service.EndpointStats;
import io.nats.service.InfoResponse;
import io.nats.service.StatsResponse;
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
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * A broadcast listener as {@code nats micro} sees it: listed by {@code $SRV.INFO} and
 * counted by {@code $SRV.STATS} with an empty queue group, both read back by jnats'
 * {@link Discovery}.
 */
@Timeout(60)
class BroadcastDiscoveryTests {

	@RegisterExtension
	static final NatsServerExtension nats = NatsServerExtension.server();

	private static final JsonMapper json = JsonMapper.builder().build();

	@Test
	void infoAndStatsListTheBroadcastEndpointWithAnEmptyQueueGroup() throws Exception {
		try (ConfigurableApplicationContext first = start();
				ConfigurableApplicationContext second = start();
				Connection client = Nats.connect(nats.url())) {
			BusTemplate bus = first.getBean(BusTemplate.class);
			assertThat(bus.requestMany("prices.snapshot", "", String.class, RequestMany.maxReplies(2)).values())
				.containsExactly("snapshot", "snapshot");
			Discovery discovery = new Discovery(client, 2000, 2);
			List<InfoResponse> infos = discovery.info("prices");
			assertThat(infos).hasSize(2)
				.allSatisfy((info) -> assertThat(info.getEndpoints())
					.extracting(Endpoint::getName, Endpoint::getSubject, Endpoint::getQueueGroup)
					.containsExactly(tuple("get", "prices.get", "q"), tuple("snapshot", "prices.snapshot", "")));
			// Both instances answered the gathering: each counts one request.
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				List<EndpointStats> snapshot = discovery.stats("prices")
					.stream()
					.map(StatsResponse::getEndpointStatsList)
					.flatMap(List::stream)
					.filter((stats) -> stats.getName().equals("snapshot"))
					.toList();
				assertThat(snapshot).hasSize(2).allSatisfy((stats) -> {
					assertThat(stats.getQueueGroup()).isEmpty();
					assertThat(stats.getNumRequests()).isEqualTo(1);
				});
			});
			Message raw = client.request("$SRV.INFO.prices", null, Duration.ofSeconds(2));
			JsonNode endpoint = json.readTree(raw.getData()).get("endpoints").get(1);
			assertThat(endpoint.propertyNames()).containsExactly("name", "subject", "queue_group", "metadata");
			assertThat(endpoint.get("queue_group").asString()).isEmpty();
		}
	}

	private static ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(PricesApplication.class).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties("natsbus.servers=" + nats.url(), "spring.application.name=prices",
					"natsbus.service.version=1.0.0")
			.run();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ NatsBusAutoConfiguration.class, NatsBusMicroAutoConfiguration.class })
	@Import(PriceHandlers.class)
	static class PricesApplication {

	}

	static class PriceHandlers {

		@BusListener(subject = "prices.get", id = "get")
		String get(String symbol) {
			return symbol;
		}

		@BusListener(subject = "prices.snapshot", id = "snapshot", broadcast = true)
		String snapshot() {
			return "snapshot";
		}

	}

}
