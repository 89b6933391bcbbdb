#!/usr/bin/env python3
"""heliosdb-nano, the server binary: defaults, heliosdb.toml (every key of the sample, and clear
errors naming key and line), flags over the file, the users file (user add / passwd / remove /
list), SIGHUP reloading it, TLS modes, trust for loopback clients only on a fresh cluster, the
data-directory lock, log lines, SIGTERM, --memory, and how fast it starts.

    server_binary_test.py /path/to/heliosdb-nano
"""
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

import psycopg2

from client_common import expect, finish

BINARY = os.path.abspath(sys.argv[1])


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(*args, stdin=None, cwd=None):
    return subprocess.run([BINARY, *args], input=stdin, capture_output=True, text=True, cwd=cwd, timeout=30)


class Server:
    """A running heliosdb-nano; its stderr (the log) is kept in a file."""

    def __init__(self, *args, cwd=None):
        self.log_path = tempfile.mktemp(prefix="heliosdb-log-")
        self.log = open(self.log_path, "w+")
        self.started = time.monotonic()
        self.proc = subprocess.Popen([BINARY, *args], stdout=subprocess.PIPE, stderr=self.log, text=True, cwd=cwd)
        self.line = self.proc.stdout.readline()
        self.ready_after = time.monotonic() - self.started
        m = re.search(r"listening on ([^ ]+):(\d+)", self.line)
        self.port = int(m.group(2)) if m else None

    def stop(self, sig=signal.SIGTERM):
        self.proc.send_signal(sig)
        code = self.proc.wait(timeout=20)
        return code

    def text(self):
        self.log.flush()
        with open(self.log_path) as f:
            return f.read()


def connect(port, user="postgres", password=None, **kw):
    return psycopg2.connect(host=kw.pop("host", "127.0.0.1"), port=port, user=user, password=password,
                            dbname=kw.pop("dbname", "postgres"), connect_timeout=10, sslmode=kw.pop("sslmode", "disable"), **kw)


def refused(port, **kw):
    try:
        connect(port, **kw).close()
        return "connected"
    except psycopg2.OperationalError as e:
        return str(e).strip().splitlines()[-1] if str(e).strip() else "error"


tmp = tempfile.mkdtemp(prefix="heliosdb-binary-")

# --version and --help.
r = run("--version")
expect("--version", (r.returncode, r.stdout.startswith("heliosdb-nano ")), (0, True))
r = run("--help")
expect("--help", (r.returncode, "--config FILE" in r.stdout and "user add NAME" in r.stdout), (0, True))
r = run("--no-such-flag")
expect("unknown flag", (r.returncode, "unknown option --no-such-flag" in r.stderr), (2, True))

# No arguments: ./heliosdb-data on 127.0.0.1:5432, a postgres database, trust for loopback.
cwd = os.path.join(tmp, "cwd")
os.makedirs(cwd)
s = Server(cwd=cwd)
if s.port:
    expect("default address", s.line.split(" (")[0].endswith("listening on 127.0.0.1:5432"), True)
    expect("default data directory", os.path.isdir(os.path.join(cwd, "heliosdb-data", "postgres")), True)
    c = connect(5432)
    cur = c.cursor()
    cur.execute("SELECT current_database(), current_user")
    expect("fresh cluster: postgres database and user", cur.fetchone(), ("postgres", "postgres"))
    c.close()
    expect("SIGTERM ends it cleanly", s.stop(), 0)
    print(f"cold start to listening: {s.ready_after * 1000:.0f} ms (empty data directory, includes process start)")
else:
    # Something else listens on 5432 here: the defaults still show in the error.
    s.proc.wait(timeout=20)
    expect("default address (5432 busy)", "127.0.0.1:5432" in s.text(), True)

# A config file with every key of the sample; the users file and a TLS certificate.
cert, key = os.path.join(tmp, "server.crt"), os.path.join(tmp, "server.key")
subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
                "-subj", "/CN=localhost"], check=True, capture_output=True)
