package dev.natsbus.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A continuous stream of calls from several threads, each call recorded in a
 * {@link Tally}, paced so that the load stays bounded on a small CI machine.
 */
final class Load implements AutoCloseable {

	/** One call; {@code sequence} is unique across the threads of a load. */
	@FunctionalInterface
	interface Call {

		void run(long sequence) throws Exception;

	}

	private final Tally tally;

	private final List<Thread> threads = new ArrayList<>();

	private final AtomicLong sequence = new AtomicLong();

	private volatile boolean running = true;

	Load(String name, int threadCount, Duration pause, Tally tally, Call call) {
		this.tally = tally;
		for (int i = 0; i < threadCount; i++) {
			Thread thread = new Thread(() -> {
				while (this.running) {
					long start = System.nanoTime();
					try {
						call.run(this.sequence.incrementAndGet());
						tally.success(start);
					}
					catch (Throwable ex) {
						tally.failure(start, ex);
					}
					LockSupport.parkNanos(pause.toNanos());
				}
			}, "load-" + name + "-" + i);
			thread.setDaemon(true);
			this.threads.add(thread);
		}
	}

	Load start() {
		this.threads.forEach(Thread::start);
		return this;
	}

	Tally tally() {
		return this.tally;
	}

	/** Stops the threads after their current call and waits for them. */
	@Override
	public void close() throws InterruptedException {
		this.running = false;
		for (Thread thread : this.threads) {
			thread.join(30_000);
			if (thread.isAlive()) {
				throw new AssertionError("Load thread " + thread.getName() + " hangs in a call");
			}
		}
	}

}
