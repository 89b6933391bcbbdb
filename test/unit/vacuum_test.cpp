// VACUUM compacts the LevelDB: the space of deleted rows comes back.
#include <catch2/catch.hpp>

#include <filesystem>

#include "heliosdb/heliosdb.h"

using namespace heliosdb;
namespace fs = std::filesystem;

namespace {
uintmax_t table_files_size(const fs::path& dir) {
  uintmax_t n = 0;
  for (const auto& f : fs::directory_iterator(dir))
    if (f.path().extension() == ".ldb") n += f.file_size();
  return n;
}
}  // namespace

TEST_CASE("VACUUM writes the data out compacted and gives back the space of deleted rows") {
  fs::path dir = fs::temp_directory_path() / "heliosdb-vacuum-test";
  fs::remove_all(dir);
  {
    auto db = Database::open(dir.string());
    auto s = db.session();
    s.execute("CREATE TABLE t (id int PRIMARY KEY, v text)");
    s.execute("CREATE INDEX t_v ON t (v)");
    s.execute("INSERT INTO t SELECT i, md5(i::text) || md5((i + 1)::text) || md5((i + 2)::text) FROM generate_series(1, 20000) i");
    // The rows are in LevelDB's log and memory table until VACUUM writes them out.
    CHECK(s.execute("VACUUM").command_tag() == "VACUUM");
    uintmax_t full = table_files_size(dir);
    CHECK(full > 2'000'000);
    s.execute("DELETE FROM t WHERE id > 1000");
    s.execute("VACUUM t");
    uintmax_t after = table_files_size(dir);
    CHECK(after < full / 5);
    CHECK(s.execute("SELECT count(*), min(id), max(id) FROM t").rows()[0][2].as_int() == 1000);
    CHECK(s.execute("SELECT count(*) FROM t WHERE v > 'f'").rows()[0][0].as_int() > 0);
    s.execute("BEGIN");
    CHECK_THROWS_WITH(s.execute("VACUUM t"), Catch::Contains("VACUUM cannot run inside a transaction block"));
    s.execute("ROLLBACK");
    CHECK_THROWS_WITH(s.execute("VACUUM nosuch"), Catch::Contains("relation \"nosuch\" does not exist"));
  }
  fs::remove_all(dir);
}
