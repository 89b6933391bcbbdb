#!/usr/bin/env python3
"""Every statement that real clients were seen sending (test/catalog/client-queries/*.sql) runs on the
server under test and answers in the same shape as PostgreSQL 15.

Runs under test/clients/with_server.py (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE name a fresh
heliosdb-nano) and starts a throwaway PostgreSQL 15 with tools/pg15.sh as the reference. With
--against-pg15 the side under test is a second PostgreSQL 15 whose object OIDs are shifted, which
proves the harness: every statement must pass.

Each captured statement (and each later repetition of it with other parameter values) is one test
case. It runs on a new connection, inside BEGIN ... ROLLBACK unless it is itself a transaction
command (BEGIN, COMMIT, ...), which then runs alone. "simple" statements go as one Query message,
"extended" ones as Parse/Bind/Describe/Execute of an unnamed statement with text parameters of
unspecified type, all results in text format. An EXECUTE or FETCH first runs, in the same
transaction, the PREPARE or DECLARE that the same client sent before it. COPY FROM STDIN sends
COPY_IN_DATA. Results are read at the libpq level (psycopg.pq), so every value is compared exactly
as the server printed it.

The statements name the capture's own objects by OID (WHERE c.oid = '16482'); CAPTURE_OIDS maps
each such OID to the equivalent object of SCHEMA, looked up by name on each side, or to
MISSING_OID (an OID no object has) when SCHEMA has no equivalent (views, enums, domains,
functions, extensions and roles are not in it). Parameters are the captured values after the same
mapping; statements captured from source without values get theirs from PARAMS.

A case passes when, on the two servers:
 (a) both succeed, or both fail with the same SQLSTATE;
 (b) the result columns have the same names, and
 (c) the same type OIDs (for every result of a multi-statement query);
 (d) the rows agree by this rule. Each statement also runs once before SCHEMA is created, so each
     side's rows split into the rows the test schema added (after minus before, as multisets) and
     the rows the server had anyway (built-in objects, settings, constants):
       - the rows the schema added must be the same on both sides, and
       - every other row the server under test returns must also be in PostgreSQL's answer
         (it may lack built-in objects PostgreSQL has, but what it shows must be what
         PostgreSQL shows).
     Before comparing, what cannot agree between two servers is masked: OIDs of user objects
     (>= 16384, in oid, oid[] and oidvector values; built-in OIDs are PostgreSQL's on both sides
     and compared), transaction ids (xid, xid8, cid), pg_node_tree values (the planner's
     internal dump; clients read them through pg_get_expr), each server's version(),
     server_version and server_version_num, and storage rather than catalog: sizes and
     statistics and TOAST (columns in STORAGE_COLUMNS or named like "size" read "<storage>",
     rows about TOAST relations are dropped; PostgreSQL gives a table a TOAST table when a
     column can be wide, another server need not). Row order is not compared. A statement whose
     rows differ between two runs on PostgreSQL (clocks, activity counters, backend pids) is
     compared by (a)-(c) only.

The server under test must be fresh (the test creates SCHEMA in its database postgres). A server
that stops answering (crashes) ends the test: nothing can be compared after it.
"""
import collections
import os
import re
import select
import subprocess
import sys
import time

sys.path.append("/usr/lib/python3/dist-packages")
from psycopg import OperationalError, pq  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.append(os.path.join(HERE, "..", "clients"))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from psql_describe_test import PG15, start_pg15  # noqa: E402

QUERIES = os.path.join(HERE, "client-queries")
REFERENCE_PORT, SELF_CHECK_PORT = 25495, 25496  # below the ephemeral range, where port-0 servers land
STATEMENT_TIMEOUT = 30  # seconds per statement and server

