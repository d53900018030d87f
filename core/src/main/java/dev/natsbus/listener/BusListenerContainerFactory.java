package dev.natsbus.listener;

import java.util.List;
import java.util.concurrent.Executor;

import dev.natsbus.BusListenerErrorHandler;
import dev.natsbus.BusListenerInterceptor;
import dev.natsbus.conversion.PayloadConverter;
import dev.natsbus.listener.adapter.AsyncReplyTracker;
import dev.natsbus.listener.adapter.BusHandlerMethodFactory;
import dev.natsbus.listener.adapter.BusMessageListenerAdapter;
import dev.natsbus.listener.adapter.ErrorHandlingInvocation;
import dev.natsbus.listener.adapter.IncomingMessages;
import dev.natsbus.listener.adapter.JavaStreamReplyAdapter;
import dev.natsbus.listener.adapter.ListenerResults;
import dev.natsbus.listener.adapter.ReplyStreamAdapter;
import dev.natsbus.listener.adapter.ListenerInterceptors;
import dev.natsbus.listener.adapter.ListenerInvocation;
import dev.natsbus.observation.BusListenerObservationConvention;
import dev.natsbus.observation.BusListenerObservations;
import dev.natsbus.protocol.NatsHeaderMapper;
import dev.natsbus.protocol.Subjects;
import dev.natsbus.support.BusTaskExecutors;
import io.micrometer.observation.ObservationRegistry;
import io.nats.client.Consumer;
import io.nats.service.Endpoint;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.validation.Validator;

/**
 * Makes the container of each listener, with the settings that listeners share unless
 * their endpoint says otherwise: queue group, concurrency, pending limits, threads,
 * conversion, validation, error handler, interceptors, error texts and observation.
 * Configure one in code to run listeners with other settings, or to make containers in
 * tests. Settings apply to the containers made after they are set.
 */
public class BusListenerContainerFactory {

	/** Concurrency of listeners that do not set one. */
	public static final int DEFAULT_CONCURRENCY = 1;

	/** Queue group of listeners that do not set one: that of the NATS micro protocol. */
	public static final String DEFAULT_QUEUE = Endpoint.DEFAULT_QGROUP;

	/**
	 * Messages a listener may hold undelivered before it drops them as a slow consumer.
	 */
	public static final long DEFAULT_PENDING_MESSAGE_LIMIT = 65_536;

	/**
	 * Bytes a listener may hold undelivered before it drops them as a slow consumer
	 * (jnats' default, 64 MiB).
	 */
	public static final long DEFAULT_PENDING_BYTE_LIMIT = Consumer.DEFAULT_MAX_BYTES;

	private final PayloadConverter converter;

	private final BusHandlerMethodFactory handlerMethodFactory;

	private final NatsHeaderMapper headerMapper = new NatsHeaderMapper();

	private final IncomingMessages incomingMessages = new IncomingMessages(this.headerMapper);

	private final BusListenerObservations observations = new BusListenerObservations();

	private int concurrency = DEFAULT_CONCURRENCY;

	private String queue = DEFAULT_QUEUE;

	private long pendingMessageLimit = DEFAULT_PENDING_MESSAGE_LIMIT;

	private long pendingByteLimit = DEFAULT_PENDING_BYTE_LIMIT;

	private BusTaskExecutors taskExecutors = BusTaskExecutors.standard();

	private List<ReplyStreamAdapter> replyStreamAdapters = ListenerResults.defaultReplyStreamAdapters();

	private @Nullable BusListenerErrorHandler errorHandler;

	private List<BusListenerInterceptor> interceptors = List.of();

	private boolean includeErrorMessages;

	private SharedDispatchers dispatchers = new SharedDispatchers(SharedDispatchers.DEFAULT_PER_CONNECTION);

	private @Nullable Executor sharedWorkers;

	/**
	 * @param converter reads requests into handler arguments and writes replies
	 */
	public BusListenerContainerFactory(PayloadConverter converter) {
		this.converter = converter;
		this.handlerMethodFactory = new BusHandlerMethodFactory(converter);
		this.handlerMethodFactory.afterPropertiesSet();
	}

