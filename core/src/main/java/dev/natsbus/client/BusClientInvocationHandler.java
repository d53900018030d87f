package dev.natsbus.client;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Dispatches the calls on a client proxy: bus methods to their {@link ClientMethod},
 * {@code default} methods to their own code, and {@code equals}, {@code hashCode} and
 * {@code toString} as a plain object has them (identity, and the interface's name with
 * the identity hash).
 */
final class BusClientInvocationHandler implements InvocationHandler {

	private final Class<?> type;

	private final Map<Method, ClientMethod> methods;

	BusClientInvocationHandler(Class<?> type, Map<Method, ClientMethod> methods) {
		this.type = type;
		this.methods = Map.copyOf(methods);
	}

	@Override
	public @Nullable Object invoke(Object proxy, Method method, @Nullable Object @Nullable [] args) throws Throwable {
		ClientMethod clientMethod = this.methods.get(method);
		if (clientMethod != null) {
			return clientMethod.invoke(args);
		}
		if (method.isDefault()) {
			return InvocationHandler.invokeDefault(proxy, method, args);
		}
		return switch (method.getName()) {
			case "equals" -> args != null && proxy == args[0];
			case "hashCode" -> System.identityHashCode(proxy);
			case "toString" -> this.type.getName() + "@" + Integer.toHexString(System.identityHashCode(proxy));
			default -> throw new IllegalStateException("Not a method of " + this.type.getName() + ": " + method);
		};
	}

}
