#!/usr/bin/env bash
# Installs everything HeliosDB Nano needs on Debian 12 (as root), idempotently: it runs
# `apt-get update` once and only when a package is missing, and installs only what is missing.
set -euo pipefail

PACKAGES=(
  # build
  build-essential cmake ninja-build ccache pkg-config clang libclang-rt-14-dev
  # libraries (ARCHITECTURE.md)
  libpg-query-dev libleveldb-dev libboost-json1.81-dev libboost1.81-dev libssl-dev libfmt-dev
  libtomlplusplus-dev catch2 libbenchmark-dev libsqlite3-dev libsnappy-dev
  # reference server, real clients and the conformance runner
  postgresql-15 postgresql-client-15 libpq-dev python3 python3-psycopg python3-psycopg2 libpostgresql-jdbc-java bc
  python3-asyncpg python3-sqlalchemy python3-django pgcli
)
# A JDK (pgjdbc's test runs as a single-file Java program) and Node.js, unless the machine has them.
command -v javac >/dev/null || PACKAGES+=(openjdk-17-jdk-headless)
command -v npm >/dev/null || PACKAGES+=(nodejs npm)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
