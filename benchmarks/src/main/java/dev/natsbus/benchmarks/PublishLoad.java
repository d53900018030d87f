package dev.natsbus.benchmarks;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import dev.natsbus.benchmarks.Measurement.Segment;
import dev.natsbus.benchmarks.Measurement.Counts;
import dev.natsbus.benchmarks.Measurement.Window;
import org.HdrHistogram.Recorder;

/**
 * Fire-and-forget: one thread publishes numbered events as fast as the receiver keeps up
 * (at most {@link #MAX_LAG} published but not yet received, so that nothing is dropped as
 * a slow consumer); the receiving listener checks the order and counts. Throughput is
 * messages delivered per second; latency is publish-to-receipt (same JVM clock) and so
 * mostly the time spent queued behind the lag window.
 */
final class PublishLoad implements Load {

	static final long MAX_LAG = 8192;

	@FunctionalInterface
	interface Publish {

		void publish(byte[] body) throws Exception;

	}

	/** The receiving end, called by the listener (one thread at a time, in order). */
	static final class Receiver {

		private final AtomicLong received = new AtomicLong();

		private final LongAdder failures = new LongAdder();

		private final LongAdder inWindow = new LongAdder();

		private final Recorder latency = new Recorder(Measurement.MAX_LATENCY_NANOS, 3);

		private volatile Window window;

		private long expected;

		void onMessage(byte[] body) {
			long now = System.nanoTime();
			if (!Payloads.intact(body)) {
				this.failures.increment();
			}
			else {
				long sequence = Payloads.sequence(body);
				if (sequence != this.expected) {
					// A gap (lost messages) or a message out of order.
					this.failures.add(Math.max(1, Math.abs(sequence - this.expected)));
				}
				this.expected = sequence + 1;
				Window current = this.window;
				if (current != null && current.measuring) {
					this.latency.recordValue(Measurement.clamp(now - Payloads.sentNanos(body)));
					this.inWindow.increment();
				}
			}
			this.received.incrementAndGet();
		}

	}

	private final String name;

	private final Publish publish;

	private final Receiver receiver;

	private final AutoCloseable resources;

	private long sent;

	PublishLoad(String name, Publish publish, Receiver receiver, AutoCloseable resources) {
		this.name = name;
		this.publish = publish;
		this.receiver = receiver;
		this.resources = resources;
	}

	@Override
	public String unit() {
		return "msg/s";
	}

	@Override
	public Segment run(Duration settle, Duration measure) {
		Window control = new Window();
		LongAdder publishFailures = new LongAdder();
		long failuresBefore = this.receiver.failures.sum();
		this.receiver.inWindow.reset();
		this.receiver.latency.reset();
		this.receiver.window = control;
		Thread publisher = new Thread(() -> {
			long sequence = this.sent;
			while (!control.stop) {
				while (sequence - this.receiver.received.get() >= MAX_LAG && !control.stop) {
					LockSupport.parkNanos(20_000);
				}
				try {
					this.publish.publish(Payloads.event(sequence, System.nanoTime()));
					sequence++;
				}
				catch (Throwable ex) {
					Measurement.Failures.note(this.name, ex);
					publishFailures.increment();
				}
			}
			this.sent = sequence;
		}, this.name + "-pub");
		publisher.setDaemon(true);
		publisher.start();
		return Measurement.measure(control, settle, measure, new long[] { publisher.getId() }, () -> {
			try {
				publisher.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
			while (this.receiver.received.get() < this.sent && System.nanoTime() < deadline) {
				Measurement.sleep(Duration.ofMillis(5));
			}
			long lost = Math.max(0, this.sent - this.receiver.received.get());
			if (lost > 0) {
				System.err.println("  ! " + this.name + ": " + lost + " messages never arrived");
				// Count them once; the receiver's gap check must not count them again.
				this.receiver.received.addAndGet(lost);
				this.receiver.expected = this.sent;
			}
			long failures = publishFailures.sum() + lost + this.receiver.failures.sum() - failuresBefore;
			return new Counts(this.receiver.inWindow.sum(), failures, this.receiver.latency.getIntervalHistogram());
		});
	}

	@Override
	public void close() {
		Fixtures.closeQuietly(this.resources);
	}

}
