#!/usr/bin/env python3
"""Who may log in, as PostgreSQL 15 decides it: a role's CONNECTION LIMIT, a database's CONNECTION
LIMIT and ALLOW_CONNECTIONS (CREATE / ALTER DATABASE, transactional, shown in pg_database),
superusers exempt from the limits. Also passes against PostgreSQL 15 (HELIOSDB_TEST_TARGET=pg)."""
import os
import re
import time

import psycopg

from client_common import expect, finish

admin = psycopg.connect(connect_timeout=10, autocommit=True)
open_connections = []


SUPERUSER = os.environ["PGUSER"]


def login(user, dbname="postgres"):
    """Connects and keeps the connection open: "ok", or the server's reason for refusing."""
    password = os.environ.get("PGPASSWORD", "") if user == SUPERUSER else "pw"
    try:
        conn = psycopg.connect(connect_timeout=10, autocommit=True, user=user, password=password, dbname=dbname)
    except psycopg.OperationalError as e:
        found = re.search(r"FATAL:  (.*)", str(e))
        return found.group(1) if found else str(e)
    open_connections.append(conn)
    return "ok"


def close_all():
    while open_connections:
        open_connections.pop().close()
    # The server ends a closed connection's session a moment later (PostgreSQL's backend exits
    # asynchronously too): wait until only this one is left, so a limit counts what it should.
    for _ in range(200):
        if admin.execute("SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
                         "AND backend_type = 'client backend'").fetchone()[0] == 0:
            break
        time.sleep(0.05)


def error(sql):
    try:
        admin.execute(sql)
        return "ok"
    except psycopg.Error as e:
        return (e.sqlstate, e.diag.message_primary)


admin.execute("DROP DATABASE IF EXISTS limdb")
admin.execute("DROP ROLE IF EXISTS limited")
admin.execute("CREATE ROLE limited LOGIN PASSWORD 'pw' CONNECTION LIMIT 1")
expect("first login of a role limited to one", login("limited"), "ok")
expect("second login", login("limited"), 'too many connections for role "limited"')
close_all()
expect("after the first logged out", login("limited"), "ok")
admin.execute("ALTER ROLE limited CONNECTION LIMIT 2")
expect("ALTER ROLE ... CONNECTION LIMIT 2", login("limited"), "ok")
expect("the third", login("limited"), 'too many connections for role "limited"')
expect("superusers have no limit", [login(SUPERUSER) for _ in range(3)], ["ok", "ok", "ok"])
close_all()
admin.execute("ALTER ROLE limited CONNECTION LIMIT -1")

admin.execute("CREATE DATABASE limdb CONNECTION LIMIT 1")
DB = "SELECT datallowconn, datconnlimit FROM pg_database WHERE datname = 'limdb'"
expect("pg_database after CREATE DATABASE ... CONNECTION LIMIT 1", admin.execute(DB).fetchall(), [(True, 1)])
expect("first login to a database limited to one", login("limited", "limdb"), "ok")
expect("second login to it", login("limited", "limdb"), 'too many connections for database "limdb"')
expect("a superuser's", login(SUPERUSER, "limdb"), "ok")
close_all()
admin.execute("BEGIN")
admin.execute("ALTER DATABASE limdb CONNECTION LIMIT 5")
admin.execute("ROLLBACK")
expect("ALTER DATABASE rolled back", admin.execute(DB).fetchall(), [(True, 1)])
admin.execute("ALTER DATABASE limdb WITH ALLOW_CONNECTIONS false CONNECTION LIMIT -1")
expect("pg_database after ALTER DATABASE", admin.execute(DB).fetchall(), [(False, -1)])
expect("a database not allowing connections", login(SUPERUSER, "limdb"),
       'database "limdb" is not currently accepting connections')
admin.execute("ALTER DATABASE limdb ALLOW_CONNECTIONS true")
expect("allowed again", login("limited", "limdb"), "ok")
close_all()
expect("a bad limit", error("ALTER DATABASE limdb CONNECTION LIMIT -2"), ("22023", "invalid connection limit: -2"))
expect("no such database", error("ALTER DATABASE nosuch CONNECTION LIMIT 1"), ("3D000", 'database "nosuch" does not exist'))
expect("own database", error("ALTER DATABASE postgres ALLOW_CONNECTIONS false"),
       ("22023", "cannot disallow connections for current database"))
owner_check = psycopg.connect(connect_timeout=10, autocommit=True, user="limited", password="pw", dbname="postgres")
try:
    owner_check.execute("ALTER DATABASE limdb CONNECTION LIMIT 3")
    expect("ALTER DATABASE by another role", "ok", "42501")
except psycopg.Error as e:
    expect("ALTER DATABASE by another role", (e.sqlstate, e.diag.message_primary), ("42501", "must be owner of database limdb"))
owner_check.close()
admin.execute("DROP DATABASE limdb")
admin.execute("DROP ROLE limited")
admin.close()
finish("connection limits")
