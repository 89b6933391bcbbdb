#include "heliosdb/pgwire/server.h"

#include <boost/asio.hpp>

#include <sched.h>

#include <condition_variable>
#include <fstream>
#include <mutex>
#include <thread>

#include "common/blocking.h"
#include "common/errors.h"
#include "common/int_text.h"
#include "common/auth.h"
#include "pgwire/connection.h"

namespace heliosdb::pgwire {

namespace asio = boost::asio;

namespace {
// CPUs this process may run on (taskset), at least 1.
int available_cpus() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) return std::max(1, CPU_COUNT(&set));
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}
}  // namespace

struct Server::Impl {
  std::shared_ptr<ServerState> state = std::make_shared<ServerState>();
  asio::io_context io;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::unique_ptr<asio::ip::tcp::acceptor> acceptor;
  std::vector<std::thread> threads;
  // Elastic threads: when every thread is inside a statement and none finished one lately, the
  // monitor adds a thread so the other connections keep being served; it leaves when idle.
  std::thread monitor;
  std::atomic<bool> stopping{false};
  std::atomic<int> running{0};
  // A thread about to wait for a lock says so (about_to_wait): if every thread is then busy, the
  // monitor adds one at once rather than after a quiet interval.
  BlockingHook hook{&Impl::blocking_begins, this};
  std::mutex monitor_mu;
  std::condition_variable monitor_cv;
  bool wake_monitor = false;  // guarded by monitor_mu

  static void blocking_begins(void* arg) {
    auto* self = static_cast<Impl*>(arg);
    if (self->state->busy.load() < static_cast<size_t>(self->running.load())) return;
    {
      std::lock_guard lock(self->monitor_mu);
      self->wake_monitor = true;
    }
    self->monitor_cv.notify_one();
  }
  // What every thread that serves connections runs.
  void serve(auto&& run) {
    set_thread_blocking_hook(&hook);
    run();
    set_thread_blocking_hook(nullptr);
  }
  struct Extra {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  std::vector<Extra> extra;  // only the monitor thread touches it until stop() joins it
  std::mutex mu;
  std::vector<std::weak_ptr<Connection>> connections;  // guarded by mu
  uint16_t port = 0;
  bool started = false;

  void watch(int limit) {
    uint64_t last = state->started_messages.load();
    while (!stopping) {
      bool blocked = false;
      {
        std::unique_lock lock(monitor_mu);
        monitor_cv.wait_for(lock, std::chrono::milliseconds(20), [this] { return wake_monitor || stopping.load(); });
        blocked = wake_monitor;
        wake_monitor = false;
      }
      std::erase_if(extra, [](Extra& e) {
        if (!e.done->load()) return false;
        e.thread.join();
        return true;
      });
      uint64_t now = state->started_messages.load();
      bool stuck = (now == last || blocked) && state->busy.load() >= static_cast<size_t>(running.load());
      last = now;
      if (!stuck || running.load() >= limit) continue;
      auto done = std::make_shared<std::atomic<bool>>(false);
      ++running;
      extra.push_back({std::thread([this, done] {
                         serve([this] {
                           while (!stopping) {
                             io.run_for(std::chrono::milliseconds(200));
                             if (state->busy.load() + 1 < static_cast<size_t>(running.load())) break;
                           }
                         });
                         --running;
                         *done = true;
                       }),
                       done});
    }
  }

