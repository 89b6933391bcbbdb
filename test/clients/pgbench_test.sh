#!/usr/bin/env bash
# pgbench unchanged against heliosdb-nano (PGHOST/PGPORT/PGUSER/PGPASSWORD from with_server.py):
# `pgbench -i -s 10`, then the default TPC-B-like script with 8 clients for DURATION seconds. No
# transaction may fail, and afterwards the branches', tellers' and accounts' balances must each
# equal the sum of the history's deltas.
set -euo pipefail
DURATION=${DURATION:-30}  # SCALE (10) and DURATION are smaller in the sanitizer build
pgbench -i -s "${SCALE:-10}" -q postgres
out=$(pgbench -c 8 -j 2 -T "$DURATION" postgres)
echo "$out" | grep -E "processed|failed|tps"
echo "$out" | grep -q "number of failed transactions: 0 (0.000%)"
check=$(psql -At -d postgres -c "SELECT (SELECT sum(abalance) FROM pgbench_accounts) = (SELECT sum(delta) FROM pgbench_history)
  AND (SELECT sum(bbalance) FROM pgbench_branches) = (SELECT sum(delta) FROM pgbench_history)
  AND (SELECT sum(tbalance) FROM pgbench_tellers) = (SELECT sum(delta) FROM pgbench_history)
  AND (SELECT count(*) FROM pgbench_history) > 0")
if [ "$check" != "t" ]; then
  echo "balances disagree with pgbench_history"
  exit 1
fi
echo "pgbench: balances agree with the history"
