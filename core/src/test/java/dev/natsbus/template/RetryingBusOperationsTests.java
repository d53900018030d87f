package dev.natsbus.template;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.natsbus.BusConnectionException;
import dev.natsbus.BusConversionException;
import dev.natsbus.BusException;
import dev.natsbus.BusNoRespondersException;
import dev.natsbus.BusOperations;
import dev.natsbus.BusPayloadTooLargeException;
import dev.natsbus.BusRemoteException;
import dev.natsbus.BusTimeoutException;
import dev.natsbus.BusTestContext;
import dev.natsbus.RequestMany;
import dev.natsbus.protocol.ServiceErrors;
import dev.natsbus.test.NatsServer;
import io.nats.client.Connection;
import io.nats.client.Nats;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.mockito.AdditionalAnswers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.Answers;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.messaging.Message;
import org.junit.jupiter.api.Timeout;

import org.springframework.core.retry.RetryPolicy;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.withSettings;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The retry view: its synchronous loop over a stand-in that throws what the template
 * throws (what is retried, how often, how late), its asynchronous loop over the real
 * template against a real server (what the future reports, on which thread, without
 * holding the caller).
 */
@Timeout(30)
class RetryingBusOperationsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	private final ClassOverloads delegate = mock(ClassOverloads.class,
			withSettings().defaultAnswer(Answers.CALLS_REAL_METHODS));

	private final ExecutorService callbacks = Executors.newFixedThreadPool(2, runnable -> {
		Thread thread = new Thread(runnable, "test-callback");
		thread.setDaemon(true);
		return thread;
	});

	private final AtomicBoolean accepting = new AtomicBoolean(true);

	private static NatsServer server;

	private @Nullable AnnotationConfigApplicationContext context;

	@BeforeAll
	static void startServer() {
		server = NatsServer.builder().start();
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@AfterEach
	void shutdown() {
		this.callbacks.shutdownNow();
		if (this.context != null) {
			this.context.close();
		}
	}

	private RetryingBusOperations retrying(RetryPolicy policy) {
		return new RetryingBusOperations(this.delegate, policy, this.callbacks, this.accepting::get);
	}

	private static RetryPolicy fast(int maxRetries) {
		return RetryPolicy.builder().maxRetries(maxRetries).delay(Duration.ofMillis(10)).build();
	}

	/**
	 * A stand-in that fails with the given exceptions in turn, then answers {@code "ok"}.
	 */
	private static Supplier<String> failing(AtomicInteger calls, RuntimeException... failures) {
		return () -> {
			int call = calls.getAndIncrement();
			if (call < failures.length) {
				throw failures[call];
			}
			return "ok";
		};
	}

	@Test
	void retriesNoRespondersAndConnectionDownUntilAnAttemptSucceeds() {
		AtomicInteger calls = new AtomicInteger();
		Supplier<String> answers = failing(calls, new BusNoRespondersException("s"), new BusConnectionException("down"),
				new BusNoRespondersException("s"));
		when(this.delegate.request(eq("s"), any(), eq(String.class), eq(TIMEOUT))).thenAnswer(call -> answers.get());
		assertThat(retrying(fast(5)).request("s", "x", String.class, TIMEOUT)).isEqualTo("ok");
		assertThat(calls).hasValue(4);
	}

	@Test
	void neverRetriesRemoteErrorsTimeoutsOrConversionErrors() {
		RuntimeException[] finals = { new BusRemoteException("s", 500, "boom"), new BusTimeoutException("s", TIMEOUT),
				new BusConversionException("bad json", null), new BusPayloadTooLargeException("s", 10, 5),
				new IllegalArgumentException("bad subject"), new BusException("other") };
		for (RuntimeException failure : finals) {
			AtomicInteger calls = new AtomicInteger();
			Supplier<String> answers = failing(calls, failure);
			doAnswer(call -> answers.get()).when(this.delegate).request(eq("s"), any(), eq(String.class), eq(TIMEOUT));
			assertThatThrownBy(() -> retrying(fast(5)).request("s", "x", String.class, TIMEOUT)).isSameAs(failure);
			assertThat(calls).as("calls for %s", failure).hasValue(1);
		}
	}

	@Test
	void givesUpAfterMaxRetriesWithTheLastFailureCarryingTheEarlierOnes() {
		AtomicInteger calls = new AtomicInteger();
		BusNoRespondersException first = new BusNoRespondersException("s");
		BusConnectionException second = new BusConnectionException("down 2");
		BusConnectionException last = new BusConnectionException("down 3");
		Supplier<String> answers = failing(calls, first, second, last, new BusConnectionException("not reached"));
		when(this.delegate.request(eq("s"), any(), eq(String.class))).thenAnswer(call -> answers.get());
		assertThatThrownBy(() -> retrying(fast(2)).request("s", "x", String.class)).isSameAs(last)
			.satisfies(ex -> assertThat(ex.getSuppressed()).containsExactly(first, second));
		assertThat(calls).hasValue(3);
	}

	@Test
	void thePolicyCanNarrowWhatIsRetried() {
		AtomicInteger calls = new AtomicInteger();
		BusNoRespondersException noResponders = new BusNoRespondersException("s");
		Supplier<String> answers = failing(calls, new BusConnectionException("down"), noResponders);
		when(this.delegate.request(eq("s"), any(), eq(String.class))).thenAnswer(call -> answers.get());
		RetryPolicy onlyConnection = RetryPolicy.builder()
			.maxRetries(5)
			.delay(Duration.ofMillis(10))
			.includes(BusConnectionException.class)
			.build();
		assertThatThrownBy(() -> retrying(onlyConnection).request("s", "x", String.class)).isSameAs(noResponders);
		assertThat(calls).hasValue(2);
	}

	@Test
	void thePolicyCannotWidenWhatIsRetried() {
		AtomicInteger calls = new AtomicInteger();
		BusTimeoutException timeout = new BusTimeoutException("s", TIMEOUT);
		Supplier<String> answers = failing(calls, timeout);
		when(this.delegate.request(eq("s"), any(), eq(String.class))).thenAnswer(call -> answers.get());
		RetryPolicy everything = RetryPolicy.builder().maxRetries(5).delay(Duration.ofMillis(10)).build();
		assertThatThrownBy(() -> retrying(everything).request("s", "x", String.class)).isSameAs(timeout);
		assertThat(calls).hasValue(1);
	}

	@Test
	void doesNotRetryOnceTheBusIsShuttingDown() {
		AtomicInteger calls = new AtomicInteger();
		BusConnectionException shuttingDown = new BusConnectionException("the bus is shutting down");
		when(this.delegate.request(eq("s"), any(), eq(String.class))).thenAnswer(call -> {
			calls.incrementAndGet();
			this.accepting.set(false);
			throw shuttingDown;
		});
		assertThatThrownBy(() -> retrying(fast(5)).request("s", "x", String.class)).isSameAs(shuttingDown);
		assertThat(calls).hasValue(1);
	}

	@Test
	void backsOffAsThePolicySaysAndStopsAtItsTimeout() {
		AtomicInteger calls = new AtomicInteger();
		when(this.delegate.request(eq("s"), any(), eq(String.class))).thenAnswer(call -> {
			calls.incrementAndGet();
			throw new BusNoRespondersException("s");
		});
		RetryPolicy exponential = RetryPolicy.builder()
			.maxRetries(3)
			.delay(Duration.ofMillis(100))
			.multiplier(2)
			.build();
		long start = System.nanoTime();
		assertThatExceptionOfType(BusNoRespondersException.class)
			.isThrownBy(() -> retrying(exponential).request("s", "x", String.class));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
		assertThat(calls).hasValue(4);

		calls.set(0);
		RetryPolicy capped = RetryPolicy.builder()
			.maxRetries(100)
			.delay(Duration.ofMillis(100))
			.timeout(Duration.ofMillis(350))
			.build();
		assertThatExceptionOfType(BusNoRespondersException.class)
			.isThrownBy(() -> retrying(capped).request("s", "x", String.class));
		assertThat(calls).hasValueBetween(2, 4);
	}

	@Test
	void requestMessageIsRetriedToo() {
		AtomicInteger calls = new AtomicInteger();
		when(this.delegate.requestMessage(anyString(), any(), eq(String.class), eq(TIMEOUT))).thenAnswer(call -> {
			if (calls.getAndIncrement() == 0) {
				throw new BusNoRespondersException("s");
			}
			return MessageBuilder.withPayload("ok").build();
		});
		assertThat(retrying(fast(3)).requestMessage("s", MessageBuilder.withPayload("x").build(), String.class, TIMEOUT)
			.getPayload()).isEqualTo("ok");
		assertThat(calls).hasValue(2);
	}

	@Test
	void sendIsNotRetried() {
		org.mockito.Mockito.doThrow(new BusConnectionException("down")).when(this.delegate).send("s", "x");
		assertThatExceptionOfType(BusConnectionException.class).isThrownBy(() -> retrying(fast(3)).send("s", "x"));
		verify(this.delegate, times(1)).send("s", "x");
	}

	// asynchronous: the real template against a real server, as the view is used

	@Test
	void asyncRetriesWaitWithoutHoldingTheCaller() throws Exception {
		RetryPolicy policy = RetryPolicy.builder().maxRetries(50).delay(Duration.ofMillis(100)).build();
		CompletableFuture<String> reply = realTemplate().withRetry(policy)
			.requestAsync("retry.late", "x", String.class, TIMEOUT);
		// Nobody listens yet: a view that retried on the caller's thread would only
		// return
		// with the last failure, after every retry.
		assertThat(reply).isNotDone();
		CompletableFuture<String> completedOn = reply.thenApply(value -> Thread.currentThread().getName());
		// Still retrying through several back-offs, neither answered nor given up.
		// No thread waits out a back-off inside the view either.
		await().during(Duration.ofMillis(500))
			.atMost(Duration.ofSeconds(2))
			.until(() -> !reply.isDone() && threadsWaitingInTheView().isEmpty());
		try (Connection late = Nats.connect(server.url())) {
			answerLate(late, "retry.late");
			// Wait on the dependent stage only: a thread blocked in reply.get() may run
			// the
			// pending dependents itself once the reply completes.
			assertThat(completedOn.get(5, TimeUnit.SECONDS)).startsWith("natsbus-callback-");
			assertThat(reply.getNow(null)).isEqualTo("late:x");
		}
	}

	@Test
	void asyncFailuresAreRetriedOnlyWhenRetryable() throws Exception {
		BusOperations counted = counted(realTemplate());
		RetryingBusOperations retrying = new RetryingBusOperations(counted, fast(2), this.callbacks,
				this.accepting::get);

		// No responders, as the template reports it (through the future): retried, then
		// the last failure carries the earlier ones.
		assertThat(retrying.requestAsync("nobody.here", "x", String.class, TIMEOUT)).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(BusNoRespondersException.class)
			.satisfies(ex -> assertThat(ex.getSuppressed()).hasSize(2)
				.allSatisfy(earlier -> assertThat(earlier).isInstanceOf(BusNoRespondersException.class)));
		verify(counted, times(3)).requestAsync(eq("nobody.here"), any(), any(ParameterizedTypeReference.class),
				eq(TIMEOUT));

		// The template writes the payload before sending and reports a conversion error
		// through the future: never retried.
		assertThat(retrying.requestAsync("conv", new Unwritable(), String.class, TIMEOUT))
			.failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(BusConversionException.class);
		verify(counted, times(1)).requestAsync(eq("conv"), any(), any(ParameterizedTypeReference.class), eq(TIMEOUT));

		// An invalid subject is the one failure the template throws at once.
		assertThatIllegalArgumentException()
			.isThrownBy(() -> retrying.requestAsync("bad subject", "x", String.class, TIMEOUT));
		verify(counted, times(1)).requestAsync(eq("bad subject"), any(), any(ParameterizedTypeReference.class),
				eq(TIMEOUT));

		// A remote error reply, from a responder that answers 409 on the wire.
		try (Connection responder = Nats.connect(server.url())) {
			responder
				.createDispatcher(message -> responder.publish(message.getReplyTo(),
						ServiceErrors.errorHeaders(409, "conflict"), new byte[0]))
				.subscribe("retry.conflict");
			responder.flush(Duration.ofSeconds(2));
			assertThat(retrying.requestAsync("retry.conflict", "x", String.class, TIMEOUT))
				.failsWithin(Duration.ofSeconds(5))
				.withThrowableOfType(ExecutionException.class)
				.havingCause()
				.isInstanceOfSatisfying(BusRemoteException.class,
						remote -> assertThat(remote.getErrorCode()).isEqualTo(409));
		}
		verify(counted, times(1)).requestAsync(eq("retry.conflict"), any(), any(ParameterizedTypeReference.class),
				eq(TIMEOUT));
	}

	@Test
	void aDelegateThatThrowsBeforeSendingIsRetriedWhenRetryableAndReportedOtherwise() throws Exception {
		// BusTemplate reports such failures through its future; another BusOperations may
		// throw them from the call itself, and the view treats both alike.
		AtomicInteger calls = new AtomicInteger();
		when(this.delegate.requestAsync(eq("down"), any(), eq(String.class))).thenAnswer(call -> {
			if (calls.getAndIncrement() == 0) {
				throw new BusConnectionException("the connection to NATS is down");
			}
			return CompletableFuture.completedFuture("ok");
		});
		assertThat(retrying(fast(3)).requestAsync("down", "x", String.class).get(5, TimeUnit.SECONDS)).isEqualTo("ok");
		assertThat(calls).hasValue(2);

		BusConversionException conversion = new BusConversionException("cannot write", null);
		when(this.delegate.requestAsync(eq("conv"), any(), eq(String.class))).thenThrow(conversion);
		assertThat(retrying(fast(3)).requestAsync("conv", "x", String.class)).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isSameAs(conversion);
		verify(this.delegate, times(1)).requestAsync(eq("conv"), any(), eq(String.class));
	}

	@Test
	void cancellingStopsFurtherAttemptsAndTheAttemptInFlight() throws Exception {
		BusTemplate template = realTemplate();
		BusOperations counted = counted(template);
		RetryPolicy slow = RetryPolicy.builder().maxRetries(5).delay(Duration.ofMillis(200)).build();
		RetryingBusOperations retrying = new RetryingBusOperations(counted, slow, this.callbacks, this.accepting::get);

		// Cancelled while backing off after no responders: no attempt starts afterwards.
		CompletableFuture<String> backingOff = retrying.requestAsync("nobody.here", "x", String.class, TIMEOUT);
		verify(counted, timeout(2000).times(1)).requestAsync(eq("nobody.here"), any(),
				any(ParameterizedTypeReference.class), eq(TIMEOUT));
		assertThat(backingOff.cancel(false)).isTrue();
		// Longer than two back-offs.
		await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() -> {
			verify(counted, times(1)).requestAsync(eq("nobody.here"), any(), any(ParameterizedTypeReference.class),
					eq(TIMEOUT));
			return true;
		});

		// Cancelled while an attempt waits for its reply: that request is cancelled too.
		try (Connection silent = BusTestContext.silentResponder(server.url(), "retry.silent")) {
			int before = template.getRequestsInFlight();
			CompletableFuture<String> waiting = retrying.requestAsync("retry.silent", "x", String.class,
					Duration.ofSeconds(30));
			await().atMost(Duration.ofSeconds(2)).until(() -> template.getRequestsInFlight() == before + 1);
			assertThat(waiting.cancel(false)).isTrue();
			await().atMost(Duration.ofSeconds(5)).until(() -> template.getRequestsInFlight() == before);
		}
	}

	@Test
	void asyncCompletesEvenWhenTheExecutorIsGone() {
		this.callbacks.shutdownNow();
		RetryingBusOperations retrying = new RetryingBusOperations(realTemplate(), fast(2), this.callbacks,
				this.accepting::get);
		CompletableFuture<String> reply = retrying.requestAsync("nobody.here", "x", String.class, TIMEOUT);
		assertThat(reply).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(BusNoRespondersException.class);
	}

	@Test
	void requestManyIsDelegatedOnceAndNeverRetried() {
		BusOperations counted = counted(realTemplate());
		RetryingBusOperations retrying = new RetryingBusOperations(counted, fast(3), this.callbacks,
				this.accepting::get);
		RequestMany options = RequestMany.maxReplies(2).withMaxWait(TIMEOUT);
		// Nobody subscribed at all: the template says so at once, and the view passes it
		// on.
		assertThatExceptionOfType(BusNoRespondersException.class)
			.isThrownBy(() -> retrying.requestMany("nobody.here", "x", String.class, options));
		assertThat(retrying.requestManyAsync("nobody.here", "x", String.class, options)).failsWithin(TIMEOUT)
			.withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(BusNoRespondersException.class);
		verify(counted, times(1)).requestMany(eq("nobody.here"), eq("x"), any(ParameterizedTypeReference.class),
				eq(options));
		verify(counted, times(1)).requestManyAsync(eq("nobody.here"), eq("x"), any(ParameterizedTypeReference.class),
				eq(options));
	}

	/** The real template of a context connected to the test's server. */
	private BusTemplate realTemplate() {
		if (this.context == null) {
			this.context = BusTestContext.start(server.url(), NoListeners.class);
		}
		return this.context.getBean(BusTemplate.class);
	}

	/** Threads parked or sleeping in a frame of the retrying view. */
	private static List<String> threadsWaitingInTheView() {
		List<String> waiting = new ArrayList<>();
		Thread.getAllStackTraces().forEach((thread, stack) -> {
			boolean blocked = thread.getState() == Thread.State.WAITING
					|| thread.getState() == Thread.State.TIMED_WAITING;
			if (blocked && Arrays.stream(stack)
				.anyMatch(frame -> frame.getClassName().equals(RetryingBusOperations.class.getName())
						|| frame.getClassName().startsWith(RetryingBusOperations.class.getName() + "$"))) {
				waiting.add(thread.getName());
			}
		});
		return waiting;
	}

	/**
	 * The template itself behind a Mockito view that only counts the calls it passes on.
	 */
	private static BusOperations counted(BusTemplate template) {
		return mock(BusOperations.class, AdditionalAnswers.delegatesTo(template));
	}

	private static void answerLate(Connection connection, String subject) throws Exception {
		connection
			.createDispatcher(
					message -> connection
						.publish(message.getReplyTo(),
								("late:" + new String(message.getData(), StandardCharsets.UTF_8).replace("\"", ""))
									.getBytes(StandardCharsets.UTF_8)))
			.subscribe(subject);
		connection.flush(Duration.ofSeconds(2));
	}

	/** The context's only component: the template needs no listener of its own. */
	static final class NoListeners {

	}

	/** A payload the JSON converter cannot write. */
	static final class Unwritable {

		public Object getSelf() {
			throw new IllegalStateException("cannot be serialized");
		}

	}

	/**
	 * A stand-in whose abstract methods are the overloads these tests stub and verify:
	 * the retrying view calls the general forms, which lead here.
	 */
	abstract static class ClassOverloads implements BusOperations {

		static final Duration DEFAULT = Duration.ofSeconds(7);

		@Override
		public abstract void send(String subject, Object payload);

		@Override
		public abstract <T> T request(String subject, Object payload, Class<T> replyType);

		@Override
		public abstract <T> T request(String subject, Object payload, Class<T> replyType, Duration timeout);

		@Override
		public abstract <T> Message<T> requestMessage(String subject, Message<?> request, Class<T> replyType,
				Duration timeout);

		@Override
		public abstract <T> CompletableFuture<T> requestAsync(String subject, Object payload, Class<T> replyType);

		@Override
		public abstract <T> CompletableFuture<T> requestAsync(String subject, Object payload, Class<T> replyType,
				Duration timeout);

		@Override
		public void send(String subject, Object payload, Map<String, ?> headers) {
			send(subject, payload);
		}

		@Override
		@SuppressWarnings("unchecked")
		public <T> T request(String subject, Object payload, ParameterizedTypeReference<T> replyType,
				Duration timeout) {
			Class<T> type = (Class<T>) replyType.getType();
			return DEFAULT.equals(timeout) ? request(subject, payload, type) : request(subject, payload, type, timeout);
		}

		@Override
		@SuppressWarnings("unchecked")
		public <T> Message<T> requestMessage(String subject, Message<?> request,
				ParameterizedTypeReference<T> replyType, Duration timeout) {
			return requestMessage(subject, request, (Class<T>) replyType.getType(), timeout);
		}

		@Override
		@SuppressWarnings("unchecked")
		public <T> CompletableFuture<T> requestAsync(String subject, Object payload,
				ParameterizedTypeReference<T> replyType, Duration timeout) {
			Class<T> type = (Class<T>) replyType.getType();
			return DEFAULT.equals(timeout) ? requestAsync(subject, payload, type)
					: requestAsync(subject, payload, type, timeout);
		}

		@Override
		public <T> CompletableFuture<Message<T>> requestMessageAsync(String subject, Message<?> request,
				ParameterizedTypeReference<T> replyType, Duration timeout) {
			throw new UnsupportedOperationException();
		}

		@Override
		public Duration getDefaultTimeout() {
			return DEFAULT;
		}

		@Override
		public BusOperations withRetry(RetryPolicy retryPolicy) {
			throw new UnsupportedOperationException();
		}

	}

}
