package dev.natsbus.support;

import java.util.concurrent.Executor;

/**
 * Captures the calling thread's context (MDC, observation, trace) for work that runs
 * later for the same caller on another thread. {@link CallerContexts} makes one from
 * Micrometer's context-propagation; this type itself needs no library, so that
 * {@link DefaultBusTaskExecutors} loads and introspects without it.
 */
@FunctionalInterface
public interface ContextCapture {

	/**
	 * {@code executor}, running each task in the context the calling thread has now.
	 */
	Executor capture(Executor executor);

}
