package dev.natsbus.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import dev.natsbus.benchmarks.Results.Row;
import dev.natsbus.benchmarks.Results.Side;

/** The console table, and the CSV, Markdown and SVG files in the results folder. */
final class Report {

	/** What the run ran on, for the header of every output. */
	record Environment(String cores, String jvm, String os, String natsServer, String jnats, String started,
			String settings, String command) {

		List<String> lines() {
			return List.of("Machine: " + this.cores + " cores, " + this.os, "JVM: " + this.jvm,
					"nats-server: " + this.natsServer + ", jnats " + this.jnats,
					"Run: " + this.started + ", " + this.settings, "Command: " + this.command);
		}

	}

	private Report() {
	}

	// console

	static String consoleHeader() {
		return String.format(Locale.ROOT, "%-3s %-26s %10s %10s %6s  %-22s %-22s %6s %9s %13s %13s %11s %6s  %s", "#",
				"row", "raw", "bus", "ratio", "raw p50/p99/p99.9 us", "bus p50/p99/p99.9 us", "p99 x", "failures",
				"B/op caller", "B/op JVM", "CPU us/op", "CPU x", "target / verdict");
	}

	static String consoleLine(Row row) {
		Side raw = row.raw();
		Side bus = row.bus();
		return String.format(Locale.ROOT, "%-3s %-26s %10s %10s %6s  %-22s %-22s %6s %9s %13s %13s %11s %6s  %s",
				row.spec().scenario(), row.spec().label(), rate(raw), rate(bus), ratio(row.ratio()), latencies(raw),
				latencies(bus), ratio(row.p99Ratio()), failures(row), pair(raw, bus, true), pair(raw, bus, false),
				cpuPair(raw, bus, false), ratio(row.cpuRatio()), targetText(row));
	}

	// files

	static void write(Path dir, Environment environment, List<Row> rows, List<String> summary) throws IOException {
		Files.createDirectories(dir);
		Files.writeString(dir.resolve("results.csv"), csv(rows), StandardCharsets.UTF_8);
		Files.writeString(dir.resolve("results.md"), markdown(environment, rows, summary), StandardCharsets.UTF_8);
		Files.writeString(dir.resolve("chart.svg"), svg(environment, rows), StandardCharsets.UTF_8);
	}

	static String csv(List<Row> rows) {
		StringBuilder out = new StringBuilder();
		out.append("scenario,row,param,side,unit,throughput_median,throughput_rounds,count,failures,"
				+ "p50_us,p99_us,p999_us,max_us,alloc_caller_bytes_per_op,alloc_jvm_bytes_per_op,"
				+ "jvm_cpu_us_per_op,server_cpu_us_per_op,ratio_bus_raw,p99_ratio_bus_raw,cpu_ratio_bus_raw,"
				+ "efficiency,target,verdict,note\n");
		for (Row row : rows) {
			for (String sideName : List.of("raw", "bus")) {
				Side side = sideName.equals("raw") ? row.raw() : row.bus();
				if (side == null) {
					continue;
				}
				out.append(String.join(",",
						List.of(Integer.toString(row.spec().scenario()), quote(row.spec().label()),
								quote(row.spec().param()), sideName, side.unit(), num(side.throughput(), 1),
								quote(side.rounds().stream().map(r -> num(r, 1)).collect(Collectors.joining(";"))),
								Long.toString(side.count()), Long.toString(side.failures()), num(side.micros(50), 1),
								num(side.micros(99), 1), num(side.micros(99.9), 1),
								num(side.latency().getMaxValue() / 1000.0, 1), num(side.callerBytesPerOp(), 0),
								num(side.jvmBytesPerOp(), 0), num(side.jvmCpuMicrosPerOp(), 2),
								num(side.serverCpuMicrosPerOp(), 2), numOrEmpty(row.ratio(), 3),
								numOrEmpty(row.p99Ratio(), 3), numOrEmpty(row.cpuRatio(), 3),
								numOrEmpty(row.efficiency(side), 3), quote(row.spec().target().text()), row.verdict(),
								quote((row.note() != null) ? row.note() : ""))));
				out.append('\n');
			}
		}
		return out.toString();
	}

