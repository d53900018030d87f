package dev.natsbus.listener;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import dev.natsbus.BusListener;
import dev.natsbus.BusListenerErrorHandler;
import dev.natsbus.BusService;
import dev.natsbus.contract.BusContract;
import dev.natsbus.contract.ContractMethod;
import dev.natsbus.protocol.Subjects;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.BeanNotOfRequiredTypeException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.EmbeddedValueResolverAware;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.KotlinDetector;
import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.handler.annotation.DestinationVariable;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;
import org.springframework.util.StringValueResolver;

/**
 * Finds {@link BusListener} methods on beans, checks that each declaration can work, and
 * registers it with the {@link BusListenerRegistry}. A declaration that cannot work (a
 * private method, an empty subject, a wildcard queue, a queue on a broadcast listener,
 * two payload parameters, a concurrency that is not a positive number, an error handler
 * that is no such bean, a {@code @Valid} parameter that nothing validates) fails start-up
 * with a message naming the bean and method.
 * <p>
 * A {@link BusService} bean that implements {@code @BusClient} interfaces serves them:
 * each of their bus methods becomes a listener on the interface's subject (a
 * {@code {name}} token subscribed as {@code *} and bound to its
 * {@code @DestinationVariable} parameter), in the default queue group or for broadcast as
 * the interface declares. A {@code @BusListener} without a subject on the implementing
 * method adds its listener settings (concurrency, queue, id, error handler).
 */
