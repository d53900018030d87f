package dev.natsbus.listener.adapter;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import dev.natsbus.BusReplies;
import dev.natsbus.conversion.PayloadConverter;
import dev.natsbus.conversion.PayloadMessageConverter;
import dev.natsbus.protocol.SubjectTemplate;
import org.jspecify.annotations.Nullable;

import org.springframework.core.BridgeMethodResolver;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.DestinationVariable;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;
import org.springframework.messaging.handler.annotation.support.PayloadMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolverComposite;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.validation.Errors;
import org.springframework.validation.SmartValidator;
import org.springframework.validation.Validator;
import org.springframework.validation.annotation.ValidationAnnotationUtils;

/**
 * spring-messaging's handler method machinery, set up for NATS: payloads are converted
 * with the bus's {@link PayloadConverter}, a raw {@link io.nats.client.Message} can be
 * injected, {@code @Valid} payloads are validated with the {@linkplain #setValidator
 * validator}, and every argument failure is reported as an
 * {@link UnreadableRequestException}. Methods that serve a {@code @BusClient} method
 * ({@link #registerContractMethod}) also bind {@code @DestinationVariable} parameters to
 * the tokens of the subject, and a {@code Duration} parameter to the time left until the
 * caller's deadline. A {@code Mono} that a method returns is answered as a
 * {@code CompletableFuture} is ({@link ListenerResults}).
 */
public class BusHandlerMethodFactory extends DefaultMessageHandlerMethodFactory {

	private static final String MONO = "reactor.core.publisher.Mono";

	private static final String FLUX = "reactor.core.publisher.Flux";

	private final PayloadConverter payloadConverter;

	private List<HandlerMethodArgumentResolver> resolvers = List.of();

	private @Nullable Validator validator;

	private final CurrentValidator currentValidator = new CurrentValidator();

	private @Nullable MessageConverter messageConverter;

	/**
	 * The resolvers of suspend functions' handler methods, which the superclass cannot
	 * make: the same as every other handler method's.
	 */
	private final HandlerMethodArgumentResolverComposite suspendingResolvers = new HandlerMethodArgumentResolverComposite();

	/** The methods that serve a {@code @BusClient} method, by their bridged method. */
	private final Map<Method, ServedContract> contracts = new ConcurrentHashMap<>();

	public BusHandlerMethodFactory(PayloadConverter payloadConverter) {
		this.payloadConverter = payloadConverter;
		setMessageConverter(new PayloadMessageConverter(payloadConverter));
		setCustomArgumentResolvers(List.of(new ContinuationArgumentResolver(), new NatsMessageArgumentResolver(),
				new SubjectVariableArgumentResolver((method) -> {
					ServedContract served = this.contracts.get(method);
					return (served != null) ? served.subject() : null;
				}), new TimeLeftArgumentResolver(this.contracts::containsKey)));
		// The payload resolver keeps the validator it is made with: give it one that
		// asks for the current validator, so that it can be set at any time.
		super.setValidator(this.currentValidator);
	}

	/**
	 * The converter of payloads and {@code Message<T>} arguments; by default the bus's
	 * {@link PayloadConverter} seen as a {@link PayloadMessageConverter}.
	 */
	@Override
	public void setMessageConverter(MessageConverter messageConverter) {
		super.setMessageConverter(messageConverter);
		this.messageConverter = messageConverter;
	}

	/**
	 * The Bean Validation (or other) validator of {@code @Valid} and {@code @Validated}
	 * payloads, or {@code null} for none, in which case a listener with such a payload
	 * cannot be created.
	 */
	@Override
	public void setValidator(@Nullable Validator validator) {
		this.validator = validator;
	}

	/** The validator of {@code @Valid} payloads, or {@code null} for none. */
	public @Nullable Validator getValidator() {
		return this.validator;
	}

	@Override
	protected List<HandlerMethodArgumentResolver> initArgumentResolvers() {
		List<HandlerMethodArgumentResolver> resolvers = new ArrayList<>();
		for (HandlerMethodArgumentResolver resolver : super.initArgumentResolvers()) {
			if (resolver instanceof PayloadMethodArgumentResolver && this.messageConverter != null) {
				resolver = new PayloadArgumentResolver(this.messageConverter, this.currentValidator);
			}
			resolvers.add(new RequestReadingResolver(resolver));
		}
		this.resolvers = List.copyOf(resolvers);
		this.suspendingResolvers.clear();
		this.suspendingResolvers.addResolvers(resolvers);
		return resolvers;
	}

