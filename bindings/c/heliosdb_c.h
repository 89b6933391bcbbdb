/* heliosdb_c.h — the C API of HeliosDB Nano: a stable ABI for FFI from any language.
 *
 *   hdb_error* err = NULL;
 *   hdb_database* db = hdb_open("app-data", NULL, NULL, &err);      // or ":memory:"
 *   hdb_session* s = hdb_session_open(db, &err);
 *   const char* params[] = {"ada"};
 *   hdb_result* r = hdb_exec(s, "SELECT id, name FROM users WHERE name = $1", 1, params, &err);
 *   if (!r) { fprintf(stderr, "%s: %s\n", hdb_error_sqlstate(err), hdb_error_message(err));
 *             hdb_error_free(err); }
 *   for (uint64_t i = 0; i < hdb_result_nrows(r); ++i) puts(hdb_result_text(r, i, 1));
 *   hdb_result_free(r);
 *   hdb_session_close(s);
 *   hdb_close(db);
 *
 * Conventions
 * - Every handle is opaque and freed by its own function; freeing NULL is allowed.
 * - Nothing throws or aborts across this API. A call that fails returns NULL (or HDB_ERROR) and,
 *   when `err` is not NULL, stores an hdb_error the caller frees with hdb_error_free. Errors
 *   carry PostgreSQL's SQLSTATE ("42P01" for an undefined table, "53200" when out of memory,
 *   "22023" for an invalid argument of this API).
 * - Strings are UTF-8 and NUL-terminated unless a length is given. Strings returned by the API
 *   belong to the handle they came from and stay valid until it is freed.
 * - A database handle may be used from many threads at once. A session (with its statements,
 *   results and cursors) is used by one thread at a time, like a PostgreSQL connection.
 * - Transactions are SQL: hdb_exec(s, "BEGIN", ...), "COMMIT", "ROLLBACK", "SAVEPOINT x".
 * - Parameters in text form are what libpq's PQexecParams takes: $1 is params[0], a NULL
 *   pointer is SQL NULL, and each text takes the type the statement infers for its parameter.
 */
#ifndef HELIOSDB_C_H
#define HELIOSDB_C_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define HDB_API __declspec(dllexport)
#else
#define HDB_API __attribute__((visibility("default")))
#endif

/* Increases when functions are added; existing ones never change. */
#define HDB_API_VERSION 1

/* Status codes. */
#define HDB_OK 0
#define HDB_ERROR 1   /* see the hdb_error */
#define HDB_NULL 2    /* getter: the value is SQL NULL; nothing was stored */
#define HDB_MISUSE 3  /* bad handle, index out of range, or a getter that does not fit the type */
#define HDB_ROW 100   /* hdb_cursor_next: a row is ready */
#define HDB_DONE 101  /* hdb_cursor_next: no more rows */

typedef struct hdb_database hdb_database;
typedef struct hdb_session hdb_session;
typedef struct hdb_stmt hdb_stmt;
typedef struct hdb_result hdb_result;
typedef struct hdb_cursor hdb_cursor;
typedef struct hdb_server hdb_server;
typedef struct hdb_error hdb_error;

/* "15.x (HeliosDB Nano x.y.z)"-style version, and HDB_API_VERSION of the library loaded. */
HDB_API const char* hdb_version(void);
HDB_API int hdb_api_version(void);

/* ---- errors ---- */
HDB_API const char* hdb_error_sqlstate(const hdb_error* e);  /* five characters */
HDB_API const char* hdb_error_severity(const hdb_error* e);  /* "ERROR" or "FATAL" */
HDB_API const char* hdb_error_message(const hdb_error* e);
HDB_API const char* hdb_error_detail(const hdb_error* e);    /* "" when none */
HDB_API const char* hdb_error_hint(const hdb_error* e);      /* "" when none */
HDB_API int hdb_error_position(const hdb_error* e);          /* 1-based in the SQL text; 0 when none */
HDB_API void hdb_error_free(hdb_error* e);

/* ---- databases and sessions ---- */
/* Opens (creating when missing) the database in directory `path`; ":memory:" (or NULL) opens a
 * private in-memory database. `keys`/`values` are NULL-terminated arrays of options, or NULL:
 * create_if_missing, sync_commit (on/off), cache_size, row_cache_size, write_buffer_size (bytes), timezone,
 * datestyle. A directory another process has open fails with 55006. */
HDB_API hdb_database* hdb_open(const char* path, const char* const* keys, const char* const* values, hdb_error** err);
/* Gives up this handle. The files close once the sessions made from it are closed too. */
HDB_API void hdb_close(hdb_database* db);

/* Runs sql on the database's own autocommit session (serialised between threads). */
HDB_API hdb_result* hdb_db_exec(hdb_database* db, const char* sql, int nparams, const char* const* params,
                                hdb_error** err);

/* A new session: its own transaction state and settings, like one PostgreSQL connection. */
HDB_API hdb_session* hdb_session_open(hdb_database* db, hdb_error** err);
HDB_API void hdb_session_close(hdb_session* s); /* an open transaction rolls back */
/* 'I' idle, 'T' in a transaction block, 'E' in a failed transaction block. */
HDB_API char hdb_session_transaction_status(const hdb_session* s);

/* Runs one statement with text parameters, or, when nparams is 0, one or more statements
 * separated by ';' (the last one's result is returned). */
HDB_API hdb_result* hdb_exec(hdb_session* s, const char* sql, int nparams, const char* const* params, hdb_error** err);