users = os.path.join(tmp, "users.conf")
data = os.path.join(tmp, "tenants")
port = free_port()
conf = os.path.join(tmp, "heliosdb.toml")
sample = f"""
[server]
host = "127.0.0.1"
port = {port}
protocol = "postgres"
[server.authentication]
method = "scram-sha-256"           # trust | password | md5 | scram-sha-256
users_file = "{users}"
[server.ssl]
enabled = true
cert_file = "{cert}"
key_file = "{key}"
mode = "require"                   # require | prefer | allow | disable
[server.limits]
max_connections = 100
prepared_statement_cache_size = 100
query_timeout_seconds = 30
[database]
data_dir = "{data}"                # one sub-directory per database
enable_wal = false                 # false = synchronous_commit off
memory_limit_mb = 256
[performance]
connection_pool_size = 50
"""
with open(conf, "w") as f:
    f.write(sample)

# Users: add (password from standard input), list, passwd, remove.
r = run("user", "add", "alice", "--config", conf, stdin="alice-pw\n")
expect("user add", (r.returncode, r.stdout.strip()), (0, f'user "alice" added to {users}'))
r = run("user", "add", "bob", "--config", conf, stdin="bob-pw\n")
expect("user add bob", r.returncode, 0)
r = run("user", "add", "alice", "--config", conf, stdin="again\n")
expect("user add twice", (r.returncode, "already exists" in r.stderr), (1, True))
r = run("user", "list", "--config", conf)
expect("user list", r.stdout.split(), ["alice", "bob"])
expect("users file holds verifiers only", "alice-pw" in open(users).read(), False)
expect("users file mode", oct(os.stat(users).st_mode & 0o777), "0o600")

s = Server("--config", conf)
expect("config: listening on its port", s.port, port)
c = connect(port, "alice", "alice-pw", sslmode="require")
expect("TLS in use", c.info.ssl_in_use, True)
cur = c.cursor()
cur.execute("SHOW synchronous_commit")
expect("enable_wal = false", cur.fetchone()[0], "off")
cur.execute("SHOW statement_timeout")
expect("query_timeout_seconds", cur.fetchone()[0], "30s")
c.close()
expect("mode require refuses plain connections", "no encryption" in refused(port, user="alice", password="alice-pw"), True)
expect("wrong password", "password authentication failed" in refused(port, user="alice", password="x", sslmode="require"), True)
expect("data_dir holds the databases", os.path.isdir(os.path.join(data, "postgres")), True)

# A second instance on the same data directory refuses to start.
r = run("--config", conf, "--port", str(free_port()))
expect("second instance refused", (r.returncode, "is in use by another heliosdb-nano" in r.stderr), (1, True))

# passwd and remove, then SIGHUP: new connections see the users file as it is now.
r = run("user", "passwd", "alice", "--config", conf, stdin="new-pw\n")
expect("user passwd", r.returncode, 0)
r = run("user", "remove", "bob", "--config", conf)
expect("user remove", r.returncode, 0)
expect("old password before SIGHUP", connect(port, "alice", "alice-pw", sslmode="require").info.ssl_in_use, True)
s.proc.send_signal(signal.SIGHUP)
time.sleep(0.5)
expect("old password after SIGHUP", "password authentication failed" in refused(port, user="alice", password="alice-pw", sslmode="require"), True)
expect("new password after SIGHUP", connect(port, "alice", "new-pw", sslmode="require").info.ssl_in_use, True)
expect("removed user after SIGHUP", "password authentication failed" in refused(port, user="bob", password="bob-pw", sslmode="require"), True)

# SIGTERM: a client's open transaction is not committed, and the server says what it does.
c = connect(port, "alice", "new-pw", sslmode="require")
cur = c.cursor()
cur.execute("CREATE TABLE kept (i int)")
c.commit()
cur.execute("INSERT INTO kept VALUES (1)")  # left open
expect("SIGTERM exit status", s.stop(), 0)
log = s.text()
line = r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} UTC \[(server|conn \d+)\] (DEBUG|LOG|WARNING|ERROR):  "
expect("log lines: time, connection, level", all(re.match(line, l) for l in log.splitlines() if l), True)
expect("log: connection authorized", re.search(r"\[conn \d+\] LOG:  connection authorized: host=127\.0\.0\.1 user=alice database=postgres SSL enabled", log) is not None, True)
expect("log: failed password", re.search(r"\[conn \d+\] ERROR:  password authentication failed for user \"alice\" \(28P01\)", log) is not None, True)
expect("log: SIGHUP", "received SIGHUP: 1 users read from" in log, True)
expect("log: shutdown", "shut down" in log, True)
s = Server("--config", conf)
c = connect(port, "alice", "new-pw", sslmode="require")
cur = c.cursor()
cur.execute("SELECT count(*) FROM kept")
expect("open transaction rolled back at SIGTERM", cur.fetchone()[0], 0)
c.close()
s.stop()

