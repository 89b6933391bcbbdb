#!/usr/bin/env python3
"""COPY against heliosdb-nano and a throwaway PostgreSQL 15 side by side (psycopg 3): text, CSV
(HEADER, DELIMITER, NULL, QUOTE, ESCAPE, FORCE_QUOTE, FORCE_NOT_NULL, FORCE_NULL) and binary, in
both directions, COPY (query) TO STDOUT; every output byte for byte, the rows loaded, and the
errors (SQLSTATE, message and the CONTEXT naming line and column), after which the table is
unchanged.

Runs under with_server.py (PG* name heliosdb-nano); PostgreSQL 15 runs on port 25497.
"""
import os
import subprocess

import psycopg

from client_common import expect, finish

HERE = os.path.dirname(os.path.abspath(__file__))
PG15 = os.path.join(HERE, "..", "..", "tools", "pg15.sh")
PORT = 25497

SETUP = [
    "DROP TABLE IF EXISTS items",
    """CREATE TABLE items (id int PRIMARY KEY, name text, price numeric(8,2), tags text[], seen timestamptz,
       data bytea, ok boolean, doc jsonb, day date, n bigint NOT NULL DEFAULT 0)""",
    """INSERT INTO items VALUES
       (1, 'plain', 1.50, '{a,b}', '2024-01-02 03:04:05+00', '\\x00ff', true, '{"k": [1, 2]}', '2024-02-29', 10),
       (2, E'tab\\there "q" , comma\\nnewline \\\\ back', NULL, '{}', NULL, '\\x', false, 'null', NULL, -1),
       (3, '', 0, NULL, '1999-12-31 23:59:59.5+00', NULL, NULL, NULL, '0001-01-01', 9223372036854775807),
       (4, NULL, -999999.99, '{"x y",NULL}', '2100-06-01 00:00:00+00', '\\xdeadbeef', true, '[]', '9999-12-31', 0)""",
]

COPY_OUT = [
    "COPY items TO STDOUT",
    "COPY items TO STDOUT (FORMAT csv)",
    "COPY items TO STDOUT (FORMAT csv, HEADER, DELIMITER ';', NULL 'NIL', QUOTE '''', ESCAPE '\\')",
    "COPY items (id, name) TO STDOUT (FORMAT csv, FORCE_QUOTE (name))",
    "COPY items TO STDOUT (FORMAT csv, FORCE_QUOTE *)",
    "COPY items TO STDOUT (DELIMITER '|', NULL '')",
    "COPY items TO STDOUT (FORMAT binary)",
    "COPY (SELECT id, name, price * 2 AS double FROM items WHERE id > 1 ORDER BY id DESC) TO STDOUT (FORMAT csv, HEADER)",
    "COPY (SELECT id, tags, doc FROM items ORDER BY id) TO STDOUT (FORMAT binary)",
]

# COPY FROM: (statement, data); the rows loaded are compared with SELECT afterwards.
COPY_IN = [
    ("COPY items FROM STDIN", b"10\tten\t1.25\t{x}\t2020-01-01 00:00:00+00\t\\\\x01\tt\t{}\t2020-01-01\t5\n"
                             b"11\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t6\n"),
    ("COPY items (id, name, n) FROM STDIN (FORMAT csv, HEADER)", b"id,name,n\n20,\"quoted, \"\"name\"\"\",1\n21,,2\n22,\"\",3\n"),
    ("COPY items (id, name, n) FROM STDIN (FORMAT csv, DELIMITER ';', NULL 'NIL', QUOTE '''', ESCAPE '\\')",
     b"30;'it\\'s';1\n31;NIL;2\n"),
    ("COPY items (id, name, n) FROM STDIN (FORMAT csv, FORCE_NOT_NULL (name))", b"40,,1\n"),
    ("COPY items (id, name, n) FROM STDIN (FORMAT csv, FORCE_NULL (name))", b"41,\"\",1\n42,x,2\n"),
    ("COPY items (id, name, n) FROM STDIN (FORMAT csv)", b"50,\"multi\nline\",1\n51,last,2"),
    ("COPY items (id, name, n) FROM STDIN (FORMAT csv)", b"52,\"a\nb\nc\",1\n53,\"d\ne\",2\n"),
]

