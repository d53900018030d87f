package dev.natsbus.autoconfigure.observation;

import dev.natsbus.template.BusTemplate;
import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.observation.BusListenerObservationConvention;
import dev.natsbus.observation.BusRequestObservationConvention;
import dev.natsbus.observation.BusSendObservationConvention;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Gives every {@link BusTemplate} and {@link BusListenerRegistry} bean (the
 * auto-configured ones and the application's own) the application's
 * {@link ObservationRegistry} and the observation conventions defined as beans. The
 * registry is looked up when the first of them is created, not before.
 */
class NatsBusObservationPostProcessor implements BeanPostProcessor {

	private final ObjectProvider<ObservationRegistry> observationRegistry;

	private final ObjectProvider<BusSendObservationConvention> sendConvention;

	private final ObjectProvider<BusRequestObservationConvention> requestConvention;

	private final ObjectProvider<BusListenerObservationConvention> listenerConvention;

	NatsBusObservationPostProcessor(ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<BusSendObservationConvention> sendConvention,
			ObjectProvider<BusRequestObservationConvention> requestConvention,
			ObjectProvider<BusListenerObservationConvention> listenerConvention) {
		this.observationRegistry = observationRegistry;
		this.sendConvention = sendConvention;
		this.requestConvention = requestConvention;
		this.listenerConvention = listenerConvention;
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		if (bean instanceof BusTemplate template) {
			ObservationRegistry registry = this.observationRegistry.getIfUnique();
			if (registry != null) {
				template.setObservationRegistry(registry);
				this.sendConvention.ifUnique(template::setSendObservationConvention);
				this.requestConvention.ifUnique(template::setRequestObservationConvention);
			}
		}
		else if (bean instanceof BusListenerRegistry listenerRegistry) {
			ObservationRegistry registry = this.observationRegistry.getIfUnique();
			if (registry != null) {
				listenerRegistry.getContainerFactory().setObservationRegistry(registry);
				this.listenerConvention.ifUnique(listenerRegistry.getContainerFactory()::setObservationConvention);
			}
		}
		return bean;
	}

}