# Flags override the file.
port2 = free_port()
s = Server("--config", conf, "--port", str(port2), "--tls-mode", "prefer", "--log-level", "warning")
expect("--port over the file", s.port, port2)
c = connect(port2, "alice", "new-pw")
expect("--tls-mode prefer: plain connection", c.info.ssl_in_use, False)
c.close()
s.stop()
expect("--log-level warning: no LOG lines", " LOG:  " in s.text(), False)

# Mistakes in the file: the key and the line, and no start.
def bad(text):
    path = os.path.join(tmp, "bad.toml")
    with open(path, "w") as f:
        f.write(text)
    r = run("--config", path, cwd=tmp)
    return r.returncode, r.stderr.strip()

expect("unknown key", bad('[server]\nport = 5433\nhots = "x"\n'), (2, f'heliosdb-nano: {tmp}/bad.toml:3: unknown key "server.hots"'))
expect("unknown section", bad('[sever]\nport = 1\n'), (2, f'heliosdb-nano: {tmp}/bad.toml:1: unknown section [sever]'))
expect("wrong type", bad('[server]\nport = "5433"\n'), (2, f'heliosdb-nano: {tmp}/bad.toml:2: "server.port" must be an integer'))
expect("out of range", bad('[server]\nport = 70000\n'), (2, f'heliosdb-nano: {tmp}/bad.toml:2: "server.port" must be between 0 and 65535'))
expect("bad choice", bad('[server.authentication]\nmethod = "kerberos"\n'),
       (2, f'heliosdb-nano: {tmp}/bad.toml:2: "server.authentication.method" must be one of trust, password, md5, scram-sha-256'))
expect("bad bool", bad('[database]\nenable_wal = "yes"\n'), (2, f'heliosdb-nano: {tmp}/bad.toml:2: "database.enable_wal" must be true or false'))
code, msg = bad('[server]\nport = \n')
expect("syntax error names the line", (code, msg.startswith(f"heliosdb-nano: {tmp}/bad.toml:2: ")), (2, True))
code, msg = bad('[server.ssl]\nmode = "require"\n')
expect("require without a certificate", (code, "no certificate" in msg), (1, True))

# A fresh cluster (no users, no method configured): trust, for loopback clients only.
fresh = os.path.join(tmp, "fresh")
s = Server("--data-dir", fresh, "--host", "0.0.0.0", "--port", "0")
c = connect(s.port)
expect("trust on loopback", c.info.user, "postgres")
c.close()
others = [a for a in subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout.split() if ":" not in a]
if others:
    expect("trust refused off loopback", "no pg_hba.conf entry" in refused(s.port, host=others[0]), True)
else:
    print("(no non-loopback IPv4 address here: the off-loopback refusal was not exercised)")
s.stop()

# Many databases: CREATE DATABASE / DROP DATABASE (errors as PostgreSQL's), each in its own
# directory, isolated, selected by the connection's database; refused while in use.
import psycopg2.errors  # noqa: E402

def sqlstate(conn, sql):
    try:
        conn.cursor().execute(sql)
        return "ok"
    except psycopg2.Error as e:
        return e.pgcode

