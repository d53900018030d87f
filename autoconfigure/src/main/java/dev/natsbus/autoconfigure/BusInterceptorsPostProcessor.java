package dev.natsbus.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import dev.natsbus.BusClientInterceptor;
import dev.natsbus.BusListenerInterceptor;
import dev.natsbus.listener.BusListenerContainerFactory;
import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.template.BusTemplate;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Gives every {@link BusTemplate} and {@link BusListenerRegistry} bean (the
 * auto-configured ones and the application's own) the {@link BusClientInterceptor} and
 * {@link BusListenerInterceptor} beans, after any they were given in code, in their
 * order. The interceptors are looked up when the first template or registry is created,
 * not before; without any, nothing is set.
 */
class BusInterceptorsPostProcessor implements BeanPostProcessor {

	private final ObjectProvider<BusClientInterceptor> clientInterceptors;

	private final ObjectProvider<BusListenerInterceptor> listenerInterceptors;

	BusInterceptorsPostProcessor(ObjectProvider<BusClientInterceptor> clientInterceptors,
			ObjectProvider<BusListenerInterceptor> listenerInterceptors) {
		this.clientInterceptors = clientInterceptors;
		this.listenerInterceptors = listenerInterceptors;
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		if (bean instanceof BusTemplate template) {
			List<BusClientInterceptor> beans = this.clientInterceptors.orderedStream().toList();
			if (!beans.isEmpty()) {
				List<BusClientInterceptor> all = new ArrayList<>(template.getInterceptors());
				all.addAll(beans);
				template.setInterceptors(all);
			}
		}
		else if (bean instanceof BusListenerRegistry registry) {
			List<BusListenerInterceptor> beans = this.listenerInterceptors.orderedStream().toList();
			if (!beans.isEmpty()) {
				BusListenerContainerFactory factory = registry.getContainerFactory();
				List<BusListenerInterceptor> all = new ArrayList<>(factory.getInterceptors());
				all.addAll(beans);
				factory.setInterceptors(all);
			}
		}
		return bean;
	}

}
