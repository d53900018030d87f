package dev.natsbus.listener.adapter;

import java.lang.reflect.Type;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import dev.natsbus.conversion.PayloadConverter;
import org.springframework.core.GenericTypeResolver;
import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.support.PayloadMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.messaging.support.GenericMessage;

/**
 * The fast path for the most common listener, a method whose only parameter is the
 * payload ({@code Quote quote(QuoteRequest request)}): the payload is read straight from
 * the message bytes and handed to the method as a provided argument, so that no Spring
 * message, header map or argument resolution is built per delivery, the largest share of
 * a listener's own CPU otherwise.
 * <p>
 * It applies only where spring-messaging would resolve the parameter as a plain payload:
 * one parameter without annotations (no {@code @Payload}, {@code @Header},
 * {@code @Valid}...) that no other resolver claims. Whatever it cannot read exactly as
 * spring-messaging would (an empty payload, a conversion failure) goes the regular way,
 * so errors and their replies are the same.
 */
final class PayloadParameter {

	/**
	 * Stands in for the Spring message, which the handler method does not read when its
	 * argument is provided.
	 */
	private static final Message<byte[]> PROVIDED = new GenericMessage<>(new byte[0]);

	private final Class<?> parameterType;

	private final Type targetType;

	private final PayloadConverter converter;

	private PayloadParameter(MethodParameter parameter, PayloadConverter converter) {
		this.parameterType = parameter.getParameterType();
		this.targetType = GenericTypeResolver.resolveType(parameter.getGenericParameterType(),
				parameter.getContainingClass());
		this.converter = converter;
	}

	/**
	 * The payload parameter of {@code handlerMethod}, or {@code null} when the method
	 * needs the regular argument resolution.
	 * @param resolvers the resolvers of the handler method, in the order they are asked
	 */
	static @Nullable PayloadParameter of(InvocableHandlerMethod handlerMethod,
			Iterable<HandlerMethodArgumentResolver> resolvers, PayloadConverter converter) {
		MethodParameter[] parameters = handlerMethod.getMethodParameters();
		// A suspend function's Continuation is no argument of the message's.
		int declared = (parameters.length == 2 && handlerMethod instanceof SuspendingHandlerMethod) ? 1
				: parameters.length;
		if (declared != 1) {
			return null;
		}
		MethodParameter parameter = parameters[0];
		Class<?> type = parameter.getParameterType();
		if (parameter.hasParameterAnnotations() || type.isPrimitive() || type == Optional.class) {
			return null;
		}
		for (HandlerMethodArgumentResolver resolver : resolvers) {
			if (resolver.supportsParameter(parameter)) {
				HandlerMethodArgumentResolver actual = (resolver instanceof RequestReadingResolver reading)
						? reading.delegate() : resolver;
				return (actual instanceof PayloadMethodArgumentResolver) ? new PayloadParameter(parameter, converter)
						: null;
			}
		}
		return null;
	}

	/**
	 * The payload read from {@code data}, or {@code null} when the regular argument
	 * resolution must read it (and report why it cannot).
	 */
	@Nullable Object read(byte @Nullable [] data) {
		if (data == null || data.length == 0) {
			return null;
		}
		if (this.parameterType.isInstance(data)) {
			return data;
		}
		Object payload;
		try {
			payload = this.converter.fromBytes(data, this.targetType);
		}
		catch (RuntimeException ex) {
			// Any converter's failure, not only BusConversionException: the regular
			// resolution
			// reports it as an unreadable request (400), as it always has.
			return null;
		}
		return this.parameterType.isInstance(payload) ? payload : null;
	}

	/** Invokes {@code handlerMethod} with a payload from {@link #read}. */
	static Object invoke(InvocableHandlerMethod handlerMethod, Object payload) throws Exception {
		return handlerMethod.invoke(PROVIDED, payload);
	}

}
