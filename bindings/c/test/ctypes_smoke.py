"""The C API through Python's ctypes, the way any FFI loads it.

    ctypes_smoke.py path/to/libheliosdb_c.so
"""
import ctypes
import sys

lib = ctypes.CDLL(sys.argv[1])
c_char_pp = ctypes.POINTER(ctypes.c_char_p)
lib.hdb_open.restype = ctypes.c_void_p
lib.hdb_open.argtypes = [ctypes.c_char_p, c_char_pp, c_char_pp, ctypes.POINTER(ctypes.c_void_p)]
lib.hdb_session_open.restype = ctypes.c_void_p
lib.hdb_session_open.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)]
lib.hdb_exec.restype = ctypes.c_void_p
lib.hdb_exec.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, c_char_pp, ctypes.POINTER(ctypes.c_void_p)]
lib.hdb_result_nrows.restype = ctypes.c_uint64
lib.hdb_result_nrows.argtypes = [ctypes.c_void_p]
lib.hdb_result_text.restype = ctypes.c_char_p
lib.hdb_result_text.argtypes = [ctypes.c_void_p, ctypes.c_uint64, ctypes.c_int]
lib.hdb_result_command_tag.restype = ctypes.c_char_p
lib.hdb_result_command_tag.argtypes = [ctypes.c_void_p]
lib.hdb_result_free.argtypes = [ctypes.c_void_p]
lib.hdb_error_sqlstate.restype = ctypes.c_char_p
lib.hdb_error_sqlstate.argtypes = [ctypes.c_void_p]
lib.hdb_error_message.restype = ctypes.c_char_p
lib.hdb_error_message.argtypes = [ctypes.c_void_p]
lib.hdb_error_free.argtypes = [ctypes.c_void_p]
lib.hdb_session_close.argtypes = [ctypes.c_void_p]
lib.hdb_close.argtypes = [ctypes.c_void_p]


def execute(session, sql, *params):
    err = ctypes.c_void_p()
    arr = (ctypes.c_char_p * len(params))(*[None if p is None else p.encode() for p in params])
    r = lib.hdb_exec(session, sql.encode(), len(params), arr, ctypes.byref(err))
    if not r:
        e = (lib.hdb_error_sqlstate(err).decode(), lib.hdb_error_message(err).decode())
        lib.hdb_error_free(err)
        raise RuntimeError(e)
    rows = [[(lambda v: None if v is None else v.decode())(lib.hdb_result_text(r, i, c)) for c in range(2)]
            for i in range(lib.hdb_result_nrows(r))]
    tag = lib.hdb_result_command_tag(r).decode()
    lib.hdb_result_free(r)
    return tag, rows


err = ctypes.c_void_p()
db = lib.hdb_open(b":memory:", None, None, ctypes.byref(err))
assert db, "open failed"
s = lib.hdb_session_open(db, ctypes.byref(err))
assert execute(s, "CREATE TABLE t (id int PRIMARY KEY, v text)") == ("CREATE TABLE", [])
assert execute(s, "INSERT INTO t VALUES ($1, $2), ($3, $4)", "1", "one", "2", None) == ("INSERT 0 2", [])
assert execute(s, "SELECT id, v FROM t ORDER BY id") == ("SELECT 2", [["1", "one"], ["2", None]])
try:
    execute(s, "SELECT * FROM missing")
    raise AssertionError("no error")
except RuntimeError as e:
    assert e.args[0] == ("42P01", 'relation "missing" does not exist'), e.args[0]
lib.hdb_session_close(s)
lib.hdb_close(db)
print("ctypes: ok")
