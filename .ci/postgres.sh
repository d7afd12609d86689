#!/usr/bin/env bash
# Starts a throw-away PostgreSQL on 127.0.0.1:${PGPORT:-54329} and prints its DATABASE_URL.
# Usage: eval "$(bash .ci/postgres.sh)"   (stop with: pg_ctl -D "$PGDATA_DIR" stop)
set -euo pipefail
port="${PGPORT:-54329}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
dir="$(mktemp -d /tmp/accessbridge-pg.XXXXXX)"
chown postgres "$dir" 2>/dev/null || true
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
as_pg "'$bin/initdb' -D '$dir/data' -U postgres -A trust" >/dev/null
as_pg "'$bin/pg_ctl' -D '$dir/data' -o '-p $port -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off' -l '$dir/log' -w start" >/dev/null
as_pg "'$bin/createdb' -h 127.0.0.1 -p $port -U postgres accessbridge_test"
echo "export DATABASE_URL=postgres://postgres@127.0.0.1:$port/accessbridge_test PGDATA_DIR=$dir/data PG_BIN=$bin"
