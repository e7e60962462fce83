#!/usr/bin/env bash
# Regenerates paper-scale figures on the GPU machine (no .NET there) with the self-contained build.
# Carry: publish/reproduce-linux-x64.tar.xz (or nothing, see below), .commit (the commit the build was made from) and, for
# the Fashion-MNIST figures, .device/fmnist (the four .gz files of Debian's dataset-fashion-mnist).
#   tools/gpu-figures.sh ID [ID ...]
# Writes $OUT/figures/<paper>/<figure>.{json,html,csv}, $OUT/records/<paper>__<figure>.json (merge
# them with `reproduce workflow report --out figures/REPORT.md RECORDS`; make PNGs here with
# `reproduce export --png`) and $OUT/log.txt.
set -uo pipefail
out="${OUT:?set OUT}"
work=/tmp/gpu-figures
mkdir -p "$work/figures" "$work/records" /tmp/r
# The working tree, the build and Fashion-MNIST do not fit one call's 64 MiB: a call that carries
# only the data reuses the build an earlier call on the same (still warm) machine unpacked.
if [[ -f publish/reproduce-linux-x64.tar.xz ]]; then
  tar -xJf publish/reproduce-linux-x64.tar.xz -C /tmp/r
elif [[ ! -x /tmp/r/linux-x64/Reproduce.Cli ]]; then
  echo "gpu-figures.sh: no build: carry publish/reproduce-linux-x64.tar.xz (the machine was released since the last call)" | tee -a "$out/log.txt"
  exit 2
fi
export REPRODUCE_COMMIT="$(cat .commit)"
# Long figures keep what they finish in $work/checkpoints (reproduce figure --checkpoints): a call cut short by its time
# limit is resumed by the same call again, on the same warm machine, or on a fresh one from the checkpoints that came
# back in figures.tgz (carry .device/checkpoints, a copy of that archive's checkpoints/ folder). Trained teachers are
# too large to come back; a fresh machine retrains them, and jobs keyed to another teacher's weights are not reused.
export REPRODUCE_CHECKPOINTS="$work/checkpoints"
mkdir -p "$REPRODUCE_CHECKPOINTS"
[[ -d .device/checkpoints ]] && cp -rn .device/checkpoints/. "$REPRODUCE_CHECKPOINTS/"
[[ -d .device/fmnist ]] && export REPRODUCE_FASHION_MNIST_DIR="$PWD/.device/fmnist"
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader | tee -a "$out/log.txt"
# PARALLEL=1 runs the figures side by side (one GPU, the host's cores shared): figures whose time is
# mostly host work or a small model on the GPU finish in about the time of the longest one. Mind the
# 600 s limit of one device call: a call that times out returns nothing of the figures still running.
# The five teacher-based compression figures together did not finish in 470 s on an H100 host
# (2026-12-06): give them a call each (or two at most). Measured later that day with ONE_PROCESS=1 PARALLEL=1
# and two processes ("kd-students" beside "prune-speedup prune-gradual pipeline"): each teacher took
# about 60 ms a step with the two sharing the GPU and the host, prune-speedup finished in 148 s, and
# kd-students (18 students of 1,500 steps) had not finished when the 600 s call ended: give it a call alone.
# The device returns only a few files: everything travels in one archive, re-packed as figures finish.
pack() { (flock 9; tar -czf "$out/figures.tgz.part" -C "$work" --exclude=compression_teacher figures records checkpoints && mv "$out/figures.tgz.part" "$out/figures.tgz") 9>"$work/.lock"; }
one() {
  local id=$1 start=$(date +%s)
  /tmp/r/linux-x64/Reproduce.Cli figure "$id" --scale paper --device cuda --out "$work/figures" \
    --record "$work/records/${id//\//__}.json" > "$work/${id//\//__}.log" 2>&1
  echo "== $id exit $? in $(( $(date +%s) - start )) s" | tee -a "$out/log.txt"
  cat "$work/${id//\//__}.log" >> "$out/log.txt"
  pack   # after each figure, so that a run cut short keeps what finished
}
# ONE_PROCESS=1 runs each argument as one process (`reproduce figure A B …`), sharing what the experiments
# cache: the teacher-based compression figures then train their teacher once per process, not once each.
# An argument may hold several ids separated by spaces (one process for them); with PARALLEL=1 the processes
# run side by side (one GPU, the host's cores shared). Each process logs straight into $OUT and the figures
# are re-packed every 20 s, so a call cut short by its time limit still returns what finished.
if [[ "${ONE_PROCESS:-0}" == 1 ]]; then
  ( while sleep 20; do pack; done ) & packer=$!
  group() {
    local ids=$1 start=$(date +%s) log="$out/$(echo -n "$1" | tr -c 'A-Za-z0-9_.-' '_').log" rec="$work/records"
    # One id: --record names the file; several: the folder, one <paper>__<figure>.json each.
    [[ "$ids" == *" "* ]] || rec="$work/records/${ids//\//__}.json"
    # shellcheck disable=SC2086  # the ids are words on purpose
    /tmp/r/linux-x64/Reproduce.Cli figure $ids --scale paper --device cuda --out "$work/figures" --record "$rec" > "$log" 2>&1
    echo "== $ids exit $? in $(( $(date +%s) - start )) s" | tee -a "$out/log.txt"
  }
  pids=()
  for ids in "$@"; do
    if [[ "${PARALLEL:-0}" == 1 ]]; then group "$ids" & pids+=($!); else group "$ids"; fi
  done
  [[ ${#pids[@]} -gt 0 ]] && wait "${pids[@]}"
  kill "$packer" 2>/dev/null
  pack
  exit 0
fi
for id in "$@"; do
  if [[ "${PARALLEL:-0}" == 1 ]]; then one "$id" & else one "$id"; fi
done
wait
