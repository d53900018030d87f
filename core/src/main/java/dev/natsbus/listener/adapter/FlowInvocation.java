package dev.natsbus.listener.adapter;

import io.nats.client.Message;
import org.jspecify.annotations.Nullable;

import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;

/**
 * A listener invocation whose Kotlin {@code Flow} results become {@code Flux}es (with
 * Spring's {@link ReactiveAdapterRegistry}, which adapts {@code Flow} where
 * kotlinx-coroutines-reactor is present), answered as any {@code Flux} is: one reply per
 * element, then the sentinel. A suspend function's {@code Flow} needs none of this:
 * Spring's coroutine support already returns it as a {@code Flux}.
 */
final class FlowInvocation implements ListenerInvocation {

	private static final String FLOW = "kotlinx.coroutines.flow.Flow";

	private final ListenerInvocation invocation;

	private final ReactiveAdapter adapter;

	private FlowInvocation(ListenerInvocation invocation, ReactiveAdapter adapter) {
		this.invocation = invocation;
		this.adapter = adapter;
	}

	/**
	 * {@code invocation} with its {@code Flow} results as {@code Flux}es when
	 * {@code handlerMethod} is declared to return a {@code Flow}; {@code invocation}
	 * itself otherwise.
	 * @throws IllegalStateException when it returns a {@code Flow} and nothing can adapt
	 * it
	 */
	static ListenerInvocation adapt(InvocableHandlerMethod handlerMethod, ListenerInvocation invocation) {
		Class<?> returnType = handlerMethod.getReturnType().getParameterType();
		if (handlerMethod instanceof SuspendingHandlerMethod || !returnType.getName().equals(FLOW)) {
			return invocation;
		}
		ReactiveAdapter adapter = ReactiveAdapterRegistry.getSharedInstance().getAdapter(returnType);
		if (adapter == null || !ListenerResults.reactorPresent()) {
			throw new IllegalStateException("the method returns a Kotlin Flow, which is answered as a Reactor Flux: "
					+ "add kotlinx-coroutines-reactor and Reactor to the application");
		}
		return new FlowInvocation(invocation, adapter);
	}

	@Override
	public @Nullable Object invoke(Message message) throws Exception {
		Object result = this.invocation.invoke(message);
		return (result != null) ? this.adapter.toPublisher(result) : null;
	}

	@Override
	public Class<?> getReturnType() {
		return this.invocation.getReturnType();
	}

}