	static String markdown(Environment environment, List<Row> rows, List<String> summary) {
		StringBuilder out = new StringBuilder();
		out.append("# nats-bus benchmark results\n\n");
		for (String line : environment.lines()) {
			out.append("- ").append(line).append('\n');
		}
		out.append('\n');
		out.append("Throughput is the median of the rounds (req/s; msg/s delivered for scenario 6). Latency "
				+ "percentiles come from all rounds together (microseconds). The ratios (nats-bus / raw jnats) are "
				+ "medians of per-round ratios, each nats-bus segment against the raw segment run next to it. "
				+ "B/op = bytes allocated per request: *caller* counts the requesting threads only, *JVM* every "
				+ "thread of the process (requester, jnats threads, responder, callbacks). CPU µs/op = CPU time of "
				+ "the benchmark JVM (all threads, JIT and GC included) per request, and of the nats-server process "
				+ "(10 ms resolution): on a shared, busy machine this cost per request is a steadier comparison "
				+ "than throughput.\n\n");
		out.append("| # | row | raw | nats-bus | bus/raw | raw p50 / p99 / p99.9 µs | bus p50 / p99 / p99.9 µs | "
				+ "p99 bus/raw | failures raw/bus | B/op caller raw/bus | B/op JVM raw/bus | CPU µs/op JVM raw/bus | "
				+ "CPU bus/raw | nats-server µs/op raw/bus | target | verdict |\n");
		out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
		for (Row row : rows) {
			out.append("| ")
				.append(row.spec().scenario())
				.append(" | ")
				.append(row.spec().label())
				.append(" | ")
				.append(rate(row.raw()))
				.append(" | ")
				.append(rate(row.bus()))
				.append(" | ")
				.append(ratio(row.ratio()))
				.append(" | ")
				.append(latencies(row.raw()))
				.append(" | ")
				.append(latencies(row.bus()))
				.append(" | ")
				.append(ratio(row.p99Ratio()))
				.append(" | ")
				.append(failures(row))
				.append(" | ")
				.append(pair(row.raw(), row.bus(), true))
				.append(" | ")
				.append(pair(row.raw(), row.bus(), false))
				.append(" | ")
				.append(cpuPair(row.raw(), row.bus(), false))
				.append(" | ")
				.append(ratio(row.cpuRatio()))
				.append(" | ")
				.append(cpuPair(row.raw(), row.bus(), true))
				.append(" | ")
				.append(targetOnly(row))
				.append(" | ")
				.append(row.verdict())
				.append(" |\n");
		}
		out.append('\n');
		for (String line : summary) {
			out.append("- ").append(line).append('\n');
		}
		out.append("\nScenarios: ");
		for (int i = 1; i < Scenarios.TITLES.length; i++) {
			out.append(i)
				.append(" = ")
				.append(Scenarios.TITLES[i])
				.append((i + 1 < Scenarios.TITLES.length) ? "; " : ".\n");
		}
		out.append("\n![chart](chart.svg)\n");
		return out.toString();
	}

	// SVG, written by hand: three panels of horizontal bars

