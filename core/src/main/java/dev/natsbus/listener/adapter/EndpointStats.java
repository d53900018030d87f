package dev.natsbus.listener.adapter;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one listener has done since it started, as the NATS micro protocol reports it per
 * endpoint: requests, errors (thrown and coded alike), the last error, and processing
 * time up to the reply (including the time an asynchronous handler takes to complete).
 */
public final class EndpointStats {

	private final LongAdder requests = new LongAdder();

	private final LongAdder errors = new LongAdder();

	private final LongAdder processingNanos = new LongAdder();

	private final LongAdder expired = new LongAdder();

	private final AtomicReference<String> lastError = new AtomicReference<>("");

	private volatile Instant started = Instant.now();

	void recordSuccess(long nanos) {
		this.requests.increment();
		this.processingNanos.add(nanos);
	}

	void recordError(long nanos, int code, String text) {
		this.requests.increment();
		this.errors.increment();
		this.processingNanos.add(nanos);
		this.lastError.set(code + ":" + text);
	}

	void recordExpired() {
		this.expired.increment();
	}

	public long getRequests() {
		return this.requests.sum();
	}

	public long getErrors() {
		return this.errors.sum();
	}

	/** {@code code:text} of the last error, or empty. */
	public String getLastError() {
		return this.lastError.get();
	}

	/** Total processing time in nanoseconds. */
	public long getProcessingNanos() {
		return this.processingNanos.sum();
	}

	/** Average processing time in nanoseconds, 0 before the first request. */
	public long getAverageProcessingNanos() {
		long count = getRequests();
		return (count > 0) ? getProcessingNanos() / count : 0;
	}

	/**
	 * Requests skipped because their caller's deadline had passed before a worker picked
	 * them up.
	 */
	public long getExpired() {
		return this.expired.sum();
	}

	/** When counting started (start-up or last reset). */
	public Instant getStarted() {
		return this.started;
	}

	/** Starts counting afresh. */
	public void reset() {
		this.requests.reset();
		this.errors.reset();
		this.processingNanos.reset();
		this.expired.reset();
		this.lastError.set("");
		this.started = Instant.now();
	}

}
