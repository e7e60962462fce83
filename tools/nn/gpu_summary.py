#!/usr/bin/env python3
"""Summarises one tools/nn/gpu-session.sh result folder (nn-bench.json, torch-bench.log, nn-check.log)
as a markdown table on stdout, so docs quote the run's own numbers, never hand-typed ones.
  tools/nn/gpu_summary.py tools/nn/results/<dir> > tools/nn/results/<dir>/README.md"""
import json, re, sys, pathlib

d = pathlib.Path(sys.argv[1])
bench = json.loads((d / "nn-bench.json").read_text())
torch = re.search(r"eager float32 on cuda: ([\d.]+) ms/step, ([\d,]+) tokens/s", (d / "torch-bench.log").read_text())
check = re.search(r"(\d+) passed, (\d+) failed", (d / "nn-check.log").read_text())
gpu = (d / "gpu.txt").read_text().strip().splitlines()[-1]
t_ms, t_tok = float(torch.group(1)), float(torch.group(2).replace(",", ""))
print(f"# GPU session {d.name}\n\nDevice: {gpu}. Same call: ours (`nn bench --device cuda --tf32 --bf16`) and PyTorch eager float32"
      f" (`tools/nn/torch_reference.py --bench`), 6-layer d = 256 character GPT, batch 64 × context 128.\n")
print("| run | ms/step | tokens/s | tokens/s ÷ PyTorch eager float32 |\n|---|---|---|---|")
for label, ms, tok in [("ours, float32 GEMMs", bench["step_ms"], bench["tokens_per_s"]),
                       ("ours, TF32 GEMMs", bench["tf32_step_ms"], bench["tf32_tokens_per_s"]),
                       ("ours, bf16 GEMMs", bench["bf16_step_ms"], bench["bf16_tokens_per_s"]),
                       ("PyTorch 2.11 eager float32", t_ms, t_tok)]:
    print(f"| {label} | {ms:.2f} | {tok:,.0f} | {tok / t_tok:.2f} |")
print(f"\nGPU memory pool growth over the memory steps: {bench['gpu_pool_growth_mib']} MiB. "
      f"`nn check --device cuda`: {check.group(1)} passed, {check.group(2)} failed (bf16 GEMM bounds and a bf16 training run included).")
