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
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "heliosdb/cluster.h"
#include "heliosdb/database.h"

namespace heliosdb::pgwire {

// How clients prove who they are (PostgreSQL's pg_hba methods of the same names).
enum class AuthMethod {
  trust,          // anyone may connect as any user
  password,       // cleartext password, checked against the user's stored verifier
  md5,            // md5 challenge; users stored with a SCRAM verifier get scram-sha-256 instead
  scram_sha_256,  // SCRAM-SHA-256 (RFC 7677)
};

// Whether connections use TLS (PostgreSQL's sslmode, seen from the server): with a certificate,
// `require` refuses unencrypted connections (28000), `prefer` and `allow` let the client
// choose; `disable` answers every SSLRequest with 'N'.
enum class TlsMode { disable, allow, prefer, require };

// Severity of the server's log lines.
enum class LogLevel { debug, info, warning, error };

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 5432;               // 0 picks a free port (see Server::port())
  AuthMethod auth = AuthMethod::trust;
  // User name -> stored password verifier: "SCRAM-SHA-256$..." (make_password_verifier) or,
  // for md5 authentication, "md5" + md5hex(password + user). Plain passwords are never stored.
  std::map<std::string, std::string> users;
  // TLS on SSLRequest when both are set (PEM files); otherwise SSLRequest is answered 'N'.
  std::string tls_cert_file, tls_key_file;
  TlsMode tls_mode = TlsMode::prefer;
  // With trust authentication, only clients on a loopback address get in; others are refused
  // (28000), as a pg_hba.conf with trust for local connections only.
  bool trust_loopback_only = false;
  // Where the server's log lines go (connections, authentication failures, statement errors);
  // `connection` is the backend pid the client sees (0: none). Unset: no logging.
  std::function<void(LogLevel level, int32_t connection, std::string_view message)> log;
  size_t max_connections = 100;       // more get 53300 "too many connections"
  size_t statement_cache_size = 100;  // named prepared statements kept per connection (LRU)
  // Defaults for each connection's statement_timeout and idle_session_timeout /
  // idle_in_transaction_session_timeout settings; zero means none.
  std::chrono::milliseconds query_timeout{0};
  std::chrono::milliseconds idle_timeout{0};
  // Threads that run the connections and their statements; 0: one per CPU this process may
  // use. A statement runs on the thread that read it; when every thread is held by a statement
  // the server adds threads (up to 256 more) so other connections are still served.
  int threads = 0;
};

// A SCRAM-SHA-256 verifier for a password, with a random salt, in PostgreSQL's format.
std::string make_password_verifier(std::string_view password);
// Sets one option from its text form, as configuration files, the C API and the Node addon give
// them: host, port, auth (trust|password|md5|scram-sha-256), users_file (read_users_file),
// user ("name:password", stored as a SCRAM verifier), tls_cert, tls_key, max_connections,
// statement_cache_size, statement_timeout and idle_timeout (milliseconds), threads,
// tls_mode (disable|allow|prefer|require).
// Throws heliosdb::Error 22023 for an unknown option or a value it cannot take.
void set_server_option(ServerOptions& options, std::string_view name, std::string_view value);
// Reads a users file: one "name:verifier" per line; blank lines and lines starting with '#'
// are skipped. Throws heliosdb::Error (F0000) on a missing file or a line without a verifier.
std::map<std::string, std::string> read_users_file(const std::string& path);

// Maps the database name a client asks for to an open Database, or std::nullopt when there is
// no such database (the client then gets 3D000).
using DatabaseResolver = std::function<std::optional<Database>(const std::string& name)>;

class Server {
 public:
  // Serves one database under every name a client asks for; users log in as its roles (and as
  // the users of ServerOptions::users).
  Server(Database db, ServerOptions options = {});
  // Serves the cluster's databases by name; users log in as its roles (and as the users of
  // ServerOptions::users, who act as superusers when no role has their name).
  Server(Cluster cluster, ServerOptions options = {});
  // Serves the databases the resolver knows; any user name logs in (checked against
  // ServerOptions::users when authentication asks for a password).
  Server(DatabaseResolver resolver, ServerOptions options = {});
  ~Server();  // stops (see stop())
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens, then serves on background threads. Throws heliosdb::Error (58000 class)
  // when the address cannot be bound, e.g. the port is in use, or when already started.
  void start();
  // The port listened on (useful with port 0). 0 before start().
  uint16_t port() const;
  // Replaces the users (name -> verifier) that new connections authenticate against, as after
  // the users file changed; connections already in are not affected.
  void set_users(std::map<std::string, std::string> users);
  // Stops accepting, lets running statements finish for up to drain_timeout, then closes every
  // connection (their open transactions roll back) and joins the threads.
  void stop(std::chrono::milliseconds drain_timeout = std::chrono::seconds(5));

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace heliosdb::pgwire