  asio::awaitable<void> listen() {
    for (;;) {
      boost::system::error_code ec;
      asio::ip::tcp::socket socket =
          co_await acceptor->async_accept(asio::make_strand(io), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (ec == asio::error::operation_aborted || !acceptor->is_open()) co_return;
        continue;  // e.g. EMFILE: keep serving the connections we have
      }
      auto conn = std::make_shared<Connection>(std::move(socket), state);
      {
        std::lock_guard lock(mu);
        std::erase_if(connections, [](const auto& w) { return w.expired(); });
        connections.push_back(conn);
      }
      asio::co_spawn(conn->executor(), [conn]() -> asio::awaitable<void> { co_await conn->run(); }, asio::detached);
    }
  }
};

std::string make_password_verifier(std::string_view password) { return auth::scram_verifier(password); }

namespace {

uint64_t option_number(std::string_view name, std::string_view value, uint64_t max) {
  auto n = parse_count(value, max);
  if (!n) raise(sqlstate::kInvalidParameterValue, "invalid value for option \"{}\": \"{}\"", name, value);
  return *n;
}

}  // namespace

void set_server_option(ServerOptions& o, std::string_view name, std::string_view value) {
  if (name == "host") {
    o.host = value;
  } else if (name == "port") {
    o.port = static_cast<uint16_t>(option_number(name, value, 65535));
  } else if (name == "auth") {
    if (value == "trust") o.auth = AuthMethod::trust;
    else if (value == "password") o.auth = AuthMethod::password;
    else if (value == "md5") o.auth = AuthMethod::md5;
    else if (value == "scram-sha-256") o.auth = AuthMethod::scram_sha_256;
    else throw make_error(sqlstate::kInvalidParameterValue, "invalid value for option \"auth\": \"{}\"", value)
        .with_hint("Available values: trust, password, md5, scram-sha-256.");
  } else if (name == "users_file") {
    o.users.merge(read_users_file(std::string(value)));
  } else if (name == "user") {
    size_t colon = value.find(':');
    if (colon == 0 || colon == std::string_view::npos)
      raise(sqlstate::kInvalidParameterValue, "option \"user\" takes \"name:password\"");
    o.users[std::string(value.substr(0, colon))] = make_password_verifier(value.substr(colon + 1));
  } else if (name == "tls_cert") {
    o.tls_cert_file = value;
  } else if (name == "tls_key") {
    o.tls_key_file = value;
  } else if (name == "tls_mode") {
    if (value == "disable") o.tls_mode = TlsMode::disable;
    else if (value == "allow") o.tls_mode = TlsMode::allow;
    else if (value == "prefer") o.tls_mode = TlsMode::prefer;
    else if (value == "require") o.tls_mode = TlsMode::require;
    else raise(sqlstate::kInvalidParameterValue, "invalid value for server option \"tls_mode\": \"{}\"", value);
  } else if (name == "max_connections") {
    o.max_connections = option_number(name, value, 1u << 20);
  } else if (name == "statement_cache_size") {
    o.statement_cache_size = option_number(name, value, 1u << 20);
  } else if (name == "statement_timeout") {
    o.query_timeout = std::chrono::milliseconds(option_number(name, value, INT32_MAX));
  } else if (name == "idle_timeout") {
    o.idle_timeout = std::chrono::milliseconds(option_number(name, value, INT32_MAX));
  } else if (name == "threads") {
    o.threads = static_cast<int>(option_number(name, value, 1024));
  } else {
    raise(sqlstate::kInvalidParameterValue, "unrecognized server option \"{}\"", name);
  }
}

std::map<std::string, std::string> read_users_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) raise(sqlstate::kConfigFileError, "could not open users file \"{}\"", path);
  std::map<std::string, std::string> users;
  std::string line;
  for (int lineno = 1; std::getline(in, line); ++lineno) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    size_t colon = line.find(':');
    std::string verifier = colon == std::string::npos ? "" : line.substr(colon + 1);
    if (colon == 0 || (!auth::is_scram(verifier) && !auth::is_md5(verifier)))
      raise(sqlstate::kConfigFileError, "users file \"{}\" line {}: expected name:SCRAM-SHA-256$... or name:md5...", path,
            lineno);
    users[line.substr(0, colon)] = verifier;
  }
  return users;
}

Server::Server(Database db, ServerOptions options)
    : Server([db](const std::string&) -> std::optional<Database> { return db; }, std::move(options)) {
  impl_->state->roles = [db](const std::string& name) { return db.login_role(name); };
}

Server::Server(Cluster cluster, ServerOptions options)
    : Server([cluster](const std::string& name) mutable { return cluster.database(name); }, std::move(options)) {
  impl_->state->roles = [cluster](const std::string& name) { return cluster.login_role(name); };
}

