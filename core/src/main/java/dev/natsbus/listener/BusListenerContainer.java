package dev.natsbus.listener;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.natsbus.listener.adapter.BusMessageListenerAdapter;
import dev.natsbus.listener.adapter.EndpointStats;
import dev.natsbus.support.BusTaskExecutors;
import io.nats.client.Connection;
import io.nats.client.Consumer;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.task.TaskExecutor;

/**
 * Runs one listener: a subscription in the listener's queue group (or in none, for a
 * broadcast listener) on its own jnats {@link Dispatcher}, so that a slow listener never
 * delays another, handing each message to the {@link BusMessageListenerAdapter}.
 * <p>
 * Concurrency model: at most {@code concurrency} invocations run at once, and that many
 * under load. Where the {@link BusTaskExecutors} give no executor (concurrency 1 on
 * platform threads) the handler runs on the dispatcher thread itself, with no hand-off at
 * all. Otherwise the dispatcher hands each message to the listener's executor and blocks
 * while all permits are taken. The alternative, N subscriptions in the queue group, was
 * rejected because the server spreads messages over queue members at random, so busy
 * members queue work while others idle (the benchmarks' concurrency scenario measures
 * both). While the dispatcher is blocked, messages wait in the subscription's bounded
 * pending queue; past its limits jnats drops them and reports a slow consumer, so memory
 * stays bounded.
 * <p>
 * {@linkplain #pause Pausing} unsubscribes after the messages already delivered are
 * handled (nothing delivered is lost); while paused, the other members of the queue group
 * take this instance's share, and without any a request gets no responders at once.
 * {@linkplain #resume Resuming} subscribes again.
 */
public final class BusListenerContainer {

	/** Where a container is in its life. */
	public enum State {

		/** Not subscribed: not started yet, or stopped. */
		STOPPED,

		/** Started, waiting for its connection to be established. */
		STARTING,

		/** Subscribed and taking messages. */
		RUNNING,

		/** Started but not taking messages: unsubscribed until resumed. */
		PAUSED

	}

	private static final Logger logger = LoggerFactory.getLogger(BusListenerContainer.class);

	private final BusListenerEndpoint endpoint;

	private final @Nullable String queue;

	private final int concurrency;

	private final long pendingMessageLimit;

	private final long pendingByteLimit;

	private final BusMessageListenerAdapter adapter;

	private final BusTaskExecutors taskExecutors;

	private final Semaphore permits;

	private final AtomicInteger busy = new AtomicInteger();

	private volatile State state = State.STOPPED;

	private volatile @Nullable TaskExecutor workers;

	private volatile @Nullable Connection connection;

	private volatile @Nullable Dispatcher dispatcher;

	/**
	 * Increases at every start, so that a connection that arrives after a later stop
	 * subscribes nothing.
	 */
	private int generation;

	BusListenerContainer(BusListenerEndpoint endpoint, @Nullable String queue, int concurrency,
			long pendingMessageLimit, long pendingByteLimit, BusMessageListenerAdapter adapter,
			BusTaskExecutors taskExecutors) {
		this.endpoint = endpoint;
		this.queue = queue;
		this.concurrency = concurrency;
		this.pendingMessageLimit = pendingMessageLimit;
		this.pendingByteLimit = pendingByteLimit;
		this.adapter = adapter;
		this.taskExecutors = taskExecutors;
		this.permits = new Semaphore(concurrency);
	}

	public BusListenerEndpoint getEndpoint() {
		return this.endpoint;
	}

	/** The listener's id. */
	public String getId() {
		return this.endpoint.getId();
	}

	/** The subject it subscribes to, possibly with wildcards. */
	public String getSubject() {
		return this.endpoint.getSubject();
	}

	/** The queue group it subscribes in, or {@code null} for a broadcast listener. */
	public @Nullable String getQueue() {
		return this.queue;
	}

	/**
	 * Whether it subscribes in no queue group, so that every instance gets every message.
	 */
	public boolean isBroadcast() {
		return this.queue == null;
	}

	/** The most invocations that run at once. */
	public int getConcurrency() {
		return this.concurrency;
	}

	public State getState() {
		return this.state;
	}