SCHEMA = [
    "CREATE SEQUENCE invoice_seq START 1000 INCREMENT 10",
    """CREATE TABLE customers (
  id serial PRIMARY KEY,
  email varchar(100) NOT NULL UNIQUE,
  name text,
  created_at timestamptz NOT NULL DEFAULT now(),
  tags text[],
  scores integer[],
  external_id uuid UNIQUE,
  profile jsonb,
  CONSTRAINT email_not_empty CHECK (email <> '')
)""",
    """CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  customer_id integer NOT NULL,
  total numeric(10,2) CONSTRAINT total_not_negative CHECK (total >= 0),
  qty smallint NOT NULL DEFAULT 1 CHECK (qty > 0),
  note text,
  placed_at timestamptz,
  shipped boolean DEFAULT false,
  weight double precision,
  region char(3) DEFAULT 'NOR'
)""",
    "CREATE INDEX orders_customer_idx ON orders (customer_id)",
    "CREATE INDEX orders_customer_placed_idx ON orders (customer_id, placed_at)",
    """CREATE TABLE order_items (
  order_id bigint,
  line_no integer,
  sku varchar(20) NOT NULL,
  payload bytea,
  PRIMARY KEY (order_id, line_no),
  CONSTRAINT order_items_sku_key UNIQUE (sku)
)""",
    """CREATE TABLE items (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  label text,
  added date DEFAULT '2024-01-01'
)""",
    "CREATE UNIQUE INDEX items_label_idx ON items (label)",
    """INSERT INTO customers (email, name, created_at, tags, scores, external_id, profile) VALUES
  ('a@b.c', 'Ann', '2024-01-02 03:04:05+00', '{vip,"new customer"}', '{1,2,3}',
   'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"tier": 1}'),
  ('x@y.z', 'Bob', '2024-02-03 04:05:06+00', '{}', NULL, NULL, NULL),
  ('c@d.e', NULL, '2024-03-04 05:06:07+00', NULL, '{}', NULL, '[1, "two"]')""",
    """INSERT INTO orders (customer_id, total, qty, note, placed_at, weight) VALUES
  (1, 9.99, 1, 'first', '2024-01-03 10:00:00+00', 1.5),
  (1, 100.50, 3, NULL, NULL, NULL),
  (2, 0, 2, 'free', '2024-02-04 11:00:00+00', 0.25)""",
    "INSERT INTO order_items VALUES (1, 1, 'SKU-1', '\\xdeadbeef'), (1, 2, 'SKU-2', NULL), (2, 1, 'SKU-3', '\\x')",
    "INSERT INTO items (label) VALUES ('first'), ('second')",
    "SELECT nextval('invoice_seq')",
]

# The capture database's OIDs (client-queries/README.md) -> the equivalent object of SCHEMA:
# ("class", relname) or ("type", typname) in public, ("database",) the current database, or None
# when SCHEMA has none, which maps to MISSING_OID.
CAPTURE_OIDS = {
    16384: ("database",),  # database shop
    16385: None,  # extension pg_trgm
    16466: None,  # role app_user
    16469: None,  # enum type mood
    16476: None,  # domain posint
    16480: ("type", "customers"),  # composite type address: a table's row type is composite too
    16481: ("class", "customers_id_seq"),
    16482: ("class", "customers"),
    16493: ("class", "orders_id_seq"),
    16494: ("class", "orders"),
    16509: ("class", "orders_customer_idx"),
    16511: ("class", "order_items"),
    16525: None,  # view customer_totals
    16529: None,  # materialized view big_orders
    16535: ("class", "invoice_seq"),
    16536: None,  # function add_numbers
    16537: ("class", "items_id_seq"),  # app.items' identity sequence
    16538: ("class", "items"),  # app.items (here in public)
}
MISSING_OID = 2000000000
CAPTURE_OID_RE = re.compile(r"\b(" + "|".join(str(oid) for oid in CAPTURE_OIDS) + r")\b")

