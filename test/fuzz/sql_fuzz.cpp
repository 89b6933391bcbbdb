// libFuzzer target for the SQL front end and engine: any input must either run or fail with a
// heliosdb::Error, never crash, hang or corrupt the database.
#include <cstddef>
#include <cstdint>
#include <string>

#include "heliosdb/heliosdb.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static heliosdb::Database db = [] {
    auto d = heliosdb::Database::open_in_memory();
    d.execute("CREATE TABLE t (id int PRIMARY KEY, v text, n numeric, f float8)");
    d.execute("INSERT INTO t VALUES (1, 'a', 1.5, 2), (2, NULL, NULL, NULL)");
    return d;
  }();
  std::string sql(reinterpret_cast<const char*>(data), size);
  if (sql.find('\0') != std::string::npos) return 0;
  auto session = db.session();
  try {
    session.execute(sql);
  } catch (const heliosdb::Error&) {
  }
  return 0;
}
