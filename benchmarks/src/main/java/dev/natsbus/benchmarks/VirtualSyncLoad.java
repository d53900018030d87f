package dev.natsbus.benchmarks;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import dev.natsbus.benchmarks.Measurement.Counts;
import dev.natsbus.benchmarks.Measurement.Segment;
import dev.natsbus.benchmarks.Measurement.Window;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * N callers, each on a virtual thread of its own (Java 21+), doing blocking request/reply
 * calls back to back; latencies go to one shared histogram, so that 10,000 callers cost
 * no more memory than one. Caller allocation is not measured (the JDK does not count it
 * per virtual thread); the JVM column is.
 */
final class VirtualSyncLoad implements Load {

	private static final MethodHandle OF_VIRTUAL_UNSTARTED = unstarted();

	private final String name;

	private final int callers;

	private final SyncLoad.Call call;

	private final AutoCloseable resources;

	VirtualSyncLoad(String name, int callers, SyncLoad.Call call, AutoCloseable resources) {
		if (OF_VIRTUAL_UNSTARTED == null) {
			throw new IllegalStateException("Virtual threads need Java 21 or later, this is " + Runtime.version());
		}
		this.name = name;
		this.callers = callers;
		this.call = call;
		this.resources = resources;
	}

	static boolean available() {
		return OF_VIRTUAL_UNSTARTED != null;
	}

	private static MethodHandle unstarted() {
		try {
			MethodHandles.Lookup lookup = MethodHandles.publicLookup();
			Class<?> builder = Class.forName("java.lang.Thread$Builder");
			MethodHandle ofVirtual = lookup.findStatic(Thread.class, "ofVirtual",
					MethodType.methodType(Class.forName("java.lang.Thread$Builder$OfVirtual")));
			MethodHandle unstarted = lookup.findVirtual(builder, "unstarted",
					MethodType.methodType(Thread.class, Runnable.class));
			MethodHandle builderOf = ofVirtual.asType(MethodType.methodType(builder));
			return MethodHandles.collectArguments(unstarted, 0, builderOf);
		}
		catch (ReflectiveOperationException ex) {
			return null;
		}
	}

	private static Thread virtual(Runnable task) {
		try {
			return (Thread) OF_VIRTUAL_UNSTARTED.invokeExact(task);
		}
		catch (Throwable ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public Segment run(Duration settle, Duration measure) {
		Window window = new Window();
		long idBase = Measurement.nextIdBase();
		Histogram latency = new ConcurrentHistogram(Measurement.MAX_LATENCY_NANOS, 3);
		LongAdder count = new LongAdder();
		LongAdder failures = new LongAdder();
		List<Thread> threads = new ArrayList<>(this.callers);
		for (int i = 0; i < this.callers; i++) {
			long base = idBase | ((long) i << 32);
			Thread thread = virtual(() -> {
				long sequence = 0;
				while (!window.stop) {
					long id = base | sequence++;
					long start = System.nanoTime();
					try {
						this.call.call(id);
						if (window.measuring) {
							latency.recordValue(Measurement.clamp(System.nanoTime() - start));
							count.increment();
						}
					}
					catch (Throwable ex) {
						failures.increment();
						Measurement.Failures.note(this.name, ex);
					}
				}
			});
			threads.add(thread);
			thread.start();
		}
		return Measurement.measure(window, settle, measure, new long[0], () -> {
			for (Thread thread : threads) {
				try {
					thread.join();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException(ex);
				}
			}
			Histogram copy = Measurement.histogram();
			copy.add(latency);
			return new Counts(count.sum(), failures.sum(), copy);
		});
	}

	@Override
	public void close() {
		Fixtures.closeQuietly(this.resources);
	}

}