# Statements reconstructed from source carry $n without captured values. Written with capture OIDs,
# which are mapped like captured values (2200 is public's OID in PostgreSQL and here).
PARAMS = {
    "dbeaver-1": ["postgres"],
    "dbeaver-10": ["2200"],
    "dbeaver-11": ["2200"],
    "dbeaver-12": ["16482"],
    "dbeaver-13": ["16482"],
    "dbeaver-14": ["16482"],
    "dbeaver-15": ["16509", "1"],
    "dbeaver-16": ["2200"],
    **{f"prisma-{n}": ["{public}"] for n in range(2, 15) if n != 13},
}

# What COPY ... FROM STDIN sends: a text row, or a binary file with one row (header, tuple, trailer).
COPY_IN_DATA = {
    "text": b"9\t1\tCOPIED\n",
    "binary": (b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") + (0).to_bytes(4, "big") + (3).to_bytes(2, "big") +
               (8).to_bytes(4, "big") + (9).to_bytes(8, "big") + (4).to_bytes(4, "big") + (2).to_bytes(4, "big") +
               (6).to_bytes(4, "big") + b"COPIED" + (-1).to_bytes(2, "big", signed=True)),
}

OID_TYPES = {26, 30, 1028}  # oid, oidvector, oid[]
XID_TYPES = {28, 29, 5069, 1011, 1012, 271}  # xid, cid, xid8 and their arrays
NODE_TREE_TYPE = 194
# Storage, not catalog: sizes and statistics, and whether a table has a TOAST table.
STORAGE_COLUMNS = {"relpages", "reltuples", "relallvisible", "cardinality", "pages", "reltoastrelid", "toid",
                   "tfrozenxid", "tminmxid", "toastpages", "toast_reloptions", "hastoasttable"}
TOAST_NAME = re.compile(r"\bpg_toast_\d+")
TRANSACTION_COMMAND = re.compile(r"\s*(BEGIN|START\s+TRANSACTION|COMMIT|END|ROLLBACK|ABORT)\b", re.I)


class Case:
    def __init__(self, ident, client, protocol, sql, params):
        self.ident, self.client, self.protocol, self.sql, self.params = ident, client, protocol, sql, params
        self.setup = []  # statements run first in the same transaction (PREPARE, DECLARE)


def parse_params(text):
    return [v.replace("''", "'") for v in re.findall(r"\$\d+ = '((?:[^']|'')*)'", text)]


def read_cases(path):
    """The test cases of one client file: each statement block, and each repetition of one with
    parameter values not seen before."""
    client = os.path.basename(path)[:-len(".sql")]
    cases, by_id, current, body = [], {}, None, []

    def close_block():
        if current is not None:
            current.sql = "\n".join(body).strip()
            if current.params is None:
                current.params = PARAMS.get(current.ident, [])
            if current.protocol is None:  # from source: extended when it has parameters
                current.protocol = "extended" if re.search(r"\$\d", current.sql) else "simple"

    for line in open(path, encoding="utf-8").read().split("\n"):
        m = re.match(r"-- \[([\w-]+-\d+)\] (.*)$", line)
        if m or line.startswith("-- ====="):
            close_block()
            current, body = None, []
        if not m:
            if current is not None:
                body.append(line)
            continue
        ident, rest = m.groups()
        params = parse_params(rest) if "params:" in rest else None
        if rest.startswith("(repeated"):
            variants = by_id[ident]
            if params is not None and all(params != v.params for v in variants):
                first = variants[0]
                variant = Case(f"{ident}#{len(variants) + 1}", client, first.protocol, first.sql, params)
                variants.append(variant)
                cases.append(variant)
            continue
        protocol = "simple" if rest.startswith("simple") else "extended" if rest.startswith("extended") else None
        current = Case(ident, client, protocol, None, params)
        by_id[ident] = [current]
        cases.append(current)
    close_block()

    # EXECUTE name / FETCH ... FROM cursor need the PREPARE / DECLARE sent before them.
    for case in cases:
        m = re.match(r"EXECUTE\s+(\w+)", case.sql, re.I)
        m = m or re.match(r"(?:FETCH|MOVE|CLOSE)\b.*?\"?(\w+)\"?\s*;?\s*$", case.sql, re.I | re.S)
        if m and m.group(1).upper() != "ALL":
            name = re.escape(m.group(1))
            case.setup = [c.sql for c in cases
                          if re.match(rf"(PREPARE\s+{name}\b|DECLARE\s+\"?{name}\"?\s)", c.sql, re.I)][:1]
    return cases


