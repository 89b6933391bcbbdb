#!/usr/bin/env bash
# pgbench against heliosdb-nano and a local PostgreSQL 15, same machine, same run, same data:
# select-only (-S) with -M simple and -M prepared at 1 and 8 clients, SELECT 1 round trips,
# connection setup (-C), and the TPC-B-like default script at 1 and 8 clients with
# synchronous_commit on (fsync per commit, both) and off. Servers run on CPU 0, pgbench on CPU 1; each case runs REPEAT times and
# the median is reported, with the ratio HeliosDB / PostgreSQL. Also the memory an idle
# connection costs heliosdb-nano (RSS growth over 200 idle connections).
#
#   bench/pgwire_bench.sh [build dir]        DURATION=10 REPEAT=3 SCALE_ROWS=100000
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
DURATION=${DURATION:-10}
REPEAT=${REPEAT:-3}
ROWS=${SCALE_ROWS:-100000}
PG_PORT=25470  # below the ephemeral port range
H_PORT=25471
WORK=$(mktemp -d)
PYTHON=/usr/bin/python3

cleanup() {
  [ -n "${HPID:-}" ] && kill "$HPID" 2>/dev/null && wait "$HPID" 2>/dev/null
  "$ROOT/tools/pg15.sh" $PG_PORT stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

PG15_OPTIONS="-c shared_buffers=128MB" taskset -c 0 "$ROOT/tools/pg15.sh" $PG_PORT start
# heliosdb-nano on CPU 0 over data directory $1, once it answers; its pid in HPID.
start_helios() {
  taskset -c 0 "$BUILD/tools/heliosdb-nano" --data-dir "$1" --port $H_PORT --max-connections 300 >"$1.log" 2>&1 &
  HPID=$!
  for _ in $(seq 50); do
    psql -h 127.0.0.1 -p $H_PORT -U postgres -d postgres -Atc "SELECT 1" >/dev/null 2>&1 && break
    sleep 0.1
  done
}
start_helios "$WORK/data"

# The pgbench tables (scale 1 shape), loaded the same way into both.
"$PYTHON" - "$ROWS" >"$WORK/accounts.txt" <<'EOF'
import sys
for i in range(1, int(sys.argv[1]) + 1):
    print(f"{i}\t1\t0\t")
EOF
for port in $PG_PORT $H_PORT; do
  psql -q -h 127.0.0.1 -p $port -U postgres -d postgres -v ON_ERROR_STOP=1 >/dev/null <<EOF
DROP TABLE IF EXISTS pgbench_accounts, pgbench_branches, pgbench_tellers, pgbench_history;
CREATE TABLE pgbench_branches (bid int PRIMARY KEY, bbalance int, filler char(88));
CREATE TABLE pgbench_tellers (tid int PRIMARY KEY, bid int, tbalance int, filler char(84));
CREATE TABLE pgbench_accounts (aid int PRIMARY KEY, bid int, abalance int, filler char(84));
CREATE TABLE pgbench_history (tid int, bid int, aid int, delta int, mtime timestamp, filler char(22));
INSERT INTO pgbench_branches VALUES (1, 0, '');
INSERT INTO pgbench_tellers SELECT g, 1, 0, '' FROM generate_series(1, 10) g;
\copy pgbench_accounts from '$WORK/accounts.txt'
EOF
done
psql -q -h 127.0.0.1 -p $PG_PORT -U postgres -d postgres -c "VACUUM ANALYZE" >/dev/null
printf 'SELECT 1;\n' >"$WORK/select1.sql"

# tps of one pgbench run: port, pgbench arguments...
run() {
  local port=$1
  shift
  taskset -c 1 pgbench -h 127.0.0.1 -p "$port" -U postgres -n -T "$DURATION" "$@" postgres 2>/dev/null |
    awk '/^tps = / { print $3; exit }'
}
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }

printf '%-34s %14s %14s %8s\n' "case (tps, median of $REPEAT x ${DURATION}s)" "PostgreSQL 15" "HeliosDB" "ratio"
bench_case() {
  local name=$1
  shift
  local pg h
  pg=$(for _ in $(seq "$REPEAT"); do run $PG_PORT "$@"; done | median)
  h=$(for _ in $(seq "$REPEAT"); do run $H_PORT "$@"; done | median)
  printf '%-34s %14.0f %14.0f %7.2fx\n' "$name" "$pg" "$h" "$(echo "$h / $pg" | bc -l)"
}
bench_case "select-only, simple, 1 client" -S -M simple -c 1 -j 1
bench_case "select-only, prepared, 1 client" -S -M prepared -c 1 -j 1
bench_case "select-only, simple, 8 clients" -S -M simple -c 8 -j 2
bench_case "select-only, prepared, 8 clients" -S -M prepared -c 8 -j 2
bench_case "SELECT 1, extended, 1 client" -f "$WORK/select1.sql" -M extended -c 1 -j 1
bench_case "connect + select-only (-C), 1 client" -S -C -c 1 -j 1
bench_case "TPC-B-like, 1 client" -c 1 -j 1
bench_case "TPC-B-like, 8 clients" -c 8 -j 2
export PGOPTIONS="-c synchronous_commit=off"
bench_case "TPC-B-like, sync commit off, 1 client" -c 1 -j 1
bench_case "TPC-B-like, sync commit off, 8 clients" -c 8 -j 2
unset PGOPTIONS

# Memory per idle connection: a fresh heliosdb-nano's RSS before and with 200 idle connections.
kill "$HPID"
wait "$HPID" 2>/dev/null || true
start_helios "$WORK/data2"
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$HPID/status"; }
before=$(rss)
"$PYTHON" - $H_PORT "$WORK/connected" <<'EOF' &
import sys, time, psycopg2
conns = [psycopg2.connect(host="127.0.0.1", port=int(sys.argv[1]), user="postgres", dbname="postgres") for _ in range(200)]
for c in conns:
    c.cursor().execute("SELECT 1")
open(sys.argv[2], "w").close()
time.sleep(5)
EOF
PYPID=$!
for _ in $(seq 100); do [ -f "$WORK/connected" ] && break; sleep 0.1; done
sleep 0.5
after=$(rss)
wait $PYPID
echo
echo "idle connection memory (heliosdb-nano RSS growth / 200): $(( (after - before) / 200 )) KiB per connection"
