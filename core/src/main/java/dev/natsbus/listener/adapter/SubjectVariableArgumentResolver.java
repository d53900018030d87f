package dev.natsbus.listener.adapter;

import java.lang.reflect.Method;
import java.util.function.Function;

import dev.natsbus.BusHeaders;
import dev.natsbus.protocol.SubjectTemplate;
import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.core.convert.support.DefaultConversionService;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.support.DestinationVariableMethodArgumentResolver;

/**
 * Resolves a {@code @DestinationVariable} parameter of a listener that serves a
 * {@code @BusClient} method from the subject the message came on: the token at the
 * position of its {@code {name}} in the declared subject, converted to the parameter's
 * type as spring-messaging converts destination variables.
 */
final class SubjectVariableArgumentResolver extends DestinationVariableMethodArgumentResolver {

	private final Function<Method, @Nullable SubjectTemplate> templates;

	/**
	 * @param templates the declared subject of each served method
	 */
	SubjectVariableArgumentResolver(Function<Method, @Nullable SubjectTemplate> templates) {
		super(DefaultConversionService.getSharedInstance());
		this.templates = templates;
	}

	@Override
	protected @Nullable Object resolveArgumentInternal(MethodParameter parameter, Message<?> message, String name) {
		SubjectTemplate template = this.templates.apply(parameter.getMethod());
		String subject = message.getHeaders().get(BusHeaders.SUBJECT, String.class);
		return (template != null && subject != null) ? template.variable(subject, name) : null;
	}

}
