#!/usr/bin/env bash
# run.sh SERVER_BINARY: the PostgreSQL regression corpus of this folder through heliosdb-nano and
# a throwaway PostgreSQL 15, statement by statement (difftest.py); prints the match rate per file
# and overall, and fails when fewer statements match than `floor` says (raise it as you go).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BIN=${1:?usage: run.sh path/to/heliosdb-nano}
REF_PORT=${REF_PORT:-25439}
PORT=${PORT:-25440}
data=$(mktemp -d)
out=$(mktemp)
cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  "$HERE/start_reference_pg.sh" "$REF_PORT" stop >/dev/null 2>&1 || true
  rm -rf "$data" "$out"
}
trap cleanup EXIT
"$HERE/start_reference_pg.sh" "$REF_PORT" >/dev/null || { echo "conformance: no reference PostgreSQL 15"; exit 1; }
"$BIN" --data-dir "$data" --port "$PORT" >"$data.log" 2>&1 &
pid=$!
for _ in $(seq 50); do pg_isready -q -h 127.0.0.1 -p "$PORT" && break; sleep 0.1; done
REF_DSN="host=127.0.0.1 port=$REF_PORT user=postgres dbname=difftest_ref" \
  TARGET_DSN="host=127.0.0.1 port=$PORT user=postgres dbname=postgres" \
  timeout 1200 /usr/bin/python3 "$HERE/difftest.py" --reset-ref "$HERE" >"$out" 2>&1
grep -E '^[0-9]+_.*sql:|^TOTAL' "$out" || tail -20 "$out"
rm -f "$data.log"
matched=$(sed -nE 's/^TOTAL ([0-9]+)\/.*/\1/p' "$out")
floor=$(cat "$HERE/floor")
if [ -z "$matched" ] || [ "$matched" -lt "$floor" ]; then
  echo "conformance: ${matched:-no} statements match, below the floor of $floor (test/conformance/floor)"
  exit 1
fi
echo "conformance: $matched statements match (floor $floor)"
