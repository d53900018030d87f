package dev.natsbus.template;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import dev.natsbus.BusConnectionException;
import dev.natsbus.BusException;
import dev.natsbus.BusNoRespondersException;
import dev.natsbus.BusOperations;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.messaging.Message;
import org.springframework.util.Assert;
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
 * Synchronous requests sleep on the caller's thread between attempts. Asynchronous ones
 * block no thread: the next attempt is scheduled after the back-off and the returned
 * future completes on the callback executor. {@code send} is not retried.
 */
public final class RetryingBusOperations implements BusOperations {

	/** Earlier failures kept as suppressed exceptions of the last, at most. */
	private static final int MAX_SUPPRESSED = 10;

	private final BusOperations delegate;

	private final RetryPolicy retryPolicy;

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

	// send: not retried

	@Override
	public void send(String subject, Object payload) {
		this.delegate.send(subject, payload);
	}

	@Override
	public void send(String subject, Object payload, Map<String, ?> headers) {
		this.delegate.send(subject, payload, headers);
	}

	// synchronous requests

	@Override
	public <T> T request(String subject, Object payload, Class<T> replyType) {
		return retry(() -> this.delegate.request(subject, payload, replyType));
	}

	@Override
	public <T> T request(String subject, Object payload, Class<T> replyType, Duration timeout) {
		return retry(() -> this.delegate.request(subject, payload, replyType, timeout));
	}

	@Override
	public <T> T request(String subject, Object payload, ParameterizedTypeReference<T> replyType) {
		return retry(() -> this.delegate.request(subject, payload, replyType));
	}

	@Override
	public <T> T request(String subject, Object payload, ParameterizedTypeReference<T> replyType, Duration timeout) {
		return retry(() -> this.delegate.request(subject, payload, replyType, timeout));
	}

	@Override
	public <T> Message<T> requestMessage(String subject, Message<?> request, Class<T> replyType) {
		return retry(() -> this.delegate.requestMessage(subject, request, replyType));
	}

	@Override
	public <T> Message<T> requestMessage(String subject, Message<?> request, Class<T> replyType, Duration timeout) {
		return retry(() -> this.delegate.requestMessage(subject, request, replyType, timeout));
	}

	@Override
	public <T> Message<T> requestMessage(String subject, Message<?> request, ParameterizedTypeReference<T> replyType,
			Duration timeout) {
		return retry(() -> this.delegate.requestMessage(subject, request, replyType, timeout));
	}

	// asynchronous requests

	@Override
	public <T> CompletableFuture<T> requestAsync(String subject, Object payload, Class<T> replyType) {
		return retryAsync(() -> this.delegate.requestAsync(subject, payload, replyType));
	}

	@Override
	public <T> CompletableFuture<T> requestAsync(String subject, Object payload, Class<T> replyType, Duration timeout) {
		return retryAsync(() -> this.delegate.requestAsync(subject, payload, replyType, timeout));
	}

	@Override
	public <T> CompletableFuture<T> requestAsync(String subject, Object payload,
			ParameterizedTypeReference<T> replyType) {
		return retryAsync(() -> this.delegate.requestAsync(subject, payload, replyType));
	}

	@Override
	public <T> CompletableFuture<T> requestAsync(String subject, Object payload,
			ParameterizedTypeReference<T> replyType, Duration timeout) {
		return retryAsync(() -> this.delegate.requestAsync(subject, payload, replyType, timeout));
	}

	@Override
	public <T> CompletableFuture<Message<T>> requestMessageAsync(String subject, Message<?> request, Class<T> replyType,
			Duration timeout) {
		return retryAsync(() -> this.delegate.requestMessageAsync(subject, request, replyType, timeout));
	}

	// the retry loops

	private <T> T retry(Supplier<T> attempt) {
		Attempts attempts = new Attempts();
		while (true) {
			try {
				return attempt.get();
			}
			catch (BusException ex) {
				long delay = attempts.nextDelay(ex);
				if (delay < 0) {
					throw attempts.finalFailure(ex);
				}
				try {
					Thread.sleep(delay);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					BusException failure = attempts.finalFailure(ex);
					failure.addSuppressed(interrupted);
					throw failure;
				}
			}
		}
	}

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
		try {
			this.executor.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// Only while shutting down: the next attempt then fails at once and completes
			// the future.
			task.run();
		}
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
			if (!isRetryable(failure) || !RetryingBusOperations.this.accepting.getAsBoolean()
					|| !RetryingBusOperations.this.retryPolicy.shouldRetry(failure)) {
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

}
