#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on 127.0.0.1 for the PostgreSQL pass of the tests.
#   ci-postgres.sh ENV_FILE         start; write `export DATABASE_URL=…` and PGDATA_DIR to ENV_FILE
#   ci-postgres.sh --stop ENV_FILE  stop the cluster started with that ENV_FILE and delete it
# Runs as root (CI) by handing the cluster to the `postgres` user, or as an ordinary user.
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
as_owner() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }

if [ "${1:-}" = "--stop" ]; then
  # shellcheck disable=SC1090
  source "$2"
  as_owner "'$bin/pg_ctl' -D '$PGDATA_DIR/data' -m fast stop" || true
  rm -rf "$PGDATA_DIR"
  exit 0
fi

env_file=${1:?usage: ci-postgres.sh ENV_FILE}
dir=$(mktemp -d /tmp/org-admin-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
as_owner "'$bin/initdb' -D '$dir/data' -A trust -U postgres --no-sync >/dev/null"
as_owner "'$bin/pg_ctl' -D '$dir/data' -l '$dir/log' -w -o \"-h 127.0.0.1 -p $port -k '$dir' -c fsync=off -c max_connections=200\" start >/dev/null"
for _ in $(seq 1 50); do
  "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" && break
  sleep 0.2
done
"$bin/pg_isready" -h 127.0.0.1 -p "$port" >/dev/null || { cat "$dir/log" >&2; exit 1; }
{
  echo "export DATABASE_URL=postgres://postgres@127.0.0.1:$port/postgres"
  echo "PGDATA_DIR=$dir"
} >"$env_file"
echo "PostgreSQL ready on 127.0.0.1:$port"
