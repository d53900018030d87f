package dev.natsbus.benchmarks;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Experiment for {@code BusTemplate.setCallbackExecutor}: one daemon thread that runs
 * completions in batches and is woken only when it went idle, instead of one wake-up per
 * reply as with a {@code ThreadPoolExecutor} on a {@code LinkedBlockingQueue}. Keeps the
 * template's promise (completions never run on a jnats thread).
 */
final class BatchingExecutor implements Executor {

	private static BatchingExecutor shared;

	private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean idle = new AtomicBoolean();

	private final Thread worker;

	private BatchingExecutor(String name) {
		this.worker = new Thread(this::work, name);
		this.worker.setDaemon(true);
		this.worker.start();
	}

	static synchronized BatchingExecutor shared() {
		if (shared == null) {
			shared = new BatchingExecutor("bench-batching-callbacks");
		}
		return shared;
	}

	@Override
	public void execute(Runnable command) {
		this.queue.offer(command);
		if (this.idle.get() && this.idle.getAndSet(false)) {
			LockSupport.unpark(this.worker);
		}
	}

	private void work() {
		for (;;) {
			Runnable task;
			while ((task = this.queue.poll()) != null) {
				try {
					task.run();
				}
				catch (Throwable ex) {
					Measurement.Failures.note("batching executor", ex);
				}
			}
			this.idle.set(true);
			if (this.queue.isEmpty()) {
				LockSupport.park(this);
			}
			this.idle.set(false);
		}
	}

}
