package dev.natsbus.listener;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.natsbus.listener.adapter.BusMessageListenerAdapter;
import dev.natsbus.listener.adapter.EndpointStats;
import dev.natsbus.support.BusTaskExecutors;
import io.nats.client.Connection;
import io.nats.client.Consumer;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Subscription;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.task.TaskExecutor;

/**
 * Runs one listener: a subscription in the listener's queue group (or in none, for a
 * broadcast listener) on one of a few jnats dispatchers that the listeners of a
 * connection share, handing each message to the {@link BusMessageListenerAdapter}.
 * <p>
 * Concurrency model: at most {@code concurrency} invocations run at once, and that many
 * under load. The shared dispatcher thread never runs a handler and never waits: it adds
 * each message to the listener's own {@link DeliveryQueue}, from which up to
 * {@code concurrency} workers take them in order, so that a slow listener never delays
 * another. Workers come from the listener's executor of the {@link BusTaskExecutors} or,
 * where those give none (concurrency 1 on platform threads), from a pool that the
 * listeners of the factory share, whose threads end when idle. The alternative, N
 * subscriptions in the queue group, was rejected because the server spreads messages over
 * queue members at random, so busy members queue work while others idle (the benchmarks'
 * concurrency scenario measures both). While all workers are busy, messages wait in the
 * delivery queue, bounded by the pending limits; past them they are dropped, counted and
 * reported as a slow consumer, so memory stays bounded. A listener that would run on its
 * dispatcher's thread may get a dispatcher that no other listener joins (see
 * {@link SharedDispatchers}); it then runs there without a hand-off, messages wait in
 * that dispatcher's queue under the same limits, and jnats reports the slow consumer.
 * <p>
 * {@linkplain #pause Pausing} unsubscribes after the messages already delivered are
 * handled; while paused, the other members of the queue group take this instance's share,
 * and without any a request gets no responders at once. {@linkplain #resume Resuming}
 * subscribes again. Neither touches the shared dispatcher or other listeners.
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

	private final SharedDispatchers dispatchers;

	private final Executor sharedWorkers;

	private final AtomicInteger busy = new AtomicInteger();

	private volatile State state = State.STOPPED;

	private volatile @Nullable TaskExecutor workers;

	private volatile @Nullable Connection connection;

	private volatile @Nullable Subscription subscription;

	/** The listener's own dispatcher, when it shares none. */
	private volatile @Nullable Dispatcher exclusive;

	private volatile @Nullable DeliveryQueue deliveries;

	/**
	 * Increases at every start, so that a connection that arrives after a later stop
	 * subscribes nothing.
	 */
	private int generation;

	BusListenerContainer(BusListenerEndpoint endpoint, @Nullable String queue, int concurrency,
			long pendingMessageLimit, long pendingByteLimit, BusMessageListenerAdapter adapter,
			BusTaskExecutors taskExecutors, SharedDispatchers dispatchers, Executor sharedWorkers) {
		this.endpoint = endpoint;
		this.queue = queue;
		this.concurrency = concurrency;
		this.pendingMessageLimit = pendingMessageLimit;
		this.pendingByteLimit = pendingByteLimit;
		this.adapter = adapter;
		this.taskExecutors = taskExecutors;
		this.dispatchers = dispatchers;
		this.sharedWorkers = sharedWorkers;
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
		Dispatcher own = this.exclusive;
		if (own != null) {
			return own.getDroppedCount();
		}
		DeliveryQueue current = this.deliveries;
		return (current != null) ? current.getDroppedCount() : 0;
	}

	/**
	 * Messages received and not yet handed to the handler (bounded by the pending
	 * limits).
	 */
	public long getPendingMessages() {
		Dispatcher own = this.exclusive;
		if (own != null) {
			return own.getPendingMessageCount();
		}
		DeliveryQueue current = this.deliveries;
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
		Subscription current = this.subscription;
		return current != null && current.isActive();
	}

	/**
	 * Whether {@code consumer} (as an {@code ErrorListener} reports it) is this
	 * listener's subscription or its queue of pending messages.
	 */
	public boolean isConsumer(@Nullable Consumer consumer) {
		return consumer != null
				&& (consumer == this.deliveries || consumer == this.subscription || consumer == this.exclusive);
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
		TaskExecutor own = this.workers;
		DeliveryQueue queued = new DeliveryQueue(getId(), this.concurrency, (own != null) ? own : this.sharedWorkers,
				this::invoke, current, this.pendingMessageLimit, this.pendingByteLimit);
		this.deliveries = queued;
		// Without an executor of its own the listener would run on the dispatcher thread:
		// on a dispatcher of its own it may, without a hand-off.
		SharedDispatchers.Lease lease = this.dispatchers.subscribe(current, getSubject(), this.queue, queued::deliver,
				(own == null) ? this::invoke : null, this.pendingMessageLimit, this.pendingByteLimit);
		this.subscription = lease.subscription();
		this.exclusive = lease.exclusive();
		this.state = State.RUNNING;
		logger.debug("Listener '{}' subscribed to '{}' {} with concurrency {}", getId(), getSubject(),
				(this.queue != null) ? "in queue group '" + this.queue + "'" : "for broadcast", this.concurrency);
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
		Subscription current = this.subscription;
		Dispatcher own = this.exclusive;
		boolean finished = (own != null) ? drainOwn(own, timeout) : drain(current, timeout);
		finished &= awaitDelivered(deadline);
		this.subscription = null;
		this.exclusive = null;
		if (current != null) {
			this.dispatchers.release(current);
		}
		if (!finished) {
			logger.warn("Listener '{}' still had work running after the drain timeout of {} ms", getId(),
					timeout.toMillis());
		}
		return finished;
	}

	/**
	 * Unsubscribes on the server and waits until everything it sent before is in the
	 * delivery queue; the shared dispatcher and the other listeners on it carry on.
	 * jnats' drain of one subscription would end it in the client right after its flush,
	 * and the dispatcher would skip its messages still queued behind other listeners'
	 * ones; so the subscription ends in the client only once a marker sent after the
	 * flush has come through the dispatcher.
	 */
	private boolean drain(@Nullable Subscription current, Duration timeout) {
		Connection connected = this.connection;
		if (current == null || !current.isActive() || connected == null) {
			return true;
		}
		if (connected.getStatus() != Connection.Status.CONNECTED) {
			// A drain flushes, and a flush waits for a reconnect: with the server gone it
			// would hold shutdown for the whole timeout. Nothing can be unsubscribed
			// anyway.
			unsubscribeQuietly(current);
			return true;
		}
		if (!ServerUnsubscribe.send(connected, current)) {
			return drainWithJnats(current, timeout);
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		try {
			// Once the server answers the flush it has sent every message of this
			// subscription, and the reader has queued them in the dispatcher before the
			// answer.
			connected.flush(timeout);
			Duration remaining = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
			return DispatcherMarker.await(connected, current.getDispatcher(), remaining);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		catch (Exception ex) {
			logger.debug("Drain of listener '{}' did not complete: {}", getId(), ex.toString());
			return false;
		}
		finally {
			unsubscribeQuietly(current);
		}
	}

	private boolean drainWithJnats(Subscription current, Duration timeout) {
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

	/** Drains a dispatcher that carries this listener only, as jnats drains any. */
	private boolean drainOwn(Dispatcher own, Duration timeout) {
		Connection connected = this.connection;
		if (!own.isActive() || connected == null) {
			return true;
		}
		if (connected.getStatus() != Connection.Status.CONNECTED) {
			// As above: nothing can be unsubscribed, and a flush would wait for a
			// reconnect.
			return true;
		}
		try {
			return own.drain(timeout).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
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

	/** Waits until the delivery queue is empty and no handler runs. */
	private boolean awaitDelivered(long deadline) {
		DeliveryQueue current = this.deliveries;
		try {
			return current == null || current.awaitIdle(deadline);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private void unsubscribeQuietly(Subscription current) {
		try {
			Dispatcher dispatcher = current.getDispatcher();
			if (dispatcher != null && current.isActive()) {
				dispatcher.unsubscribe(current);
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Unsubscribing listener '{}' failed: {}", getId(), ex.toString());
		}
	}

	@Override
	public String toString() {
		return "BusListenerContainer[" + getId() + " on '" + getSubject() + "' "
				+ ((this.queue != null) ? "in '" + this.queue + "'" : "broadcast") + ", " + this.state + "]";
	}

}
