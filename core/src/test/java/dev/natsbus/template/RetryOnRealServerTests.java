package dev.natsbus.template;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.natsbus.BusNoRespondersException;
import dev.natsbus.BusOperations;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.conversion.JsonPayloadConverter;
import dev.natsbus.test.NatsServer;
import io.nats.client.Options;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.core.retry.RetryPolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The retrying view of the real template against a real server with no listener: each
 * attempt gets no responders at once, so the attempts made show in the failure's
 * suppressed exceptions.
 */
@Timeout(30)
class RetryOnRealServerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	private static NatsServer server;

	private static NatsConnectionPool pool;

	private static BusTemplate bus;

	@BeforeAll
	static void start() {
		server = NatsServer.builder().start();
		pool = NatsConnectionPool
			.connect(List.of(new Options.Builder().server(server.url()).reportNoResponders().build()));
		bus = new BusTemplate(pool, new JsonPayloadConverter());
		bus.start();
	}

	@AfterAll
	static void stop() {
		bus.destroy();
		pool.close();
		server.close();
	}

	private static BusOperations retrying(int maxRetries) {
		return bus.withRetry(RetryPolicy.builder().maxRetries(maxRetries).delay(Duration.ZERO).build());
	}

	@Test
	void aZeroDelayRetriesAtOnceAsOftenAsThePolicySays() {
		assertThatExceptionOfType(BusNoRespondersException.class)
			.isThrownBy(() -> retrying(3).request("retry.nobody", "x", String.class, TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getSuppressed()).hasSize(3)
				.allSatisfy((earlier) -> assertThat(earlier).isInstanceOf(BusNoRespondersException.class)));
	}

	@Test
	void aZeroDelayRetriesAtOnceAsynchronouslyToo() {
		CompletableFuture<String> reply = retrying(3).requestAsync("retry.nobody", "x", String.class, TIMEOUT);
		assertThat(reply).failsWithin(TIMEOUT.multipliedBy(5))
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(BusNoRespondersException.class)
			.satisfies((ex) -> assertThat(ex.getSuppressed()).hasSize(3));
	}

	@Test
	void theFinalFailureCarriesAtMostTenEarlierOnes() {
		assertThatExceptionOfType(BusNoRespondersException.class)
			.isThrownBy(() -> retrying(12).request("retry.nobody", "x", String.class, TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getSuppressed()).hasSize(10));
		CompletableFuture<String> reply = retrying(12).requestAsync("retry.nobody", "x", String.class, TIMEOUT);
		assertThat(reply).failsWithin(TIMEOUT.multipliedBy(5))
			.withThrowableThat()
			.havingCause()
			.satisfies((ex) -> assertThat(ex.getSuppressed()).hasSize(10));
	}

}
