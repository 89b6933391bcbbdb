"""What the Python client tests share: a table with every supported type, one row of it as
Python values, and small assertion helpers that report every mismatch before failing."""
import datetime as dt
import decimal
import sys
import uuid

EVERY_TYPE_COLUMNS = ["id", "b", "i2", "i4", "i8", "f4", "f8", "n", "t", "vc", "c", "by", "d", "tm", "ts", "tz", "iv",
                      "u", "j", "jb"]
EVERY_TYPE_DDL = """CREATE TABLE every_type (
  id integer PRIMARY KEY, b boolean, i2 smallint, i4 integer, i8 bigint, f4 real, f8 double precision,
  n numeric(12,3), t text, vc varchar(10), c char(4), by bytea, d date, tm time, ts timestamp,
  tz timestamptz, iv interval, u uuid, j json, jb jsonb)"""


def every_type_row():
    return (1, True, -32768, 2147483647, -9223372036854775808, 1.5, 0.1, decimal.Decimal("12345.678"),
            "h\u00e9llo \u2603 'quoted' \\ back", "var", "ab  ", b"\x00\x01\xfe\xff", dt.date(2024, 2, 29),
            dt.time(23, 59, 59, 123456), dt.datetime(2000, 1, 1, 0, 0, 0, 1),
            dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.timezone.utc), dt.timedelta(days=3, hours=4, minutes=5, seconds=6),
            uuid.UUID("12345678-1234-5678-1234-567812345678"), {"a": [1, 2, {"b": None}]}, {"k": "v", "n": 1.25})


_failures = []


def expect(what, got, want):
    if got != want:
        _failures.append(f"{what}: got {got!r}, want {want!r}")


def expect_sqlstate(what, action, sqlstate):
    try:
        action()
    except Exception as e:  # the driver's error class
        code = getattr(e, "sqlstate", None) or getattr(e, "pgcode", None)
        expect(f"{what} sqlstate", code, sqlstate)
        return
    _failures.append(f"{what}: no error, want SQLSTATE {sqlstate}")


def finish(name):
    for f in _failures:
        print(f"FAIL {f}")
    print(f"{name}: {'FAILED' if _failures else 'ok'} ({len(_failures)} failures)")
    sys.exit(1 if _failures else 0)
