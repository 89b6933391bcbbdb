#!/usr/bin/env python3
"""asyncpg (binary protocol, its own catalog introspection of every type it meets) against the
server named by the PG* variables: json, jsonb, uuid, numeric, arrays, timestamps, prepared
statements and their attributes, and an enum type (scalar, array, parameter, attribute types)."""
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

    # An enum type, which asyncpg knows nothing of until its introspection query has read it from
    # pg_type (typtype 'e'): values in and out as str, as a parameter, in an array of the enum, in
    # the enum's declared order (not the labels' text order), and the prepared statement's types.
    await c.execute("DROP TABLE IF EXISTS apg_mood")
    await c.execute("DROP TYPE IF EXISTS mood")
    await c.execute("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')")
    await c.execute("CREATE TABLE apg_mood (id int PRIMARY KEY, m mood, ms mood[])")
    await c.executemany("INSERT INTO apg_mood VALUES ($1, $2, $3)",
                        [(1, "happy", ["sad", "ok", None]), (2, "sad", []), (3, "ok", None), (4, None, None)])
    expect("enum rows", [tuple(r) for r in await c.fetch("SELECT id, m, ms FROM apg_mood ORDER BY id")],
           [(1, "happy", ["sad", "ok", None]), (2, "sad", []), (3, "ok", None), (4, None, None)])
    expect("enum order", [r["m"] for r in await c.fetch("SELECT m FROM apg_mood ORDER BY m")], ["sad", "ok", "happy", None])
    expect("enum parameter", await c.fetchval("SELECT id FROM apg_mood WHERE m = $1", "ok"), 3)
    expect("enum comparison", await c.fetchval("SELECT $1::mood < 'happy'", "ok"), True)
    expect("enum[] parameter", await c.fetchval("SELECT $1::mood[]", ["ok", "sad"]), ["ok", "sad"])
    expect("enum = ANY($1)", await c.fetchval("SELECT array_agg(id ORDER BY id) FROM apg_mood WHERE m = ANY($1)",
                                              ["sad", "happy"]), [1, 2])
    expect("enum_range", await c.fetchval("SELECT enum_range(NULL::mood)"), ["sad", "ok", "happy"])
    st = await c.prepare("SELECT id, m, ms FROM apg_mood WHERE m = $1")
    expect("enum attributes", [(a.name, a.type.name, a.type.kind, a.type.schema) for a in st.get_attributes()],
           [("id", "int4", "scalar", "pg_catalog"), ("m", "mood", "scalar", "public"), ("ms", "mood[]", "array", "public")])
    expect("enum parameter types", [(t.name, t.kind, t.schema) for t in st.get_parameters()], [("mood", "scalar", "public")])
    expect("enum prepared fetch", tuple(await st.fetchrow("happy")), (1, "happy", ["sad", "ok", None]))
    try:
        await c.fetchval("SELECT $1::mood", "angry")
        expect("invalid enum label", "no error", "22P02")
    except asyncpg.PostgresError as e:
        expect("invalid enum label", e.sqlstate, "22P02")
    await c.execute("DROP TABLE apg_mood")
    await c.execute("DROP TYPE mood")
    await c.close()


asyncio.run(main())
finish("asyncpg")
