package dev.natsbus.sample;

import java.time.Duration;

import dev.natsbus.BusNoRespondersException;
import dev.natsbus.BusOperations;
import dev.natsbus.BusRemoteException;
import dev.natsbus.BusTimeoutException;
import dev.natsbus.autoconfigure.web.BusExceptionHandler;
import org.junit.jupiter.api.Test;

import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * The failures that a healthy test server cannot produce (no responders, timeouts,
 * upstream errors), with a stand-in {@link QuoteClient} and no server at all, answered by
 * the starter's {@link BusExceptionHandler} as in the running application.
 */
class BusFailureStatusTests {

	private final QuoteClient quotes = mock(QuoteClient.class);

	private final MockMvcTester mvc = MockMvcTester
		.create(MockMvcBuilders.standaloneSetup(new QuoteController(this.quotes, mock(BusOperations.class)))
			.setControllerAdvice(new BusExceptionHandler())
			.build());

	@Test
	void noRespondersIsServiceUnavailable() {
		given(this.quotes.quote("AAPL")).willThrow(new BusNoRespondersException(QuoteSubjects.GET));

		assertThat(this.mvc.get().uri("/quotes/AAPL")).hasStatus(503);
	}

	@Test
	void timeoutIsGatewayTimeout() {
		given(this.quotes.quote("AAPL")).willThrow(new BusTimeoutException(QuoteSubjects.GET, Duration.ofSeconds(2)));

		assertThat(this.mvc.get().uri("/quotes/AAPL")).hasStatus(504);
	}

	@Test
	void handlerFailureIsBadGateway() {
		given(this.quotes.quote("AAPL")).willThrow(new BusRemoteException(QuoteSubjects.GET, 500, "boom"));

		// A 500's text is the handler's internal business, not the HTTP client's.
		assertThat(this.mvc.get().uri("/quotes/AAPL")).hasStatus(502)
			.bodyJson()
			.extractingPath("$.detail")
			.asString()
			.doesNotContain("boom");
	}

}
