package dev.natsbus.client;

import java.util.Collection;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashSet;
import java.util.Set;

import dev.natsbus.BusService;
import dev.natsbus.contract.PayloadBindingHints;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.generate.GenerationContext;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.aot.BeanRegistrationCode;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.ConstructorArgumentValues.ValueHolder;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;

/**
 * Registers the beans of {@code @BusClient} interfaces once every other bean definition
 * is known, so that the rules of who wins hold whatever order configurations load in:
 * <ul>
 * <li>another bean of the interface's type that is not a {@link BusService} (a stand-in,
 * a test double) replaces the client: no proxy is registered;</li>
 * <li>a {@link BusService} bean that implements the interface serves it, and the proxy is
 * registered as the primary bean of the type, so that injecting the interface goes over
 * the bus wherever the service runs (the implementation stays injectable by its class);
 * </li>
 * <li>otherwise the proxy is the one bean of the type.</li>
 * </ul>
 * Each client bean is named after its interface's fully qualified name. For ahead-of-time
 * processing it registers a JDK proxy hint (and method introspection) for each interface,
 * and is itself left out of the generated code, having done its work.
 */
public final class BusClientRegistrations implements BeanDefinitionRegistryPostProcessor, BeanRegistrationAotProcessor {

	/** The name of this post-processor's bean. */
	public static final String BEAN_NAME = "dev.natsbus.client.internalBusClientRegistrations";

	private final Set<String> clients;

	public BusClientRegistrations(Set<String> clients) {
		this.clients = clients;
	}

	/**
	 * Has {@code clients} registered as beans, adding them to what earlier calls asked
	 * for.
	 */
	public static void register(BeanDefinitionRegistry registry, Collection<Class<?>> clients) {
		if (!registry.containsBeanDefinition(BEAN_NAME)) {
			RootBeanDefinition definition = new RootBeanDefinition(BusClientRegistrations.class);
			definition.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
			definition.getConstructorArgumentValues().addIndexedArgumentValue(0, new LinkedHashSet<String>());
			registry.registerBeanDefinition(BEAN_NAME, definition);
		}
		ValueHolder holder = registry.getBeanDefinition(BEAN_NAME)
			.getConstructorArgumentValues()
			.getIndexedArgumentValue(0, Set.class);
		@SuppressWarnings("unchecked")
		Set<String> names = (Set<String>) holder.getValue();
		clients.forEach((client) -> names.add(client.getName()));
	}

	@Override
	public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
		ListableBeanFactory beans = (ListableBeanFactory) registry;
		ClassLoader classLoader = (registry instanceof ConfigurableBeanFactory configurable
				&& configurable.getBeanClassLoader() != null) ? configurable.getBeanClassLoader()
						: getClass().getClassLoader();
		for (String name : this.clients) {
			if (registry.containsBeanDefinition(name)) {
				continue;
			}
			Class<?> client = ClassUtils.resolveClassName(name, classLoader);
			boolean served = false;
			boolean replaced = false;
			for (String other : beans.getBeanNamesForType(client, true, false)) {
				if (beans.findAnnotationOnBean(other, BusService.class, false) != null) {
					served = true;
				}
				else {
					replaced = true;
				}
			}
			if (!replaced) {
				registry.registerBeanDefinition(name, definition(client, served));
			}
		}
	}

	private static RootBeanDefinition definition(Class<?> client, boolean primary) {
		RootBeanDefinition definition = new RootBeanDefinition(BusClientFactoryBean.class);
		definition.setTargetType(ResolvableType.forClassWithGenerics(BusClientFactoryBean.class, client));
		definition.setAttribute(FactoryBean.OBJECT_TYPE_ATTRIBUTE, client);
		definition.getConstructorArgumentValues().addIndexedArgumentValue(0, client);
		definition.setPrimary(primary);
		return definition;
	}

	@Override
	public @Nullable BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
		if (!BusClientFactoryBean.class.isAssignableFrom(registeredBean.getBeanClass())) {
			return null;
		}
		Object type = registeredBean.getMergedBeanDefinition().getAttribute(FactoryBean.OBJECT_TYPE_ATTRIBUTE);
		if (!(type instanceof Class<?> client)) {
			return null;
		}
		return (GenerationContext generationContext,
				BeanRegistrationCode code) -> registerHints(generationContext.getRuntimeHints(), client);
	}

	/** What a proxy of {@code client} needs in a native image. */
	static void registerHints(RuntimeHints hints, Class<?> client) {
		hints.proxies().registerJdkProxy(client);
		hints.reflection().registerType(client, MemberCategory.INTROSPECT_PUBLIC_METHODS);
		for (Method method : client.getMethods()) {
			if (!method.isDefault() && !Modifier.isStatic(method.getModifiers())) {
				PayloadBindingHints.registerBindings(hints.reflection(), method);
			}
		}
	}

}
