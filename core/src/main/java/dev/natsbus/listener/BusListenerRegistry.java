package dev.natsbus.listener;

import dev.natsbus.listener.adapter.AsyncReplyTracker;
import dev.natsbus.listener.adapter.BusHandlerMethodFactory;
import dev.natsbus.listener.adapter.ListenerInvoker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.protocol.NatsHeaderMapper;
import dev.natsbus.conversion.PayloadConverter;
import dev.natsbus.observation.BusListenerObservationConvention;
import dev.natsbus.observation.BusListenerObservations;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;

/**
 * Holds the listener containers and runs them as one {@link SmartLifecycle}: they
 * subscribe when the context starts and, on stop, drain before anything else stops, so
 * that handlers already running still reply through open connections.
 */
public class BusListenerRegistry implements SmartLifecycle {

	/**
	 * Starts last and stops first among the bus components, but after a web server's
	 * graceful shutdown (phase {@code MAX_VALUE - 1024}), so that HTTP requests still in
	 * progress can be answered by this instance's listeners.
	 */
	public static final int PHASE = Integer.MAX_VALUE - 1500;

	private static final Logger logger = LoggerFactory.getLogger(BusListenerRegistry.class);

	private final NatsConnectionPool pool;

	private final PayloadConverter converter;

	private final BusHandlerMethodFactory handlerMethodFactory;

	private final NatsHeaderMapper headerMapper = new NatsHeaderMapper();

	private final BusListenerObservations observations = new BusListenerObservations();

	private final AsyncReplyTracker asyncReplies = new AsyncReplyTracker();

	private final List<BusListenerContainer> containers = Collections.synchronizedList(new ArrayList<>());

	private long pendingMessageLimit = 65_536;

	private long pendingByteLimit = 64L * 1024 * 1024;

	private Duration drainTimeout = Duration.ofSeconds(10);

	private volatile boolean running;

	public BusListenerRegistry(NatsConnectionPool pool, PayloadConverter converter) {
		this.pool = pool;
		this.converter = converter;
		this.handlerMethodFactory = new BusHandlerMethodFactory(converter);
		this.handlerMethodFactory.afterPropertiesSet();
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

	/** How long a stop waits for delivered messages to be handled and answered. */
	public void setDrainTimeout(Duration drainTimeout) {
		this.drainTimeout = drainTimeout;
	}

	/**
	 * Where listener invocations are observed ({@code natsbus.listener}), continuing the
	 * caller's trace from the message headers; also for listeners registered before.
	 * {@link ObservationRegistry#NOOP} (the default) observes nothing and costs nothing.
	 */
	public void setObservationRegistry(ObservationRegistry observationRegistry) {
		this.observations.setObservationRegistry(observationRegistry);
	}

	/**
	 * A convention for the names and tags of listener observations, in place of the
	 * default.
	 */
	public void setObservationConvention(BusListenerObservationConvention convention) {
		this.observations.setObservationConvention(convention);
	}

	/**
	 * Registers an endpoint; it subscribes at start, or now when the registry already
	 * runs.
	 */
	public BusListenerContainer register(BusListenerEndpoint endpoint) {
		InvocableHandlerMethod handlerMethod = this.handlerMethodFactory.createInvocableHandlerMethod(endpoint.bean(),
				endpoint.method());
		ListenerInvoker invoker = new ListenerInvoker(endpoint.id(), this.asyncReplies.track(handlerMethod),
				this.handlerMethodFactory.payloadParameter(handlerMethod), this.converter, this.headerMapper);
		invoker.setObserver(this.observations.forListener(endpoint.id(), endpoint.subject(), endpoint.queue()));
		BusListenerContainer container = new BusListenerContainer(endpoint, invoker, this.pendingMessageLimit,
				this.pendingByteLimit);
		int slot;
		synchronized (this.containers) {
			slot = this.containers.size() % this.pool.size();
			this.containers.add(container);
		}
		if (this.running) {
			start(container, slot);
		}
		return container;
	}

	/** The containers, in registration order. */
	public List<BusListenerContainer> getContainers() {
		synchronized (this.containers) {
			return List.copyOf(this.containers);
		}
	}

	@Override
	public void start() {
		List<BusListenerContainer> current = getContainers();
		for (int i = 0; i < current.size(); i++) {
			start(current.get(i), i % this.pool.size());
		}
		this.running = true;
	}

	private void start(BusListenerContainer container, int slot) {
		container.reopen();
		this.pool.connection(slot)
			.ifPresentOrElse(container::start, () -> container.startWhenConnected(this.pool.whenConnected(slot)));
	}

	@Override
	public void stop() {
		this.running = false;
		long deadline = System.nanoTime() + this.drainTimeout.toNanos();
		// One drain at a time per connection: each drain sends a PING, and jnats drops a
		// connection with more than two PINGs unanswered. Connections drain in parallel,
		// all
		// within one deadline.
		Map<Object, List<BusListenerContainer>> byConnection = new LinkedHashMap<>();
		for (BusListenerContainer container : getContainers()) {
			Object key = (container.getConnection() != null) ? container.getConnection() : container;
			byConnection.computeIfAbsent(key, k -> new ArrayList<>()).add(container);
		}
		List<Thread> drains = new ArrayList<>();
		for (List<BusListenerContainer> containers : byConnection.values()) {
			Thread drain = new Thread(() -> {
				for (BusListenerContainer container : containers) {
					container.stop(remaining(deadline));
				}
			}, "natsbus-drain-" + containers.get(0).getEndpoint().id());
			drain.start();
			drains.add(drain);
		}
		for (Thread drain : drains) {
			try {
				drain.join(remaining(deadline).toMillis() + 1000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		awaitAsyncReplies(deadline);
		// Replies published by the last handlers must reach the server before connections
		// close.
		this.pool.flush(remaining(deadline));
	}

	/**
	 * Handlers that returned a CompletableFuture left their workers before they replied:
	 * wait for those replies.
	 */
	private void awaitAsyncReplies(long deadline) {
		try {
			if (!this.asyncReplies.awaitNone(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
				logger.warn("{} asynchronous listener replies were still outstanding after the drain timeout of {} ms",
						this.asyncReplies.pending(), this.drainTimeout.toMillis());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Time left until {@code deadline}, never less than a moment so that late listeners
	 * still unsubscribe.
	 */
	private static Duration remaining(long deadline) {
		return Duration.ofNanos(Math.max(deadline - System.nanoTime(), 100_000_000L));
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
