package dev.natsbus.template;

import java.time.Duration;
import java.util.concurrent.CancellationException;

import dev.natsbus.BusConnectionException;
import dev.natsbus.BusNoRespondersException;
import dev.natsbus.BusTimeoutException;
import dev.natsbus.test.NatsServer;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.support.NatsRequestCompletableFuture;
import io.nats.client.support.NatsRequestCompletableFuture.CancelAction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * jnats cancels a request future for three different reasons; each must surface as its
 * own exception, or a retry would resend a request that timed out (and may have been
 * processed).
 */
class RequestFailuresTests {

	private static NatsServer server;

	private static Connection connection;

	@BeforeAll
	static void start() throws Exception {
		server = NatsServer.builder().start();
		connection = Nats.connect(server.url());
	}

	@AfterAll
	static void stop() throws Exception {
		connection.close();
		server.close();
	}

	@Test
	void cancelledByTheJnatsTimeoutSweepIsATimeout() {
		NatsRequestCompletableFuture future = new NatsRequestCompletableFuture(CancelAction.CANCEL,
				Duration.ofMillis(10), false);
		future.cancelTimedOut();
		assertThat(RequestFailures.of("s", new CancellationException(), Duration.ofMillis(300), connection, future))
			.isInstanceOf(BusTimeoutException.class);
	}

	@Test
	void cancelledBecauseTheConnectionClosesIsAConnectionFailure() {
		NatsRequestCompletableFuture future = new NatsRequestCompletableFuture(CancelAction.CANCEL,
				Duration.ofSeconds(1), false);
		future.cancelClosing();
		assertThat(RequestFailures.of("s", new CancellationException(), Duration.ofMillis(300), connection, future))
			.isInstanceOf(BusConnectionException.class)
			.hasMessageContaining("closed");
	}

	@Test
	void otherCancellationIsNoResponders() {
		NatsRequestCompletableFuture future = new NatsRequestCompletableFuture(CancelAction.CANCEL,
				Duration.ofSeconds(1), false);
		future.cancel(true);
		assertThat(RequestFailures.of("s", new CancellationException(), Duration.ofMillis(300), connection, future))
			.isInstanceOf(BusNoRespondersException.class);
	}

}
