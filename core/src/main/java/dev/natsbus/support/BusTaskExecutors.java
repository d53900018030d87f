package dev.natsbus.support;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.task.TaskExecutor;

/**
 * Where nats-bus gets its threads, in one place, so that one switch reaches all of them
 * (virtual threads, context propagation, names): the workers that run listener methods,
 * the executor that completes asynchronous requests, and the threads of the bus's own
 * background work. {@link DefaultBusTaskExecutors} is the standard; Spring Boot
 * configures it from {@code spring.threads.virtual.enabled} and the application's
 * {@code TaskDecorator}.
 * <p>
 * Whoever asks for an executor owns it and hands it back to {@link #release} when done.
 */
public interface BusTaskExecutors {

	/**
	 * The executor that runs the invocations of one listener, or {@code null} to run them
	 * on the listener's dispatcher thread, without a hand-off. The container admits at
	 * most {@code concurrency} invocations at once, so a pool of that size never queues.
	 * @param listenerId the listener's id, for thread names
	 * @param concurrency the most invocations that run at once
	 */
	@Nullable TaskExecutor listenerExecutor(String listenerId, int concurrency);

	/**
	 * The executor that the listeners of one container factory share for the invocations
	 * that their {@link #listenerExecutor} leaves to the dispatcher thread, where that
	 * thread is shared with other listeners. It runs listener methods, so virtual threads
	 * and task decorators apply to it as to {@link #listenerExecutor}. It must not queue:
	 * the container already admits at most each listener's concurrency, so every task it
	 * gets should start at once (a new or idle thread); idle threads should end, so that
	 * the threads follow the invocations running at once, not the number of listeners.
	 * @param namePrefix the prefix of the threads' names
	 */
	TaskExecutor sharedListenerExecutor(String namePrefix);

	/**
	 * The executor that completes the futures of asynchronous requests and runs their
	 * dependent stages: never a jnats thread, many short tasks.
	 * @param name the template's name, for thread names
	 */
	TaskExecutor callbackExecutor(String name);

	/**
	 * {@code executor}, running each task with the context the calling thread has now:
	 * the MDC, the current observation and trace, whatever else the application
	 * propagates. The template calls it when an asynchronous request starts, so that the
	 * request's completion and the stages that depend on it run in the caller's context
	 * on the callback thread. The default captures nothing.
	 * @param executor where the tasks run
	 */
	default Executor withCallerContext(Executor executor) {
		return executor;
	}

	/**
	 * Threads for the bus's own long-lived background work: the request timer, background
	 * connects, listener drains. They run no user code.
	 * @param namePrefix the prefix of the threads' names
	 */
	ThreadFactory threadFactory(String namePrefix);

	/**
	 * Platform threads: pooled workers and callbacks, daemon threads named
	 * {@code natsbus-...}.
	 */
	static BusTaskExecutors standard() {
		return new DefaultBusTaskExecutors();
	}

	/**
	 * Shuts down an executor that one of these methods created, without waiting for its
	 * tasks.
	 */
	static void release(@Nullable Executor executor) {
		try {
			if (executor instanceof DisposableBean disposable) {
				disposable.destroy();
			}
			else if (executor instanceof ExecutorService service) {
				service.shutdown();
			}
			else if (executor instanceof AutoCloseable closeable) {
				closeable.close();
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not shut down " + executor, ex);
		}
	}

}
