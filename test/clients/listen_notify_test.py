#!/usr/bin/env python3
"""LISTEN / NOTIFY against heliosdb-nano and a throwaway PostgreSQL 15 side by side (psycopg 3):
notifications reach the listening session when the notifying transaction commits (NOTIFY and
pg_notify; identical ones of a transaction once; none of a rolled-back one), with the sender's
backend pid (BackendKeyData's, pg_backend_pid()'s); an idle listener gets one pushed without
sending a query; UNLISTEN * stops them; a session hears its own; bad channels and payloads fail
with PostgreSQL's SQLSTATE and message.

Runs under with_server.py (PG* name heliosdb-nano); PostgreSQL 15 runs on port 25501.
"""
import os
import subprocess
import threading
import time

import psycopg

from client_common import expect, finish

HERE = os.path.dirname(os.path.abspath(__file__))
PG15 = os.path.join(HERE, "..", "..", "tools", "pg15.sh")
PORT = 25501


def connect(**kw):
    return psycopg.connect(autocommit=True, **kw)


def scenario(dsn):
    """What a listener observes; the same steps on either server."""
    seen = []
    a, b = connect(**dsn), connect(**dsn)
    a.add_notify_handler(lambda n: seen.append((n.channel, n.payload, n.pid == b.info.backend_pid)))
    out = {"pids agree": b.execute("SELECT pg_backend_pid()").fetchone()[0] == b.info.backend_pid}
    a.execute("LISTEN jobs")
    a.execute("LISTEN other")
    b.execute("NOTIFY jobs, 'one'")
    b.execute("SELECT pg_notify('jobs', 'two')")
    with b.transaction():
        b.execute("NOTIFY jobs, 'three'")
        b.execute("NOTIFY jobs, 'three'")
        b.execute("NOTIFY other")
    try:
        with b.transaction():
            b.execute("NOTIFY jobs, 'rolled back'")
            raise RuntimeError
    except RuntimeError:
        pass
    time.sleep(0.3)
    a.execute("SELECT 1")  # the notifications are read with the next answer at the latest
    out["after commit"] = list(seen)
    seen.clear()

    # An idle listener: the notification is pushed without a query.
    pushed = []

    def wait():
        for n in a.notifies():
            pushed.append((n.channel, n.payload))
            break

    t = threading.Thread(target=wait)
    t.start()
    time.sleep(0.3)
    b.execute("NOTIFY jobs, 'pushed'")
    t.join(5)
    out["pushed while idle"] = pushed

    a.execute("UNLISTEN *")
    b.execute("NOTIFY jobs, 'after unlisten'")
    time.sleep(0.2)
    a.execute("SELECT 1")
    out["after UNLISTEN *"] = list(seen)
    a.execute("LISTEN me")
    a.execute("NOTIFY me, 'self'")
    a.execute("SELECT 1")
    out["own notification"] = [(c, p) for c, p, _ in seen]
    errors = []
    for bad in ["NOTIFY \"\"", "SELECT pg_notify('', 'x')", "SELECT pg_notify(NULL, 'x')",
                "SELECT pg_notify('c', repeat('x', 8000))", "SELECT pg_notify(repeat('c', 64), 'x')"]:
        try:
            b.execute(bad)
            errors.append((bad, "ok"))
        except psycopg.Error as e:
            errors.append((bad, e.sqlstate, str(e).splitlines()[0]))
    out["errors"] = errors
    a.close()
    b.close()
    return out


subprocess.run([PG15, str(PORT), "stop"], check=True)
subprocess.run([PG15, str(PORT), "start"], check=True)
try:
    want = scenario(dict(host="127.0.0.1", port=PORT, user="postgres", dbname="postgres"))
    expect("PostgreSQL: notifications after commit", want["after commit"],
           [("jobs", "one", True), ("jobs", "two", True), ("jobs", "three", True), ("other", "", True)])
    expect("PostgreSQL: pushed while idle", want["pushed while idle"], [("jobs", "pushed")])
    got = scenario({})
    for key in want:
        expect(key, got[key], want[key])
finally:
    subprocess.run([PG15, str(PORT), "stop"])
finish("LISTEN / NOTIFY")
