package dev.natsbus.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * Outcomes of the requests of one scenario: sent, succeeded, failed by exception type,
 * the slowest call, and the failures themselves (bounded) for assertions on what and
 * when. {@link #report} prints the line the README's "Reliability" table is made of and
 * appends it to {@code target/reliability-results.md}.
 */
final class Tally {

	private static final int MAX_KEPT = 20_000;

	private final LongAdder sent = new LongAdder();

	private final LongAdder succeeded = new LongAdder();

	private final Map<String, LongAdder> failed = new ConcurrentHashMap<>();

	private final AtomicLong slowestNanos = new AtomicLong();

	private final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();

	private final AtomicInteger kept = new AtomicInteger();

	/** A failed call: when it started and ended (System.nanoTime), and what it threw. */
	record Failure(long startNanos, long endNanos, Throwable exception) {

		long millis() {
			return (this.endNanos - this.startNanos) / 1_000_000;
		}

	}

	void success(long startNanos) {
		this.sent.increment();
		this.succeeded.increment();
		slowest(startNanos);
	}

	void failure(long startNanos, Throwable exception) {
		this.sent.increment();
		this.failed.computeIfAbsent(exception.getClass().getSimpleName(), type -> new LongAdder()).increment();
		long end = System.nanoTime();
		slowest(startNanos);
		if (this.kept.incrementAndGet() <= MAX_KEPT) {
			this.failures.add(new Failure(startNanos, end, exception));
		}
	}

	private void slowest(long startNanos) {
		this.slowestNanos.accumulateAndGet(System.nanoTime() - startNanos, Math::max);
	}

	long sent() {
		return this.sent.sum();
	}

	long succeeded() {
		return this.succeeded.sum();
	}

	long failedCount() {
		return this.failed.values().stream().mapToLong(LongAdder::sum).sum();
	}

	Map<String, Long> failedByType() {
		Map<String, Long> byType = new TreeMap<>();
		this.failed.forEach((type, count) -> byType.put(type, count.sum()));
		return byType;
	}

	List<Failure> failures() {
		return List.copyOf(this.failures);
	}

	long slowestMillis() {
		return this.slowestNanos.get() / 1_000_000;
	}

	double successRate() {
		long total = sent();
		return (total > 0) ? (100.0 * succeeded() / total) : 0;
	}

	String summary() {
		String byType = failedByType().entrySet()
			.stream()
			.map(entry -> entry.getKey() + "=" + entry.getValue())
			.collect(Collectors.joining(", "));
		return String.format("sent=%d succeeded=%d (%.2f%%) failed=%d {%s} slowest=%dms", sent(), succeeded(),
				successRate(), failedCount(), byType, slowestMillis());
	}

	/**
	 * Prints and records one result line:
	 * {@code | scenario | sent | succeeded | failed by type | notes |}.
	 */
	void report(String scenario, String notes) {
		report(scenario, sent(), succeeded(), failedByType().toString(),
				notes + "; slowest call " + slowestMillis() + " ms");
	}

	static void report(String scenario, long sent, long succeeded, String failedByType, String notes) {
		String line = String.format("| %s | %d | %d | %s | %s |", scenario, sent, succeeded, failedByType, notes);
		System.out.println("RELIABILITY " + line);
		try {
			Path file = Path.of("target", "reliability-results.md");
			Files.createDirectories(file.getParent());
			Files.writeString(file, line + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
					StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
