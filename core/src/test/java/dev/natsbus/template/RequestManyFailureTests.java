package dev.natsbus.template;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.natsbus.BusConnectionException;
import dev.natsbus.BusReplies;
import dev.natsbus.BusReplies.EndedBy;
import dev.natsbus.BusTestContext;
import dev.natsbus.RequestMany;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.conversion.JsonPayloadConverter;
import dev.natsbus.test.NatsServer;
import io.nats.client.Connection;
import io.nats.client.Options;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Request-many when the connection goes down or the bus stops: a gathering never passes
 * off a result it cannot vouch for, and never hangs.
 */
@Timeout(60)
class RequestManyFailureTests {

	private NatsServer server;

	private NatsConnectionPool pool;

	private BusTemplate bus;

	private Connection silent;

	@BeforeEach
	void start() throws Exception {
		this.server = NatsServer.builder().start();
		Options options = new Options.Builder().server(this.server.url())
			.connectionName("failing-0")
			.reconnectWait(Duration.ofMillis(50))
			.maxReconnects(-1)
			.build();
		this.pool = NatsConnectionPool.connect(List.of(options));
		this.bus = new BusTemplate(this.pool, new JsonPayloadConverter());
		this.bus.start();
		this.silent = BusTestContext.silentResponder(this.server.url(), "failing.silent");
	}

	@AfterEach
	void stop() throws Exception {
		this.silent.close();
		this.bus.stop();
		this.bus.destroy();
		this.pool.close();
		this.server.close();
	}

	@Test
	void aConnectionThatIsDownWhenTheGatheringEndsFailsIt() {
		CompletableFuture<BusReplies<String>> gathering = this.bus.requestManyAsync("failing.silent", "", String.class,
				RequestMany.maxWait(Duration.ofMillis(800)));
		this.server.stop();
		assertThat(gathering).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(BusConnectionException.class)
			.withMessageContaining("failing.silent")
			.withMessageContaining("down");
		assertThat(this.bus.gatherer().openRoutes()).isZero();
		// While it is down, nothing is sent at all.
		assertThatExceptionOfType(BusConnectionException.class)
			.isThrownBy(() -> this.bus.requestMany("failing.silent", "", String.class, RequestMany.maxReplies(1)));
	}

	@Test
	void aReconnectWhileGatheringFailsItBecauseRepliesMayBeLost() throws Exception {
		CompletableFuture<BusReplies<String>> gathering = this.bus.requestManyAsync("failing.silent", "", String.class,
				RequestMany.maxWait(Duration.ofSeconds(4)));
		Connection connection = this.pool.connection(0).orElseThrow();
		this.server.restart();
		await().atMost(Duration.ofSeconds(10)).until(() -> connection.getStatus() == Connection.Status.CONNECTED);
		assertThat(gathering).failsWithin(Duration.ofSeconds(10))
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(BusConnectionException.class)
			.withMessageContaining("reconnected");
		// The inbox subscription came back with the connection.
		this.silent.close();
		this.silent = BusTestContext.silentResponder(this.server.url(), "failing.silent");
		assertThat(this.bus.requestMany("failing.silent", "", String.class, RequestMany.maxWait(Duration.ofMillis(100)))
			.endedBy()).isEqualTo(EndedBy.MAX_WAIT);
	}

	@Test
	void aStopWaitsForGatheringsThatEndWithinTheDrainTimeout() throws Exception {
		this.bus.setDrainTimeout(Duration.ofSeconds(5));
		CompletableFuture<BusReplies<String>> gathering = this.bus.requestManyAsync("failing.silent", "", String.class,
				RequestMany.maxWait(Duration.ofMillis(400)));
		long start = System.nanoTime();
		this.bus.stop();
		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3000);
		assertThat(gathering.get(1, TimeUnit.SECONDS).endedBy()).isEqualTo(EndedBy.MAX_WAIT);
		this.bus.start();
	}

	@Test
	void aStopFailsGatheringsStillRunningAfterTheDrainTimeoutAndRefusesNewOnes() {
		this.bus.setDrainTimeout(Duration.ofMillis(200));
		CompletableFuture<BusReplies<String>> gathering = this.bus.requestManyAsync("failing.silent", "", String.class,
				RequestMany.maxWait(Duration.ofSeconds(30)));
		this.bus.stop();
		assertThat(gathering).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(BusConnectionException.class)
			.withMessageContaining("shutting down");
		assertThat(this.bus.gatherer().openRoutes()).isZero();
		assertThat(this.bus.getRequestsInFlight()).isZero();
		assertThatExceptionOfType(BusConnectionException.class)
			.isThrownBy(() -> this.bus.requestMany("failing.silent", "", String.class, RequestMany.maxReplies(1)))
			.withMessageContaining("shutting down");
		this.bus.start();
		assertThat(this.bus.requestMany("failing.silent", "", String.class, RequestMany.maxWait(Duration.ofMillis(50)))
			.endedBy()).isEqualTo(EndedBy.MAX_WAIT);
	}

	@Test
	void anInterruptedCallerStopsItsGathering() throws Exception {
		Thread caller = Thread.currentThread();
		CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS).execute(caller::interrupt);
		assertThatExceptionOfType(dev.natsbus.BusException.class)
			.isThrownBy(() -> this.bus.requestMany("failing.silent", "", String.class,
					RequestMany.maxWait(Duration.ofSeconds(20))))
			.withMessageContaining("Interrupted");
		assertThat(Thread.interrupted()).isTrue();
		assertThat(this.bus.gatherer().openRoutes()).isZero();
		assertThat(this.bus.getRequestsInFlight()).isZero();
	}

}
