#!/bin/sh
# The Slurm test portal's Slurm:CommandPrefix (run as `sh THIS COMMAND ARGS…`): runs Slurm's command unchanged, except
# sbatch while a switch file exists in $MEDSEG_TEST_SLURM_SWITCHES (see SlurmPortalFixture):
#   hold-jobs     sbatch --hold: the job waits (JobHeldUser) until `scontrol release`, so a test can act before it starts;
#   delay-answer  sbatch submits, writes its answer to delay-answer.job, then keeps the answer back while the switch
#                 exists, so a test can kill the portal between the submission and the portal hearing of it.
switches="${MEDSEG_TEST_SLURM_SWITCHES:-/nonexistent}"
[ "$1" = sbatch ] || exec "$@"
shift
if [ -e "$switches/hold-jobs" ]; then set -- --hold "$@"; fi
[ -e "$switches/delay-answer" ] || exec sbatch "$@"
out=$(sbatch "$@"); rc=$?
printf '%s\n' "$out" > "$switches/delay-answer.job"
while [ -e "$switches/delay-answer" ]; do sleep 0.2; done
printf '%s\n' "$out"
exit $rc
