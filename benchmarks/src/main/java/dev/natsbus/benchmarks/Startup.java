package dev.natsbus.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * What setting up one side cost: wall time, platform threads started and heap retained
 * after a full GC, measured around the set-up alone.
 */
final class Startup {

	private final long t0;

	private final int threads0;

	private final long heap0;

	private Startup() {
		this.heap0 = retainedHeap();
		this.threads0 = ManagementFactory.getThreadMXBean().getThreadCount();
		this.t0 = System.nanoTime();
	}

	static Startup begin() {
		return new Startup();
	}

	/** Call when the side is ready to serve. */
	String end(String what) {
		long millis = (System.nanoTime() - this.t0) / 1_000_000;
		int threads = ManagementFactory.getThreadMXBean().getThreadCount() - this.threads0;
		long heap = retainedHeap() - this.heap0;
		return String.format(Locale.ROOT, "%s: start-up %d ms, +%d platform threads, +%.1f MiB retained heap", what,
				millis, threads, heap / 1048576.0);
	}

	private static long retainedHeap() {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

}
