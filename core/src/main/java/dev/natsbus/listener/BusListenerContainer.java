package dev.natsbus.listener;

import dev.natsbus.listener.adapter.EndpointStats;
import dev.natsbus.listener.adapter.ListenerInvoker;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.nats.client.Connection;
import io.nats.client.Consumer;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one listener: a subscription in the listener's queue group on its own jnats
 * {@link Dispatcher}, so that a slow listener never delays another.
 * <p>
 * Concurrency model: with concurrency 1 the handler runs on the dispatcher thread itself,
 * with no hand-off at all. With concurrency N the dispatcher hands each message to one of
 * N worker threads and blocks while all N are busy. The alternative, N subscriptions in
 * the queue group, was rejected because the server spreads messages over queue members at
 * random, so busy members queue work while others idle. The benchmarks' scenario 5
 * measures both with a 10 ms handler: N dispatchers in the queue group reach 0.75 of the
 * ideal throughput at N = 64, one subscription feeding N workers 0.95. While the
 * dispatcher is blocked, messages wait in the subscription's bounded pending queue; past
 * its limits jnats drops them and reports a slow consumer, so memory stays bounded.
 */
public final class BusListenerContainer {

	private static final Logger logger = LoggerFactory.getLogger(BusListenerContainer.class);

	/**
	 * Running containers by their dispatcher, so that a slow-consumer report can name the
	 * listener.
	 */
	private static final Map<Consumer, BusListenerContainer> byConsumer = new ConcurrentHashMap<>();

	private final BusListenerEndpoint endpoint;

	private final ListenerInvoker invoker;

	private final long pendingMessageLimit;

	private final long pendingByteLimit;

	private final Semaphore workersFree;

	private final AtomicInteger busy = new AtomicInteger();

	private volatile ExecutorService workers;

	private volatile Connection connection;

	private volatile Dispatcher dispatcher;

	private volatile boolean stopping;

	BusListenerContainer(BusListenerEndpoint endpoint, ListenerInvoker invoker, long pendingMessageLimit,
			long pendingByteLimit) {
		this.endpoint = endpoint;
		this.invoker = invoker;
		this.pendingMessageLimit = pendingMessageLimit;
		this.pendingByteLimit = pendingByteLimit;
		this.workersFree = new Semaphore(endpoint.concurrency());
	}

	public BusListenerEndpoint getEndpoint() {
		return this.endpoint;
	}

	/**
	 * What this listener has done: requests, errors, processing time, skipped expired
	 * requests.
	 */
	public EndpointStats getStats() {
		return this.invoker.stats();
	}

	/** Handler invocations running now. */
	public int getBusyWorkers() {
		return this.busy.get();
	}

	/** Messages dropped because the pending queue was full (slow consumer). */
	public long getDroppedCount() {
		Dispatcher current = this.dispatcher;
		return (current != null) ? current.getDroppedCount() : 0;
	}

	/**
	 * Messages received and not yet handed to the handler (bounded by the pending
	 * limits).
	 */
	public long getPendingMessages() {
		Dispatcher current = this.dispatcher;
		return (current != null) ? current.getPendingMessageCount() : 0;
	}

	/**
	 * The container whose subscription {@code consumer} is (the jnats {@link Consumer} an
	 * {@link io.nats.client.ErrorListener} reports as a slow consumer), while it runs.
	 */
	public static Optional<BusListenerContainer> forConsumer(Consumer consumer) {
		return (consumer != null) ? Optional.ofNullable(byConsumer.get(consumer)) : Optional.empty();
	}

	/** Whether the subscription is active. */
	public boolean isSubscribed() {
		Dispatcher current = this.dispatcher;
		return current != null && current.isActive();
	}

	/** The connection this listener subscribes on, once connected. */
	public Connection getConnection() {
		return this.connection;
	}

