package dev.natsbus.template;

import dev.natsbus.BusConnectionException;
import dev.natsbus.BusException;
import dev.natsbus.BusOperations;
import dev.natsbus.BusPayloadTooLargeException;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.protocol.NatsHeaderMapper;
import dev.natsbus.conversion.PayloadConverter;
import dev.natsbus.observation.BusRequestObservationConvention;
import dev.natsbus.observation.BusSendObservationConvention;
import dev.natsbus.observation.BusTemplateObservations;
import dev.natsbus.protocol.DeadlineHeaders;
import dev.natsbus.protocol.Subjects;
import io.micrometer.observation.ObservationRegistry;
import io.nats.client.Connection;
import io.nats.client.impl.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.messaging.Message;

/**
 * The caller's side of the bus: {@code send}, {@code request} and {@code requestAsync}
 * over a {@link NatsConnectionPool}.
 * <p>
 * Timeouts are exact: a synchronous request waits on its own reply future with the
 * timeout, an asynchronous one is expired by a shared timer. Asynchronous results
 * complete on the callback executor, never on the jnats thread that delivers every reply
 * of a connection.
 * <p>
 * As a {@link SmartLifecycle} it stops after the listeners and before the connections:
 * new requests are refused, requests in flight get their replies for up to the drain
 * timeout, and whatever is still pending then fails with a
 * {@link BusConnectionException}.
 */
public class BusTemplate implements BusOperations, SmartLifecycle {

	/**
	 * Stops after the listeners (which stop first so their last replies go out) and
	 * before the pool.
	 */
	public static final int PHASE = Integer.MAX_VALUE - 2000;

	private static final Logger logger = LoggerFactory.getLogger(BusTemplate.class);

	private static final AtomicInteger instances = new AtomicInteger();

	private final NatsConnectionPool pool;

	private final PayloadConverter converter;

	private final NatsHeaderMapper headerMapper = new NatsHeaderMapper();

	private final ReplyReader replyReader;

	private final InFlightRequests inFlight = new InFlightRequests();

	private final DeadlineHeaders deadlineHeaders = new DeadlineHeaders();

	private final RequestTimer timer;

	private final ExecutorService ownCallbackExecutor;

	private Executor callbackExecutor;

	private Duration defaultTimeout = Duration.ofSeconds(2);

	private Duration drainTimeout = Duration.ofSeconds(10);

	private boolean propagateDeadline = true;

	private final BusTemplateObservations observations = new BusTemplateObservations();

	private volatile boolean accepting = true;

	private volatile boolean running;

	/**
	 * Set when stop() fails what is left in flight, so that a request racing with it
	 * fails too.
	 */
	private volatile boolean stopped;

	public BusTemplate(NatsConnectionPool pool, PayloadConverter converter) {
		this.pool = pool;
		this.converter = converter;
		this.replyReader = new ReplyReader(converter, this.headerMapper);
		int id = instances.incrementAndGet();
		this.timer = new RequestTimer("natsbus-request-timer-" + id, this.inFlight);
		this.ownCallbackExecutor = newCallbackExecutor(id);
		this.callbackExecutor = this.ownCallbackExecutor;
	}

