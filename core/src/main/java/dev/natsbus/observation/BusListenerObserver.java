package dev.natsbus.observation;

import org.jspecify.annotations.Nullable;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.nats.client.Message;

/**
 * Starts the {@code natsbus.listener} observation of each message one listener handles.
 */
public final class BusListenerObserver {

	private final BusListenerObservations settings;

	private final String listenerId;

	private final String subjectPattern;

	private final @Nullable String queue;

	BusListenerObserver(BusListenerObservations settings, String listenerId, String subjectPattern,
			@Nullable String queue) {
		this.settings = settings;
		this.listenerId = listenerId;
		this.subjectPattern = subjectPattern;
		this.queue = queue;
	}

	/**
	 * Starts observing the handling of {@code message}, continuing the trace its headers
	 * carry; {@code null} when nothing observes (then nothing at all is allocated).
	 */
	public @Nullable BusListenerObservation start(Message message) {
		ObservationRegistry registry = this.settings.getObservationRegistry();
		if (registry.isNoop()) {
			return null;
		}
		BusListenerContext context = new BusListenerContext(message, this.listenerId, this.subjectPattern, this.queue);
		Observation observation = BusObservationDocumentation.LISTENER
			.observation(this.settings.getObservationConvention(), DefaultBusListenerObservationConvention.INSTANCE,
					() -> context, registry)
			.start();
		return new BusListenerObservation(observation, context);
	}

}
