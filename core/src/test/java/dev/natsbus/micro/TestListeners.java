package dev.natsbus.micro;

import java.lang.reflect.Method;
import java.util.Arrays;

import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.conversion.JsonPayloadConverter;
import dev.natsbus.listener.MethodBusListenerEndpoint;
import dev.natsbus.listener.BusListenerRegistry;

import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Listener containers without a server: a registry that is never started only needs the
 * size of its pool.
 */
final class TestListeners {

	final BusListenerRegistry registry;

	TestListeners() {
		NatsConnectionPool pool = mock(NatsConnectionPool.class);
		given(pool.size()).willReturn(1);
		this.registry = new BusListenerRegistry(pool, new JsonPayloadConverter());
	}

	/**
	 * Registers {@code bean.methodName} with the default id {@code beanName.methodName}.
	 */
	TestListeners add(String beanName, Object bean, String methodName, String subject, String queue) {
		return add(beanName + "." + methodName, beanName, bean, methodName, subject, queue);
	}

	/** Registers {@code bean.methodName} as a broadcast listener, in no queue group. */
	TestListeners broadcast(String beanName, Object bean, String methodName, String subject) {
		this.registry.registerListener(new MethodBusListenerEndpoint(beanName + "." + methodName, beanName, bean,
				method(bean, methodName), subject, null, 1, true, null));
		return this;
	}

	private static Method method(Object bean, String methodName) {
		return Arrays.stream(bean.getClass().getDeclaredMethods())
			.filter(candidate -> candidate.getName().equals(methodName))
			.findFirst()
			.orElseThrow();
	}

	TestListeners add(String id, String beanName, Object bean, String methodName, String subject, String queue) {
		Method method = Arrays.stream(bean.getClass().getDeclaredMethods())
			.filter(candidate -> candidate.getName().equals(methodName))
			.findFirst()
			.orElseThrow();
		this.registry.registerListener(new MethodBusListenerEndpoint(id, beanName, bean, method, subject, queue, 1));
		return this;
	}

}
