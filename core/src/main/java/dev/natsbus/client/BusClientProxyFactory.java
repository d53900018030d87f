package dev.natsbus.client;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

import dev.natsbus.BusClient;
import dev.natsbus.BusOperations;
import dev.natsbus.contract.BusContract;
import dev.natsbus.contract.ContractMethod;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.util.StringValueResolver;

/**
 * Makes proxies of {@link BusClient} interfaces whose methods call a
 * {@link BusOperations} (usually the {@code BusTemplate}):
 * {@code new BusClientProxyFactory(template).createClient(QuoteClient.class)}.
 * <p>
 * Each interface is read once, when its proxy is made: subjects and timeouts with their
 * placeholders resolved, every parameter's role and every return type decided; an invalid
 * declaration fails here with an {@link IllegalStateException} naming the interface and
 * the method. A call then only binds its arguments and calls the operations, so a proxy
 * fails as the template does (the same typed {@code BusException}s), plus an
 * {@link IllegalArgumentException} before anything is sent for a subject variable that is
 * not a single token, a required header that is {@code null}, or a timeout that is not
 * positive.
 * <p>
 * Timeouts: a {@code Duration} argument, else the method's annotation, else the
 * interface's {@code @BusClient(timeout)}, else the operations' default timeout.
 */
public class BusClientProxyFactory {

	private final BusOperations operations;

	private @Nullable StringValueResolver valueResolver;

	/** Proxies whose calls go through {@code operations}. */
	public BusClientProxyFactory(BusOperations operations) {
		Assert.notNull(operations, "operations must not be null");
		this.operations = operations;
	}

	/**
	 * Resolves {@code ${...}} placeholders (and expressions) in subjects, timeouts and
	 * request-many options when a proxy is made; none are resolved without one.
	 */
	public void setEmbeddedValueResolver(@Nullable StringValueResolver valueResolver) {
		this.valueResolver = valueResolver;
	}

	/** The operations the proxies call. */
	public BusOperations getOperations() {
		return this.operations;
	}

	/**
	 * A proxy of {@code type}.
	 * @throws IllegalArgumentException when {@code type} is not a {@code @BusClient}
	 * interface
	 * @throws IllegalStateException when one of its declarations cannot work
	 */
	public <T> T createClient(Class<T> type) {
		Assert.notNull(type, "type must not be null");
		BusContract contract = BusContract.of(type, this.valueResolver);
		Map<Method, ClientMethod> methods = new HashMap<>();
		for (ContractMethod method : contract.getMethods()) {
			methods.put(method.getMethod(), new ClientMethod(method, this.operations));
		}
		Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type },
				new BusClientInvocationHandler(type, methods));
		return type.cast(proxy);
	}

}