	/** Concurrency of listeners whose endpoint does not set one (default 1). */
	public void setConcurrency(int concurrency) {
		Assert.isTrue(concurrency >= 1, "concurrency must be at least 1, not " + concurrency);
		this.concurrency = concurrency;
	}

	public int getConcurrency() {
		return this.concurrency;
	}

	/** Queue group of listeners whose endpoint does not set one (default {@code q}). */
	public void setQueue(String queue) {
		this.queue = Subjects.requireQueueName(queue);
	}

	public String getQueue() {
		return this.queue;
	}

	/**
	 * Messages a listener may hold undelivered before it drops and reports a slow
	 * consumer.
	 */
	public void setPendingMessageLimit(long pendingMessageLimit) {
		this.pendingMessageLimit = pendingMessageLimit;
	}

	/**
	 * Bytes a listener may hold undelivered before it drops and reports a slow consumer.
	 */
	public void setPendingByteLimit(long pendingByteLimit) {
		this.pendingByteLimit = pendingByteLimit;
	}

	/** Where listener workers come from (default {@link BusTaskExecutors#standard()}). */
	public synchronized void setTaskExecutors(BusTaskExecutors taskExecutors) {
		this.taskExecutors = taskExecutors;
		this.sharedWorkers = null;
	}

	/**
	 * How many jnats dispatchers (one thread each) the listeners of a connection share
	 * (default {@value SharedDispatchers#DEFAULT_PER_CONNECTION}). Dispatcher threads
	 * only queue messages for the listeners' workers, so a few carry any number of
	 * listeners; listeners already subscribed keep theirs.
	 */
	public void setDispatchersPerConnection(int dispatchersPerConnection) {
		this.dispatchers = new SharedDispatchers(dispatchersPerConnection);
	}

	public int getDispatchersPerConnection() {
		return this.dispatchers.getPerConnection();
	}

	public BusTaskExecutors getTaskExecutors() {
		return this.taskExecutors;
	}

	/**
	 * Where listener invocations are observed ({@code natsbus.listener}), continuing the
	 * caller's trace from the message headers; also for containers made before.
	 * {@link ObservationRegistry#NOOP} (the default) observes nothing and costs nothing.
	 */
	public void setObservationRegistry(@Nullable ObservationRegistry observationRegistry) {
		this.observations.setObservationRegistry(observationRegistry);
	}

	/**
	 * A convention for the names and tags of listener observations, in place of the
	 * default.
	 */
	public void setObservationConvention(@Nullable BusListenerObservationConvention convention) {
		this.observations.setObservationConvention(convention);
	}

	/**
	 * What answers multi-value listener results with streamed replies, asked in order
	 * (default: {@link JavaStreamReplyAdapter} for {@code Stream} and {@code Iterable},
	 * and where Reactor is present {@code FluxReplyStreamAdapter} for {@code Flux}); for
	 * containers made from now on.
	 */
	public void setReplyStreamAdapters(List<ReplyStreamAdapter> replyStreamAdapters) {
		this.replyStreamAdapters = List.copyOf(replyStreamAdapters);
	}

	public List<ReplyStreamAdapter> getReplyStreamAdapters() {
		return this.replyStreamAdapters;
	}

	/**
	 * The validator of {@code @Valid} and {@code @Validated} payloads (with Spring Boot,
	 * the application's Bean Validation {@code Validator}), or {@code null} for none: a
	 * listener with such a payload then fails to start rather than skip the check.
	 */
	public void setValidator(@Nullable Validator validator) {
		this.handlerMethodFactory.setValidator(validator);
	}

	/**
	 * The error handler of listeners whose endpoint names none, or {@code null} for the
	 * documented error replies.
	 */
	public void setErrorHandler(@Nullable BusListenerErrorHandler errorHandler) {
		this.errorHandler = errorHandler;
	}

