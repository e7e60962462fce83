#!/usr/bin/env bash
# Runs a command as if the optional system parts were not installed: in a private mount namespace
# (unshare -m), each part's files are removed from view by an overlay whose upper layer holds
# whiteouts, so programs, libraries, Python packages and data folders are really absent for the
# command and everything it starts (the library's own detection included), while the machine
# outside is untouched. Needs root (CI runs as root); exits 2 with the reason otherwise.
#
#   .ci/without-optional-parts.sh dotnet test                     # hide every part
#   .ci/without-optional-parts.sh --parts clp,cbc -- dotnet test   # hide some
#   .ci/without-optional-parts.sh --list                           # the parts and their paths
#
# Parts: openblas clp cbc chromium zmq jupyter fashion-mnist gxx snakemake (see README "Optional system parts").
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
multiarch=$(gcc -print-multiarch 2>/dev/null || dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
lib=/usr/lib/$multiarch
py=/usr/lib/python3/dist-packages

# The files each part consists of (what its Debian packages install that our code looks for).
paths_of() {
  case "$1" in
    openblas)      echo "$lib/libopenblas.so.0 $lib/openblas-pthread $lib/openblas-openmp $lib/openblas-serial $lib/liblapacke.so.3 $(ls -d $lib/liblapacke.so.3.* 2>/dev/null)" ;;
    clp)           echo "/usr/bin/clp" ;;
    cbc)           echo "/usr/bin/cbc" ;;
    chromium)      echo "/usr/bin/chromium /usr/bin/chromium-browser /usr/lib/chromium" ;;
    zmq)           echo "$lib/libzmq.so.5 $(ls -d $lib/libzmq.so.5.* 2>/dev/null)" ;;
    jupyter)       echo "$py/nbformat $py/nbclient $py/jupyter_client $py/nbconvert $py/jupyter_kernel_test $py/zmq /usr/bin/jupyter" ;;
    fashion-mnist) echo "/usr/share/datasets/fashion-mnist" ;;
    gxx)           echo "/usr/bin/g++ /usr/bin/c++" ;;
    snakemake)     echo "/usr/bin/snakemake" ;;
    *) echo "without-optional-parts: unknown part '$1' (known: $all_parts)" >&2; exit 2 ;;
  esac
}
all_parts="openblas clp cbc chromium zmq jupyter fashion-mnist gxx snakemake"

parts="$all_parts"
if [[ "${1:-}" == "--list" ]]; then
  for p in $all_parts; do echo "$p: $(paths_of "$p")"; done
  exit 0
fi
if [[ "${1:-}" == "--parts" ]]; then
  parts="${2//,/ }"; shift 2
  [[ "$parts" == "all" ]] && parts="$all_parts"
  [[ "${1:-}" == "--" ]] && shift
fi
[[ $# -gt 0 ]] || { echo "usage: $0 [--parts a,b,...] [--] command [args...]" >&2; exit 2; }

if [[ "${REPRODUCE_IN_HIDING_NAMESPACE:-}" != "1" ]]; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "without-optional-parts: needs root for a private mount namespace (run under sudo, as CI does)." >&2; exit 2
  fi
  if ! unshare -m --propagation private true 2>/dev/null; then
    echo "without-optional-parts: unshare -m is not permitted here (a container without CAP_SYS_ADMIN?)." >&2; exit 2
  fi
  export REPRODUCE_IN_HIDING_NAMESPACE=1
  exec unshare -m --propagation private "$0" --parts "${parts// /,}" -- "$@"
fi

# Inside the namespace: one overlay per parent folder, whose top layer whites out the hidden names.
layers=$(mktemp -d /tmp/reproduce-hide-XXXXXX)
mount -t tmpfs tmpfs "$layers"
declare -A parent_of_layer=()
hidden=()
for p in $parts; do
  for f in $(paths_of "$p"); do
    [[ -e "$f" || -L "$f" ]] || continue
    dir=$(dirname "$f")
    key=$(echo "$dir" | tr '/' '_')
    mkdir -p "$layers/$key"
    mknod "$layers/$key/$(basename "$f")" c 0 0   # an overlay whiteout: the name does not exist above
    parent_of_layer[$key]="$dir"
    hidden+=("$f")
  done
done
for key in "${!parent_of_layer[@]}"; do
  dir="${parent_of_layer[$key]}"
  mount -t overlay overlay -o "lowerdir=$layers/$key:$dir" "$dir"
done
# Overrides that would point the library past the hidden files.
unset REPRODUCE_CHROMIUM CLP_BINARY CBC_BINARY REPRODUCE_FASHION_MNIST_DIR REPRODUCE_PLOTLYJS REPRODUCE_BLAS
# Build servers started here must not outlive the namespace and serve builds outside it.
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 UseSharedCompilation=false
echo "without-optional-parts: hidden ${#hidden[@]} paths of: $parts" >&2
unset REPRODUCE_IN_HIDING_NAMESPACE
exec "$@"
