#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks for running and testing MedSeg.Web.
# Idempotent: skips anything already present. Needs root (or sudo) only when installing.
set -euo pipefail
need=()
command -v dotnet >/dev/null || { echo "setup: the .NET 10 SDK is required (https://dot.net)"; exit 1; }
command -v node >/dev/null || need+=(nodejs npm)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v pg_ctlcluster >/dev/null || [ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql)
# libtorch 1.13 as "another version" for the MEDSEG_LIBTORCH refusal tests (never loaded).
[ -e /usr/lib/python3/dist-packages/torch/version.py ] || need+=(python3-torch)
# The Slurm backend's test cluster (deploy/slurm/start.sh): slurmctld, slurmd, the client commands and munge.
[ -x /usr/sbin/slurmctld ] && [ -x /usr/sbin/slurmd ] && command -v sbatch >/dev/null || need+=(slurm-wlm)
[ -x /usr/sbin/munged ] || need+=(munge)
# libdeflate: the fast .nii.gz codec (src/MedSeg.Core/Compression/LibDeflateCodec; zlib-ng is the fallback without it).
ldconfig -p 2>/dev/null | grep -q 'libdeflate\.so\.0' || need+=(libdeflate0)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
