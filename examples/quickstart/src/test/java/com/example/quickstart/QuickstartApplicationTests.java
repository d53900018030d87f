package com.example.quickstart;

import java.math.BigDecimal;
import java.util.List;

import dev.natsbus.test.NatsServerTest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Over HTTP, against a nats-server that @NatsServerTest starts for this class. */
@NatsServerTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class QuickstartApplicationTests {

	@LocalServerPort
	int port;

	@Test
	void quote() {
		Quote quote = http().get().uri("/quotes/ACME").retrieve().body(Quote.class);
		assertThat(quote).isEqualTo(new Quote("ACME", new BigDecimal("12.50")));
	}

	@Test
	void unknownQuoteIsNotFound() {
		assertThatExceptionOfType(HttpClientErrorException.NotFound.class)
			.isThrownBy(() -> http().get().uri("/quotes/NOPE").retrieve().toBodilessEntity())
			.satisfies(ex -> {
				assertThat(ex.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
				assertThat(ex.getResponseBodyAs(ProblemDetail.class).getDetail()).isEqualTo("No quote for NOPE");
			});
	}

	@Test
	void updateThenListAll() {
		Quote updated = http().put()
			.uri("/quotes/INIT")
			.contentType(MediaType.APPLICATION_JSON)
			.body("3.25")
			.retrieve()
			.body(Quote.class);
		assertThat(updated).isEqualTo(new Quote("INIT", new BigDecimal("3.25")));
		List<Quote> all = http().get().uri("/quotes").retrieve().body(new ParameterizedTypeReference<>() {
		});
		assertThat(all).containsExactly(new Quote("ACME", new BigDecimal("12.50")),
				new Quote("INIT", new BigDecimal("3.25")));
	}

	private RestClient http() {
		return RestClient.create("http://localhost:" + this.port);
	}

}
