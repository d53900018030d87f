package dev.natsbus.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.natsbus.benchmarks.Measurement.Segment;
import dev.natsbus.benchmarks.Results.Row;
import dev.natsbus.benchmarks.Results.Side;
import dev.natsbus.benchmarks.Scenarios.RowSpec;
import dev.natsbus.test.NatsServer;
import io.nats.client.Connection;
import io.nats.client.Nats;

/**
 * Runs nats-bus against raw jnats in one JVM, against one nats-server of its own on a
 * free loopback port, alternating the two sides round by round.
 */
public final class BenchmarkMain {

	private BenchmarkMain() {
	}

	public static void main(String[] args) throws Exception {
		System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
		Settings settings;
		try {
			settings = Settings.parse(args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage());
			System.exit(2);
			return;
		}
		Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		long t0 = System.nanoTime();
		try (NatsServer server = NatsServer.builder().name("benchmarks").start()) {
			String url = server.url();
			Measurement.findServer();
			Report.Environment environment = environment(url, settings, started, args);
			environment.lines().forEach(line -> System.out.println(line));
			System.out
				.println("nats-server at " + url + (Measurement.serverFound() ? "" : " (its CPU time is not visible)"));
			System.out.println();
			List<RowSpec> specs = Scenarios.rows(settings);
			List<Row> rows = new ArrayList<>();
			int lastScenario = -1;
			for (RowSpec spec : specs) {
				if (spec.scenario() != lastScenario) {
					System.out.println();
					System.out.println("== Scenario " + spec.scenario() + ": " + Scenarios.TITLES[spec.scenario()]);
					System.out.println(Report.consoleHeader());
				}
				boolean firstOfScenario = spec.scenario() != lastScenario;
				lastScenario = spec.scenario();
				Row row = runRow(url, spec, settings, firstOfScenario, rows.size());
				rows.add(row);
				System.out.println(Report.consoleLine(row));
			}
			List<String> summary = Results.summary(rows);
			if (Fixtures.connectionErrors.get() > 0) {
				summary.add("NATS connection errors / slow consumers reported: " + Fixtures.connectionErrors.get());
			}
			Map<String, Integer> failureKinds = Measurement.Failures.summary();
			if (!failureKinds.isEmpty()) {
				summary.add("Failure kinds: " + failureKinds);
			}
			System.out.println();
			summary.forEach(System.out::println);
			Report.write(settings.out(), environment, rows, summary);
			System.out.printf("%nWrote %s/{results.csv,results.md,chart.svg} in %d s%n", settings.out(),
					Duration.ofNanos(System.nanoTime() - t0).toSeconds());
		}
		System.exit(0);
	}

	private static Row runRow(String url, RowSpec spec, Settings settings, boolean firstOfScenario, int index) {
		String subject = "bench." + spec.key() + "." + index;
		Duration timeout = settings.requestTimeout();
		Scenarios.resetHandlerClock();
		Load raw = settings.sides().raw() ? spec.raw().open(url, subject + ".raw", timeout) : null;
		Load bus = null;
		try {
			bus = settings.sides().bus() ? spec.bus().open(url, subject + ".bus", timeout) : null;
			Duration warmup = firstOfScenario ? settings.warmup().multipliedBy(2) : settings.warmup();
			if (raw != null) {
				raw.run(settings.settle(), warmup);
			}
			if (bus != null) {
				bus.run(settings.settle(), warmup);
			}
			List<Segment> rawSegments = new ArrayList<>();
			List<Segment> busSegments = new ArrayList<>();
			for (int round = 0; round < settings.rounds(); round++) {
				// raw, bus | bus, raw | raw, bus ... so that neither side always goes
				// first
				boolean rawFirst = round % 2 == 0;
				for (int turn = 0; turn < 2; turn++) {
					boolean rawTurn = (turn == 0) == rawFirst;
					Load load = rawTurn ? raw : bus;
					if (load != null) {
						(rawTurn ? rawSegments : busSegments).add(load.run(settings.settle(), settings.segment()));
					}
				}
			}
			String unit = (raw != null) ? raw.unit() : bus.unit();
			Side rawSide = (raw != null) ? Side.of(rawSegments, unit) : null;
			Side busSide = (bus != null) ? Side.of(busSegments, unit) : null;
			String note = null;
			if (spec.concurrency() != null) {
				// Thread.sleep(10) overshoots on a busy machine: also relate throughput
				// to the real handler time.
				double rawMs = Scenarios.handlerMillis(0);
				double busMs = Scenarios.handlerMillis(1);
				note = String.format(java.util.Locale.ROOT,
						"10 ms handler took %.2f ms raw, %.2f ms bus; eff. vs real handler time raw %.2f, bus %.2f",
						rawMs, busMs,
						(rawSide != null) ? rawSide.throughput() * rawMs / 1000 / spec.concurrency() : Double.NaN,
						(busSide != null) ? busSide.throughput() * busMs / 1000 / spec.concurrency() : Double.NaN);
			}
			for (Load load : new Load[] { raw, bus }) {
				if (load != null && load.note() != null) {
					note = (note != null) ? note + "; " + load.note() : load.note();
				}
			}
			return new Row(spec, rawSide, busSide, note);
		}
		finally {
			if (raw != null) {
				raw.close();
			}
			if (bus != null) {
				bus.close();
			}
		}
	}

	/** The commit of the work tree the benchmark was built from, if git can tell. */
	private static String gitRevision() {
		try {
			Process git = new ProcessBuilder("git", "describe", "--always", "--dirty").redirectErrorStream(true)
				.start();
			String out = new String(git.getInputStream().readAllBytes()).trim();
			return (git.waitFor() == 0 && !out.isEmpty()) ? out : "(unknown revision)";
		}
		catch (Exception ex) {
			return "(unknown revision)";
		}
	}

	private static Report.Environment environment(String url, Settings settings, Instant started, String[] args)
			throws Exception {
		String serverVersion;
		try (Connection probe = Nats.connect(url)) {
			serverVersion = "v" + probe.getServerInfo().getVersion();
		}
		Runtime runtime = Runtime.getRuntime();
		String jvm = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + ", "
				+ ManagementFactory.getGarbageCollectorMXBeans().get(0).getName().replace(" Young Generation", "")
				+ ", max heap " + (runtime.maxMemory() >> 20) + " MiB";
		String jvmArgs = String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments());
		if (!jvmArgs.isBlank()) {
			jvm += ", flags: " + jvmArgs;
		}
		String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
				+ System.getProperty("os.arch");
		return new Report.Environment(Integer.toString(runtime.availableProcessors()), jvm, os, serverVersion,
				Nats.CLIENT_VERSION + ", nats-bus " + gitRevision(), started.toString(), settings.describe(),
				"java -jar benchmarks/target/nats-bus-benchmarks.jar " + String.join(" ", args));
	}

}
