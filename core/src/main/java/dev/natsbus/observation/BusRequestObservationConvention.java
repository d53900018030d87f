package dev.natsbus.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The names and tags of request observations; implement it (or extend
 * {@link DefaultBusRequestObservationConvention}) and register it with the template or as
 * a bean to change them.
 */
public interface BusRequestObservationConvention extends ObservationConvention<BusRequestContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof BusRequestContext;
	}

}
