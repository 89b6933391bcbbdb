// heliosdb-nano: serves the databases of a data directory over the PostgreSQL protocol.
//
//   heliosdb-nano --data-dir DIR [--host 127.0.0.1] [--port 5432]
//                 [--auth trust|password|md5|scram-sha-256 --users FILE]
//                 [--tls-cert FILE --tls-key FILE] [--max-connections N]
//                 [--statement-timeout MS] [--idle-timeout MS]
//   heliosdb-nano --make-verifier NAME     reads a password on stdin, prints a users-file line
//
// Each database is a subdirectory of DIR; "postgres" is created on first start. Authentication
// defaults to trust, which is meant for loopback only.
#include <csignal>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "heliosdb/heliosdb.h"
#include "heliosdb/pgwire/server.h"

namespace {

volatile std::sig_atomic_t g_stop = 0;

void usage() {
  std::cerr << "usage: heliosdb-nano --data-dir DIR [--host HOST] [--port PORT]\n"
               "         [--auth trust|password|md5|scram-sha-256 --users FILE] [--tls-cert FILE --tls-key FILE]\n"
               "         [--max-connections N] [--statement-timeout MS] [--idle-timeout MS]\n"
               "       heliosdb-nano --make-verifier NAME   (password on stdin; prints NAME:SCRAM-SHA-256$...)\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::string data_dir;
  heliosdb::pgwire::ServerOptions options;
  // Flags that are server options: --max-connections N is set_server_option("max_connections", N).
  std::vector<std::pair<std::string, std::string>> server_flags;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        usage();
        std::exit(2);
      }
      return argv[++i];
    };
    static const std::map<std::string, std::string> kServerFlags = {
        {"--host", "host"}, {"-h", "host"}, {"--port", "port"}, {"-p", "port"}, {"--auth", "auth"},
        {"--users", "users_file"}, {"--tls-cert", "tls_cert"}, {"--tls-key", "tls_key"},
        {"--max-connections", "max_connections"}, {"--threads", "threads"},
        {"--statement-timeout", "statement_timeout"}, {"--idle-timeout", "idle_timeout"}};
    if (a == "--data-dir" || a == "-D") data_dir = value();
    else if (auto f = kServerFlags.find(a); f != kServerFlags.end()) server_flags.emplace_back(f->second, value());
    else if (a == "--make-verifier") {
      std::string name = value(), password;
      std::getline(std::cin, password);
      std::cout << name << ":" << heliosdb::pgwire::make_password_verifier(password) << "\n";
      return 0;
    } else if (a == "--help") {
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
    for (const auto& [name, value] : server_flags) heliosdb::pgwire::set_server_option(options, name, value);
    const std::string& host = options.host;
    if (options.auth == heliosdb::pgwire::AuthMethod::trust && host != "127.0.0.1" && host != "localhost" && host != "::1")
      std::cerr << "heliosdb-nano: warning: trust authentication on " << host << ": anyone who can reach it connects\n";
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
