#!/usr/bin/env python3
"""SQLAlchemy 1.4 reflection (inspect(), MetaData.reflect) through psycopg2 against the server
named by the PG* variables: what an ORM learns of a schema it did not create (tables, columns,
keys, foreign keys, indexes, constraints, views, sequences)."""
import os

import sqlalchemy as sa

from client_common import expect, finish

url = sa.engine.URL.create("postgresql+psycopg2", username=os.environ["PGUSER"], password=os.environ.get("PGPASSWORD"),
                           host=os.environ["PGHOST"], port=int(os.environ["PGPORT"]),
                           database=os.environ.get("PGDATABASE", "postgres"))
engine = sa.create_engine(url)
with engine.begin() as c:
    c.execute(sa.text("DROP VIEW IF EXISTS sa_names"))
    c.execute(sa.text("DROP TABLE IF EXISTS sa_items"))
    c.execute(sa.text("DROP TABLE IF EXISTS sa_users"))
    c.execute(sa.text("CREATE TABLE sa_users (id serial PRIMARY KEY, email varchar(80) NOT NULL UNIQUE, name text,"
                      " score numeric(6,2) DEFAULT 0, tags text[], created timestamptz DEFAULT now(),"
                      " CONSTRAINT score_pos CHECK (score >= 0))"))
    c.execute(sa.text("CREATE INDEX sa_users_name ON sa_users (name)"))
    c.execute(sa.text("CREATE TABLE sa_items (user_id int NOT NULL REFERENCES sa_users ON DELETE CASCADE, line int NOT NULL,"
                      " sku text, PRIMARY KEY (user_id, line))"))
    c.execute(sa.text("CREATE VIEW sa_names AS SELECT name FROM sa_users"))

insp = sa.inspect(engine)
expect("tables", sorted(t for t in insp.get_table_names() if t.startswith("sa_")), ["sa_items", "sa_users"])
cols = [(c["name"], str(c["type"]), c["nullable"], c.get("default"), c.get("autoincrement")) for c in insp.get_columns("sa_users")]
expect("columns", cols, [
    ("id", "INTEGER", False, "nextval('sa_users_id_seq'::regclass)", True),
    ("email", "VARCHAR(80)", False, None, False),
    ("name", "TEXT", True, None, False),
    ("score", "NUMERIC(6, 2)", True, "0", False),
    ("tags", "ARRAY", True, None, False),
    ("created", "TIMESTAMP", True, "now()", False)])
expect("pk", insp.get_pk_constraint("sa_users"), {"constrained_columns": ["id"], "name": "sa_users_pkey"})
expect("composite pk", insp.get_pk_constraint("sa_items"), {"constrained_columns": ["user_id", "line"], "name": "sa_items_pkey"})
expect("indexes", sorted((i["name"], i["column_names"], i["unique"]) for i in insp.get_indexes("sa_users")),
       [("sa_users_email_key", ["email"], True), ("sa_users_name", ["name"], False)])
expect("unique constraints", insp.get_unique_constraints("sa_users"), [{"name": "sa_users_email_key", "column_names": ["email"]}])
expect("check constraints", insp.get_check_constraints("sa_users"), [{"name": "score_pos", "sqltext": "score >= (0)::numeric"}])
expect("foreign keys", insp.get_foreign_keys("sa_items"), [
    {"name": "sa_items_user_id_fkey", "constrained_columns": ["user_id"], "referred_schema": None,
     "referred_table": "sa_users", "referred_columns": ["id"], "options": {"ondelete": "CASCADE"}}])
expect("schemas", insp.get_schema_names(), ["information_schema", "public"])
expect("sequences", [s for s in insp.get_sequence_names() if s.startswith("sa_")], ["sa_users_id_seq"])
expect("views", insp.get_view_names(), ["sa_names"])
expect("view columns", [(c["name"], str(c["type"])) for c in insp.get_columns("sa_names")], [("name", "TEXT")])
m = sa.MetaData()
m.reflect(bind=engine, only=["sa_users", "sa_items"])
expect("reflected array type", repr(m.tables["sa_users"].c.tags.type), "ARRAY(TEXT())")
with engine.begin() as c:
    users = m.tables["sa_users"]
    c.execute(users.insert(), [{"email": "a@x", "name": "A", "tags": ["t1", "t2"]}, {"email": "b@x", "name": "B", "tags": None}])
    got = c.execute(sa.select(users.c.email, users.c.tags, users.c.score).order_by(users.c.id)).fetchall()
    expect("ORM round trip", [tuple(r) for r in got], [("a@x", ["t1", "t2"], 0), ("b@x", None, 0)])
    c.execute(sa.text("DROP VIEW sa_names"))
    c.execute(sa.text("DROP TABLE sa_items"))
    c.execute(sa.text("DROP TABLE sa_users"))
finish("sqlalchemy")
