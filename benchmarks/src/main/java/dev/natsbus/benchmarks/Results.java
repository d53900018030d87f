package dev.natsbus.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.natsbus.benchmarks.Measurement.Segment;
import dev.natsbus.benchmarks.Scenarios.RowSpec;
import dev.natsbus.benchmarks.Scenarios.Target;
import org.HdrHistogram.Histogram;

/** Aggregation of segments into per-side and per-row results, and the target verdicts. */
final class Results {

	private Results() {
	}

	/** One side of one row over all its rounds. */
	record Side(String unit, List<Segment> segments, List<Double> rounds, double throughput, Histogram latency,
			long count, long failures, double callerBytesPerOp, double jvmBytesPerOp, double jvmCpuMicrosPerOp,
			double serverCpuMicrosPerOp) {

		static Side of(List<Segment> segments, String unit) {
			List<Double> rounds = new ArrayList<>();
			Histogram latency = Measurement.histogram();
			long count = 0;
			long failures = 0;
			long callerBytes = 0;
			long jvmBytes = 0;
			long jvmCpu = 0;
			long serverCpu = 0;
			for (Segment segment : segments) {
				jvmCpu += segment.jvmCpuNanos();
				serverCpu += segment.serverCpuNanos();
				rounds.add(segment.throughput());
				latency.add(segment.latency());
				count += segment.count();
				failures += segment.failures();
				callerBytes += segment.callerBytes();
				jvmBytes += segment.jvmBytes();
			}
			double perOp = Math.max(count, 1);
			return new Side(unit, List.copyOf(segments), rounds, median(rounds), latency, count, failures,
					callerBytes / perOp, jvmBytes / perOp, jvmCpu / perOp / 1000.0, serverCpu / perOp / 1000.0);
		}

		/** Latency percentile in microseconds. */
		double micros(double percentile) {
			return (this.latency.getTotalCount() == 0) ? Double.NaN
					: this.latency.getValueAtPercentile(percentile) / 1000.0;
		}

	}

	/**
	 * @param note what else the row measured (scenario 5: how long the handlers really
	 * slept)
	 */
	record Row(RowSpec spec, Side raw, Side bus, String note) {

		/**
		 * Median over the rounds of bus/raw throughput, each bus segment against the raw
		 * segment run right next to it: drift of a shared machine cancels out within a
		 * pair.
		 */
		Double ratio() {
			return paired(segment -> segment.throughput());
		}

		/**
		 * JVM CPU time per request, nats-bus over raw: what each request costs, much less
		 * disturbed than throughput by other work on a shared machine.
		 */
		Double cpuRatio() {
			return (this.raw != null && this.bus != null && this.raw.jvmCpuMicrosPerOp() > 0)
					? this.bus.jvmCpuMicrosPerOp() / this.raw.jvmCpuMicrosPerOp() : null;
		}

		/**
		 * Median over the rounds of bus/raw p99 latency, paired like {@link #ratio()};
		 * from all rounds together when segments are too small for a p99 of their own.
		 */
		Double p99Ratio() {
			if (this.raw == null || this.bus == null) {
				return null;
			}
			boolean large = this.raw.segments().stream().allMatch(s -> s.latency().getTotalCount() >= 1000)
					&& this.bus.segments().stream().allMatch(s -> s.latency().getTotalCount() >= 1000);
			if (!large) {
				return (this.raw.micros(99) > 0) ? this.bus.micros(99) / this.raw.micros(99) : null;
			}
			return paired(segment -> (double) segment.latency().getValueAtPercentile(99));
		}

		private Double paired(java.util.function.ToDoubleFunction<Segment> metric) {
			if (this.raw == null || this.bus == null) {
				return null;
			}
			List<Double> ratios = new ArrayList<>();
			int n = Math.min(this.raw.segments().size(), this.bus.segments().size());
			for (int i = 0; i < n; i++) {
				double r = metric.applyAsDouble(this.raw.segments().get(i));
				double b = metric.applyAsDouble(this.bus.segments().get(i));
				if (r > 0 && !Double.isNaN(r) && !Double.isNaN(b)) {
					ratios.add(b / r);
				}
			}
			return ratios.isEmpty() ? null : median(ratios);
		}