	/**
	 * The handler method of {@code method}; a Kotlin {@code suspend} function is started
	 * as a coroutine ({@link SuspendingHandlerMethod}), its {@code Mono} result answered
	 * as any {@code Mono} is.
	 * @throws IllegalStateException when {@code method} is a suspend function and what
	 * Spring invokes them with (kotlin-reflect, kotlinx-coroutines-reactor, Reactor) is
	 * missing
	 */
	@Override
	public InvocableHandlerMethod createInvocableHandlerMethod(Object bean, Method method) {
		if (!SuspendingHandlerMethod.isSuspending(method)) {
			return super.createInvocableHandlerMethod(bean, method);
		}
		SuspendingHandlerMethod.checkSupported(method);
		SuspendingHandlerMethod handlerMethod = new SuspendingHandlerMethod(bean, method);
		handlerMethod.setMessageMethodArgumentResolvers(this.suspendingResolvers);
		return handlerMethod;
	}

	/**
	 * The invocation of {@code method} on {@code bean} for each message, with the
	 * payload-only fast path where the method allows it.
	 */
	public ListenerInvocation createInvocation(Object bean, Method method, IncomingMessages incomingMessages) {
		InvocableHandlerMethod handlerMethod = createInvocableHandlerMethod(bean, method);
		checkValidation(handlerMethod);
		ServedContract served = this.contracts.get(BridgeMethodResolver.findBridgedMethod(method));
		checkSubjectVariables(handlerMethod, served);
		// Innermost, so that what wraps it sees a Mono as the future it becomes.
		ListenerInvocation invocation = ListenerResults.adaptAsyncResults(FlowInvocation.adapt(handlerMethod,
				new HandlerMethodInvocation(handlerMethod, payloadParameter(handlerMethod), incomingMessages)));
		if (served != null && returnsReplies(handlerMethod)) {
			return new ServedRepliesInvocation(invocation, served.sentinel());
		}
		if (served != null && !served.sentinel()
				&& handlerMethod.getReturnType().getParameterType().getName().equals(FLUX)) {
			return new ServedFluxInvocation(invocation);
		}
		return invocation;
	}

	/**
	 * Declares that {@code method} serves a {@code @BusClient} method whose subject is
	 * {@code subject}: its {@code @DestinationVariable} parameters read their tokens of
	 * the subject a message came on, a {@code Duration} parameter the time left until the
	 * caller's deadline, and a {@code BusReplies} it returns is answered as a streamed
	 * reply when {@code sentinel} is set, else with its one value. Call it before the
	 * listener of the method is created.
	 */
	public void registerContractMethod(Method method, SubjectTemplate subject, boolean sentinel) {
		this.contracts.put(BridgeMethodResolver.findBridgedMethod(method), new ServedContract(subject, sentinel));
	}

	/**
	 * A subject variable can only be read where a declared subject says where it is; a
	 * future cannot be streamed.
	 * @throws IllegalStateException naming what does not work
	 */
	private static void checkSubjectVariables(InvocableHandlerMethod handlerMethod, @Nullable ServedContract served) {
		for (MethodParameter parameter : handlerMethod.getMethodParameters()) {
			if (served == null && parameter.hasParameterAnnotation(DestinationVariable.class)) {
				throw new IllegalStateException("parameter '" + parameter.getParameterName()
						+ "' is a @DestinationVariable, which only a method serving a @BusClient interface binds "
						+ "(its subject declares the {name} tokens); read the subject with @Header(BusHeaders.SUBJECT)");
			}
		}
		if (served != null && served.sentinel() && returnsReplies(handlerMethod)
				&& isAsync(handlerMethod.getReturnType().getParameterType())) {
			throw new IllegalStateException("a future of BusReplies cannot be answered as a streamed reply "
					+ "(sentinel = true); return BusReplies<T>, or Flux<T>");
		}
		// A suspend function's result arrives as a future too.
		if (served != null && served.sentinel() && returnsReplies(handlerMethod)
				&& handlerMethod instanceof SuspendingHandlerMethod) {
			throw new IllegalStateException("the BusReplies of a suspend function cannot be answered as a streamed "
					+ "reply (sentinel = true); declare the method without suspend, returning BusReplies<T> or Flux<T>");
		}
	}