	public @Nullable BusListenerErrorHandler getErrorHandler() {
		return this.errorHandler;
	}

	/**
	 * The interceptors of every listener, in the order given (with Spring Boot, the
	 * interceptor beans in their {@code @Order}).
	 */
	public void setInterceptors(List<? extends BusListenerInterceptor> interceptors) {
		this.interceptors = List.copyOf(interceptors);
	}

	public List<BusListenerInterceptor> getInterceptors() {
		return this.interceptors;
	}

	/**
	 * Whether replies to unexpected failures (500) carry the exception's message. Off by
	 * default: they say only that the listener failed, with its id and an error id that
	 * the listener's log line repeats next to the stack trace.
	 */
	public void setIncludeErrorMessages(boolean includeErrorMessages) {
		this.includeErrorMessages = includeErrorMessages;
	}

	/**
	 * spring-messaging's handler method machinery as the bus sets it up, for endpoints.
	 */
	public BusHandlerMethodFactory getHandlerMethodFactory() {
		return this.handlerMethodFactory;
	}

	/** The endpoint's queue group, the default one, or none for a broadcast listener. */
	private @Nullable String queueOf(BusListenerEndpoint endpoint) {
		if (endpoint.isBroadcast()) {
			Assert.isTrue(endpoint.getQueue() == null, () -> "a broadcast listener subscribes in no queue group, but "
					+ endpoint.describe() + " has queue '" + endpoint.getQueue() + "'");
			return null;
		}
		return (endpoint.getQueue() != null) ? Subjects.requireQueueName(endpoint.getQueue()) : this.queue;
	}

	/**
	 * A container for {@code endpoint}, not yet subscribed.
	 * @throws IllegalArgumentException when the endpoint's settings cannot work
	 */
	public BusListenerContainer createListenerContainer(BusListenerEndpoint endpoint) {
		String queue = queueOf(endpoint);
		int concurrency = (endpoint.getConcurrency() != null) ? endpoint.getConcurrency() : this.concurrency;
		Assert.isTrue(concurrency >= 1, "concurrency must be at least 1, not " + concurrency);
		Subjects.requireSubscribable(endpoint.getSubject());
		// A Mono (where Reactor is present) is answered as a CompletableFuture is, by
		// whatever handles the failures of futures too.
		ListenerInvocation invocation = ListenerResults
			.adaptAsyncResults(endpoint.createInvocation(this.handlerMethodFactory, this.incomingMessages));
		BusListenerErrorHandler endpointErrorHandler = (endpoint.getErrorHandler() != null) ? endpoint.getErrorHandler()
				: this.errorHandler;
		if (endpointErrorHandler != null) {
			invocation = new ErrorHandlingInvocation(invocation, endpointErrorHandler, this.incomingMessages);
		}
		BusMessageListenerAdapter adapter = new BusMessageListenerAdapter(endpoint.getId(), invocation, this.converter,
				this.headerMapper, this.observations.forListener(endpoint.getId(), endpoint.getSubject(), queue),
				new AsyncReplyTracker());
		adapter.setReplyStreamAdapters(this.replyStreamAdapters);
		adapter.setInterceptors(ListenerInterceptors.of(this.interceptors, this.incomingMessages, this.headerMapper));
		adapter.setIncludeErrorMessages(this.includeErrorMessages);
		return new BusListenerContainer(endpoint, queue, concurrency, this.pendingMessageLimit, this.pendingByteLimit,
				adapter, this.taskExecutors, this.dispatchers, sharedWorkers());
	}

	/**
	 * Workers for the listeners whose task executors give none
	 * ({@link BusTaskExecutors#sharedListenerExecutor}), so that their number follows the
	 * invocations running at once rather than the number of listeners, and a blocked
	 * listener holds only its own.
	 */
	private synchronized Executor sharedWorkers() {
		Executor workers = this.sharedWorkers;
		if (workers == null) {
			workers = this.taskExecutors.sharedListenerExecutor("natsbus-listener-");
			this.sharedWorkers = workers;
		}
		return workers;
	}

}
