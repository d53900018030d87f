package dev.natsbus.template;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.natsbus.BusClientInterceptor;
import dev.natsbus.BusConnectionException;
import dev.natsbus.BusOperations;
import dev.natsbus.BusReplies;
import dev.natsbus.RequestMany;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.conversion.PayloadConverter;
import dev.natsbus.observation.BusRequestObservationConvention;
import dev.natsbus.observation.BusSendObservationConvention;
import dev.natsbus.observation.BusTemplateObservations;
import dev.natsbus.protocol.DeadlineHeaders;
import dev.natsbus.protocol.MessageSize;
import dev.natsbus.protocol.NatsHeaderMapper;
import dev.natsbus.protocol.Subjects;
import dev.natsbus.support.BusTaskExecutors;
import io.micrometer.observation.ObservationRegistry;
import io.nats.client.Connection;
import io.nats.client.impl.Headers;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.messaging.Message;
import org.springframework.util.Assert;

/**
 * The caller's side of the bus: {@code send}, {@code request}, {@code requestAsync} and
 * {@code requestMany} over a {@link NatsConnectionPool}.
 * <p>
 * Every call takes one path: the message is prepared once (subject checked, payload
 * converted, headers mapped with the trace context and the deadline written straight into
 * them, connection chosen, size checked), then published and, for a request, followed by
 * the {@link Requester} until its reply. Timeouts are exact: a synchronous request waits
 * on its own reply future, an asynchronous one is expired by a shared timer. Asynchronous
 * results complete on the callback executor, never on the jnats thread that delivers
 * every reply of a connection. {@linkplain #setInterceptors Client interceptors}, when
 * there are any, see each message before it is sent and each reply before it is read.
 * <p>
 * As a {@link SmartLifecycle} it stops after the listeners and before the connections:
 * new requests are refused, requests in flight get their replies for up to the drain
 * timeout, and whatever is still pending then fails with a
 * {@link BusConnectionException}.
 */
public class BusTemplate implements BusOperations, SmartLifecycle, DisposableBean {

	/**
	 * Stops after the listeners (which stop first so their last replies go out) and
	 * before the pool.
	 */
	public static final int PHASE = Integer.MAX_VALUE - 2000;

	/**
	 * The timeout of requests that do not name one, unless {@link #setDefaultTimeout}
	 * says otherwise.
	 */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

