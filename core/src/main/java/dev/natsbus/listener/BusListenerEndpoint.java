package dev.natsbus.listener;

import java.lang.reflect.Method;

/**
 * One resolved {@code @BusListener} declaration: what to subscribe to and what to invoke.
 *
 * @param id the listener id for logs and metrics
 * @param beanName the name of the bean that declares the method
 * @param bean the bean (possibly a proxy) to invoke the method on
 * @param method the method, invocable on {@code bean}
 * @param subject the subject, possibly with wildcards
 * @param queue the queue group
 * @param concurrency the most invocations that run at once, at least 1
 */
public record BusListenerEndpoint(String id, String beanName, Object bean, Method method, String subject, String queue,
		int concurrency) {

	/** {@code Bean.method} for messages. */
	public String describe() {
		return this.method.getDeclaringClass().getSimpleName() + "." + this.method.getName() + " (bean '"
				+ this.beanName + "')";
	}

}
