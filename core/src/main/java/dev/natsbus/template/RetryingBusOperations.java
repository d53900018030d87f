package dev.natsbus.template;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import dev.natsbus.BusConnectionException;
import dev.natsbus.BusException;
import dev.natsbus.BusNoRespondersException;
import dev.natsbus.BusOperations;
import dev.natsbus.BusReplies;
import dev.natsbus.RequestMany;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.util.Assert;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * A view of a {@link BusOperations} whose requests are retried, for idempotent requests
 * that should ride through a failover or a redeploy.
 * <p>
 * Only two failures are retried, because only they mean the request was certainly not
 * handled or the bus could not tell: {@link BusNoRespondersException} (nobody listens yet
 * or any more) and {@link BusConnectionException} (the connection is down or
 * reconnecting). Remote errors, timeouts, conversion errors, payloads that are too large
 * and invalid subjects are never retried: the first of them is the result. A bus that is
 * shutting down is never retried either.
 * <p>
 * The {@link RetryPolicy} decides the rest as it does for Spring's {@code RetryTemplate}:
 * {@link RetryPolicy#shouldRetry(Throwable)} may narrow the two retried failures further,
 * {@link RetryPolicy#getBackOff()} gives the delays and the number of retries,
 * {@link RetryPolicy#getTimeout()} (when positive) caps the time from the first attempt
 * after which no further attempt starts. Each attempt waits for its reply up to the
 * request's own timeout. When every attempt failed, the last failure is thrown, with the
 * earlier ones as suppressed exceptions.
 * <p>
 * Synchronous requests are retried by Spring's {@link RetryTemplate} (a
 * {@linkplain #setRetryListener retry listener} sees them), sleeping on the caller's
 * thread between attempts. Asynchronous ones block no thread: the next attempt is
 * scheduled after the back-off and the returned future completes on the callback
 * executor. {@code send} and {@code requestMany} are not retried.
 */
public final class RetryingBusOperations implements BusOperations {

	/** Earlier failures kept as suppressed exceptions of the last, at most. */
	private static final int MAX_SUPPRESSED = 10;

	private final BusOperations delegate;

	private final RetryPolicy retryPolicy;

	/** The user's policy narrowed to what the bus may retry, for both loops. */
	private final RetryPolicy busPolicy;

	private final RetryTemplate retryTemplate;

	private final Executor executor;

	private final BooleanSupplier accepting;

	/**
	 * @param delegate the operations to retry
	 * @param retryPolicy which failures to retry (among the retryable ones), how often
	 * and how late
	 * @param executor where scheduled asynchronous attempts run (never a jnats thread)
	 * @param accepting whether the bus still takes requests; no retry once it is false
	 */
	public RetryingBusOperations(BusOperations delegate, RetryPolicy retryPolicy, Executor executor,
			BooleanSupplier accepting) {
		Assert.notNull(delegate, "delegate must not be null");
		Assert.notNull(retryPolicy, "retryPolicy must not be null");
		Assert.notNull(executor, "executor must not be null");
		Assert.notNull(accepting, "accepting must not be null");
		this.delegate = delegate;
		this.retryPolicy = retryPolicy;
		this.busPolicy = new BusRetryPolicy(retryPolicy, accepting);
		this.retryTemplate = new RetryTemplate(this.busPolicy);
		this.executor = executor;
		this.accepting = accepting;
	}

	/**
	 * Whether a failure is of a kind that this view may retry (before the policy has its
	 * say).
	 */
	public static boolean isRetryable(Throwable failure) {
		return failure instanceof BusNoRespondersException || failure instanceof BusConnectionException;
	}

	/**
	 * Told of every synchronous attempt, retry and exhaustion, as Spring's
	 * {@code RetryTemplate} tells it.
	 */
	public void setRetryListener(RetryListener retryListener) {
		this.retryTemplate.setRetryListener(retryListener);
	}

	@Override
	public Duration getDefaultTimeout() {
		return this.delegate.getDefaultTimeout();
	}

	/** A view of the same operations under another policy. */
	@Override
	public BusOperations withRetry(RetryPolicy retryPolicy) {
		return new RetryingBusOperations(this.delegate, retryPolicy, this.executor, this.accepting);
	}

	// send: not retried

	@Override
	public void send(String subject, @Nullable Object payload, @Nullable Map<String, ?> headers) {
		this.delegate.send(subject, payload, headers);
	}

	// requests

	@Override
	public <T> @Nullable T request(String subject, @Nullable Object payload, ParameterizedTypeReference<T> replyType,
			Duration timeout) {
		return retry(() -> this.delegate.request(subject, payload, replyType, timeout));
	}

	@Override
	public <T> Message<T> requestMessage(String subject, Message<?> request, ParameterizedTypeReference<T> replyType,
			Duration timeout) {
		return retry(() -> this.delegate.requestMessage(subject, request, replyType, timeout));
	}

	@Override
	public <T> CompletableFuture<T> requestAsync(String subject, @Nullable Object payload,
			ParameterizedTypeReference<T> replyType, Duration timeout) {
		return retryAsync(() -> this.delegate.requestAsync(subject, payload, replyType, timeout));
	}

	@Override
	public <T> CompletableFuture<Message<T>> requestMessageAsync(String subject, Message<?> request,
			ParameterizedTypeReference<T> replyType, Duration timeout) {
		return retryAsync(() -> this.delegate.requestMessageAsync(subject, request, replyType, timeout));
	}

	// requestMany: not retried

	/**
	 * Not retried: a gathering asks whoever listens now, so "nobody" is an answer the
	 * caller should see rather than one to ride over, and a gathering lost part-way may
	 * already have reached responders that a second one would ask again.
	 */
	@Override
	public <T> BusReplies<T> requestMany(String subject, @Nullable Object payload,
			ParameterizedTypeReference<T> replyType, RequestMany options) {
		return this.delegate.requestMany(subject, payload, replyType, options);
	}

	/**
	 * Not retried, as
	 * {@link #requestMany(String, Object, ParameterizedTypeReference, RequestMany)}.
	 */
	@Override
	public <T> CompletableFuture<BusReplies<T>> requestManyAsync(String subject, @Nullable Object payload,
			ParameterizedTypeReference<T> replyType, RequestMany options) {
		return this.delegate.requestManyAsync(subject, payload, replyType, options);
	}

	// the synchronous loop is Spring's RetryTemplate

	private <T> T retry(Supplier<T> attempt) {
		try {
			return this.retryTemplate.execute(attempt::get);
		}
		catch (RetryException ex) {
			throw finalFailure(ex);
		}
	}

	/** The last failure, carrying the earlier ones (at most 10) as suppressed. */
	private static RuntimeException finalFailure(RetryException retryException) {
		Throwable last = retryException.getLastException();
		if (!(last instanceof RuntimeException failure)) {
			return new BusException("Retried request failed: " + last, (last != null) ? last : retryException);
		}
		for (Throwable earlier : retryException.getExceptions()) {
			if (earlier != failure && failure.getSuppressed().length < MAX_SUPPRESSED) {
				failure.addSuppressed(earlier);
			}
		}
		if (Thread.currentThread().isInterrupted()) {
			// Interrupted while backing off: the retry exception says so.
			failure.addSuppressed(retryException);
		}
		return failure;
	}

	// the asynchronous loop blocks no thread

	private <T> CompletableFuture<T> retryAsync(Supplier<CompletableFuture<T>> attempt) {
		Attempts attempts = new Attempts();
		CompletableFuture<T> result = new CompletableFuture<>();
		CompletableFuture<T> first;
		try {
			first = attempt.get();
		}
		catch (BusException ex) {
			// A delegate other than BusTemplate may throw before sending: reported like
			// any failure.
			long delay = attempts.nextDelay(ex);
			if (delay < 0) {
				result.completeExceptionally(attempts.finalFailure(ex));
				return result;
			}
			schedule(result, attempt, attempts, delay);
			return result;
		}
		follow(result, first, attempt, attempts);
		return result;
	}

	private <T> void attemptLater(CompletableFuture<T> result, Supplier<CompletableFuture<T>> attempt,
			Attempts attempts) {
		if (result.isDone()) {
			return; // cancelled by the caller while backing off
		}
		CompletableFuture<T> next;
		try {
			next = attempt.get();
		}
		catch (RuntimeException ex) {
			onFailure(result, ex, attempt, attempts);
			return;
		}
		follow(result, next, attempt, attempts);
	}

	private <T> void follow(CompletableFuture<T> result, CompletableFuture<T> current,
			Supplier<CompletableFuture<T>> attempt, Attempts attempts) {
		attempts.current = current;
		current.whenComplete((value, ex) -> {
			if (ex == null) {
				result.complete(value);
			}
			else {
				onFailure(result, unwrap(ex), attempt, attempts);
			}
		});
		result.whenComplete((value, ex) -> {
			if (result.isCancelled()) {
				CompletableFuture<?> running = attempts.current;
				if (running != null) {
					running.cancel(false);
				}
			}
		});
	}

	private <T> void onFailure(CompletableFuture<T> result, Throwable failure, Supplier<CompletableFuture<T>> attempt,
			Attempts attempts) {
		if (!(failure instanceof BusException busException)) {
			result.completeExceptionally(failure);
			return;
		}
		long delay = attempts.nextDelay(busException);
		if (delay < 0) {
			result.completeExceptionally(attempts.finalFailure(busException));
			return;
		}
		schedule(result, attempt, attempts, delay);
	}

	private <T> void schedule(CompletableFuture<T> result, Supplier<CompletableFuture<T>> attempt, Attempts attempts,
			long delayMillis) {
		// The JDK's shared delay scheduler only hands the task over; the attempt runs on
		// the executor.
		Executor later = CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS, this::execute);
		later.execute(() -> attemptLater(result, attempt, attempts));
	}

	private void execute(Runnable task) {
		// Refused only while shutting down: the next attempt then fails at once and
		// completes the future.
		Completions.run(this.executor, task);
	}

	private static Throwable unwrap(Throwable ex) {
		return (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
	}

	/** The state of one retried call: its back-off, start and the failures so far. */
	private final class Attempts {

		private final long startNanos = System.nanoTime();

		private BackOffExecution backOff;

		private final List<BusException> earlier = new ArrayList<>();

		private BusException last;

		private volatile CompletableFuture<?> current;

		/**
		 * The delay before the next attempt in milliseconds, or -1 when {@code failure}
		 * is final.
		 */
		long nextDelay(BusException failure) {
			record(failure);
			if (!RetryingBusOperations.this.busPolicy.shouldRetry(failure)) {
				return -1;
			}
			if (this.backOff == null) {
				this.backOff = RetryingBusOperations.this.retryPolicy.getBackOff().start();
			}
			long delay = this.backOff.nextBackOff();
			if (delay == BackOffExecution.STOP) {
				return -1;
			}
			delay = Math.max(0, delay);
			Duration timeout = RetryingBusOperations.this.retryPolicy.getTimeout();
			if (timeout != null && !timeout.isNegative() && !timeout.isZero()) {
				long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - this.startNanos);
				if (elapsedMillis + delay > timeout.toMillis()) {
					return -1;
				}
			}
			return delay;
		}

		private void record(BusException failure) {
			if (this.last != null && this.last != failure && this.earlier.size() < MAX_SUPPRESSED) {
				this.earlier.add(this.last);
			}
			this.last = failure;
		}

		/** The last failure, carrying the earlier ones (at most 10) as suppressed. */
		BusException finalFailure(BusException last) {
			for (BusException failure : this.earlier) {
				if (failure != last && last.getSuppressed().length < MAX_SUPPRESSED) {
					last.addSuppressed(failure);
				}
			}
			return last;
		}

	}

	/**
	 * The user's policy, narrowed to the failures the bus may retry while it takes
	 * requests.
	 */
	private record BusRetryPolicy(RetryPolicy policy, BooleanSupplier accepting) implements RetryPolicy {

		@Override
		public boolean shouldRetry(Throwable failure) {
			return isRetryable(failure) && this.accepting.getAsBoolean() && this.policy.shouldRetry(failure);
		}

		@Override
		public @Nullable Duration getTimeout() {
			return this.policy.getTimeout();
		}

		@Override
		public BackOff getBackOff() {
			return this.policy.getBackOff();
		}

	}

}
