package dev.natsbus.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations of nats-bus: their names, and the keys of their tags.
 * <p>
 * Every low-cardinality key is present on every observation of its kind (with
 * {@code none} when it does not apply), so that timers stay one meter family.
 */
public enum BusObservationDocumentation implements ObservationDocumentation {

	/** {@code BusTemplate.send}: one message published, no reply expected. */
	SEND {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultBusSendObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { LowCardinalityKeys.SUBJECT, LowCardinalityKeys.OUTCOME,
					LowCardinalityKeys.ERROR_CODE };
		}

	},

	/**
	 * {@code BusTemplate.request}, {@code requestAsync}, {@code requestMessage}: from the
	 * request until the reply is read (or the request failed).
	 */
	REQUEST {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultBusRequestObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { LowCardinalityKeys.SUBJECT, LowCardinalityKeys.OUTCOME,
					LowCardinalityKeys.ERROR_CODE };
		}

	},

	/**
	 * One invocation of a {@code @BusListener} method: from the arrival of the message
	 * until the reply was sent, also for asynchronous handlers.
	 */
	LISTENER {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultBusListenerObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { LowCardinalityKeys.SUBJECT, LowCardinalityKeys.OUTCOME,
					LowCardinalityKeys.ERROR_CODE, LowCardinalityKeys.LISTENER_ID };
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return new KeyName[] { HighCardinalityKeys.MESSAGE_SUBJECT };
		}

	};

	/** Tag keys of bounded cardinality (they become meter tags). */
	public enum LowCardinalityKeys implements KeyName {

		/**
		 * The subject of a send or request; for a listener its subject pattern (with
		 * wildcards).
		 */
		SUBJECT {
			@Override
			public String asString() {
				return "natsbus.subject";
			}
		},

		/** {@link BusOutcome#value()}. */
		OUTCOME {
			@Override
			public String asString() {
				return "natsbus.outcome";
			}
		},

		/**
		 * The service error code of a remote error or of a listener's error reply, else
		 * {@code none}.
		 */
		ERROR_CODE {
			@Override
			public String asString() {
				return "natsbus.error.code";
			}
		},

		/** The id of the listener. */
		LISTENER_ID {
			@Override
			public String asString() {
				return "natsbus.listener.id";
			}
		}

	}

	/** Tag keys of unbounded cardinality (only on spans). */
	public enum HighCardinalityKeys implements KeyName {

		/** The concrete subject a listener received the message on. */
		MESSAGE_SUBJECT {
			@Override
			public String asString() {
				return "natsbus.message.subject";
			}
		}

	}

}
