// heliosdb/pgwire/server.h — the PostgreSQL v3 wire-protocol listener (library heliosdb::pgwire).
//
//   heliosdb::pgwire::Server server(db, {.port = 0});
//   server.start();                 // returns once the socket listens
//   connect psql to 127.0.0.1:server.port()
//   server.stop();
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "heliosdb/database.h"

namespace heliosdb::pgwire {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 5432;               // 0 picks a free port (see Server::port())
  size_t max_connections = 100;       // more get 53300 "too many connections"
  size_t statement_cache_size = 100;  // named prepared statements kept per connection (LRU)
  int io_threads = 2;                 // threads running the connections
};

// Maps the database name a client asks for to an open Database, or std::nullopt when there is
// no such database (the client then gets 3D000).
using DatabaseResolver = std::function<std::optional<Database>(const std::string& name)>;

class Server {
 public:
  // Serves one database under every name a client asks for.
  Server(Database db, ServerOptions options = {});
  // Serves the databases the resolver knows.
  Server(DatabaseResolver resolver, ServerOptions options = {});
  ~Server();  // stops (see stop())
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens, then serves on background threads. Throws heliosdb::Error (58000 class)
  // when the address cannot be bound, e.g. the port is in use, or when already started.
  void start();
  // The port listened on (useful with port 0). 0 before start().
  uint16_t port() const;
  // Stops accepting, lets running statements finish for up to drain_timeout, then closes every
  // connection (their open transactions roll back) and joins the threads.
  void stop(std::chrono::milliseconds drain_timeout = std::chrono::seconds(5));

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace heliosdb::pgwire
