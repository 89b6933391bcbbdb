#!/usr/bin/env python3
"""asyncpg (binary protocol, its own catalog introspection of every type it meets) against the
server named by the PG* variables: json, jsonb, uuid, numeric, arrays, timestamps, prepared
statements and their attributes."""
import asyncio
import datetime as dt
import decimal
import os
import uuid

import asyncpg

from client_common import expect, expect_sqlstate, finish


async def main():
    c = await asyncpg.connect(host=os.environ["PGHOST"], port=int(os.environ["PGPORT"]), user=os.environ["PGUSER"],
                              password=os.environ.get("PGPASSWORD"), database=os.environ.get("PGDATABASE", "postgres"))
    await c.execute("DROP TABLE IF EXISTS apg")
    await c.execute("CREATE TABLE apg (id int PRIMARY KEY, doc jsonb, j json, u uuid, n numeric(10,2), tags text[],"
                    " nums int[], ts timestamptz, grid int[])")
    u = uuid.UUID("12345678-1234-5678-1234-567812345678")
    ts = dt.datetime(2024, 6, 1, 12, 30, tzinfo=dt.timezone.utc)
    await c.execute("INSERT INTO apg VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)", 1, '{"b": 2, "a": [1, null]}',
                    '[1,  2]', u, decimal.Decimal("1.50"), ["x", "y z", None], [1, 2, 3], ts, [[1, 2], [3, 4]])
    await c.execute("INSERT INTO apg (id) VALUES (2)")
    rows = await c.fetch("SELECT id, doc, j, u, n, tags, nums, ts, grid FROM apg ORDER BY id")
    expect("row 1", tuple(rows[0]), (1, '{"a": [1, null], "b": 2}', "[1,  2]", u, decimal.Decimal("1.50"),
                                     ["x", "y z", None], [1, 2, 3], ts, [[1, 2], [3, 4]]))
    expect("row 2", tuple(rows[1]), (2, None, None, None, None, None, None, None, None))
    expect("int[] parameter", await c.fetchval("SELECT $1::int[]", [4, 5]), [4, 5])
    expect("empty array", await c.fetchval("SELECT $1::text[]", []), [])
    expect("= ANY($1)", await c.fetchval("SELECT count(*) FROM apg WHERE id = ANY($1)", [1, 2, 7]), 2)
    expect("->>", await c.fetchval("SELECT doc->>'b' FROM apg WHERE id = 1"), "2")
    expect("array_agg", await c.fetchval("SELECT array_agg(id ORDER BY id DESC) FROM apg"), [2, 1])
    st = await c.prepare("SELECT * FROM apg WHERE id = $1")
    expect("attributes", [f"{a.name}:{a.type.name}" for a in st.get_attributes()],
           ["id:int4", "doc:jsonb", "j:json", "u:uuid", "n:numeric", "tags:text[]", "nums:int4[]", "ts:timestamptz",
            "grid:int4[]"])
    expect("parameter types", [t.name for t in st.get_parameters()], ["int4"])
    expect("prepared fetch", (await st.fetchrow(1))["n"], decimal.Decimal("1.50"))
    async def bad_array():
        await c.fetchval("SELECT '{1,2'::int[]")
    try:
        await bad_array()
        expect("malformed array", "no error", "22P02")
    except asyncpg.PostgresError as e:
        expect("malformed array", e.sqlstate, "22P02")
    await c.execute("DROP TABLE apg")
    await c.close()


asyncio.run(main())
finish("asyncpg")
