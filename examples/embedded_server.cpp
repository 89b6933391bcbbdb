// A host program that uses the C++ API and, in the same process, serves the same database to
// PostgreSQL clients:  embedded_server [DATA_DIR] [PORT]   then   psql -h 127.0.0.1 -p PORT
#include <iostream>
#include <thread>

#include <heliosdb/heliosdb.h>
#include <heliosdb/pgwire/server.h>

int main(int argc, char** argv) {
  std::string dir = argc > 1 ? argv[1] : "heliosdb-data";
  int port = argc > 2 ? std::stoi(argv[2]) : 0;
  auto db = heliosdb::Database::open(dir);
  db.execute("CREATE TABLE IF NOT EXISTS visits (id serial PRIMARY KEY, who text)");
  db.execute("INSERT INTO visits (who) VALUES ($1)", {"host program"});

  heliosdb::pgwire::ServerOptions options;
  options.port = static_cast<uint16_t>(port);
  heliosdb::pgwire::Server server(db, options);
  server.start();
  std::cout << "listening on 127.0.0.1:" << server.port() << "; try: psql -h 127.0.0.1 -p " << server.port()
            << " -U postgres -c 'SELECT * FROM visits'" << std::endl;
  // The host keeps using the database while clients are connected.
  for (int i = 0; i < 5; ++i) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    auto r = db.execute("SELECT count(*) FROM visits");
    std::cout << "visits: " << r.rows()[0][0].to_text() << std::endl;
  }
  server.stop();
  return 0;
}
