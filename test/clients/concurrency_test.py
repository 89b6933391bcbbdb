#!/usr/bin/env python3
"""200 concurrent connections (psycopg2) running mixed reads and writes: nothing lost, nothing
doubled, every connection sees its own writes, and the totals add up."""
import threading

import psycopg2
import psycopg2.errors

from client_common import expect, finish

CLIENTS, ROUNDS = 200, 10

setup = psycopg2.connect(connect_timeout=30)
setup.autocommit = True
cur = setup.cursor()
cur.execute("DROP TABLE IF EXISTS ledger")
cur.execute("DROP TABLE IF EXISTS counters")
cur.execute("CREATE TABLE ledger (client int, round int, amount bigint, PRIMARY KEY (client, round))")
cur.execute("CREATE TABLE counters (client int PRIMARY KEY, n int NOT NULL)")

errors, lock = [], threading.Lock()
barrier = threading.Barrier(CLIENTS)


def client(k):
    try:
        conn = psycopg2.connect(connect_timeout=30)
        barrier.wait()  # all 200 connected at once
        c = conn.cursor()
        c.execute("INSERT INTO counters VALUES (%s, 0)", (k,))
        conn.commit()
        for r in range(ROUNDS):
            c.execute("INSERT INTO ledger VALUES (%s, %s, %s)", (k, r, k * 1000 + r))
            c.execute("UPDATE counters SET n = n + 1 WHERE client = %s", (k,))
            if r % 3 == 2:
                conn.rollback()  # this round is not kept
                c.execute("INSERT INTO ledger VALUES (%s, %s, %s)", (k, r, k * 1000 + r))
                c.execute("UPDATE counters SET n = n + 1 WHERE client = %s", (k,))
            conn.commit()
            c.execute("SELECT count(*), sum(amount) FROM ledger WHERE client = %s", (k,))
            n, total = c.fetchone()
            if n != r + 1 or total != sum(k * 1000 + i for i in range(r + 1)):
                raise AssertionError(f"client {k} round {r}: sees {n} rows, sum {total}")
            c.execute("SELECT count(*) FROM ledger")  # a read across everyone's rows
            c.fetchone()
        conn.close()
    except Exception as e:  # reported below
        with lock:
            errors.append(f"client {k}: {e!r}")


threads = [threading.Thread(target=client, args=(k,)) for k in range(CLIENTS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
for e in errors[:10]:
    print(e)
expect("client errors", len(errors), 0)
cur.execute("SELECT count(*), sum(amount) FROM ledger")
expect("ledger rows and sum", cur.fetchone(),
       (CLIENTS * ROUNDS, sum(k * 1000 + r for k in range(CLIENTS) for r in range(ROUNDS))))
cur.execute("SELECT count(*), sum(n), min(n), max(n) FROM counters")
expect("counters", cur.fetchone(), (CLIENTS, CLIENTS * ROUNDS, ROUNDS, ROUNDS))
setup.close()
finish("200 connections")
