// heliosdb-nano: serves the databases of a data directory over the PostgreSQL protocol.
//
//   heliosdb-nano --data-dir DIR [--host 127.0.0.1] [--port 5432]
//
// Each database is a subdirectory of DIR; "postgres" is created on first start. Trust
// authentication, so listen on loopback only until authentication is configured.
#include <csignal>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "heliosdb/heliosdb.h"
#include "heliosdb/pgwire/server.h"

namespace {

volatile std::sig_atomic_t g_stop = 0;

void usage() {
  std::cerr << "usage: heliosdb-nano --data-dir DIR [--host HOST] [--port PORT]\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::string data_dir, host = "127.0.0.1";
  int port = 5432;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        usage();
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--data-dir" || a == "-D") data_dir = value();
    else if (a == "--host" || a == "-h") host = value();
    else if (a == "--port" || a == "-p") port = std::stoi(value());
    else if (a == "--help") {
      usage();
      return 0;
    } else {
      std::cerr << "unknown option " << a << "\n";
      usage();
      return 2;
    }
  }
  if (data_dir.empty()) {
    usage();
    return 2;
  }
  try {
    std::filesystem::create_directories(std::filesystem::path(data_dir) / "postgres");
    std::mutex mu;
    std::map<std::string, heliosdb::Database> open;
    auto resolve = [&](const std::string& name) -> std::optional<heliosdb::Database> {
      std::lock_guard lock(mu);
      if (auto it = open.find(name); it != open.end()) return it->second;
      if (name.empty() || name.find('/') != std::string::npos || name[0] == '.') return std::nullopt;
      auto path = std::filesystem::path(data_dir) / name;
      if (!std::filesystem::is_directory(path)) return std::nullopt;
      auto db = heliosdb::Database::open(path.string());
      open.emplace(name, db);
      return db;
    };
    heliosdb::pgwire::ServerOptions options;
    options.host = host;
    options.port = static_cast<uint16_t>(port);
    heliosdb::pgwire::Server server(resolve, options);
    server.start();
    std::cout << "heliosdb-nano " << heliosdb::version() << " listening on " << host << ":" << server.port()
              << " (data directory " << data_dir << ")" << std::endl;
    std::signal(SIGINT, [](int) { g_stop = 1; });
    std::signal(SIGTERM, [](int) { g_stop = 1; });
    while (!g_stop) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    server.stop();
  } catch (const heliosdb::Error& e) {
    std::cerr << "heliosdb-nano: " << e.message() << " (" << e.sqlstate() << ")\n";
    return 1;
  }
  return 0;
}
