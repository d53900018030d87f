package dev.natsbus.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The names and tags of listener observations; implement it (or extend
 * {@link DefaultBusListenerObservationConvention}) and register it with the listener
 * registry or as a bean to change them.
 */
public interface BusListenerObservationConvention extends ObservationConvention<BusListenerContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof BusListenerContext;
	}

}
