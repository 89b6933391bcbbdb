#!/usr/bin/env bash
# Runs the protocol cases against a throwaway PostgreSQL 15: the expectations must be its answers.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PORT=${PG15_PORT:-25490}  # below the ephemeral range, where port-0 servers land
trap '"$HERE/../../tools/pg15.sh" "$PORT" stop' EXIT
"$HERE/../../tools/pg15.sh" "$PORT" start
PGHOST=127.0.0.1 PGPORT=$PORT /usr/bin/python3 "$HERE/pgproto.py" "$HERE"/cases/*.proto
