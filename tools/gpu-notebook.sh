#!/usr/bin/env bash
# Runs notebooks at paper scale on the GPU machine (no .NET there) with the self-contained build and
# returns what they wrote: figures/<paper>/, figures/REPORT.md rows and the executed notebooks, all
# in $OUT/notebook.tgz (the device returns only a few files), re-packed every 20 s so that a run cut
# short by the call's time limit keeps the figures that finished.
#   tools/gpu-notebook.sh LIMIT_SECONDS NOTEBOOK [NOTEBOOK ...]
# Carry publish/reproduce-linux-x64.tar.xz, or nothing when an earlier call on the same warm machine
# unpacked it (see tools/gpu-figures.sh), plus .commit and, for Fashion-MNIST, .device/fmnist.
set -uo pipefail
out="${OUT:?set OUT}"
limit="$1"; shift
mkdir -p /tmp/r "$out"
if [[ -f publish/reproduce-linux-x64.tar.xz ]]; then
  tar -xJf publish/reproduce-linux-x64.tar.xz -C /tmp/r
elif [[ ! -x /tmp/r/linux-x64/Reproduce.Cli ]]; then
  echo "gpu-notebook.sh: no build: carry publish/reproduce-linux-x64.tar.xz (the machine was released since the last call)" | tee "$out/log.txt"
  exit 2
fi
export REPRODUCE_COMMIT="$(cat .commit)"
[[ -d .device/fmnist ]] && export REPRODUCE_FASHION_MNIST_DIR="$PWD/.device/fmnist"
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader >> "$out/log.txt"
nproc >> "$out/log.txt"
pack() { tar -czf "$out/notebook.tgz.part" figures out-notebooks 2>/dev/null && mv "$out/notebook.tgz.part" "$out/notebook.tgz"; }
start=$(date +%s)
timeout "$limit" /tmp/r/linux-x64/Reproduce.Cli run "$@" --scale paper --out out-notebooks >> "$out/log.txt" 2>&1 &
run=$!
while kill -0 $run 2>/dev/null; do sleep 20; pack; done
wait $run; rc=$?
echo "== exit $rc in $(( $(date +%s) - start )) s" >> "$out/log.txt"
pack
exit 0
