package dev.natsbus.support;

import java.util.concurrent.Executor;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;

import org.springframework.util.ClassUtils;

/**
 * Captures a caller's context with Micrometer's context-propagation library (an optional
 * dependency: only {@link DefaultBusTaskExecutors} refers to this class, and only once a
 * factory is set).
 */
public final class CallerContexts {

	private static final boolean SLF4J_PRESENT = ClassUtils.isPresent("org.slf4j.MDC",
			CallerContexts.class.getClassLoader());

	private CallerContexts() {
	}

	/**
	 * A factory that captures what the global {@link ContextRegistry} propagates (the
	 * current observation, and with it the trace, through Micrometer's
	 * {@code ObservationThreadLocalAccessor}) and, unless the registry already does, the
	 * whole SLF4J MDC. The global registry itself is left as it is: it is copied as it is
	 * now.
	 */
	public static ContextSnapshotFactory withMdc() {
		ContextRegistry global = ContextRegistry.getInstance();
		ContextRegistry registry = new ContextRegistry();
		global.getThreadLocalAccessors().forEach(registry::registerThreadLocalAccessor);
		global.getContextAccessors().forEach(registry::registerContextAccessor);
		boolean mdcPropagated = registry.getThreadLocalAccessors()
			.stream()
			.anyMatch((accessor) -> Slf4jThreadLocalAccessor.KEY.equals(accessor.key()));
		if (SLF4J_PRESENT && !mdcPropagated) {
			registry.registerThreadLocalAccessor(new Slf4jThreadLocalAccessor());
		}
		return ContextSnapshotFactory.builder().contextRegistry(registry).build();
	}

	/**
	 * {@code executor}, running each task in the context captured now by {@code factory}.
	 */
	static Executor capture(ContextSnapshotFactory factory, Executor executor) {
		ContextSnapshot snapshot = factory.captureAll();
		return (task) -> executor.execute(snapshot.wrap(task));
	}

}