	/**
	 * Whether the method returns {@code BusReplies}, or a future or {@code Mono} of them.
	 */
	private static boolean returnsReplies(InvocableHandlerMethod handlerMethod) {
		ResolvableType type = ResolvableType.forMethodParameter(handlerMethod.getReturnType());
		if (CompletionStage.class.isAssignableFrom(type.toClass())) {
			type = type.as(CompletionStage.class).getGeneric(0);
		}
		else if (type.toClass().getName().equals(MONO)) {
			type = type.getGeneric(0);
		}
		return BusReplies.class.isAssignableFrom(type.toClass());
	}

	/** A future or a {@code Mono}, known by name so that Reactor need not be present. */
	private static boolean isAsync(Class<?> type) {
		return CompletionStage.class.isAssignableFrom(type) || type.getName().equals(MONO);
	}

	/** How a method serves its {@code @BusClient} method. */
	private record ServedContract(SubjectTemplate subject, boolean sentinel) {
	}

	/**
	 * A {@code @Valid} parameter that nothing would validate must not pass silently:
	 * spring-messaging skips validation without a validator, and validates nothing but
	 * the payload.
	 * @throws IllegalStateException naming the parameter and what to do
	 */
	private void checkValidation(InvocableHandlerMethod handlerMethod) {
		for (MethodParameter parameter : handlerMethod.getMethodParameters()) {
			String annotation = validationAnnotation(parameter);
			if (annotation == null) {
				continue;
			}
			String name = "parameter '" + ((parameter.getParameterName() != null) ? parameter.getParameterName()
					: "#" + (parameter.getParameterIndex() + 1)) + "'";
			if (!(payloadResolver(parameter) instanceof PayloadMethodArgumentResolver)) {
				throw new IllegalStateException(name + " is annotated " + annotation
						+ ", but only the payload parameter is validated; remove it or validate the value in the method");
			}
			if (this.validator == null) {
				throw new IllegalStateException(name + " is annotated " + annotation
						+ ", but no Bean Validation Validator is configured to check it: add spring-boot-starter-validation"
						+ " (or hibernate-validator) to the application, or set one with"
						+ " BusListenerContainerFactory.setValidator");
			}
		}
	}

	private static @Nullable String validationAnnotation(MethodParameter parameter) {
		for (Annotation annotation : parameter.getParameterAnnotations()) {
			if (ValidationAnnotationUtils.determineValidationHints(annotation) != null) {
				return "@" + annotation.annotationType().getSimpleName();
			}
		}
		return null;
	}

	private @Nullable HandlerMethodArgumentResolver payloadResolver(MethodParameter parameter) {
		for (HandlerMethodArgumentResolver resolver : this.resolvers) {
			if (resolver.supportsParameter(parameter)) {
				return (resolver instanceof RequestReadingResolver reading) ? reading.delegate() : resolver;
			}
		}
		return null;
	}

	/**
	 * Validates with the validator set now. Without one it finds nothing, but then no
	 * listener with a {@code @Valid} payload gets created.
	 */
	private final class CurrentValidator implements SmartValidator {

		@Override
		public boolean supports(Class<?> type) {
			Validator current = BusHandlerMethodFactory.this.validator;
			return current != null && current.supports(type);
		}

		@Override
		public void validate(Object target, Errors errors) {
			Validator current = BusHandlerMethodFactory.this.validator;
			if (current != null) {
				current.validate(target, errors);
			}
		}

		@Override
		public void validate(Object target, Errors errors, Object... validationHints) {
			Validator current = BusHandlerMethodFactory.this.validator;
			if (current instanceof SmartValidator smart) {
				smart.validate(target, errors, validationHints);
			}
			else if (current != null) {
				current.validate(target, errors);
			}
		}

	}

	/**
	 * The payload-only fast path for {@code handlerMethod}, or {@code null} when its
	 * arguments need the regular resolution.
	 */
	@Nullable PayloadParameter payloadParameter(InvocableHandlerMethod handlerMethod) {
		return PayloadParameter.of(handlerMethod, this.resolvers, this.payloadConverter);
	}

}
