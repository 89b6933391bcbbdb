// The object an integrity error is about reaches the embedded API as PostgreSQL reports it:
// Error::schema_name / table_name / column_name / datatype_name / constraint_name.
#include <catch2/catch.hpp>

#include <array>
#include <string>

#include "heliosdb/heliosdb.h"

using namespace heliosdb;

namespace {

// schema, table, column, data type, constraint of the error sql raises (SQLSTATE state).
std::array<std::string, 5> fields_of(Database& db, const std::string& sql, const std::string& state) {
  try {
    db.execute(sql);
  } catch (const Error& e) {
    REQUIRE(e.sqlstate() == state);
    return {e.schema_name(), e.table_name(), e.column_name(), e.datatype_name(), e.constraint_name()};
  }
  FAIL("expected " << sql << " to fail");
  return {};
}

}  // namespace

TEST_CASE("integrity errors name their schema, table, column, data type and constraint") {
  auto db = Database::open_in_memory();
  db.execute("CREATE SCHEMA app");
  db.execute("CREATE DOMAIN app.pos AS int CONSTRAINT pos_check CHECK (VALUE > 0)");
  db.execute("CREATE TABLE app.parent (id int PRIMARY KEY, n int NOT NULL, c int CONSTRAINT c_check CHECK (c < 10))");
  db.execute("CREATE TABLE app.child (pid int CONSTRAINT child_fk REFERENCES app.parent, p app.pos)");
  db.execute("INSERT INTO app.parent VALUES (1, 1, 1)");
  using F = std::array<std::string, 5>;
  CHECK(fields_of(db, "INSERT INTO app.parent VALUES (1, 1, 1)", "23505") == F{"app", "parent", "", "", "parent_pkey"});
  CHECK(fields_of(db, "INSERT INTO app.parent VALUES (2, NULL, 1)", "23502") == F{"app", "parent", "n", "", ""});
  CHECK(fields_of(db, "INSERT INTO app.parent VALUES (2, 1, 50)", "23514") == F{"app", "parent", "", "", "c_check"});
  CHECK(fields_of(db, "INSERT INTO app.child VALUES (7, 1)", "23503") == F{"app", "child", "", "", "child_fk"});
  CHECK(fields_of(db, "INSERT INTO app.child VALUES (1, -1)", "23514") == F{"app", "", "", "pos", "pos_check"});
  // An error about no object has none of them.
  CHECK(fields_of(db, "SELECT 1 / 0", "22012") == F{});
}
