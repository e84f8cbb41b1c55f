#!/usr/bin/env bash
# Publishes `medseg` (CLI and worker) as a self-contained, trimmed linux-x64 folder for compute nodes: no .NET install
# needed there. Default: without libtorch natives (TorchBackend=none, ~50 MiB) — the node's PyTorch 2.10.0 supplies
# libtorch, CUDA and cuDNN through MEDSEG_LIBTORCH=<site-packages>/torch/lib. `--with-natives` bundles the NuGet CPU
# libtorch instead (~0.5 GiB; CPU nodes, no MEDSEG_LIBTORCH).
# Usage: deploy/publish-medseg.sh [OUT_DIR] [--with-natives]      (default OUT_DIR: artifacts/medseg-linux-x64)
set -euo pipefail
cd "$(dirname "$0")/.."
out="artifacts/medseg-linux-x64"; backend=none
for a in "$@"; do
  case "$a" in
    --with-natives) backend=cpu ;;
    -*) echo "publish-medseg: unknown option $a" >&2; exit 2 ;;
    *) out="$a" ;;
  esac
done
# Own intermediate folders (--artifacts-path), so this restore for linux-x64/TorchBackend=$backend does not disturb the
# developer build's obj/ folders.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
rm -rf "$out"
# TrimMode=partial trims the .NET runtime's own assemblies only: TorchSharp builds modules by reflection over fields,
# and run configs are serialised by reflection (kept on explicitly, trimming turns it off by default).
dotnet publish src/MedSeg.Cli -c Release -r linux-x64 --self-contained true --artifacts-path "$work" -o "${out%/}/" \
  -p:TorchBackend="$backend" -p:PublishTrimmed=true -p:TrimMode=partial -p:SuppressTrimAnalysisWarnings=true \
  -p:JsonSerializerIsReflectionEnabledByDefault=true -p:InvariantGlobalization=true -p:DebugType=none -v q -nologo
echo "published $(du -sm "$out" | cut -f1) MiB to $out (TorchBackend=$backend)"