	/**
	 * How long a stop waits for replies in flight, unless {@link #setDrainTimeout} says
	 * otherwise.
	 */
	public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);

	private static final Logger logger = LoggerFactory.getLogger(BusTemplate.class);

	private static final AtomicInteger instances = new AtomicInteger();

	private final NatsConnectionPool pool;

	private final PayloadConverter converter;

	private final NatsHeaderMapper headerMapper = new NatsHeaderMapper();

	private final DeadlineHeaders deadlineHeaders = new DeadlineHeaders();

	private final ReplyReader replyReader;

	private final Requester requester;

	private final Gatherer gatherer;

	private final BusTemplateObservations observations = new BusTemplateObservations();

	private final BusTaskExecutors taskExecutors;

	private final Executor ownCallbackExecutor;

	private Executor callbackExecutor;

	private Duration defaultTimeout = DEFAULT_TIMEOUT;

	private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;

	private boolean propagateDeadline = true;

	private volatile ClientInterceptors interceptors = ClientInterceptors.NONE;

	private final LongAdder publishDenials = new LongAdder();

	private volatile boolean accepting = true;

	private volatile boolean running;

	/** A template with the standard threads ({@link BusTaskExecutors#standard()}). */
	public BusTemplate(NatsConnectionPool pool, PayloadConverter converter) {
		this(pool, converter, BusTaskExecutors.standard());
	}

	/**
	 * @param pool the connections to publish through
	 * @param converter the wire format of payloads and replies
	 * @param executors where the callback executor and the timer thread come from
	 */
	public BusTemplate(NatsConnectionPool pool, PayloadConverter converter, BusTaskExecutors executors) {
		this.pool = pool;
		this.converter = converter;
		this.replyReader = new ReplyReader(converter, this.headerMapper);
		String name = Integer.toString(instances.incrementAndGet());
		this.requester = new Requester(executors.threadFactory("natsbus-request-timer-" + name + "-"),
				() -> this.accepting);
		this.gatherer = new Gatherer(this.requester);
		this.taskExecutors = executors;
		this.ownCallbackExecutor = executors.callbackExecutor(name);
		this.callbackExecutor = this.ownCallbackExecutor;
	}

	// settings

	/** The timeout of requests that do not name one (default 2 s). */
	public void setDefaultTimeout(Duration defaultTimeout) {
		this.defaultTimeout = defaultTimeout;
	}

	@Override
	public Duration getDefaultTimeout() {
		return this.defaultTimeout;
	}

	/**
	 * How long a stop waits for requests in flight before failing them (default 10 s).
	 */
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
	 * Where asynchronous results complete and their dependent stages run. Defaults to the
	 * callback executor of the template's {@link BusTaskExecutors}, owned by this
	 * template.
	 */
	public void setCallbackExecutor(Executor callbackExecutor) {
		this.callbackExecutor = callbackExecutor;
	}

	/**
	 * The interceptors of every message this template sends and every reply it receives,
	 * in the order given (with Spring Boot, the interceptor beans in their
	 * {@code @Order}). None by default, which costs nothing.
	 */
	public void setInterceptors(List<? extends BusClientInterceptor> interceptors) {
		this.interceptors = ClientInterceptors.of(interceptors, this.headerMapper);
	}

	/** The interceptors, in the order they run before a message is sent. */
	public List<BusClientInterceptor> getInterceptors() {
		return this.interceptors.asList();
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
	public void setObservationRegistry(@Nullable ObservationRegistry observationRegistry) {
		this.observations.setObservationRegistry(observationRegistry);
	}

	/**
	 * A convention for the names and tags of send observations, in place of the default.
	 */
	public void setSendObservationConvention(@Nullable BusSendObservationConvention convention) {
		this.observations.setSendObservationConvention(convention);
	}

	/**
	 * A convention for the names and tags of request observations, in place of the
	 * default.
	 */
	public void setRequestObservationConvention(@Nullable BusRequestObservationConvention convention) {
		this.observations.setRequestObservationConvention(convention);
	}

	/**
	 * Tells the template that the server refused {@code connection} publishing to
	 * {@code subject} (it reports {@code Permissions Violation for Publish to "..."}):
	 * requests and gatherings in flight to that subject fail at once with a
	 * {@link dev.natsbus.BusPermissionException} instead of waiting out their timeout,
	 * and the refusal is counted (a {@code send} cannot learn it otherwise). Spring Boot
	 * calls this from the connection's error listener.
	 */
	public void publishDenied(Connection connection, String subject, String serverError) {
		this.publishDenials.increment();
		this.requester.failPublishDenied(connection, subject, serverError);
	}

	/**
	 * Publishes (sends and requests) that the server refused for lack of permission so
	 * far.
	 */
	public long getPublishDenials() {
		return this.publishDenials.sum();
	}

	/**
	 * Requests whose replies are awaited now, gatherings of {@code requestMany} included.
	 */
	public int getRequestsInFlight() {
		return this.requester.inFlight();
	}

	/**
	 * A view of this template whose requests are retried under {@code retryPolicy}; see
	 * {@link BusOperations#withRetry} and {@link RetryingBusOperations}. Asynchronous
	 * attempts run on the callback executor.
	 */
	@Override
	public BusOperations withRetry(RetryPolicy retryPolicy) {
		return new RetryingBusOperations(this, retryPolicy,
				(task) -> this.taskExecutors.withCallerContext(this.callbackExecutor).execute(task),
				() -> this.accepting);
	}

	// send

	@Override
	public void send(String subject, @Nullable Object payload, @Nullable Map<String, ?> headers) {
		Subjects.requirePublishable(subject);
		Headers natsHeaders = this.headerMapper.fromSpring(headers);
		if (this.observations.isNoop()) {
			publish(prepare(subject, payload, natsHeaders, null));
			return;
		}
		this.observations.observeSend(subject, natsHeaders,
				(traced) -> publish(prepare(subject, payload, traced, null)));
	}

	private void publish(OutgoingMessage outgoing) {
		try {
			outgoing.connection().publish(outgoing.subject(), outgoing.headers(), outgoing.body());
		}
		catch (IllegalStateException ex) {
			// The connection is closed or draining, or its reconnect buffer is full or
			// disabled.
			throw new BusConnectionException("Cannot send to '" + outgoing.subject() + "': " + why(outgoing, ex), ex);
		}
	}

	private static String why(OutgoingMessage outgoing, IllegalStateException ex) {
		Connection connection = outgoing.connection();
		if (!isReconnecting(connection.getStatus())) {
			return ex.getMessage();
		}
		long size = connection.getOptions().getReconnectBufferSize();
		return (size == 0) ? "the connection is reconnecting and its reconnect buffer is disabled (size 0)"
				: "the connection is reconnecting and its reconnect buffer of " + size + " bytes is full";
	}

	// request: one synchronous and one asynchronous exchange, read as a payload or a
	// message

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T request(String subject, @Nullable Object payload, ParameterizedTypeReference<T> replyType,
			Duration timeout) {
		return (T) exchange(subject, payload, null, timeout,
				(reply) -> this.replyReader.payload(subject, reply, replyType.getType()));
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> Message<T> requestMessage(String subject, Message<?> request, ParameterizedTypeReference<T> replyType,
			Duration timeout) {
		return (Message<T>) (Message<?>) exchange(subject, request.getPayload(), request.getHeaders(), timeout,
				(reply) -> this.replyReader.message(subject, reply, replyType.getType()));
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> CompletableFuture<T> requestAsync(String subject, @Nullable Object payload,
			ParameterizedTypeReference<T> replyType, Duration timeout) {
		return exchangeAsync(subject, payload, null, timeout,
				(reply) -> (T) this.replyReader.payload(subject, reply, replyType.getType()));
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> CompletableFuture<Message<T>> requestMessageAsync(String subject, Message<?> request,
			ParameterizedTypeReference<T> replyType, Duration timeout) {
		return exchangeAsync(subject, request.getPayload(), request.getHeaders(), timeout,
				(reply) -> (Message<T>) (Message<?>) this.replyReader.message(subject, reply, replyType.getType()));
	}

	private <R> R exchange(String subject, @Nullable Object payload, @Nullable Map<String, ?> headers, Duration timeout,
			Function<io.nats.client.Message, R> readReply) {
		Subjects.requirePublishable(subject);
		Headers natsHeaders = this.headerMapper.fromSpring(headers);
		if (this.observations.isNoop()) {
			return call(subject, payload, natsHeaders, timeout, readReply);
		}
		return this.observations.observeRequest(subject, timeout, natsHeaders,
				(traced) -> call(subject, payload, traced, timeout, readReply));
	}

	private <R> R call(String subject, @Nullable Object payload, @Nullable Headers natsHeaders, Duration timeout,
			Function<io.nats.client.Message, R> readReply) {
		OutgoingMessage outgoing = prepare(subject, payload, natsHeaders, timeout);
		io.nats.client.Message reply = this.requester.await(outgoing, timeout);
		if (outgoing.intercepted() != null) {
			this.interceptors.postReceive(subject, outgoing.intercepted(), reply);
		}
		return readReply.apply(reply);
	}

	/**
	 * A bad subject is a programming error and is thrown; what the bus cannot do now (not
	 * connected, too large, not convertible, shutting down) is reported through the
	 * future.
	 */
	private <T> CompletableFuture<T> exchangeAsync(String subject, @Nullable Object payload,
			@Nullable Map<String, ?> headers, Duration timeout, Function<io.nats.client.Message, T> readReply) {
		Subjects.requirePublishable(subject);
		Headers natsHeaders = this.headerMapper.fromSpring(headers);
		// The caller's context, before the request's own observation becomes current.
		Executor callbacks = this.taskExecutors.withCallerContext(this.callbackExecutor);
		if (this.observations.isNoop()) {
			return sendAsync(subject, payload, natsHeaders, timeout, readReply, callbacks);
		}
		return this.observations.observeRequestAsync(subject, timeout, natsHeaders,
				(traced) -> sendAsync(subject, payload, traced, timeout, readReply, callbacks));
	}

	private <T> CompletableFuture<T> sendAsync(String subject, @Nullable Object payload, @Nullable Headers natsHeaders,
			Duration timeout, Function<io.nats.client.Message, T> readReply, Executor callbacks) {
		try {
			OutgoingMessage outgoing = prepare(subject, payload, natsHeaders, timeout);
			Function<io.nats.client.Message, T> read = (outgoing.intercepted() != null)
					? this.interceptors.reading(subject, outgoing.intercepted(), readReply) : readReply;
			return this.requester.sendAsync(outgoing, timeout, read, callbacks);
		}
		catch (RuntimeException ex) {
			// Bus failures and the refusals of client interceptors alike.
			return CompletableFuture.failedFuture(ex);
		}
	}

	// requestMany: one request, every reply until the options end the gathering

	@Override
	public <T> BusReplies<T> requestMany(String subject, @Nullable Object payload,
			ParameterizedTypeReference<T> replyType, RequestMany options) {
		Subjects.requirePublishable(subject);
		Assert.notNull(options, "options must not be null");
		Duration maxWait = options.getMaxWait(this.defaultTimeout);
		if (this.observations.isNoop()) {
			return gather(subject, payload, null, options, maxWait, replyType.getType());
		}
		return this.observations.observeRequest(subject, maxWait, null,
				(traced) -> gather(subject, payload, traced, options, maxWait, replyType.getType()));
	}

	@Override
	public <T> CompletableFuture<BusReplies<T>> requestManyAsync(String subject, @Nullable Object payload,
			ParameterizedTypeReference<T> replyType, RequestMany options) {
		Subjects.requirePublishable(subject);
		Assert.notNull(options, "options must not be null");
		Duration maxWait = options.getMaxWait(this.defaultTimeout);
		Executor callbacks = this.taskExecutors.withCallerContext(this.callbackExecutor);
		if (this.observations.isNoop()) {
			return gatherAsync(subject, payload, null, options, maxWait, replyType.getType(), callbacks);
		}
		return this.observations.observeRequestAsync(subject, maxWait, null,
				(traced) -> gatherAsync(subject, payload, traced, options, maxWait, replyType.getType(), callbacks));
	}

	private <T> BusReplies<T> gather(String subject, @Nullable Object payload, @Nullable Headers natsHeaders,
			RequestMany options, Duration maxWait, Type replyType) {
		OutgoingMessage outgoing = prepare(subject, payload, natsHeaders, maxWait);
		Function<Gathered, BusReplies<T>> read = readReplies(outgoing, replyType);
		return read.apply(this.gatherer.await(outgoing, options, maxWait));
	}

	private <T> CompletableFuture<BusReplies<T>> gatherAsync(String subject, @Nullable Object payload,
			@Nullable Headers natsHeaders, RequestMany options, Duration maxWait, Type replyType, Executor callbacks) {
		try {
			OutgoingMessage outgoing = prepare(subject, payload, natsHeaders, maxWait);
			return this.gatherer.gatherAsync(outgoing, options, maxWait, readReplies(outgoing, replyType), callbacks);
		}
		catch (RuntimeException ex) {
			// Bus failures and the refusals of client interceptors alike.
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * A request-many whose replies are also handed to {@code each} one by one as they
	 * arrive, for {@link ReactiveBusTemplate}: on the inbox's dispatcher thread, as an
	 * {@link ArrivedReply} to read (client interceptors, then conversion) wherever the
	 * receiver hands it on to. The future completes as {@link #requestManyAsync} does,
	 * with the raw replies; cancelling it ends the gathering.
	 * @throws IllegalArgumentException when the subject cannot be published to
	 */
	<T> CompletableFuture<Gathered> requestManyEach(String subject, @Nullable Object payload, Type replyType,
			RequestMany options, Consumer<ArrivedReply<T>> each) {
		Subjects.requirePublishable(subject);
		Assert.notNull(options, "options must not be null");
		Duration maxWait = options.getMaxWait(this.defaultTimeout);
		if (this.observations.isNoop()) {
			return gatherEach(subject, payload, null, options, maxWait, replyType, each);
		}
		return this.observations.observeRequestAsync(subject, maxWait, null,
				(traced) -> gatherEach(subject, payload, traced, options, maxWait, replyType, each));
	}

	private <T> CompletableFuture<Gathered> gatherEach(String subject, @Nullable Object payload,
			@Nullable Headers natsHeaders, RequestMany options, Duration maxWait, Type replyType,
			Consumer<ArrivedReply<T>> each) {
		try {
			OutgoingMessage outgoing = prepare(subject, payload, natsHeaders, maxWait);
			org.springframework.messaging.Message<byte[]> request = outgoing.intercepted();
			ClientInterceptors chain = this.interceptors;
			Consumer<io.nats.client.Message> arrived = (reply) -> each.accept(() -> {
				if (request != null) {
					chain.postReceive(subject, request, reply);
				}
				return this.replyReader.value(subject, reply, replyType);
			});
			return this.gatherer.gatherAsync(outgoing, options, maxWait, Function.identity(), this.callbackExecutor,
					arrived);
		}
		catch (RuntimeException ex) {
			// Bus failures and the refusals of client interceptors alike.
			return CompletableFuture.failedFuture(ex);
		}
	}

	/** Where asynchronous results complete, for the reactive view. */
	Executor callbackExecutor() {
		return this.callbackExecutor;
	}

	/**
	 * Reads every gathered reply, each seen by the client interceptors first, as for a
	 * request.
	 */
	private <T> Function<Gathered, BusReplies<T>> readReplies(OutgoingMessage outgoing, Type replyType) {
		String subject = outgoing.subject();
		org.springframework.messaging.Message<byte[]> request = outgoing.intercepted();
		if (request == null) {
			return (gathered) -> this.replyReader.replies(subject, gathered, replyType);
		}
		ClientInterceptors chain = this.interceptors;
		return (gathered) -> {
			gathered.replies().forEach((reply) -> chain.postReceive(subject, request, reply));
			return this.replyReader.replies(subject, gathered, replyType);
		};
	}

	/** The gatherings' side of the template, for tests in this package. */
	Gatherer gatherer() {
		return this.gatherer;
	}

	/**
	 * Converts and checks a message whose subject has been checked; {@code timeout} is
	 * {@code null} for a send, which has no deadline.
	 */
	private OutgoingMessage prepare(String subject, @Nullable Object payload, @Nullable Headers headers,
			@Nullable Duration timeout) {
		if (!this.accepting) {
			throw new BusConnectionException("Cannot send to '" + subject + "': the bus is shutting down");
		}
		byte[] body = this.converter.toBytes(payload);
		ClientInterceptors chain = this.interceptors;
		org.springframework.messaging.Message<byte[]> intercepted = null;
		if (!chain.isEmpty()) {
			intercepted = chain.preSend(subject, headers, body);
			headers = chain.headers(intercepted);
			body = intercepted.getPayload();
		}
		if (timeout != null && this.propagateDeadline) {
			headers = this.deadlineHeaders.stamp(headers, timeout);
		}
		Connection connection = this.pool.next();
		Connection.Status status = connection.getStatus();
		if (status != Connection.Status.CONNECTED && !(timeout == null && isReconnecting(status))) {
			throw new BusConnectionException(
					"Cannot send to '" + subject + "': the connection to NATS is down (" + status + ")");
		}
		MessageSize.check(connection, subject, headers, body);
		return new OutgoingMessage(subject, connection, headers, body, intercepted);
	}

	/**
	 * A send while the connection is reconnecting goes into jnats' reconnect buffer and
	 * reaches the server after the reconnect; jnats refuses it when the buffer is full or
	 * disabled. A request does not: its caller would wait out its timeout for a reply
	 * that cannot come before the reconnect, where failing at once lets it (or the
	 * retrying view) act.
	 */
	private static boolean isReconnecting(Connection.Status status) {
		return status == Connection.Status.RECONNECTING || status == Connection.Status.DISCONNECTED;
	}

	// lifecycle

	@Override
	public void start() {
		this.requester.start();
		this.accepting = true;
		this.running = true;
	}

	@Override
	public void stop() {
		this.accepting = false;
		try {
			if (!this.requester.awaitEmpty(this.drainTimeout)) {
				logger.warn("{} requests still had no reply after the drain timeout of {} ms; failing them",
						this.requester.inFlight(), this.drainTimeout.toMillis());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.requester.stop();
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
	@Override
	public void destroy() {
		this.accepting = false;
		this.gatherer.close();
		this.requester.close();
		BusTaskExecutors.release(this.ownCallbackExecutor);
	}

}
