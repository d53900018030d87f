package dev.natsbus.test;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.util.Optional;

/**
 * JUnit 5 extension that starts a nats-server (or cluster) once per test class and stops
 * it after all tests, also when they fail: the running servers sit in the class-level
 * {@link ExtensionContext.Store} as an {@link AutoCloseable}, which JUnit closes itself.
 *
 * <p>
 * Declarative use is {@link NatsServerTest @NatsServerTest}. Programmatic use needs a
 * <em>static</em> field, because servers are started in {@code beforeAll}:
 *
 * <pre>{@code
 * &#64;RegisterExtension
 * static NatsServerExtension nats = NatsServerExtension.server().withMonitoring();
 *
 *

&#64;Test
 * void roundTrip() throws Exception {
 *     try (Connection nc = Nats.connect(nats.url())) { ... }
 * }
 * }</pre>
 *
 * <p>
 * Parameters of type {@link NatsServer} (a cluster's node 0) and {@link NatsCluster} are
 * injected. {@code @Nested} classes share their enclosing class's servers unless
 * annotated themselves.
 */
public class NatsServerExtension implements BeforeAllCallback, ParameterResolver {

	private static final Namespace NAMESPACE = Namespace.create(NatsServerExtension.class);

	/**
	 * Null for the instance JUnit creates from {@code @ExtendWith}, which reads the
	 * annotation instead.
	 */
	private final NatsServerSpec programmaticSpec;

	private volatile StartedNats current;

	/**
	 * Used by {@link NatsServerTest}; prefer {@link #server()} or {@link #cluster(int)}
	 * in code.
	 */
	public NatsServerExtension() {
		this(null);
	}

	private NatsServerExtension(NatsServerSpec programmaticSpec) {
		this.programmaticSpec = programmaticSpec;
	}

	/** One server on a free loopback port. */
	public static NatsServerExtension server() {
		return new NatsServerExtension(NatsServerSpec.DEFAULT);
	}

	/**
	 * A routed cluster of {@code nodes} servers; routes are complete before the first
	 * test runs.
	 */
	public static NatsServerExtension cluster(int nodes) {
		return new NatsServerExtension(NatsServerSpec.DEFAULT.withNodes(nodes));
	}

	/** A copy that also enables the HTTP monitoring port (clusters always have it). */
	public NatsServerExtension withMonitoring() {
		return new NatsServerExtension(spec().withMonitoring());
	}

	/**
	 * A copy that appends {@code config} to the server config, see
	 * {@link NatsServer.Builder#config(String)}.
	 */
	public NatsServerExtension withConfig(String config) {
		return new NatsServerExtension(spec().withConfig(config));
	}

	/**
	 * The running server, or node 0 of a cluster.
	 *
	 * Named {@code get...} because {@link #server()} is the factory method.
	 * @throws IllegalStateException before {@code beforeAll} or after all tests of the
	 * class
	 */
	public NatsServer getServer() {
		return started().server();
	}

	/**
	 * The running cluster.
	 * @throws IllegalStateException if this extension runs a single server or has not
	 * started
	 */
	public NatsCluster getCluster() {
		NatsCluster cluster = started().cluster();
		if (cluster == null) {
			throw new IllegalStateException("This extension runs a single server; use NatsServerExtension.cluster(n)");
		}
		return cluster;
	}

	/** Client URL, comma-separated URLs for a cluster. */
	public String url() {
		return started().url();
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		started(context);
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		Class<?> type = parameterContext.getParameter().getType();
		return type == NatsServer.class || type == NatsCluster.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		StartedNats nats = started(extensionContext);
		if (parameterContext.getParameter().getType() == NatsServer.class) {
			return nats.server();
		}
		if (nats.cluster() == null) {
			throw new ParameterResolutionException("Cannot inject NatsCluster into "
					+ parameterContext.getDeclaringExecutable()
					+ ": a single server is running; use @NatsServerTest(cluster = 3) or NatsServerExtension.cluster(3)");
		}
		return nats.cluster();
	}

	private NatsServerSpec spec() {
		return programmaticSpec != null ? programmaticSpec : NatsServerSpec.DEFAULT;
	}

	private StartedNats started() {
		StartedNats nats = current;
		if (nats == null) {
			throw new IllegalStateException("NATS is not running: register the extension on a static field "
					+ "(@RegisterExtension static NatsServerExtension ...) and use it only while the test class runs");
		}
		return nats;
	}

	/**
	 * Finds or starts the servers for the test class behind {@code context}. Called from
	 * beforeAll and from parameter resolution, because with a per-class lifecycle the
	 * constructor is resolved first.
	 */
	private StartedNats started(ExtensionContext context) {
		ExtensionContext classContext = classContext(context);
		Class<?> testClass = classContext.getRequiredTestClass();
		Optional<Class<?>> annotatedOwner = programmaticSpec == null ? NatsServerSpec.owner(testClass)
				: Optional.empty();
		Object key;
		Class<?> owner;
		NatsServerSpec spec;
		ExtensionContext ownerContext;
		if (annotatedOwner.isPresent()) {
			owner = annotatedOwner.get();
			key = owner;
			spec = NatsServerSpec.declaredOn(owner).orElse(NatsServerSpec.DEFAULT);
			ownerContext = contextOf(classContext, owner);
		}
		else {
			// Inherited by @Nested classes through the same extension instance, hence
			// keyed by it.
			key = this;
			Running inherited = classContext.getStore(NAMESPACE).get(key, Running.class);
			if (inherited != null) {
				current = inherited.nats;
				return inherited.nats;
			}
			owner = testClass;
			spec = spec();
			ownerContext = classContext;
		}
		Running running = ownerContext.getStore(NAMESPACE)
			.computeIfAbsent(key, k -> new Running(owner, NatsTestServers.acquire(owner, spec)), Running.class);
		current = running.nats;
		return running.nats;
	}

	private static ExtensionContext classContext(ExtensionContext context) {
		ExtensionContext candidate = context;
		while (candidate.getTestMethod().isPresent() && candidate.getParent().isPresent()) {
			candidate = candidate.getParent().get();
		}
		return candidate;
	}

	private static ExtensionContext contextOf(ExtensionContext classContext, Class<?> owner) {
		for (ExtensionContext candidate = classContext; candidate != null; candidate = candidate.getParent()
			.orElse(null)) {
			if (candidate.getTestClass().orElse(null) == owner) {
				return candidate;
			}
		}
		return classContext;
	}

	/**
	 * Store entry whose closing, done by JUnit when the owning class finishes, stops the
	 * servers.
	 */
	private final class Running implements AutoCloseable {

		private final Class<?> owner;

		private final StartedNats nats;

		private Running(Class<?> owner, StartedNats nats) {
			this.owner = owner;
			this.nats = nats;
		}

		@Override
		public void close() {
			if (current == nats) {
				current = null;
			}
			NatsTestServers.release(owner);
		}

	}

}
