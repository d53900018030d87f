package dev.natsbus.benchmarks;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import dev.natsbus.benchmarks.Measurement.Segment;
import dev.natsbus.benchmarks.Measurement.Counts;
import dev.natsbus.benchmarks.Measurement.Window;
import org.HdrHistogram.Recorder;

/**
 * One thread keeping a window of W requests in flight: a new one goes out as soon as a
 * reply (checked in the completion callback, wherever the library runs it) frees a slot.
 */
final class AsyncLoad implements Load {

	@FunctionalInterface
	interface Call {

		CompletionStage<?> call(long id) throws Exception;

	}

	@FunctionalInterface
	interface Check {

		void check(Object reply, long id) throws Exception;

	}

	private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(15);

	private final String name;

	private final int window;

	private final Call call;

	private final Check check;

	private final AutoCloseable resources;

	AsyncLoad(String name, int window, Call call, Check check, AutoCloseable resources) {
		this.name = name;
		this.window = window;
		this.call = call;
		this.check = check;
		this.resources = resources;
	}

	@Override
	public Segment run(Duration settle, Duration measure) {
		Window control = new Window();
		Semaphore slots = new Semaphore(this.window);
		LongAdder count = new LongAdder();
		LongAdder failures = new LongAdder();
		Recorder recorder = new Recorder(Measurement.MAX_LATENCY_NANOS, 3);
		long idBase = Measurement.nextIdBase();
		Thread driver = new Thread(() -> {
			long sequence = 0;
			while (!control.stop) {
				try {
					if (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
						continue;
					}
				}
				catch (InterruptedException ex) {
					return;
				}
				long id = idBase | sequence++;
				long start = System.nanoTime();
				try {
					this.call.call(id).whenComplete((reply, ex) -> {
						long end = System.nanoTime();
						boolean ok = false;
						try {
							if (ex != null) {
								throw (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
							}
							this.check.check(reply, id);
							ok = true;
						}
						catch (Throwable failure) {
							Measurement.Failures.note(this.name, failure);
						}
						if (!ok) {
							failures.increment();
						}
						else if (control.measuring) {
							recorder.recordValue(Measurement.clamp(end - start));
							count.increment();
						}
						slots.release();
					});
				}
				catch (Throwable ex) {
					Measurement.Failures.note(this.name, ex);
					failures.increment();
					slots.release();
				}
			}
		}, this.name + "-async");
		driver.setDaemon(true);
		driver.start();
		return Measurement.measure(control, settle, measure, new long[] { driver.getId() }, () -> {
			try {
				driver.join();
				// Every request in flight must come back (or fail) before the next
				// segment.
				if (!slots.tryAcquire(this.window, DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
					int lost = this.window - slots.availablePermits();
					System.err.println("  ! " + this.name + ": " + lost + " requests never completed");
					failures.add(lost);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			return new Counts(count.sum(), failures.sum(), recorder.getIntervalHistogram());
		});
	}

	@Override
	public void close() {
		Fixtures.closeQuietly(this.resources);
	}

}
