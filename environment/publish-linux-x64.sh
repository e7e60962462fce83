#!/usr/bin/env bash
# Publishes the `reproduce` command self-contained for linux-x64, for machines without .NET
# (for example a GPU server). The result runs the notebooks of a checkout of this repository:
#
#   environment/publish-linux-x64.sh                 # → publish/linux-x64/ and publish/reproduce-linux-x64.tar.xz
#   scp publish/reproduce-linux-x64.tar.xz gpu-host:
#   ssh gpu-host 'tar -xJf reproduce-linux-x64.tar.xz && cd Reproduce && ../linux-x64/Reproduce.Cli run --device cuda --scale paper'
#
# The notebooks' `#r "../artifacts/bin/Reproduce/release/Reproduce.dll"` binds to the library the
# command itself carries, so no build is needed on the target. Options:
#   --out DIR    where the tarball goes (default publish/)
#   --no-tar     leave the folder only
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/publish"
tar=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --no-tar) tar=0; shift ;;
    *) echo "publish-linux-x64.sh: unknown option '$1' (use --out DIR or --no-tar)" >&2; exit 2 ;;
  esac
done
rm -rf "$root/publish/linux-x64"
dotnet publish "$root/Reproduce.Cli/Reproduce.Cli.csproj" -c Release -r linux-x64 --self-contained \
  -o "$root/publish/linux-x64" -v q -nologo
ln -sf Reproduce.Cli "$root/publish/linux-x64/reproduce"
du -sh "$root/publish/linux-x64"
if [[ $tar == 1 ]]; then
  mkdir -p "$out"
  # xz -T0 uses every core; the tarball is ~30 MiB (the folder ~100 MiB).
  XZ_OPT="-6 -T0" tar -C "$root/publish" -cJf "$out/reproduce-linux-x64.tar.xz" linux-x64
  ls -la "$out/reproduce-linux-x64.tar.xz"
fi
