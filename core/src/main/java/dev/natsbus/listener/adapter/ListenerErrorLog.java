package dev.natsbus.listener.adapter;

import java.time.Duration;

import dev.natsbus.support.LogThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs listener failures without letting a flood of bad messages flood the log: at most
 * one line per interval and kind, with the count of those left out since the last line.
 */
final class ListenerErrorLog {

	private static final Logger logger = LoggerFactory.getLogger(ListenerErrorLog.class);

	private static final Duration INTERVAL = Duration.ofSeconds(10);

	private enum Kind {

		UNREADABLE, FAILED, EXPIRED

	}

	private final String listenerId;

	private final LogThrottle throttle = new LogThrottle(INTERVAL);

	ListenerErrorLog(String listenerId) {
		this.listenerId = listenerId;
	}

	void unreadableRequest(String subject, Throwable ex) {
		long heldBack = this.throttle.tryAcquire(Kind.UNREADABLE);
		if (heldBack >= 0) {
			logger.warn("Listener '{}' could not read a request on '{}' and answered 400: {}{}", this.listenerId,
					subject, ex.getMessage(), LogThrottle.heldBack(heldBack));
		}
	}

	void handlerFailed(String subject, Throwable ex) {
		long heldBack = this.throttle.tryAcquire(Kind.FAILED);
		if (heldBack >= 0) {
			logger.error("Listener '{}' failed on a message on '{}'{}", this.listenerId, subject,
					LogThrottle.heldBack(heldBack), ex);
		}
	}

	void expired(String subject) {
		long heldBack = this.throttle.tryAcquire(Kind.EXPIRED);
		if (heldBack >= 0) {
			logger.info("Listener '{}' skipped a request on '{}' whose caller's deadline had passed{}", this.listenerId,
					subject, LogThrottle.heldBack(heldBack));
		}
	}

}
