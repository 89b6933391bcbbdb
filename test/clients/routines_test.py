#!/usr/bin/env python3
"""Functions and triggers as a client sees them, against heliosdb-nano and a throwaway PostgreSQL
15 side by side (psycopg 3): what only the wire protocol shows.

1. RAISE NOTICE / WARNING / INFO in a PL/pgSQL function called by SELECT (simple and extended
   protocol) arrive as notices, in order, with their severity, SQLSTATE, message, detail and hint
   (RAISE LOG and DEBUG do not; client_min_messages filters them), and the query still returns
   its rows.
2. RAISE EXCEPTION ... USING ERRCODE / DETAIL / HINT, a bare RAISE EXCEPTION (P0001) and RAISE of
   a condition name arrive as errors with those fields; the connection is usable afterwards; in a
   transaction block the block is failed (25P02, ReadyForQuery 'E') until ROLLBACK, and ROLLBACK TO
   SAVEPOINT recovers it; an exception caught by the function's EXCEPTION block is not an error.
3. A PL/pgSQL BEFORE INSERT trigger that upper-cases a column, skips rows (RETURN NULL) and raises
   a NOTICE per row, fired by COPY FROM STDIN (text and binary, write_row): the notices, the
   command status's row count and the rows loaded; an AFTER STATEMENT trigger fires once per
   COPY; an exception in the trigger fails the COPY and loads nothing.
4. Functions (PL/pgSQL with a text and a numeric argument, SQL functions with a default and a set
   result) called over the extended protocol with parameters (auto, text and binary parameters;
   unprepared and prepared, twice; text and binary results): the values and the result columns'
   names and type OIDs; calling with arguments no function takes fails with 42883.
5. A BEFORE trigger that rewrites and skips rows and an AFTER trigger writing an audit table
   while the client runs INSERT / UPDATE / DELETE ... RETURNING over the extended protocol (and
   executemany(returning=True), a pipeline): the RETURNING rows, the row counts and the audit rows.
6. An exception in an AFTER ROW or AFTER STATEMENT trigger rolls the whole statement back (the
   table, what earlier triggers wrote), through simple, extended and COPY, while the sequence
   values the statement used stay used.

Runs under with_server.py (PG* name heliosdb-nano); PostgreSQL 15 runs on port 25499.
"""
import decimal
import os
import subprocess

import psycopg
from psycopg.pq import TransactionStatus

from client_common import expect, finish

HERE = os.path.dirname(os.path.abspath(__file__))
PG15 = os.path.join(HERE, "..", "..", "tools", "pg15.sh")
PORT = 25499
D = decimal.Decimal

