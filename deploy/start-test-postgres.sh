#!/usr/bin/env bash
# Starts a throw-away PostgreSQL for the tests on 127.0.0.1:55432 (cluster in a temp folder, trust auth on loopback
# only) and prints its Npgsql connection string on stdout; logs go to stderr. Idempotent: reuses a running cluster.
#   deploy/start-test-postgres.sh        start (or reuse) and print the connection string
#   deploy/start-test-postgres.sh stop   stop the cluster
# Environment: MEDSEG_TEST_PG_DIR (cluster folder, default /tmp/medseg-test-postgres), MEDSEG_TEST_PG_PORT (default 55432).
set -euo pipefail
dir="${MEDSEG_TEST_PG_DIR:-/tmp/medseg-test-postgres}"
port="${MEDSEG_TEST_PG_PORT:-55432}"
db=medseg_test
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
[ -x "$bin/initdb" ] || { echo "start-test-postgres: no PostgreSQL server binaries under /usr/lib/postgresql (run deploy/setup.sh)" >&2; exit 1; }

# initdb and postgres refuse to run as root: use the postgres account then.
as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ "${1:-}" = stop ]; then
  [ -f "$dir/data/PG_VERSION" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast stop >&2 || true
  exit 0
fi

if [ ! -f "$dir/data/PG_VERSION" ]; then
  rm -rf "$dir"; mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >&2
fi
if ! as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off" start >&2
fi
if ! as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$db'" postgres | grep -q 1; then
  as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$db" >&2
fi
echo "Host=127.0.0.1;Port=$port;Database=$db;Username=postgres"