public class BusListenerAnnotationBeanPostProcessor
		implements BeanPostProcessor, EmbeddedValueResolverAware, BeanFactoryAware {

	private final Supplier<BusListenerRegistry> registry;

	private @Nullable StringValueResolver valueResolver;

	private @Nullable BeanFactory beanFactory;

	/**
	 * @param registry looked up on first use, so that declaring this post-processor does
	 * not create the registry (and connect) before the other post-processors exist
	 */
	public BusListenerAnnotationBeanPostProcessor(Supplier<BusListenerRegistry> registry) {
		this.registry = registry;
	}

	@Override
	public void setEmbeddedValueResolver(StringValueResolver resolver) {
		this.valueResolver = resolver;
	}

	/** Where the error handlers that listeners name are looked up. */
	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		Map<Method, ContractMethod> served = servedContracts(targetClass, beanName);
		Map<Method, BusListener> annotated = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<BusListener>) method -> AnnotatedElementUtils
					.findMergedAnnotation(method, BusListener.class));
		for (Map.Entry<Method, BusListener> entry : annotated.entrySet()) {
			Method method = entry.getKey();
			if (served.containsKey(method)) {
				// Settings of the listener that serves a contract method, registered
				// below.
				continue;
			}
			try {
				// The declaration is checked before the registry is asked for, which
				// connects.
				MethodBusListenerEndpoint endpoint = endpoint(bean, beanName, method, entry.getValue());
				this.registry.get().registerListener(endpoint);
			}
			catch (IllegalArgumentException | IllegalStateException ex) {
				throw new BeanCreationException(beanName, "Invalid @BusListener on " + targetClass.getSimpleName() + "."
						+ method.getName() + " (bean '" + beanName + "'): " + ex.getMessage(), ex);
			}
		}
		Set<String> ids = new HashSet<>();
		for (Map.Entry<Method, ContractMethod> entry : served.entrySet()) {
			Method method = entry.getKey();
			ContractMethod contract = entry.getValue();
			try {
				this.registry.get()
					.registerListener(contractEndpoint(bean, beanName, method, contract, annotated.get(method), ids));
			}
			catch (IllegalArgumentException | IllegalStateException ex) {
				throw new BeanCreationException(beanName,
						"Invalid listener for @BusClient method " + contract.describe() + " on "
								+ targetClass.getSimpleName() + "." + method.getName() + " (bean '" + beanName + "'): "
								+ ex.getMessage(),
						ex);
			}
		}
		return bean;
	}

	/**
	 * The bus methods of the {@code @BusClient} interfaces that a {@link BusService} bean
	 * implements, by the bean's method that implements each; none for other beans.
	 */
	private Map<Method, ContractMethod> servedContracts(Class<?> targetClass, String beanName) {
		if (AnnotatedElementUtils.findMergedAnnotation(targetClass, BusService.class) == null) {
			return Map.of();
		}
		Map<Method, ContractMethod> served = new LinkedHashMap<>();
		for (Class<?> type : ClassUtils.getAllInterfacesForClassAsSet(targetClass)) {
			if (!BusContract.isContract(type)) {
				continue;
			}
			BusContract contract;
			try {
				contract = BusContract.of(type, this.valueResolver);
			}
			catch (IllegalArgumentException | IllegalStateException ex) {
				throw new BeanCreationException(beanName, ex.getMessage() + " (implemented by bean '" + beanName + "')",
						ex);
			}
			for (ContractMethod method : contract.getMethods()) {
				Method implementation = ClassUtils.getMostSpecificMethod(method.getMethod(), targetClass);
				ContractMethod other = served.putIfAbsent(implementation, method);
				if (other != null) {
					throw new BeanCreationException(beanName,
							targetClass.getSimpleName() + "." + implementation.getName() + " (bean '" + beanName
									+ "') implements both " + other.describe() + " and " + method.describe()
									+ ", which one listener cannot serve; give them methods of their own");
				}
			}
		}
		return served;
	}

	private MethodBusListenerEndpoint contractEndpoint(Object bean, String beanName, Method method,
			ContractMethod contract, @Nullable BusListener settings, Set<String> ids) {
		String queue = null;
		boolean broadcast = contract.isBroadcast();
		Integer concurrency = null;
		String id = null;
		BusListenerErrorHandler errorHandler = null;
		if (settings != null) {
			if (StringUtils.hasText(settings.subject())) {
				throw new IllegalArgumentException("its @BusListener names subject '" + settings.subject()
						+ "', but the subject comes from the interface ('" + contract.getSubject()
						+ "'); remove it from @BusListener");
			}
			queue = resolve(settings.queue());
			queue = StringUtils.hasLength(queue) ? Subjects.requireQueueName(queue) : null;
			broadcast = broadcast || settings.broadcast();
			if (broadcast && queue != null) {
				throw new IllegalArgumentException("it is served for broadcast, in no queue group, but queue is '"
						+ queue + "'; remove one of them");
			}
			concurrency = concurrency(resolve(settings.concurrency()));
			id = resolve(settings.id());
			errorHandler = errorHandler(resolve(settings.errorHandler()));
		}
		if (!StringUtils.hasText(id)) {
			id = beanName + "." + method.getName();
			for (int i = 2; ids.contains(id); i++) {
				id = beanName + "." + method.getName() + "-" + i;
			}
		}
		ids.add(id);
		Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
		this.registry.get()
			.getContainerFactory()
			.getHandlerMethodFactory()
			.registerContractMethod(invocable, contract.getSubject(), contract.isSentinel());
		return new MethodBusListenerEndpoint(id, beanName, bean, invocable, contract.getSubject().subscription(), queue,
				concurrency, broadcast, errorHandler);
	}

	private MethodBusListenerEndpoint endpoint(Object bean, String beanName, Method method, BusListener annotation) {
		if (Modifier.isPrivate(method.getModifiers())) {
			throw new IllegalStateException("the method must not be private");
		}
		if (Modifier.isStatic(method.getModifiers())) {
			throw new IllegalStateException("the method must not be static");
		}
		String subject = resolve(annotation.subject());
		if (!StringUtils.hasText(subject)) {
			throw new IllegalArgumentException("the subject must not be empty");
		}
		Subjects.requireSubscribable(subject);
		String queue = resolve(annotation.queue());
		queue = StringUtils.hasLength(queue) ? Subjects.requireQueueName(queue) : null;
		if (annotation.broadcast() && queue != null) {
			throw new IllegalArgumentException(
					"broadcast = true subscribes in no queue group, but queue is '" + queue + "'; remove one of them");
		}
		Integer concurrency = concurrency(resolve(annotation.concurrency()));
		checkSinglePayload(method);
		String id = resolve(annotation.id());
		if (!StringUtils.hasText(id)) {
			id = beanName + "." + method.getName();
		}
		Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
		return new MethodBusListenerEndpoint(id, beanName, bean, invocable, subject, queue, concurrency,
				annotation.broadcast(), errorHandler(resolve(annotation.errorHandler())));
	}

	/** The error handler bean named {@code name}, or {@code null} when none is named. */
	private @Nullable BusListenerErrorHandler errorHandler(@Nullable String name) {
		if (!StringUtils.hasText(name)) {
			return null;
		}
		if (this.beanFactory == null || !this.beanFactory.containsBean(name)) {
			throw new IllegalStateException("errorHandler '" + name + "' names no bean; define a "
					+ BusListenerErrorHandler.class.getSimpleName() + " bean with that name");
		}
		try {
			return this.beanFactory.getBean(name, BusListenerErrorHandler.class);
		}
		catch (BeanNotOfRequiredTypeException ex) {
			throw new IllegalStateException(
					"errorHandler '" + name + "' names a bean of type " + ex.getActualType().getName()
							+ ", which is not a " + BusListenerErrorHandler.class.getSimpleName());
		}
	}

	/**
	 * The concurrency the annotation gives, or {@code null} for the container factory's
	 * default.
	 */
	private @Nullable Integer concurrency(@Nullable String value) {
		if (!StringUtils.hasText(value)) {
			return null;
		}
		int concurrency;
		try {
			concurrency = Integer.parseInt(value.trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("concurrency '" + value + "' is not a number");
		}
		if (concurrency < 1) {
			throw new IllegalArgumentException("concurrency must be at least 1, not " + concurrency);
		}
		return concurrency;
	}

	private static void checkSinglePayload(Method method) {
		List<String> payloadParameters = new ArrayList<>();
		// A suspend function's last parameter is the Continuation that Kotlin adds.
		int declared = method.getParameterCount() - (KotlinDetector.isSuspendingFunction(method) ? 1 : 0);
		for (int i = 0; i < declared; i++) {
			MethodParameter parameter = new MethodParameter(method, i);
			if (claimsPayload(parameter)) {
				payloadParameters
					.add(parameter.getParameterType().getSimpleName() + " " + method.getParameters()[i].getName());
			}
		}
		if (payloadParameters.size() > 1) {
			throw new IllegalStateException("more than one parameter claims the payload " + payloadParameters
					+ "; annotate the others with @Header or @Headers");
		}
	}

	private static boolean claimsPayload(MethodParameter parameter) {
		if (parameter.hasParameterAnnotation(Payload.class)) {
			return true;
		}
		if (parameter.hasParameterAnnotation(Header.class) || parameter.hasParameterAnnotation(Headers.class)
				|| parameter.hasParameterAnnotation(DestinationVariable.class)) {
			return false;
		}
		Class<?> type = parameter.getParameterType();
		return !(org.springframework.messaging.Message.class.isAssignableFrom(type)
				|| MessageHeaders.class.isAssignableFrom(type) || MessageHeaderAccessor.class.isAssignableFrom(type)
				|| io.nats.client.Message.class.isAssignableFrom(type));
	}

	private @Nullable String resolve(@Nullable String value) {
		return (this.valueResolver != null && value != null) ? this.valueResolver.resolveStringValue(value) : value;
	}

}