class Result:
    """One result of a statement: its columns (name, type OID) and rows of text values (None for NULL)."""

    def __init__(self, kind, columns, rows):
        self.kind, self.columns, self.rows = kind, columns, rows


class Outcome:
    def __init__(self, results=None, sqlstate=None, message=None):
        self.results, self.sqlstate, self.message = results or [], sqlstate, message

    @property
    def ok(self):
        return self.sqlstate is None


class Timeout(Exception):
    pass


class ServerGone(Exception):
    pass


class Server:
    def __init__(self, name, conninfo):
        self.name, self.conninfo = name, conninfo
        self.oids = {}  # capture OID -> this server's OID of the equivalent object
        self.identity = {}  # value -> mask, for values naming this server's build
        self.toast_oids = set()  # its TOAST tables and their indexes

    def connect(self):
        conn = pq.PGconn.connect(self.conninfo.encode())
        if conn.status != pq.ConnStatus.OK:
            raise ServerGone(f"cannot connect to {self.name}: {conn.error_message.decode(errors='replace').strip()}")
        return conn

    def map_oids(self, text):
        return CAPTURE_OID_RE.sub(lambda m: str(self.oids.get(int(m.group(1)), MISSING_OID)), text)

    def query(self, sql):
        outcome = self.run_sql(sql)
        if not outcome.ok:
            sys.exit(f"{sql!r} failed on {self.name}: {outcome.message}")
        return outcome.results[-1].rows if outcome.results else []

    def run_sql(self, sql):
        conn = self.connect()
        try:
            return execute(conn, "simple", sql, [], time.monotonic() + STATEMENT_TIMEOUT)
        finally:
            conn.finish()

    def run(self, case):
        """The case's outcome on a new connection. Raises ServerGone when the connection was lost and
        the server accepts no new one (it crashed)."""
        sql, params = self.map_oids(case.sql), [self.map_oids(p) for p in case.params]
        conn = self.connect()
        deadline = time.monotonic() + STATEMENT_TIMEOUT
        try:
            wrapped = not TRANSACTION_COMMAND.match(sql)
            if wrapped:
                execute(conn, "simple", "BEGIN", [], deadline)
            for setup in case.setup:
                outcome = execute(conn, "simple", self.map_oids(setup), [], deadline)
                if not outcome.ok:
                    outcome.message = f"(in {setup.split()[0]} {setup.split()[1]}) {outcome.message}"
                    return outcome
            outcome = execute(conn, case.protocol, sql, params, deadline)
            if wrapped:
                execute(conn, "simple", "ROLLBACK", [], deadline)
            return outcome
        except Timeout:
            return Outcome(sqlstate="timeout", message=f"no answer within {STATEMENT_TIMEOUT} s")
        except OperationalError as e:
            lost = str(e).split("\n")[0]
            try:
                self.connect().finish()
            except ServerGone:
                raise ServerGone(f"{self.name} stopped (crashed?) running {case.ident}: {lost}") from None
            return Outcome(sqlstate="connection lost", message=lost)
        finally:
            conn.finish()

    def learn_objects(self):
        """Maps CAPTURE_OIDS to this server's objects, as they now exist, and learns its TOAST relations."""
        self.toast_oids = {oid for oid, in self.query("SELECT oid FROM pg_catalog.pg_class "
                                                      "WHERE relnamespace = 'pg_toast'::regnamespace")}
        db = self.query("SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database()")
        classes = dict(self.query("SELECT relname, oid FROM pg_catalog.pg_class "
                                  "WHERE relnamespace = 'public'::regnamespace"))
        types = dict(self.query("SELECT typname, oid FROM pg_catalog.pg_type WHERE typnamespace = 'public'::regnamespace"))
        for capture, target in CAPTURE_OIDS.items():
            found = None
            if target == ("database",):
                found = db[0][0]
            elif target and target[0] == "class":
                found = classes.get(target[1])
            elif target and target[0] == "type":
                found = types.get(target[1])
            self.oids[capture] = int(found) if found else MISSING_OID

    def learn_identity(self):
        (version, server_version, version_num), = self.query(
            "SELECT version(), current_setting('server_version'), current_setting('server_version_num')")
        self.identity = {version: "<version()>", server_version: "<server_version>", version_num: "<server_version_num>"}


