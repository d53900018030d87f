package dev.natsbus.sample;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.test.NatsServer;
import dev.natsbus.test.NatsServerTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The three patterns over HTTP, against a real nats-server, with a second instance of the
 * service running beside the web one: a price change reaches both instances' books, the
 * view total sums what both counted, and a price history arrives as a streamed reply.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@NatsServerTest
@DirtiesContext
class PatternsTests {

	private static ConfigurableApplicationContext secondInstance;

	@Autowired
	private PriceBook priceBook;

	private RestClient http;

	@BeforeEach
	void setUp(@LocalServerPort int port, NatsServer server) {
		this.http = RestClient.create("http://localhost:" + port);
		if (secondInstance == null) {
			// Arguments, not default properties: they must win over application.yml.
			secondInstance = new SpringApplicationBuilder(SampleApplication.class).web(WebApplicationType.NONE)
				.run("--natsbus.servers=" + server.url(), "--spring.application.name=quotes-sample-2");
			// Events are sent on the web instance's connection: the server must have the
			// second instance's subscriptions first.
			secondInstance.getBean(NatsConnectionPool.class).flush(Duration.ofSeconds(5));
		}
	}

	@AfterAll
	static void stopSecondInstance() {
		if (secondInstance != null) {
			secondInstance.close();
		}
	}

	@Test
	void aPriceChangeReachesTheBookOfEveryInstance() {
		assertThat(this.http.put()
			.uri("/quotes/{symbol}/price", "SAP")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("price", new BigDecimal("250.10")))
			.retrieve()
			.toBodilessEntity()
			.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		PriceBook other = secondInstance.getBean(PriceBook.class);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(this.priceBook.priceOf("SAP")).contains(new BigDecimal("250.10"));
			assertThat(other.priceOf("SAP")).contains(new BigDecimal("250.10"));
		});
		// Whichever instance answers the quote now quotes the new price.
		for (int i = 0; i < 4; i++) {
			assertThat(this.http.get().uri("/quotes/{symbol}", "sap").retrieve().body(Quote.class).price())
				.isEqualByComparingTo("250.10");
		}
	}

	@Test
	void theViewTotalSumsWhatEveryInstanceCounted() {
		for (int i = 0; i < 20; i++) {
			this.http.post().uri("/quotes/{symbol}/views", "AAPL").retrieve().toBodilessEntity();
		}
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			ViewTotals totals = this.http.get().uri("/quotes/views/total").retrieve().body(ViewTotals.class);
			assertThat(totals.instances()).isEqualTo(2);
			assertThat(totals.views()).containsEntry("AAPL", 20L);
		});
		// The queue group shared the events out: one instance alone knows only its part.
		long here = this.http.get()
			.uri("/quotes/views")
			.retrieve()
			.body(new ParameterizedTypeReference<Map<String, Long>>() {
			})
			.getOrDefault("AAPL", 0L);
		assertThat(here).isBetween(0L, 20L);
	}

	@Test
	void aPriceHistoryArrivesAsAStreamedReply() {
		List<PricePoint> history = this.http.get()
			.uri("/quotes/{symbol}/history?points=5", "MSFT")
			.retrieve()
			.body(new ParameterizedTypeReference<>() {
			});
		assertThat(history).extracting(PricePoint::index).containsExactly(0, 1, 2, 3, 4);
		assertThat(history).extracting(PricePoint::symbol).containsOnly("MSFT");
		assertThat(history.get(4).price()).isGreaterThan(history.get(0).price());
	}

	@Test
	void anUnknownSymbolEndsTheStreamWithItsError() {
		assertThatExceptionOfType(HttpClientErrorException.NotFound.class)
			.isThrownBy(() -> this.http.get().uri("/quotes/{symbol}/history", "NOPE").retrieve().toBodilessEntity())
			.satisfies((ex) -> assertThat(ex.getResponseBodyAsString()).contains("No quote for symbol 'NOPE'"));
		assertThatExceptionOfType(HttpClientErrorException.BadRequest.class).isThrownBy(
				() -> this.http.get().uri("/quotes/{symbol}/history?points=0", "MSFT").retrieve().toBodilessEntity());
	}

}
