package dev.natsbus;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * How long a {@code requestMany} gathers replies: it ends at the first of the conditions
 * set (ADR-47 "request many", as nats.js {@code requestMany} has them):
 * <ul>
 * <li>{@link #maxReplies(int) maxReplies}: that many replies arrived (error replies
 * count);</li>
 * <li>{@link #maxWait(Duration) maxWait}: the total time is over; always set, by default
 * the template's default timeout ({@code natsbus.request.timeout});</li>
 * <li>{@link #stall(Duration) stall}: no further reply for this long after the last one
 * (the wait for the first reply is the total time); a stall not shorter than the total
 * time changes nothing;</li>
 * <li>{@link #sentinel()}: a reply with an empty body and no error header, the end of a
 * streamed reply; it is not a value. An error reply also ends a sentinel gathering, since
 * the stream it belongs to ended with it.</li>
 * </ul>
 * Immutable: each {@code with...} method returns a new value, e.g.
 * {@code RequestMany.maxReplies(5).withMaxWait(Duration.ofMillis(300))}.
 */
public final class RequestMany {

	private static final RequestMany DEFAULTS = new RequestMany(0, null, null, false);

	private final int maxReplies;

	private final @Nullable Duration maxWait;

	private final @Nullable Duration stall;

	private final boolean sentinel;

	private RequestMany(int maxReplies, @Nullable Duration maxWait, @Nullable Duration stall, boolean sentinel) {
		this.maxReplies = maxReplies;
		this.maxWait = maxWait;
		this.stall = stall;
		this.sentinel = sentinel;
	}

	/** Gathers until the template's default timeout and nothing else. */
	public static RequestMany defaults() {
		return DEFAULTS;
	}

	/** Ends after {@code maxReplies} replies, or at the default timeout. */
	public static RequestMany maxReplies(int maxReplies) {
		return DEFAULTS.withMaxReplies(maxReplies);
	}

	/** Ends after {@code maxWait} in total. */
	public static RequestMany maxWait(Duration maxWait) {
		return DEFAULTS.withMaxWait(maxWait);
	}

	/**
	 * Ends when no reply arrived for {@code stall} after the last one, or at the default
	 * timeout.
	 */
	public static RequestMany stall(Duration stall) {
		return DEFAULTS.withStall(stall);
	}

	/**
	 * Ends at the sentinel (an empty reply without error headers), or at the default
	 * timeout.
	 */
	public static RequestMany sentinel() {
		return DEFAULTS.withSentinel();
	}

	/**
	 * These options, ending also after {@code maxReplies} replies.
	 * @throws IllegalArgumentException when it is less than 1
	 */
	public RequestMany withMaxReplies(int maxReplies) {
		Assert.isTrue(maxReplies >= 1, () -> "maxReplies must be at least 1, not " + maxReplies);
		return new RequestMany(maxReplies, this.maxWait, this.stall, this.sentinel);
	}

	/**
	 * These options, ending after {@code maxWait} in total.
	 * @throws IllegalArgumentException when it is null, zero or negative
	 */
	public RequestMany withMaxWait(Duration maxWait) {
		return new RequestMany(this.maxReplies, positive(maxWait, "maxWait"), this.stall, this.sentinel);
	}

	/**
	 * These options, ending also when no reply arrived for {@code stall} after the last.
	 * @throws IllegalArgumentException when it is null, zero or negative
	 */
	public RequestMany withStall(Duration stall) {
		return new RequestMany(this.maxReplies, this.maxWait, positive(stall, "stall"), this.sentinel);
	}

	/** These options, ending also at the sentinel. */
	public RequestMany withSentinel() {
		return new RequestMany(this.maxReplies, this.maxWait, this.stall, true);
	}

	/** The most replies to gather, 0 for no limit. */
	public int getMaxReplies() {
		return this.maxReplies;
	}

	/** The total time, or {@code null} for the template's default timeout. */
	public @Nullable Duration getMaxWait() {
		return this.maxWait;
	}

	/** The longest gap between replies after the first, or {@code null} for none. */
	public @Nullable Duration getStall() {
		return this.stall;
	}

	/** Whether the sentinel ends the gathering. */
	public boolean isSentinel() {
		return this.sentinel;
	}

	/** The total time: {@link #getMaxWait()}, or {@code defaultTimeout} when not set. */
	public Duration getMaxWait(Duration defaultTimeout) {
		return (this.maxWait != null) ? this.maxWait : defaultTimeout;
	}

	private static Duration positive(@Nullable Duration duration, String name) {
		Assert.notNull(duration, () -> name + " must not be null");
		Assert.isTrue(!duration.isNegative() && !duration.isZero(),
				() -> name + " must be positive, not " + duration.toMillis() + " ms");
		return duration;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof RequestMany that && this.maxReplies == that.maxReplies && this.sentinel == that.sentinel
				&& Objects.equals(this.maxWait, that.maxWait) && Objects.equals(this.stall, that.stall);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.maxReplies, this.maxWait, this.stall, this.sentinel);
	}

	@Override
	public String toString() {
		return "RequestMany[maxReplies=" + ((this.maxReplies > 0) ? this.maxReplies : "none") + ", maxWait="
				+ ((this.maxWait != null) ? this.maxWait.toMillis() + "ms" : "default") + ", stall="
				+ ((this.stall != null) ? this.stall.toMillis() + "ms" : "none") + ", sentinel=" + this.sentinel + "]";
	}

}