SETUP = [
    "DROP TABLE IF EXISTS people, statement_log, accounts, audit, guarded, guard_log, tx_probe CASCADE",
    "DROP SEQUENCE IF EXISTS audit_seq",
    "DROP FUNCTION IF EXISTS chatty, fail_with, fail_bare, fail_named, caught, label, add_tax, squares, sq, "
    "people_before, people_after_stmt, accounts_before, accounts_audit, accounts_zcheck, guarded_log, "
    "guarded_check, guarded_total CASCADE",
    # 1. notices
    """CREATE FUNCTION chatty(n int) RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  RAISE NOTICE 'notice %', n;
  RAISE WARNING 'warning % of %', n, 'chatty' USING DETAIL = 'some detail', HINT = 'some hint';
  RAISE INFO 'info %', n * 2;
  RAISE LOG 'log %', n;  -- below client_min_messages = notice: the server log's only
  RAISE DEBUG 'debug %', n;
  RETURN n + 1;
END
$$""",
    # 2. errors
    """CREATE FUNCTION fail_with(v int) RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  IF v < 0 THEN
    RAISE EXCEPTION 'value % is negative', v
      USING ERRCODE = '22023', DETAIL = 'got ' || v, HINT = 'pass a value of zero or more';
  END IF;
  RETURN v * 10;
END
$$""",
    """CREATE FUNCTION fail_bare() RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  RAISE NOTICE 'about to fail';
  RAISE EXCEPTION 'bare failure';
END
$$""",
    """CREATE FUNCTION fail_named() RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  RAISE unique_violation USING MESSAGE = 'duplicate thing', DETAIL = 'key 7';
END
$$""",
    """CREATE FUNCTION caught(v int) RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  RETURN fail_with(v);
EXCEPTION WHEN invalid_parameter_value THEN
  RAISE NOTICE 'caught %: %', SQLSTATE, SQLERRM;
  RETURN -1;
END
$$""",
    "CREATE TABLE tx_probe (id int PRIMARY KEY)",
    # 3. COPY and triggers
    "CREATE TABLE people (id int PRIMARY KEY, name text)",
    "CREATE TABLE statement_log (tg_name text, tg_op text, tg_level text, tg_when text, tg_table text, n bigint)",
    """CREATE FUNCTION people_before() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.name IS NULL OR NEW.name = 'skip' THEN
    RAISE NOTICE 'skipping row %', NEW.id;
    RETURN NULL;
  END IF;
  IF NEW.name = 'boom' THEN
    RAISE EXCEPTION 'cannot load row %', NEW.id USING ERRCODE = '22023', HINT = 'remove it';
  END IF;
  NEW.name := upper(NEW.name);
  RAISE NOTICE 'row % becomes %', NEW.id, NEW.name;
  RETURN NEW;
END
$$""",
    "CREATE TRIGGER people_before BEFORE INSERT ON people FOR EACH ROW EXECUTE FUNCTION people_before()",
    """CREATE FUNCTION people_after_stmt() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO statement_log VALUES (TG_NAME, TG_OP, TG_LEVEL, TG_WHEN, TG_TABLE_NAME, (SELECT count(*) FROM people));
  RAISE NOTICE 'statement trigger % fired', TG_NAME;
  RETURN NULL;
END
$$""",
    "CREATE TRIGGER people_after_stmt AFTER INSERT ON people FOR EACH STATEMENT EXECUTE FUNCTION people_after_stmt()",
    # 4. functions over the extended protocol
    """CREATE FUNCTION label(t text, x numeric) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  RETURN t || ': ' || round(x, 2)::text;
END
$$""",
    "CREATE FUNCTION add_tax(x numeric, rate numeric DEFAULT 0.2) RETURNS numeric LANGUAGE sql "
    "AS 'SELECT round(x * (1 + rate), 2)'",
    "CREATE FUNCTION sq(i int) RETURNS bigint LANGUAGE sql IMMUTABLE AS 'SELECT $1::bigint * $1'",
    "CREATE FUNCTION squares(n int) RETURNS TABLE (i int, square bigint, name text) LANGUAGE sql "
    "AS 'SELECT g, sq(g), ''n'' || g FROM generate_series(1, n) g'",
    # 5. and 6. audit
    "CREATE TABLE accounts (id int PRIMARY KEY, owner text NOT NULL, balance numeric(10,2) NOT NULL)",
    "CREATE SEQUENCE audit_seq",
    "CREATE TABLE audit (seq bigint PRIMARY KEY, op text, account_id int, owner text, balance numeric(10,2))",
    """CREATE FUNCTION accounts_before() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.balance < 0 AND TG_OP = 'INSERT' THEN
    RETURN NULL;
  END IF;
  NEW.owner := lower(trim(NEW.owner));
  RETURN NEW;
END
$$""",
    "CREATE TRIGGER accounts_before BEFORE INSERT OR UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION accounts_before()",
    """CREATE FUNCTION accounts_audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    INSERT INTO audit VALUES (nextval('audit_seq'), TG_OP, OLD.id, OLD.owner, OLD.balance);
    RETURN OLD;
  END IF;
  INSERT INTO audit VALUES (nextval('audit_seq'), TG_OP, NEW.id, NEW.owner, NEW.balance);
  RETURN NEW;
END
$$""",
    "CREATE TRIGGER accounts_audit AFTER INSERT OR UPDATE OR DELETE ON accounts FOR EACH ROW "
    "EXECUTE FUNCTION accounts_audit()",
    # Fires after accounts_audit (same event: triggers fire in name order).
    """CREATE FUNCTION accounts_zcheck() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.balance < 0 THEN
    RAISE EXCEPTION 'account would be overdrawn' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END
$$""",
    "CREATE TRIGGER accounts_zcheck AFTER UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION accounts_zcheck()",
    # 6. AFTER triggers that fail
    "CREATE TABLE guarded (id int PRIMARY KEY, v int)",
    "CREATE TABLE guard_log (id int, v int)",
    """CREATE FUNCTION guarded_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO guard_log VALUES (NEW.id, NEW.v);
  RETURN NEW;
END
$$""",
    "CREATE TRIGGER guarded_log BEFORE INSERT OR UPDATE ON guarded FOR EACH ROW EXECUTE FUNCTION guarded_log()",
    """CREATE FUNCTION guarded_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.v > 100 THEN
    RAISE EXCEPTION 'v % too large for row %', NEW.v, NEW.id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END
$$""",
    "CREATE TRIGGER guarded_check AFTER INSERT OR UPDATE ON guarded FOR EACH ROW EXECUTE FUNCTION guarded_check()",
    """CREATE FUNCTION guarded_total() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT sum(v) FROM guarded) > 150 THEN
    RAISE EXCEPTION 'total too large' USING DETAIL = 'sum is ' || (SELECT sum(v) FROM guarded);
  END IF;
  RETURN NULL;
END
$$""",
    "CREATE TRIGGER guarded_total AFTER INSERT OR UPDATE ON guarded FOR EACH STATEMENT EXECUTE FUNCTION guarded_total()",
]

