#!/usr/bin/env bash
# The test command: installs prerequisites, then builds and runs every test project.
set -euo pipefail
cd "$(dirname "$0")/.."
deploy/setup.sh
# A real PostgreSQL for the provider test (tests/MedSeg.Web.Tests reads MEDSEG_TEST_POSTGRES and fails if it is unreachable).
MEDSEG_TEST_POSTGRES="$(deploy/start-test-postgres.sh)"
export MEDSEG_TEST_POSTGRES
# A real single-node Slurm (munge + slurmctld + slurmd on loopback) for the Slurm backend tests; MEDSEG_TEST_SLURM=0 skips
# them (they then report as skipped, naming the variable).
slurm_started=0
if [ "${MEDSEG_TEST_SLURM:-1}" != 0 ]; then
  MEDSEG_TEST_SLURM_CONF="$(deploy/slurm/start.sh)"
  export MEDSEG_TEST_SLURM_CONF
  slurm_started=1
else
  echo "test: MEDSEG_TEST_SLURM=0: the Slurm backend tests are skipped"
fi
trap 'deploy/start-test-postgres.sh stop || true; [ "$slurm_started" = 1 ] && deploy/slurm/stop.sh || true' EXIT
dotnet test MedSeg.Web.sln -c Release "$@"
# The natives-free self-contained `medseg` for GPU nodes: publish, then --help, a tiny run via MEDSEG_LIBTORCH, a refused 1.13.
deploy/check-medseg-publish.sh