tenants = os.path.join(tmp, "cluster")
s = Server("--data-dir", tenants, "--port", "0")
c = connect(s.port)
c.autocommit = True
cur = c.cursor()
cur.execute("CREATE DATABASE tenant_a")
expect("CREATE DATABASE tag", cur.statusmessage, "CREATE DATABASE")
expect("a directory per database", sorted(os.listdir(tenants)), ["heliosdb.pid", "postgres", "tenant_a"])
expect("CREATE DATABASE twice", sqlstate(c, "CREATE DATABASE tenant_a"), "42P04")
cur.execute("CREATE DATABASE tenant_b")
cur.execute("SELECT datname FROM pg_database ORDER BY 1")
expect("pg_database lists them", cur.fetchall(), [("postgres",), ("tenant_a",), ("tenant_b",)])
out = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(s.port), "-U", "postgres", "-Atc", "\\l", "postgres"],
                     capture_output=True, text=True).stdout
expect("\\l", [l.split("|")[0] for l in out.splitlines()], ["postgres", "tenant_a", "tenant_b"])
a = connect(s.port, dbname="tenant_a")
a.autocommit = True
a.cursor().execute("CREATE TABLE t (v text)")
a.cursor().execute("INSERT INTO t VALUES ('only in tenant_a')")
b = connect(s.port, dbname="tenant_b")
expect("databases are isolated", sqlstate(b, "SELECT * FROM t"), "42P01")
b.close()
expect("missing database", "does not exist" in refused(s.port, dbname="nope"), True)
cur.execute("BEGIN")
expect("CREATE DATABASE in a transaction block", sqlstate(c, "CREATE DATABASE x"), "25001")
cur.execute("ROLLBACK")
try:
    cur.execute("DROP DATABASE tenant_a")
    expect("DROP DATABASE while connected", "dropped", "55006")
except psycopg2.Error as e:
    expect("DROP DATABASE while connected", (e.pgcode, e.diag.message_detail),
           ("55006", "There is 1 other session using the database."))
expect("DROP DATABASE of its own", sqlstate(c, "DROP DATABASE postgres"), "55006")
a.close()
time.sleep(0.2)
cur.execute("DROP DATABASE tenant_a")
expect("DROP DATABASE tag", cur.statusmessage, "DROP DATABASE")
expect("its directory is gone", os.path.exists(os.path.join(tenants, "tenant_a")), False)
cur.execute("DROP DATABASE IF EXISTS tenant_a")
expect("DROP DATABASE IF EXISTS notice", c.notices[-1].strip(), 'NOTICE:  database "tenant_a" does not exist, skipping')
expect("DROP DATABASE missing", sqlstate(c, "DROP DATABASE tenant_a"), "3D000")
c.close()
s.stop()
s = Server("--data-dir", tenants, "--port", "0", "--create-databases")
c = connect(s.port, dbname="made_on_connect")
expect("--create-databases", c.info.dbname, "made_on_connect")
c.close()
s.stop()
expect("made on connect, on disk", os.path.isdir(os.path.join(tenants, "made_on_connect")), True)

# --memory: nothing on disk.
s = Server("--memory", "--data-dir", os.path.join(tmp, "never"), "--port", "0")
c = connect(s.port)
c.autocommit = True
c.cursor().execute("CREATE TABLE m (i int)")
c.close()
s.stop()
expect("--memory leaves no files", os.path.exists(os.path.join(tmp, "never")), False)

