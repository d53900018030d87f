package dev.natsbus.listener.adapter;

import dev.natsbus.BusServiceException;
import dev.natsbus.protocol.ServiceErrors;
import io.nats.client.NUID;

/**
 * The one rule for what an error reply says, safe by default: a
 * {@link BusServiceException} is answered with its own code and text, which the handler
 * chose; a request that could not be read with 400 and a text in the caller's terms
 * ({@link UnreadableRequestException}); anything else with 500 and a text that names only
 * the listener and an error id, which the listener's log line repeats next to the stack
 * trace, so that internal details never leave the service while an operator can still
 * find them. Full exception messages go out only when they are
 * {@linkplain #setIncludeMessages included}.
 */
final class ErrorReplies {

	private final String listenerId;

	private final ListenerErrorLog errorLog;

	private volatile boolean includeMessages;

	ErrorReplies(String listenerId, ListenerErrorLog errorLog) {
		this.listenerId = listenerId;
		this.errorLog = errorLog;
	}

	/** Whether 500 replies carry the exception's message (off by default). */
	void setIncludeMessages(boolean includeMessages) {
		this.includeMessages = includeMessages;
	}

	/** The code and text that answer {@code ex}, logged as the operator needs it. */
	ErrorReply of(String subject, Throwable ex) {
		if (ex instanceof BusServiceException serviceException) {
			return new ErrorReply(serviceException.getCode(), serviceException.getMessage());
		}
		if (ex instanceof UnreadableRequestException) {
			this.errorLog.unreadableRequest(subject, ex);
			return new ErrorReply(ServiceErrors.BAD_REQUEST, ex.getMessage());
		}
		String errorId = NUID.nextGlobal();
		this.errorLog.handlerFailed(subject, errorId, ex);
		if (this.includeMessages) {
			String message = (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getName();
			return new ErrorReply(ServiceErrors.INTERNAL_ERROR, message + " (error id " + errorId + ")");
		}
		return new ErrorReply(ServiceErrors.INTERNAL_ERROR,
				"Listener '" + this.listenerId + "' failed (error id " + errorId + ")");
	}

	/**
	 * An error reply's code and text.
	 *
	 * @param code the service error code
	 * @param text the text for the caller
	 */
	record ErrorReply(int code, String text) {
	}

}
