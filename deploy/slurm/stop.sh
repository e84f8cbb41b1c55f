#!/usr/bin/env bash
# Stops the test cluster of deploy/slurm/start.sh by the pids it recorded (slurmd, slurmctld, and munged only when
# start.sh started it). Idempotent.
set -euo pipefail
dir="${MEDSEG_SLURM_DIR:-/tmp/medseg-slurm}"
stop_pid() {
  local file="$dir/$1.pid"
  [ -f "$file" ] || return 0
  local pid; pid=$(cat "$file")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    echo "slurm/stop: stopped $1 (pid $pid)" >&2
  fi
  rm -f "$file"
}
stop_pid slurmd
stop_pid slurmctld
stop_pid munged
