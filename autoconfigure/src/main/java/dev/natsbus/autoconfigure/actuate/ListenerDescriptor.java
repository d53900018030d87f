package dev.natsbus.autoconfigure.actuate;

import dev.natsbus.listener.BusListenerContainer;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

/**
 * One listener as the {@code natsbus} endpoint shows it. The counters are this instance's
 * since it started, as {@code $SRV.STATS} reports them.
 *
 * @param id the listener's id, which selects it in {@code /actuator/natsbus/{id}}
 * @param subject the subject it subscribes to, possibly with wildcards
 * @param queueGroup the queue group it shares messages in with the other instances
 * @param concurrency the most invocations that run at once
 * @param state {@code STOPPED}, {@code STARTING} (waiting for its connection),
 * {@code RUNNING} or {@code PAUSED}
 * @param busyWorkers handler invocations running now
 * @param requests messages handled, answered or failed
 * @param errors messages whose handler failed or answered with an error code
 * @param lastError {@code code:text} of the last error, absent before the first
 * @param processingTimeNanos total processing time, up to the reply
 * @param averageProcessingTimeNanos average processing time, 0 before the first request
 * @param expiredRequests requests skipped because their caller had already given up
 * @param droppedMessages messages dropped because the pending queue was full (slow
 * consumer), since the listener last subscribed
 * @param pendingMessages messages received and not yet handed to the handler
 * @param connection the name of the connection it subscribes on, absent until connected
 */
public record ListenerDescriptor(String id, String subject, String queueGroup, int concurrency,
		BusListenerContainer.State state, int busyWorkers, long requests, long errors, @Nullable String lastError,
		long processingTimeNanos, long averageProcessingTimeNanos, long expiredRequests, long droppedMessages,
		long pendingMessages, @Nullable String connection) implements OperationResponseBody {

}
