package dev.natsbus.autoconfigure.client;

import dev.natsbus.client.BusClientRegistrations;
import dev.natsbus.client.BusClientScanner;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.Assert;

/**
 * Registers the {@code @BusClient} interfaces found in the application's
 * {@link AutoConfigurationPackages}; nothing when the application declares none.
 */
class AutoConfiguredBusClientsRegistrar
		implements ImportBeanDefinitionRegistrar, BeanFactoryAware, EnvironmentAware, ResourceLoaderAware {

	private @Nullable BeanFactory beanFactory;

	private @Nullable Environment environment;

	private @Nullable ResourceLoader resourceLoader;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setResourceLoader(ResourceLoader resourceLoader) {
		this.resourceLoader = resourceLoader;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		Assert.state(this.beanFactory != null && this.environment != null && this.resourceLoader != null,
				"Not initialised");
		if (!AutoConfigurationPackages.has(this.beanFactory)) {
			return;
		}
		BusClientScanner scanner = new BusClientScanner(this.environment, this.resourceLoader);
		BusClientRegistrations.register(registry, scanner.scan(AutoConfigurationPackages.get(this.beanFactory)));
	}

}
