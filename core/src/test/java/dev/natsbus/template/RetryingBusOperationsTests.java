package dev.natsbus.template;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import dev.natsbus.BusConnectionException;
import dev.natsbus.BusConversionException;
import dev.natsbus.BusException;
import dev.natsbus.BusNoRespondersException;
import dev.natsbus.BusOperations;
import dev.natsbus.BusPayloadTooLargeException;
import dev.natsbus.BusRemoteException;
import dev.natsbus.BusTimeoutException;
import dev.natsbus.RequestMany;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.Answers;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.messaging.Message;
import org.junit.jupiter.api.Timeout;

import org.springframework.core.retry.RetryPolicy;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.withSettings;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The retry view alone, over a stand-in for the template: what is retried, how often, on
 * which thread.
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

	@AfterEach
	void shutdown() {
		this.callbacks.shutdownNow();
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

	// asynchronous

	@Test
	void asyncRetriesAreScheduledWithoutBlockingTheCaller() throws Exception {
		AtomicInteger calls = new AtomicInteger();
		AtomicReference<String> retryThread = new AtomicReference<>();
		when(this.delegate.requestAsync(eq("s"), any(), eq(String.class), eq(TIMEOUT))).thenAnswer(call -> {
			int attempt = calls.getAndIncrement();
			if (attempt > 0) {
				retryThread.set(Thread.currentThread().getName());
			}
			if (attempt < 2) {
				return CompletableFuture.failedFuture(new BusNoRespondersException("s"));
			}
			return CompletableFuture.completedFuture("ok");
		});
		RetryPolicy slow = RetryPolicy.builder().maxRetries(5).delay(Duration.ofMillis(300)).build();
		long start = System.nanoTime();
		CompletableFuture<String> reply = retrying(slow).requestAsync("s", "x", String.class, TIMEOUT);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(250));
		assertThat(reply).isNotDone();
		assertThat(reply.get(5, TimeUnit.SECONDS)).isEqualTo("ok");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
		assertThat(calls).hasValue(3);
		assertThat(retryThread.get()).isEqualTo("test-callback");
	}

	@Test
	void asyncFirstAttemptThatFailsBeforeSendingIsRetriedWhenRetryableAndReportedOtherwise() throws Exception {
		AtomicInteger calls = new AtomicInteger();
		when(this.delegate.requestAsync(eq("down"), any(), eq(String.class))).thenAnswer(call -> {
			if (calls.getAndIncrement() == 0) {
				throw new BusConnectionException("the connection to NATS is down");
			}
			return CompletableFuture.completedFuture("ok");
		});
		assertThat(retrying(fast(3)).requestAsync("down", "x", String.class).get(5, TimeUnit.SECONDS)).isEqualTo("ok");
		assertThat(calls).hasValue(2);

		IllegalArgumentException invalid = new IllegalArgumentException("Invalid subject");
		when(this.delegate.requestAsync(eq("bad.*"), any(), eq(String.class))).thenThrow(invalid);
		assertThatThrownBy(() -> retrying(fast(3)).requestAsync("bad.*", "x", String.class)).isSameAs(invalid);
		BusConversionException conversion = new BusConversionException("cannot write", null);
		when(this.delegate.requestAsync(eq("conv"), any(), eq(String.class))).thenThrow(conversion);
		assertThat(retrying(fast(3)).requestAsync("conv", "x", String.class)).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isSameAs(conversion);
	}

	@Test
	void asyncRemoteErrorIsNotRetried() {
		BusRemoteException remote = new BusRemoteException("s", 409, "conflict");
		when(this.delegate.requestAsync(eq("s"), any(), eq(String.class)))
			.thenReturn(CompletableFuture.failedFuture(remote));
		CompletableFuture<String> reply = retrying(fast(5)).requestAsync("s", "x", String.class);
		assertThatThrownBy(() -> reply.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
			.cause()
			.isSameAs(remote);
		verify(this.delegate, times(1)).requestAsync(eq("s"), any(), eq(String.class));
	}

	@Test
	void asyncGivesUpAfterMaxRetries() {
		when(this.delegate.requestAsync(eq("s"), any(), eq(String.class)))
			.thenAnswer(call -> CompletableFuture.failedFuture(new BusNoRespondersException("s")));
		CompletableFuture<String> reply = retrying(fast(2)).requestAsync("s", "x", String.class);
		assertThatThrownBy(() -> reply.get(5, TimeUnit.SECONDS)).cause()
			.isInstanceOf(BusNoRespondersException.class)
			.satisfies(ex -> assertThat(ex.getSuppressed()).hasSize(2));
		verify(this.delegate, times(3)).requestAsync(eq("s"), any(), eq(String.class));
	}

	@Test
	void cancellingStopsFurtherAttempts() {
		AtomicInteger calls = new AtomicInteger();
		when(this.delegate.requestAsync(eq("s"), any(), eq(String.class))).thenAnswer(call -> {
			calls.incrementAndGet();
			return CompletableFuture.failedFuture(new BusNoRespondersException("s"));
		});
		RetryPolicy slow = RetryPolicy.builder().maxRetries(5).delay(Duration.ofMillis(200)).build();
		CompletableFuture<String> reply = retrying(slow).requestAsync("s", "x", String.class);
		reply.cancel(false);
		// Longer than two back-offs: no attempt may start after the cancel.
		await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() -> calls.get() == 1);
		verify(this.delegate, never()).send(anyString(), any());
	}

	@Test
	void asyncCompletesEvenWhenTheExecutorIsGone() {
		when(this.delegate.requestAsync(eq("s"), any(), eq(String.class)))
			.thenAnswer(call -> CompletableFuture.failedFuture(new BusNoRespondersException("s")));
		this.callbacks.shutdownNow();
		CompletableFuture<String> reply = retrying(fast(2)).requestAsync("s", "x", String.class);
		await().atMost(Duration.ofSeconds(5)).until(reply::isDone);
		assertThat(reply).isCompletedExceptionally();
	}

	@Test
	@SuppressWarnings("unchecked")
	void requestManyIsDelegatedOnceAndNeverRetried() {
		RequestMany options = RequestMany.maxReplies(2);
		when(this.delegate.requestMany(eq("s"), any(), any(ParameterizedTypeReference.class), eq(options)))
			.thenThrow(new BusNoRespondersException("s"));
		when(this.delegate.requestManyAsync(eq("s"), any(), any(ParameterizedTypeReference.class), eq(options)))
			.thenReturn(CompletableFuture.failedFuture(new BusConnectionException("down")));
		RetryingBusOperations retrying = retrying(fast(3));
		assertThatExceptionOfType(BusNoRespondersException.class)
			.isThrownBy(() -> retrying.requestMany("s", "x", String.class, options));
		assertThat(retrying.requestManyAsync("s", "x", String.class, options)).failsWithin(TIMEOUT)
			.withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(BusConnectionException.class);
		verify(this.delegate, times(1)).requestMany(eq("s"), eq("x"), any(ParameterizedTypeReference.class),
				eq(options));
		verify(this.delegate, times(1)).requestManyAsync(eq("s"), eq("x"), any(ParameterizedTypeReference.class),
				eq(options));
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
