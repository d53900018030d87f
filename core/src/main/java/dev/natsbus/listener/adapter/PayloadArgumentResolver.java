package dev.natsbus.listener.adapter;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.SmartMessageConverter;
import org.springframework.messaging.handler.annotation.support.PayloadMethodArgumentResolver;
import org.springframework.validation.Validator;

/**
 * spring-messaging's payload resolution, with the nullability of the parameter respected
 * as Spring MVC does for {@code @RequestBody}: a parameter that may be {@code null} (a
 * Kotlin {@code Order?}, a JSpecify {@code @Nullable}; see
 * {@link MethodParameter#isOptional()}) takes an empty request or one that reads as
 * {@code null} (JSON {@code null}) as {@code null}, while any other parameter refuses it
 * with a {@link NullPayloadException} that says so.
 */
final class PayloadArgumentResolver extends PayloadMethodArgumentResolver {

	private final MessageConverter converter;

	/** Whether each parameter may be {@code null}: Kotlin's answer costs reflection. */
	private final Map<MethodParameter, Boolean> nullable = new ConcurrentHashMap<>();

	PayloadArgumentResolver(MessageConverter converter, Validator validator) {
		super(converter, validator);
		this.converter = converter;
	}

	@Override
	public @Nullable Object resolveArgument(MethodParameter parameter, Message<?> message) throws Exception {
		boolean nullable = isNullable(parameter);
		if (nullable && isEmptyPayload(message.getPayload())) {
			return null;
		}
		try {
			return super.resolveArgument(parameter, message);
		}
		catch (MessageConversionException ex) {
			// Only on the failure path: a payload that converts to null is refused by the
			// resolver alike for every parameter.
			if (!readsAsNull(parameter, message)) {
				throw ex;
			}
			if (nullable) {
				return null;
			}
			throw new NullPayloadException(message, ex);
		}
	}

	private boolean isNullable(MethodParameter parameter) {
		return this.nullable.computeIfAbsent(parameter, (key) -> key.getParameterType() != Optional.class
				&& !key.getParameterType().isPrimitive() && key.isOptional());
	}

	private boolean readsAsNull(MethodParameter parameter, Message<?> message) {
		Class<?> targetClass = resolveTargetClass(parameter, message);
		try {
			Object payload = (this.converter instanceof SmartMessageConverter smart)
					? smart.fromMessage(message, targetClass, parameter)
					: this.converter.fromMessage(message, targetClass);
			return payload == null;
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	/** A request that reads as {@code null} for a parameter that cannot be. */
	static final class NullPayloadException extends MessageConversionException {

		NullPayloadException(Message<?> message, Throwable cause) {
			super(message, "The payload reads as null, which the parameter does not accept", cause);
		}

	}

}
