#!/usr/bin/env bash
# The official Jupyter kernel conformance suite (jupyter_kernel_test) against the Reproduce C#
# kernel, outside dotnet test: installs the kernelspec into a temporary prefix and runs
# Reproduce.Tests/Kernel/kernel_conformance.py with Debian's python. Exit 0 when it passes, 1 when
# it fails, 0 with a "skipped:" line when libzmq, jupyter_client or jupyter_kernel_test is missing
# (apt-get install libzmq5 jupyter-client python3-jupyter-kernel-test).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
py=/usr/bin/python3
if [[ ! -x $py ]] || ! $py -c 'import jupyter_client, jupyter_kernel_test' 2>/dev/null; then
  echo "skipped: jupyter_kernel_test needs /usr/bin/python3 with python3-jupyter-client and python3-jupyter-kernel-test"
  exit 0
fi
if [[ -z "${REPRODUCE_LIBZMQ:-}" ]] && ! ldconfig -p 2>/dev/null | grep 'libzmq\.so\.5' >/dev/null; then
  echo "skipped: libzmq is not installed (apt-get install libzmq5)"
  exit 0
fi
prefix="$(mktemp -d)"
trap 'rm -rf "$prefix"' EXIT
./reproduce kernel install --prefix "$prefix" >/dev/null
export JUPYTER_PATH="$prefix/share/jupyter" JUPYTER_RUNTIME_DIR="$prefix/runtime" \
  JUPYTER_DATA_DIR="$prefix/data" JUPYTER_CONFIG_DIR="$prefix/config" \
  REPRODUCE_KERNEL_HISTORY="$prefix/history"
unset PYTHONPATH PYTHONHOME
$py Reproduce.Tests/Kernel/kernel_conformance.py
