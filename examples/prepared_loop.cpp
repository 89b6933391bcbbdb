// Prepared statements in a hot loop: parse and plan once, then only bind and run. Each Session is
// one thread's connection; statements belong to the session that prepared them.
//   prepared_loop [DATA_DIR] [N]
#include <chrono>
#include <iostream>

#include <heliosdb/heliosdb.h>

int main(int argc, char** argv) {
  std::string dir = argc > 1 ? argv[1] : "prepared-data";
  int n = argc > 2 ? std::stoi(argv[2]) : 100000;
  try {
    auto db = heliosdb::Database::open(dir);
    auto s = db.session();
    s.execute("DROP TABLE IF EXISTS readings");
    s.execute("CREATE TABLE readings (sensor int, at int8, value float8, PRIMARY KEY (sensor, at))");
    auto insert = s.prepare("INSERT INTO readings VALUES ($1, $2, $3)");
    auto latest = s.prepare("SELECT value FROM readings WHERE sensor = $1 AND at = $2");

    using clock = std::chrono::steady_clock;
    auto t0 = clock::now();
    s.execute("BEGIN");  // one transaction: one fsync for the whole batch
    for (int i = 0; i < n; ++i) s.execute(insert, {i % 16, int64_t{i}, i * 0.5});
    s.execute("COMMIT");
    auto t1 = clock::now();
    double sum = 0;
    for (int i = 0; i < n; ++i) sum += s.execute(latest, {i % 16, int64_t{i}}).rows()[0][0].as_double();
    auto t2 = clock::now();

    auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
    std::cout << n << " prepared inserts: " << ms(t1 - t0) << " ms\n"
              << n << " prepared point selects: " << ms(t2 - t1) << " ms (sum " << sum << ")\n";
  } catch (const heliosdb::Error& e) {
    std::cerr << "prepared_loop: " << e.message() << " (" << e.sqlstate() << ")\n";
    return 1;
  }
  return 0;
}
