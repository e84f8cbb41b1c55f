#!/usr/bin/env bash
# The test command: installs prerequisites, then builds and runs every test project.
set -euo pipefail
cd "$(dirname "$0")/.."
deploy/setup.sh
dotnet test MedSeg.Web.sln -c Release "$@"
