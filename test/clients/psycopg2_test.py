#!/usr/bin/env python3
"""psycopg2 (libpq, text format, client-side parameter interpolation) against the server named by
the PG* variables."""
import os

import psycopg2
import psycopg2.errors
import psycopg2.extras

from client_common import EVERY_TYPE_DDL, EVERY_TYPE_COLUMNS, every_type_row, expect, expect_sqlstate, finish

psycopg2.extras.register_uuid()
conn = psycopg2.connect(connect_timeout=10)
conn.autocommit = True
cur = conn.cursor()
cur.execute("SELECT version()")
expect("version()", cur.fetchone()[0].startswith("PostgreSQL 15."), True)
expect("server_version", conn.server_version // 10000, 15)
cur.execute("DROP TABLE IF EXISTS every_type")
cur.execute(EVERY_TYPE_DDL)

row = list(every_type_row())
params = list(row)
params[11] = psycopg2.Binary(row[11])
params[18], params[19] = psycopg2.extras.Json(row[18]), psycopg2.extras.Json(row[19])
cur.execute(f"INSERT INTO every_type ({', '.join(EVERY_TYPE_COLUMNS)}) VALUES ({', '.join(['%s'] * len(params))})", params)
cur.execute("INSERT INTO every_type (id) VALUES (%s)", (2,))
cur.execute(f"SELECT {', '.join(EVERY_TYPE_COLUMNS)} FROM every_type ORDER BY id")
got_rows = cur.fetchall()
for name, got, want in zip(EVERY_TYPE_COLUMNS, got_rows[0], row):
    if isinstance(got, memoryview):
        got = bytes(got)
    expect(name, got, want)
expect("NULLs", got_rows[1][1:], (None,) * (len(EVERY_TYPE_COLUMNS) - 1))
# The text each type prints as (psycopg2 reads text; these are PostgreSQL's output forms).
cur.execute(f"SELECT {', '.join(c + '::text' for c in EVERY_TYPE_COLUMNS[1:])} FROM every_type WHERE id = 1")
expect("text forms", cur.fetchone(), (
    "true", "-32768", "2147483647", "-9223372036854775808", "1.5", "0.1", "12345.678",
    "h\u00e9llo \u2603 'quoted' \\ back", "var", "ab", "\\x0001feff", "2024-02-29", "23:59:59.123456",
    "2000-01-01 00:00:00.000001", "2024-06-01 12:00:00+00", "3 days 04:05:06",
    "12345678-1234-5678-1234-567812345678", '{"a": [1, 2, {"b": null}]}', '{"k": "v", "n": 1.25}'))

# A transaction that rolls back leaves nothing behind.
conn.autocommit = False
cur.execute("INSERT INTO every_type (id, t) VALUES (%s, %s)", (10, "rolled back"))
conn.rollback()
cur.execute("SELECT count(*) FROM every_type WHERE id = 10")
expect("rollback", cur.fetchone()[0], 0)
conn.rollback()

try:
    cur.execute("INSERT INTO every_type (id) VALUES (%s)", (1,))
    expect("unique violation raised", False, True)
except psycopg2.errors.UniqueViolation as e:
    expect("unique violation pgcode", e.pgcode, "23505")
    expect("unique violation detail", e.diag.message_detail, "Key (id)=(1) already exists.")
    expect("unique violation diag", (e.diag.schema_name, e.diag.table_name, e.diag.constraint_name),
           ("public", "every_type", "every_type_pkey"))
conn.rollback()
cur.execute("SELECT 1")
expect("after the error", cur.fetchone()[0], 1)
conn.commit()

# 10,000 rows through a named (server-side) cursor, 1,000 per FETCH.
conn.autocommit = True
cur.execute("DROP TABLE IF EXISTS many")
cur.execute("CREATE TABLE many (id int PRIMARY KEY, v text)")
psycopg2.extras.execute_values(cur, "INSERT INTO many VALUES %s", [(i, f"row {i}") for i in range(10000)], page_size=2000)
conn.autocommit = False
named = conn.cursor(name="big")
named.itersize = 1000
named.execute("SELECT id, v FROM many ORDER BY id")
n = 0
for r in named:
    if r != (n, f"row {n}"):
        expect(f"cursor row {n}", r, (n, f"row {n}"))
        break
    n += 1
expect("rows through the cursor", n, 10000)
named.close()
conn.commit()

expect_sqlstate("syntax error", lambda: cur.execute("SELEC 1"), "42601")
conn.rollback()
expect_sqlstate("numeric out of range", lambda: cur.execute("SELECT 32767::smallint + 1::smallint"), "22003")
conn.rollback()
conn.close()
finish("psycopg2")
