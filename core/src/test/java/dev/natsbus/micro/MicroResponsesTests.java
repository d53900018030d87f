package dev.natsbus.micro;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The JSON of each answer, field by field, as the published schemas require. */
class MicroResponsesTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final MicroResponses responses = new MicroResponses();

	private final MicroService service = new ServiceCatalog(
			new ServiceDefinition("quotes", "1.2.3-rc.1", "Stock quotes", Map.of("region", "eu", "zone", "a")), null)
		.services(new TestListeners().add("get", "handlers", new Handlers(), "get", "quotes.get", "q")
			.add("handlers", new Handlers(), "stream", "quotes.>", "streamers").registry.getListenerContainers(),
				() -> "ID1", Instant.parse("2025-01-02T03:04:05.120Z"))
		.get(0);

	@Test
	void pingHasTheStandardFieldsOnly() {
		JsonNode ping = json.readTree(this.responses.ping(this.service));
		assertThat(ping.propertyNames()).containsExactly("type", "name", "id", "version", "metadata");
		assertThat(ping.get("type").asString()).isEqualTo("io.nats.micro.v1.ping_response");
		assertThat(ping.get("name").asString()).isEqualTo("quotes");
		assertThat(ping.get("id").asString()).isEqualTo("ID1");
		assertThat(ping.get("version").asString()).isEqualTo("1.2.3-rc.1");
		assertThat(ping.get("metadata").toString()).isEqualTo("{\"region\":\"eu\",\"zone\":\"a\"}");
	}

	@Test
	void infoListsEveryEndpointWithSubjectAndQueueGroup() {
		JsonNode info = json.readTree(this.responses.info(this.service));
		assertThat(info.propertyNames()).containsExactly("type", "name", "id", "version", "metadata", "description",
				"endpoints");
		assertThat(info.get("type").asString()).isEqualTo("io.nats.micro.v1.info_response");
		assertThat(info.get("description").asString()).isEqualTo("Stock quotes");
		assertThat(info.get("endpoints").toString()).isEqualTo("[" //
				+ "{\"name\":\"get\",\"subject\":\"quotes.get\",\"queue_group\":\"q\",\"metadata\":{}},"
				+ "{\"name\":\"stream\",\"subject\":\"quotes.>\",\"queue_group\":\"streamers\",\"metadata\":{}}]");
	}

	@Test
	void statsWriteZeroCountersAndAnEmptyLastError() {
		JsonNode stats = json.readTree(this.responses.stats(this.service));
		assertThat(stats.propertyNames()).containsExactly("type", "name", "id", "version", "metadata", "started",
				"endpoints");
		assertThat(stats.get("type").asString()).isEqualTo("io.nats.micro.v1.stats_response");
		assertThat(Instant.parse(stats.get("started").asString())).isEqualTo(Instant.parse("2025-01-02T03:04:05.120Z"));
		assertThat(stats.get("started").asString()).endsWith("Z");
		JsonNode endpoint = stats.get("endpoints").get(0);
		assertThat(endpoint.propertyNames()).containsExactly("name", "subject", "queue_group", "num_requests",
				"num_errors", "last_error", "processing_time", "average_processing_time", "data");
		assertThat(endpoint.get("name").asString()).isEqualTo("get");
		for (String counter : List.of("num_requests", "num_errors", "processing_time", "average_processing_time")) {
			assertThat(endpoint.get(counter).isIntegralNumber()).as(counter).isTrue();
			assertThat(endpoint.get(counter).asLong()).as(counter).isZero();
		}
		assertThat(endpoint.get("last_error").isString()).isTrue();
		assertThat(endpoint.get("last_error").asString()).isEmpty();
		assertThat(endpoint.get("data").toString())
			.isEqualTo("{\"expired_requests\":0,\"busy_workers\":0,\"concurrency\":1,\"dropped_messages\":0}");
		assertThat(stats.get("endpoints").get(1).get("queue_group").asString()).isEqualTo("streamers");
	}

	@Test
	void aBroadcastEndpointHasAnEmptyQueueGroup() {
		MicroService withBroadcast = new ServiceCatalog(new ServiceDefinition("prices", "1.0.0", "", Map.of()), null)
			.services(new TestListeners().add("get", "handlers", new Handlers(), "get", "prices.get", "q")
				.broadcast("handlers", new Handlers(), "stream", "prices.changed").registry.getListenerContainers(),
					() -> "ID2", Instant.parse("2025-01-02T03:04:05.120Z"))
			.get(0);
		JsonNode info = json.readTree(this.responses.info(withBroadcast));
		assertThat(info.get("endpoints").get(1).toString())
			.isEqualTo("{\"name\":\"stream\",\"subject\":\"prices.changed\",\"queue_group\":\"\",\"metadata\":{}}");
		JsonNode stats = json.readTree(this.responses.stats(withBroadcast));
		assertThat(stats.get("endpoints").get(1).get("queue_group").asString()).isEmpty();
	}

	static class Handlers {

		String get(String in) {
			return in;
		}

		String stream(String in) {
			return in;
		}

	}

}