	private static ExecutorService newCallbackExecutor(int id) {
		int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
		AtomicInteger count = new AtomicInteger();
		ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), runnable -> {
					Thread thread = new Thread(runnable, "natsbus-callback-" + id + "-" + count.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		executor.allowCoreThreadTimeOut(true);
		return executor;
	}

	/** The timeout of requests that do not name one (default 2 s). */
	public void setDefaultTimeout(Duration defaultTimeout) {
		this.defaultTimeout = defaultTimeout;
	}

	public Duration getDefaultTimeout() {
		return this.defaultTimeout;
	}

	/** How long a stop waits for requests in flight before failing them. */
	public void setDrainTimeout(Duration drainTimeout) {
		this.drainTimeout = drainTimeout;
	}

	/**
	 * Whether requests carry their deadline (header {@code Nats-Bus-Deadline}) so that
	 * listeners skip requests whose caller has already timed out. On by default.
	 */
	public void setPropagateDeadline(boolean propagateDeadline) {
		this.propagateDeadline = propagateDeadline;
	}

	/**
	 * Where asynchronous results complete and their dependent stages run. Defaults to a
	 * small pool of daemon threads owned by this template.
	 */
	public void setCallbackExecutor(Executor callbackExecutor) {
		this.callbackExecutor = callbackExecutor;
	}

	/** The pool this template publishes through. */
	public NatsConnectionPool getConnectionPool() {
		return this.pool;
	}

	/**
	 * Where sends and requests are observed ({@code natsbus.send},
	 * {@code natsbus.request}), with the trace context in the message headers.
	 * {@link ObservationRegistry#NOOP} (the default) observes nothing and costs nothing.
	 */
	public void setObservationRegistry(ObservationRegistry observationRegistry) {
		this.observations.setObservationRegistry(observationRegistry);
	}

	/**
	 * A convention for the names and tags of send observations, in place of the default.
	 */
	public void setSendObservationConvention(BusSendObservationConvention convention) {
		this.observations.setSendObservationConvention(convention);
	}

	/**
	 * A convention for the names and tags of request observations, in place of the
	 * default.
	 */
	public void setRequestObservationConvention(BusRequestObservationConvention convention) {
		this.observations.setRequestObservationConvention(convention);
	}

	/** Requests whose replies are awaited now. */
	public int getRequestsInFlight() {
		return this.inFlight.size();
	}

	/**
	 * A view of this template whose requests are retried under {@code retryPolicy}, for
	 * idempotent requests that should ride through a failover: only
	 * {@link BusNoRespondersException} and {@link BusConnectionException} are retried,
	 * never remote errors, timeouts or conversion errors, and nothing once the bus is
	 * shutting down. Asynchronous retries are scheduled without blocking a thread. See
	 * {@link RetryingBusOperations}.
	 */
	public BusOperations withRetry(RetryPolicy retryPolicy) {
		return new RetryingBusOperations(this, retryPolicy, task -> this.callbackExecutor.execute(task),
				() -> this.accepting);
	}

	// send

	@Override
	public void send(String subject, Object payload) {
		send(subject, payload, null);
	}

	@Override
	public void send(String subject, Object payload, Map<String, ?> headers) {
		if (!this.observations.isNoop()) {
			this.observations.observeSend(subject, headers, traced -> sendNow(subject, payload, traced));
			return;
		}
		sendNow(subject, payload, headers);
	}

	private void sendNow(String subject, Object payload, Map<String, ?> headers) {
		Outgoing outgoing = prepare(subject, payload, headers, null);
		try {
			outgoing.connection.publish(subject, outgoing.headers, outgoing.body);
		}
		catch (IllegalStateException ex) {
			// The connection closed, started draining or filled its reconnect buffer
			// after the check.
			throw new BusConnectionException("Cannot send to '" + subject + "': " + ex.getMessage(), ex);
		}
	}

	// request

	@Override
	public <T> T request(String subject, Object payload, Class<T> replyType) {
		return request(subject, payload, replyType, this.defaultTimeout);
	}

	@Override
	public <T> T request(String subject, Object payload, Class<T> replyType, Duration timeout) {
		return replyType.cast(awaitPayload(subject, payload, null, replyType, timeout));
	}

	@Override
	public <T> T request(String subject, Object payload, ParameterizedTypeReference<T> replyType) {
		return request(subject, payload, replyType, this.defaultTimeout);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> T request(String subject, Object payload, ParameterizedTypeReference<T> replyType, Duration timeout) {
		return (T) awaitPayload(subject, payload, null, replyType.getType(), timeout);
	}

	@Override
	public <T> CompletableFuture<T> requestAsync(String subject, Object payload, Class<T> replyType) {
		return requestAsync(subject, payload, replyType, this.defaultTimeout);
	}

	@Override
	public <T> CompletableFuture<T> requestAsync(String subject, Object payload, Class<T> replyType, Duration timeout) {
		return exchangeAsync(subject, payload, null, timeout,
				reply -> replyType.cast(this.replyReader.payload(subject, reply, replyType)));
	}

	@Override
	public <T> CompletableFuture<T> requestAsync(String subject, Object payload,
			ParameterizedTypeReference<T> replyType) {
		return requestAsync(subject, payload, replyType, this.defaultTimeout);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> CompletableFuture<T> requestAsync(String subject, Object payload,
			ParameterizedTypeReference<T> replyType, Duration timeout) {
		return exchangeAsync(subject, payload, null, timeout,
				reply -> (T) this.replyReader.payload(subject, reply, replyType.getType()));
	}

	@Override
	public <T> Message<T> requestMessage(String subject, Message<?> request, Class<T> replyType) {
		return requestMessage(subject, request, replyType, this.defaultTimeout);
	}

	@Override
	public <T> Message<T> requestMessage(String subject, Message<?> request, Class<T> replyType, Duration timeout) {
		return requestMessage(subject, request, (Type) replyType, timeout);
	}

	@Override
	public <T> Message<T> requestMessage(String subject, Message<?> request, ParameterizedTypeReference<T> replyType,
			Duration timeout) {
		return requestMessage(subject, request, replyType.getType(), timeout);
	}

	@SuppressWarnings("unchecked")
	private <T> Message<T> requestMessage(String subject, Message<?> request, Type replyType, Duration timeout) {
		if (!this.observations.isNoop()) {
			return this.observations.observeRequest(subject, timeout, request.getHeaders(),
					traced -> requestMessageNow(subject, request.getPayload(), traced, replyType, timeout));
		}
		return requestMessageNow(subject, request.getPayload(), request.getHeaders(), replyType, timeout);
	}

	@SuppressWarnings("unchecked")
	private <T> Message<T> requestMessageNow(String subject, Object payload, Map<String, ?> headers, Type replyType,
			Duration timeout) {
		io.nats.client.Message reply = awaitReply(subject, payload, headers, timeout);
		return (Message<T>) (Message<?>) this.replyReader.message(subject, reply, replyType);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> CompletableFuture<Message<T>> requestMessageAsync(String subject, Message<?> request, Class<T> replyType,
			Duration timeout) {
		return exchangeAsync(subject, request.getPayload(), request.getHeaders(), timeout,
				reply -> (Message<T>) (Message<?>) this.replyReader.message(subject, reply, replyType));
	}

	// the exchange itself

	private Object awaitPayload(String subject, Object payload, Map<String, ?> headers, Type replyType,
			Duration timeout) {
		if (!this.observations.isNoop()) {
			return this.observations.observeRequest(subject, timeout, headers, traced -> this.replyReader
				.payload(subject, awaitReply(subject, payload, traced, timeout), replyType));
		}
		return this.replyReader.payload(subject, awaitReply(subject, payload, headers, timeout), replyType);
	}

	private io.nats.client.Message awaitReply(String subject, Object payload, Map<String, ?> headers,
			Duration timeout) {
		Outgoing outgoing = prepare(subject, payload, headers, timeout);
		CompletableFuture<io.nats.client.Message> reply = track(outgoing, subject, timeout, false);
		try {
			return reply.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			reply.cancel(false);
			throw ReplyReader.timeout(subject, timeout, outgoing.connection);
		}
		catch (ExecutionException ex) {
			throw ReplyReader.failure(subject, ex.getCause(), timeout, outgoing.connection, reply);
		}
		catch (java.util.concurrent.CancellationException ex) {
			throw ReplyReader.failure(subject, ex, timeout, outgoing.connection, reply);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			reply.cancel(false);
			throw new BusException("Interrupted while waiting for a reply on '" + subject + "'", ex);
		}
		finally {
			this.inFlight.remove(reply);
		}
	}

	private <T> CompletableFuture<T> exchangeAsync(String subject, Object payload, Map<String, ?> headers,
			Duration timeout, Function<io.nats.client.Message, T> readReply) {
		if (!this.observations.isNoop()) {
			return this.observations.observeRequestAsync(subject, timeout, headers,
					traced -> exchangeAsyncNow(subject, payload, traced, timeout, readReply));
		}
		return exchangeAsyncNow(subject, payload, headers, timeout, readReply);
	}

	private <T> CompletableFuture<T> exchangeAsyncNow(String subject, Object payload, Map<String, ?> headers,
			Duration timeout, Function<io.nats.client.Message, T> readReply) {
		// A bad subject is a programming error: prepare() throws
		// IllegalArgumentException, which
		// passes through. What the bus cannot do now (not connected, too large, not
		// convertible)
		// is reported through the future, as documented.
		Outgoing outgoing;
		CompletableFuture<io.nats.client.Message> reply;
		try {
			outgoing = prepare(subject, payload, headers, timeout);
			reply = track(outgoing, subject, timeout, true);
		}
		catch (BusException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		this.timer.watch();
		ReplyFuture<T> result = new ReplyFuture<>(reply);
		// One callback and one task per reply for all the bookkeeping: at this rate each
		// extra
		// dependent stage or lambda shows in the throughput.
		reply.whenComplete((message, ex) -> {
			this.inFlight.remove(reply);
			Runnable completion = () -> {
				try {
					if (ex == null) {
						result.complete(readReply.apply(message));
					}
					else {
						Throwable cause = (ex instanceof java.util.concurrent.CompletionException) ? ex.getCause() : ex;
						result.completeExceptionally(
								ReplyReader.failure(subject, cause, timeout, outgoing.connection, reply));
					}
				}
				catch (RuntimeException failure) {
					result.completeExceptionally(failure);
				}
			};
			try {
				this.callbackExecutor.execute(completion);
			}
			catch (RejectedExecutionException rejected) {
				// Only while shutting down: completing here is better than never
				// completing.
				completion.run();
			}
		});
		return result;
	}

	/**
	 * The caller's future of an asynchronous request; cancelling it cancels the request.
	 */
	private static final class ReplyFuture<T> extends CompletableFuture<T> {

		private final CompletableFuture<?> reply;

		ReplyFuture(CompletableFuture<?> reply) {
			this.reply = reply;
		}

		@Override
		public boolean cancel(boolean mayInterruptIfRunning) {
			boolean cancelled = super.cancel(mayInterruptIfRunning);
			if (cancelled) {
				this.reply.cancel(false);
			}
			return cancelled;
		}

		@Override
		public boolean completeExceptionally(Throwable ex) {
			boolean completed = super.completeExceptionally(ex);
			if (completed && ex instanceof java.util.concurrent.CancellationException) {
				this.reply.cancel(false);
			}
			return completed;
		}

	}

	/**
	 * Validates and converts; {@code timeout} is null for a send, which has no deadline.
	 */
	private Outgoing prepare(String subject, Object payload, Map<String, ?> headers, Duration timeout) {
		Subjects.requirePublishable(subject);
		if (!this.accepting) {
			throw new BusConnectionException("Cannot send to '" + subject + "': the bus is shutting down");
		}
		byte[] body = this.converter.toBytes(payload);
		Headers natsHeaders = this.headerMapper.fromSpring(headers);
		if (timeout != null && this.propagateDeadline) {
			natsHeaders = this.deadlineHeaders.stamp(natsHeaders, timeout);
		}
		Connection connection = this.pool.next();
		if (connection.getStatus() != Connection.Status.CONNECTED) {
			throw new BusConnectionException("Cannot send to '" + subject + "': the connection to NATS is down ("
					+ connection.getStatus() + ")");
		}
		long size = body.length + ((natsHeaders != null) ? natsHeaders.serializedLength() : 0);
		long maxPayload = connection.getMaxPayload();
		if (maxPayload > 0 && size > maxPayload) {
			throw new BusPayloadTooLargeException(subject, size, maxPayload);
		}
		return new Outgoing(connection, natsHeaders, body);
	}

	/**
	 * Sends the request and tracks it until its reply. One that raced with
	 * {@link #stop()} (it passed the accepting check just before) fails as those in
	 * flight do, with the bus shutting down, rather than waiting for a connection that is
	 * about to close. With {@code expire} the {@link RequestTimer} ends it after
	 * {@code timeout}; otherwise the caller waits with the timeout itself.
	 */
	private CompletableFuture<io.nats.client.Message> track(Outgoing outgoing, String subject, Duration timeout,
			boolean expire) {
		CompletableFuture<io.nats.client.Message> reply;
		try {
			reply = outgoing.request(subject, timeout);
		}
		catch (IllegalStateException ex) {
			// jnats refuses requests on a closed or draining connection, or with a full
			// reconnect buffer.
			throw new BusConnectionException("Cannot send to '" + subject + "': "
					+ (this.accepting ? ex.getMessage() : "the bus is shutting down"), ex);
		}
		if (expire) {
			this.inFlight.add(reply, timeout);
		}
		else {
			this.inFlight.add(reply);
		}
		if (this.stopped) {
			reply.completeExceptionally(shuttingDown());
		}
		return reply;
	}

	private static BusConnectionException shuttingDown() {
		return new BusConnectionException("The bus is shutting down: no reply arrived before it stopped");
	}

	private record Outgoing(Connection connection, Headers headers, byte[] body) {

		CompletableFuture<io.nats.client.Message> request(String subject, Duration timeout) {
			return this.connection.requestWithTimeout(subject, this.headers, this.body, timeout);
		}

	}

	// lifecycle

	@Override
	public void start() {
		this.stopped = false;
		this.accepting = true;
		this.running = true;
	}

	@Override
	public void stop() {
		this.accepting = false;
		try {
			if (!this.inFlight.awaitEmpty(this.drainTimeout)) {
				logger.warn("{} requests still had no reply after the drain timeout of {} ms; failing them",
						this.inFlight.size(), this.drainTimeout.toMillis());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.stopped = true;
		this.inFlight.failAll(BusTemplate::shuttingDown);
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Releases the timer and the callback threads; called when the template is discarded.
	 */
	public void destroy() {
		this.accepting = false;
		this.timer.close();
		this.ownCallbackExecutor.shutdown();
	}

}
