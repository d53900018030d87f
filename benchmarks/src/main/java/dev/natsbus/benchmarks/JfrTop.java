package dev.natsbus.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording of a benchmark run: where the CPU samples are (self and
 * inclusive), which threads burn them, and which code allocates what. <pre>
 * java -cp benchmarks/target/nats-bus-benchmarks.jar dev.natsbus.benchmarks.JfrTop rec.jfr [top] [threadPrefix]
 * </pre>
 */
public final class JfrTop {

	private JfrTop() {
	}

	public static void main(String[] args) throws IOException {
		if (args.length < 1) {
			System.err.println("Usage: JfrTop recording.jfr [top=25] [thread name prefix]");
			System.exit(2);
		}
		Path file = Path.of(args[0]);
		int top = (args.length > 1) ? Integer.parseInt(args[1]) : 25;
		String threadPrefix = (args.length > 2) ? args[2] : null;
		Map<String, Long> self = new HashMap<>();
		Map<String, Long> inclusive = new HashMap<>();
		Map<String, Long> threads = new HashMap<>();
		Map<String, Long> allocationByFrame = new HashMap<>();
		Map<String, Long> allocationByClass = new HashMap<>();
		Map<String, Long> allocationByOwnFrame = new HashMap<>();
		long samples = 0;
		long allocated = 0;
		try (RecordingFile recording = new RecordingFile(file)) {
			while (recording.hasMoreEvents()) {
				RecordedEvent event = recording.readEvent();
				String type = event.getEventType().getName();
				boolean cpu = type.equals("jdk.ExecutionSample");
				boolean allocation = type.equals("jdk.ObjectAllocationSample");
				if (!cpu && !allocation) {
					continue;
				}
				RecordedThread thread = cpu ? event.getThread("sampledThread") : event.getThread("eventThread");
				String threadName = (thread != null && thread.getJavaName() != null) ? thread.getJavaName() : "?";
				if (threadPrefix != null && !threadName.startsWith(threadPrefix)) {
					continue;
				}
				RecordedStackTrace stack = event.getStackTrace();
				List<RecordedFrame> frames = (stack != null) ? stack.getFrames() : List.of();
				if (cpu) {
					samples++;
					threads.merge(threadName.replaceAll("\\d+", "N"), 1L, Long::sum);
					if (!frames.isEmpty()) {
						self.merge(name(frames.get(0)), 1L, Long::sum);
					}
					Set<String> seen = new HashSet<>();
					for (RecordedFrame frame : frames) {
						String name = name(frame);
						if (seen.add(name)) {
							inclusive.merge(name, 1L, Long::sum);
						}
					}
				}
				else {
					long weight = event.getLong("weight");
					allocated += weight;
					String objectClass = event.getClass("objectClass").getName();
					allocationByClass.merge(objectClass, weight, Long::sum);
					if (!frames.isEmpty()) {
						allocationByFrame.merge(objectClass + " <- " + name(frames.get(0)), weight, Long::sum);
					}
					for (RecordedFrame frame : frames) {
						String name = name(frame);
						if (!isJdk(name)) {
							allocationByOwnFrame.merge(name + "  [" + objectClass + "]", weight, Long::sum);
							break;
						}
					}
				}
			}
		}
		System.out.printf(Locale.ROOT, "%s: %d CPU samples, %.1f MB allocation sampled%s%n", file, samples,
				allocated / 1e6, (threadPrefix != null) ? " (threads " + threadPrefix + "*)" : "");
		print("CPU by thread (digits folded)", threads, samples, top);
		print("CPU self (top frame)", self, samples, top);
		print("CPU inclusive (method anywhere on the stack)", inclusive, samples, top * 2);
		print("Allocation by class", allocationByClass, allocated, top);
		print("Allocation by first non-JDK frame", allocationByOwnFrame, allocated, top);
		print("Allocation by allocating frame", allocationByFrame, allocated, top);
	}

	private static boolean isJdk(String name) {
		return name.startsWith("java.") || name.startsWith("jdk.") || name.startsWith("sun.");
	}

	private static String name(RecordedFrame frame) {
		return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
	}

	private static void print(String title, Map<String, Long> counts, long total, int top) {
		System.out.println();
		System.out.println("== " + title);
		counts.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
			.limit(top)
			.forEach(e -> System.out.printf(Locale.ROOT, "%6.1f%%  %s%n", 100.0 * e.getValue() / Math.max(total, 1),
					e.getKey()));
	}

}
