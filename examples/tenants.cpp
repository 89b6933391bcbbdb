// Tenant-per-database: every customer gets their own database directory under one root, opened
// on first use and kept open in a registry. The same registry answers pgwire clients, so
// `psql -d acme` reaches tenant "acme" and nothing else.
//   tenants [ROOT] [PORT]     (PORT given: keeps serving until killed)
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include <heliosdb/heliosdb.h>
#include <heliosdb/pgwire/server.h>

class TenantRegistry {
 public:
  explicit TenantRegistry(std::filesystem::path root) : root_(std::move(root)) {}

  // The tenant's database, opened (and created) on first use. Thread-safe.
  heliosdb::Database get(const std::string& tenant) {
    if (!valid(tenant)) throw heliosdb::Error("3D000", "invalid tenant name \"" + tenant + "\"");
    std::lock_guard lock(mu_);
    if (auto it = open_.find(tenant); it != open_.end()) return it->second;
    auto db = heliosdb::Database::open((root_ / tenant).string());
    db.execute("CREATE TABLE IF NOT EXISTS invoices (id serial PRIMARY KEY, customer text, cents int8)");
    return open_.emplace(tenant, db).first->second;
  }

  // For pgwire: only tenants that already exist are served; anything else gets 3D000.
  std::optional<heliosdb::Database> find(const std::string& tenant) {
    if (!valid(tenant) || !std::filesystem::is_directory(root_ / tenant)) return std::nullopt;
    return get(tenant);
  }

 private:
  static bool valid(const std::string& t) {
    return !t.empty() && t.size() < 64 && t.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") == std::string::npos;
  }
  std::filesystem::path root_;
  std::mutex mu_;
  std::map<std::string, heliosdb::Database> open_;
};

int main(int argc, char** argv) {
  std::filesystem::path root = argc > 1 ? argv[1] : "tenants-data";
  try {
    TenantRegistry tenants(root);
    // Requests for different tenants, in parallel.
    std::vector<std::thread> requests;
    for (std::string t : {"acme", "globex", "initech"}) {
      requests.emplace_back([&tenants, t] {
        auto db = tenants.get(t);
        for (int i = 1; i <= 3; ++i)
          db.execute("INSERT INTO invoices (customer, cents) VALUES ($1, $2)", {t + " customer", int64_t{i * 1000}});
      });
    }
    for (auto& r : requests) r.join();
    for (std::string t : {"acme", "globex", "initech"}) {
      auto r = tenants.get(t).execute("SELECT count(*), sum(cents) FROM invoices WHERE customer LIKE $1", {t + "%"});
      std::cout << t << ": " << r.rows()[0][0].to_text() << " invoices, " << r.rows()[0][1].to_text() << " cents\n";
    }
    try {
      tenants.get("../etc");
    } catch (const heliosdb::Error& e) {
      std::cout << "refused: " << e.message() << "\n";
    }

    heliosdb::pgwire::ServerOptions options;
    options.port = static_cast<uint16_t>(argc > 2 ? std::stoi(argv[2]) : 0);
    heliosdb::pgwire::Server server([&](const std::string& name) { return tenants.find(name); }, options);
    server.start();
    std::cout << "serving tenants on 127.0.0.1:" << server.port() << " (psql -h 127.0.0.1 -p " << server.port()
              << " -U postgres -d acme)\n";
    if (argc > 2)
      for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
    server.stop();
  } catch (const heliosdb::Error& e) {
    std::cerr << "tenants: " << e.message() << " (" << e.sqlstate() << ")\n";
    return 1;
  }
  return 0;
}
