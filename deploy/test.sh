#!/usr/bin/env bash
# The test command: installs prerequisites, then builds and runs every test project.
set -euo pipefail
cd "$(dirname "$0")/.."
deploy/setup.sh
# A real PostgreSQL for the provider test (tests/MedSeg.Web.Tests reads MEDSEG_TEST_POSTGRES and fails if it is unreachable).
MEDSEG_TEST_POSTGRES="$(deploy/start-test-postgres.sh)"
export MEDSEG_TEST_POSTGRES
trap 'deploy/start-test-postgres.sh stop || true' EXIT
dotnet test MedSeg.Web.sln -c Release "$@"
# The natives-free self-contained `medseg` for GPU nodes: publish, then --help, a tiny run via MEDSEG_LIBTORCH, a refused 1.13.
deploy/check-medseg-publish.sh
