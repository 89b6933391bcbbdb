/* The C API (heliosdb_c.h): open, write with parameters, read with typed getters.
 *   c_quickstart [DATA_DIR | :memory:] */
#include <heliosdb_c.h>
#include <stdio.h>

int main(int argc, char** argv) {
  hdb_error* err = NULL;
  hdb_database* db = hdb_open(argc > 1 ? argv[1] : ":memory:", NULL, NULL, &err);
  if (!db) {
    fprintf(stderr, "open: %s (%s)\n", hdb_error_message(err), hdb_error_sqlstate(err));
    hdb_error_free(err);
    return 1;
  }
  hdb_session* s = hdb_session_open(db, &err);
  hdb_result* r = hdb_exec(s, "CREATE TABLE IF NOT EXISTS notes (id serial PRIMARY KEY, body text)", 0, NULL, &err);
  hdb_result_free(r);
  const char* params[] = {"written from C"};
  r = hdb_exec(s, "INSERT INTO notes (body) VALUES ($1) RETURNING id", 1, params, &err);
  if (r) printf("%s, id %s\n", hdb_result_command_tag(r), hdb_result_text(r, 0, 0));
  hdb_result_free(r);

  r = hdb_exec(s, "SELECT id, body FROM notes ORDER BY id", 0, NULL, &err);
  for (uint64_t i = 0; r && i < hdb_result_nrows(r); ++i) {
    int64_t id = 0;
    hdb_result_int64(r, i, 0, &id);
    printf("%lld\t%s\n", (long long)id, hdb_result_text(r, i, 1));
  }
  hdb_result_free(r);

  r = hdb_exec(s, "SELEC 1", 0, NULL, &err);
  if (!r) {
    printf("error %s: %s\n", hdb_error_sqlstate(err), hdb_error_message(err));
    hdb_error_free(err);
  }
  hdb_session_close(s);
  hdb_close(db);
  return 0;
}
