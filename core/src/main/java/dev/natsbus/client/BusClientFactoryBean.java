package dev.natsbus.client;

import dev.natsbus.BusOperations;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.EmbeddedValueResolver;
import org.springframework.util.Assert;

/**
 * The bean of one {@code @BusClient} interface: a proxy made by the context's
 * {@link BusClientProxyFactory} bean, or, without one, by a factory on the context's
 * {@link BusOperations} bean with its placeholders. The proxy is made when the bean is
 * initialised, so that an invalid declaration fails the start-up even when nothing
 * injects the client yet.
 *
 * @param <T> the interface
 */
public class BusClientFactoryBean<T> implements FactoryBean<T>, BeanFactoryAware, InitializingBean {

	private final Class<T> type;

	private @Nullable BeanFactory beanFactory;

	private @Nullable T client;

	public BusClientFactoryBean(Class<T> type) {
		this.type = type;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public void afterPropertiesSet() {
		Assert.state(this.beanFactory != null, "No BeanFactory");
		BeanFactory beans = this.beanFactory;
		BusClientProxyFactory factory = beans.getBeanProvider(BusClientProxyFactory.class).getIfAvailable(() -> {
			BusClientProxyFactory fallback = new BusClientProxyFactory(beans.getBean(BusOperations.class));
			if (beans instanceof ConfigurableBeanFactory configurable) {
				fallback.setEmbeddedValueResolver(new EmbeddedValueResolver(configurable));
			}
			return fallback;
		});
		this.client = factory.createClient(this.type);
	}

	@Override
	public T getObject() {
		Assert.state(this.client != null, "The client is made when the bean is initialised");
		return this.client;
	}

	@Override
	public Class<T> getObjectType() {
		return this.type;
	}

	/** The interface whose proxy this bean is. */
	public Class<T> getClientType() {
		return this.type;
	}

}
