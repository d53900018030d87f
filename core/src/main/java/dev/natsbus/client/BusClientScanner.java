package dev.natsbus.client;

import java.util.LinkedHashSet;
import java.util.Set;

import dev.natsbus.BusClient;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/**
 * Finds the {@link BusClient} interfaces in packages and their sub-packages, as component
 * scanning finds components (it reads class files without loading them, and uses the
 * components index where there is one).
 */
public class BusClientScanner {

	private final ClassPathScanningCandidateComponentProvider provider;

	private final @Nullable ClassLoader classLoader;

	public BusClientScanner(Environment environment, ResourceLoader resourceLoader) {
		this.provider = new ClassPathScanningCandidateComponentProvider(false, environment) {

			@Override
			protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
				return definition.getMetadata().isInterface() && definition.getMetadata().isIndependent();
			}

		};
		this.provider.setResourceLoader(resourceLoader);
		this.provider.addIncludeFilter(new AnnotationTypeFilter(BusClient.class, true, false));
		this.classLoader = resourceLoader.getClassLoader();
	}

	/** The {@code @BusClient} interfaces in {@code packages}, in the order found. */
	public Set<Class<?>> scan(Iterable<String> packages) {
		Set<Class<?>> clients = new LinkedHashSet<>();
		for (String basePackage : packages) {
			for (BeanDefinition candidate : this.provider.findCandidateComponents(basePackage)) {
				String className = candidate.getBeanClassName();
				if (className != null) {
					clients.add(ClassUtils.resolveClassName(className, this.classLoader));
				}
			}
		}
		return clients;
	}

}
