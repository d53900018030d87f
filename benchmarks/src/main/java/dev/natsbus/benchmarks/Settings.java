package dev.natsbus.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Command-line options. Every row gives each side (raw jnats, nats-bus) {@code duration}
 * of measured time, split into {@code rounds} segments that alternate raw/bus/bus/raw...
 * so that drift of a noisy machine hits both sides alike.
 */
record Settings(Duration duration, int rounds, Duration warmup, Duration settle, Set<Integer> scenarios, Path out,
		Sides sides, boolean quick, Duration requestTimeout, boolean experiments) {

	enum Sides {

		BOTH, RAW, BUS;

		boolean raw() {
			return this != BUS;
		}

		boolean bus() {
			return this != RAW;
		}

	}

	static final String USAGE = """
			Usage: java -jar benchmarks/target/nats-bus-benchmarks.jar [options]
			  --quick               smoke test: 1 s per side and row, 2 rounds, short warm-up
			  --duration=5s         measured time per side and row (split over the rounds)
			  --rounds=10           alternating raw/bus segments per row (medians of rounds are reported)
			  --warmup=1s           unmeasured warm-up per side and row (doubled for a scenario's first row)
			  --scenarios=1,2,3     scenarios to run, by number or name (default 1-7):
			                        1 sync, 2 json, 3 async, 4 pool, 5 concurrency, 6 send,
			                        7 interceptors, 8 payload, 9 listeners, 10 gather,
			                        11 virtual, 12 http; "all" for every one
			  --side=both|raw|bus   run only one side (for profiling)
			  --out=DIR             where results go (default benchmarks/results, or ./results)
			  --timeout=5s          request timeout of both sides
			  --experiments         add rows that try alternative settings of nats-bus (see README)
			""";

	static Settings parse(String[] args) {
		boolean quick = false;
		Duration duration = null;
		Integer rounds = null;
		Duration warmup = null;
		Set<Integer> scenarios = new LinkedHashSet<>(List.of(1, 2, 3, 4, 5, 6, 7));
		Path out = Files.isDirectory(Path.of("benchmarks")) ? Path.of("benchmarks", "results") : Path.of("results");
		Sides sides = Sides.BOTH;
		Duration timeout = Duration.ofSeconds(5);
		boolean experiments = false;
		List<String> list = new ArrayList<>(List.of(args));
		for (Iterator<String> it = list.iterator(); it.hasNext();) {
			String arg = it.next();
			String name = arg;
			String value = null;
			int eq = arg.indexOf('=');
			if (eq > 0) {
				name = arg.substring(0, eq);
				value = arg.substring(eq + 1);
			}
			switch (name) {
				case "--help", "-h" -> {
					System.out.println(USAGE);
					System.exit(0);
				}
				case "--quick" -> quick = true;
				case "--experiments" -> experiments = true;
				default -> {
					if (!List.of("--duration", "--rounds", "--warmup", "--scenarios", "--side", "--out", "--timeout")
						.contains(name)) {
						throw new IllegalArgumentException("Unknown option " + name + "\n" + USAGE);
					}
					if (value == null) {
						if (!it.hasNext()) {
							throw new IllegalArgumentException("Option " + name + " needs a value\n" + USAGE);
						}
						value = it.next();
					}
					switch (name) {
						case "--duration" -> duration = duration(value);
						case "--rounds" -> rounds = Integer.parseInt(value);
						case "--warmup" -> warmup = duration(value);
						case "--scenarios" -> scenarios = scenarios(value);
						case "--side" -> sides = Sides.valueOf(value.toUpperCase(Locale.ROOT));
						case "--out" -> out = Path.of(value);
						case "--timeout" -> timeout = duration(value);
						default -> throw new IllegalArgumentException("Unknown option " + name + "\n" + USAGE);
					}
				}
			}
		}
		if (duration == null) {
			duration = quick ? Duration.ofSeconds(1) : Duration.ofSeconds(5);
		}
		if (rounds == null) {
			rounds = quick ? 2 : 10;
		}
		if (warmup == null) {
			warmup = quick ? Duration.ofMillis(300) : Duration.ofSeconds(1);
		}
		Duration settle = Duration.ofMillis(100);
		for (int scenario : scenarios) {
			if (scenario < 1 || scenario >= Scenarios.TITLES.length) {
				throw new IllegalArgumentException("No scenario " + scenario + " (there are 1 to "
						+ (Scenarios.TITLES.length - 1) + ")\n" + USAGE);
			}
		}
		if (rounds < 1) {
			throw new IllegalArgumentException("--rounds must be at least 1");
		}
		return new Settings(duration, rounds, warmup, settle, scenarios, out, sides, quick, timeout, experiments);
	}

	Duration segment() {
		return this.duration.dividedBy(this.rounds);
	}

	static Duration duration(String text) {
		String t = text.trim().toLowerCase(Locale.ROOT);
		if (t.endsWith("ms")) {
			return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
		}
		if (t.endsWith("s")) {
			t = t.substring(0, t.length() - 1);
		}
		return Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
	}

	private static Set<Integer> scenarios(String value) {
		Set<Integer> result = new LinkedHashSet<>();
		for (String part : value.split(",")) {
			String p = part.trim().toLowerCase(Locale.ROOT);
			if (p.isEmpty()) {
				continue;
			}
			if (p.equals("all")) {
				for (int i = 1; i < Scenarios.TITLES.length; i++) {
					result.add(i);
				}
				continue;
			}
			result.add(switch (p) {
				case "sync" -> 1;
				case "json" -> 2;
				case "async" -> 3;
				case "pool" -> 4;
				case "concurrency" -> 5;
				case "send" -> 6;
				case "interceptors" -> 7;
				case "payload" -> 8;
				case "listeners" -> 9;
				case "gather" -> 10;
				case "virtual" -> 11;
				case "http" -> 12;
				default -> Integer.parseInt(p);
			});
		}
		return result;
	}

	String describe() {
		return String.format(Locale.ROOT, "%s s measured per side and row in %d alternating rounds, %s s warm-up%s",
				seconds(this.duration), this.rounds, seconds(this.warmup), this.quick ? " (--quick)" : "");
	}

	private static String seconds(Duration d) {
		return String.format(Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
	}

}
