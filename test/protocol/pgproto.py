#!/usr/bin/env python3
"""Raw PostgreSQL v3 protocol tests, one readable line per message.

    pgproto.py [--generate] FILE...        (the server: PGHOST, PGPORT; user and database "postgres")

A test file is a script of what a client sends ("> ") and what the server must answer ("< "):

    # comments and blank lines are ignored
    connect                       # a new connection with a normal startup (its messages are not compared)
    connect-raw                   # a new connection with nothing sent yet (write the startup yourself)
    > Parse "" "SELECT $1::int" [23]
    > Bind "" "" [1] ["42"] [0]
    > Execute "" 0
    > Sync
    < ParseComplete
    < BindComplete
    < DataRow ["42"]
    < CommandComplete "SELECT 1"
    < ReadyForQuery I
    cancel                        # sends a CancelRequest for this connection (after 0.3 s)
    wait                          # reads what the server sends unasked (the "< " lines after it)

After each run of "> " lines the runner reads one message per following "< " line and compares
its rendering with the line. With --generate it prints the file back with the "< " lines replaced
by what the server answered, reading until ReadyForQuery (or the connection closes): run that
against PostgreSQL 15 to take the expectations from PostgreSQL itself.

Frontend messages: Query "sql" | Parse "stmt" "sql" [oids] | Bind "portal" "stmt" [formats]
[values] [result formats] (values: "text", null or x'hex') | Describe S|P "name" | Execute "portal" N |
Close S|P "name" | Sync | Flush | Terminate | CopyData "text" | CopyDone | CopyFail "why" |
Startup 3.0 {"user": "postgres", ...} | SSLRequest | GSSENCRequest | Raw 'T' x'body' (a message
with any type byte and body) | RawBytes x'...' (bytes as they are).
"""
import json
import re
import select
import socket
import struct
import sys
import time

# ParameterStatus values that must match PostgreSQL's; others are compared by name only
# (server_version and TimeZone name the server build and machine).
STABLE_PARAMS = {"application_name", "client_encoding", "DateStyle", "default_transaction_read_only", "in_hot_standby",
                 "integer_datetimes", "IntervalStyle", "is_superuser", "server_encoding", "standard_conforming_strings",
                 "extra_float_digits"}

TOKEN = re.compile(r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<hex>x\'[0-9a-fA-F]*\')|(?P<chr>\'.\')|(?P<json>\{.*\})|'
                   r'(?P<list>\[[^\]]*\])|(?P<word>[^\s\[\]"]+))')


def tokens(text):
    out, pos = [], 0
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m or m.end() == pos:
            if text[pos:].strip() == "":
                break
            raise ValueError(f"cannot read {text[pos:]!r}")
        pos = m.end()
        kind = m.lastgroup
        v = m.group(kind)
        if kind == "str":
            out.append(json.loads(v))
        elif kind == "hex":
            out.append(bytes.fromhex(v[2:-1]))
        elif kind == "chr":
            out.append(v[1])
        elif kind == "json":
            out.append(json.loads(v))
        elif kind == "list":
            out.append([t for t in tokens(v[1:-1].replace(",", " "))])
        else:
            out.append(int(v) if re.fullmatch(r"-?\d+", v) else None if v == "null" else v)
    return out


def cstr(s):
    return s.encode() + b"\0"


def msg(kind, body):
    return kind.encode() + struct.pack("!i", len(body) + 4) + body