	static String svg(Environment environment, List<Row> rows) {
		int width = 960;
		int labelWidth = 260;
		int barArea = width - labelWidth - 90;
		int rowHeight = 20;
		List<Row> ratioRows = rows.stream().filter(r -> r.ratio() != null).toList();
		List<Row> p99Rows = rows.stream().filter(r -> r.p99Ratio() != null && r.spec().scenario() != 6).toList();
		List<Row> effRows = rows.stream().filter(r -> r.spec().concurrency() != null).toList();
		StringBuilder body = new StringBuilder();
		int y = 30;
		body.append(text(10, y,
				"nats-bus vs raw jnats — " + environment.cores() + " cores, Java "
						+ System.getProperty("java.runtime.version") + ", nats-server " + environment.natsServer()
						+ ", " + environment.started(),
				14, "bold"));
		y += 30;
		if (!ratioRows.isEmpty()) {
			double max = Math.max(1.25, ratioRows.stream().mapToDouble(Row::ratio).max().orElse(1) * 1.1);
			y = panel(body, y, "Throughput, nats-bus / raw jnats (marker: target)", ratioRows, Row::ratio,
					r -> r.spec().target().minRatio(), max, labelWidth, barArea, rowHeight, false);
		}
		if (!p99Rows.isEmpty()) {
			double max = Math.max(1.5, p99Rows.stream().mapToDouble(Row::p99Ratio).max().orElse(1) * 1.1);
			y = panel(body, y, "p99 latency, nats-bus / raw jnats (lower is better; marker: target)", p99Rows,
					Row::p99Ratio, r -> r.spec().target().maxP99Ratio(), max, labelWidth, barArea, rowHeight, true);
		}
		List<Row> cpuRows = rows.stream().filter(r -> r.cpuRatio() != null).toList();
		if (!cpuRows.isEmpty()) {
			double max = Math.max(1.5, cpuRows.stream().mapToDouble(Row::cpuRatio).max().orElse(1) * 1.1);
			y = panel(body, y, "JVM CPU time per request, nats-bus / raw jnats (lower is better)", cpuRows,
					Row::cpuRatio, r -> null, max, labelWidth, barArea, rowHeight, true);
		}
		if (!effRows.isEmpty()) {
			List<Row> doubled = new ArrayList<>();
			effRows.forEach(r -> {
				doubled.add(r);
				doubled.add(r);
			});
			int[] index = { 0 };
			y = panel(body, y, "Listener efficiency = throughput / (concurrency x 100/s): raw (grey), nats-bus",
					doubled, r -> (index[0]++ % 2 == 0) ? r.efficiency(r.raw()) : r.efficiency(r.bus()), r -> 0.9, 1.1,
					labelWidth, barArea, rowHeight, false);
		}
		StringBuilder svg = new StringBuilder();
		svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
			.append(width)
			.append("\" height=\"")
			.append(y + 10)
			.append("\" font-family=\"sans-serif\">\n");
		svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
		svg.append(body);
		svg.append("</svg>\n");
		return svg.toString();
	}

