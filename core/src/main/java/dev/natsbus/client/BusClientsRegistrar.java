package dev.natsbus.client;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.natsbus.contract.BusContract;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/** Registers the clients that an {@link EnableBusClients} asks for. */
class BusClientsRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, ResourceLoaderAware {

	private @Nullable Environment environment;

	private @Nullable ResourceLoader resourceLoader;

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
		Map<String, @Nullable Object> attributes = metadata.getAnnotationAttributes(EnableBusClients.class.getName());
		if (attributes == null) {
			return;
		}
		Set<Class<?>> clients = new LinkedHashSet<>();
		for (Class<?> client : (Class<?>[]) attributes.get("clients")) {
			if (!BusContract.isContract(client)) {
				throw new IllegalArgumentException("@EnableBusClients(clients) on " + metadata.getClassName()
						+ " names " + client.getName() + ", which is not a @BusClient interface");
			}
			clients.add(client);
		}
		List<String> packages = new ArrayList<>(List.of((String[]) attributes.get("basePackages")));
		for (Class<?> type : (Class<?>[]) attributes.get("basePackageClasses")) {
			packages.add(ClassUtils.getPackageName(type));
		}
		if (packages.isEmpty() && clients.isEmpty()) {
			packages.add(ClassUtils.getPackageName(metadata.getClassName()));
		}
		if (!packages.isEmpty()) {
			Assert.state(this.environment != null && this.resourceLoader != null, "Not initialised");
			clients.addAll(new BusClientScanner(this.environment, this.resourceLoader).scan(packages));
		}
		BusClientRegistrations.register(registry, clients);
	}

}