/* ---- prepared statements ---- */
/* Parses and plans once; bind values, then hdb_stmt_exec as often as needed. */
HDB_API hdb_stmt* hdb_prepare(hdb_session* s, const char* sql, hdb_error** err);
HDB_API int hdb_stmt_nparams(const hdb_stmt* st);
HDB_API uint32_t hdb_stmt_param_type(const hdb_stmt* st, int index); /* 1-based; type OID */
/* Bind $index (1-based). Values stay bound across executions until rebound or cleared. A value
 * whose type differs from the parameter's is cast as PostgreSQL casts it (22P02 and friends when
 * it cannot be). hdb_bind_text's text takes the parameter's type; len < 0 means NUL-terminated. */
HDB_API int hdb_bind_null(hdb_stmt* st, int index);
HDB_API int hdb_bind_bool(hdb_stmt* st, int index, int value);
HDB_API int hdb_bind_int64(hdb_stmt* st, int index, int64_t value);
HDB_API int hdb_bind_double(hdb_stmt* st, int index, double value);
HDB_API int hdb_bind_text(hdb_stmt* st, int index, const char* text, ptrdiff_t len);
HDB_API int hdb_bind_bytea(hdb_stmt* st, int index, const void* data, size_t len);
HDB_API void hdb_stmt_clear_bindings(hdb_stmt* st); /* every parameter back to NULL */
HDB_API hdb_result* hdb_stmt_exec(hdb_stmt* st, hdb_error** err);
/* Streams the statement's rows (see hdb_cursor_next). */
HDB_API hdb_cursor* hdb_stmt_query(hdb_stmt* st, hdb_error** err);
HDB_API void hdb_stmt_free(hdb_stmt* st);

/* ---- results ---- */
HDB_API int hdb_result_ncols(const hdb_result* r);
HDB_API const char* hdb_result_column_name(const hdb_result* r, int col);   /* 0-based; NULL when out of range */
HDB_API uint32_t hdb_result_column_type(const hdb_result* r, int col);      /* type OID, e.g. 23 for int4 */
HDB_API uint64_t hdb_result_nrows(const hdb_result* r);                     /* rows returned */
/* PostgreSQL's command tag: "SELECT 2", "INSERT 0 1", "UPDATE 3", "CREATE TABLE". */
HDB_API const char* hdb_result_command_tag(const hdb_result* r);
/* Rows returned or, for INSERT/UPDATE/DELETE without RETURNING, affected. */
HDB_API uint64_t hdb_result_row_count(const hdb_result* r);
HDB_API int hdb_result_is_null(const hdb_result* r, uint64_t row, int col); /* 1, 0, or -1 when out of range */
/* Typed getters: HDB_OK with *out set, HDB_NULL for SQL NULL, HDB_MISUSE when out of range or
 * when the column's type does not fit: int64 takes int2/int4/int8/oid, double takes those and
 * float4/float8/numeric, bool takes bool. */
HDB_API int hdb_result_int64(const hdb_result* r, uint64_t row, int col, int64_t* out);
HDB_API int hdb_result_double(const hdb_result* r, uint64_t row, int col, double* out);
HDB_API int hdb_result_bool(const hdb_result* r, uint64_t row, int col, int* out);
/* Raw bytes: bytea's bytes, the text of text-like types (text, varchar, char, name, json,
 * jsonb), uuid's 16 bytes; HDB_MISUSE for other types (use hdb_result_text). */
HDB_API int hdb_result_bytes(const hdb_result* r, uint64_t row, int col, const void** data, size_t* len);
/* PostgreSQL's text output of any value, as psql prints it under the session's DateStyle and
 * TimeZone ("t", "12.50", "2024-01-02 03:04:05+00", "\x0102"); NULL for SQL NULL or out of range. */
HDB_API const char* hdb_result_text(const hdb_result* r, uint64_t row, int col);
HDB_API void hdb_result_free(hdb_result* r);

/* ---- cursors: large results without materialising them ---- */
HDB_API hdb_cursor* hdb_query(hdb_session* s, const char* sql, int nparams, const char* const* params, hdb_error** err);
/* HDB_ROW when a row is ready, HDB_DONE at the end, HDB_ERROR on failure. */
HDB_API int hdb_cursor_next(hdb_cursor* c, hdb_error** err);
/* The current row as a one-row result (row 0), valid until the next hdb_cursor_next; its
 * columns are the cursor's columns. */
HDB_API const hdb_result* hdb_cursor_row(const hdb_cursor* c);
HDB_API void hdb_cursor_free(hdb_cursor* c); /* the session runs nothing else while a cursor is open */

/* ---- the PostgreSQL wire-protocol listener, inside this process ---- */
/* Starts serving db to PostgreSQL clients on background threads. Options (NULL-terminated
 * keys/values, or NULL): host (127.0.0.1), port (5432; "0" picks a free one), auth (trust,
 * password, md5, scram-sha-256), user ("name:password"; repeatable), users_file, tls_cert,
 * tls_key, max_connections, statement_timeout and idle_timeout (ms), threads. */
HDB_API hdb_server* hdb_listen(hdb_database* db, const char* const* keys, const char* const* values, hdb_error** err);
HDB_API int hdb_server_port(const hdb_server* srv);
/* Stops accepting, lets running statements finish (up to 5 s), closes connections, frees srv. */
HDB_API void hdb_server_stop(hdb_server* srv);

#ifdef __cplusplus
}
#endif

#endif /* HELIOSDB_C_H */