# COPY FROM that fails: the error is compared, and the table must be unchanged.
COPY_BAD = [
    ("COPY items (id, name, day, n) FROM STDIN", b"60\tok\t2020-01-01\t1\n61\tbad\tnotadate\t1\n"),
    ("COPY items (id, name, n) FROM STDIN", b"62\tx\t1\n63\tmissing\n"),
    ("COPY items (id, name, n) FROM STDIN", b"64\tx\t1\t2\n"),
    ("COPY items (id, name, n) FROM STDIN (FORMAT csv)", b"65,x,1\n1,duplicate,2\n"),
    ("COPY items (id, name, n) FROM STDIN (FORMAT csv)", b"66,x,\n"),
    ("COPY items (id, n) FROM STDIN (FORMAT csv)", b"abc,1\n"),
    ("COPY items (id, name) FROM STDIN (FORMAT csv)", b"67,\"unterminated\n"),
    ("COPY items (id, name, n) FROM STDIN (FORMAT csv)", b"68,x,1\n69,\"two\nlines\",1\n70,x,bad\n"),
    ("COPY items (id, name, n) FROM STDIN (FORMAT csv)", b"71,\"two\nlines\",1\n72,x,bad\n"),
    ("COPY items (id, name) FROM STDIN (FORMAT csv)", b"73,x\n74,\"unterminated\nfield\n"),
    ("COPY items (id, n) FROM STDIN (FORMAT binary)", b"NOTPGCOPY\n\xff\r\n\x00"),
    ("COPY items (id, n) FROM STDIN (FORMAT binary)",
     b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00" + b"\x00\x01\x00\x00\x00\x04\x00\x00\x00\x45"),
]

BAD_OPTIONS = [
    "COPY items TO STDOUT (FORMAT binary, DELIMITER ',')",
    "COPY items TO STDOUT (FORMAT binary, NULL 'x')",
    "COPY items TO STDOUT (FORMAT binary, HEADER)",
    "COPY items TO STDOUT (FORCE_QUOTE (name))",
    "COPY items TO STDOUT (FORMAT csv, FORCE_QUOTE (nope))",
    "COPY items TO STDOUT (FORMAT csv, FORCE_NOT_NULL (name))",
    "COPY items TO STDOUT (FORMAT csv, HEADER, DELIMITER ',', QUOTE ',')",
]


def copy_out(conn, sql):
    with conn.cursor() as cur, cur.copy(sql) as copy:
        return b"".join(bytes(chunk) for chunk in copy)


def copy_in(conn, sql, data):
    try:
        with conn.cursor() as cur:
            with cur.copy(sql) as copy:
                copy.write(data)
            return ("ok", cur.statusmessage)
    except psycopg.Error as e:
        return (e.sqlstate, e.diag.message_primary, e.diag.context)


def copy_in_chunks(conn, sql, data, chunk=65536):
    """COPY FROM with the data in many CopyData messages, as psql sends a file."""
    try:
        with conn.cursor() as cur:
            with cur.copy(sql) as copy:
                for i in range(0, len(data), chunk):
                    copy.write(data[i:i + chunk])
            return ("ok", cur.statusmessage)
    except psycopg.Error as e:
        return (e.sqlstate, e.diag.message_primary, e.diag.message_detail, e.diag.context)


def attempt(conn, sql):
    try:
        copy_out(conn, sql)
        return "ok"
    except psycopg.Error as e:
        return (e.sqlstate, e.diag.message_primary)


def rows(conn):
    return conn.execute("SELECT * FROM items ORDER BY id").fetchall()


subprocess.run([PG15, str(PORT), "stop"], check=True)
subprocess.run([PG15, str(PORT), "start"], check=True)
try:
    helios = psycopg.connect(autocommit=True)
    pg = psycopg.connect(host="127.0.0.1", port=PORT, user="postgres", dbname="postgres", autocommit=True)
    for conn in (helios, pg):
        conn.execute("SET TimeZone = 'UTC'")
        for sql in SETUP:
            conn.execute(sql)
    for sql in COPY_OUT:
        expect(sql, copy_out(helios, sql), copy_out(pg, sql))
    # Binary COPY out of one side loads into the other, and back.
    data = copy_out(pg, "COPY items TO STDOUT (FORMAT binary)")
    for conn in (helios, pg):
        conn.execute("CREATE TEMP TABLE items_copy (LIKE items)")
    expect("binary from PostgreSQL into heliosdb-nano", copy_in(helios, "COPY items_copy FROM STDIN (FORMAT binary)", data),
           ("ok", "COPY 4"))
    expect("binary round trip: rows", helios.execute("SELECT * FROM items_copy ORDER BY id").fetchall(), rows(pg))
    for sql, data in COPY_IN:
        expect(f"{sql}: result", copy_in(helios, sql, data), copy_in(pg, sql, data))
    expect("rows after COPY FROM", rows(helios), rows(pg))
    before = rows(helios)
    for sql, data in COPY_BAD:
        expect(f"{sql} {data[:40]!r}: error", copy_in(helios, sql, data), copy_in(pg, sql, data))
    expect("a failed COPY leaves the table unchanged", rows(helios), before)
    # Inside a transaction block: the block fails, and nothing of the COPY stays.
    for conn in (helios, pg):
        conn.execute("BEGIN")
    expect("failed COPY in a block", copy_in(helios, *COPY_BAD[0]), copy_in(pg, *COPY_BAD[0]))
    for conn in (helios, pg):
        conn.execute("ROLLBACK")
    expect("rows after the rolled-back block", rows(helios), before)
    # A load in a transaction block (rows appended in key order, COPY FROM's fast path) reads,
    # changes and rolls back (to a savepoint) like any other write; loads out of key order and
    # duplicates within one load; the columns' type modifiers as PostgreSQL's COPY applies them.
    for conn in (helios, pg):
        conn.execute("CREATE TABLE loaded (id int PRIMARY KEY, v text, amount numeric(6,2), c varchar(3), p char(3))")
        conn.execute("CREATE TABLE plain (a int, b text)")
        conn.execute("INSERT INTO loaded VALUES (5, 'pre', 1, 'x', 'y')")

    def both(name, step):
        expect(name, step(helios), step(pg))

    def in_block(conn):
        out = []
        conn.execute("BEGIN")
        out.append(copy_in(conn, "COPY loaded FROM STDIN", b"1\tone\t1.005\tabc\ta\n2\ttwo\t-0.5\t\\N\tbb\n3\tthree\t1234.5\tz\t\\N\n7\tseven\t0\tq\tq\n"))
        out.append(conn.execute("SELECT * FROM loaded ORDER BY id").fetchall())
        out.append(sorted(conn.execute("UPDATE loaded SET v = 'changed' WHERE id IN (2, 5) RETURNING id").fetchall()))
        conn.execute("SAVEPOINT s")
        out.append(copy_in(conn, "COPY loaded (id, v) FROM STDIN", b"10\tten\n11\televen\n"))
        out.append(conn.execute("SELECT count(*) FROM loaded").fetchall())
        conn.execute("ROLLBACK TO SAVEPOINT s")
        out.append(copy_in(conn, "COPY loaded (id, v) FROM STDIN", b"20\ttwenty\n15\tfifteen\n18\teighteen\n30\tthirty\n"))
        out.append(copy_in(conn, "COPY plain FROM STDIN", b"1\ta\n1\ta\n\\N\t\\N\n"))
        out.append(conn.execute("DELETE FROM loaded WHERE id = 7 RETURNING v").fetchall())
        conn.execute("COMMIT")
        out.append(conn.execute("SELECT * FROM loaded ORDER BY id").fetchall())
        out.append(conn.execute("SELECT * FROM plain ORDER BY a").fetchall())
        return out

    both("COPY in a block, then reads, UPDATE, savepoints, DELETE", in_block)
    for data in [b"40\tx\n41\ty\n40\tagain\n",      # a key of the same load, in key order before
                 b"50\tx\n45\ty\n50\tagain\n",      # out of order
                 b"60\tx\n5\texisting\n",             # committed before
                 b"70\tx\n71\ty\n"]:                  # fine
        both(f"COPY loaded (id, v) {data!r}", lambda conn: copy_in(conn, "COPY loaded (id, v) FROM STDIN", data))
    for data in [b"80\tx\t12345.6\n", b"81\tx\t1\tabcd\n", b"82\tx\t1\tab \tabcd\n", b"83\tx\t-0.000\tab  \tab\n", b"84\tx\t-00012.5\t\\N\t\\N\n"]:
        both(f"COPY loaded (id, v, amount, c, p) typmods {data!r}",
             lambda conn: copy_in(conn, "COPY loaded (id, v, amount, c, p) FROM STDIN" if data.count(b"\t") == 4
                                  else "COPY loaded (id, v, amount, c) FROM STDIN" if data.count(b"\t") == 3
                                  else "COPY loaded (id, v, amount) FROM STDIN", data))
    both("rows after the loads", lambda conn: conn.execute("SELECT * FROM loaded ORDER BY id").fetchall())
    # COPY into a HASH-partitioned table: each row lands in the partition PostgreSQL puts it in
    # (a NULL key in the partition of remainder 0).
    for conn in (helios, pg):
        conn.execute("CREATE TABLE hashed (id int, v text) PARTITION BY HASH (v)")
        for r in range(3):
            conn.execute(f"CREATE TABLE hashed{r} PARTITION OF hashed FOR VALUES WITH (MODULUS 3, REMAINDER {r})")
    hashed = b"".join(b"%d\tv%d\n" % (i, i) for i in range(50)) + b"50\t\\N\n"
    both("COPY into a hash-partitioned table", lambda conn: copy_in(conn, "COPY hashed FROM STDIN", hashed))
    both("rows of each hash partition",
         lambda conn: conn.execute("SELECT tableoid::regclass::text, * FROM hashed ORDER BY id").fetchall())
    # Large loads (read on a thread of their own past the first MiB): the rows, and errors far
    # into the input with PostgreSQL's line numbers, after which the table is unchanged.
    for conn in (helios, pg):
        conn.execute("CREATE TABLE large (id int PRIMARY KEY, name text NOT NULL, price numeric(10,2), at timestamptz, "
                     "CHECK (price < 900))")
        conn.execute("CREATE TABLE large_nokey (id int, name text, price numeric(10,2))")
    lines = [f"{i}\tname {i}\t{i % 1000 % 900}.{i % 100:02d}\t2024-01-{i % 28 + 1:02d} 10:00:00+00\n" for i in range(1, 80001)]
    good = "".join(lines).encode()

    def broken(line, text):
        return "".join(lines[:line - 1] + [text] + lines[line:]).encode()

    def count(conn, table):
        at = ", min(at)" if table == "large" else ""
        return conn.execute(f"SELECT count(*), sum(id), sum(price), max(name){at} FROM {table}").fetchall()

    for what, data in [("a bad number", broken(70000, "70000\tx\t12.3.4\t2024-01-01 00:00:00+00\n")),
                       ("a taken key", broken(70001, "5\tx\t1\t2024-01-01 00:00:00+00\n")),
                       ("a NULL name", broken(70002, "70002\t\\N\t1\t2024-01-01 00:00:00+00\n")),
                       ("a failed CHECK", broken(70003, "70003\tx\t901\t2024-01-01 00:00:00+00\n")),
                       ("a missing column", broken(70004, "70004\tx\n")),
                       ("an extra column", broken(80000, "80000\tx\t1\t2024-01-01 00:00:00+00\textra\n")),
                       ("a bad time", broken(75000, "75000\tx\t1\tyesterday-ish\n")),
                       ("rows out of key order", "".join(lines[:40000] + [lines[10]] + lines[40000:]).encode()),
                       ("no line end at the end", good[:-1])]:
        both(f"a large load with {what}", lambda conn: copy_in_chunks(conn, "COPY large FROM STDIN", data))
        both(f"rows after a large load with {what}", lambda conn: count(conn, "large"))
        for conn in (helios, pg):
            conn.execute("TRUNCATE large")
    csv = "".join(f'{i},"name, {i}",{i % 900}.5\n' for i in range(1, 80001)).encode()
    both("a large CSV load", lambda conn: copy_in_chunks(conn, "COPY large (id, name, price) FROM STDIN (FORMAT csv)", csv))
    both("a large CSV load ending inside quotes",
         lambda conn: copy_in_chunks(conn, "COPY large_nokey FROM STDIN (FORMAT csv)", csv + b'80001,"open,1\n'))
    both("a large load without a key", lambda conn: copy_in_chunks(conn, "COPY large_nokey FROM STDIN (FORMAT csv)", csv))
    both("a large load in a block, then a savepoint", lambda conn: (
        conn.execute("BEGIN"), conn.execute("SAVEPOINT a"),
        copy_in_chunks(conn, "COPY large_nokey FROM STDIN (FORMAT csv)", csv),
        conn.execute("ROLLBACK TO SAVEPOINT a"), count(conn, "large_nokey"),
        copy_in_chunks(conn, "COPY large_nokey FROM STDIN (FORMAT csv)", csv[:len(csv) // 2] + b"\n" + csv[len(csv) // 2:]),
        conn.execute("COMMIT"))[2:5:2])
    both("rows after the large loads", lambda conn: (count(conn, "large"), count(conn, "large_nokey")))
    for sql in BAD_OPTIONS:
        expect(sql, attempt(helios, sql), attempt(pg, sql))
    # 100,000 rows through binary COPY both ways.
    for conn in (helios, pg):
        conn.execute("CREATE TEMP TABLE big (a int, b text, c float8)")
        conn.execute("INSERT INTO big SELECT g, 'row ' || g, g / 7.0 FROM generate_series(1, 100000) g")
    big = copy_out(pg, "COPY big TO STDOUT (FORMAT binary)")
    expect("100,000 rows out, binary", copy_out(helios, "COPY big TO STDOUT (FORMAT binary)"), big)
    helios.execute("TRUNCATE big")
    expect("100,000 rows in, binary", copy_in(helios, "COPY big FROM STDIN (FORMAT binary)", big), ("ok", "COPY 100000"))
    expect("100,000 rows in: same", copy_out(helios, "COPY big TO STDOUT (FORMAT binary)"), big)
finally:
    subprocess.run([PG15, str(PORT), "stop"])
finish("COPY")
