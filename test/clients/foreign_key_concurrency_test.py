#!/usr/bin/env python3
"""Foreign keys between concurrent transactions: a delete of a referenced row waits for a
transaction that is inserting a row referencing it, then fails (23503) once that one commits;
an insert referencing a row another transaction is deleting waits, then fails once the delete
commits, or succeeds once it rolls back. No orphan is ever left."""
import threading
import time

import psycopg

from client_common import expect, finish

setup = psycopg.connect(connect_timeout=10, autocommit=True)
setup.execute("DROP TABLE IF EXISTS fk_child")
setup.execute("DROP TABLE IF EXISTS fk_parent")
setup.execute("CREATE TABLE fk_parent (id int PRIMARY KEY)")
setup.execute("CREATE TABLE fk_child (id int PRIMARY KEY, parent int REFERENCES fk_parent)")
setup.execute("INSERT INTO fk_parent VALUES (1), (2), (3)")


def in_background(conn, sql):
    """Runs sql on conn in a thread; the result list gets 'ok' or the SQLSTATE."""
    result = []

    def run():
        try:
            conn.execute(sql)
            result.append("ok")
        except psycopg.Error as e:
            result.append(e.sqlstate)
    t = threading.Thread(target=run)
    t.start()
    return t, result


# 1. The inserter goes first: the deleter waits, then finds the new reference.
a = psycopg.connect(connect_timeout=10)
b = psycopg.connect(connect_timeout=10, autocommit=True)
a.execute("INSERT INTO fk_child VALUES (10, 1)")
t, result = in_background(b, "DELETE FROM fk_parent WHERE id = 1")
time.sleep(0.3)
expect("delete waits for the inserting transaction", result, [])
a.commit()
t.join(10)
expect("then fails: the row is referenced", result, ["23503"])

# 2. The deleter goes first: the inserter waits, then fails once the delete commits.
a.execute("DELETE FROM fk_parent WHERE id = 2")
t, result = in_background(b, "INSERT INTO fk_child VALUES (20, 2)")
time.sleep(0.3)
expect("insert waits for the deleting transaction", result, [])
a.commit()
t.join(10)
expect("then fails: the referenced row is gone", result, ["23503"])

# 3. ... or succeeds when the delete rolls back.
a.execute("DELETE FROM fk_parent WHERE id = 3")
t, result = in_background(b, "INSERT INTO fk_child VALUES (30, 3)")
time.sleep(0.3)
expect("insert waits again", result, [])
a.rollback()
t.join(10)
expect("then succeeds", result, ["ok"])

expect("no orphans", setup.execute(
    "SELECT c.id FROM fk_child c WHERE NOT EXISTS (SELECT 1 FROM fk_parent p WHERE p.id = c.parent) ORDER BY 1").fetchall(), [])
expect("the rows", setup.execute("SELECT id, parent FROM fk_child ORDER BY id").fetchall(), [(10, 1), (30, 3)])
for c in (a, b, setup):
    c.close()
finish("foreign key concurrency")
