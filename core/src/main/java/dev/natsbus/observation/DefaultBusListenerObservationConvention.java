package dev.natsbus.observation;

import dev.natsbus.observation.BusObservationDocumentation.HighCardinalityKeys;
import dev.natsbus.observation.BusObservationDocumentation.LowCardinalityKeys;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * The default {@link BusListenerObservationConvention}: name {@code natsbus.listener},
 * tags {@code natsbus.subject} (the listener's subject pattern, never the concrete
 * subject, which is the high-cardinality {@code natsbus.message.subject}),
 * {@code natsbus.outcome}, {@code natsbus.error.code}, {@code natsbus.listener.id}.
 */
public class DefaultBusListenerObservationConvention implements BusListenerObservationConvention {

	public static final DefaultBusListenerObservationConvention INSTANCE = new DefaultBusListenerObservationConvention();

	@Override
	public String getName() {
		return "natsbus.listener";
	}

	@Override
	public String getContextualName(BusListenerContext context) {
		return context.getSubjectPattern() + " process";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(BusListenerContext context) {
		return KeyValues.of(BusKeyValues.subject(context.getSubjectPattern()),
				BusKeyValues.outcome(context.getOutcome()), BusKeyValues.errorCode(context.getErrorCode()),
				KeyValue.of(LowCardinalityKeys.LISTENER_ID,
						(context.getListenerId() != null) ? context.getListenerId() : BusKeyValues.UNKNOWN));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(BusListenerContext context) {
		String subject = context.getMessageSubject();
		return KeyValues
			.of(KeyValue.of(HighCardinalityKeys.MESSAGE_SUBJECT, (subject != null) ? subject : BusKeyValues.UNKNOWN));
	}

}
