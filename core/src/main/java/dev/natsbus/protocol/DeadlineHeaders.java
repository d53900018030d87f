package dev.natsbus.protocol;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import io.nats.client.impl.Headers;

/**
 * Stamps requests with their deadline ({@link Deadlines#HEADER}) at next to no cost per
 * request. Requests without headers of their own share one read-only {@link Headers} per
 * deadline millisecond: jnats sends read-only headers as they are, while it copies every
 * writable {@code Headers} into a read-only one, and building and copying them per
 * request was the largest cost of nats-bus over raw jnats on the request path (see
 * benchmarks/README.md). Thread-safe: jnats only reads read-only headers when it writes a
 * message, so one instance can go out from many threads at once, and a stale or lost
 * cache entry only means building one more.
 */
public final class DeadlineHeaders {

	private volatile Stamp last = new Stamp(Long.MIN_VALUE, new Headers(null, true));

	/**
	 * {@code headers} with the deadline {@code timeout} from now: shared read-only
	 * headers when {@code headers} is null, otherwise {@code headers} with the deadline
	 * added.
	 */
	public Headers stamp(@Nullable Headers headers, Duration timeout) {
		long deadline = System.currentTimeMillis() + timeout.toMillis();
		if (headers != null) {
			return headers.put(Deadlines.HEADER, Long.toString(deadline));
		}
		Stamp stamp = this.last;
		if (stamp.deadline != deadline) {
			stamp = new Stamp(deadline,
					new Headers(new Headers().put(Deadlines.HEADER, Long.toString(deadline)), true));
			this.last = stamp;
		}
		return stamp.headers;
	}

	private record Stamp(long deadline, Headers headers) {
	}

}
