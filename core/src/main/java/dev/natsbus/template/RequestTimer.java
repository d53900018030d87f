package dev.natsbus.template;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Makes asynchronous request timeouts exact. jnats only sweeps expired request futures
 * every {@code requestCleanupInterval} (5 s by default), so a timeout would fire up to
 * that late.
 * <p>
 * One daemon thread, started with the first request that needs it, sweeps the
 * {@link InFlightRequests} every {@value #TICK_MILLIS} ms while any of them has a
 * timeout, and parks while none has. A request costs nothing here beyond the entry the
 * in-flight bookkeeping makes anyway: no task, no lock, no cancellation when its reply
 * arrives, which a {@code ScheduledThreadPoolExecutor} would all need per request on a
 * path that runs hundreds of thousands of times a second. A timeout fires up to one tick
 * late.
 */
final class RequestTimer implements AutoCloseable {

	static final long TICK_MILLIS = 5;

	private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);

	private final InFlightRequests requests;

	private final Thread thread;

	private volatile boolean started;

	private volatile boolean idle;

	private volatile boolean closed;

	RequestTimer(ThreadFactory threads, InFlightRequests requests) {
		this.requests = requests;
		this.thread = threads.newThread(this::run);
	}

	/**
	 * Tells the timer that a request with a timeout was added to the in-flight requests.
	 */
	void watch() {
		if (!this.started) {
			start();
		}
		// Not "else": a caller that found the thread starting may only get here once it
		// has
		// swept and gone idle without this request.
		if (this.idle) {
			LockSupport.unpark(this.thread);
		}
	}

	private synchronized void start() {
		if (!this.started && !this.closed) {
			this.thread.start();
			this.started = true;
		}
	}

	private void run() {
		while (!this.closed) {
			// An interrupt would make every park return at once; only close() stops this
			// thread.
			Thread.interrupted();
			if (this.requests.expireOverdue() > 0) {
				LockSupport.parkNanos(this, TICK_NANOS);
				continue;
			}
			// Going idle: a request added after the sweep either sees idle and unparks
			// this
			// thread, or was added before idle was set and is found by this second sweep.
			this.idle = true;
			if (this.requests.expireOverdue() == 0) {
				LockSupport.park(this);
			}
			this.idle = false;
		}
	}

	@Override
	public synchronized void close() {
		this.closed = true;
		LockSupport.unpark(this.thread);
	}

}