# Roles over SQL: they log in (a fresh cluster trusts loopback only until a role has a password,
# then asks for it), NOLOGIN roles and unknown roles are refused, grants are enforced, and roles
# outlive restarts in the cluster's roles.json, which holds verifiers, never passwords.
roles_dir = os.path.join(tmp, "roles")
s = Server("--data-dir", roles_dir, "--port", "0")
expect("unknown role under trust", refused(s.port, user="nobody").endswith('FATAL:  role "nobody" does not exist'), True)
c = connect(s.port)
c.autocommit = True
cur = c.cursor()
cur.execute("CREATE ROLE app LOGIN PASSWORD 'app-pw'")
cur.execute("CREATE ROLE batch PASSWORD 'batch-pw'")  # NOLOGIN
cur.execute("CREATE TABLE accounts (id int PRIMARY KEY, owner text)")
cur.execute("INSERT INTO accounts VALUES (1, 'ann')")
cur.execute("GRANT SELECT ON accounts TO app")
cur.execute("ALTER ROLE postgres PASSWORD 'admin-pw'")
c.close()
s.stop()
stored = open(os.path.join(roles_dir, "roles.json")).read()
expect("roles.json: verifiers, not passwords", ("app-pw" in stored, "SCRAM-SHA-256$" in stored), (False, True))
s = Server("--data-dir", roles_dir, "--port", "0")
expect("passwords now asked for", "password" in refused(s.port, user="app", password="wrong"), True)
expect("NOLOGIN role refused", refused(s.port, user="batch", password="batch-pw").endswith('FATAL:  role "batch" is not permitted to log in'), True)
expect("unknown role with a password", "password authentication failed" in refused(s.port, user="nobody", password="x"), True)
c = connect(s.port, "postgres", "admin-pw")
c.autocommit = True
c.cursor().execute("CREATE ROLE expired LOGIN PASSWORD 'old-pw' VALID UNTIL '2001-01-01'")
c.close()
expect("VALID UNTIL in the past", "password authentication failed" in refused(s.port, user="expired", password="old-pw"), True)
c = connect(s.port, "app", "app-pw")
c.autocommit = True
cur = c.cursor()
cur.execute("SELECT current_user, owner FROM accounts")
expect("a role logs in and reads what it was granted", cur.fetchone(), ("app", "ann"))
expect("what it was not granted", sqlstate(c, "INSERT INTO accounts VALUES (2, 'bob')"), "42501")
expect("CREATE in public (PostgreSQL 15)", sqlstate(c, "CREATE TABLE mine (i int)"), "42501")
c.close()
c = connect(s.port, "postgres", "admin-pw")
c.autocommit = True
c.cursor().execute("GRANT CREATE ON SCHEMA public TO app")
c.close()
c = connect(s.port, "app", "app-pw")
c.autocommit = True
cur = c.cursor()
cur.execute("CREATE TABLE mine (i int)")
cur.execute("SELECT tableowner FROM pg_tables WHERE tablename = 'mine'")
expect("the creator owns what it creates", cur.fetchone(), ("app",))
c.close()
# CREATEDB: a role makes its own database, owns it, and may create in its public schema.
c = connect(s.port, "app", "app-pw")
c.autocommit = True
expect("CREATE DATABASE without CREATEDB", sqlstate(c, "CREATE DATABASE appdb"), "42501")
c.close()
c = connect(s.port, "postgres", "admin-pw")
c.autocommit = True
c.cursor().execute("ALTER ROLE app CREATEDB")
c.cursor().execute("ALTER ROLE app SET statement_timeout = '7s'")
c.close()
c = connect(s.port, "app", "app-pw")
c.autocommit = True
cur = c.cursor()
cur.execute("SHOW statement_timeout")
expect("ALTER ROLE ... SET applies at login", cur.fetchone(), ("7s",))
c.cursor().execute("CREATE DATABASE appdb")
cur = c.cursor()
cur.execute("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'appdb'")
expect("the creator owns the database", cur.fetchone(), ("app",))
c.close()
c = connect(s.port, "app", "app-pw", dbname="appdb")
c.autocommit = True
expect("the database owner creates in public", sqlstate(c, "CREATE TABLE t (i int)"), "ok")
c.close()
c = connect(s.port, "postgres", "admin-pw")
c.autocommit = True
try:
    c.cursor().execute("DROP ROLE app")
    expect("DROP ROLE of a database owner", "dropped", "2BP01")
except psycopg2.Error as e:
    expect("DROP ROLE of a database owner", (e.pgcode, "owner of database appdb" in (e.diag.message_detail or "")), ("2BP01", True))
c.close()
c = connect(s.port, "app", "app-pw")
c.autocommit = True
expect("DROP DATABASE by a non-owner", sqlstate(c, "DROP DATABASE postgres"), "42501")
expect("the owner drops its database", sqlstate(c, "DROP DATABASE appdb"), "ok")
c.close()
out = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(s.port), "-U", "postgres", "-Atc", "\\du", "postgres"],
                     capture_output=True, text=True, env=dict(os.environ, PGPASSWORD="admin-pw")).stdout
expect("\\du", [l.split("|")[0] for l in out.splitlines()], ["app", "batch", "expired", "postgres"])
s.stop()

finish("server binary")
