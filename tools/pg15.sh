#!/usr/bin/env bash
# tools/pg15.sh PORT start|stop — a throwaway PostgreSQL 15 (Debian's postgresql-15) on
# 127.0.0.1:PORT for tests and benchmarks that compare with PostgreSQL itself: initdb into
# /tmp/heliosdb-pg15-PORT (C locale, UTF8, trust, superuser "postgres"); `stop` stops it and
# deletes the directory. As root the server runs as the OS user "postgres" (initdb refuses root).
set -euo pipefail
PORT=${1:?usage: tools/pg15.sh PORT start|stop}
ACTION=${2:-start}
DIR=/tmp/heliosdb-pg15-$PORT
PGBIN=/usr/lib/postgresql/15/bin
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$ACTION" in
start)
  if [ ! -f "$DIR/data/PG_VERSION" ]; then
    mkdir -p "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
    as_owner "$PGBIN/initdb" -D "$DIR/data" --no-locale --encoding=UTF8 --auth=trust -U postgres >"$DIR/initdb.log" 2>&1 ||
      { cat "$DIR/initdb.log" >&2; exit 1; }
  fi
  as_owner "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 start -o \
    "-p $PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$DIR -c max_connections=300 ${PG15_OPTIONS:-}" >/dev/null
  ;;
stop)
  if [ -f "$DIR/data/postmaster.pid" ]; then as_owner "$PGBIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null || true; fi
  rm -rf "$DIR"
  ;;
*) echo "usage: tools/pg15.sh PORT start|stop" >&2; exit 2 ;;
esac
