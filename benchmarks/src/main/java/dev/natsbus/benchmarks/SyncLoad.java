package dev.natsbus.benchmarks;

import java.time.Duration;

import dev.natsbus.benchmarks.Measurement.Segment;
import dev.natsbus.benchmarks.Measurement.Counts;
import dev.natsbus.benchmarks.Measurement.Window;
import org.HdrHistogram.Histogram;

/** T threads, each doing blocking request/reply calls back to back. */
final class SyncLoad implements Load {

	/** One checked request: returns normally only when the right reply came back. */
	@FunctionalInterface
	interface Call {

		void call(long id) throws Exception;

	}

	private final String name;

	private final int threads;

	private final Call call;

	private final AutoCloseable resources;

	SyncLoad(String name, int threads, Call call, AutoCloseable resources) {
		this.name = name;
		this.threads = threads;
		this.call = call;
		this.resources = resources;
	}

	@Override
	public Segment run(Duration settle, Duration measure) {
		Window window = new Window();
		long idBase = Measurement.nextIdBase();
		Worker[] workers = new Worker[this.threads];
		long[] ids = new long[this.threads];
		for (int i = 0; i < this.threads; i++) {
			workers[i] = new Worker(this.name + "-req-" + i, window, idBase | ((long) i << 32));
			workers[i].start();
			ids[i] = workers[i].getId();
		}
		return Measurement.measure(window, settle, measure, ids, () -> {
			long count = 0;
			long failures = 0;
			Histogram latency = Measurement.histogram();
			for (Worker worker : workers) {
				try {
					worker.join();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException(ex);
				}
				count += worker.count;
				failures += worker.failures;
				latency.add(worker.latency);
			}
			return new Counts(count, failures, latency);
		});
	}

	@Override
	public void close() {
		Fixtures.closeQuietly(this.resources);
	}

	private final class Worker extends Thread {

		private final Window window;

		private final long idBase;

		final Histogram latency = Measurement.histogram();

		long count;

		long failures;

		Worker(String threadName, Window window, long idBase) {
			super(threadName);
			setDaemon(true);
			this.window = window;
			this.idBase = idBase;
		}

		@Override
		public void run() {
			long sequence = 0;
			while (!this.window.stop) {
				long id = this.idBase | sequence++;
				long start = System.nanoTime();
				boolean ok;
				try {
					SyncLoad.this.call.call(id);
					ok = true;
				}
				catch (Throwable ex) {
					ok = false;
					Measurement.Failures.note(SyncLoad.this.name, ex);
				}
				long end = System.nanoTime();
				if (!ok) {
					this.failures++;
				}
				else if (this.window.measuring) {
					this.latency.recordValue(Measurement.clamp(end - start));
					this.count++;
				}
			}
		}

	}

}
