package dev.natsbus.support;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets one log line per interval and key through, and counts the ones it holds back, so
 * that a flood of the same failure (bad messages, a reconnect loop, a slow consumer) does
 * not flood the log but still says how many there were.
 */
public final class LogThrottle {

	/**
	 * Keys are few (kinds of failure, connections, listeners); past this many the oldest
	 * state is dropped.
	 */
	private static final int MAX_KEYS = 1024;

	private final long intervalNanos;

	private final Map<Object, Window> windows = new ConcurrentHashMap<>();

	public LogThrottle(Duration interval) {
		this.intervalNanos = interval.toNanos();
	}

	/**
	 * Whether a line for {@code key} may be logged now.
	 * @return the number of lines held back for {@code key} since the last one that was
	 * let through, or {@code -1} when this one must be held back too
	 */
	public long tryAcquire(Object key) {
		Window window = this.windows.get(key);
		if (window == null) {
			if (this.windows.size() >= MAX_KEYS) {
				this.windows.clear();
			}
			window = this.windows.computeIfAbsent(key, (k) -> new Window());
		}
		return window.tryAcquire(this.intervalNanos);
	}

	/**
	 * A suffix for a line let through after {@code heldBack} were held back, or an empty
	 * string.
	 */
	public static String heldBack(long heldBack) {
		return (heldBack > 0) ? " (" + heldBack + " more like it since the last report)" : "";
	}

	private static final class Window {

		private final AtomicLong nextAt = new AtomicLong(Long.MIN_VALUE);

		private final AtomicLong heldBack = new AtomicLong();

		long tryAcquire(long intervalNanos) {
			long now = System.nanoTime();
			long next = this.nextAt.get();
			if ((next == Long.MIN_VALUE || now - next >= 0) && this.nextAt.compareAndSet(next, now + intervalNanos)) {
				return this.heldBack.getAndSet(0);
			}
			this.heldBack.incrementAndGet();
			return -1;
		}

	}

}