def wait(conn, deadline):
    while conn.is_busy():
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise Timeout()
        select.select([conn.socket], [], [], remaining)
        conn.consume_input()


def execute(conn, protocol, sql, params, deadline):
    """Sends one statement and collects every result it produces."""
    if protocol == "simple":
        conn.send_query(sql.encode())
    else:
        conn.send_query_params(sql.encode(), [p.encode() for p in params], result_format=0)
    outcome = Outcome()
    while True:
        wait(conn, deadline)
        res = conn.get_result()
        if res is None:
            return outcome
        status = res.status
        if status == pq.ExecStatus.FATAL_ERROR:
            if conn.status == pq.ConnStatus.BAD:
                raise OperationalError(conn.error_message.decode(errors="replace"))
            if outcome.sqlstate is None:  # no SQLSTATE: libpq's own error, a protocol violation
                outcome.sqlstate = (res.error_field(pq.DiagnosticField.SQLSTATE) or b"(libpq)").decode()
                message = res.error_field(pq.DiagnosticField.MESSAGE_PRIMARY) or res.error_message
                outcome.message = message.decode(errors="replace").strip()
        elif status == pq.ExecStatus.COPY_OUT:
            lines = []
            while True:
                n, data = conn.get_copy_data(0)
                if n < 0:
                    break
                lines.append((bytes(data).decode(errors="replace"),))
            outcome.results.append(Result("COPY_OUT", [], lines))
        elif status == pq.ExecStatus.COPY_IN:
            conn.put_copy_data(COPY_IN_DATA["binary" if res.binary_tuples else "text"])
            conn.put_copy_end()
            outcome.results.append(Result("COPY_IN", [], []))
        elif status == pq.ExecStatus.TUPLES_OK:
            columns = [(res.fname(i).decode(), res.ftype(i)) for i in range(res.nfields)]
            rows = [tuple(None if (v := res.get_value(r, c)) is None else bytes(v).decode(errors="replace")
                          for c in range(res.nfields)) for r in range(res.ntuples)]
            outcome.results.append(Result("TUPLES", columns, rows))
        elif status in (pq.ExecStatus.COMMAND_OK, pq.ExecStatus.EMPTY_QUERY):
            outcome.results.append(Result("COMMAND", [], []))


def user_oids_masked(value):
    return re.sub(r"\d+", lambda m: "<oid>" if int(m.group()) >= 16384 else m.group(), value)


