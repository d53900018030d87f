package dev.natsbus.listener;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messages delivered to one listener and not yet handed to its handler, and the
 * budget of invocations that may run at once. A shared dispatcher thread only
 * {@linkplain #deliver adds} to it and never waits, so a listener whose budget is used up
 * delays no other listener of that dispatcher. Up to {@code concurrency} workers take
 * messages off in order; past the pending limits a message is dropped, counted and
 * reported to the connection's {@link ErrorListener} as a slow consumer, on the
 * connection's callback executor, as jnats does for a dispatcher of its own, so that the
 * pending queue stays bounded.
 * <p>
 * It is a jnats {@link io.nats.client.Consumer} so that slow-consumer reports name it and
 * tools that read pending and dropped counts of consumers read the listener's own.
 */
final class DeliveryQueue implements io.nats.client.Consumer {

	private static final Logger logger = LoggerFactory.getLogger(DeliveryQueue.class);

	private final String listenerId;

	private final int concurrency;

	private final Executor workers;

	private final java.util.function.Consumer<Message> handler;

	private final Connection connection;

	private final ConcurrentLinkedQueue<Message> pending = new ConcurrentLinkedQueue<>();

	private final AtomicLong pendingMessages = new AtomicLong();

	private final AtomicLong pendingBytes = new AtomicLong();

	private final AtomicLong delivered = new AtomicLong();

	private final AtomicLong dropped = new AtomicLong();

	private final AtomicBoolean slow = new AtomicBoolean();

	/** Workers taking messages off now, never more than {@link #concurrency}. */
	private final AtomicInteger active = new AtomicInteger();

	/** Threads waiting in {@link #awaitIdle}, so that workers notify only when needed. */
	private final AtomicInteger idleWaiters = new AtomicInteger();

	private volatile long messageLimit;

	private volatile long byteLimit;

	DeliveryQueue(String listenerId, int concurrency, Executor workers, java.util.function.Consumer<Message> handler,
			Connection connection, long messageLimit, long byteLimit) {
		this.listenerId = listenerId;
		this.concurrency = concurrency;
		this.workers = workers;
		this.handler = handler;
		this.connection = connection;
		this.messageLimit = messageLimit;
		this.byteLimit = byteLimit;
	}

	/** Takes a message from the dispatcher thread; never blocks. */
	void deliver(Message message) {
		long bytes = message.consumeByteCount();
		if (reachedLimits()) {
			this.dropped.incrementAndGet();
			if (this.slow.compareAndSet(false, true)) {
				reportSlowConsumer();
			}
			return;
		}
		this.slow.set(false);
		this.pendingMessages.incrementAndGet();
		this.pendingBytes.addAndGet(bytes);
		this.pending.add(message);
		startWorkerIfAllowed();
	}

	private boolean reachedLimits() {
		long messages = this.messageLimit;
		long bytes = this.byteLimit;
		return (messages > 0 && this.pendingMessages.get() >= messages)
				|| (bytes > 0 && this.pendingBytes.get() >= bytes);
	}

	private void startWorkerIfAllowed() {
		while (!this.pending.isEmpty()) {
			int running = this.active.get();
			if (running >= this.concurrency) {
				// A worker that finishes looks again, so nothing is left behind.
				return;
			}
			if (this.active.compareAndSet(running, running + 1)) {
				try {
					this.workers.execute(this::work);
				}
				catch (RuntimeException ex) {
					this.active.decrementAndGet();
					logger.warn("Listener '{}' could not start a worker: {}", this.listenerId, ex.toString());
				}
				return;
			}
		}
	}

	private void work() {
		try {
			Message message;
			while ((message = take()) != null) {
				invoke(message);
			}
		}
		finally {
			this.active.decrementAndGet();
		}
		// A message added after the last take and before the decrement found the budget
		// full.
		startWorkerIfAllowed();
		if (this.idleWaiters.get() > 0) {
			synchronized (this) {
				notifyAll();
			}
		}
	}

	private Message take() {
		Message message = this.pending.poll();
		if (message != null) {
			this.pendingMessages.decrementAndGet();
			this.pendingBytes.addAndGet(-message.consumeByteCount());
			this.delivered.incrementAndGet();
		}
		return message;
	}

	private void invoke(Message message) {
		try {
			this.handler.accept(message);
		}
		catch (RuntimeException ex) {
			logger.warn("Listener '{}' failed outside its error handling", this.listenerId, ex);
		}
	}

	/**
	 * Hands the report to the connection's callback executor, where jnats reports its own
	 * slow consumers: the error listener is user code and may block, and on the shared
	 * dispatcher thread it would stall every listener of that dispatcher.
	 */
	private void reportSlowConsumer() {
		ErrorListener errorListener = this.connection.getOptions().getErrorListener();
		if (errorListener == null || this.connection.getStatus() == Connection.Status.CLOSED) {
			return;
		}
		try {
			this.connection.getOptions().getCallbackExecutor().execute(() -> {
				try {
					errorListener.slowConsumerDetected(this.connection, this);
				}
				catch (RuntimeException ex) {
					logger.debug("The error listener failed on a slow consumer report: {}", ex.toString());
				}
			});
		}
		catch (RejectedExecutionException ex) {
			logger.debug("Listener '{}' is a slow consumer; the connection is closing: {}", this.listenerId,
					ex.toString());
		}
	}

	/** Whether nothing is pending and no worker runs. */
	boolean isIdle() {
		return this.active.get() == 0 && this.pending.isEmpty();
	}

	/**
	 * Waits until every pending message is handled, or {@code deadlineNanos}
	 * ({@link System#nanoTime}) passes; returns whether it is.
	 */
	boolean awaitIdle(long deadlineNanos) throws InterruptedException {
		this.idleWaiters.incrementAndGet();
		try {
			synchronized (this) {
				while (!isIdle()) {
					long remaining = deadlineNanos - System.nanoTime();
					if (remaining <= 0) {
						return false;
					}
					// Bounded slices: a worker of an executor that was shut down never
					// notifies.
					TimeUnit.NANOSECONDS.timedWait(this, Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(50)));
				}
				return true;
			}
		}
		finally {
			this.idleWaiters.decrementAndGet();
		}
	}

	@Override
	public void setPendingLimits(long maxMessages, long maxBytes) {
		this.messageLimit = maxMessages;
		this.byteLimit = maxBytes;
	}

	@Override
	public long getPendingMessageLimit() {
		return this.messageLimit;
	}

	@Override
	public long getPendingByteLimit() {
		return this.byteLimit;
	}

	@Override
	public long getPendingMessageCount() {
		return this.pendingMessages.get();
	}

	@Override
	public long getPendingByteCount() {
		return this.pendingBytes.get();
	}

	@Override
	public long getDeliveredCount() {
		return this.delivered.get();
	}

	@Override
	public long getDroppedCount() {
		return this.dropped.get();
	}

	@Override
	public void clearDroppedCount() {
		this.dropped.set(0);
	}

	@Override
	public boolean isActive() {
		return true;
	}

	/**
	 * Not supported: the container drains a listener through its subscription.
	 * @throws UnsupportedOperationException always
	 */
	@Override
	public CompletableFuture<Boolean> drain(Duration timeout) {
		throw new UnsupportedOperationException(
				"Drain listener '" + this.listenerId + "' through its container (pause or stop), not its queue");
	}

	@Override
	public String toString() {
		return "DeliveryQueue[" + this.listenerId + ", " + this.pendingMessages.get() + " pending]";
	}

}