	/**
	 * What this listener has done: requests, errors, processing time, skipped expired
	 * requests.
	 */
	public EndpointStats getStats() {
		return this.adapter.getStats();
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
	 * Waits until the replies that asynchronous results owe are out, or {@code timeout}
	 * passes.
	 */
	boolean awaitAsyncReplies(Duration timeout) throws InterruptedException {
		return this.adapter.getAsyncReplies().awaitNone(timeout);
	}

	/** Replies that asynchronous results of this listener still owe. */
	int getAsyncRepliesPending() {
		return this.adapter.getAsyncReplies().pending();
	}

	/** Whether the subscription is active. */
	public boolean isSubscribed() {
		Dispatcher current = this.dispatcher;
		return current != null && current.isActive();
	}

	/**
	 * Whether {@code consumer} (as an {@code ErrorListener} reports it) is this
	 * listener's subscription.
	 */
	public boolean isConsumer(@Nullable Consumer consumer) {
		return consumer != null && consumer == this.dispatcher;
	}

	/** The connection this listener subscribes on, once connected. */
	public @Nullable Connection getConnection() {
		return this.connection;
	}

	/** Subscribes once {@code connection} is established, at once when it already is. */
	synchronized void start(CompletableFuture<Connection> connection) {
		if (this.state != State.STOPPED) {
			return;
		}
		this.state = State.STARTING;
		int startedAs = ++this.generation;
		if (connection.isDone() && !connection.isCompletedExceptionally()) {
			subscribe(connection.join(), startedAs);
		}
		else {
			connection.thenAccept((established) -> subscribe(established, startedAs));
		}
	}

	private synchronized void subscribe(Connection connection, int startedAs) {
		if (this.state != State.STARTING || startedAs != this.generation) {
			return;
		}
		this.connection = connection;
		this.workers = this.taskExecutors.listenerExecutor(getId(), this.concurrency);
		subscribe();
	}

	private void subscribe() {
		Connection current = this.connection;
		Dispatcher newDispatcher = current.createDispatcher();
		newDispatcher.setPendingLimits(this.pendingMessageLimit, this.pendingByteLimit);
		this.dispatcher = newDispatcher;
		if (this.queue != null) {
			newDispatcher.subscribe(getSubject(), this.queue, this::dispatch);
		}
		else {
			newDispatcher.subscribe(getSubject(), this::dispatch);
		}
		this.state = State.RUNNING;
		logger.debug("Listener '{}' subscribed to '{}' {} with concurrency {}", getId(), getSubject(),
				(this.queue != null) ? "in queue group '" + this.queue + "'" : "for broadcast", this.concurrency);
	}

	private void dispatch(Message message) throws InterruptedException {
		TaskExecutor executor = this.workers;
		if (executor == null) {
			invoke(message);
			return;
		}
		this.permits.acquire();
		try {
			executor.execute(() -> {
				try {
					invoke(message);
				}
				finally {
					this.permits.release();
				}
			});
		}
		catch (RuntimeException ex) {
			this.permits.release();
			throw ex;
		}
	}

	private void invoke(Message message) {
		this.busy.incrementAndGet();
		try {
			this.adapter.onMessage(message);
		}
		finally {
			this.busy.decrementAndGet();
		}
	}

	/**
	 * Stops taking messages and lets the ones already delivered finish: unsubscribes on
	 * the server, hands on what is pending, then waits for running handlers, all within
	 * {@code timeout}. Returns whether everything finished in time.
	 */
	synchronized boolean pause(Duration timeout) {
		if (this.state != State.RUNNING) {
			return true;
		}
		boolean finished = unsubscribe(timeout);
		this.state = State.PAUSED;
		return finished;
	}

	/** Subscribes again after {@link #pause}. */
	synchronized void resume() {
		if (this.state == State.PAUSED && this.connection != null) {
			subscribe();
		}
	}

	/**
	 * Stops taking messages and lets the ones already delivered finish, as {@link #pause}
	 * does, then releases the workers. A later start subscribes again.
	 */
	synchronized boolean stop(Duration timeout) {
		boolean finished = (this.state == State.RUNNING) ? unsubscribe(timeout) : true;
		this.state = State.STOPPED;
		TaskExecutor executor = this.workers;
		this.workers = null;
		BusTaskExecutors.release(executor);
		return finished;
	}

	private boolean unsubscribe(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		boolean finished = drain(timeout);
		if (this.workers != null) {
			finished &= awaitWorkers(deadline);
		}
		this.dispatcher = null;
		if (!finished) {
			logger.warn("Listener '{}' still had work running after the drain timeout of {} ms", getId(),
					timeout.toMillis());
		}
		return finished;
	}

	private boolean drain(Duration timeout) {
		Dispatcher current = this.dispatcher;
		Connection connected = this.connection;
		if (current == null || !current.isActive() || connected == null) {
			return true;
		}
		if (connected.getStatus() != Connection.Status.CONNECTED) {
			// A drain flushes, and a flush waits for a reconnect: with the server gone it
			// would
			// hold shutdown for the whole timeout. Nothing can be unsubscribed anyway.
			closeQuietly(connected, current);
			return true;
		}
		try {
			return current.drain(timeout).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		catch (Exception ex) {
			logger.debug("Drain of listener '{}' did not complete: {}", getId(), ex.toString());
			return false;
		}
	}

	/** Waits until every permit is free again, that is until no handler runs. */
	private boolean awaitWorkers(long deadline) {
		try {
			long remaining = Math.max(0, deadline - System.nanoTime());
			if (this.permits.tryAcquire(this.concurrency, remaining, TimeUnit.NANOSECONDS)) {
				this.permits.release(this.concurrency);
				return true;
			}
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private void closeQuietly(Connection connected, Dispatcher current) {
		try {
			connected.closeDispatcher(current);
		}
		catch (RuntimeException ex) {
			logger.debug("Closing the dispatcher of listener '{}' failed: {}", getId(), ex.toString());
		}
	}

	@Override
	public String toString() {
		return "BusListenerContainer[" + getId() + " on '" + getSubject() + "' "
				+ ((this.queue != null) ? "in '" + this.queue + "'" : "broadcast") + ", " + this.state + "]";
	}

}
