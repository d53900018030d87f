package dev.natsbus.observation;

import dev.natsbus.BusTestContext;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.natsbus.BusConnectionException;
import dev.natsbus.BusConversionException;
import dev.natsbus.BusNoRespondersException;
import dev.natsbus.BusRemoteException;
import dev.natsbus.RequestMany;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.BusTimeoutException;
import dev.natsbus.conversion.JsonPayloadConverter;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.test.NatsServer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.nats.client.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Names, tags and outcomes of the bus's observations, against a real server. */
@Timeout(30)
class BusObservationTests {

	private static NatsServer server;

	private static AnnotationConfigApplicationContext context;

	private static BusTemplate bus;

	private static ObservedHandlers handlers;

	private static Connection silent;

	private TestObservationRegistry registry;

	/** Contexts in the order their observations stopped. */
	private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

	@BeforeAll
	static void start() throws Exception {
		server = NatsServer.builder().start();
		context = BusTestContext.start(server.url(), "observation-test", Map.of(), ObservedHandlers.class);
		bus = context.getBean(BusTemplate.class);
		handlers = context.getBean(ObservedHandlers.class);
		silent = BusTestContext.silentResponder(server.url(), "obs.silent");
	}

	@AfterAll
	static void stop() throws Exception {
		silent.close();
		context.close();
		server.close();
	}