def encode(line):
    t = tokens(line)
    name, a = t[0], t[1:]
    if name == "Query":
        return msg("Q", cstr(a[0]))
    if name == "Parse":
        oids = a[2] if len(a) > 2 else []
        return msg("P", cstr(a[0]) + cstr(a[1]) + struct.pack("!h", len(oids)) + b"".join(struct.pack("!I", o) for o in oids))
    if name == "Bind":
        formats, values, results = (a[2:] + [[], [], []])[:3]
        body = cstr(a[0]) + cstr(a[1]) + struct.pack("!h", len(formats)) + b"".join(struct.pack("!h", f) for f in formats)
        body += struct.pack("!h", len(values))
        for v in values:
            if v is None:
                body += struct.pack("!i", -1)
            else:
                b = v if isinstance(v, bytes) else str(v).encode()
                body += struct.pack("!i", len(b)) + b
        body += struct.pack("!h", len(results)) + b"".join(struct.pack("!h", f) for f in results)
        return msg("B", body)
    if name in ("Describe", "Close"):
        return msg(name[0] if name == "Describe" else "C", a[0].encode() + cstr(a[1]))
    if name == "Execute":
        return msg("E", cstr(a[0]) + struct.pack("!i", a[1] if len(a) > 1 else 0))
    if name in ("Sync", "Flush", "Terminate", "CopyDone"):
        return msg({"Sync": "S", "Flush": "H", "Terminate": "X", "CopyDone": "c"}[name], b"")
    if name == "CopyData":
        return msg("d", a[0] if isinstance(a[0], bytes) else a[0].encode())
    if name == "CopyFail":
        return msg("f", cstr(a[0]))
    if name == "Startup":
        major, minor = (int(x) for x in str(a[0]).split("."))
        body = struct.pack("!i", major << 16 | minor) + b"".join(cstr(k) + cstr(v) for k, v in a[1].items()) + b"\0"
        return struct.pack("!i", len(body) + 4) + body
    if name in ("SSLRequest", "GSSENCRequest"):
        return struct.pack("!ii", 8, 80877103 if name == "SSLRequest" else 80877104)
    if name == "Raw":
        return msg(a[0], a[1] if len(a) > 1 else b"")
    if name == "RawBytes":
        return a[0]
    raise ValueError(f"unknown message {name}")


def q(s):
    return json.dumps(s, ensure_ascii=False)


def value(b):
    if b is None:
        return "null"
    try:
        s = b.decode()
        if all(ch.isprintable() or ch in "\t\n\r" for ch in s):
            return q(s)
    except UnicodeDecodeError:
        pass
    return f"x'{b.hex()}'"


def fields(body):
    out, pos = {}, 0
    while pos < len(body) and body[pos] != 0:
        code = chr(body[pos])
        end = body.index(b"\0", pos + 1)
        out[code] = body[pos + 1:end].decode()
        pos = end + 1
    return out


