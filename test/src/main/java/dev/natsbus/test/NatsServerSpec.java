package dev.natsbus.test;

import org.junit.platform.commons.support.AnnotationSupport;

import java.lang.reflect.Modifier;
import java.util.Optional;

/**
 * What to start for a test class, whether declared by {@link NatsServerTest} or built
 * through {@link NatsServerExtension}'s factory methods, so both paths start servers the
 * same way.
 */
record NatsServerSpec(int nodes, boolean monitoring, String config, int maxPayload, String property) {

	static final NatsServerSpec DEFAULT = new NatsServerSpec(1, false, "", 0, "natsbus.servers");

	NatsServerSpec {
		if (nodes < 1) {
			throw new IllegalArgumentException("@NatsServerTest(cluster) must be at least 1: " + nodes);
		}
		if (maxPayload < 0) {
			throw new IllegalArgumentException("@NatsServerTest(maxPayload) must not be negative: " + maxPayload);
		}
	}

	static NatsServerSpec of(NatsServerTest annotation) {
		return new NatsServerSpec(annotation.cluster(), annotation.monitoring(), annotation.config(),
				annotation.maxPayload(), annotation.property());
	}

	NatsServerSpec withNodes(int count) {
		return new NatsServerSpec(count, monitoring, config, maxPayload, property);
	}

	NatsServerSpec withMonitoring() {
		return new NatsServerSpec(nodes, true, config, maxPayload, property);
	}

	NatsServerSpec withConfig(String text) {
		String joined = config.isBlank() ? text : config + "\n" + text;
		return new NatsServerSpec(nodes, monitoring, joined, maxPayload, property);
	}

	/**
	 * The class whose servers a test class uses: itself when it (or a superclass) carries
	 * {@link NatsServerTest}, otherwise the nearest annotated class enclosing a
	 * {@code @Nested} one.
	 */
	static Optional<Class<?>> owner(Class<?> testClass) {
		for (Class<?> type = testClass; type != null; type = enclosingOfInner(type)) {
			if (AnnotationSupport.isAnnotated(type, NatsServerTest.class)) {
				return Optional.of(type);
			}
		}
		return Optional.empty();
	}

	static Optional<NatsServerSpec> declaredOn(Class<?> type) {
		return AnnotationSupport.findAnnotation(type, NatsServerTest.class).map(NatsServerSpec::of);
	}

	/** Starts what the spec describes; nothing is left running if that fails. */
	StartedNats start() {
		if (nodes == 1) {
			NatsServer.Builder builder = NatsServer.builder().monitoring(monitoring).config(config);
			if (maxPayload > 0) {
				builder.maxPayload(maxPayload);
			}
			return new StartedNats(builder.start(), null, property);
		}
		String clusterConfig = maxPayload > 0 ? config + "\nmax_payload: " + maxPayload : config;
		return new StartedNats(null, NatsCluster.builder().nodes(nodes).config(clusterConfig).start(), property);
	}

	private static Class<?> enclosingOfInner(Class<?> type) {
		return Modifier.isStatic(type.getModifiers()) ? null : type.getEnclosingClass();
	}
}