def masked_rows(server, result):
    """The result's rows without those about TOAST relations, with the values that cannot agree between
    two servers masked (module docstring, (d))."""
    masks, oid_columns = [], []
    for i, (name, type_oid) in enumerate(result.columns):
        if name.lower() in STORAGE_COLUMNS or "size" in name.lower():
            masks.append(lambda v: "<storage>")
            continue
        if type_oid in OID_TYPES:
            masks.append(lambda v: None if v is None else user_oids_masked(v))
            oid_columns.append(i)
        elif type_oid in XID_TYPES:
            masks.append(lambda v: None if v is None else "<xid>")
        elif type_oid == NODE_TREE_TYPE:
            masks.append(lambda v: None if v is None else "<pg_node_tree>")
        else:
            masks.append(lambda v: server.identity.get(v, v))

    def about_toast(row):
        return (any(row[i] is not None and set(re.findall(r"\d+", row[i])) & server.toast_oids for i in oid_columns) or
                any(v is not None and masks[i](v) != "<storage>" and TOAST_NAME.search(v) for i, v in enumerate(row)))

    if not result.columns:
        return list(result.rows)
    return [tuple(mask(v) for mask, v in zip(masks, row)) for row in result.rows if not about_toast(row)]


def row_sets(server, outcome):
    """All rows of all results, masked, as one multiset (an error counts as no rows)."""
    rows = collections.Counter()
    for i, result in enumerate(outcome.results):
        rows.update((i,) + row for row in masked_rows(server, result))
    return rows


def short(values):
    text = repr(tuple(values))
    return text if len(text) <= 160 else text[:160] + "..."


def explain(row, candidates, outcome):
    """`row` (a row of row_sets) and, when one of `candidates` is much like it, the columns where that one differs."""
    result = outcome.results[row[0]]
    names = [c[0] for c in result.columns] or ["line"]
    alike = [c for c in candidates if c[0] == row[0] and len(c) == len(row)]
    if alike:
        best = max(alike, key=lambda c: sum(a == b for a, b in zip(c, row)))
        diffs = [(n, b) for n, a, b in zip(names, row[1:], best[1:]) if a != b]
        if len(diffs) <= max(1, len(names) // 3):
            return short(row[1:]) + " where PostgreSQL has " + ", ".join(f"{n} {b!r}" for n, b in diffs)
    return short(row[1:])


def compare(ref, tested, ref_before, tested_before, ref_again, reference, server):
    """(passed, the reason it failed or a note on how it passed)."""
    if not ref.ok or not tested.ok:
        if ref.ok:
            return False, f"PostgreSQL succeeds, {server.name} fails: {tested.sqlstate} {tested.message}"
        if tested.ok:
            return False, f"PostgreSQL fails ({ref.sqlstate} {ref.message}), {server.name} succeeds"
        if ref.sqlstate != tested.sqlstate:
            return False, f"{server.name} fails with {tested.sqlstate} {tested.message}; " \
                          f"PostgreSQL with {ref.sqlstate} {ref.message}"
        return True, f"both fail with {ref.sqlstate}"
    kinds_want, kinds_got = [r.kind for r in ref.results], [r.kind for r in tested.results]
    if kinds_want != kinds_got:
        return False, f"results {kinds_got}, PostgreSQL {kinds_want}"
    for want, got in zip(ref.results, tested.results):
        names_want, names_got = [c[0] for c in want.columns], [c[0] for c in got.columns]
        if names_want != names_got:
            return False, f"columns {names_got}, PostgreSQL {names_want}"
        types = [(n, g[1], w[1]) for n, g, w in zip(names_want, got.columns, want.columns) if g[1] != w[1]]
        if types:
            return False, "column types " + ", ".join(f"{n} {g} (PostgreSQL {w})" for n, g, w in types)
    rows = row_sets(reference, ref)
    if rows != row_sets(reference, ref_again):
        return True, "rows not compared: they change between two runs on PostgreSQL"
    tested_rows, tested_before_rows = row_sets(server, tested), row_sets(server, tested_before)
    added_want, added_got = rows - row_sets(reference, ref_before), tested_rows - tested_before_rows
    if added_want != added_got:
        missing, extra = added_want - added_got, added_got - added_want
        text = (f"rows from the test schema: PostgreSQL {sum(added_want.values())}, {server.name} "
                f"{sum(added_got.values())}")
        if extra:
            text += f"; e.g. {explain(next(iter(extra)), missing, tested)}"
        elif missing:
            text += f"; e.g. missing {short(next(iter(missing))[1:])}"
        return False, text
    unknown = (tested_rows & tested_before_rows) - rows
    if unknown:
        if os.environ.get("CATALOG_QUERIES_ALL_ROWS"):  # every such row, not one example
            return False, "rows PostgreSQL does not return:\n  " + \
                "\n  ".join(explain(row, rows, tested) for row in unknown)
        return False, f"{sum(unknown.values())} rows not from the test schema that PostgreSQL does not return, " \
                      f"e.g. {explain(next(iter(unknown)), rows, tested)}"
    return True, None


def read_known_failures():
    known = {}
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "known_failures.txt")) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                ident, _, reason = line.partition(" ")
                known[ident] = reason.strip()
    return known