	/** Subscribes on the connection now. */
	synchronized void start(Connection connection) {
		if (this.stopping || this.dispatcher != null) {
			return;
		}
		this.connection = connection;
		if (this.endpoint.concurrency() > 1) {
			this.workers = newWorkers();
		}
		Dispatcher newDispatcher = connection.createDispatcher();
		newDispatcher.setPendingLimits(this.pendingMessageLimit, this.pendingByteLimit);
		byConsumer.put(newDispatcher, this);
		newDispatcher.subscribe(this.endpoint.subject(), this.endpoint.queue(), this::dispatch);
		this.dispatcher = newDispatcher;
		logger.debug("Listener '{}' subscribed to '{}' in queue group '{}' with concurrency {}", this.endpoint.id(),
				this.endpoint.subject(), this.endpoint.queue(), this.endpoint.concurrency());
	}

	/**
	 * Allows a stopped container to start again; until then a late connection does not
	 * subscribe it.
	 */
	synchronized void reopen() {
		this.stopping = false;
	}

	/**
	 * Subscribes once the connection exists, for pools that connect in the background.
	 */
	void startWhenConnected(CompletableFuture<Connection> connection) {
		connection.thenAccept(this::start);
	}

	private void dispatch(Message message) throws InterruptedException {
		ExecutorService pool = this.workers;
		if (pool == null) {
			invoke(message);
			return;
		}
		this.workersFree.acquire();
		try {
			pool.execute(() -> {
				try {
					invoke(message);
				}
				finally {
					this.workersFree.release();
				}
			});
		}
		catch (RuntimeException ex) {
			this.workersFree.release();
			throw ex;
		}
	}

	private void invoke(Message message) {
		this.busy.incrementAndGet();
		try {
			this.invoker.onMessage(message);
		}
		finally {
			this.busy.decrementAndGet();
		}
	}

	/**
	 * Stops taking messages and lets the ones already delivered finish: unsubscribes on
	 * the server, processes what is pending, then waits for running handlers, all within
	 * {@code timeout}. Returns whether everything finished in time.
	 */
	synchronized boolean stop(Duration timeout) {
		this.stopping = true;
		long deadline = System.nanoTime() + timeout.toNanos();
		boolean finished = true;
		Dispatcher current = this.dispatcher;
		if (current != null && current.isActive() && this.connection.getStatus() != Connection.Status.CONNECTED) {
			// A drain flushes, and a flush waits for a reconnect: with the server gone it
			// would
			// hold shutdown for the whole timeout. Nothing can be unsubscribed anyway.
			closeQuietly(current);
		}
		else if (current != null && current.isActive()) {
			try {
				finished = current.drain(timeout).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				finished = false;
			}
			catch (Exception ex) {
				logger.debug("Drain of listener '{}' did not complete: {}", this.endpoint.id(), ex.toString());
				finished = false;
			}
		}
		ExecutorService pool = this.workers;
		if (pool != null) {
			pool.shutdown();
			try {
				long remaining = Math.max(0, deadline - System.nanoTime());
				finished &= pool.awaitTermination(remaining, TimeUnit.NANOSECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				finished = false;
			}
		}
		if (current != null) {
			byConsumer.remove(current);
		}
		// Ready for a later start (context stop/start, checkpoint/restore) with a new
		// dispatcher.
		this.dispatcher = null;
		this.workers = null;
		if (!finished) {
			logger.warn("Listener '{}' still had work running after the drain timeout of {} ms", this.endpoint.id(),
					timeout.toMillis());
		}
		return finished;
	}

	private void closeQuietly(Dispatcher current) {
		try {
			this.connection.closeDispatcher(current);
		}
		catch (RuntimeException ex) {
			logger.debug("Closing the dispatcher of listener '{}' failed: {}", this.endpoint.id(), ex.toString());
		}
	}

	private ExecutorService newWorkers() {
		int concurrency = this.endpoint.concurrency();
		AtomicInteger count = new AtomicInteger();
		// The semaphore admits at most `concurrency` tasks, so the queue never holds more
		// than that.
		return new ThreadPoolExecutor(concurrency, concurrency, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
				runnable -> {
					Thread thread = new Thread(runnable,
							"natsbus-" + this.endpoint.id() + "-" + count.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
	}

}
