#!/usr/bin/env python3
"""pgcli 3.5 (Debian's package, run in-process) against the server named by the PG* variables:
it connects as `pgcli` does, loads its completions from the catalogs with its own completion
refresher (pgcli's schemata, tables, columns, foreign keys, views, types, databases and functions
queries) and completes table, column, join, type and function names from them; one query runs
through PGExecute.run. pgcli swallows errors of its background refresh (the thread dies and the
completer silently stays empty): here any exception, logged error or warning, Python warning or
server notice during the refresh fails the test, and a failed refresh is followed by each catalog
query on its own, to name the failing one."""
import atexit
import logging
import os
import shutil
import tempfile
import threading
import warnings

# pgcli writes its config, log and history under $XDG_CONFIG_HOME/pgcli; keep them out of $HOME,
# and keep keyring (which would store the password) off.
_home = tempfile.mkdtemp(prefix="pgcli-test-")
atexit.register(shutil.rmtree, _home, ignore_errors=True)
os.environ["HOME"] = _home
os.environ["XDG_CONFIG_HOME"] = os.path.join(_home, "config")
os.makedirs(os.path.join(_home, "config", "pgcli"))
with open(os.path.join(_home, "config", "pgcli", "config"), "w") as f:
    f.write("[main]\nkeyring = False\n")

import psycopg2
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document
from pgcli.main import PGCli
from pgcli.pgexecute import PGExecute

from client_common import _failures, expect, finish

SCHEMA = [
    "DROP SCHEMA IF EXISTS app CASCADE",
    "DROP VIEW IF EXISTS customer_totals",
    "DROP TABLE IF EXISTS orders, customers",
    "DROP FUNCTION IF EXISTS order_count(int)",
    "DROP TYPE IF EXISTS order_status",
    "CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped')",
    "CREATE TABLE customers (id serial PRIMARY KEY, email text, created_at timestamptz)",
    "CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers, total numeric(10,2),"
    " status order_status)",
    "CREATE VIEW customer_totals AS SELECT c.id AS customer_id, c.email, sum(o.total) AS total"
    " FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.id, c.email",
    "CREATE FUNCTION order_count(cust int) RETURNS bigint LANGUAGE sql"
    " AS 'SELECT count(*) FROM orders WHERE customer_id = cust'",
    "CREATE SCHEMA app",
    "CREATE TABLE app.items (sku text PRIMARY KEY, name text, price numeric(8,2))",
    "INSERT INTO customers (email, created_at) VALUES ('ann@example.com', '2024-01-02 03:04:05+00'),"
    " ('bob@example.com', NULL)",
    "INSERT INTO orders VALUES (10, 1, 12.50, 'paid'), (11, 1, 7.25, 'new'), (12, 2, 100.00, 'shipped')",
]

conn = psycopg2.connect(connect_timeout=10)
conn.autocommit = True
with conn.cursor() as cur:
    for statement in SCHEMA:
        cur.execute(statement)
conn.close()

# What pgcli would otherwise swallow or only write to its log file.
problems = []


def _thread_exception(args):
    problems.append(f"exception in thread {args.thread.name if args.thread else '?'}: "
                    f"{args.exc_type.__name__}: {args.exc_value}")


threading.excepthook = _thread_exception


class _Recorder(logging.Handler):
    def emit(self, record):
        problems.append(f"{record.name} logged {record.levelname}: {record.getMessage()}")


# Every server notice on any pgcli connection (the refresher opens its own with PGExecute.copy).
_pgexecute_connect = PGExecute.connect


def _connect_recording_notices(self, *args, **kwargs):
    _pgexecute_connect(self, *args, **kwargs)
    self.conn.add_notice_handler(
        lambda d: problems.append(f"server {d.severity} on a pgcli connection: {d.message_primary}"))


PGExecute.connect = _connect_recording_notices

cli = PGCli()
_recorder = _Recorder(level=logging.WARNING)
for name in ("pgcli", "pgspecial", "psycopg"):
    logging.getLogger(name).addHandler(_recorder)
cli.connect(database=os.environ["PGDATABASE"], host=os.environ["PGHOST"], user=os.environ["PGUSER"],
            port=os.environ["PGPORT"], passwd=os.environ.get("PGPASSWORD", ""))
expect("connected", cli.pgexecute is not None and not cli.pgexecute.conn.closed, True)

# As pgcli's run_cli does at startup, then wait for the background thread instead of a prompt.
empty_completer = cli.completer
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    started = cli.refresh_completions(persist_priorities="none")
    expect("refresh started", started, [(None, None, None, "Auto-completion refresh started in the background.")])
    thread = cli.completion_refresher._completer_thread
    thread.join(120)
    expect("refresh finished within 120 s", thread.is_alive(), False)
for w in caught:
    # pgcli's own use of deprecated Python APIs (Thread.setDaemon) is not the server's doing.
    if not issubclass(w.category, (DeprecationWarning, PendingDeprecationWarning)):
        problems.append(f"warning during the refresh: {w.category.__name__}: {w.message}")
refreshed = cli.completer is not empty_completer
expect("the refresher handed over a new completer", refreshed, True)
refresh_problems = list(problems)
for p in refresh_problems:
    _failures.append(f"completion refresh: {p}")

