#!/usr/bin/env bash
# Developer entry point. Every command first runs tools/setup-debian.sh.
#   tools/dev.sh quickstart   build, run the embedded example, then serve ./heliosdb-data on port 5432
#   tools/dev.sh test         build with -Werror and run every test (what CI runs)
#   tools/dev.sh build        build only (build/)
#   tools/dev.sh conformance  run the PostgreSQL regression corpus (test/conformance) through the server
#   tools/dev.sh bench        run the benchmarks (bench/README.md)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
JOBS=${JOBS:-2}
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$ROOT}  # cache hits across checkouts
# The sanitizer build's leak checks skip a leak inside libpg_query (see the file).
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/test/lsan.supp}

setup() {
  bash tools/setup-debian.sh
  # node-postgres for test/clients, at the versions package-lock.json pins (npm registry).
  if [ ! -d test/clients/node/node_modules ]; then
    npm ci --prefix test/clients/node --no-audit --no-fund --loglevel=error >/dev/null
  fi
  # The Node addon's headers (node-addon-api, node-api-headers), node-postgres and TypeScript for
  # its tests. Install scripts are skipped: the main build compiles the addon itself.
  if [ ! bindings/node/node_modules/.package-lock.json -nt bindings/node/package-lock.json ]; then
    npm ci --prefix bindings/node --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
  fi
}

configure_build() {  # dir, extra cmake args...
  local dir=$1
  shift
  cmake -S . -B "$dir" -G Ninja "$@" >/dev/null
  cmake --build "$dir" -j "$JOBS"
}

# The main job: the embedded example writes database "example" under the data directory, then
# the server serves every database there (Ctrl-C stops it): psql -h 127.0.0.1 -p 5432 -U postgres example
quickstart() {
  local data=${1:-heliosdb-data} port=${PORT:-5432}
  setup
  configure_build build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHELIOSDB_BUILD_TESTS=OFF -DHELIOSDB_BUILD_BENCHMARKS=OFF
  mkdir -p "$data"
  ./build/examples/quickstart "$data/example"
  echo "serving $data: psql -h 127.0.0.1 -p $port -U postgres example   (Ctrl-C stops the server)"
  exec ./build/tools/heliosdb-nano --data-dir "$data" --port "$port"
}

# Builds the examples as an outside project against an installed copy of the library.
consumer_check() {
  local prefix
  prefix=$(mktemp -d)
  cmake --install build --prefix "$prefix" >/dev/null
  cmake -S examples -B build-consumer -G Ninja -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
  cmake --build build-consumer -j "$JOBS" >/dev/null
  local data
  data=$(mktemp -d)
  # Each example runs once as a smoke test.
  ./build-consumer/quickstart "$data/db" >/dev/null
  ./build-consumer/prepared_loop "$data/prepared" 2000 >/dev/null
  ./build-consumer/tenants "$data/tenants" >/dev/null
  ./build-consumer/c_quickstart "$data/c" >/dev/null
  ./build-consumer/embedded_server "$data/embedded" 0 >/dev/null
  node --check examples/electron-main.js
  echo "consumer: examples built and ran against the installed package in $prefix"
  rm -rf "$prefix" "$data"
}

conformance() {
  # The regression corpus through the server against a reference PostgreSQL 15 (also a ctest
  # test, gating on test/conformance/floor).
  bash "$ROOT/test/conformance/run.sh" ./build/tools/heliosdb-nano
}

