#!/usr/bin/env python3
"""psycopg 3 (server-side binding, text and binary) against the server named by the PG* variables."""
import datetime as dt
import decimal
import os
import sys
import uuid

import psycopg
from psycopg.types.json import Json, Jsonb

from client_common import EVERY_TYPE_DDL, EVERY_TYPE_COLUMNS, every_type_row, expect, expect_sqlstate, finish

conn = psycopg.connect(connect_timeout=10, autocommit=True)
if os.environ.get("HELIOSDB_TEST_TARGET") != "pg":
    expect("authenticated with the password", conn.pgconn.used_password, True)
expect("server_version", conn.info.parameter_status("server_version").split(".")[0], "15")
with conn.cursor() as cur:
    cur.execute("SELECT version()")
    expect("version()", cur.fetchone()[0].startswith("PostgreSQL 15."), True)
conn.execute("DROP TABLE IF EXISTS every_type")
conn.execute(EVERY_TYPE_DDL)

row = every_type_row()
params = list(row)
params[18], params[19] = Json(row[18]), Jsonb(row[19])
placeholders = ", ".join(["%s"] * len(params))
conn.execute(f"INSERT INTO every_type ({', '.join(EVERY_TYPE_COLUMNS)}) VALUES ({placeholders})", params)
# The same row again with every value sent in binary.
params[0] = 2
conn.execute(f"INSERT INTO every_type ({', '.join(EVERY_TYPE_COLUMNS)}) VALUES ({', '.join(['%b'] * len(params))})", params)
conn.execute(f"INSERT INTO every_type (id) VALUES (3)")

for binary in (False, True):
    with conn.cursor(binary=binary) as cur:
        cur.execute(f"SELECT {', '.join(EVERY_TYPE_COLUMNS)} FROM every_type ORDER BY id")
        rows = cur.fetchall()
        label = "binary" if binary else "text"
        for got_row, want_id in zip(rows, (1, 2)):
            want = list(row)
            want[0] = want_id
            for name, got, exp in zip(EVERY_TYPE_COLUMNS, got_row, want):
                expect(f"{label} {name} (row {want_id})", got, exp)
        expect(f"{label} NULLs", rows[2][1:], (None,) * (len(EVERY_TYPE_COLUMNS) - 1))

# A transaction that rolls back leaves nothing behind.
conn.autocommit = False
with conn.cursor() as cur:
    cur.execute("INSERT INTO every_type (id, t) VALUES (%s, %s)", (10, "rolled back"))
    conn.rollback()
    cur.execute("SELECT count(*) FROM every_type WHERE id = 10")
    expect("rollback", cur.fetchone()[0], 0)
conn.rollback()

# Unique violation.
try:
    conn.execute("INSERT INTO every_type (id) VALUES (%s)", (1,))
    expect("unique violation raised", False, True)
except psycopg.errors.UniqueViolation as e:
    expect("unique violation sqlstate", e.sqlstate, "23505")
    expect("unique violation message", str(e).splitlines()[0],
           'duplicate key value violates unique constraint "every_type_pkey"')
    expect("unique violation diag",
           (e.diag.schema_name, e.diag.table_name, e.diag.column_name, e.diag.constraint_name),
           ("public", "every_type", None, "every_type_pkey"))
conn.rollback()
# The fields ORMs read the violated object from (SCHEMA/TABLE/COLUMN/DATATYPE/CONSTRAINT NAME).
conn.execute("DROP TABLE IF EXISTS diag_t")
conn.execute("DROP DOMAIN IF EXISTS positive")
conn.execute("CREATE DOMAIN positive AS int CONSTRAINT positive_check CHECK (VALUE > 0)")
conn.execute("CREATE TABLE diag_t (id int NOT NULL, p positive, CONSTRAINT diag_u UNIQUE NULLS NOT DISTINCT (p))")
conn.commit()
for sql, want in (("INSERT INTO diag_t VALUES (NULL, 1)", ("public", "diag_t", "id", None, None)),
                  ("INSERT INTO diag_t VALUES (1, -1)", ("public", None, None, "positive", "positive_check")),
                  ("INSERT INTO diag_t VALUES (1, NULL), (2, NULL)", ("public", "diag_t", None, None, "diag_u"))):
    try:
        conn.execute(sql)
        expect(f"{sql} raised", False, True)
    except psycopg.errors.IntegrityError as e:
        d = e.diag
        expect(f"{sql} diag", (d.schema_name, d.table_name, d.column_name, d.datatype_name, d.constraint_name), want)
    conn.rollback()

# 10,000 rows through a server-side cursor, 1,000 at a time.
conn.autocommit = True
conn.execute("DROP TABLE IF EXISTS many")
conn.execute("CREATE TABLE many (id int PRIMARY KEY, v text)")
with conn.cursor() as cur:
    cur.executemany("INSERT INTO many VALUES (%s, %s)", [(i, f"row {i}") for i in range(10000)])
conn.autocommit = False
with conn.cursor(name="big", binary=True) as cur:
    cur.itersize = 1000
    cur.execute("SELECT id, v FROM many WHERE id >= %s ORDER BY id", (0,))
    n, total = 0, 0
    for r in cur:
        expect_row = (n, f"row {n}")
        if r != expect_row:
            expect(f"cursor row {n}", r, expect_row)
            break
        n += 1
        total += r[0]
    expect("rows through the cursor", n, 10000)
    expect("sum through the cursor", total, sum(range(10000)))
conn.commit()

# Errors carry SQLSTATE through the extended protocol, and the session goes on.
with conn.cursor() as cur:
    expect_sqlstate("division by zero", lambda: cur.execute("SELECT 1 / %s", (0,)), "22012")
    conn.rollback()
    expect_sqlstate("undefined table", lambda: cur.execute("SELECT * FROM nope"), "42P01")
    conn.rollback()
    cur.execute("SELECT %s::int + 1", (41,))
    expect("after errors", cur.fetchone()[0], 42)
conn.close()

# RESET goes back to what the connection asked for at startup, not to the server's default.
conn = psycopg.connect(connect_timeout=10, autocommit=True, options="-c DateStyle=SQL,DMY -c TimeZone=Europe/Berlin")
conn.execute("SET DateStyle = ISO")
conn.execute("SET TimeZone = 'UTC'")
conn.execute("RESET DateStyle")
expect("RESET DateStyle", conn.execute("SHOW DateStyle").fetchone()[0], "SQL, DMY")
conn.execute("SET DateStyle = ISO")
conn.execute("RESET ALL")
expect("RESET ALL: DateStyle", conn.execute("SHOW DateStyle").fetchone()[0], "SQL, DMY")
expect("RESET ALL: TimeZone", conn.execute("SHOW TimeZone").fetchone()[0], "Europe/Berlin")
conn.execute("SET TimeZone = DEFAULT")
expect("SET TimeZone = DEFAULT", conn.execute("SHOW TimeZone").fetchone()[0], "Europe/Berlin")
conn.close()
finish("psycopg")
