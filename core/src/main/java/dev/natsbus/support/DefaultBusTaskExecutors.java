package dev.natsbus.support;

import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

import org.jspecify.annotations.Nullable;

import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.TaskExecutor;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The standard {@link BusTaskExecutors}. With platform threads (the default) a listener
 * of concurrency 1 runs on its dispatcher thread or, where that thread is shared, on a
 * pool that such listeners share, whose idle threads end; a listener of concurrency N on
 * a pool of N threads; and asynchronous requests complete on a small pool per template.
 * With {@linkplain #setVirtualThreads virtual threads} (Java 21+) each listener
 * invocation and each completion runs on a virtual thread of its own, and listener
 * concurrency stays bounded by the container. A {@linkplain #setTaskDecorator task
 * decorator} (for example Spring's {@code ContextPropagatingTaskDecorator}) wraps every
 * listener invocation and completion. With a {@linkplain #setContextCapture context
 * capture} (for example {@link CallerContexts#withMdc()}, Micrometer context-propagation)
 * an asynchronous request completes, and its dependent stages run, in the context its
 * caller had when it sent the request. Every thread is a daemon thread whose name starts
 * with {@code natsbus-}.
 */
public class DefaultBusTaskExecutors implements BusTaskExecutors {

	private boolean virtualThreads;

	private @Nullable TaskDecorator taskDecorator;

	private @Nullable ContextCapture contextCapture;

	/** Whether listener invocations and completions run on virtual threads (Java 21+). */
	public void setVirtualThreads(boolean virtualThreads) {
		this.virtualThreads = virtualThreads;
	}

	public boolean isVirtualThreads() {
		return this.virtualThreads;
	}

	/**
	 * A decorator for every listener invocation and every completion of an asynchronous
	 * request.
	 */
	public void setTaskDecorator(@Nullable TaskDecorator taskDecorator) {
		this.taskDecorator = taskDecorator;
	}

	/**
	 * How {@link #withCallerContext} captures the caller's context (for example
	 * {@link CallerContexts#withMdc()}: observation, trace and MDC), or {@code null} (the
	 * default) to capture nothing.
	 */
	public void setContextCapture(@Nullable ContextCapture contextCapture) {
		this.contextCapture = contextCapture;
	}

	@Override
	public Executor withCallerContext(Executor executor) {
		ContextCapture capture = this.contextCapture;
		return (capture != null) ? capture.capture(executor) : executor;
	}

	@Override
	public @Nullable TaskExecutor listenerExecutor(String listenerId, int concurrency) {
		String prefix = "natsbus-" + listenerId + "-";
		if (this.virtualThreads) {
			return virtual(prefix);
		}
		if (concurrency == 1 && this.taskDecorator == null) {
			return null;
		}
		return pool(prefix, concurrency, false);
	}

	@Override
	public TaskExecutor sharedListenerExecutor(String namePrefix) {
		if (this.virtualThreads) {
			return virtual(namePrefix);
		}
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setThreadNamePrefix(namePrefix);
		executor.setDaemon(true);
		// No queue: every task starts on an idle or a new thread, and threads idle for a
		// minute end.
		executor.setCorePoolSize(0);
		executor.setMaxPoolSize(Integer.MAX_VALUE);
		executor.setQueueCapacity(0);
		executor.setKeepAliveSeconds(60);
		executor.setTaskDecorator(this.taskDecorator);
		executor.setWaitForTasksToCompleteOnShutdown(true);
		executor.setAwaitTerminationSeconds(0);
		executor.initialize();
		return executor;
	}

	@Override
	public TaskExecutor callbackExecutor(String name) {
		String prefix = "natsbus-callback-" + name + "-";
		if (this.virtualThreads) {
			return virtual(prefix);
		}
		return pool(prefix, Math.max(2, Runtime.getRuntime().availableProcessors()), true);
	}

	@Override
	public ThreadFactory threadFactory(String namePrefix) {
		CustomizableThreadFactory factory = new CustomizableThreadFactory(namePrefix);
		factory.setDaemon(true);
		return factory;
	}

	private TaskExecutor virtual(String prefix) {
		SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor(prefix);
		executor.setVirtualThreads(true);
		executor.setTaskDecorator(this.taskDecorator);
		return executor;
	}

	private TaskExecutor pool(String prefix, int size, boolean idleThreadsEnd) {
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setThreadNamePrefix(prefix);
		executor.setDaemon(true);
		executor.setCorePoolSize(size);
		executor.setMaxPoolSize(size);
		executor.setAllowCoreThreadTimeOut(idleThreadsEnd);
		executor.setKeepAliveSeconds(30);
		executor.setTaskDecorator(this.taskDecorator);
		// Shut down gracefully without waiting: tasks already queued (completions of
		// requests
		// failed by the shutdown itself) still run, so that no caller is left hanging.
		executor.setWaitForTasksToCompleteOnShutdown(true);
		executor.setAwaitTerminationSeconds(0);
		executor.initialize();
		return executor;
	}

}
