package dev.natsbus.observation;

import org.jspecify.annotations.Nullable;
import io.micrometer.observation.ObservationRegistry;

/**
 * The observation settings of a listener registry: the {@link ObservationRegistry} and an
 * optional convention, shared by all its listeners, so that a registry set later still
 * reaches the listeners registered before.
 */
public final class BusListenerObservations {

	private volatile ObservationRegistry registry = ObservationRegistry.NOOP;

	private volatile @Nullable BusListenerObservationConvention convention;

	public void setObservationRegistry(@Nullable ObservationRegistry registry) {
		this.registry = (registry != null) ? registry : ObservationRegistry.NOOP;
	}

	public ObservationRegistry getObservationRegistry() {
		return this.registry;
	}

	/**
	 * A convention for listeners in place of the registry's global ones and the default.
	 */
	public void setObservationConvention(@Nullable BusListenerObservationConvention convention) {
		this.convention = convention;
	}

	@Nullable BusListenerObservationConvention getObservationConvention() {
		return this.convention;
	}

	/**
	 * The observer of one listener; {@code queue} is {@code null} for a broadcast
	 * listener.
	 */
	public BusListenerObserver forListener(String listenerId, String subjectPattern, @Nullable String queue) {
		return new BusListenerObserver(this, listenerId, subjectPattern, queue);
	}

}
