#!/usr/bin/env bash
# Starts (or reuses) a single-node Slurm cluster with munge on loopback for the tests, without systemd or cgroups
# (see README "Running on a Slurm cluster"). Prints the one line the tests need on stdout: the slurm.conf path
# (export it as SLURM_CONF); logs go to stderr. Idempotent: a cluster already answering `sinfo` is reused.
#   deploy/slurm/start.sh        start (or reuse) and print the slurm.conf path
#   deploy/slurm/stop.sh         stop what this script started, by pid
# Environment: MEDSEG_SLURM_DIR (state folder, default /tmp/medseg-slurm), MEDSEG_SLURM_CTLD_PORT (6817),
# MEDSEG_SLURM_NODE_PORT (6818), MEDSEG_SLURM_CPUS (CPUs the node offers, default 4: tiny test jobs may share cores).
# Partitions: `debug` (default, MaxTime 60 min) and `long` (MaxTime 1 day). Needs root (slurmd starts jobs as their user).
set -euo pipefail
dir="${MEDSEG_SLURM_DIR:-/tmp/medseg-slurm}"
ctld_port="${MEDSEG_SLURM_CTLD_PORT:-6817}"
node_port="${MEDSEG_SLURM_NODE_PORT:-6818}"
cpus="${MEDSEG_SLURM_CPUS:-4}"
conf="$dir/slurm.conf"
export SLURM_CONF="$conf"
log() { echo "slurm/start: $*" >&2; }

for tool in munged slurmctld slurmd sinfo; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { log "$tool is missing: run deploy/setup.sh (Debian packages slurm-wlm, munge)"; exit 1; }
done
[ "$(id -u)" -eq 0 ] || { log "needs root: slurmd starts each job as the submitting user"; exit 1; }

if [ -f "$conf" ] && timeout 5 sinfo -h >/dev/null 2>&1; then
  log "reusing the running cluster ($conf)"; echo "$conf"; exit 0
fi
mkdir -p "$dir/ctld" "$dir/spool" "$dir/log"

# munge: a key (munge:munge, 0400) and a daemon; one already answering is reused and never stopped by stop.sh.
if ! (munge -n </dev/null | unmunge >/dev/null) 2>/dev/null; then
  if [ ! -s /etc/munge/munge.key ]; then
    mkdir -p /etc/munge
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none
    chown munge:munge /etc/munge/munge.key; chmod 0400 /etc/munge/munge.key
  fi
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge
  runuser -u munge -- /usr/sbin/munged
  cat /run/munge/munged.pid > "$dir/munged.pid"
  for _ in $(seq 50); do (munge -n </dev/null | unmunge >/dev/null) 2>/dev/null && break; sleep 0.1; done
  log "munged started (pid $(cat "$dir/munged.pid"))"
fi

mem_mb=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2 ))
cat > "$conf" <<CONF
# Written by deploy/slurm/start.sh: a single-node test cluster on loopback.
ClusterName=medseg-test
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$node_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$dir/ctld
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
ReturnToService=2
EnforcePartLimits=ALL
SlurmdParameters=config_overrides
SchedulerParameters=sched_interval=5
GresTypes=gpu
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=60 State=UP
PartitionName=long Nodes=localhost MaxTime=1-00:00:00 State=UP
CONF

/usr/sbin/slurmctld -i -f "$conf"
/usr/sbin/slurmd -N localhost -f "$conf"
for _ in $(seq 100); do
  state=$(timeout 5 sinfo -h -n localhost -o %T 2>/dev/null | head -n1 || true)
  case "$state" in idle|mixed|allocated) break ;; esac
  sleep 0.2
done
[ -n "${state:-}" ] || { log "slurmctld does not answer; see $dir/log"; exit 1; }
log "slurmctld pid $(cat "$dir/slurmctld.pid"), slurmd pid $(cat "$dir/slurmd.pid"); node localhost $state"
echo "$conf"
