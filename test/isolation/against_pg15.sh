#!/usr/bin/env bash
# Runs the isolation specs against a throwaway PostgreSQL 15: the expectations must be its answers.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PORT=${PG15_PORT:-25491}  # below the ephemeral range, where port-0 servers land
trap '"$HERE/../../tools/pg15.sh" "$PORT" stop' EXIT
"$HERE/../../tools/pg15.sh" "$PORT" start
/usr/bin/python3 "$HERE/isolation.py" --dsn "host=127.0.0.1 port=$PORT user=postgres dbname=postgres" "$HERE"/specs/*.spec