fuzz() {
  # Short libFuzzer runs (clang, AddressSanitizer) of the SQL front end and of the wire-protocol
  # decoder; a crash fails the run.
  local log
  log=$(mktemp)
  if ! CC=clang CXX=clang++ configure_build build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHELIOSDB_FUZZ=ON \
    -DHELIOSDB_BUILD_EXAMPLES=OFF -DHELIOSDB_BUILD_BENCHMARKS=OFF >"$log" 2>&1; then
    grep -B2 -A8 'error' "$log" | head -60  # clang rejects some things gcc accepts
    rm -f "$log"
    return 1
  fi
  rm -f "$log"
  local corpus
  corpus=$(mktemp -d)
  mkdir "$corpus/sql" "$corpus/wire"
  printf 'SELECT 1' >"$corpus/sql/a"
  printf "SELECT id, v FROM t WHERE id = 1 ORDER BY v" >"$corpus/sql/b"
  printf "INSERT INTO t VALUES (3, 'x', 2.5, 1e10) RETURNING *" >"$corpus/sql/c"
  # Wire seeds: a simple Query, and Parse/Bind/Describe/Execute/Sync (first byte 0: after startup).
  printf '\x00Q\x00\x00\x00\x0dSELECT 1\x00' >"$corpus/wire/q"
  printf '\x00P\x00\x00\x00\x1b\x00SELECT $1::int\x00\x00\x01\x00\x00\x00\x17B\x00\x00\x00\x13\x00\x00\x00\x00\x00\x01\x00\x00\x00\x012\x00\x00D\x00\x00\x00\x06P\x00E\x00\x00\x00\x09\x00\x00\x00\x00\x00S\x00\x00\x00\x04' >"$corpus/wire/e"
  local seconds=${FUZZ_SECONDS:-30}
  ./build-fuzz/test/heliosdb_sql_fuzz -max_total_time="$seconds" -max_len=512 -timeout=10 \
    -rss_limit_mb=4096 "$corpus/sql" 2>&1 | tail -2
  ./build-fuzz/test/heliosdb_pgwire_fuzz -max_total_time="$seconds" -max_len=1024 -timeout=10 \
    -rss_limit_mb=4096 "$corpus/wire" 2>&1 | tail -2
  rm -rf "$corpus"
}

test_all() {
  setup
  # Every part on, whatever an earlier quickstart left in build/'s cache (it turns tests off).
  configure_build build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHELIOSDB_WERROR=ON -DHELIOSDB_BUILD_TESTS=ON \
    -DHELIOSDB_BUILD_EXAMPLES=ON -DHELIOSDB_BUILD_BENCHMARKS=ON
  echo "== AddressSanitizer + UBSan build, unit and SQL tests"
  configure_build build-asan -DCMAKE_BUILD_TYPE=Debug -DHELIOSDB_SANITIZE=ON -DHELIOSDB_WERROR=ON \
    -DHELIOSDB_BUILD_EXAMPLES=OFF -DHELIOSDB_BUILD_BENCHMARKS=OFF
  (cd build-asan && ctest --output-on-failure --no-tests=error -j "$JOBS" | tail -3)
  echo "== install + outside consumer"
  consumer_check
  echo "== fuzz"
  fuzz
  echo "== tests"
  cd build && ctest --output-on-failure --no-tests=error -j "$JOBS"
}

case "${1:-}" in
  quickstart) shift; quickstart "$@" ;;
  test) test_all ;;
  build) setup; configure_build build -DCMAKE_BUILD_TYPE=RelWithDebInfo ;;
  conformance) setup; configure_build build -DCMAKE_BUILD_TYPE=RelWithDebInfo; conformance ;;
  fuzz) setup; fuzz ;;
  bench) setup; configure_build build-bench -DCMAKE_BUILD_TYPE=Release -DHELIOSDB_BUILD_TESTS=OFF -DHELIOSDB_BUILD_EXAMPLES=OFF
         taskset -c 1 ./build-bench/bench/heliosdb_bench && bash bench/pgwire_bench.sh build-bench
         (cd bindings/node && npm_config_nodedir=/usr npm rebuild better-sqlite3 --loglevel=error >/dev/null)
         HELIOSDB_NODE_ADDON=$ROOT/build-bench/bindings/node/heliosdb.node node bindings/node/bench/bench.js ;;
  *) echo "usage: tools/dev.sh quickstart|test|build|conformance|fuzz|bench" >&2; exit 2 ;;
esac
