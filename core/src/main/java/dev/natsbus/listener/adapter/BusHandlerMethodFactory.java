package dev.natsbus.listener.adapter;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import dev.natsbus.conversion.PayloadConverter;
import dev.natsbus.conversion.PayloadMessageConverter;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;

/**
 * spring-messaging's handler method machinery, set up for NATS: payloads are converted
 * with the bus's {@link PayloadConverter}, a raw {@link io.nats.client.Message} can be
 * injected, and every argument failure is reported as an
 * {@link UnreadableRequestException}.
 */
public class BusHandlerMethodFactory extends DefaultMessageHandlerMethodFactory {

	private final PayloadConverter payloadConverter;

	private List<HandlerMethodArgumentResolver> resolvers = List.of();

	public BusHandlerMethodFactory(PayloadConverter payloadConverter) {
		this.payloadConverter = payloadConverter;
		setMessageConverter(new PayloadMessageConverter(payloadConverter));
		setCustomArgumentResolvers(List.of(new NatsMessageArgumentResolver()));
	}

	@Override
	protected List<HandlerMethodArgumentResolver> initArgumentResolvers() {
		List<HandlerMethodArgumentResolver> resolvers = new ArrayList<>();
		for (HandlerMethodArgumentResolver resolver : super.initArgumentResolvers()) {
			resolvers.add(new RequestReadingResolver(resolver));
		}
		this.resolvers = List.copyOf(resolvers);
		return resolvers;
	}

	/**
	 * The invocation of {@code method} on {@code bean} for each message, with the
	 * payload-only fast path where the method allows it.
	 */
	public ListenerInvocation createInvocation(Object bean, Method method, IncomingMessages incomingMessages) {
		InvocableHandlerMethod handlerMethod = createInvocableHandlerMethod(bean, method);
		return new HandlerMethodInvocation(handlerMethod, payloadParameter(handlerMethod), incomingMessages);
	}

	/**
	 * The payload-only fast path for {@code handlerMethod}, or {@code null} when its
	 * arguments need the regular resolution.
	 */
	@Nullable PayloadParameter payloadParameter(InvocableHandlerMethod handlerMethod) {
		return PayloadParameter.of(handlerMethod, this.resolvers, this.payloadConverter);
	}

}
