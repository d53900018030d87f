package dev.natsbus.sample;

import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.natsbus.test.NatsServer;
import dev.natsbus.test.NatsServerTest;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The whole path, HTTP to NATS and back, against a real nats-server that
 * {@link NatsServerTest} starts for this class (it sets {@code natsbus.servers}), so no
 * server needs to be running. The server stops after the class, so the context is closed
 * with it rather than cached.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@NatsServerTest
@DirtiesContext
class SampleApplicationTests {

	private RestClient http;

	@BeforeEach
	void setUp(@LocalServerPort int port) {
		this.http = RestClient.create("http://localhost:" + port);
	}

	@Test
	void knownQuote() {
		Quote quote = this.http.get().uri("/quotes/{symbol}", "aapl").retrieve().body(Quote.class);

		assertThat(quote).isEqualTo(new Quote("AAPL", "Apple Inc.", new BigDecimal("227.48"), "USD"));
	}

	@Test
	void unknownQuoteIsNotFound() {
		assertThatExceptionOfType(HttpClientErrorException.NotFound.class)
			.isThrownBy(() -> this.http.get().uri("/quotes/{symbol}", "NOPE").retrieve().toBodilessEntity())
			.satisfies(ex -> assertThat(ex.getResponseBodyAsString()).contains("No quote for symbol 'NOPE'"));
	}

	@Test
	void allQuotesAsynchronously() {
		List<Quote> quotes = this.http.get().uri("/quotes").retrieve().body(new ParameterizedTypeReference<>() {
		});

		assertThat(quotes).extracting(Quote::symbol).containsExactly("AAPL", "MSFT", "SAP");
	}

	@Test
	void viewEventsAreCounted() {
		ResponseEntity<Void> sent = this.http.post()
			.uri("/quotes/{symbol}/views", "MSFT")
			.retrieve()
			.toBodilessEntity();
		assertThat(sent.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);

		// The event is handled asynchronously: poll until the listener has counted it.
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			Map<String, Long> views = this.http.get()
				.uri("/quotes/views")
				.retrieve()
				.body(new ParameterizedTypeReference<>() {
				});
			assertThat(views).containsEntry("MSFT", 1L);
		});
	}

	@Test
	void requestIdTravelsToTheHandlerAndBack() {
		ResponseEntity<Quote> response = this.http.get()
			.uri("/quotes/{symbol}/traced", "SAP")
			.header(QuoteSubjects.REQUEST_ID, "req-42")
			.retrieve()
			.toEntity(Quote.class);

		assertThat(response.getHeaders().getFirst(QuoteSubjects.REQUEST_ID)).isEqualTo("req-42");
		assertThat(response.getBody().symbol()).isEqualTo("SAP");
	}

	@Test
	void requestIdIsMadeWhenTheCallerSendsNone() {
		ResponseEntity<Quote> response = this.http.get()
			.uri("/quotes/{symbol}/traced", "SAP")
			.retrieve()
			.toEntity(Quote.class);

		assertThat(response.getHeaders().getFirst(QuoteSubjects.REQUEST_ID)).isNotBlank();
	}

	@Test
	void validAlertIsRegistered() {
		PriceAlert alert = this.http.post()
			.uri("/quotes/alerts")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("symbol", "msft", "below", 400))
			.retrieve()
			.body(PriceAlert.class);

		assertThat(alert).isEqualTo(new PriceAlert("MSFT", new BigDecimal("400")));
	}

	@Test
	void invalidAlertIsABadRequestNamingTheField() {
		assertThatExceptionOfType(HttpClientErrorException.BadRequest.class)
			.isThrownBy(() -> this.http.post()
				.uri("/quotes/alerts")
				.contentType(MediaType.APPLICATION_JSON)
				.body(Map.of("symbol", "MSFT", "below", -5))
				.retrieve()
				.toBodilessEntity())
			.satisfies(ex -> assertThat(ex.getResponseBodyAsString())
				.contains("Invalid parameter 'alert': below: must be greater than 0"));
	}

	@Test
	void quoteClientIsAProxyThatCallsOverTheBus(@Autowired QuoteClient client, @Autowired QuoteHandlers handlers,
			NatsServer server) throws Exception {
		// The proxy is the injected QuoteClient although QuoteHandlers implements it
		// here.
		assertThat(Proxy.isProxyClass(client.getClass())).isTrue();
		assertThat(handlers).isNotSameAs(client);
		// What QuoteHandlers serves is plain NATS: any client can ask.
		try (Connection raw = Nats.connect(server.url())) {
			Message reply = raw.request(QuoteSubjects.GET, "sap".getBytes(StandardCharsets.UTF_8),
					Duration.ofSeconds(2));
			assertThat(new String(reply.getData(), StandardCharsets.UTF_8)).contains("\"symbol\":\"SAP\"");
		}
	}

}
