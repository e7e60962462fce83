#!/usr/bin/env bash
# The compression teacher's diagnosis on the GPU machine (issue 20): the paper-scale recipe trained by
# our engine on CUDA and by PyTorch (tools/nn/torch_train_charlm.py) on the same text, splits and recipe,
# validation loss every 100 steps; then our engine on the host CPU with the same seed (same batches as the
# CUDA run) for the first steps, and the CUDA parity checks.
#
#   bash tools/nn/gpu-teacher.sh publish/reproduce-linux-x64.tar.xz OUTDIR [STEPS] [LR] [BATCH]
set -uo pipefail
tarball=${1:-publish/reproduce-linux-x64.tar.xz}
out=${2:-${OUT:-out/gpu-teacher}}
steps=${3:-3000} lr=${4:-3e-3} batch=${5:-32}
mkdir -p /tmp/r "$out"
[[ -x /tmp/r/linux-x64/Reproduce.Cli ]] || tar -C /tmp/r -xJf "$tarball" || { echo "gpu-teacher: cannot unpack $tarball" >&2; exit 2; }
cli=/tmp/r/linux-x64/Reproduce.Cli
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv > "$out/gpu.txt" 2>&1
echo "== ours, CUDA: $steps steps, batch $batch, lr $lr"
timeout 240 "$cli" nn train --device cuda --steps "$steps" --batch "$batch" --lr "$lr" --eval-every 100 --sample 200 --json "$out/ours-cuda.json" 2>&1 | tee "$out/ours-cuda.log"
echo "== pytorch, CUDA: the same recipe"
PYTHONUNBUFFERED=1 timeout 240 python3 tools/nn/torch_train_charlm.py --device cuda --steps "$steps" --batch "$batch" --lr "$lr" --eval-every 100 --json "$out/torch-cuda.json" 2>&1 | tee "$out/torch-cuda.log"
echo "== ours, host CPU, same seed and batches, first 200 steps of a $steps-step schedule is not available: 200-step schedule"
timeout 200 "$cli" nn train --device cpu --steps 200 --batch "$batch" --lr "$lr" --eval-every 50 --json "$out/ours-cpu-200.json" 2>&1 | tee "$out/ours-cpu-200.log"
timeout 100 "$cli" nn train --device cuda --steps 200 --batch "$batch" --lr "$lr" --eval-every 50 --json "$out/ours-cuda-200.json" 2>&1 | tee "$out/ours-cuda-200.log"
exit 0
