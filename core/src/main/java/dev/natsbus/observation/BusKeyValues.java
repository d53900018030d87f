package dev.natsbus.observation;

import org.jspecify.annotations.Nullable;
import dev.natsbus.observation.BusObservationDocumentation.LowCardinalityKeys;
import io.micrometer.common.KeyValue;

/** Tag values shared by the default conventions. */
final class BusKeyValues {

	static final String NONE = "none";

	static final String UNKNOWN = "unknown";

	private BusKeyValues() {
	}

	static KeyValue subject(@Nullable String subject) {
		return KeyValue.of(LowCardinalityKeys.SUBJECT, (subject != null) ? subject : UNKNOWN);
	}

	static KeyValue outcome(@Nullable BusOutcome outcome) {
		return KeyValue.of(LowCardinalityKeys.OUTCOME, (outcome != null) ? outcome.value() : UNKNOWN);
	}

	static KeyValue errorCode(@Nullable Integer errorCode) {
		return KeyValue.of(LowCardinalityKeys.ERROR_CODE, (errorCode != null) ? errorCode.toString() : NONE);
	}

}
