#!/usr/bin/env bash
# The kernel's four performance targets (issue 19) in one command, through Debian's jupyter_client:
# first cell after kernel start, stream output of 100,000 lines, memory per cell (100 -> 600),
# #r "nuget:" of a restored package. Writes a JSON (default out/kernel-bench.json).
#
#   tools/kernel/bench.sh                       # the kernel './reproduce kernel install' sets up
#   tools/kernel/bench.sh --docs                # ... and rewrite the table in docs/kernel.md
#   tools/kernel/bench.sh before=/tmp/old/artifacts/bin/Reproduce.Cli/release/Reproduce.Cli.dll \
#                         after=artifacts/kernel/Reproduce.Cli.dll   # builds compared in turns
#
# Needs /usr/bin/python3 with jupyter_client (apt-get install python3-jupyter-client) and libzmq5.
# Takes a few minutes per build (600 cells, 5 kernel starts, 3 kernels with a package, the stream cells).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/out/kernel-bench.json"
docs=0
builds=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --docs) docs=1; shift ;;
    *=*) builds+=("$1"); shift ;;
    *) echo "bench.sh: unknown argument '$1' (use --out FILE, --docs, LABEL=path/to/Reproduce.Cli.dll)" >&2; exit 2 ;;
  esac
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [[ ${#builds[@]} -eq 0 ]]; then
  # What users get: ./reproduce kernel install publishes (or refreshes) the ReadyToRun copy.
  "$root/reproduce" kernel install --prefix "$work/reproduce-install" >/dev/null
  builds=("installed=$root/artifacts/kernel/Reproduce.Cli.dll")
fi
args=()
for b in "${builds[@]}"; do
  label="${b%%=*}" dll="${b#*=}"
  [[ -f "$dll" ]] || { echo "bench.sh: $dll does not exist (build or publish it first)" >&2; exit 2; }
  dotnet "$dll" kernel install --prefix "$work/$label" >/dev/null
  args+=("$label=$work/$label/share/jupyter")
done
mkdir -p "$(dirname "$out")"
# Debian's python and modules; private Jupyter folders and kernel history for the run.
env -u PYTHONPATH -u PYTHONHOME PATH="/usr/bin:/bin:$PATH" \
  JUPYTER_RUNTIME_DIR="$work/runtime" JUPYTER_DATA_DIR="$work/data" JUPYTER_CONFIG_DIR="$work/config" \
  REPRODUCE_KERNEL_HISTORY="$work/history" SCRATCH="$work" \
  /usr/bin/python3 "$root/tools/kernel/bench.py" "$out" "${args[@]}"
echo "bench.sh: wrote $out" >&2
if [[ $docs == 1 ]]; then
  /usr/bin/python3 "$root/tools/kernel/bench_table.py" "$out" "$root/docs/kernel.md"
fi