		/**
		 * Throughput over the ideal (concurrency x 100/s) of a 10 ms handler; scenario 5
		 * only.
		 */
		Double efficiency(Side side) {
			Integer concurrency = this.spec.concurrency();
			if (side == null || concurrency == null) {
				return null;
			}
			return side.throughput() / (concurrency * (1000.0 / Scenarios.HANDLER_MILLIS));
		}

		long failures() {
			return ((this.raw != null) ? this.raw.failures() : 0) + ((this.bus != null) ? this.bus.failures() : 0);
		}

		/** PASS or MISS against this row's own target; "-" where the row has none. */
		String verdict() {
			Target target = this.spec.target();
			boolean checked = false;
			boolean pass = true;
			if (target.minRatio() != null && ratio() != null) {
				checked = true;
				pass &= ratio() >= target.minRatio();
			}
			if (target.maxP99Ratio() != null && p99Ratio() != null) {
				checked = true;
				pass &= p99Ratio() <= target.maxP99Ratio();
			}
			if (target.minEfficiency() != null && efficiency(this.bus) != null) {
				checked = true;
				pass &= efficiency(this.bus) >= target.minEfficiency();
			}
			if (!checked) {
				return "-";
			}
			return (pass && failures() == 0) ? "PASS" : (failures() > 0 ? "MISS (failures)" : "MISS");
		}

	}

	static double median(List<Double> values) {
		if (values.isEmpty()) {
			return 0;
		}
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		int n = sorted.size();
		return (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
	}

	/** Scenario-level targets that no single row decides. */
	static List<String> summary(List<Row> rows) {
		List<String> lines = new ArrayList<>();
		Row bestPool = null;
		for (Row row : rows) {
			if (row.spec().scenario() == 4 && row.ratio() != null
					&& (bestPool == null || row.ratio() > bestPool.ratio())) {
				bestPool = row;
			}
		}
		if (bestPool != null) {
			lines.add(String.format(java.util.Locale.ROOT,
					"Best pool size at T=64: %s at %.2fx raw single connection (target >= 1.0x): %s",
					bestPool.spec().param(), bestPool.ratio(), bestPool.ratio() >= 1.0 ? "PASS" : "MISS"));
		}
		for (Row row : rows) {
			if (row.spec().scenario() == 7 && row.spec().param().endsWith(Scenarios.INTERCEPTED)) {
				String plain = row.spec()
					.param()
					.substring(0, row.spec().param().length() - Scenarios.INTERCEPTED.length());
				rows.stream()
					.filter((other) -> other.spec().scenario() == 7 && other.spec().param().equals(plain))
					.findFirst()
					.filter((without) -> without.ratio() != null && row.ratio() != null)
					.ifPresent((without) -> lines.add(String.format(java.util.Locale.ROOT,
							"Interceptors at %s: bus/raw %.2f without, %.2f with one on each side (%.2fx)", plain,
							without.ratio(), row.ratio(), row.ratio() / without.ratio())));
			}
		}
		for (int scenario = 1; scenario < Scenarios.TITLES.length; scenario++) {
			int s = scenario;
			List<Row> ofScenario = rows.stream().filter(r -> r.spec().scenario() == s).toList();
			if (ofScenario.isEmpty() || s == 4 || s == 6) {
				continue;
			}
			long pass = ofScenario.stream().filter(r -> r.verdict().equals("PASS")).count();
			long checked = ofScenario.stream().filter(r -> !r.verdict().equals("-")).count();
			if (checked > 0) {
				lines.add(String.format(java.util.Locale.ROOT, "Scenario %d (%s): %d of %d rows meet the target", s,
						Scenarios.TITLES[s], pass, checked));
			}
		}
		long failures = rows.stream().mapToLong(Row::failures).sum();
		lines.add("Failed or wrong replies over the whole run: " + failures);
		return lines;
	}

}
