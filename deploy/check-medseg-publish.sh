#!/usr/bin/env bash
# Checks the natives-free published `medseg` (deploy/publish-medseg.sh) as a compute node would run it: an empty
# environment (no dotnet on PATH), `medseg --help`, a tiny CPU pretraining run with MEDSEG_LIBTORCH pointing at the NuGet
# CPU libtorch 2.10.0 (the stand-in for a node's PyTorch torch/lib), and the refusal of another libtorch version (Debian's
# python3-torch 1.13) before any work. Usage: deploy/check-medseg-publish.sh [PUBLISHED_DIR] (default: publishes first).
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-}"
if [ -z "$dir" ]; then dir="artifacts/medseg-linux-x64"; deploy/publish-medseg.sh "$dir"; fi
dir="$(cd "$dir" && pwd)"
nuget="${NUGET_PACKAGES:-$HOME/.nuget/packages}/libtorch-cpu-linux-x64/2.10.0/runtimes/linux-x64/native"
debian=/usr/lib/python3/dist-packages/torch/lib
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "check-medseg-publish: FAIL: $*" >&2; exit 1; }
node() { env -i HOME="$HOME" PATH=/usr/bin:/bin "$@"; }

[ -e "$dir/libtorch_cpu.so" ] && fail "$dir carries libtorch natives; expected a TorchBackend=none publish"
mib=$(du -sm "$dir" | cut -f1)
[ "$mib" -lt 60 ] || fail "published folder is $mib MiB (goal: under 60 MiB without natives)"

node "$dir/medseg" --help > "$work/help.txt" 2>&1 || fail "medseg --help exited $?: $(cat "$work/help.txt")"
grep -q "train" "$work/help.txt" || fail "medseg --help does not list the commands"

node MEDSEG_LIBTORCH="$nuget" "$dir/medseg" generate avsdb --out "$work/avs" --count 4 --size 16 --seed 1 > "$work/gen.txt" 2>&1 \
  || fail "generate avsdb: $(tail -5 "$work/gen.txt")"
node MEDSEG_LIBTORCH="$nuget" "$dir/medseg" train fdsl --out "$work/run" --dataset "$work/avs" --model BasicUNet \
  --model-arg "features=(4, 4, 8, 8, 16, 4)" --crop 16 --batch 2 --steps 3 --samples 4 --val-every 0 --threads 1 > "$work/train.txt" 2>&1 \
  || fail "tiny run with MEDSEG_LIBTORCH=$nuget: $(tail -5 "$work/train.txt")"
grep -q '"state": "completed"' "$work/run/status.json" || fail "tiny run did not complete: $(cat "$work/run/status.json")"
grep -q "from $nuget (MEDSEG_LIBTORCH)" "$work/run/config.json" || fail "config.json does not record the site libtorch"

if [ -e "$debian/libtorch.so" ]; then
  set +e
  node MEDSEG_LIBTORCH="$debian" "$dir/medseg" train fdsl --out "$work/refused" --dataset "$work/avs" --steps 1 > "$work/refused.txt" 2>&1
  code=$?
  set -e
  [ "$code" -eq 2 ] || fail "libtorch 1.13 was not refused (exit $code): $(cat "$work/refused.txt")"
  grep -q "needs libtorch 2.10.0" "$work/refused.txt" && grep -q "1.13" "$work/refused.txt" || fail "refusal does not name both versions: $(cat "$work/refused.txt")"
  [ ! -e "$work/refused" ] || fail "a refused start left a run folder"
else
  fail "Debian python3-torch is not installed ($debian); deploy/setup.sh installs it"
fi
echo "check-medseg-publish: OK ($mib MiB, --help, tiny CPU run via MEDSEG_LIBTORCH, libtorch 1.13 refused)"