def main():
    self_check = sys.argv[1:] == ["--against-pg15"]
    user = "alice" if self_check else os.environ["PGUSER"]
    os.environ["PGTZ"] = "UTC"  # sent as the TimeZone startup parameter, so both sides print timestamptz alike
    ports = [REFERENCE_PORT] + ([SELF_CHECK_PORT] if self_check else [])
    cases = [case for name in sorted(os.listdir(QUERIES)) if name.endswith(".sql")
             for case in read_cases(os.path.join(QUERIES, name))]
    try:
        start_pg15(REFERENCE_PORT, user)
        reference = Server("PostgreSQL", f"host=127.0.0.1 port={REFERENCE_PORT} user={user} dbname=postgres "
                                         "sslmode=disable application_name=catalog_queries_test")
        if self_check:
            start_pg15(SELF_CHECK_PORT, user)
            server = Server("PostgreSQL-2", f"host=127.0.0.1 port={SELF_CHECK_PORT} user={user} dbname=postgres "
                                            "sslmode=disable application_name=catalog_queries_test")
            # Different OIDs for the same objects, as on any other server.
            for _ in range(3):
                server.query("CREATE TABLE oid_shift (a integer PRIMARY KEY, b text)")
                server.query("DROP TABLE oid_shift")
        else:
            server = Server("HeliosDB", "application_name=catalog_queries_test")
        try:
            for side in (reference, server):
                side.learn_objects()  # before SCHEMA: every test object is MISSING_OID
                side.learn_identity()
            before = {side: [side.run(case) for case in cases] for side in (reference, server)}
            for side in (reference, server):
                for sql in SCHEMA:
                    side.query(sql)
                side.learn_objects()
            after = {side: [side.run(case) for case in cases] for side in (reference, server)}
            again = [reference.run(case) for case in cases]
        except ServerGone as e:
            print(f"FAIL {e}")
            print(f"0 passed, {len(cases)} failed (nothing is compared once a server is gone)")
            sys.exit(1)

        # Cases known to fail (known_failures.txt, each with the missing feature): XFAIL does not
        # fail the test, but a listed case that passes does (XPASS), so the list only shrinks.
        known = {} if self_check else read_known_failures()
        passed, failed, xfailed = 0, 0, 0
        for i, case in enumerate(cases):
            ok, text = compare(after[reference][i], after[server][i], before[reference][i], before[server][i],
                               again[i], reference, server)
            if case.ident in known:
                status = "XPASS (remove it from known_failures.txt)" if ok else "XFAIL"
                xfailed += not ok
                failed += ok
            else:
                status = "PASS" if ok else "FAIL"
                passed, failed = passed + ok, failed + (not ok)
            print(f"{status} {case.ident}{': ' + text if text else ''}")
        print(f"{passed} passed, {failed} failed, {xfailed} known failures")
        sys.exit(1 if failed else 0)
    finally:
        for port in ports:
            subprocess.run([PG15, str(port), "stop"])


if __name__ == "__main__":
    main()
