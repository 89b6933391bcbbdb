#!/usr/bin/env python3
"""Runs a command against a fresh heliosdb-nano that requires SCRAM-SHA-256 passwords.

    with_server.py /path/to/heliosdb-nano [server options...] -- command [args...]

Starts the server on a free loopback port over a new data directory whose superuser is alice (as
PostgreSQL's initdb -U alice), with a users file holding alice's SCRAM verifier (password "alice-pw"), and runs the command with PGHOST, PGPORT, PGUSER,
PGPASSWORD and PGDATABASE set. The command's exit status is this script's. With
HELIOSDB_TEST_TARGET=pg the command runs against an already running PostgreSQL named by the PG*
variables instead (how the expectations are checked against PostgreSQL 15 itself).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

USER, PASSWORD = "alice", "alice-pw"


def main():
    argv = sys.argv[1:]
    if "--" not in argv:
        sys.exit(__doc__)
    split = argv.index("--")
    server_cmd, command = argv[:split], argv[split + 1:]
    if os.environ.get("HELIOSDB_TEST_TARGET") == "pg":
        sys.exit(subprocess.call(command))

    tmp = tempfile.mkdtemp(prefix="heliosdb-client-")
    try:
        verifier = subprocess.run([server_cmd[0], "--make-verifier", USER], input=PASSWORD + "\n",
                                  capture_output=True, text=True, check=True).stdout
        users = os.path.join(tmp, "users")
        with open(users, "w") as f:
            f.write(verifier)
        log = open(os.path.join(tmp, "server.log"), "w+")
        # Options given after the binary come last and win (e.g. --auth trust).
        server = subprocess.Popen([server_cmd[0], "--data-dir", os.path.join(tmp, "data"), "--port", "0",
                                   "--auth", "scram-sha-256", "--users", users, "--superuser", USER] + server_cmd[1:],
                                  stdout=subprocess.PIPE, stderr=log, text=True)
        line = server.stdout.readline()
        m = re.search(r"listening on [^:]+:(\d+)", line)
        if not m:
            log.seek(0)
            sys.exit(f"server did not start: {line!r} {log.read()}")
        env = dict(os.environ, PGHOST="127.0.0.1", PGPORT=m.group(1), PGUSER=USER, PGPASSWORD=PASSWORD,
                   PGDATABASE="postgres", PGSSLMODE="disable")
        try:
            rc = subprocess.call(command, env=env)
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                rc = 1
                print("server did not stop within 20 s", file=sys.stderr)
        if server.returncode not in (0, -15):
            log.seek(0)
            print(f"server exited with {server.returncode}:\n{log.read()}", file=sys.stderr)
            rc = rc or 1
        sys.exit(rc)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
