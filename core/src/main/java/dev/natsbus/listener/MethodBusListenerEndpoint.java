package dev.natsbus.listener;

import java.lang.reflect.Method;

import dev.natsbus.BusListenerErrorHandler;
import dev.natsbus.listener.adapter.BusHandlerMethodFactory;
import dev.natsbus.listener.adapter.IncomingMessages;
import dev.natsbus.listener.adapter.ListenerInvocation;
import org.jspecify.annotations.Nullable;

/**
 * A listener that is a bean method, usually found from its {@code @BusListener}
 * annotation: its arguments are resolved as spring-messaging resolves them.
 *
 * @param id the listener id
 * @param beanName the name of the bean that declares the method
 * @param bean the bean (possibly a proxy) to invoke the method on
 * @param method the method, invocable on {@code bean}
 * @param subject the subject, possibly with wildcards
 * @param queue the queue group, or {@code null} for the factory's default
 * @param concurrency the most invocations that run at once, or {@code null} for the
 * factory's default
 * @param broadcast whether it subscribes in no queue group (then {@code queue} is
 * {@code null})
 * @param errorHandler the error handler, or {@code null} for the factory's default
 */
public record MethodBusListenerEndpoint(String id, String beanName, Object bean, Method method, String subject,
		@Nullable String queue, @Nullable Integer concurrency, boolean broadcast,
		@Nullable BusListenerErrorHandler errorHandler) implements BusListenerEndpoint {

	/** A listener in a queue group, with the factory's default error handler. */
	public MethodBusListenerEndpoint(String id, String beanName, Object bean, Method method, String subject,
			@Nullable String queue, @Nullable Integer concurrency) {
		this(id, beanName, bean, method, subject, queue, concurrency, false, null);
	}

	@Override
	public String getId() {
		return this.id;
	}

	@Override
	public String getSubject() {
		return this.subject;
	}

	@Override
	public @Nullable String getQueue() {
		return this.queue;
	}

	@Override
	public boolean isBroadcast() {
		return this.broadcast;
	}

	@Override
	public @Nullable Integer getConcurrency() {
		return this.concurrency;
	}

	@Override
	public @Nullable BusListenerErrorHandler getErrorHandler() {
		return this.errorHandler;
	}

	@Override
	public ListenerInvocation createInvocation(BusHandlerMethodFactory handlerMethodFactory,
			IncomingMessages incomingMessages) {
		return handlerMethodFactory.createInvocation(this.bean, this.method, incomingMessages);
	}

	/** {@code Bean.method (bean 'name')}. */
	@Override
	public String describe() {
		return this.method.getDeclaringClass().getSimpleName() + "." + this.method.getName() + " (bean '"
				+ this.beanName + "')";
	}

}
