package dev.natsbus.test;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Servers started for test classes, keyed by owning class. It lets the Spring context
 * customizer and the JUnit extension share one server whichever of them runs first:
 * Spring may build its context key before the extension's beforeAll, depending on the
 * order of annotations on the test class. The extension always owns stopping it.
 */
final class NatsTestServers {

	private static final Map<Class<?>, StartedNats> STARTED = new HashMap<>();

	private NatsTestServers() {
	}

	/**
	 * The servers for {@code owner}, started now from {@code spec} if not running yet.
	 */
	static synchronized StartedNats acquire(Class<?> owner, NatsServerSpec spec) {
		StartedNats existing = STARTED.get(owner);
		if (existing != null) {
			return existing;
		}
		StartedNats started = spec.start();
		STARTED.put(owner, started);
		return started;
	}

	static synchronized Optional<StartedNats> find(Class<?> owner) {
		return Optional.ofNullable(STARTED.get(owner));
	}

	/** Stops the servers of {@code owner}, if any. */
	static void release(Class<?> owner) {
		StartedNats removed;
		synchronized (NatsTestServers.class) {
			removed = STARTED.remove(owner);
		}
		if (removed != null) {
			removed.close();
		}
	}

}
