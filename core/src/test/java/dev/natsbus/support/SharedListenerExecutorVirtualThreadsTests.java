package dev.natsbus.support;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.natsbus.test.RequiresJava21;
import dev.natsbus.test.VirtualThreads;
import org.junit.jupiter.api.Test;

import org.springframework.core.task.TaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With virtual threads the workers that listeners share on shared dispatchers are virtual
 * threads, decorated as every listener worker is.
 */
@RequiresJava21
class SharedListenerExecutorVirtualThreadsTests {

	private static final ThreadLocal<String> DECORATED = new ThreadLocal<>();

	@Test
	void sharedListenerWorkersAreDecoratedVirtualThreads() throws Exception {
		DefaultBusTaskExecutors executors = new DefaultBusTaskExecutors();
		executors.setVirtualThreads(true);
		executors.setTaskDecorator((task) -> () -> {
			DECORATED.set("decorated");
			try {
				task.run();
			}
			finally {
				DECORATED.remove();
			}
		});
		TaskExecutor shared = executors.sharedListenerExecutor("natsbus-listener-");
		CompletableFuture<String> seen = new CompletableFuture<>();
		shared.execute(() -> seen.complete((VirtualThreads.isVirtual(Thread.currentThread()) ? "virtual " : "platform ")
				+ Thread.currentThread().getName() + " " + DECORATED.get()));
		assertThat(seen.get(10, TimeUnit.SECONDS)).startsWith("virtual natsbus-listener-").endsWith(" decorated");
		BusTaskExecutors.release(shared);
	}

}
