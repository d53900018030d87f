package dev.natsbus.support;

import java.util.concurrent.Executor;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;

import org.springframework.util.ClassUtils;

/**
 * {@link ContextCapture}s made with Micrometer's context-propagation library, an optional
 * dependency: call these only when it is on the class path.
 */
public final class CallerContexts {

	private static final boolean SLF4J_PRESENT = ClassUtils.isPresent("org.slf4j.MDC",
			CallerContexts.class.getClassLoader());

	private CallerContexts() {
	}

	/**
	 * Captures what the global {@link ContextRegistry} propagates (the current
	 * observation, and with it the trace, through Micrometer's
	 * {@code ObservationThreadLocalAccessor}) and, unless the registry already does, the
	 * whole SLF4J MDC. The global registry itself is left as it is: it is copied as it is
	 * now.
	 */
	public static ContextCapture withMdc() {
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
		return of(ContextSnapshotFactory.builder().contextRegistry(registry).build());
	}

	/**
	 * Captures what {@code factory} captures
	 * ({@link ContextSnapshotFactory#captureAll()}).
	 */
	public static ContextCapture of(ContextSnapshotFactory factory) {
		return (executor) -> {
			ContextSnapshot snapshot = factory.captureAll();
			return (task) -> executor.execute(snapshot.wrap(task));
		};
	}

}
