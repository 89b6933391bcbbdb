/* The C API from C: every call of heliosdb_c.h, with exact expected values. Run under ASan in CI.
 *   c_api_test            (uses a temporary directory for the file database) */
#include <heliosdb_c.h>
#include <libpq-fe.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failures = 0;

#define CHECK(cond)                                                         \
  do {                                                                      \
    if (!(cond)) {                                                          \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                           \
    }                                                                       \
  } while (0)
#define CHECK_STR(a, b)                                                                       \
  do {                                                                                        \
    const char* a_ = (a);                                                                     \
    const char* b_ = (b);                                                                     \
    if (!a_ || strcmp(a_, b_) != 0) {                                                         \
      fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #a,       \
              a_ ? a_ : "(null)", b_);                                                        \
      ++failures;                                                                             \
    }                                                                                         \
  } while (0)

/* Runs sql (no parameters) and frees the result; fails the test on error. */
static void run(hdb_session* s, const char* sql) {
  hdb_error* err = NULL;
  hdb_result* r = hdb_exec(s, sql, 0, NULL, &err);
  if (!r) {
    fprintf(stderr, "%s: %s %s\n", sql, hdb_error_sqlstate(err), hdb_error_message(err));
    ++failures;
  }
  hdb_error_free(err);
  hdb_result_free(r);
}

/* Runs sql expecting an error with this SQLSTATE; returns the error for more checks. */
static hdb_error* expect_error(hdb_session* s, const char* sql, const char* sqlstate) {
  hdb_error* err = NULL;
  hdb_result* r = hdb_exec(s, sql, 0, NULL, &err);
  CHECK(r == NULL);
  CHECK(err != NULL);
  if (err) CHECK_STR(hdb_error_sqlstate(err), sqlstate);
  hdb_result_free(r);
  return err;
}

