#!/usr/bin/env python3
"""Markdown table of `reproduce nn bench --json` files (CPU runs): step time, GEMM share, the step's
GEMM rate against direct OpenBLAS calls at the same shapes, and the time per operation kind.

  python3 tools/nn/cpu_summary.py tools/nn/results/cpu-2026-12-06/b16-before.json tools/nn/results/cpu-2026-12-06/b16-after.json
"""
import json, sys

runs = [(p.rsplit("/", 1)[-1], json.load(open(p))) for p in sys.argv[1:]]
print("| | " + " | ".join(n for n, _ in runs) + " |")
print("|---|" + "---|" * len(runs))
rows = [("model", lambda j: "{layers} layers, d = {d}, batch {batch} × {context}".format(**j["model"])),
        ("CPU GEMM backend", lambda j: j["backend"]),
        ("load average (1 min) at start", lambda j: f'{j["load_average_1min"]:.0f} on {j["logical_cpus"]} CPUs'),
        ("step", lambda j: f'{j["step_ms"]:.0f} ms ({j["tokens_per_s"]:.0f} tokens/s)'),
        ("GEMM share of the step", lambda j: f'{100 * j["gemm_share"]:.0f} %'),
        ("step's GEMM rate / direct OpenBLAS", lambda j: f'{100 * j["gemm_rate_in_step_vs_openblas"]:.0f} % ({j["gemm_rate_in_step_gflops"]:.1f} / {j["gemm_rate_openblas_direct_gflops"]:.1f} GFLOP/s)'),
        ("step's GEMM rate / direct managed GEMM", lambda j: f'{100 * j["gemm_rate_in_step_vs_managed"]:.0f} %')]
for name, f in rows:
    print(f"| {name} | " + " | ".join(f(j) for _, j in runs) + " |")
ops = sorted({o for _, j in runs for o in j["ops_ms"]}, key=lambda o: -max(j["ops_ms"].get(o, 0) for _, j in runs))
for o in ops:
    print(f"| {o} | " + " | ".join(f'{j["ops_ms"][o]:.0f} ms ({100 * j["ops_ms"][o] / j["step_ms"]:.0f} %)' if o in j["ops_ms"] else "–" for _, j in runs) + " |")
