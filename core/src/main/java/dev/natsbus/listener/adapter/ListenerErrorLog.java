package dev.natsbus.listener.adapter;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs listener failures without letting a flood of bad messages flood the log: at most
 * one line per interval and kind, with the count of those left out since the last line.
 */
final class ListenerErrorLog {

	private static final Logger logger = LoggerFactory.getLogger(ListenerErrorLog.class);

	private static final long INTERVAL_NANOS = 10_000_000_000L;

	private final String listenerId;

	private final Window unreadable = new Window();

	private final Window failed = new Window();

	private final Window expired = new Window();

	ListenerErrorLog(String listenerId) {
		this.listenerId = listenerId;
	}

	void unreadableRequest(String subject, Throwable ex) {
		long suppressed = this.unreadable.tryLog();
		if (suppressed >= 0) {
			logger.warn("Listener '{}' could not read a request on '{}' and answered 400: {}{}", this.listenerId,
					subject, ex.getMessage(), suffix(suppressed));
		}
	}

	void handlerFailed(String subject, Throwable ex) {
		long suppressed = this.failed.tryLog();
		if (suppressed >= 0) {
			logger.error("Listener '{}' failed on a message on '{}'{}", this.listenerId, subject, suffix(suppressed),
					ex);
		}
	}

	void expired(String subject) {
		long suppressed = this.expired.tryLog();
		if (suppressed >= 0) {
			logger.info("Listener '{}' skipped a request on '{}' whose caller's deadline had passed{}", this.listenerId,
					subject, suffix(suppressed));
		}
	}

	private static String suffix(long suppressed) {
		return (suppressed > 0) ? " (" + suppressed + " more like it since the last report)" : "";
	}

	/** Counts events and lets one through per interval. */
	private static final class Window {

		private final AtomicLong nextLogAt = new AtomicLong(Long.MIN_VALUE);

		private final AtomicLong suppressed = new AtomicLong();

		/**
		 * The number suppressed since the last line if this event may be logged, else -1.
		 */
		long tryLog() {
			long now = System.nanoTime();
			long next = this.nextLogAt.get();
			if ((next == Long.MIN_VALUE || now - next >= 0)
					&& this.nextLogAt.compareAndSet(next, now + INTERVAL_NANOS)) {
				return this.suppressed.getAndSet(0);
			}
			this.suppressed.incrementAndGet();
			return -1;
		}

	}

}
