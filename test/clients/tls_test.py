#!/usr/bin/env python3
"""TLS: heliosdb-nano with a certificate answers SSLRequest with 'S' and serves the connection
over TLS (psycopg2, sslmode=require, SCRAM over TLS); clients that do not ask for TLS still work.

    tls_test.py /path/to/heliosdb-nano     (makes a self-signed certificate with openssl)
"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

if len(sys.argv) > 1 and sys.argv[1] != "--client":
    with tempfile.TemporaryDirectory() as tmp:
        cert, key = os.path.join(tmp, "server.crt"), os.path.join(tmp, "server.key")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                        "-days", "1", "-subj", "/CN=localhost"], check=True, capture_output=True)
        sys.exit(subprocess.call([sys.executable, os.path.join(HERE, "with_server.py"), sys.argv[1], "--tls-cert", cert,
                                  "--tls-key", key, "--", sys.executable, __file__, "--client"]))

import psycopg2  # noqa: E402

from client_common import expect, finish  # noqa: E402

conn = psycopg2.connect(sslmode="require", connect_timeout=10)
expect("TLS in use", conn.info.ssl_in_use, True)
expect("TLS protocol", conn.info.ssl_attribute("protocol") in ("TLSv1.2", "TLSv1.3"), True)
cur = conn.cursor()
cur.execute("SELECT repeat('x', 100000)")
expect("a large row over TLS", len(cur.fetchone()[0]), 100000)
cur.execute("SELECT 1")
expect("a query over TLS", cur.fetchone()[0], 1)
conn.close()
plain = psycopg2.connect(sslmode="disable", connect_timeout=10)
expect("plain connection", plain.info.ssl_in_use, False)
plain.close()
finish("tls")
