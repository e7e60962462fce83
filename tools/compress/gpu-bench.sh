#!/usr/bin/env bash
# One GPU-machine session for issue 20's H100 target: one 1024 × 4096 layer with SparseGPT or ALPS in ≤ 2 s.
#
#   environment/publish-linux-x64.sh            # here: publish/reproduce-linux-x64.tar.xz (git-ignored)
#   # there, from the repository root (the machine needs no .NET):
#   bash tools/compress/gpu-bench.sh publish/reproduce-linux-x64.tar.xz "$OUT"
#
# Writes into OUTDIR: gpu.txt (nvidia-smi), check.log (`compress check --device cuda`: SparseGPT and ALPS on the GPU
# against the CPU on small layers; exit status in check.rc), and for each of sparsegpt 50 %, sparsegpt 2:4, alps 50 %
# a bench-<name>.log and bench-<name>.json from `compress bench --device cuda --baseline-cpu` (CUDA time excluding
# and including H = XᵀX, the first call's kernel compile apart, and the CPU path on the same layer in the same run).
# Set QUICK=1 for a small layer (256 × 1024) to test the script itself.
set -uo pipefail
tarball=${1:-publish/reproduce-linux-x64.tar.xz}
out=${2:-${OUT:-out/compress-gpu}}
mkdir -p /tmp/r "$out"
tar -C /tmp/r -xJf "$tarball" || { echo "gpu-bench: cannot unpack $tarball" >&2; exit 2; }
cli=/tmp/r/linux-x64/Reproduce.Cli
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
size=(--d-out 1024 --d-in 4096)
[[ ${QUICK:-0} == 1 ]] && size=(--d-out 256 --d-in 1024)
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv > "$out/gpu.txt" 2>&1
cat "$out/gpu.txt"; nproc | sed 's/^/CPU cores: /' | tee -a "$out/gpu.txt"
echo "== compress check --device cuda (CPU vs GPU parity)"
timeout 300 "$cli" compress check --device cuda 2>&1 | tee "$out/check.log"
echo "${PIPESTATUS[0]}" > "$out/check.rc"
for spec in "sparsegpt 0.5" "sparsegpt 2:4" "alps 0.5"; do
  set -- $spec
  name="$1-${2/:/of}"
  echo "== compress bench --method $1 --pattern $2 --device cuda --baseline-cpu ${size[*]}"
  timeout 400 "$cli" compress bench --method "$1" --pattern "$2" "${size[@]}" --device cuda --baseline-cpu --json "$out/bench-$name.json" 2>&1 | tee "$out/bench-$name.log"
done
exit 0
