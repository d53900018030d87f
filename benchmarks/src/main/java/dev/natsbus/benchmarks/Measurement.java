package dev.natsbus.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;

/**
 * Shared pieces of every load: the measuring window, allocation counters, failure notes.
 */
final class Measurement {

	/** Latencies are recorded in nanoseconds, clamped to this. */
	static final long MAX_LATENCY_NANOS = TimeUnit.SECONDS.toNanos(30);

	private static final AtomicLong segments = new AtomicLong();

	private static final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
		.getThreadMXBean();

	static {
		if (threads.isThreadAllocatedMemorySupported()) {
			threads.setThreadAllocatedMemoryEnabled(true);
		}
	}

	private Measurement() {
	}

	static Histogram histogram() {
		return new Histogram(MAX_LATENCY_NANOS, 3);
	}

	static long clamp(long nanos) {
		return Math.min(Math.max(nanos, 1), MAX_LATENCY_NANOS);
	}

	/** A fresh id space for one segment: request ids never repeat within a run. */
	static long nextIdBase() {
		return segments.incrementAndGet() << 40;
	}

	static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

	/** When requests count: set by the controller, read by every worker. */
	static final class Window {

		volatile boolean measuring;

		volatile boolean stop;

	}

	/** What one side did in one measured segment. */
	record Segment(long count, long failures, long nanos, Histogram latency, long callerBytes, long jvmBytes,
			long jvmCpuNanos, long serverCpuNanos) {

		double throughput() {
			return (this.nanos > 0) ? this.count * 1e9 / this.nanos : 0;
		}

	}

	private static final com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	private static volatile ProcessHandle server;

	/** The nats-server child process, whose CPU time is counted too. */
	static void findServer() {
		server = ProcessHandle.current()
			.descendants()
			.filter(p -> p.info().command().map(c -> c.endsWith("nats-server")).orElse(false))
			.findFirst()
			.orElse(null);
	}

	static boolean serverFound() {
		return server != null;
	}

	/** CPU time of this JVM (all threads, including JIT and GC), in nanoseconds. */
	static long jvmCpu() {
		return os.getProcessCpuTime();
	}

	/**
	 * CPU time of the nats-server process (10 ms resolution on Linux), or 0 if unknown.
	 */
	static long serverCpu() {
		ProcessHandle current = server;
		return (current != null) ? current.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L) : 0;
	}

	/** Bytes allocated so far by the given threads. */
	static long allocated(long[] threadIds) {
		long sum = 0;
		for (long bytes : threads.getThreadAllocatedBytes(threadIds)) {
			if (bytes > 0) {
				sum += bytes;
			}
		}
		return sum;
	}

	/** Bytes allocated so far by every live thread, by thread id. */
	static Map<Long, Long> allocatedByAll() {
		long[] ids = threads.getAllThreadIds();
		long[] bytes = threads.getThreadAllocatedBytes(ids);
		Map<Long, Long> result = new HashMap<>(ids.length * 2);
		for (int i = 0; i < ids.length; i++) {
			if (bytes[i] > 0) {
				result.put(ids[i], bytes[i]);
			}
		}
		return result;
	}

	/** Bytes allocated between two snapshots (threads that died in between are lost). */
	static long allocatedBetween(Map<Long, Long> before, Map<Long, Long> after) {
		long sum = 0;
		for (Map.Entry<Long, Long> entry : after.entrySet()) {
			sum += entry.getValue() - before.getOrDefault(entry.getKey(), 0L);
		}
		return sum;
	}

	/**
	 * Controls one segment: lets the workers settle, snapshots allocation and time,
	 * measures, snapshots again, then tells the workers to stop.
	 */
	static Segment measure(Window window, Duration settle, Duration measure, long[] callerThreadIds, Finish finish) {
		sleep(settle);
		long caller0 = allocated(callerThreadIds);
		Map<Long, Long> jvm0 = allocatedByAll();
		long server0 = serverCpu();
		long cpu0 = jvmCpu();
		long t0 = System.nanoTime();
		window.measuring = true;
		sleep(measure);
		window.measuring = false;
		long t1 = System.nanoTime();
		long cpu1 = jvmCpu();
		long server1 = serverCpu();
		long caller1 = allocated(callerThreadIds);
		Map<Long, Long> jvm1 = allocatedByAll();
		window.stop = true;
		Counts counts = finish.finish();
		return new Segment(counts.count(), counts.failures(), t1 - t0, counts.latency(), caller1 - caller0,
				allocatedBetween(jvm0, jvm1), cpu1 - cpu0, server1 - server0);
	}

	/** What the controller needs from a load once it stopped. */
	@FunctionalInterface
	interface Finish {

		/**
		 * Waits for the workers to finish (and requests in flight to complete) and
		 * counts.
		 */
		Counts finish();

	}

	/** What a load counted in one segment. */
	record Counts(long count, long failures, Histogram latency) {
	}

	/**
	 * Failures are counted, and the first few of each kind are printed so that none goes
	 * unseen.
	 */
	static final class Failures {

		private static final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();

		private Failures() {
		}

		static void note(String where, Throwable ex) {
			String key = where + ": " + ex.getClass().getName();
			int count = seen.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
			if (count <= 3) {
				System.err.println("  ! failure in " + where + ": " + ex);
			}
		}

		static Map<String, Integer> summary() {
			Map<String, Integer> result = new HashMap<>();
			seen.forEach((key, count) -> result.put(key, count.get()));
			return result;
		}

	}

	/** A reply that came back but is not the answer to this request. */
	static final class MismatchException extends Exception {

		MismatchException(String message) {
			super(message, null, false, false);
		}

	}

}
