#!/usr/bin/env bash
# One GPU-machine session for the neural-network engine (issue 23): everything the GPU
# targets need, in one go, so that our numbers and PyTorch's come from the same machine and session.
#
#   environment/publish-linux-x64.sh          # here: publish/reproduce-linux-x64.tar.xz
#   # there, from the repository root (the machine needs no .NET; python3 there holds PyTorch):
#   bash tools/nn/gpu-session.sh publish/reproduce-linux-x64.tar.xz "$OUT"
#
# Writes into OUTDIR: gpu.txt (nvidia-smi), nn-bench.log (our step time with float32, TF32 and bf16
# GEMMs, the GPU pool over 1,000 steps, then the three again after PyTorch), nn-bench.json (the first
# run's numbers), torch-bench.log (PyTorch eager float32, same model, batch and context; it also writes
# the PyTorch fixtures, copied to fixtures/), nn-check.log (gradient checks, CPU/GPU parity of every
# kernel, the bf16 GEMM checks, GPU training runs in float32 and with bf16 GEMMs, and the live comparison
# with PyTorch: this session's fixtures against our models on the CPU and on the GPU).
set -uo pipefail
tarball=${1:-publish/reproduce-linux-x64.tar.xz}
out=${2:-${OUT:-out/gpu-session}}
steps=${STEPS:-50}
mkdir -p /tmp/r "$out"
tar -C /tmp/r -xJf "$tarball" || { echo "gpu-session: cannot unpack $tarball" >&2; exit 2; }
cli=/tmp/r/linux-x64/Reproduce.Cli
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv > "$out/gpu.txt" 2>&1
cat "$out/gpu.txt"
echo "== ours: nn bench (float32, then TF32, then bf16), memory over 1000 steps"
timeout 200 "$cli" nn bench --device cuda --steps "$steps" --tf32 --bf16 --memory-steps 1000 --json "$out/nn-bench.json" 2>&1 | tee "$out/nn-bench.log"
echo "== pytorch: eager float32, same model/batch/context; writes the PyTorch fixtures"
PYTHONUNBUFFERED=1 timeout 120 python3 tools/nn/torch_reference.py --bench --steps "$steps" 2>&1 | tee "$out/torch-bench.log"
mkdir -p "$out/fixtures" && cp Reproduce.Tests/Nn/Fixtures/gpt-tiny-torch.safetensors "$out/fixtures/"
python3 tools/nn/torch_reference_rotary.py "$out/fixtures" 2>&1 | tee -a "$out/torch-bench.log"   # rotary fixture (CPU)
echo "== ours again (same session, after PyTorch)"
timeout 60 "$cli" nn bench --device cuda --steps "$steps" --tf32 --bf16 2>&1 | tee -a "$out/nn-bench.log"
echo "== nn check --device cuda --torch (gradient checks, CPU/GPU parity of every kernel, bf16 GEMM checks, GPU training, this session's PyTorch outputs against ours on the CPU and the GPU)"
timeout 200 "$cli" nn check --device cuda --torch "$out/fixtures" 2>&1 | tee "$out/nn-check.log"
exit 0
