package dev.natsbus.conversion;

import java.lang.reflect.Type;

import org.jspecify.annotations.Nullable;
import dev.natsbus.BusConversionException;
import org.springframework.core.GenericTypeResolver;
import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.SmartMessageConverter;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Presents a {@link PayloadConverter} as a spring-messaging
 * {@link SmartMessageConverter}, so that {@code @Payload} and {@code Message<T>}
 * arguments of listener methods are converted with the same wire format as the template,
 * including generic parameter types.
 */
public class PayloadMessageConverter implements SmartMessageConverter {

	private final PayloadConverter payloadConverter;

	public PayloadMessageConverter(PayloadConverter payloadConverter) {
		this.payloadConverter = payloadConverter;
	}

	@Override
	public @Nullable Object fromMessage(Message<?> message, Class<?> targetClass) {
		return fromMessage(message, targetClass, null);
	}

	@Override
	public @Nullable Object fromMessage(Message<?> message, Class<?> targetClass, @Nullable Object conversionHint) {
		Object payload = message.getPayload();
		if (!(payload instanceof byte[] data)) {
			return targetClass.isInstance(payload) ? payload : null;
		}
		try {
			return this.payloadConverter.fromBytes(data, targetType(targetClass, conversionHint));
		}
		catch (BusConversionException ex) {
			throw new MessageConversionException(message, ex.getMessage(), ex);
		}
	}

	@Override
	public Message<?> toMessage(Object payload, @Nullable MessageHeaders headers) {
		return toMessage(payload, headers, null);
	}

	@Override
	public Message<?> toMessage(Object payload, @Nullable MessageHeaders headers, @Nullable Object conversionHint) {
		byte[] bytes = this.payloadConverter.toBytes(payload);
		return (headers != null) ? MessageBuilder.createMessage(bytes, headers)
				: MessageBuilder.withPayload(bytes).build();
	}

	private static Type targetType(Class<?> targetClass, @Nullable Object conversionHint) {
		if (conversionHint instanceof MethodParameter parameter) {
			MethodParameter nested = parameter.nestedIfOptional();
			if (Message.class.isAssignableFrom(nested.getParameterType())) {
				nested = nested.nested();
			}
			Type generic = nested.getNestedGenericParameterType();
			return GenericTypeResolver.resolveType(generic, nested.getContainingClass());
		}
		return targetClass;
	}

}