static void test_types_and_text(hdb_session* s) {
  hdb_error* err = NULL;
  hdb_result* r = hdb_exec(s,
                           "SELECT 42::int4 AS i, 9007199254740993::int8 AS big, 2.5::float8 AS f, 12.50::numeric AS n, "
                           "true AS b, 'héllo'::text AS t, '\\x00ff'::bytea AS bin, NULL::int4 AS nothing, "
                           "'2024-01-02 03:04:05+00'::timestamptz AS ts, "
                           "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS u, '{\"a\": 1}'::jsonb AS j",
                           0, NULL, &err);
  CHECK(r != NULL);
  if (!r) {
    fprintf(stderr, "types: %s\n", hdb_error_message(err));
    hdb_error_free(err);
    return;
  }
  CHECK(hdb_result_ncols(r) == 11);
  CHECK(hdb_result_nrows(r) == 1);
  CHECK_STR(hdb_result_command_tag(r), "SELECT 1");
  CHECK_STR(hdb_result_column_name(r, 0), "i");
  CHECK_STR(hdb_result_column_name(r, 10), "j");
  CHECK(hdb_result_column_name(r, 11) == NULL);
  CHECK(hdb_result_column_type(r, 0) == 23);
  CHECK(hdb_result_column_type(r, 1) == 20);
  CHECK(hdb_result_column_type(r, 3) == 1700);
  CHECK(hdb_result_column_type(r, 6) == 17);

  int64_t i = 0;
  CHECK(hdb_result_int64(r, 0, 0, &i) == HDB_OK && i == 42);
  CHECK(hdb_result_int64(r, 0, 1, &i) == HDB_OK && i == 9007199254740993LL);
  double d = 0;
  CHECK(hdb_result_double(r, 0, 2, &d) == HDB_OK && d == 2.5);
  CHECK(hdb_result_double(r, 0, 3, &d) == HDB_OK && d == 12.5);
  CHECK(hdb_result_double(r, 0, 0, &d) == HDB_OK && d == 42.0);
  int b = 0;
  CHECK(hdb_result_bool(r, 0, 4, &b) == HDB_OK && b == 1);
  CHECK(hdb_result_int64(r, 0, 5, &i) == HDB_MISUSE); /* text is not an integer */
  CHECK(hdb_result_bool(r, 0, 0, &b) == HDB_MISUSE);
  CHECK(hdb_result_int64(r, 0, 7, &i) == HDB_NULL);
  CHECK(hdb_result_is_null(r, 0, 7) == 1);
  CHECK(hdb_result_is_null(r, 0, 0) == 0);
  CHECK(hdb_result_is_null(r, 1, 0) == -1);
  CHECK(hdb_result_int64(r, 1, 0, &i) == HDB_MISUSE);
  CHECK(hdb_result_int64(r, 0, -1, &i) == HDB_MISUSE);

  const void* data = NULL;
  size_t len = 0;
  CHECK(hdb_result_bytes(r, 0, 6, &data, &len) == HDB_OK && len == 2 && memcmp(data, "\x00\xff", 2) == 0);
  CHECK(hdb_result_bytes(r, 0, 5, &data, &len) == HDB_OK && len == 6 && memcmp(data, "h\xc3\xa9llo", 6) == 0);
  CHECK(hdb_result_bytes(r, 0, 9, &data, &len) == HDB_OK && len == 16);
  CHECK(hdb_result_bytes(r, 0, 0, &data, &len) == HDB_MISUSE);

  /* Text exactly as psql shows it. */
  CHECK_STR(hdb_result_text(r, 0, 0), "42");
  CHECK_STR(hdb_result_text(r, 0, 2), "2.5");
  CHECK_STR(hdb_result_text(r, 0, 3), "12.50");
  CHECK_STR(hdb_result_text(r, 0, 4), "t");
  CHECK_STR(hdb_result_text(r, 0, 5), "héllo");
  CHECK_STR(hdb_result_text(r, 0, 6), "\\x00ff");
  CHECK(hdb_result_text(r, 0, 7) == NULL);
  CHECK_STR(hdb_result_text(r, 0, 8), "2024-01-02 03:04:05+00");
  CHECK_STR(hdb_result_text(r, 0, 9), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  CHECK_STR(hdb_result_text(r, 0, 10), "{\"a\": 1}");
  /* The same pointer again: rendered once, owned by the result. */
  CHECK(hdb_result_text(r, 0, 0) == hdb_result_text(r, 0, 0));
  hdb_result_free(r);

  /* Text follows the session's settings. */
  run(s, "SET TimeZone = 'America/New_York'");
  r = hdb_exec(s, "SELECT '2024-01-02 03:04:05+00'::timestamptz", 0, NULL, NULL);
  CHECK(r != NULL);
  if (r) CHECK_STR(hdb_result_text(r, 0, 0), "2024-01-01 22:04:05-05");
  hdb_result_free(r);
  run(s, "RESET TimeZone");
}

static void test_params_and_dml(hdb_session* s) {
  hdb_error* err = NULL;
  run(s, "CREATE TABLE people (id serial PRIMARY KEY, name text NOT NULL UNIQUE, age int)");
  const char* p1[] = {"ada", "36"};
  hdb_result* r = hdb_exec(s, "INSERT INTO people (name, age) VALUES ($1, $2) RETURNING id", 2, p1, &err);
  CHECK(r != NULL);
  if (r) {
    CHECK_STR(hdb_result_command_tag(r), "INSERT 0 1");
    CHECK(hdb_result_nrows(r) == 1);
    CHECK_STR(hdb_result_text(r, 0, 0), "1");
  }
  hdb_result_free(r);
  const char* p2[] = {"grace", NULL}; /* NULL pointer: SQL NULL */
  r = hdb_exec(s, "INSERT INTO people (name, age) VALUES ($1, $2)", 2, p2, &err);
  CHECK(r != NULL && hdb_result_ncols(r) == 0 && hdb_result_row_count(r) == 1);
  hdb_result_free(r);

  const char* p3[] = {"grace"};
  r = hdb_exec(s, "SELECT age IS NULL, name FROM people WHERE name = $1", 1, p3, &err);
  CHECK(r != NULL && hdb_result_nrows(r) == 1);
  if (r) CHECK_STR(hdb_result_text(r, 0, 0), "t");
  hdb_result_free(r);

  /* A parameter that does not parse as the inferred type: 22P02, nothing inserted. */
  const char* bad[] = {"x", "not a number"};
  r = hdb_exec(s, "INSERT INTO people (name, age) VALUES ($1, $2)", 2, bad, &err);
  CHECK(r == NULL && err != NULL);
  if (err) {
    CHECK_STR(hdb_error_sqlstate(err), "22P02");
    CHECK_STR(hdb_error_message(err), "invalid input syntax for type integer: \"not a number\"");
  }
  hdb_error_free(err);
  err = NULL;

  /* Unique violation with PostgreSQL's detail. */
  err = expect_error(s, "INSERT INTO people (name) VALUES ('ada')", "23505");
  if (err) {
    CHECK_STR(hdb_error_message(err), "duplicate key value violates unique constraint \"people_name_key\"");
    CHECK_STR(hdb_error_detail(err), "Key (name)=(ada) already exists.");
    CHECK_STR(hdb_error_severity(err), "ERROR");
  }
  hdb_error_free(err);

  /* Syntax error with its position. */
  err = expect_error(s, "SELECT * FROM people WHERE", "42601");
  if (err) {
    CHECK_STR(hdb_error_message(err), "syntax error at end of input");
    CHECK(hdb_error_position(err) == 27);
  }
  hdb_error_free(err);
  err = expect_error(s, "SELECT * FROM nowhere", "42P01");
  if (err) CHECK(hdb_error_position(err) == 15);
  hdb_error_free(err);

  /* Several statements in one call when there are no parameters: the last result is returned. */
  r = hdb_exec(s, "UPDATE people SET age = 37 WHERE name = 'ada'; SELECT count(*) FROM people", 0, NULL, &err);
  CHECK(r != NULL);
  if (r) CHECK_STR(hdb_result_text(r, 0, 0), "2");
  hdb_result_free(r);

  /* Misuse is an error, not a crash. */
  r = hdb_exec(s, NULL, 0, NULL, &err);
  CHECK(r == NULL && err && strcmp(hdb_error_sqlstate(err), "22023") == 0);
  hdb_error_free(err);
  r = hdb_exec(NULL, "SELECT 1", 0, NULL, NULL); /* err may be NULL */
  CHECK(r == NULL);
  r = hdb_exec(s, "SELECT $1", 1, NULL, &err);
  CHECK(r == NULL && err && strcmp(hdb_error_sqlstate(err), "22023") == 0);
  hdb_error_free(err);
}

static void test_transactions(hdb_session* s) {
  CHECK(hdb_session_transaction_status(s) == 'I');
  run(s, "BEGIN");
  CHECK(hdb_session_transaction_status(s) == 'T');
  run(s, "INSERT INTO people (name) VALUES ('tx')");
  hdb_error* err = expect_error(s, "SELECT 1/0", "22012");
  hdb_error_free(err);
  CHECK(hdb_session_transaction_status(s) == 'E');
  err = expect_error(s, "SELECT 1", "25P02");
  hdb_error_free(err);
  run(s, "ROLLBACK");
  CHECK(hdb_session_transaction_status(s) == 'I');
  hdb_result* r = hdb_exec(s, "SELECT count(*) FROM people WHERE name = 'tx'", 0, NULL, NULL);
  CHECK(r != NULL);
  if (r) CHECK_STR(hdb_result_text(r, 0, 0), "0");
  hdb_result_free(r);
}

static void test_prepared(hdb_session* s) {
  hdb_error* err = NULL;
  hdb_stmt* st = hdb_prepare(s, "INSERT INTO people (name, age) VALUES ($1, $2) RETURNING id, age", &err);
  CHECK(st != NULL);
  if (!st) {
    hdb_error_free(err);
    return;
  }
  CHECK(hdb_stmt_nparams(st) == 2);
  CHECK(hdb_stmt_param_type(st, 1) == 25);
  CHECK(hdb_stmt_param_type(st, 2) == 23);
  CHECK(hdb_stmt_param_type(st, 3) == 0);
  char name[32];
  for (int i = 0; i < 100; ++i) {
    snprintf(name, sizeof name, "p%d", i);
    CHECK(hdb_bind_text(st, 1, name, -1) == HDB_OK);
    CHECK(hdb_bind_int64(st, 2, i) == HDB_OK); /* int8 value cast to the int4 parameter */
    hdb_result* r = hdb_stmt_exec(st, &err);
    CHECK(r != NULL);
    if (r && i == 99) {
      int64_t age = 0;
      CHECK(hdb_result_int64(r, 0, 1, &age) == HDB_OK && age == 99);
      CHECK(hdb_result_column_type(r, 1) == 23);
    }
    hdb_result_free(r);
  }
  CHECK(hdb_bind_int64(st, 3, 1) == HDB_MISUSE);
  CHECK(hdb_bind_int64(st, 0, 1) == HDB_MISUSE);
  CHECK(hdb_bind_text(st, 1, "bounded-length-ignored", 7) == HDB_OK); /* "bounded" */
  CHECK(hdb_bind_int64(st, 2, 5000000000LL) == HDB_OK);               /* out of int4 range */
  hdb_result* r = hdb_stmt_exec(st, &err);
  CHECK(r == NULL && err && strcmp(hdb_error_sqlstate(err), "22003") == 0);
  hdb_error_free(err);
  err = NULL;
  hdb_stmt_clear_bindings(st); /* name NULL: not-null violation */
  r = hdb_stmt_exec(st, &err);
  CHECK(r == NULL && err && strcmp(hdb_error_sqlstate(err), "23502") == 0);
  hdb_error_free(err);
  err = NULL;
  hdb_stmt_free(st);

  st = hdb_prepare(s, "SELECT $1::bytea, $2::float8, $3::bool, $4::text", &err);
  CHECK(st != NULL);
  if (st) {
    CHECK(hdb_bind_bytea(st, 1, "\x01\x00\x02", 3) == HDB_OK);
    CHECK(hdb_bind_double(st, 2, 0.1) == HDB_OK);
    CHECK(hdb_bind_bool(st, 3, 1) == HDB_OK);
    CHECK(hdb_bind_null(st, 4) == HDB_OK);
    r = hdb_stmt_exec(st, &err);
    CHECK(r != NULL);
    if (r) {
      CHECK_STR(hdb_result_text(r, 0, 0), "\\x010002");
      CHECK_STR(hdb_result_text(r, 0, 1), "0.1");
      CHECK_STR(hdb_result_text(r, 0, 2), "t");
      CHECK(hdb_result_is_null(r, 0, 3) == 1);
    }
    hdb_result_free(r);
    hdb_stmt_free(st);
  }

  st = hdb_prepare(s, "SELECT * FROM nowhere", &err);
  CHECK(st == NULL && err && strcmp(hdb_error_sqlstate(err), "42P01") == 0);
  hdb_error_free(err);
}

static void test_cursor(hdb_session* s) {
  hdb_error* err = NULL;
  const char* p[] = {"100000"};
  hdb_cursor* c = hdb_query(s, "SELECT g, g * 2 AS twice FROM generate_series(1, $1::int) g", 1, p, &err);
  CHECK(c != NULL);
  if (!c) {
    hdb_error_free(err);
    return;
  }
  int64_t n = 0, sum = 0;
  int rc;
  while ((rc = hdb_cursor_next(c, &err)) == HDB_ROW) {
    const hdb_result* row = hdb_cursor_row(c);
    int64_t v = 0;
    CHECK(hdb_result_nrows(row) == 1);
    if (hdb_result_int64(row, 0, 1, &v) == HDB_OK) sum += v;
    ++n;
  }
  CHECK(rc == HDB_DONE);
  CHECK(n == 100000);
  CHECK(sum == 100000LL * 100001LL);
  CHECK_STR(hdb_result_column_name(hdb_cursor_row(c), 1), "twice");
  hdb_cursor_free(c);

  /* An error while producing rows comes from hdb_cursor_next. */
  c = hdb_query(s, "SELECT 10 / (3 - g) FROM generate_series(1, 5) g", 0, NULL, &err);
  CHECK(c != NULL);
  if (c) {
    CHECK(hdb_cursor_next(c, &err) == HDB_ROW);
    CHECK_STR(hdb_result_text(hdb_cursor_row(c), 0, 0), "5");
    CHECK(hdb_cursor_next(c, &err) == HDB_ROW);
    CHECK(hdb_cursor_next(c, &err) == HDB_ERROR);
    CHECK(err && strcmp(hdb_error_sqlstate(err), "22012") == 0);
    hdb_error_free(err);
    hdb_cursor_free(c);
  }

  hdb_stmt* st = hdb_prepare(s, "SELECT name FROM people WHERE age >= $1 ORDER BY age", NULL);
  CHECK(st != NULL);
  if (st) {
    hdb_bind_int64(st, 1, 97);
    c = hdb_stmt_query(st, NULL);
    CHECK(c != NULL);
    int rows = 0;
    while (c && hdb_cursor_next(c, NULL) == HDB_ROW) ++rows;
    CHECK(rows == 3); /* p97, p98, p99 */
    hdb_cursor_free(c);
    hdb_stmt_free(st);
  }
}

static void test_file_database(const char* dir) {
  hdb_error* err = NULL;
  const char* keys[] = {"sync_commit", "cache_size", NULL};
  const char* values[] = {"off", "1048576", NULL};
  hdb_database* db = hdb_open(dir, keys, values, &err);
  CHECK(db != NULL);
  if (!db) {
    fprintf(stderr, "open: %s\n", hdb_error_message(err));
    hdb_error_free(err);
    return;
  }
  hdb_result* r = hdb_db_exec(db, "CREATE TABLE kv (k text PRIMARY KEY, v int)", 0, NULL, &err);
  CHECK(r != NULL);
  hdb_result_free(r);
  const char* p[] = {"answer", "42"};
  r = hdb_db_exec(db, "INSERT INTO kv VALUES ($1, $2)", 2, p, &err);
  CHECK(r != NULL && hdb_result_row_count(r) == 1);
  hdb_result_free(r);

  /* The directory is locked while open: 55006. */
  hdb_database* again = hdb_open(dir, NULL, NULL, &err);
  CHECK(again == NULL && err && strcmp(hdb_error_sqlstate(err), "55006") == 0);
  hdb_error_free(err);
  err = NULL;
  hdb_close(db);

  /* Reopened: the row is there. */
  db = hdb_open(dir, NULL, NULL, &err);
  CHECK(db != NULL);
  if (db) {
    r = hdb_db_exec(db, "SELECT v FROM kv WHERE k = 'answer'", 0, NULL, &err);
    CHECK(r != NULL && hdb_result_nrows(r) == 1);
    if (r) CHECK_STR(hdb_result_text(r, 0, 0), "42");
    hdb_result_free(r);
    hdb_close(db);
  }

  /* Bad options are errors. */
  const char* bad_keys[] = {"no_such_option", NULL};
  const char* bad_values[] = {"1", NULL};
  db = hdb_open(":memory:", bad_keys, bad_values, &err);
  CHECK(db == NULL && err && strcmp(hdb_error_sqlstate(err), "22023") == 0);
  if (err) CHECK_STR(hdb_error_message(err), "unrecognized option \"no_such_option\"");
  hdb_error_free(err);
  err = NULL;
  const char* missing_keys[] = {"create_if_missing", NULL};
  const char* missing_values[] = {"off", NULL};
  char missing[4200];
  snprintf(missing, sizeof missing, "%s-missing", dir);
  db = hdb_open(missing, missing_keys, missing_values, &err);
  CHECK(db == NULL && err && strcmp(hdb_error_sqlstate(err), "3D000") == 0);
  hdb_error_free(err);
}

static void test_listener(hdb_database* db) {
  hdb_error* err = NULL;
  const char* keys[] = {"port", "auth", "user", NULL};
  const char* values[] = {"0", "scram-sha-256", "alice:secret", NULL};
  hdb_server* srv = hdb_listen(db, keys, values, &err);
  CHECK(srv != NULL);
  if (!srv) {
    fprintf(stderr, "listen: %s\n", hdb_error_message(err));
    hdb_error_free(err);
    return;
  }
  int port = hdb_server_port(srv);
  CHECK(port > 0);
  char conninfo[200];
  snprintf(conninfo, sizeof conninfo, "host=127.0.0.1 port=%d user=alice password=secret dbname=app", port);
  PGconn* conn = PQconnectdb(conninfo);
  CHECK(PQstatus(conn) == CONNECTION_OK);
  if (PQstatus(conn) == CONNECTION_OK) {
    /* The client sees what the host wrote through the C API. */
    PGresult* res = PQexec(conn, "SELECT age FROM people WHERE name = 'ada'");
    CHECK(PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1);
    if (PQntuples(res) == 1) CHECK_STR(PQgetvalue(res, 0, 0), "37");
    PQclear(res);
    res = PQexec(conn, "INSERT INTO people (name) VALUES ('from psql')");
    CHECK(PQresultStatus(res) == PGRES_COMMAND_OK);
    PQclear(res);
  } else {
    fprintf(stderr, "connect: %s\n", PQerrorMessage(conn));
  }
  PQfinish(conn);
  /* A wrong password is refused with 28P01. */
  snprintf(conninfo, sizeof conninfo, "host=127.0.0.1 port=%d user=alice password=wrong dbname=app", port);
  conn = PQconnectdb(conninfo);
  CHECK(PQstatus(conn) == CONNECTION_BAD);
  CHECK(strstr(PQerrorMessage(conn), "password authentication failed for user \"alice\"") != NULL);
  PQfinish(conn);
  hdb_server_stop(srv);

  /* ...and the host sees what the client wrote. */
  hdb_result* r = hdb_db_exec(db, "SELECT count(*) FROM people WHERE name = 'from psql'", 0, NULL, &err);
  CHECK(r != NULL);
  if (r) CHECK_STR(hdb_result_text(r, 0, 0), "1");
  hdb_result_free(r);

  /* Bad listener options are errors. */
  const char* bad_keys[] = {"auth", NULL};
  const char* bad_values[] = {"kerberos", NULL};
  srv = hdb_listen(db, bad_keys, bad_values, &err);
  CHECK(srv == NULL && err && strcmp(hdb_error_sqlstate(err), "22023") == 0);
  hdb_error_free(err);
}

int main(void) {
  CHECK(hdb_api_version() == HDB_API_VERSION);
  CHECK(strstr(hdb_version(), "HeliosDB Nano") != NULL || strlen(hdb_version()) > 0);

  hdb_error* err = NULL;
  hdb_database* db = hdb_open(":memory:", NULL, NULL, &err);
  CHECK(db != NULL);
  if (!db) return 1;
  hdb_session* s = hdb_session_open(db, &err);
  CHECK(s != NULL);
  test_types_and_text(s);
  test_params_and_dml(s);
  test_transactions(s);
  test_prepared(s);
  test_cursor(s);
  test_listener(db);

  /* Two sessions: one's uncommitted row is invisible to the other. */
  hdb_session* other = hdb_session_open(db, &err);
  run(s, "BEGIN");
  run(s, "INSERT INTO people (name) VALUES ('uncommitted')");
  hdb_result* r = hdb_exec(other, "SELECT count(*) FROM people WHERE name = 'uncommitted'", 0, NULL, &err);
  CHECK(r != NULL);
  if (r) CHECK_STR(hdb_result_text(r, 0, 0), "0");
  hdb_result_free(r);
  hdb_session_close(other);
  hdb_session_close(s); /* rolls back */
  r = hdb_db_exec(db, "SELECT count(*) FROM people WHERE name = 'uncommitted'", 0, NULL, &err);
  CHECK(r != NULL);
  if (r) CHECK_STR(hdb_result_text(r, 0, 0), "0");
  hdb_result_free(r);
  hdb_close(db);

  /* NULL handles are harmless. */
  hdb_close(NULL);
  hdb_session_close(NULL);
  hdb_result_free(NULL);
  hdb_stmt_free(NULL);
  hdb_cursor_free(NULL);
  hdb_server_stop(NULL);
  hdb_error_free(NULL);
  CHECK(hdb_result_nrows(NULL) == 0);
  CHECK(hdb_result_text(NULL, 0, 0) == NULL);

  char dir[] = "/tmp/hdb_c_api_XXXXXX";
  if (!mkdtemp(dir)) return 1;
  char path[4096];
  snprintf(path, sizeof path, "%s/db", dir);
  test_file_database(path);
  char cmd[4200];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);

  if (failures) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("c_api: all checks passed\n");
  return 0;
}
