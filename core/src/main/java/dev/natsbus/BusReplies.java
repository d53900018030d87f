package dev.natsbus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * What a {@code requestMany} gathered, in arrival order.
 * <p>
 * Reaching {@code maxWait} is not a failure, even with no reply at all: a gathering asks
 * "who is there?", and an empty answer is an answer (no responders at all is known at
 * once and fails with {@link BusNoRespondersException} instead).
 *
 * @param values the converted replies, in arrival order; an empty reply (one without
 * error headers when the gathering has no sentinel) converts to {@code null}, an empty
 * {@code String} or an empty {@code byte[]}
 * @param errors one exception per reply that was not a value, in arrival order: a
 * {@link BusRemoteException} for an error reply (with its code and text), a
 * {@link BusConversionException} for a reply that could not be converted
 * @param endedBy which condition ended the gathering
 * @param elapsed the time from sending the request until the gathering ended
 * @param <T> the type of the values
 */
public record BusReplies<T>(List<@Nullable T> values, List<BusException> errors, EndedBy endedBy, Duration elapsed) {

	/** The condition of {@link RequestMany} that ended a gathering. */
	public enum EndedBy {

		/** {@link RequestMany#getMaxReplies()} replies arrived. */
		MAX_REPLIES,

		/** The total time was over. */
		MAX_WAIT,

		/** No reply arrived for the stall time after the last one. */
		STALL,

		/** The sentinel (or an error reply ending the stream) arrived. */
		SENTINEL

	}

	public BusReplies {
		Assert.notNull(values, "values must not be null");
		Assert.notNull(errors, "errors must not be null");
		Assert.notNull(endedBy, "endedBy must not be null");
		Assert.notNull(elapsed, "elapsed must not be null");
		// Values may be null (empty replies), which List.copyOf refuses.
		values = Collections.unmodifiableList(new ArrayList<>(values));
		errors = List.copyOf(errors);
	}

	/**
	 * Replies made of {@code values} alone (no errors, ended by
	 * {@link EndedBy#MAX_REPLIES}, nothing elapsed): what a {@code BusService}
	 * implementation of a {@code @BusRequestMany} method answers with, and a stand-in in
	 * tests.
	 */
	public static <T> BusReplies<T> of(List<? extends @Nullable T> values) {
		return new BusReplies<>(new ArrayList<>(values), List.of(), EndedBy.MAX_REPLIES, Duration.ZERO);
	}

	/** How many replies arrived: values and errors. */
	public int size() {
		return this.values.size() + this.errors.size();
	}

}
