// A write that fails on disk (here: the process may not grow a file past a size limit, so
// LevelDB's log write fails with EFBIG, as it would with ENOSPC) is an error for the committing
// session, not a crash; what was committed before is intact, reads go on, and once the disk has
// room again writes work, without opening the database again; opened again, everything
// committed is there.
//   io_error_test [DIR]      (default: a fresh temporary directory, removed afterwards)
#include <sys/resource.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

#include "heliosdb/heliosdb.h"

int main(int argc, char** argv) {
  std::string tmp;
  if (argc < 2) {
    char pattern[] = "/tmp/heliosdb-io-error-XXXXXX";
    if (!mkdtemp(pattern)) return 2;
    tmp = pattern;
  }
  std::string dir = argc > 1 ? std::string(argv[1]) : tmp + "/db";
  int failures = 0;
  auto check = [&](bool ok, const std::string& what) {
    if (!ok) {
      std::cerr << "io_error_test: " << what << "\n";
      ++failures;
    }
  };
  int64_t committed = 0;
  try {
    auto db = heliosdb::Database::open(dir);
    db.execute("CREATE TABLE t (id int PRIMARY KEY, v text)");
    db.execute("INSERT INTO t SELECT g, repeat('x', 100) FROM generate_series(1, 1000) g");
    committed = 1000;
    // From now on no file may grow past 2 MiB: the write-ahead log soon cannot be written.
    std::signal(SIGXFSZ, SIG_IGN);
    rlimit lim{2u << 20, 2u << 20};
    setrlimit(RLIMIT_FSIZE, &lim);
    std::string error;
    auto s = db.session();
    // Each transaction creates a role too (the roles' file is small and still written): the
    // role of the one that fails goes with it.
    int failed = -1;
    for (int i = 0; i < 1000 && error.empty(); ++i) {
      try {
        s.execute("BEGIN");
        s.execute("CREATE ROLE r" + std::to_string(i));
        s.execute("INSERT INTO t SELECT g, repeat('y', 1000) FROM generate_series($1, $2) g",
                  {1001 + i * 100, 1100 + i * 100});
        s.execute("COMMIT");
        committed += 100;
      } catch (const heliosdb::Error& e) {
        error = e.sqlstate() + " " + e.message();
        failed = i;
        check(e.sqlstate() == "58030", "unexpected error " + error);
      }
    }
    check(!error.empty(), "no write failed");
    std::cout << "the failed commit said: " << error << "\n";
    auto roles = [&] {
      return db.execute("SELECT count(*) FROM pg_roles WHERE rolname ~ '^r[0-9]+$'").rows()[0][0].as_int();
    };
    check(failed > 0 && roles() == failed, "the roles of " + std::to_string(failed) + " committed transactions: " +
                                                std::to_string(roles()) + " roles");
    // The session and the database are still there: reads answer with what was committed.
    auto r = db.execute("SELECT count(*) FROM t");
    check(r.rows()[0][0].as_int() == committed,
          "after the failure " + r.rows()[0][0].to_text() + " rows, committed " + std::to_string(committed));
    // The disk has room again, but another session has a transaction open (its snapshot is
    // the LevelDB's): writes still fail, with the same error.
    rlimit unlimited{RLIM_INFINITY, RLIM_INFINITY};
    setrlimit(RLIMIT_FSIZE, &unlimited);
    auto reader = db.session();
    reader.execute("BEGIN");
    reader.execute("SELECT count(*) FROM t");
    try {
      db.execute("INSERT INTO t VALUES (0, 'while a transaction is open')");
      check(false, "a write succeeded while the database could not be opened again");
    } catch (const heliosdb::Error& e) {
      check(e.sqlstate() == "58030", "unexpected error for a later write: " + e.sqlstate() + " " + e.message());
    }
    reader.execute("COMMIT");
    // Now the next write opens the LevelDB again and is written, without reopening the
    // database; the other sessions go on.
    db.execute("INSERT INTO t VALUES (-2, 'recovered')");
    ++committed;
    s.execute("INSERT INTO t VALUES (-3, 'recovered too')");
    ++committed;
    check(reader.execute("SELECT v FROM t WHERE id = -3").rows().size() == 1, "another session reads after recovering");
    r = db.execute("SELECT count(*) FROM t");
    check(r.rows()[0][0].as_int() == committed,
          "after recovering: " + r.rows()[0][0].to_text() + " rows, committed " + std::to_string(committed));
  } catch (const heliosdb::Error& e) {
    check(false, "unexpected " + e.sqlstate() + " " + e.message());
  }
  // Opened again, everything committed is there.
  try {
    auto db = heliosdb::Database::open(dir);
    auto r = db.execute("SELECT count(*) FROM t");
    check(r.rows()[0][0].as_int() == committed,
          "reopened: " + r.rows()[0][0].to_text() + " rows, committed " + std::to_string(committed));
    check(db.execute("SELECT count(*) FROM pg_roles WHERE rolname ~ '^r[0-9]+$'").rows()[0][0].as_int() == (committed - 1002) / 100,
          "reopened: the roles of the committed transactions");
    db.execute("INSERT INTO t VALUES (-1, 'reopened')");
    check(db.execute("SELECT v FROM t WHERE id = -1").rows().size() == 1, "write after reopening");
  } catch (const heliosdb::Error& e) {
    check(false, "reopening: " + e.sqlstate() + " " + e.message());
  }
  if (!tmp.empty()) std::filesystem::remove_all(tmp);
  std::cout << "io_error_test: " << (failures ? "FAILED" : "ok") << "\n";
  return failures ? 1 : 0;
}
