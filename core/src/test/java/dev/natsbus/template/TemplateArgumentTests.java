package dev.natsbus.template;

import java.util.List;
import java.util.concurrent.Executor;

import dev.natsbus.RequestMany;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.conversion.JsonPayloadConverter;
import dev.natsbus.test.NatsServer;
import io.nats.client.Options;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.retry.RetryPolicy;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Missing arguments of the template and its retrying view fail at once with a message
 * that names them, not later with a {@code NullPointerException}.
 */
@Timeout(30)
class TemplateArgumentTests {

	private static final Executor CALLER = Runnable::run;

	private static NatsServer server;

	private static NatsConnectionPool pool;

	private static BusTemplate bus;

	@BeforeAll
	static void start() {
		server = NatsServer.builder().start();
		pool = NatsConnectionPool.connect(List.of(new Options.Builder().server(server.url()).build()));
		bus = new BusTemplate(pool, new JsonPayloadConverter());
		bus.start();
	}

	@AfterAll
	static void stop() {
		bus.destroy();
		pool.close();
		server.close();
	}

	@Test
	void requestManyAsyncNeedsItsOptions() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> bus.requestManyAsync("orders.list", "", new ParameterizedTypeReference<String>() {
			}, (RequestMany) null))
			.withMessage("options must not be null");
	}

	@Test
	void theRetryingViewNeedsEachOfItsParts() {
		RetryPolicy policy = RetryPolicy.builder().maxRetries(1).build();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetryingBusOperations(null, policy, CALLER, () -> true))
			.withMessage("delegate must not be null");
		assertThatIllegalArgumentException().isThrownBy(() -> new RetryingBusOperations(bus, null, CALLER, () -> true))
			.withMessage("retryPolicy must not be null");
		assertThatIllegalArgumentException().isThrownBy(() -> new RetryingBusOperations(bus, policy, null, () -> true))
			.withMessage("executor must not be null");
		assertThatIllegalArgumentException().isThrownBy(() -> new RetryingBusOperations(bus, policy, CALLER, null))
			.withMessage("accepting must not be null");
	}

}
