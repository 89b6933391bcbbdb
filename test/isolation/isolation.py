#!/usr/bin/env python3
"""Concurrent sessions, step by step, compared with PostgreSQL 15 (in the manner of
PostgreSQL's isolation tester and the Hermitage suite).

A spec (test/isolation/specs/*.spec) is a list of steps:

    # comment
    setup: SQL                 run before the sessions start, on its own connection
    s1: SQL                    run SQL on session s1 (sessions are made on first use)
    wait                       give blocked steps time to finish (deadlock_timeout is 1 s)

Each session is a connection in autocommit mode, so BEGIN/COMMIT are explicit. After each step
the runner waits until the step has finished, or until nothing has finished for 0.3 s, in which
case the step is reported as waiting; steps that finish later are reported then. The transcript
(rows, command tags, SQLSTATEs of errors, waits) must equal the spec's .out file, which was
generated against PostgreSQL 15 (--generate).

    isolation.py [--dsn DSN] [--generate] SPEC...
"""
import argparse
import os
import queue
import sys
import threading
import time

import psycopg

QUIET = 0.3  # seconds without progress after which a step counts as waiting


class Session:
    def __init__(self, name, dsn):
        self.name = name
        self.conn = psycopg.connect(dsn, autocommit=True)
        # What is checked is visibility, locking and ordering, not durability: without the fsync
        # a COMMIT cannot take longer than QUIET on a busy disk and read as a wait.
        self.conn.execute("SET synchronous_commit = off")
        self.inbox = queue.Queue()
        self.done = queue.Queue()
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def loop(self):
        while True:
            sql = self.inbox.get()
            if sql is None:
                return
            self.done.put(run(self.conn, sql))

    def close(self):
        self.inbox.put(None)
        try:
            self.conn.close()
        except Exception:
            pass


def run(conn, sql):
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
            lines = [cur.statusmessage or ""]
            if cur.description is not None:
                lines += [" | ".join("NULL" if v is None else str(v) for v in row) for row in cur.fetchall()]
            return lines
    except psycopg.Error as e:
        return ["ERROR: " + (e.sqlstate or "?")]


def run_spec(path, dsn):
    out = []
    sessions = {}
    pending = []  # [session, sql] of steps not finished yet, in the order they were issued

    def collect(current, quiet):
        """Waits until no step has finished for `quiet` seconds (or none is left), then reports:
        the current step's outcome (or that it waits), then the earlier steps that finished."""
        finished = {}
        last = time.monotonic()
        while len(finished) < len(pending) and time.monotonic() - last < quiet:
            progressed = False
            for i, item in enumerate(pending):
                if i in finished:
                    continue
                try:
                    finished[i] = item[0].done.get_nowait()
                    progressed = True
                except queue.Empty:
                    pass
            if progressed:
                last = time.monotonic()
            else:
                time.sleep(0.01)
        if current is not None:
            i = next(i for i, item in enumerate(pending) if item is current)
            out.extend("  " + l for l in finished[i]) if i in finished else out.append("  <waiting>")
        for i in sorted((i for i in finished if pending[i] is not current), key=lambda i: pending[i][0].name):
            out.append(f"{pending[i][0].name}: <finished>")
            out.extend("  " + l for l in finished[i])
        pending[:] = [item for i, item in enumerate(pending) if i not in finished]

    for raw in open(path, encoding="utf-8"):
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.strip() == "wait":
            out.append("wait")
            collect(None, 2.5)
            continue
        name, _, sql = line.partition(":")
        name, sql = name.strip(), sql.strip()
        if name == "setup":
            with psycopg.connect(dsn, autocommit=True) as c:
                lines = run(c, sql)
            out.append(f"setup: {sql}")
            out.extend("  " + l for l in lines)
            continue
        if name not in sessions:
            sessions[name] = Session(name, dsn)
        s = sessions[name]
        out.append(f"{name}: {sql}")
        item = [s, sql]
        pending.append(item)
        s.inbox.put(sql)
        collect(item, QUIET)
    collect(None, 2.5)
    for item in pending:
        out.append(f"{item[0].name}: <still waiting at the end>")
    for s in sessions.values():
        s.close()
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dsn", default="dbname=postgres", help="libpq DSN; PGHOST, PGPORT, PGUSER... fill the rest")
    ap.add_argument("--generate", action="store_true", help="write the .out files")
    ap.add_argument("specs", nargs="+")
    args = ap.parse_args()
    failed = 0
    for spec in args.specs:
        got = run_spec(spec, args.dsn)
        expected_path = os.path.splitext(spec)[0] + ".out"
        if args.generate:
            with open(expected_path, "w", encoding="utf-8") as f:
                f.write(got)
            print(f"wrote {expected_path}")
            continue
        expected = open(expected_path, encoding="utf-8").read()
        if got == expected:
            print(f"ok   {os.path.basename(spec)}")
        else:
            failed += 1
            print(f"FAIL {os.path.basename(spec)}")
            import difflib
            sys.stdout.writelines(difflib.unified_diff(expected.splitlines(True), got.splitlines(True),
                                                       "expected (PostgreSQL 15)", "got"))
    total = len(args.specs)
    print(f"{total - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
