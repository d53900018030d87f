package dev.natsbus.listener.adapter;

import java.util.ArrayList;
import java.util.List;

import dev.natsbus.conversion.PayloadConverter;
import dev.natsbus.conversion.PayloadMessageConverter;
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
	 * The payload-only fast path for {@code handlerMethod}, or {@code null} when its
	 * arguments need the regular resolution.
	 */
	public PayloadParameter payloadParameter(InvocableHandlerMethod handlerMethod) {
		return PayloadParameter.of(handlerMethod, this.resolvers, this.payloadConverter);
	}

}