Server::Server(DatabaseResolver resolver, ServerOptions options) : impl_(std::make_shared<Impl>()) {
  impl_->state->resolve = std::move(resolver);
  impl_->state->users = options.users;
  impl_->state->options = std::move(options);
}

void Server::set_users(std::map<std::string, std::string> users) {
  std::lock_guard lock(impl_->state->mu);
  impl_->state->users = std::move(users);
}

Server::~Server() { stop(std::chrono::milliseconds(0)); }

void Server::start() {
  Impl& s = *impl_;
  if (s.started) raise(sqlstate::kObjectNotInPrerequisiteState, "server already started");
  if (s.state->options.tls_mode == TlsMode::require && s.state->options.tls_cert_file.empty())
    raise(sqlstate::kConfigFileError, "TLS is required (tls_mode require) but no certificate is configured");
  boost::system::error_code ec;
  auto address = asio::ip::make_address(s.state->options.host == "localhost" ? "127.0.0.1" : s.state->options.host, ec);
  if (ec) raise(sqlstate::kConfigFileError, "invalid listen address \"{}\"", s.state->options.host);
  asio::ip::tcp::endpoint ep(address, s.state->options.port);
  s.acceptor = std::make_unique<asio::ip::tcp::acceptor>(s.io);
  s.acceptor->open(ep.protocol(), ec);
  if (!ec) s.acceptor->set_option(asio::ip::tcp::acceptor::reuse_address(true), ec);
  if (!ec) s.acceptor->bind(ep, ec);
  if (!ec) s.acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    s.acceptor.reset();
    raise(sqlstate::kSystemError, "could not bind to {}:{}: {}", s.state->options.host, s.state->options.port, ec.message());
  }
  s.port = s.acceptor->local_endpoint().port();
  if (!s.state->options.tls_cert_file.empty() || !s.state->options.tls_key_file.empty()) {
    auto tls = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
    tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                     asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
    tls->use_certificate_chain_file(s.state->options.tls_cert_file, ec);
    if (ec) raise(sqlstate::kConfigFileError, "could not load server certificate file \"{}\": {}", s.state->options.tls_cert_file, ec.message());
    tls->use_private_key_file(s.state->options.tls_key_file, asio::ssl::context::pem, ec);
    if (ec) raise(sqlstate::kConfigFileError, "could not load private key file \"{}\": {}", s.state->options.tls_key_file, ec.message());
    s.state->tls = std::move(tls);
  }
  s.work.emplace(s.io.get_executor());
  asio::co_spawn(s.io, s.listen(), asio::detached);
  int n = s.state->options.threads > 0 ? s.state->options.threads : available_cpus();
  s.stopping = false;
  for (int i = 0; i < n; ++i)
    s.threads.emplace_back([&s] {
      ++s.running;
      s.serve([&s] { s.io.run(); });
      --s.running;
    });
  s.monitor = std::thread([&s, n] { s.watch(n + 256); });
  s.started = true;
}

uint16_t Server::port() const { return impl_->port; }

void Server::stop(std::chrono::milliseconds drain_timeout) {
  Impl& s = *impl_;
  if (!s.started) return;
  s.started = false;
  asio::post(s.io, [&s] {
    boost::system::error_code ec;
    if (s.acceptor) s.acceptor->close(ec);
  });
  // Let running statements finish (no new ones start), then close every connection.
  s.state->stopping = true;
  auto deadline = std::chrono::steady_clock::now() + drain_timeout;
  while (s.state->busy.load() > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  {
    std::lock_guard lock(s.mu);
    for (auto& w : s.connections)
      if (auto c = w.lock()) asio::post(c->executor(), [c] { c->terminate(); });
  }
  s.work.reset();
  auto hard = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (s.state->connections.load() > 0 && std::chrono::steady_clock::now() < hard)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  s.stopping = true;
  s.io.stop();
  if (s.monitor.joinable()) s.monitor.join();
  for (auto& t : s.threads) t.join();
  s.threads.clear();
  for (auto& e : s.extra) e.thread.join();
  s.extra.clear();
  s.acceptor.reset();
}

}  // namespace heliosdb::pgwire