# What a notice or an error shows the client.
def diag(d):
    return (d.severity, d.severity_nonlocalized, d.sqlstate, d.message_primary, d.message_detail, d.message_hint)


NOTICES = {}


def connect(**kwargs):
    conn = psycopg.connect(autocommit=True, **kwargs)
    seen = NOTICES[id(conn)] = []
    conn.add_notice_handler(lambda d: seen.append(diag(d)))
    return conn


def run(conn, action):
    """(outcome, notices): outcome is ("ok", what action returned) or ("error", the diagnostic)."""
    seen = NOTICES[id(conn)]
    seen.clear()
    try:
        outcome = ("ok", action(conn))
    except psycopg.Error as e:
        outcome = ("error", diag(e.diag))
    return outcome, list(seen)


def both(what, action):
    """Runs action on each side and expects the same outcome and notices; returns PostgreSQL's."""
    got, want = run(helios, action), run(pg, action)
    expect(what, got, want)
    return want


def query(sql, params=None, prepare=None, binary=False):
    def action(conn):
        with conn.cursor(binary=binary) as cur:
            cur.execute(sql, params, prepare=prepare)
            described = [(d.name, d.type_code) for d in cur.description] if cur.description else None
            return (described, cur.fetchall() if cur.description else None, cur.rowcount, cur.statusmessage)
    return action


def sorted_rows(action):
    """The rows of query(...) in sorted order, for statements whose row order is the storage's."""
    def sort(conn):
        described, got, count, status = action(conn)
        return described, sorted(got), count, status
    return sort


def rows(sql):
    return lambda conn: conn.execute(sql).fetchall()


def status(conn):
    return TransactionStatus(conn.info.transaction_status).name


def copy_rows(sql, data, types=None):
    def action(conn):
        with conn.cursor() as cur:
            with cur.copy(sql) as copy:
                if types:
                    copy.set_types(types)
                for row in data:
                    copy.write_row(row)
            return (cur.rowcount, cur.statusmessage)
    return action


