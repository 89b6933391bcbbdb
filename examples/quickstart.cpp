// The embedded quickstart: open (or create) a database directory, write, read.
//   quickstart [DATA_DIR]
#include <iostream>

#include <heliosdb/heliosdb.h>

int main(int argc, char** argv) {
  std::string dir = argc > 1 ? argv[1] : "heliosdb-data";
  try {
    auto db = heliosdb::Database::open(dir);
    db.execute("CREATE TABLE IF NOT EXISTS notes (id serial PRIMARY KEY, body text NOT NULL)");
    auto ins = db.execute("INSERT INTO notes (body) VALUES ($1), ($2) RETURNING id", {"hello", "world"});
    std::cout << ins.command_tag() << " (ids";
    for (const auto& row : ins.rows()) std::cout << " " << row[0].to_text();
    std::cout << ")\n";

    auto r = db.execute("SELECT id, body FROM notes ORDER BY id");
    for (const auto& c : r.columns()) std::cout << c.name << "\t";
    std::cout << "\n";
    for (const auto& row : r.rows()) std::cout << row[0].to_text() << "\t" << row[1].to_text() << "\n";
    std::cout << r.command_tag() << "\n";

    try {
      db.execute("SELEC 1");
    } catch (const heliosdb::Error& e) {
      std::cout << "error " << e.sqlstate() << ": " << e.message() << "\n";
    }
  } catch (const heliosdb::Error& e) {
    std::cerr << "quickstart: " << e.message() << " (" << e.sqlstate() << ")\n";
    return 1;
  }
  return 0;
}
