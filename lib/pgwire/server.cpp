#include "heliosdb/pgwire/server.h"

#include <boost/asio.hpp>

#include <thread>

#include "common/errors.h"
#include "pgwire/connection.h"

namespace heliosdb::pgwire {

namespace asio = boost::asio;

struct Server::Impl {
  ServerOptions options;
  std::shared_ptr<ServerState> state = std::make_shared<ServerState>();
  asio::io_context io;
  std::unique_ptr<asio::thread_pool> workers;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::unique_ptr<asio::ip::tcp::acceptor> acceptor;
  std::vector<std::thread> threads;
  std::mutex mu;
  std::vector<std::weak_ptr<Connection>> connections;  // guarded by mu
  uint16_t port = 0;
  bool started = false;

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

Server::Server(Database db, ServerOptions options) : impl_(std::make_shared<Impl>()) {
  impl_->options = std::move(options);
  impl_->state->resolve = [db](const std::string&) -> std::optional<Database> { return db; };
  impl_->state->max_connections = impl_->options.max_connections;
  impl_->state->statement_cache_size = impl_->options.statement_cache_size;
}

Server::Server(DatabaseResolver resolver, ServerOptions options) : impl_(std::make_shared<Impl>()) {
  impl_->options = std::move(options);
  impl_->state->resolve = std::move(resolver);
  impl_->state->max_connections = impl_->options.max_connections;
  impl_->state->statement_cache_size = impl_->options.statement_cache_size;
}

Server::~Server() { stop(std::chrono::milliseconds(0)); }

void Server::start() {
  Impl& s = *impl_;
  if (s.started) raise(sqlstate::kObjectNotInPrerequisiteState, "server already started");
  boost::system::error_code ec;
  auto address = asio::ip::make_address(s.options.host == "localhost" ? "127.0.0.1" : s.options.host, ec);
  if (ec) raise(sqlstate::kConfigFileError, "invalid listen address \"{}\"", s.options.host);
  asio::ip::tcp::endpoint ep(address, s.options.port);
  s.acceptor = std::make_unique<asio::ip::tcp::acceptor>(s.io);
  s.acceptor->open(ep.protocol(), ec);
  if (!ec) s.acceptor->set_option(asio::ip::tcp::acceptor::reuse_address(true), ec);
  if (!ec) s.acceptor->bind(ep, ec);
  if (!ec) s.acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    s.acceptor.reset();
    raise(sqlstate::kSystemError, "could not bind to {}:{}: {}", s.options.host, s.options.port, ec.message());
  }
  s.port = s.acceptor->local_endpoint().port();
  s.workers = std::make_unique<asio::thread_pool>(std::max<size_t>(4, std::thread::hardware_concurrency() * 2));
  s.state->workers = s.workers.get();
  s.work.emplace(s.io.get_executor());
  asio::co_spawn(s.io, s.listen(), asio::detached);
  int n = std::max(1, s.options.io_threads);
  for (int i = 0; i < n; ++i) s.threads.emplace_back([&s] { s.io.run(); });
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
  // Let connections finish what they are running, then close them.
  auto deadline = std::chrono::steady_clock::now() + drain_timeout;
  while (s.state->connections.load() > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  {
    std::lock_guard lock(s.mu);
    for (auto& w : s.connections)
      if (auto c = w.lock()) asio::post(c->executor(), [c] { c->close(); });
  }
  s.work.reset();
  auto hard = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (s.state->connections.load() > 0 && std::chrono::steady_clock::now() < hard)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  s.io.stop();
  for (auto& t : s.threads) t.join();
  if (s.workers) {
    s.workers->join();
    s.state->workers = nullptr;
    s.workers.reset();
  }
  s.threads.clear();
  s.acceptor.reset();
}

}  // namespace heliosdb::pgwire
