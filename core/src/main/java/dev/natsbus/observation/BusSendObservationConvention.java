package dev.natsbus.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The names and tags of {@code send} observations; implement it (or extend
 * {@link DefaultBusSendObservationConvention}) and register it with the template or as a
 * bean to change them.
 */
public interface BusSendObservationConvention extends ObservationConvention<BusSendContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof BusSendContext;
	}

}
