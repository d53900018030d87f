#!/usr/bin/env python3
"""Turns benchmark results (results.csv of the harness) into one SVG chart per scenario.

Usage: python3 benchmarks/charts.py [results.csv ...] [--out DIR]
Default: benchmarks/results/results.csv into benchmarks/results/charts/.
Several CSV files may be given (for example one run per scenario group); later rows
with the same scenario and param replace earlier ones. Standard library only.
"""
import csv
import html
import math
import os
import re
import sys

TITLES = {
    1: "Sync request/reply, 128-byte byte[]",
    2: "Sync request/reply, JSON POJO",
    3: "Async request/reply, 256 in flight",
    4: "Connection pool (raw: one connection)",
    5: "Listener concurrency, 10 ms handler",
    6: "send vs publish",
    7: "Interceptors",
    8: "Payload size, sync T=8",
    9: "Listener count, 32 callers round-robin",
    10: "Request-many: gather all replies, T=8",
    11: "Callers on virtual threads",
    12: "nats-bus vs HTTP (raw bars: HTTP)",
}

RAW, BUS = "#8c8c8c", "#2f6fba"


def read(paths):
    rows = {}
    for path in paths:
        with open(path, newline="") as f:
            for r in csv.DictReader(f):
                key = (int(r["scenario"]), r["param"])
                rows.setdefault(key, {"label": r["row"], "note": r.get("note", "")})[r["side"]] = r
                rows[key]["label"] = r["row"]
                if r.get("note"):
                    rows[key]["note"] = r["note"]
    return rows


def fmt(v):
    return f"{v:,.0f}" if v >= 100 else f"{v:.3g}"


def text(x, y, s, size=12, anchor="start", weight="normal", fill="#222"):
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'font-weight="{weight}" fill="{fill}">{html.escape(s)}</text>')


def chart(scenario, entries, subtitle):
    """Grouped bars (raw, bus) of throughput on a log axis, bus/raw and p99 ratio above."""
    width, left, top, plot_h = max(520, 110 + 86 * len(entries)), 70, 64, 260
    height = top + plot_h + 110
    values = [float(e[s]["throughput_median"]) for e in entries for s in ("raw", "bus") if s in e]
    lo = 10 ** math.floor(math.log10(max(1.0, min(values))))
    hi = 10 ** math.ceil(math.log10(max(values) * 1.05))

    def y(v):
        return top + plot_h - (math.log10(max(v, lo)) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)) * plot_h

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="Helvetica, Arial, sans-serif">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           text(left, 22, f"Scenario {scenario}: {TITLES.get(scenario, '')}", 15, weight="bold"),
           text(left, 40, subtitle, 11, fill="#555"),
           f'<rect x="{width - 170}" y="10" width="12" height="12" fill="{RAW}"/>',
           text(width - 153, 20, "raw (or HTTP)" if scenario == 12 else "raw jnats", 11),
           f'<rect x="{width - 170}" y="28" width="12" height="12" fill="{BUS}"/>',
           text(width - 153, 38, "nats-bus", 11)]
    decade = lo
    while decade <= hi:
        yy = y(decade)
        out.append(f'<line x1="{left}" x2="{width - 20}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="#e3e3e3"/>')
        out.append(text(left - 6, yy + 4, fmt(decade), 10, "end", fill="#666"))
        decade *= 10
    unit = next(iter(entries))["bus"]["unit"] if "bus" in entries[0] else "req/s"
    out.append(text(14, top + plot_h / 2, unit, 11, "middle", fill="#666").replace(
        "<text ", f'<text transform="rotate(-90 14 {top + plot_h / 2:.0f})" '))
    for i, e in enumerate(entries):
        x0 = left + 20 + i * 86
        for j, side in enumerate(("raw", "bus")):
            if side not in e:
                continue
            v = float(e[side]["throughput_median"])
            out.append(f'<rect x="{x0 + j * 30}" y="{y(v):.1f}" width="28" height="{top + plot_h - y(v):.1f}" '
                       f'fill="{RAW if side == "raw" else BUS}"><title>{side}: {fmt(v)} {unit}, '
                       f'p99 {e[side]["p99_us"]} us</title></rect>')
        ratio = e.get("bus", {}).get("ratio_bus_raw", "")
        p99 = e.get("bus", {}).get("p99_ratio_bus_raw", "")
        top_v = max(float(e[s]["throughput_median"]) for s in ("raw", "bus") if s in e)
        if ratio:
            out.append(text(x0 + 29, y(top_v) - 6, f"{float(ratio):.2f}x", 11, "middle", "bold"))
        label = e["label"].replace(" (raw=HTTP)", "")
        out.append(text(x0 + 29, top + plot_h + 16, label[:14], 10, "middle"))
        if p99:
            out.append(text(x0 + 29, top + plot_h + 30, f"p99 {float(p99):.2f}x", 9, "middle", fill="#666"))
    notes = [e["note"] for e in entries if e.get("note")]
    if scenario == 9 and notes:
        yy = top + plot_h + 50
        out.append(text(left, yy, "Set-up of the listening side (start-up, platform threads, heap after GC):", 11,
                        weight="bold"))
        for e in entries:
            m = re.search(r"bus, (\d+) listeners: start-up (\d+) ms, \+(\d+) platform threads, \+([\d.]+) MiB",
                          e["note"])
            if m:
                yy += 14
                out.append(text(left, yy, f"{m.group(1)} listeners: {m.group(2)} ms, +{m.group(3)} threads, "
                                          f"+{m.group(4)} MiB", 11))
        height = max(height, yy + 20)
        out[0] = out[0].replace(f'height="{top + plot_h + 110}"', f'height="{height}"')
        out[1] = f'<rect width="{width}" height="{height}" fill="white"/>'
    else:
        out.append(text(left, top + plot_h + 52, "Bars: median throughput (log scale). Above: bus/raw throughput; "
                                                 "below: p99 bus/raw.", 10, fill="#666"))
    out.append("</svg>")
    return "\n".join(out)


def main(argv):
    out_dir = None
    paths = []
    it = iter(argv)
    for a in it:
        if a == "--out":
            out_dir = next(it)
        elif a.startswith("--out="):
            out_dir = a.split("=", 1)[1]
        else:
            paths.append(a)
    here = os.path.dirname(os.path.abspath(__file__))
    if not paths:
        paths = [os.path.join(here, "results", "results.csv")]
    out_dir = out_dir or os.path.join(here, "results", "charts")
    os.makedirs(out_dir, exist_ok=True)
    rows = read(paths)
    subtitle = os.environ.get("CHART_SUBTITLE", "")
    for scenario in sorted({k[0] for k in rows}):
        entries = [v for k, v in rows.items() if k[0] == scenario]
        path = os.path.join(out_dir, f"scenario-{scenario}.svg")
        with open(path, "w") as f:
            f.write(chart(scenario, entries, subtitle))
        print("wrote", path)


if __name__ == "__main__":
    main(sys.argv[1:])