def render(kind, body):
    def cstrings(data):
        return [s.decode() for s in data.split(b"\0")[:-1]]

    if kind in "EN":
        f = fields(body)
        line = f"{'ErrorResponse' if kind == 'E' else 'NoticeResponse'} {f.get('S')} {f.get('C')} {q(f.get('M', ''))}"
        for code, label in (("D", "detail"), ("H", "hint"), ("P", "position")):
            if code in f:
                line += f" {label}={q(f[code])}"
        # The fields naming the object an error is about, in the order they came.
        objects = {"s": "schema", "t": "table", "c": "column", "d": "datatype", "n": "constraint"}
        for code in f:
            if code in objects:
                line += f" {objects[code]}={q(f[code])}"
        return line
    if kind == "T":
        (n,) = struct.unpack_from("!h", body)
        pos, cols = 2, []
        for _ in range(n):
            end = body.index(b"\0", pos)
            name = body[pos:end].decode()
            table, col, typ, size, mod, fmt = struct.unpack_from("!IhIhih", body, end + 1)
            pos = end + 19
            cols.append(f"{name}:{typ}:{mod}:{fmt}" + (f":col{col}" if table else ""))
        return f"RowDescription [{', '.join(cols)}]"
    if kind == "D":
        (n,) = struct.unpack_from("!h", body)
        pos, vals = 2, []
        for _ in range(n):
            (ln,) = struct.unpack_from("!i", body, pos)
            pos += 4
            vals.append(None if ln < 0 else body[pos:pos + ln])
            pos += max(ln, 0)
        return f"DataRow [{', '.join(value(v) for v in vals)}]"
    if kind == "C":
        return f"CommandComplete {q(cstrings(body)[0])}"
    if kind == "Z":
        return f"ReadyForQuery {body.decode()}"
    if kind == "t":
        (n,) = struct.unpack_from("!h", body)
        return f"ParameterDescription [{', '.join(str(x) for x in struct.unpack_from(f'!{n}I', body, 2))}]"
    if kind == "S":
        name, val = cstrings(body)
        return f"ParameterStatus {name} {q(val)}" if name in STABLE_PARAMS else f"ParameterStatus {name}"
    if kind == "R":
        (code,) = struct.unpack_from("!i", body)
        return {0: "AuthenticationOk", 3: "AuthenticationCleartextPassword", 5: "AuthenticationMD5Password",
                10: "AuthenticationSASL", 11: "AuthenticationSASLContinue", 12: "AuthenticationSASLFinal"}.get(code, f"Authentication {code}")
    if kind in ("G", "H", "W"):
        fmt, n = struct.unpack_from("!bh", body)
        name = {"G": "CopyInResponse", "H": "CopyOutResponse", "W": "CopyBothResponse"}[kind]
        return f"{name} {fmt} [{', '.join(str(x) for x in struct.unpack_from(f'!{n}h', body, 3))}]"
    if kind == "d":
        return f"CopyData {value(body)}"
    if kind == "v":
        minor, n = struct.unpack_from("!ii", body)
        return f"NegotiateProtocolVersion {minor} [{', '.join(q(x) for x in cstrings(body[8:]))}]"
    simple = {"1": "ParseComplete", "2": "BindComplete", "3": "CloseComplete", "n": "NoData", "s": "PortalSuspended",
              "I": "EmptyQueryResponse", "K": "BackendKeyData", "c": "CopyDone"}
    if kind in simple:
        return simple[kind]
    return f"Message {kind!r} x'{body.hex()}'"


class Conn:
    def __init__(self, host, port):
        self.host, self.port = host, port
        self.sock = socket.create_connection((host, port), timeout=10)
        self.buf = b""
        self.key = None

    def send(self, data):
        self.sock.sendall(data)

    def _fill(self, n, timeout):
        deadline = time.time() + timeout
        while len(self.buf) < n:
            left = deadline - time.time()
            if left <= 0 or not select.select([self.sock], [], [], left)[0]:
                return False
            try:
                chunk = self.sock.recv(65536)
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                raise EOFError
            self.buf += chunk
        return True

    def read(self, timeout=10):
        """The next message as (kind, body); None on timeout; raises EOFError when closed."""
        if not self._fill(1, timeout):
            return None
        if self.buf[0:1] in (b"N", b"S") and self.expect_ssl_answer:
            self.expect_ssl_answer -= 1
            kind, self.buf = self.buf[0:1].decode(), self.buf[1:]
            return ("ssl", kind)
        if not self._fill(5, timeout):
            return None
        kind = chr(self.buf[0])
        (ln,) = struct.unpack_from("!i", self.buf, 1)
        if not self._fill(1 + ln, timeout):
            return None
        body, self.buf = self.buf[5:1 + ln], self.buf[1 + ln:]
        if kind == "K":
            self.key = struct.unpack("!ii", body)
        return kind, body

    expect_ssl_answer = 0

    def startup(self):
        self.send(encode('Startup 3.0 {"user": "postgres", "database": "postgres"}'))
        while True:
            m = self.read()
            if m is None:
                raise RuntimeError("no answer to the startup message")
            if m[0] == "E":
                raise RuntimeError(render(*m))
            if m[0] == "Z":
                return

    def cancel(self):
        time.sleep(0.3)
        s = socket.create_connection((self.host, self.port))
        s.sendall(struct.pack("!iiii", 16, 80877102, *self.key))
        s.recv(1)
        s.close()


