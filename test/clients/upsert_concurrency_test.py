#!/usr/bin/env python3
"""INSERT ... ON CONFLICT DO UPDATE from many connections at once (a hit counter, the way web
apps upsert): every increment counts, none fails with a unique violation; and a second inserter
of a key waits for the first transaction, then updates the row it committed."""
import threading
import time

import psycopg

from client_common import expect, finish

setup = psycopg.connect(connect_timeout=10, autocommit=True)
setup.execute("DROP TABLE IF EXISTS hits")
setup.execute("CREATE TABLE hits (page text PRIMARY KEY, n int NOT NULL)")

errors = []


def worker(count):
    try:
        with psycopg.connect(connect_timeout=10, autocommit=True) as c:
            for i in range(count):
                c.execute("INSERT INTO hits VALUES (%s, 1) ON CONFLICT (page) DO UPDATE SET n = hits.n + 1",
                          (f"p{i % 3}",))
    except psycopg.Error as e:
        errors.append(f"{e.sqlstate}: {e}")


threads = [threading.Thread(target=worker, args=(60,)) for _ in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join(120)
expect("no errors", errors, [])
expect("every increment counted", setup.execute("SELECT page, n FROM hits ORDER BY page").fetchall(),
       [("p0", 160), ("p1", 160), ("p2", 160)])

# The first inserter holds its new key until it commits; the second waits, then updates.
a = psycopg.connect(connect_timeout=10)
a.execute("INSERT INTO hits VALUES ('new', 1) ON CONFLICT (page) DO UPDATE SET n = hits.n + 1")
done = []
b = threading.Thread(target=lambda: done.append(setup.execute(
    "INSERT INTO hits VALUES ('new', 1) ON CONFLICT (page) DO UPDATE SET n = hits.n + 10 RETURNING n").fetchone()))
b.start()
time.sleep(0.3)
expect("second inserter waits", done, [])
a.commit()
b.join(10)
expect("then updates the committed row", done, [(11,)])
a.close()
setup.close()
finish("upsert concurrency")
