package dev.natsbus.protocol;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.nats.client.impl.Headers;
import org.junit.jupiter.api.Test;

import org.springframework.messaging.MessageHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * NATS headers to spring-messaging headers and back: repeated headers, and the headers
 * that never go on the wire.
 */
class NatsHeaderMapperTests {

	private final NatsHeaderMapper mapper = new NatsHeaderMapper();

	@Test
	void oneValueMapsToAStringAndSeveralToAList() {
		Headers headers = new Headers().put("tenant", "acme").add("tag", "a", "b");
		Map<String, Object> target = new HashMap<>();
		this.mapper.toSpring(headers, target);
		assertThat(target).containsExactlyInAnyOrderEntriesOf(Map.of("tenant", "acme", "tag", List.of("a", "b")));
	}

	@Test
	void theDeadlineStaysWithTheContainer() {
		Map<String, Object> target = new HashMap<>();
		this.mapper.toSpring(new Headers().put(Deadlines.HEADER, "1234"), target);
		assertThat(target).isEmpty();
		this.mapper.toSpring(new Headers().put(Deadlines.HEADER, "1234").put("tenant", "acme"), target);
		assertThat(target).containsExactly(Map.entry("tenant", "acme"));
	}

	@Test
	void noHeadersAddNothing() {
		Map<String, Object> target = new HashMap<>();
		this.mapper.toSpring(null, target);
		this.mapper.toSpring(new Headers(), target);
		assertThat(target).isEmpty();
	}

	@Test
	void aSingleHeaderOtherThanTheDeadlineIsMapped() {
		Map<String, Object> target = new HashMap<>();
		this.mapper.toSpring(new Headers().put("tenant", "acme"), target);
		assertThat(target).containsExactly(Map.entry("tenant", "acme"));
	}

	@Test
	void userHeadersGoOnTheWireAsText() {
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("tenant", "acme");
		headers.put("attempt", 2);
		headers.put("tag", List.of("a", "b"));
		Headers nats = this.mapper.fromSpring(headers);
		assertThat(nats).isNotNull();
		assertThat(nats.get("tenant")).containsExactly("acme");
		assertThat(nats.get("attempt")).containsExactly("2");
		assertThat(nats.get("tag")).containsExactly("a", "b");
		assertThat(nats.keySet()).containsExactlyInAnyOrder("tenant", "attempt", "tag");
	}

	@Test
	void springAndNatsBusHeadersStayLocal() {
		Map<String, Object> headers = new HashMap<>();
		headers.put(MessageHeaders.ID, "id");
		headers.put(MessageHeaders.TIMESTAMP, 1L);
		headers.put(MessageHeaders.CONTENT_TYPE, "application/json");
		headers.put(MessageHeaders.REPLY_CHANNEL, "reply");
		headers.put(MessageHeaders.ERROR_CHANNEL, "errors");
		headers.put("nats_subject", "orders");
		assertThat(this.mapper.fromSpring(headers)).isNull();
		headers.put("tenant", "acme");
		Headers nats = this.mapper.fromSpring(headers);
		assertThat(nats).isNotNull();
		assertThat(nats.keySet()).containsExactly("tenant");
	}

	@Test
	void nullValuesAndNoHeadersMapToNoNatsHeaders() {
		Map<String, Object> headers = new HashMap<>();
		headers.put("tenant", null);
		assertThat(this.mapper.fromSpring(headers)).isNull();
		assertThat(this.mapper.fromSpring(Map.of())).isNull();
		assertThat(this.mapper.fromSpring(null)).isNull();
	}

}
