package dev.natsbus.test;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes sure no nats-server outlives the JVM that started it. A shutdown hook kills the
 * servers still registered when the JVM exits without closing them (aborted run, leaked
 * instance); a {@link ParentWatchdog} per server covers the exits that run no hook, such
 * as SIGKILL or a crash.
 */
final class ProcessReaper {

	private static final Map<ProcessHandle, ParentWatchdog> LIVE = new ConcurrentHashMap<>();

	static {
		Thread hook = new Thread(() -> LIVE.keySet().forEach(ProcessHandle::destroyForcibly), "nats-server-reaper");
		Runtime.getRuntime().addShutdownHook(hook);
	}

	private ProcessReaper() {
	}

	static void register(ProcessHandle process, Path configFile) {
		LIVE.computeIfAbsent(process, server -> ParentWatchdog.watch(server, configFile));
	}

	/** The server has been stopped on purpose: nothing is left to reap. */
	static void unregister(ProcessHandle process) {
		ParentWatchdog watchdog = LIVE.remove(process);
		if (watchdog != null) {
			watchdog.disarm();
		}
	}

}
