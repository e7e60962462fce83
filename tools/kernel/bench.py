#!/usr/bin/python3
"""The four performance targets of issue 19, measured on the kernel through Debian's jupyter_client.

Usage (tools/kernel/bench.sh runs this): bench.py OUT.json LABEL=JUPYTER_PATH [LABEL=JUPYTER_PATH ...]
Each LABEL names a build whose kernelspec 'reproduce-csharp' lies under JUPYTER_PATH. The builds are
measured in turns (first cell, stream, memory, #r nuget), so a change of the machine's load hits all
of them alike. The scenarios are those of Reproduce.Tests/Kernel/kernel_client.py (the tests' driver).
"""
import json
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "Reproduce.Tests", "Kernel"))
import kernel_client as kc_mod  # noqa: E402

TARGETS = {
    "first_cell_s": "<= 2 s from kernel start to the first execute_reply",
    "stream_mb_per_s": ">= 10 MB/s for 100,000 printed lines, whole, ending idle",
    "memory_mb_per_cell": "<= 0.5 MB of managed memory per cell from cell 100 to 600",
    "nuget_cached_s": "<= 3 s for #r \"nuget:\" of an already restored package",
}


def first_cell(starts=5):
    """Kernel start (start_kernel) -> first execute_reply of 1+1, in fresh kernels; median of `starts`."""
    walls, cpus = [], []
    for _ in range(starts):
        t0 = time.perf_counter()
        km, kc = kc_mod.start()
        try:
            r = kc_mod.run(kc, "1+1")
            walls.append(time.perf_counter() - t0)
            assert r["reply"]["status"] == "ok", r["reply"]
            cpus.append(kc_mod.cpu_seconds(kc_mod.kernel_pid(km)))
        finally:
            kc_mod.stop(km, kc)
    return {"median_s": statistics.median(walls), "all_s": walls, "kernel_cpu_median_s": statistics.median(cpus)}


def stream():
    f = kc_mod.scenario_flood()
    for v in f.values():
        v["mb_per_s"] = v["bytes"] / 1e6 / v["seconds"]
    return f


def memory():
    m = kc_mod.scenario_memory()
    a, b = m["samples"][str(m["first"])], m["samples"][str(m["cells"])]
    m["mb_per_cell"] = (b["managed"] - a["managed"]) / 1e6 / (m["cells"] - m["first"])
    return m


def nuget():
    n = kc_mod.scenario_nuget_timing()
    # The first kernel may run NuGet; the later ones load from the restore cache (the target).
    n["cached_median_s"] = statistics.median(n["seconds"][1:])
    return n


def kernel_build(log):
    """The kernel's own description of its build, from its log ("Roslyn ReadyToRun" or "IL only")."""
    try:
        with open(log) as f:
            for line in f:
                if "listening" in line:
                    return line.strip()
    except OSError:
        pass
    return None


def main():
    out, builds = sys.argv[1], [a.split("=", 1) for a in sys.argv[2:]]
    load0 = os.getloadavg()
    results = {label: {} for label, _ in builds}
    for name, fn in [("first_cell", first_cell), ("stream", stream), ("memory", memory), ("nuget", nuget)]:
        for label, path in builds:
            os.environ["JUPYTER_PATH"] = path
            os.environ["KERNEL_STDERR"] = os.path.join(os.path.dirname(os.path.dirname(path)), "kernel.log")
            t0 = time.perf_counter()
            results[label][name] = fn()
            results[label].setdefault("bench_seconds", {})[name] = time.perf_counter() - t0
            results[label]["kernel"] = kernel_build(os.environ["KERNEL_STDERR"])
            print("%s %s done (load %.1f)" % (label, name, os.getloadavg()[0]), file=sys.stderr, flush=True)
    for label, _ in builds:
        r = results[label]
        r["summary"] = {  # the four targets (docs/kernel.md's table)
            "first_cell_s": r["first_cell"]["median_s"],
            "stream_mb_per_s": r["stream"]["wide"]["mb_per_s"],
            "stream_whole_and_idle": all(v["whole"] and v["last_state"] == "idle" for v in r["stream"].values()),
            "memory_mb_per_cell": r["memory"]["mb_per_cell"],
            "nuget_cached_s": r["nuget"]["cached_median_s"],
        }
    commit = subprocess.run(["git", "-C", HERE, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    doc = {
        "date_utc": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
        "commit": commit,
        "machine": {"cpus": os.cpu_count(), "cpu": platform.processor() or platform.machine(),
                    "load_average_before": load0, "load_average_after": os.getloadavg()},
        "targets": TARGETS,
        "builds": results,
    }
    with open(out, "w") as f:
        json.dump(doc, f, indent=2, default=str)
    print(json.dumps({label: results[label]["summary"] for label, _ in builds}, indent=2))


if __name__ == "__main__":
    main()
