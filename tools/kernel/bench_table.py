#!/usr/bin/python3
"""Writes the table of tools/kernel/bench.sh's JSON into docs/kernel.md, between the markers
<!-- kernel-bench:start --> and <!-- kernel-bench:end --> (so no measured number is typed by hand).
Usage: bench_table.py BENCH.json DOC.md"""
import json
import sys

START, END = "<!-- kernel-bench:start -->", "<!-- kernel-bench:end -->"

ROWS = [
    # what, goal, value of a build's results, format, met (None: shown for the record, no goal)
    ("First cell (`1+1`) after kernel start, median of 5", "≤ 2 s",
     lambda b: b["summary"]["first_cell_s"], "{:.2f} s", lambda v: v <= 2),
    ("… the kernel's CPU time up to that reply (less sensitive to the machine's load)", "",
     lambda b: b["first_cell"]["kernel_cpu_median_s"], "{:.2f} s", None),
    ("100,000 printed lines of 100 characters (10 MB), execute to idle", "≥ 10 MB/s",
     lambda b: b["summary"]["stream_mb_per_s"], "{:.1f} MB/s", lambda v: v >= 10),
    ("… the kernel's CPU time for them", "",
     lambda b: b["stream"]["wide"]["kernel_cpu_seconds"], "{:.2f} s", None),
    ("Managed memory per cell, cells 100 → 600", "≤ 0.5 MB",
     lambda b: b["summary"]["memory_mb_per_cell"], "{:.3f} MB", lambda v: v <= 0.5),
    ("`#r \"nuget: Newtonsoft.Json, 13.0.3\"` already restored, median", "≤ 3 s",
     lambda b: b["summary"]["nuget_cached_s"], "{:.2f} s", lambda v: v <= 3),
]


def table(doc):
    builds = doc["builds"]
    labels = list(builds)
    lines = ["| Target | Goal | " + " | ".join(labels) + " |", "|---|---|" + "---|" * len(labels)]
    for what, goal, value, fmt, met in ROWS:
        cells = []
        for label in labels:
            v = value(builds[label])
            cells.append(fmt.format(v) + ("" if met is None else " ✓" if met(v) else " ✗"))
        lines.append("| %s | %s | %s |" % (what, goal, " | ".join(cells)))
    whole = ", ".join("%s: %s" % (l, "yes" if builds[l]["summary"]["stream_whole_and_idle"] else "NO") for l in labels)
    m = doc["machine"]
    lines.append("")
    lines.append("Every printed line arrived and the kernel went idle (%s). Measured %s UTC at commit %s on %d CPUs (%s), "
                 "load average %.1f before and %.1f after, by `tools/kernel/bench.sh`." % (
                     whole, doc["date_utc"], doc["commit"], m["cpus"], m["cpu"], m["load_average_before"][0], m["load_average_after"][0]))
    lines.append("")
    for label in labels:
        lines.append("- %s: `%s`" % (label, builds[label].get("kernel") or "kernel log not found"))
    return "\n".join(lines).rstrip() + "\n"


def main():
    doc = json.load(open(sys.argv[1]))
    path = sys.argv[2]
    text = open(path).read()
    if START not in text or END not in text:
        sys.exit("bench_table.py: %s has no %s ... %s markers; add them where the table goes" % (path, START, END))
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    open(path, "w").write(head + START + "\n" + table(doc) + END + tail)
    print("bench_table.py: updated %s" % path, file=sys.stderr)


if __name__ == "__main__":
    main()