	@BeforeEach
	void observe() {
		this.registry = TestObservationRegistry.create();
		this.registry.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public void onStop(Observation.Context context) {
				BusObservationTests.this.stopped.add(context);
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

		});
		// Set on the running template and registry: listeners registered before see it
		// too.
		bus.setObservationRegistry(this.registry);
		context.getBean(BusListenerRegistry.class).getContainerFactory().setObservationRegistry(this.registry);
	}

	@AfterEach
	void unobserve() {
		bus.setObservationRegistry(null);
		context.getBean(BusListenerRegistry.class).getContainerFactory().setObservationRegistry(null);
	}

	@Test
	void successfulRequestIsObservedOnBothSides() {
		assertThat(bus.request("obs.greet.ada", "ada", String.class)).isEqualTo("hello ada");
		awaitStopped("natsbus.listener");
		assertThat(this.registry).hasObservationWithNameEqualTo("natsbus.request")
			.that()
			.hasBeenStarted()
			.hasBeenStopped()
			.hasContextualNameEqualTo("obs.greet.ada request")
			.hasLowCardinalityKeyValue("natsbus.subject", "obs.greet.ada")
			.hasLowCardinalityKeyValue("natsbus.outcome", "success")
			.hasLowCardinalityKeyValue("natsbus.error.code", "none")
			.doesNotHaveError();
		assertThat(this.registry).hasObservationWithNameEqualTo("natsbus.listener")
			.that()
			.hasBeenStopped()
			.hasContextualNameEqualTo("obs.greet.* process")
			.hasLowCardinalityKeyValue("natsbus.subject", "obs.greet.*")
			.hasLowCardinalityKeyValue("natsbus.listener.id", "greeter")
			.hasLowCardinalityKeyValue("natsbus.outcome", "success")
			.hasLowCardinalityKeyValue("natsbus.error.code", "none")
			.hasHighCardinalityKeyValue("natsbus.message.subject", "obs.greet.ada");
		assertThat(context("natsbus.request", BusRequestContext.class).getKind()).isEqualTo(Kind.CLIENT);
		assertThat(context("natsbus.listener", BusListenerContext.class).getKind()).isEqualTo(Kind.SERVER);
	}

	@Test
	void requestManyIsObservedAsARequestOnBothSides() {
		assertThat(bus.requestMany("obs.greet.ada", "ada", String.class, RequestMany.maxReplies(1)).values())
			.containsExactly("hello ada");
		awaitStopped("natsbus.listener");
		assertThat(this.registry).hasObservationWithNameEqualTo("natsbus.request")
			.that()
			.hasBeenStopped()
			.hasLowCardinalityKeyValue("natsbus.subject", "obs.greet.ada")
			.hasLowCardinalityKeyValue("natsbus.outcome", "success");
	}

	@Test
	void requestManyWithoutRespondersIsAnOutcome() {
		assertThat(bus.requestManyAsync("obs.nobody", "x", String.class, RequestMany.maxReplies(1)))
			.failsWithin(Duration.ofSeconds(5));
		awaitStopped("natsbus.request");
		assertThat(this.registry).hasObservationWithNameEqualTo("natsbus.request")
			.that()
			.hasLowCardinalityKeyValue("natsbus.subject", "obs.nobody")
			.hasLowCardinalityKeyValue("natsbus.outcome", "no_responders");
	}

	@Test
	void timeoutIsAnOutcome() {
		assertThatExceptionOfType(BusTimeoutException.class)
			.isThrownBy(() -> bus.request("obs.silent", "x", String.class, Duration.ofMillis(200)));
		assertThat(this.registry).hasObservationWithNameEqualTo("natsbus.request")
			.that()
			.hasBeenStopped()
			.hasLowCardinalityKeyValue("natsbus.subject", "obs.silent")
			.hasLowCardinalityKeyValue("natsbus.outcome", "timeout")
			.hasLowCardinalityKeyValue("natsbus.error.code", "none")
			.assertThatError()
			.isInstanceOf(BusTimeoutException.class);
	}

	@Test
	void noRespondersIsAnOutcome() {
		assertThatExceptionOfType(BusNoRespondersException.class)
			.isThrownBy(() -> bus.request("obs.nobody", "x", String.class));
		assertThat(this.registry).hasObservationWithNameEqualTo("natsbus.request")
			.that()
			.hasBeenStopped()
			.hasLowCardinalityKeyValue("natsbus.outcome", "no_responders")
			.hasError();
	}

	@Test
	void remoteErrorCarriesItsCodeOnBothSides() {
		assertThatExceptionOfType(BusRemoteException.class)
			.isThrownBy(() -> bus.request("obs.fail", "ghost", String.class));
		awaitStopped("natsbus.listener");
		assertThat(this.registry).hasObservationWithNameEqualTo("natsbus.request")
			.that()
			.hasLowCardinalityKeyValue("natsbus.outcome", "remote_error")
			.hasLowCardinalityKeyValue("natsbus.error.code", "404")
			.hasError();
		assertThat(this.registry).hasObservationWithNameEqualTo("natsbus.listener")
			.that()
			.hasLowCardinalityKeyValue("natsbus.listener.id", "failer")
			.hasLowCardinalityKeyValue("natsbus.outcome", "error")
			.hasLowCardinalityKeyValue("natsbus.error.code", "404")
			.hasError();
	}

	@Test
	void failingListenerAnswers500() {
		assertThatExceptionOfType(BusRemoteException.class)
			.isThrownBy(() -> bus.request("obs.boom", "x", String.class));
		awaitStopped("natsbus.listener");
		assertThat(this.registry).hasObservationWithNameEqualTo("natsbus.listener")
			.that()
			.hasLowCardinalityKeyValue("natsbus.outcome", "error")
			.hasLowCardinalityKeyValue("natsbus.error.code", "500")
			.assertThatError()
			.isInstanceOf(IllegalStateException.class);
		assertThat(this.registry).hasObservationWithNameEqualTo("natsbus.request")
			.that()
			.hasLowCardinalityKeyValue("natsbus.error.code", "500");
	}

	@Test
	void unreadableReplyIsAConversionError() {
		assertThatExceptionOfType(BusConversionException.class)
			.isThrownBy(() -> bus.request("obs.greet.ada", "ada", Integer.class));
		assertThat(this.registry).hasObservationWithNameEqualTo("natsbus.request")
			.that()
			.hasLowCardinalityKeyValue("natsbus.outcome", "conversion_error");
	}

	@Test
	void unreadableRequestIsAConversionErrorOfTheListener() {
		assertThatExceptionOfType(BusRemoteException.class)
			.isThrownBy(() -> bus.request("obs.twice", Map.of("not", "a number"), Integer.class))
			.satisfies(ex -> assertThat(ex.getErrorCode()).isEqualTo(400));
		awaitStopped("natsbus.listener");
		assertThat(this.registry).hasObservationWithNameEqualTo("natsbus.listener")
			.that()
			.hasLowCardinalityKeyValue("natsbus.outcome", "conversion_error")
			.hasLowCardinalityKeyValue("natsbus.error.code", "400");
	}

	@Test
	void connectionDownIsAnOutcome() {
		BusTemplate stopped = new BusTemplate(context.getBean(NatsConnectionPool.class), new JsonPayloadConverter());
		try {
			stopped.setObservationRegistry(this.registry);
			stopped.stop();
			assertThatExceptionOfType(BusConnectionException.class)
				.isThrownBy(() -> stopped.request("obs.greet.ada", "ada", String.class));
			assertThat(this.registry).hasObservationWithNameEqualTo("natsbus.request")
				.that()
				.hasLowCardinalityKeyValue("natsbus.outcome", "connection_down");
		}
		finally {
			stopped.destroy();
		}
	}

	@Test
	void sendIsObservedUntilTheListenerIsDone() {
		bus.send("obs.events", "started");
		awaitStopped("natsbus.listener");
		assertThat(handlers.events).contains("started");
		assertThat(this.registry).hasObservationWithNameEqualTo("natsbus.send")
			.that()
			.hasBeenStopped()
			.hasContextualNameEqualTo("obs.events send")
			.hasLowCardinalityKeyValue("natsbus.subject", "obs.events")
			.hasLowCardinalityKeyValue("natsbus.outcome", "success");
		assertThat(this.registry).hasObservationWithNameEqualTo("natsbus.listener")
			.that()
			.hasLowCardinalityKeyValue("natsbus.listener.id", "events")
			.hasLowCardinalityKeyValue("natsbus.outcome", "success");
		assertThat(context("natsbus.send", BusSendContext.class).getKind()).isEqualTo(Kind.PRODUCER);
		assertThat(context("natsbus.listener", BusListenerContext.class).getKind()).isEqualTo(Kind.CONSUMER);
	}

	@Test
	void asyncRequestIsObservedUntilItsFutureCompletes() throws Exception {
		CompletableFuture<String> reply = bus.requestAsync("obs.greet.bob", "bob", String.class);
		assertThat(reply.get(5, TimeUnit.SECONDS)).isEqualTo("hello bob");
		awaitStopped("natsbus.request");
		assertThat(this.registry).hasObservationWithNameEqualTo("natsbus.request")
			.that()
			.hasBeenStopped()
			.hasLowCardinalityKeyValue("natsbus.outcome", "success");
	}

	@Test
	void asyncTimeoutIsAnOutcome() {
		CompletableFuture<String> reply = bus.requestAsync("obs.silent", "x", String.class, Duration.ofMillis(200));
		assertThatThrownBy(() -> reply.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
			.cause()
			.isInstanceOf(BusTimeoutException.class);
		awaitStopped("natsbus.request");
		assertThat(this.registry).hasObservationWithNameEqualTo("natsbus.request")
			.that()
			.hasLowCardinalityKeyValue("natsbus.outcome", "timeout")
			.assertThatError()
			.isInstanceOf(BusTimeoutException.class);
	}

	@Test
	void asyncListenerIsObservedUntilItsReplyIsSent() throws Exception {
		handlers.pending.set(null);
		CompletableFuture<String> reply = bus.requestAsync("obs.later", "late", String.class, Duration.ofSeconds(5));
		await().atMost(Duration.ofSeconds(5)).until(() -> handlers.pending.get() != null);
		assertThat(this.registry).hasObservationWithNameEqualTo("natsbus.listener")
			.that()
			.hasBeenStarted()
			.isNotStopped();
		handlers.pending.get().complete("done");
		assertThat(reply.get(5, TimeUnit.SECONDS)).isEqualTo("done");
		awaitStopped("natsbus.listener");
		assertThat(this.registry).hasObservationWithNameEqualTo("natsbus.listener")
			.that()
			.hasBeenStopped()
			.hasLowCardinalityKeyValue("natsbus.listener.id", "later")
			.hasLowCardinalityKeyValue("natsbus.outcome", "success");
	}

	@Test
	void requestMessageIsObserved() {
		org.springframework.messaging.Message<String> reply = bus.requestMessage("obs.greet.cy",
				MessageBuilder.withPayload("cy").setHeader("X-Trace-Me", "1").build(), String.class,
				Duration.ofSeconds(2));
		assertThat(reply.getPayload()).isEqualTo("hello cy");
		assertThat(this.registry).hasObservationWithNameEqualTo("natsbus.request")
			.that()
			.hasLowCardinalityKeyValue("natsbus.subject", "obs.greet.cy")
			.hasLowCardinalityKeyValue("natsbus.outcome", "success");
	}

	@Test
	void requestsOfAListenerAreChildrenOfItsObservation() {
		assertThat(bus.request("obs.forward", "dan", String.class)).isEqualTo("forwarded hello dan");
		await().atMost(Duration.ofSeconds(5)).until(() -> countStopped("natsbus.listener") == 2);
		Observation.Context forwarder = this.stopped.stream()
			.filter(context -> "natsbus.listener".equals(context.getName())
					&& "forwarder".equals(((BusListenerContext) context).getListenerId()))
			.findFirst()
			.orElseThrow();
		Observation.Context nested = this.stopped.stream()
			.filter(context -> context instanceof BusRequestContext request
					&& "obs.greet.nested".equals(request.getSubject()))
			.findFirst()
			.orElseThrow();
		assertThat(nested.getParentObservation()).isNotNull();
		assertThat(nested.getParentObservation().getContextView()).isSameAs(forwarder);
	}

	private void awaitStopped(String name) {
		await().atMost(Duration.ofSeconds(5)).until(() -> countStopped(name) > 0);
	}

	private long countStopped(String name) {
		return this.stopped.stream().filter(context -> name.equals(context.getName())).count();
	}

	private <C extends Observation.Context> C context(String name, Class<C> type) {
		return this.stopped.stream()
			.filter(context -> name.equals(context.getName()))
			.map(type::cast)
			.findFirst()
			.orElseThrow();
	}

}
