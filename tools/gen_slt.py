#!/usr/bin/env python3
"""Writes a test/sql/*.test file from an input of records (blank-line separated: a "statement" or
"query [rowsort]" line, then the SQL; "# ..." comments; "RESTART" for a restart record), taking each
expectation from a PostgreSQL 15 at 127.0.0.1:55501 (tools/pg15.sh 55501 start).
Usage: tools/gen_slt.py INPUT > test/sql/DIR/NAME.test"""
import sys, psycopg
sys.path.insert(0, "test/sqllogic")
from verify_pg import RAW_OIDS, RawText, fmt
admin = psycopg.connect("host=127.0.0.1 port=55501 user=postgres dbname=postgres", autocommit=True)
admin.execute("DROP DATABASE IF EXISTS slt_gen")
admin.execute("CREATE DATABASE slt_gen TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'")
def conn():
    c = psycopg.connect("host=127.0.0.1 port=55501 user=postgres dbname=slt_gen", autocommit=True)
    for oid in RAW_OIDS: c.adapters.register_loader(oid, RawText)
    c.execute("SET TimeZone = 'UTC'")
    c.execute("SET DateStyle = 'ISO, MDY'")
    return c
c = conn()
out = []
for block in open(sys.argv[1]).read().split("\n\n"):
    block = block.strip()
    if not block: continue
    if block.startswith("#"):
        out.append(block); continue
    if block == "RESTART":
        c.close(); c = conn(); out.append("restart"); continue
    kind, sql = block.split("\n", 1)
    cur = c.cursor()
    if kind.startswith("statement"):
        try:
            cur.execute(sql); out.append("statement ok\n" + sql)
        except psycopg.Error as e:
            out.append(f"statement error {e.sqlstate} {str(e).splitlines()[0]}\n" + sql)
        continue
    try:
        cur.execute(sql)
    except psycopg.Error as e:
        out.append("QUERYFAILED " + str(e) + "\n" + sql); continue
    rows = cur.fetchall()
    types = "".join("I" if d.type_code in (20,21,23,26) else "B" if d.type_code == 16 else "T" for d in cur.description)
    out.append(f"query {types}{' ' + kind.split()[1] if len(kind.split())>1 else ''}\n{sql}\n----\n" + "\n".join("\t".join(fmt(v) for v in r) for r in rows))
print("\n\n".join(out) + "\n")
