package dev.natsbus.listener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadFactory;

import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.conversion.PayloadConverter;
import io.nats.client.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Holds the listener containers by id and runs them as one {@link SmartLifecycle}: they
 * subscribe when the context starts and, on stop, drain before anything else stops, so
 * that handlers already running still reply through open connections. Single listeners
 * can be looked up, registered in code, stopped, started, paused and resumed by id.
 */
public class BusListenerRegistry implements SmartLifecycle {

	/**
	 * Starts last and stops first among the bus components, but after a web server's
	 * graceful shutdown (phase {@code MAX_VALUE - 1024}), so that HTTP requests still in
	 * progress can be answered by this instance's listeners.
	 */
	public static final int PHASE = Integer.MAX_VALUE - 1500;

	/**
	 * How long a stop waits for delivered messages, unless {@link #setDrainTimeout} says
	 * otherwise.
	 */
	public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);

	private static final Logger logger = LoggerFactory.getLogger(BusListenerRegistry.class);

	private final NatsConnectionPool pool;

	private final BusListenerContainerFactory containerFactory;

	/**
	 * By id, in registration order, which also spreads them over the pool's connections.
	 */
	private final Map<String, BusListenerContainer> containers = new LinkedHashMap<>();

	private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;

	private volatile boolean running;

	/** A registry whose containers come from a factory with the default settings. */
	public BusListenerRegistry(NatsConnectionPool pool, PayloadConverter converter) {
		this(pool, new BusListenerContainerFactory(converter));
	}

	public BusListenerRegistry(NatsConnectionPool pool, BusListenerContainerFactory containerFactory) {
		this.pool = pool;
		this.containerFactory = containerFactory;
	}

	/** The factory that makes the containers of the listeners registered here. */
	public BusListenerContainerFactory getContainerFactory() {
		return this.containerFactory;
	}

	/** How long a stop waits for delivered messages to be handled and answered. */
	public void setDrainTimeout(Duration drainTimeout) {
		this.drainTimeout = drainTimeout;
	}

	/**
	 * Registers a listener; it subscribes when the registry starts, or at once when the
	 * registry already runs.
	 * @throws IllegalStateException when another listener has the same id
	 * @throws IllegalArgumentException when the endpoint's settings cannot work
	 */
	public BusListenerContainer registerListener(BusListenerEndpoint endpoint) {
		BusListenerContainer container;
		int slot;
		synchronized (this.containers) {
			BusListenerContainer existing = this.containers.get(endpoint.getId());
			if (existing != null) {
				throw new IllegalStateException(
						"Two listeners have the id '" + endpoint.getId() + "': " + existing.getEndpoint().describe()
								+ " and " + endpoint.describe() + "; give one of them another id");
			}
			container = this.containerFactory.createListenerContainer(endpoint);
			slot = this.containers.size() % this.pool.size();
			this.containers.put(endpoint.getId(), container);
		}
		if (this.running) {
			container.start(this.pool.whenConnected(slot));
		}
		return container;
	}

	/** The containers, in registration order. */
	public List<BusListenerContainer> getListenerContainers() {
		synchronized (this.containers) {
			return List.copyOf(this.containers.values());
		}
	}

	/** The ids of the listeners, in registration order. */
	public Set<String> getListenerContainerIds() {
		synchronized (this.containers) {
			return Set.copyOf(this.containers.keySet());
		}
	}

	/** The container of the listener with {@code id}. */
	public Optional<BusListenerContainer> getListenerContainer(String id) {
		synchronized (this.containers) {
			return Optional.ofNullable(this.containers.get(id));
		}
	}

	/**
	 * The container whose subscription {@code consumer} is (as a slow-consumer report
	 * names it).
	 */
	public Optional<BusListenerContainer> getListenerContainer(@Nullable Consumer consumer) {
		return getListenerContainers().stream().filter((container) -> container.isConsumer(consumer)).findFirst();
	}

	/**
	 * Subscribes the listener with {@code id} (again) if it is stopped.
	 * @throws IllegalArgumentException when there is no such listener
	 */
	public void start(String id) {
		startOne(required(id), slotOf(id));
	}

	/**
	 * Stops the listener with {@code id}: delivered messages are handled first, within
	 * the drain timeout. Returns whether they were.
	 * @throws IllegalArgumentException when there is no such listener
	 */
	public boolean stop(String id) {
		return required(id).stop(this.drainTimeout);
	}

	/**
	 * Pauses the listener with {@code id}: it stops taking messages, and those already
	 * delivered are handled, within the drain timeout. Returns whether they were.
	 * @throws IllegalArgumentException when there is no such listener
	 */
	public boolean pause(String id) {
		return required(id).pause(this.drainTimeout);
	}

	/**
	 * Resumes a paused listener: it takes messages again.
	 * @throws IllegalArgumentException when there is no such listener
	 */
	public void resume(String id) {
		required(id).resume();
	}

	private BusListenerContainer required(String id) {
		return getListenerContainer(id).orElseThrow(() -> new IllegalArgumentException(
				"No listener has the id '" + id + "'; known ids are " + getListenerContainerIds()));
	}

	private int slotOf(String id) {
		synchronized (this.containers) {
			return new ArrayList<>(this.containers.keySet()).indexOf(id) % this.pool.size();
		}
	}

	private void startOne(BusListenerContainer container, int slot) {
		container.start(this.pool.whenConnected(slot));
	}

	@Override
	public void start() {
		List<BusListenerContainer> current = getListenerContainers();
		for (int i = 0; i < current.size(); i++) {
			startOne(current.get(i), i % this.pool.size());
		}
		this.running = true;
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
		for (BusListenerContainer container : getListenerContainers()) {
			Object key = (container.getConnection() != null) ? container.getConnection() : container;
			byConnection.computeIfAbsent(key, (k) -> new ArrayList<>()).add(container);
		}
		ThreadFactory threads = this.containerFactory.getTaskExecutors().threadFactory("natsbus-drain-");
		List<Thread> drains = new ArrayList<>();
		for (List<BusListenerContainer> sameConnection : byConnection.values()) {
			Thread drain = threads.newThread(() -> {
				for (BusListenerContainer container : sameConnection) {
					container.stop(remaining(deadline));
				}
			});
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
		int outstanding = 0;
		for (BusListenerContainer container : getListenerContainers()) {
			try {
				if (!container.awaitAsyncReplies(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
					outstanding += container.getAsyncRepliesPending();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		if (outstanding > 0) {
			logger.warn("{} asynchronous listener replies were still outstanding after the drain timeout of {} ms",
					outstanding, this.drainTimeout.toMillis());
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
