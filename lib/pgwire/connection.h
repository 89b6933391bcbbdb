// One client connection: the startup handshake, then the simple and extended query flows.
#pragma once

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>

#include <list>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>

#include "engine/copy.h"
#include "engine/portal.h"
#include "engine/session_impl.h"
#include "heliosdb/pgwire/server.h"
#include "pgwire/protocol.h"

namespace heliosdb::pgwire {

struct ServerState;

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(boost::asio::ip::tcp::socket socket, std::shared_ptr<ServerState> server);
  boost::asio::awaitable<void> run();
  void close();
  // Server::stop(): tells the client (FATAL 57P01) and closes the connection.
  void terminate();
  // CancelRequest: stops the statement running on this connection if the key matches.
  void cancel(int32_t secret);
  boost::asio::any_io_executor executor() { return socket_.get_executor(); }

 private:
  struct Statement {
    std::shared_ptr<engine::PreparedImpl> prepared;
  };
  struct Portal {
    std::shared_ptr<engine::PreparedImpl> prepared;
    std::vector<Value> params;
    std::vector<int16_t> result_formats;
    std::unique_ptr<engine::OpenQuery> query;  // a SELECT being pulled
    std::vector<Row> rows;                     // other statements' RETURNING rows
    size_t pos = 0;
    bool executed = false;
    bool is_select = false;
    std::string tag;
    uint64_t count = 0;
  };

  boost::asio::awaitable<bool> startup();
  boost::asio::awaitable<bool> authenticate(const std::string& user);
  boost::asio::awaitable<std::string> read_password_message();
  // Reads the next message header, or returns false when the session's idle timeout passed first.
  boost::asio::awaitable<bool> read_header(char (&hdr)[5]);
  boost::asio::awaitable<void> read_exact(char* data, size_t n);
  bool message_buffered() const;  // a whole message is already in in_
  boost::asio::awaitable<void> flush();
  void handle_query(std::string_view sql);
  void handle_copy_message(char type, MessageReader& r);
  void handle_parse(MessageReader& r);
  void handle_bind(MessageReader& r);
  void handle_describe(MessageReader& r);
  void handle_execute(MessageReader& r);
  void handle_close(MessageReader& r);
  void handle_sync();
  void report_parameter_changes();
  void send_row(const Row& row, const std::vector<int16_t>& formats);
  void fatal(const Error& e);
  void error(const Error& e);  // an ErrorResponse, logged

  boost::asio::ip::tcp::socket socket_;
  std::unique_ptr<boost::asio::ssl::stream<boost::asio::ip::tcp::socket&>> tls_;  // after SSLRequest 'S'
  std::shared_ptr<ServerState> server_;
  std::shared_ptr<engine::SessionImpl> session_;
  MessageWriter out_;
  std::string in_;      // bytes read from the client, not yet consumed from in_pos_ on
  size_t in_pos_ = 0;
  std::unordered_map<std::string, Statement> statements_;
  std::list<std::string> statement_lru_;
  std::unordered_map<std::string, std::unique_ptr<Portal>> portals_;
  std::map<std::string, std::string> reported_;  // ParameterStatus values the client has
  uint64_t reported_version_ = ~uint64_t{0};     // the session's settings_version() when reported_ was filled
  std::unique_ptr<engine::CopyIn> copy_in_;  // COPY FROM STDIN in progress
  bool skip_until_sync_ = false;
  bool pipeline_failed_ = false;
  bool closed_ = false;
  // LISTEN: a notification for this session cancels the wait on this timer, so an idle
  // connection sends it at once (NotificationResponse).
  boost::asio::steady_timer notify_timer_{socket_.get_executor(), boost::asio::steady_timer::time_point::max()};
  void send_notifications();
  int32_t pid_ = 0, secret_ = 0;
  std::weak_ptr<engine::SessionImpl> cancel_target_;  // set before the connection is published
};

// What all connections of one server share.
struct ServerState {
  std::function<std::optional<Database>(const std::string&)> resolve;
  // The roles users log in as (unset: any user name, checked against `users` only).
  std::function<std::optional<LoginRole>(const std::string&)> roles;
  ServerOptions options;
  std::unique_ptr<boost::asio::ssl::context> tls;  // when a certificate is configured
  std::atomic<size_t> connections{0};
  std::atomic<size_t> busy{0};          // connections handling a message right now
  std::atomic<uint64_t> started_messages{0};  // messages begun, ever (progress, for the thread monitor)
  std::atomic<bool> stopping{false};    // Server::stop(): no new statements
  std::atomic<int32_t> next_pid{1000};
  std::mutex mu;
  std::map<int32_t, std::weak_ptr<Connection>> live;  // by backend pid, guarded by mu
  std::map<std::string, std::string> users;            // guarded by mu (Server::set_users)

  void log(LogLevel level, int32_t connection, std::string_view message) const {
    if (options.log) options.log(level, connection, message);
  }
};

}  // namespace heliosdb::pgwire