subprocess.run([PG15, str(PORT), "stop"], check=True)
subprocess.run([PG15, str(PORT), "start"], check=True)
try:
    helios = connect()
    pg = connect(host="127.0.0.1", port=PORT, user="postgres", dbname="postgres")
    for sql in SETUP:  # the outcome only: the DROP ... IF EXISTS notices depend on what was there
        expect(f"setup: {sql[:70]}", run(helios, lambda conn: conn.execute(sql) and None)[0],
               run(pg, lambda conn: conn.execute(sql) and None)[0])

    # 1. Notices from RAISE, in order, with the query's row.
    want = both("RAISE NOTICE/WARNING/INFO (simple)", query("SELECT chatty(41)"))
    expect("RAISE levels (PostgreSQL)", want, (("ok", ([("chatty", 23)], [(42,)], 1, "SELECT 1")), [
        ("NOTICE", "NOTICE", "00000", "notice 41", None, None),
        ("WARNING", "WARNING", "01000", "warning 41 of chatty", "some detail", "some hint"),
        ("INFO", "INFO", "00000", "info 82", None, None)]))
    both("RAISE per row, in order", query("SELECT g, chatty(g) FROM generate_series(1, 3) g ORDER BY g"))
    for prepare in (False, True, True):
        both(f"RAISE (extended, prepare={prepare})", query("SELECT chatty(%s)", (7,), prepare=prepare))
    both("RAISE (binary results)", query("SELECT chatty(%s) AS c", (8,), binary=True))
    both("SET client_min_messages = warning", query("SET client_min_messages = warning"))
    want = both("RAISE under client_min_messages = warning", query("SELECT chatty(1)"))
    expect("client_min_messages filters NOTICE only (PostgreSQL)", [n[0] for n in want[1]], ["WARNING", "INFO"])
    both("RESET client_min_messages", query("RESET client_min_messages"))

    # 2. RAISE EXCEPTION arrives as an error; the connection stays usable.
    want = both("RAISE EXCEPTION USING ERRCODE, DETAIL, HINT (simple)", query("SELECT fail_with(-5)"))
    expect("RAISE EXCEPTION fields (PostgreSQL)", want, (("error", (
        "ERROR", "ERROR", "22023", "value -5 is negative", "got -5", "pass a value of zero or more")), []))
    for prepare in (False, True, True):
        both(f"RAISE EXCEPTION (extended, prepare={prepare})", query("SELECT fail_with(%s)", (-6,), prepare=prepare))
        both(f"no exception (extended, prepare={prepare})", query("SELECT fail_with(%s)", (6,), prepare=prepare))
    want = both("bare RAISE EXCEPTION after a NOTICE", query("SELECT fail_bare()"))
    expect("bare RAISE EXCEPTION (PostgreSQL)", want, (("error", ("ERROR", "ERROR", "P0001", "bare failure", None, None)),
                                                      [("NOTICE", "NOTICE", "00000", "about to fail", None, None)]))
    both("RAISE condition name", query("SELECT fail_named()"))
    both("exception caught in the function", query("SELECT caught(-2), caught(3)"))
    both("usable after the errors", lambda conn: (conn.execute("SELECT 1").fetchall(), status(conn)))

    def failed_block(conn):
        seen = []
        conn.execute("BEGIN")
        conn.execute("INSERT INTO tx_probe VALUES (1)")
        for step in ("SELECT fail_with(-1)", "SELECT 1", "SELECT fail_with(1)"):
            try:
                conn.execute(step)
                seen.append((step, "ok"))
            except psycopg.Error as e:
                seen.append((step, e.sqlstate, e.diag.message_primary))
            seen.append(status(conn))
        conn.execute("ROLLBACK")
        seen.append(status(conn))
        seen.append(conn.execute("SELECT count(*) FROM tx_probe").fetchall())
        return seen
    want = both("RAISE EXCEPTION in a transaction block", failed_block)
    expect("failed block (PostgreSQL)", want[0][1][2:5], [
        ("SELECT 1", "25P02", "current transaction is aborted, commands ignored until end of transaction block"),
        "INERROR", ("SELECT fail_with(1)", "25P02",
                    "current transaction is aborted, commands ignored until end of transaction block")])

    def savepoint_block(conn):
        seen = []
        conn.execute("BEGIN")
        conn.execute("INSERT INTO tx_probe VALUES (1)")
        conn.execute("SAVEPOINT s")
        try:
            conn.execute("SELECT fail_with(%s)", (-1,))
        except psycopg.Error as e:
            seen.append((e.sqlstate, status(conn)))
        conn.execute("ROLLBACK TO SAVEPOINT s")
        seen.append(status(conn))
        conn.execute("INSERT INTO tx_probe VALUES (%s)", (2,))
        conn.execute("COMMIT")
        seen.append(conn.execute("SELECT id FROM tx_probe ORDER BY id").fetchall())
        return seen
    both("RAISE EXCEPTION after a savepoint", savepoint_block)

    # 3. COPY FROM STDIN through a BEFORE ROW trigger that rewrites, skips and notices, and an
    # AFTER STATEMENT trigger.
    text_rows = [(1, "alice"), (2, "skip"), (3, None), (4, "bob")]
    want = both("COPY text through triggers", copy_rows("COPY people (id, name) FROM STDIN", text_rows))
    expect("COPY text through triggers (PostgreSQL)", want, (("ok", (2, "COPY 2")), [
        ("NOTICE", "NOTICE", "00000", "row 1 becomes ALICE", None, None),
        ("NOTICE", "NOTICE", "00000", "skipping row 2", None, None),
        ("NOTICE", "NOTICE", "00000", "skipping row 3", None, None),
        ("NOTICE", "NOTICE", "00000", "row 4 becomes BOB", None, None),
        ("NOTICE", "NOTICE", "00000", "statement trigger people_after_stmt fired", None, None)]))
    both("COPY binary through triggers",
         copy_rows("COPY people (id, name) FROM STDIN (FORMAT binary)", [(5, "carol"), (6, "skip"), (7, "dave")],
                   types=["int4", "text"]))
    both("COPY of no rows", copy_rows("COPY people FROM STDIN", []))
    both("people after COPY", rows("SELECT * FROM people ORDER BY id"))
    want = both("statement trigger fired once per COPY", rows("SELECT * FROM statement_log ORDER BY n"))
    expect("statement_log (PostgreSQL)", want[0][1], [
        ("people_after_stmt", "INSERT", "STATEMENT", "AFTER", "people", 2),
        ("people_after_stmt", "INSERT", "STATEMENT", "AFTER", "people", 4),
        ("people_after_stmt", "INSERT", "STATEMENT", "AFTER", "people", 4)])
    before = run(pg, rows("SELECT * FROM people ORDER BY id"))
    both("COPY failing in the BEFORE trigger",
         copy_rows("COPY people FROM STDIN", [(10, "x"), (11, "boom"), (12, "y")]))
    both("COPY failing in the BEFORE trigger: nothing loaded", rows("SELECT * FROM people ORDER BY id"))
    expect("COPY failing: nothing loaded (PostgreSQL)", run(pg, rows("SELECT * FROM people ORDER BY id")), before)
    both("statement_log after the failed COPY", rows("SELECT count(*) FROM statement_log"))

    # 4. Functions with parameters over the extended protocol: values and column types.
    calls = [
        ("SELECT label({p}, {p})", ("total", D("3.14159"))),
        ("SELECT label(t => {p}, x => {p}) AS named", ("n", D("-2.5"))),
        ("SELECT add_tax({p})", (D("10"),)),
        ("SELECT add_tax({p}, {p}), add_tax({p}::numeric, 0)", (D("19.99"), D("0.07"), D("5"))),
        ("SELECT sq({p}), sq({p}) + 1 AS next", (12, 40000)),
        ("SELECT * FROM squares({p})", (3,)),
        ("SELECT s.name, s.square FROM squares({p}) s WHERE s.i > {p} ORDER BY s.i DESC", (4, 2)),
        ("SELECT label({p}, sq({p})::numeric), fail_with({p})", ("sq", 9, 2)),
    ]
    for template, params in calls:
        # Every variant on both sides; one failure per distinct difference, naming its variants.
        differences = {}
        for p in ("%s", "%t", "%b"):
            sql = template.format(p=p)
            for prepare in ("unprepared", "prepared", "prepared again"):
                for binary in (False, True):
                    action = query(sql, params, prepare != "unprepared", binary)
                    got, want = run(helios, action), run(pg, action)
                    if got != want:
                        differences.setdefault((repr(got), repr(want)), []).append(
                            f"{p} {prepare} {'binary' if binary else 'text'}")
        for (got, want), variants in differences.items():
            expect(f"{template} {params} [{'; '.join(variants)}]", got, want)
    want = both("SELECT label(%s, %s) (1, 2)", query("SELECT label(%s, %s)", (1, 2)))
    expect("no such function (PostgreSQL)", want[0][1][2], "42883")
    want = both("SELECT label(%s, %s) described", query("SELECT label(%s, %s)", ("a", D("1.005"))))
    expect("label (PostgreSQL)", want[0][1][:2], ([("label", 25)], [("a: 1.01",)]))
    want = both("SELECT * FROM squares(%s) described", query("SELECT * FROM squares(%s)", (2,), prepare=True))
    expect("squares (PostgreSQL)", want[0][1][:2],
           ([("i", 23), ("square", 20), ("name", 25)], [(1, 1, "n1"), (2, 4, "n2")]))

    # 5. INSERT / UPDATE / DELETE ... RETURNING while triggers rewrite, skip and audit.
    insert = "INSERT INTO accounts VALUES (%s, %s, %s), (%s, %s, %s), (%s, %s, %s) RETURNING id, owner, balance"
    want = both("INSERT ... RETURNING (extended)", query(insert, (1, " Ann ", D("10.5"), 2, "BOB", D("-1"), 3, "Cy",
                                                                  D("0.125"))))
    expect("INSERT ... RETURNING (PostgreSQL)", want[0][1][1:],
           ([(1, "ann", D("10.50")), (3, "cy", D("0.13"))], 2, "INSERT 0 2"))
    both("INSERT ... RETURNING (prepared, binary)",
         query(insert, (4, "Dee", D("7"), 5, "Eve", D("-2"), 6, "Fay", D("8")), prepare=True, binary=True))
    both("INSERT ... RETURNING (prepared again)",
         query(insert, (7, "Gus", D("1"), 8, "Hal", D("2"), 9, "Ida", D("-3")), prepare=True))

    def many(conn):
        with conn.cursor() as cur:
            cur.executemany("INSERT INTO accounts VALUES (%s, %s, %s) RETURNING *",
                            [(10, "Jo", D("1")), (11, "Kim", D("-1")), (12, "Lu ", D("3"))], returning=True)
            out = []
            while True:
                out.append((cur.fetchall(), cur.rowcount, cur.statusmessage))
                if not cur.nextset():
                    return out
    both("executemany ... RETURNING (pipeline)", many)
    both("UPDATE ... RETURNING", sorted_rows(query("UPDATE accounts SET balance = balance + %s, owner = upper(owner) "
                                       "WHERE id < %s RETURNING id, owner, balance", (D("1.01"), 4))))
    both("DELETE ... RETURNING",
         sorted_rows(query("DELETE FROM accounts WHERE id IN (%s, %s) RETURNING *", (4, 7), prepare=True)))
    both("accounts", rows("SELECT * FROM accounts ORDER BY id"))
    # The order of one UPDATE's or DELETE's rows is the storage's, and so is the order of their seq.
    audit = rows("SELECT op, account_id, owner, balance, (SELECT max(seq) FROM audit) FROM audit "
                 "ORDER BY account_id, seq")
    want = both("audit", audit)
    expect("audit rows (PostgreSQL)", len(want[0][1]), 12)

    # 6. An exception in an AFTER trigger rolls the whole statement back.
    both("guarded: first rows", query("INSERT INTO guarded VALUES (1, 10), (2, 20)"))
    snapshot = lambda conn: (rows("SELECT * FROM guarded ORDER BY id")(conn),
                             rows("SELECT * FROM guard_log ORDER BY id, v")(conn))
    before = both("guarded before", snapshot)
    failing = [
        ("AFTER ROW fails on INSERT (simple)", query("INSERT INTO guarded VALUES (3, 30), (4, 400), (5, 50)")),
        ("AFTER ROW fails on INSERT (extended)",
         query("INSERT INTO guarded VALUES (%s, %s), (%s, %s) RETURNING *", (6, 60, 7, 700), prepare=True)),
        ("AFTER ROW fails on UPDATE", query("UPDATE guarded SET v = v * %s", (10,))),
        ("AFTER STATEMENT fails on INSERT", query("INSERT INTO guarded VALUES (8, 80), (9, 90)")),
        ("AFTER STATEMENT fails on UPDATE", query("UPDATE guarded SET v = v + 70 RETURNING id, v")),
        ("AFTER ROW fails on COPY", copy_rows("COPY guarded FROM STDIN", [(10, 1), (11, 101)])),
    ]
    for what, action in failing:
        want = both(what, action)
        expect(f"{what}: an error (PostgreSQL)", want[0][0], "error")
        both(f"{what}: nothing changed", snapshot)
        expect(f"{what}: nothing changed (PostgreSQL)", run(pg, snapshot), before)
    # Every row fails accounts_zcheck, so the first row's fails whatever the scan order; its
    # accounts_audit ran first (the triggers of a row fire in name order, row after row) and
    # took a sequence value that stays taken.
    before = both("accounts before", rows("SELECT * FROM accounts ORDER BY id"))
    want = both("AFTER ROW fails on UPDATE ... RETURNING of accounts",
                query("UPDATE accounts SET balance = balance - %s RETURNING *", (D("1000"),)))
    expect("AFTER ROW fails on UPDATE ... RETURNING of accounts (PostgreSQL)", want,
           (("error", ("ERROR", "ERROR", "23514", "account would be overdrawn", None, None)), []))
    expect("accounts unchanged", run(helios, rows("SELECT * FROM accounts ORDER BY id")), before)
    both("audit unchanged", audit)
    want = both("sequence values used by the failed statement stay used",
                query("INSERT INTO accounts VALUES (%s, %s, %s) RETURNING id", (20, "new", D("1"))))
    both("audit of the next insert", rows("SELECT * FROM audit WHERE account_id = 20"))
    both("guarded: a statement within the limits", sorted_rows(query("UPDATE guarded SET v = v + 1 RETURNING *")))
    both("guarded after", snapshot)
finally:
    subprocess.run([PG15, str(PORT), "stop"])
finish("functions and triggers")