	private static int panel(StringBuilder out, int y, String title, List<Row> rows,
			java.util.function.Function<Row, Double> value, java.util.function.Function<Row, Double> target, double max,
			int labelWidth, int barArea, int rowHeight, boolean lowerIsBetter) {
		out.append(text(10, y, title, 13, "bold"));
		y += 10;
		int top = y;
		int x0 = labelWidth;
		boolean alternate = title.startsWith("Listener");
		for (int i = 0; i < rows.size(); i++) {
			Row row = rows.get(i);
			Double v = value.apply(row);
			int rowY = top + i * rowHeight;
			String label = "S" + row.spec().scenario() + " " + row.spec().label();
			if (alternate) {
				label = ((i % 2 == 0) ? "raw " : "bus ") + row.spec().label();
			}
			out.append(text(x0 - 6, rowY + rowHeight - 6, label, 11, "normal").replace("<text ",
					"<text text-anchor=\"end\" "));
			if (v == null || v.isNaN()) {
				continue;
			}
			Double t = target.apply(row);
			String color;
			if (alternate && i % 2 == 0) {
				color = "#9e9e9e";
			}
			else if (t == null) {
				color = "#64b5f6";
			}
			else {
				boolean met = lowerIsBetter ? v <= t : v >= t;
				color = met ? "#43a047" : "#fb8c00";
			}
			int w = (int) Math.round(Math.min(v, max) / max * barArea);
			out.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>\n",
					x0, rowY + 3, w, rowHeight - 6, color));
			out.append(text(x0 + w + 4, rowY + rowHeight - 6, String.format(Locale.ROOT, "%.2f", v), 11, "normal"));
			if (t != null && !(alternate && i % 2 == 0)) {
				int tx = x0 + (int) Math.round(t / max * barArea);
				out.append(String.format(Locale.ROOT,
						"<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#c62828\" stroke-width=\"2\"/>\n", tx,
						rowY + 1, tx, rowY + rowHeight - 1));
			}
		}
		int bottom = top + rows.size() * rowHeight;
		int one = x0 + (int) Math.round(1.0 / max * barArea);
		out.append(String.format(Locale.ROOT,
				"<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\" stroke-dasharray=\"4,3\"/>\n", one, top,
				one, bottom));
		out.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n", x0,
				top, x0, bottom));
		out.append(text(one - 8, bottom + 14, "1.0", 10, "normal"));
		return bottom + 40;
	}

	private static String text(int x, int y, String text, int size, String weight) {
		return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"%d\" font-weight=\"%s\">%s</text>\n", x,
				y, size, weight, escape(text));
	}

	private static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}

	// formatting

	static String rate(Side side) {
		if (side == null) {
			return "-";
		}
		return String.format(Locale.ROOT, "%,.0f", side.throughput());
	}

	static String ratio(Double value) {
		return (value == null || value.isNaN()) ? "-" : String.format(Locale.ROOT, "%.2f", value);
	}

	static String latencies(Side side) {
		if (side == null) {
			return "-";
		}
		return String.format(Locale.ROOT, "%s / %s / %s", micros(side.micros(50)), micros(side.micros(99)),
				micros(side.micros(99.9)));
	}

	private static String micros(double value) {
		if (Double.isNaN(value)) {
			return "-";
		}
		return (value >= 1000) ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.0f", value);
	}

	static String failures(Row row) {
		return ((row.raw() != null) ? Long.toString(row.raw().failures()) : "-") + "/"
				+ ((row.bus() != null) ? Long.toString(row.bus().failures()) : "-");
	}

	static String pair(Side raw, Side bus, boolean caller) {
		return bytes(raw, caller) + "/" + bytes(bus, caller);
	}

	static String cpuPair(Side raw, Side bus, boolean server) {
		return cpu(raw, server) + "/" + cpu(bus, server);
	}

	private static String cpu(Side side, boolean server) {
		if (side == null) {
			return "-";
		}
		double value = server ? side.serverCpuMicrosPerOp() : side.jvmCpuMicrosPerOp();
		return String.format(Locale.ROOT, (value >= 100) ? "%.0f" : "%.1f", value);
	}

	private static String bytes(Side side, boolean caller) {
		if (side == null) {
			return "-";
		}
		return String.format(Locale.ROOT, "%.0f", caller ? side.callerBytesPerOp() : side.jvmBytesPerOp());
	}

	private static String targetOnly(Row row) {
		String text = row.spec().target().text();
		if (row.spec().concurrency() != null) {
			text += String.format(Locale.ROOT, "; eff raw %s, bus %s", ratio(row.efficiency(row.raw())),
					ratio(row.efficiency(row.bus())));
		}
		if (row.note() != null) {
			text += "; " + row.note();
		}
		if (row.spec().scenario() == 6) {
			text += " (msg/s delivered; latency = publish to receipt)";
		}
		return text;
	}

	private static String targetText(Row row) {
		return targetOnly(row) + " -> " + row.verdict();
	}

	private static String num(double value, int decimals) {
		return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", value);
	}

	private static String numOrEmpty(Double value, int decimals) {
		return (value == null) ? "" : num(value, decimals);
	}

	private static String quote(String text) {
		return "\"" + text.replace("\"", "\"\"") + "\"";
	}

}
