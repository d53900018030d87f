package dev.natsbus.test;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Last line of defence against orphaned nats-server processes: when the test JVM exits
 * without closing a server (aborted run, leaked instance), the servers still registered
 * here are killed.
 */
final class ProcessReaper {

	private static final Set<ProcessHandle> LIVE = ConcurrentHashMap.newKeySet();

	static {
		Thread hook = new Thread(() -> LIVE.forEach(ProcessHandle::destroyForcibly), "nats-server-reaper");
		Runtime.getRuntime().addShutdownHook(hook);
	}

	private ProcessReaper() {
	}

	static void register(ProcessHandle process) {
		LIVE.add(process);
	}

	static void unregister(ProcessHandle process) {
		LIVE.remove(process);
	}

}
