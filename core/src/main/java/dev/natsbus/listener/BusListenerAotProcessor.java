package dev.natsbus.listener;

import java.lang.reflect.Method;
import java.util.LinkedHashSet;
import java.util.Set;

import dev.natsbus.BusListener;
import dev.natsbus.BusService;
import dev.natsbus.contract.BusContract;
import dev.natsbus.contract.PayloadBindingHints;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.ReflectionHints;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Ahead-of-time processing of beans with {@link BusListener} methods or a
 * {@link BusService} that serves {@code @BusClient} contracts: reflection hints for a
 * native image, so that {@link BusListenerAnnotationBeanPostProcessor} finds the methods,
 * invokes them, and Jackson binds their payloads and replies. Registered in
 * {@code META-INF/spring/aot.factories}.
 */
class BusListenerAotProcessor implements BeanRegistrationAotProcessor {

	@Override
	public @Nullable BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
		Class<?> beanClass = ClassUtils.getUserClass(registeredBean.getBeanClass());
		Set<Method> listeners = listenerMethods(beanClass);
		Set<Class<?>> contracts = servedContracts(beanClass);
		if (listeners.isEmpty() && contracts.isEmpty()) {
			return null;
		}
		return (generationContext, code) -> {
			ReflectionHints hints = generationContext.getRuntimeHints().reflection();
			PayloadBindingHints.registerIntrospection(hints, beanClass);
			listeners.forEach((method) -> PayloadBindingHints.registerInvocable(hints, method));
			for (Class<?> contract : contracts) {
				PayloadBindingHints.registerIntrospection(hints, contract);
				for (Method method : contract.getMethods()) {
					if (!method.isDefault() && !java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
						PayloadBindingHints.registerInvocable(hints,
								ClassUtils.getMostSpecificMethod(method, beanClass));
					}
				}
			}
		};
	}

	private static Set<Method> listenerMethods(Class<?> beanClass) {
		return new LinkedHashSet<>(MethodIntrospector.selectMethods(beanClass,
				(ReflectionUtils.MethodFilter) (method) -> AnnotatedElementUtils.hasAnnotation(method,
						BusListener.class)));
	}

	private static Set<Class<?>> servedContracts(Class<?> beanClass) {
		Set<Class<?>> contracts = new LinkedHashSet<>();
		if (AnnotatedElementUtils.hasAnnotation(beanClass, BusService.class)) {
			for (Class<?> type : ClassUtils.getAllInterfacesForClassAsSet(beanClass)) {
				if (BusContract.isContract(type)) {
					contracts.add(type);
				}
			}
		}
		return contracts;
	}

}
