#!/usr/bin/env bash
# COPY FROM STDIN of 1,000,000 rows (text format, psql \copy) into heliosdb-nano (a fresh data
# directory each time) and a local
# PostgreSQL 15, same machine, same run: a table with a primary key and without one; each case
# REPEAT times, the median in seconds and the ratio HeliosDB / PostgreSQL (lower is better).
#
#   bench/copy_bench.sh [build dir]        ROWS=1000000 REPEAT=3
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
ROWS=${ROWS:-1000000}
REPEAT=${REPEAT:-3}
PG_PORT=25472
H_PORT=25473
WORK=$(mktemp -d)
cleanup() {
  [ -n "${HPID:-}" ] && kill "$HPID" 2>/dev/null && wait "$HPID" 2>/dev/null
  "$ROOT/tools/pg15.sh" $PG_PORT stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
"$ROOT/tools/pg15.sh" $PG_PORT start >/dev/null
# Each HeliosDB load starts a server on a fresh data directory, so that LevelDB's compaction of
# the previous load's rows (and of their DROP) does not run during the next one.
fresh_heliosdb() {
  rm -rf "$WORK/data"
  "$BUILD/tools/heliosdb-nano" --data-dir "$WORK/data" --port $H_PORT >"$WORK/log" 2>&1 &
  HPID=$!
  for _ in $(seq 50); do psql -h 127.0.0.1 -p $H_PORT -U postgres -d postgres -Atc "SELECT 1" >/dev/null 2>&1 && break; sleep 0.1; done
}
/usr/bin/python3 - "$ROWS" >"$WORK/rows.txt" <<'PY'
import sys
for i in range(1, int(sys.argv[1]) + 1):
    print(f"{i}\tname {i}\t{i % 1000}.{i % 100:02d}\t2024-01-{i % 28 + 1:02d} 10:00:00+00")
PY
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
load() {  # port, table definition: seconds for one \copy into a fresh table
  local port=$1 def=$2
  if [ "$port" = "$H_PORT" ]; then fresh_heliosdb; fi
  psql -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "DROP TABLE IF EXISTS m" -c "CREATE TABLE m ($def)" 2>/dev/null
  local t0 t1
  t0=$(date +%s.%N)
  psql -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -c "\\copy m from '$WORK/rows.txt'"
  t1=$(date +%s.%N)
  if [ "$port" = "$H_PORT" ]; then kill "$HPID"; wait "$HPID" 2>/dev/null || true; fi
  echo "$t1 - $t0" | bc -l
}
printf '%-44s %14s %14s %8s\n' "case (s, median of $REPEAT, $ROWS rows)" "PostgreSQL 15" "HeliosDB" "ratio"
for c in "with primary key|id int PRIMARY KEY, name text, price numeric(10,2), at timestamptz" \
         "without primary key|id int, name text, price numeric(10,2), at timestamptz"; do
  name=${c%%|*} def=${c#*|}
  pg=$(for _ in $(seq "$REPEAT"); do load $PG_PORT "$def"; done | median)
  h=$(for _ in $(seq "$REPEAT"); do load $H_PORT "$def"; done | median)
  printf '%-44s %14.2f %14.2f %7.2fx\n' "COPY FROM STDIN, text, $name" "$pg" "$h" "$(echo "$h / $pg" | bc -l)"
done
