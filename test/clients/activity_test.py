#!/usr/bin/env python3
"""pg_stat_activity shows every session of the server: what each runs, its state and its
transaction, as PostgreSQL 15 does; another role's sessions hide what they run; pg_blocking_pids
names the holders of the row and advisory locks a session waits for."""
import threading
import time

import psycopg

from client_common import expect, finish

alpha = psycopg.connect(connect_timeout=10, autocommit=True, application_name="alpha")
beta = psycopg.connect(connect_timeout=10, autocommit=True, application_name="beta")
alpha_pid = alpha.execute("SELECT pg_backend_pid()").fetchone()[0]
ACTIVITY = ("SELECT state, query, xact_start IS NOT NULL, backend_start IS NOT NULL, usename = current_user"
            " FROM pg_stat_activity WHERE pid = %s")

alpha.execute("BEGIN")
alpha.execute("SELECT 42")
expect("idle in a transaction", beta.execute(ACTIVITY, (alpha_pid,)).fetchone(),
       ("idle in transaction", "SELECT 42", True, True, True))
alpha.execute("COMMIT")
expect("idle", beta.execute(ACTIVITY, (alpha_pid,)).fetchone(), ("idle", "COMMIT", False, True, True))
alpha.execute("BEGIN")
try:
    alpha.execute("SELECT 1 / 0")
except psycopg.errors.DivisionByZero:
    pass
expect("aborted", beta.execute(ACTIVITY, (alpha_pid,)).fetchone()[0], "idle in transaction (aborted)")
alpha.execute("ROLLBACK")
me = beta.execute("SELECT state, application_name, pid = pg_backend_pid() FROM pg_stat_activity"
                  " WHERE application_name = 'beta'").fetchall()
expect("its own row, active", me, [("active", "beta", True)])
alpha.close()
for _ in range(50):  # the server notices the closed connection
    if not beta.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", (alpha_pid,)).fetchall():
        break
    time.sleep(0.1)
expect("gone after disconnect", beta.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", (alpha_pid,)).fetchone()[0], 0)

# pg_blocking_pids: who holds the row lock, or the advisory lock, a session waits for.
def blocked_in_thread(conn, sql):
    t = threading.Thread(target=lambda: conn.execute(sql))
    t.start()
    return t


def wait_for_blockers(pid):
    for _ in range(100):
        found = beta.execute("SELECT pg_blocking_pids(%s)", (pid,)).fetchone()[0]
        if found:
            return found
        time.sleep(0.05)
    return []


holder = psycopg.connect(connect_timeout=10, autocommit=True)
waiter = psycopg.connect(connect_timeout=10, autocommit=True)
holder_pid = holder.execute("SELECT pg_backend_pid()").fetchone()[0]
waiter_pid = waiter.execute("SELECT pg_backend_pid()").fetchone()[0]
beta.execute("DROP TABLE IF EXISTS blocking")
beta.execute("CREATE TABLE blocking (id int PRIMARY KEY, v int)")
beta.execute("INSERT INTO blocking VALUES (1, 0)")
expect("nobody blocks an idle session", beta.execute("SELECT pg_blocking_pids(%s)", (waiter_pid,)).fetchone()[0], [])
expect("nor a pid that does not exist", beta.execute("SELECT pg_blocking_pids(-5)").fetchone()[0], [])
holder.execute("BEGIN")
holder.execute("UPDATE blocking SET v = 1 WHERE id = 1")
t = blocked_in_thread(waiter, "UPDATE blocking SET v = 2 WHERE id = 1")
expect("a row lock's holder", wait_for_blockers(waiter_pid), [holder_pid])
expect("the holder waits for nobody", beta.execute("SELECT pg_blocking_pids(%s)", (holder_pid,)).fetchone()[0], [])
holder.execute("COMMIT")
t.join()
expect("after the holder committed", beta.execute("SELECT pg_blocking_pids(%s)", (waiter_pid,)).fetchone()[0], [])
holder.execute("SELECT pg_advisory_lock(4242)")
t = blocked_in_thread(waiter, "SELECT pg_advisory_lock(4242)")
expect("an advisory lock's holder", wait_for_blockers(waiter_pid), [holder_pid])
holder.execute("SELECT pg_advisory_unlock(4242)")
t.join()
waiter.execute("SELECT pg_advisory_unlock(4242)")
expect("rows after the waits", beta.execute("SELECT v FROM blocking").fetchall(), [(2,)])
holder.close()
waiter.close()
beta.execute("DROP TABLE blocking")

# Another role sees that the superuser's session exists, not what it runs.
beta.execute("DROP ROLE IF EXISTS watcher")
beta.execute("CREATE ROLE watcher LOGIN PASSWORD 'watcher-pw'")
watcher = psycopg.connect(connect_timeout=10, autocommit=True, user="watcher", password="watcher-pw", dbname="postgres")
beta_pid = beta.execute("SELECT pg_backend_pid()").fetchone()[0]
expect("hidden from another role", watcher.execute("SELECT query, state FROM pg_stat_activity WHERE pid = %s", (beta_pid,)).fetchone(),
       ("<insufficient privilege>", None))
watcher.close()
beta.execute("DROP ROLE watcher")
beta.close()
finish("pg_stat_activity")
