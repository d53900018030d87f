package dev.natsbus.observation;

import dev.natsbus.observation.BusObservationDocumentation.LowCardinalityKeys;
import io.micrometer.common.KeyValue;

/** Tag values shared by the default conventions. */
final class BusKeyValues {

	static final String NONE = "none";

	static final String UNKNOWN = "unknown";

	private BusKeyValues() {
	}

	static KeyValue subject(String subject) {
		return KeyValue.of(LowCardinalityKeys.SUBJECT, (subject != null) ? subject : UNKNOWN);
	}

	static KeyValue outcome(BusOutcome outcome) {
		return KeyValue.of(LowCardinalityKeys.OUTCOME, (outcome != null) ? outcome.value() : UNKNOWN);
	}

	static KeyValue errorCode(Integer errorCode) {
		return KeyValue.of(LowCardinalityKeys.ERROR_CODE, (errorCode != null) ? errorCode.toString() : NONE);
	}

}
