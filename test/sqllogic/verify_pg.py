#!/usr/bin/env python3
"""Runs test/sql/*.test files against a real PostgreSQL 15 and reports every record whose
expectation differs from what PostgreSQL answers, so the expectations in our SQL tests are
PostgreSQL's own.

Usage: verify_pg.py --dsn "host=127.0.0.1 port=55433 user=postgres" FILE...
Each file runs in a freshly created database (dropped afterwards). `restart` (our runner
closes and reopens the database, ending the session) opens a new connection.
"""
import argparse
import sys

sys.path.append("/usr/lib/python3/dist-packages")
import psycopg  # noqa: E402


class RawText(psycopg.adapt.Loader):
    def load(self, data):
        return bytes(data).decode()


RAW_OIDS = [16, 17, 18, 19, 20, 21, 23, 24, 25, 26, 114, 700, 701, 705, 1042, 1043, 1082, 1083, 1114,
            1184, 1186, 1266, 1700, 2205, 2950, 3802, 1000, 1005, 1007, 1009, 1016, 1021, 1022, 1231,
            22, 28, 30, 194, 1033, 2202, 2206, 4089, 4096,  # catalog types
            1001, 1002, 1003, 1008, 1028, 199, 1014, 1015, 1182, 1183, 1115, 1185, 1187, 1270, 2210,
            2951, 3807, 1006, 1013, 1011, 1034, 2211, 4090, 4097, 2207,  # arrays
            2249, 2287]  # record, record[]


def parse(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    records, i = [], 0
    while i < len(lines):
        line = lines[i]
        if not line.strip() or line.startswith("#"):
            i += 1
            continue
        head, start = line.split(), i + 1
        i += 1
        body = []
        while i < len(lines) and lines[i].strip() != "" and lines[i] != "----":
            body.append(lines[i])
            i += 1
        expected = None
        if i < len(lines) and lines[i] == "----":
            i += 1
            expected = []
            while i < len(lines) and lines[i] != "":
                expected.append(lines[i])
                i += 1
        records.append((start, head, "\n".join(body), expected))
    return records


def fmt(v):
    if v is None:
        return "NULL"
    if v == "":
        return "(empty)"
    return v


def run(connect, path):
    failures = 0
    conn = connect()
    for line, head, sql, expected in parse(path):
        kind = head[0]
        if kind in ("halt",):
            break
        if kind == "restart":
            conn.close()
            conn = connect()
            continue
        if kind in ("load", "connection"):
            continue
        cur = conn.cursor()
        try:
            cur.execute(sql.encode(), prepare=False)
            err = None
        except psycopg.Error as e:
            err = e
        if kind == "statement":
            want = head[1]
            if want == "ok":
                if err:
                    print(f"{path}:{line}: expected ok, PostgreSQL: {err.sqlstate} {err}")
                    failures += 1
                elif expected is not None and cur.statusmessage != expected[0]:
                    print(f"{path}:{line}: expected tag {expected[0]!r}, PostgreSQL: {cur.statusmessage!r}")
                    failures += 1
            else:
                state = head[2] if len(head) > 2 else None
                msg = " ".join(head[3:]) if len(head) > 3 else None
                if not err:
                    print(f"{path}:{line}: expected error {state}, PostgreSQL succeeded")
                    failures += 1
                elif state and err.sqlstate != state:
                    print(f"{path}:{line}: expected {state}, PostgreSQL: {err.sqlstate} {err}")
                    failures += 1
                elif msg and msg not in str(err):
                    print(f"{path}:{line}: expected message containing {msg!r}, PostgreSQL: {err}")
                    failures += 1
        elif kind == "query":
            if err:
                print(f"{path}:{line}: query failed on PostgreSQL: {err.sqlstate} {err}")
                failures += 1
                continue
            rows = ["\t".join(fmt(v) for v in r) for r in cur.fetchall()]
            exp = list(expected or [])
            if len(head) > 2 and head[2] == "rowsort":
                rows.sort()
                exp.sort()
            if rows != exp:
                print(f"{path}:{line}: mismatch\n  SQL: {sql}\n  expected: {exp}\n  PostgreSQL: {rows}")
                failures += 1
    return failures, conn


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dsn", required=True)
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    total = 0
    for path in args.files:
        admin = psycopg.connect(args.dsn + " dbname=postgres", autocommit=True)
        admin.execute("DROP DATABASE IF EXISTS sqllogic_verify")
        admin.execute("CREATE DATABASE sqllogic_verify TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'")
        def connect():
            conn = psycopg.connect(args.dsn + " dbname=sqllogic_verify", autocommit=True)
            # Text results exactly as PostgreSQL prints them.
            for oid in RAW_OIDS:
                conn.adapters.register_loader(oid, RawText)
            conn.execute("SET TimeZone = 'UTC'")
            conn.execute("SET DateStyle = 'ISO, MDY'")
            return conn

        n, conn = run(connect, path)
        conn.close()
        admin.execute("DROP DATABASE IF EXISTS sqllogic_verify")
        admin.close()
        print(f"{path}: {'ok' if n == 0 else f'{n} mismatches'}")
        total += n
    sys.exit(1 if total else 0)


if __name__ == "__main__":
    main()