def run_file(path, host, port, generate):
    out_lines, failures = [], []
    conn = None
    lines = open(path).read().splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        s = line.strip()
        if s == "wait":
            # Read what the server sends unasked (a timeout's FATAL, say).
            out_lines.append(line)
            i += 1
            if generate:
                while True:
                    try:
                        m = conn.read(timeout=5)
                    except EOFError:
                        out_lines.append("< closed")
                        break
                    if m is None:
                        break
                    out_lines.append("< " + render(*m))
                continue
            while i < len(lines) and lines[i].strip().startswith("< "):
                try:
                    m = conn.read()
                    got = "timeout" if m is None else render(*m)
                except EOFError:
                    got = "closed"
                if got != lines[i].strip()[2:]:
                    failures.append(f"{path}:{i + 1}: want {lines[i].strip()[2:]}\n    got  {got}")
                    return out_lines, failures
                out_lines.append(lines[i])
                i += 1
            continue
        if not s or s.startswith("#") or s in ("connect", "connect-raw", "cancel"):
            if s in ("connect", "connect-raw"):
                conn = Conn(host, port)
                if s == "connect":
                    conn.startup()
            elif s == "cancel":
                conn.cancel()
            out_lines.append(line)
            i += 1
            continue
        if s.startswith("> "):
            turns, data = 0, b""
            # A run of "> " lines goes out in one write, as a pipelining client sends it.
            while i < len(lines) and lines[i].strip().startswith("> "):
                text = lines[i].strip()[2:]
                if text.split()[0] in ("SSLRequest", "GSSENCRequest"):
                    conn.expect_ssl_answer += 1
                data += encode(text)
                turns += text.split()[0] in ("Sync", "Query", "Startup", "SSLRequest", "GSSENCRequest")
                out_lines.append(lines[i])
                i += 1
            try:
                conn.send(data)
            except (BrokenPipeError, ConnectionResetError):
                pass
            expected = []
            j = i
            while j < len(lines) and (lines[j].strip().startswith("< ") or lines[j].strip() == "cancel"):
                expected.append((j + 1, lines[j].strip()))
                j += 1
            if generate:
                # Read until ReadyForQuery / an SSL answer / the connection closes / a quiet 0.5 s.
                for _, e in expected:
                    if e == "cancel":
                        conn.cancel()
                        out_lines.append("cancel")
                while True:
                    try:
                        m = conn.read(timeout=10 if turns else 0.5)
                    except EOFError:
                        out_lines.append("< closed")
                        break
                    if m is None:
                        break
                    got = f"SSLAnswer {m[1]}" if m[0] == "ssl" else render(*m)
                    out_lines.append("< " + got)
                    if m[0] in ("Z", "ssl"):
                        turns -= 1
                        if turns <= 0:
                            break
            else:
                for lineno, e in expected:
                    if e == "cancel":
                        conn.cancel()
                        continue
                    try:
                        m = conn.read()
                        got = "timeout" if m is None else f"SSLAnswer {m[1]}" if m[0] == "ssl" else render(*m)
                    except EOFError:
                        got = "closed"
                    if got != e[2:]:
                        failures.append(f"{path}:{lineno}: want {e[2:]}\n    got  {got}")
                        return out_lines, failures  # the rest of the conversation is out of step
            i = j
            continue
        if s.startswith("< "):
            i += 1
            continue
        raise ValueError(f"{path}:{i + 1}: cannot read {line!r}")
    return out_lines, failures


def main():
    args = sys.argv[1:]
    generate = "--generate" in args
    args = [a for a in args if a != "--generate"]
    import os
    host, port, files = os.environ.get("PGHOST", "127.0.0.1"), int(os.environ.get("PGPORT", "5432")), args
    all_failures, passed = [], 0
    for f in files:
        out, failures = run_file(f, host, port, generate)
        if generate:
            print("\n".join(out))
        elif failures:
            all_failures += failures
        else:
            passed += 1
    if not generate:
        for f in all_failures:
            print("FAIL " + f)
        print(f"{passed} passed, {len(files) - passed} failed")
        sys.exit(1 if all_failures else 0)


if __name__ == "__main__":
    main()
