package dev.natsbus.benchmarks;

import java.time.Duration;

import dev.natsbus.benchmarks.Measurement.Segment;

/** One side's workload of one row, with its connections and listeners already set up. */
interface Load extends AutoCloseable {

	/** Runs one segment: {@code settle} unmeasured, then {@code measure} measured. */
	Segment run(Duration settle, Duration measure);

	/** What is counted ("req/s" or "msg/s"). */
	default String unit() {
		return "req/s";
	}

	/** What else this side measured, for the row's note, or null. */
	default String note() {
		return null;
	}

	@Override
	void close();

}
