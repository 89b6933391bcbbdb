#!/usr/bin/env python3
"""Advisory locks across two sessions (what Prisma Migrate and other migration tools take):
re-entrant session locks, the separate two-key space, waiting until the holder unlocks,
transaction-level locks released at commit, lock_timeout, release when a session ends."""
import threading
import time

import psycopg

from client_common import expect, finish

a = psycopg.connect(connect_timeout=10, autocommit=True)
b = psycopg.connect(connect_timeout=10, autocommit=True)
expect("re-entrant", a.execute("SELECT pg_try_advisory_lock(42), pg_try_advisory_lock(42)").fetchone(), (True, True))
expect("held by the other", b.execute("SELECT pg_try_advisory_lock(42), pg_try_advisory_lock(1, 42)").fetchone(),
       (False, True))
started, waited = time.time(), []
waiter = threading.Thread(target=lambda: (b.execute("SELECT pg_advisory_lock(42)"), waited.append(time.time() - started)))
waiter.start()
time.sleep(0.3)
expect("still waiting", waited, [])
expect("unlock twice, then not held", a.execute("SELECT pg_advisory_unlock(42), pg_advisory_unlock(42), pg_advisory_unlock(42)").fetchone(),
       (True, True, False))
waiter.join(10)
expect("granted after the unlock", bool(waited) and waited[0] > 0.25, True)
b.execute("SELECT pg_advisory_unlock_all()")
with a.transaction():
    a.execute("SELECT pg_advisory_xact_lock(7)")
    expect("xact lock held", b.execute("SELECT pg_try_advisory_lock(7)").fetchone(), (False,))
expect("xact lock gone at commit", b.execute("SELECT pg_try_advisory_lock(7)").fetchone(), (True,))
b.execute("SET lock_timeout = '100ms'")
a.execute("SELECT pg_advisory_lock(9)")
try:
    b.execute("SELECT pg_advisory_lock(9)")
    expect("lock_timeout", "no error", "55P03")
except psycopg.Error as e:
    expect("lock_timeout", e.sqlstate, "55P03")
a.close()
time.sleep(0.2)
expect("released with its session", b.execute("SELECT pg_try_advisory_lock(9)").fetchone(), (True,))
finish("advisory locks")