if refresh_problems or not refreshed:
    # Name the failing catalog query: each refresher step on its own, on a fresh connection.
    executor = cli.pgexecute.copy()
    for step in ("search_path", "schemata", "tables", "table_columns", "foreignkeys", "views", "view_columns",
                 "datatypes", "databases", "functions"):
        try:
            result = getattr(executor, step)()
            if not isinstance(result, list):
                list(result)
        except Exception as e:
            _failures.append(f"PGExecute.{step}() (pgcli's catalog query) failed: {type(e).__name__}: {e}")
            executor.conn.rollback()
    executor.conn.close()
checked = len(problems)


def completions(text, cursor=None):
    """(text, kind) of everything pgcli offers with the cursor at `cursor` (the end by default)."""
    document = Document(text=text, cursor_position=len(text) if cursor is None else cursor)
    return {(c.text, c.display_meta_text) for c in cli.completer.get_completions(document, CompleteEvent())}


def offered(text, kind, cursor=None, keep=lambda name: True):
    return sorted(name for name, meta in completions(text, cursor) if meta == kind and keep(name))


def own(name):
    return not name.startswith("information_schema.")


# Relations after FROM: the search path's tables and views unqualified, the others' qualified.
expect("FROM: schemas", offered("SELECT * FROM ", "schema"), ["app", "information_schema", "public"])
expect("FROM: tables", offered("SELECT * FROM ", "table", keep=own), ["app.items", "customers", "orders"])
expect("FROM: views", offered("SELECT * FROM ", "view", keep=own), ["customer_totals"])
expect("FROM: information_schema views", [v for v in offered("SELECT * FROM ", "view", keep=lambda n: not own(n))
                                          if v in ("information_schema.columns", "information_schema.tables")],
       ["information_schema.columns", "information_schema.tables"])
expect("FROM app.: tables", offered("SELECT * FROM app.", "table"), ["items"])
expect("FROM app.: views", offered("SELECT * FROM app.", "view"), [])
expect("FROM cust: tables", offered("SELECT * FROM cust", "table"), ["customers"])

# Columns of the table, view or alias in scope.
expect("SELECT | FROM customers: columns", offered("SELECT  FROM customers", "column", cursor=7),
       ["created_at", "email", "id"])
expect("SELECT c.| FROM customers c: columns", offered("SELECT c. FROM customers c", "column", cursor=9),
       ["created_at", "email", "id"])
expect("WHERE on orders: columns", offered("SELECT * FROM orders WHERE ", "column"),
       ["customer_id", "id", "status", "total"])
expect("WHERE on the view: columns", offered("SELECT * FROM customer_totals WHERE ", "column"),
       ["customer_id", "email", "total"])
expect("WHERE on app.items: columns", offered("SELECT * FROM app.items WHERE ", "column"), ["name", "price", "sku"])
expect("INSERT INTO customers (: columns", offered("INSERT INTO customers (", "column"),
       ["created_at", "email", "id"])

# Joins from the foreign key.
expect("JOIN ON: fk join", offered("SELECT * FROM customers c JOIN orders o ON ", "fk join"),
       ["o.customer_id = c.id"])
expect("JOIN ON: aliases", offered("SELECT * FROM customers c JOIN orders o ON ", "table alias"), ["c", "o"])
expect("JOIN: join", offered("SELECT * FROM customers JOIN ", "join"),
       ["orders ON orders.customer_id = customers.id"])

# Functions, types and databases from the catalogs.
expect("functions", offered("SELECT order_c", "function"), ["order_count()"])
expect("datatypes", offered("CREATE TABLE t (x order_", "datatype"), ["order_status"])
expect("databases", os.environ["PGDATABASE"] in offered("\\c ", "database"), True)

# A query and a backslash command through PGExecute.run, as pgcli runs what is typed.
results = list(cli.pgexecute.run("SELECT id, email, created_at FROM customers ORDER BY id",
                                 pgspecial=cli.pgspecial))
expect("run: one result", len(results), 1)
if results:
    title, cur, headers, status, sql, success, is_special = results[0]
    expect("run: headers", headers, ["id", "email", "created_at"])
    # pgcli reads timestamptz as text (register_typecasters).
    expect("run: rows", list(cur), [(1, "ann@example.com", "2024-01-02 03:04:05+00"), (2, "bob@example.com", None)])
    expect("run: status", status, "SELECT 2")
    expect("run: success, not special", (success, is_special), (True, False))
results = list(cli.pgexecute.run("\\dt", pgspecial=cli.pgspecial))
expect("\\dt: one result", len(results), 1)
if results:
    title, rows, headers, status, sql, success, is_special = results[0]
    expect("\\dt: headers", headers, ["Schema", "Name", "Type", "Owner"])
    expect("\\dt: rows", list(rows), [("public", "customers", "table", os.environ["PGUSER"]),
                                      ("public", "orders", "table", os.environ["PGUSER"])])
    expect("\\dt: success, special", (success, is_special), (True, True))

expect("problems after the refresh", problems[checked:], [])
cli.pgexecute.conn.close()
finish("pgcli")
