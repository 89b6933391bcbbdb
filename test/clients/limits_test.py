#!/usr/bin/env python3
"""Server limits, run against heliosdb-nano --max-connections 4 --idle-timeout 1500
--statement-timeout 3000: 53300 past max_connections, idle and statement timeouts, a long query
not stalling other connections, and a client vanishing mid-transaction leaving nothing behind."""
import socket
import threading
import time

import psycopg2
import psycopg2.errors

from client_common import expect, expect_sqlstate, finish

main = psycopg2.connect(connect_timeout=10)
main.autocommit = True
cur = main.cursor()
cur.execute("SHOW statement_timeout")
expect("statement_timeout from --statement-timeout", cur.fetchone()[0], "3s")
cur.execute("SHOW idle_session_timeout")
expect("idle_session_timeout from --idle-timeout", cur.fetchone()[0], "1500ms")
cur.execute("CREATE TABLE acct (id int PRIMARY KEY, balance int)")
cur.execute("INSERT INTO acct VALUES (1, 100)")

# max_connections: 4 in all, the fifth is refused with 53300.
others = [psycopg2.connect(connect_timeout=10) for _ in range(3)]
try:
    psycopg2.connect(connect_timeout=10)
    expect("fifth connection refused", False, True)
except psycopg2.OperationalError as e:
    expect("too many connections", "sorry, too many clients already" in str(e), True)
for o in others:
    o.close()
time.sleep(0.2)
extra = psycopg2.connect(connect_timeout=10)  # room again once they closed
extra.close()

# statement_timeout (the server's default) stops a long statement with 57014.
expect_sqlstate("statement timeout", lambda: cur.execute("SELECT pg_sleep(10)"), "57014")
cur.execute("SET statement_timeout = 0")

# A long statement on one connection does not stall the others.
done = threading.Event()


def sleeper():
    c = psycopg2.connect(connect_timeout=10)
    c.cursor().execute("SELECT pg_sleep(1.2)")
    c.close()
    done.set()


t = threading.Thread(target=sleeper)
t.start()
time.sleep(0.3)
cur.execute("SELECT 1")
expect("SELECT 1 answered while the other connection sleeps", (cur.fetchone()[0], done.is_set()), (1, False))
t.join()

# A client that vanishes mid-transaction: its write is rolled back, nothing stays locked.
gone = psycopg2.connect(connect_timeout=10)
gc = gone.cursor()
gc.execute("UPDATE acct SET balance = 0 WHERE id = 1")
socket.socket(fileno=gone.fileno()).shutdown(socket.SHUT_RDWR)  # the connection drops, no Terminate
time.sleep(0.3)
cur.execute("SELECT balance FROM acct WHERE id = 1")
expect("vanished client's write rolled back", cur.fetchone()[0], 100)
cur.execute("UPDATE acct SET balance = balance + 1 WHERE id = 1")
cur.execute("SELECT balance FROM acct WHERE id = 1")
expect("row writable after the client vanished", cur.fetchone()[0], 101)

# idle_session_timeout: an idle connection is closed with 57P05 (main, idle too, goes as well).
idle = psycopg2.connect(connect_timeout=10)
idle.autocommit = True
time.sleep(2.0)
try:
    idle.cursor().execute("SELECT 1")
    expect("idle connection closed", False, True)
except psycopg2.Error as e:
    # libpq reports the connection as closed, as it does with PostgreSQL (the FATAL 57P05 it was
    # sent is checked in test/protocol/cases/timeouts.proto).
    expect("idle connection closed", "server closed the connection" in str(e), True)

# A connection that stays busy is not idle: a fresh one works after the others timed out.
again = psycopg2.connect(connect_timeout=10)
ac = again.cursor()
ac.execute("SELECT balance FROM acct WHERE id = 1")
expect("new connection after timeouts", ac.fetchone()[0], 101)
again.close()
finish("limits")
