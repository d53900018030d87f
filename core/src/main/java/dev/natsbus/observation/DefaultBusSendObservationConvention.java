package dev.natsbus.observation;

import io.micrometer.common.KeyValues;

/**
 * The default {@link BusSendObservationConvention}: name {@code natsbus.send}, tags
 * {@code natsbus.subject}, {@code natsbus.outcome}, {@code natsbus.error.code}.
 */
public class DefaultBusSendObservationConvention implements BusSendObservationConvention {

	public static final DefaultBusSendObservationConvention INSTANCE = new DefaultBusSendObservationConvention();

	@Override
	public String getName() {
		return "natsbus.send";
	}

	@Override
	public String getContextualName(BusSendContext context) {
		return context.getSubject() + " send";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(BusSendContext context) {
		return KeyValues.of(BusKeyValues.subject(context.getSubject()), BusKeyValues.outcome(context.getOutcome()),
				BusKeyValues.errorCode(context.getErrorCode()));
	}

}
