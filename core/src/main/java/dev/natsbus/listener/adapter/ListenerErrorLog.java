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

	/**
	 * The caller got the text in the caller's terms; the log adds the reader's own reason
	 * for the operator.
	 */
	void unreadableRequest(String subject, Throwable ex) {
		long heldBack = this.throttle.tryAcquire(Kind.UNREADABLE);
		if (heldBack >= 0) {
			logger.warn("Listener '{}' could not read a request on '{}' and answered 400: {} (cause: {}){}",
					this.listenerId, subject, ex.getMessage(), rootCause(ex), LogThrottle.heldBack(heldBack));
		}
	}

	void handlerFailed(String subject, Throwable ex) {
		long heldBack = this.throttle.tryAcquire(Kind.FAILED);
		if (heldBack >= 0) {
			logger.error("Listener '{}' failed on a message on '{}'{}", this.listenerId, subject,
					LogThrottle.heldBack(heldBack), ex);
		}
	}

	/**
	 * A failure whose reply names {@code errorId}. The line with the stack trace repeats
	 * the id; failures of the same exception type held back by the rate limit are logged
	 * at DEBUG with theirs, so that every id the callers see can be found with DEBUG on.
	 */
	void handlerFailed(String subject, String errorId, Throwable ex) {
		// One line per kind of exception, so that a flood of one failure does not hide
		// the stack trace of another.
		long heldBack = this.throttle.tryAcquire(ex.getClass());
		if (heldBack >= 0) {
			logger.error("Listener '{}' failed on a message on '{}' (error id {}){}", this.listenerId, subject, errorId,
					LogThrottle.heldBack(heldBack), ex);
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Listener '{}' failed on a message on '{}' (error id {})", this.listenerId, subject, errorId,
					ex);
		}
	}

	private static String rootCause(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return cause.toString();
	}

	void expired(String subject) {
		long heldBack = this.throttle.tryAcquire(Kind.EXPIRED);
		if (heldBack >= 0) {
			logger.info("Listener '{}' skipped a request on '{}' whose caller's deadline had passed{}", this.listenerId,
					subject, LogThrottle.heldBack(heldBack));
		}
	}

}
