package dev.natsbus.observation;

import io.micrometer.common.KeyValues;

/**
 * The default {@link BusRequestObservationConvention}: name {@code natsbus.request}, tags
 * {@code natsbus.subject}, {@code natsbus.outcome}, {@code natsbus.error.code}.
 */
public class DefaultBusRequestObservationConvention implements BusRequestObservationConvention {

	public static final DefaultBusRequestObservationConvention INSTANCE = new DefaultBusRequestObservationConvention();

	@Override
	public String getName() {
		return "natsbus.request";
	}

	@Override
	public String getContextualName(BusRequestContext context) {
		return context.getSubject() + " request";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(BusRequestContext context) {
		return KeyValues.of(BusKeyValues.subject(context.getSubject()), BusKeyValues.outcome(context.getOutcome()),
				BusKeyValues.errorCode(context.getErrorCode()));
	}

}
