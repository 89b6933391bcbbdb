#include "pgwire/connection.h"

#include <chrono>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <cstring>
#include <random>

#include "common/errors.h"
#include "common/type_io.h"
#include "common/types.h"
#include "common/auth.h"
#include "common/binary_format.h"

namespace heliosdb::pgwire {

namespace asio = boost::asio;
using asio::awaitable;
using asio::use_awaitable;

namespace {

// A message length: 4 bytes, big-endian.
uint32_t be32(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

// Reported to the client at startup and whenever they change (PostgreSQL 15's GUC_REPORT set).
constexpr const char* kReported[] = {
    "application_name", "client_encoding", "datestyle", "default_transaction_read_only", "in_hot_standby",
    "integer_datetimes", "intervalstyle", "is_superuser", "server_encoding", "server_version",
    "session_authorization", "standard_conforming_strings", "timezone",
};

// Sends each statement's output of a simple Query straight into the output buffer.
class WireSink final : public engine::ResultSink {
 public:
  WireSink(MessageWriter& out, engine::SessionImpl& session) : out_(out), text_(session.text_context()), session_(session) {}
  void columns(const std::vector<Column>& cols) override { out_.row_description(cols, {}); }
  bool row(const Row& row) override {
    out_.begin('D');
    out_.int16(static_cast<int16_t>(row.size()));
    for (const auto& v : row) {
      if (v.is_null()) {
        out_.int32(-1);
        continue;
      }
      std::string& b = out_.buffer();
      size_t at = b.size();
      out_.int32(0);
      types::append_text(b, v, text_);
      uint32_t len = static_cast<uint32_t>(b.size() - at - 4);
      for (int i = 0; i < 4; ++i) b[at + i] = static_cast<char>((len >> (24 - 8 * i)) & 0xff);
    }
    out_.end();
    return true;
  }
  void complete(const std::string& tag, uint64_t) override {
    if (in_copy_) {
      out_.begin('c');  // CopyDone
      out_.end();
      in_copy_ = false;
    }
    if (tag.empty()) out_.empty_query();
    else out_.command_complete(tag);
  }
  void notice(const Error& n) override {
    if (session_.notice_wanted(n)) out_.error(n, true);
  }
  bool copy_out_begin(size_t ncols, bool binary) override {
    out_.copy_response('H', ncols, binary);
    in_copy_ = true;
    return true;
  }
  void copy_out_data(std::string_view data) override {
    out_.begin('d');
    out_.raw(data);
    out_.end();
  }

 private:
  MessageWriter& out_;
  const types::TextContext& text_;
  engine::SessionImpl& session_;
  bool in_copy_ = false;
};

// Collects an extended-protocol statement's output (RETURNING rows, tag, notices).
class BufferSink final : public engine::ResultSink {
 public:
  BufferSink(MessageWriter& out, engine::SessionImpl& session) : out_(out), session_(session) {}
  std::vector<Row> rows;
  std::string tag;
  uint64_t count = 0;
  void columns(const std::vector<Column>&) override {}
  bool row(const Row& r) override {
    rows.push_back(r);
    return true;
  }
  void complete(const std::string& t, uint64_t c) override {
    tag = t;
    count = c;
  }
  void notice(const Error& n) override {
    if (session_.notice_wanted(n)) out_.error(n, true);
  }

 private:
  MessageWriter& out_;
  engine::SessionImpl& session_;
};

}  // namespace

Connection::Connection(asio::ip::tcp::socket socket, std::shared_ptr<ServerState> server)
    : socket_(std::move(socket)), server_(std::move(server)) {
  socket_.set_option(asio::ip::tcp::no_delay(true));
}

void Connection::close() {
  boost::system::error_code ec;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  socket_.close(ec);
}

void Connection::terminate() {
  if (auto s = cancel_target_.lock()) s->cancel();  // a statement still running past the drain time
  if (!tls_) {
    MessageWriter w;
    Error e(sqlstate::kAdminShutdown, "terminating connection due to administrator command");
    e.with_severity("FATAL");
    w.error(e);
    boost::system::error_code ec;
    asio::write(socket_, asio::buffer(w.buffer()), ec);
  }
  close();
}

// Reads through in_: one read_some brings in whatever the client has sent (a whole pipeline of
// messages, often), and the messages are then taken from the buffer without further I/O.
awaitable<void> Connection::read_exact(char* data, size_t n) {
  while (in_.size() - in_pos_ < n) {
    if (in_pos_ > 0) {
      in_.erase(0, in_pos_);
      in_pos_ = 0;
    }
    size_t have = in_.size();
    if (have == 0 && in_.capacity() > 65536) in_.shrink_to_fit();  // a big message passed: give it back
    in_.resize(have + std::max<size_t>(8192, n - have));
    size_t got = 0;
    try {
      if (tls_) got = co_await tls_->async_read_some(asio::buffer(in_.data() + have, in_.size() - have), use_awaitable);
      else got = co_await socket_.async_read_some(asio::buffer(in_.data() + have, in_.size() - have), use_awaitable);
    } catch (...) {
      in_.resize(have);
      throw;
    }
    in_.resize(have + got);
  }
  std::memcpy(data, in_.data() + in_pos_, n);
  in_pos_ += n;
}

bool Connection::message_buffered() const {
  size_t avail = in_.size() - in_pos_;
  if (avail < 5) return false;
  uint32_t len = be32(in_.data() + in_pos_ + 1);
  return avail >= 1 + static_cast<size_t>(len);
}

awaitable<void> Connection::flush() {
  if (out_.size() == 0) co_return;
  std::string data;
  data.swap(out_.buffer());
  if (tls_) co_await asio::async_write(*tls_, asio::buffer(data), use_awaitable);
  else co_await asio::async_write(socket_, asio::buffer(data), use_awaitable);
}

awaitable<bool> Connection::read_header(char (&hdr)[5]) {
  if (in_.size() - in_pos_ >= 5) {
    co_await read_exact(hdr, 5);
    co_return true;
  }
  bool idle = session_->transaction_status() == 'I';
  int64_t ms = session_->idle_timeout_ms();
  using namespace asio::experimental::awaitable_operators;
  // A session that LISTENs waits for the client or a notification, and sends those while idle.
  while (idle && session_->listening()) {
    send_notifications();
    co_await flush();
    notify_timer_.expires_at(asio::steady_timer::time_point::max());
    if (!session_->listening()) break;
    // Waits for the socket to become readable (reading here could take bytes a notification
    // then abandons), the notification, or the idle timeout.
    auto readable = [this]() -> awaitable<void> {
      if (tls_ && SSL_pending(tls_->native_handle()) > 0) co_return;
      co_await socket_.async_wait(asio::ip::tcp::socket::wait_read, asio::as_tuple(use_awaitable));
    };
    asio::steady_timer timer(socket_.get_executor(), ms > 0 ? std::chrono::milliseconds(ms) : std::chrono::hours(24 * 365));
    auto first = co_await (readable() || timer.async_wait(use_awaitable) || notify_timer_.async_wait(asio::as_tuple(use_awaitable)));
    if (first.index() == 0) {
      co_await read_exact(hdr, 5);
      co_return true;
    }
    if (first.index() == 1) {
      fatal(Error(sqlstate::kIdleSessionTimeout, "terminating connection due to idle-session timeout"));
      co_return false;
    }
  }
  if (ms <= 0) {
    co_await read_exact(hdr, 5);
    co_return true;
  }
  asio::steady_timer timer(socket_.get_executor(), std::chrono::milliseconds(ms));
  auto first = co_await (read_exact(hdr, 5) || timer.async_wait(use_awaitable));
  if (first.index() == 0) co_return true;
  if (idle) fatal(Error(sqlstate::kIdleSessionTimeout, "terminating connection due to idle-session timeout"));
  else fatal(Error(sqlstate::kIdleInTransactionSessionTimeout, "terminating connection due to idle-in-transaction timeout"));
  co_return false;
}

// NotificationResponse for each notification waiting, once the session is between transactions.
void Connection::send_notifications() {
  if (!session_ || session_->transaction_status() != 'I') return;
  for (const auto& n : session_->take_notifications()) {
    out_.begin('A');
    out_.int32(n.pid);
    out_.cstr(n.channel);
    out_.cstr(n.payload);
    out_.end();
  }
}

awaitable<std::string> Connection::read_password_message() {
  char hdr[5];
  co_await read_exact(hdr, 5);
  uint32_t len = be32(hdr + 1);
  if (hdr[0] != 'p')
    raise(sqlstate::kProtocolViolation, "expected password response, got message type {}", static_cast<int>(hdr[0]));
  if (len < 4 || len > 65535 + 4) raise(sqlstate::kProtocolViolation, "invalid password packet size");
  std::string body(len - 4, '\0');
  co_await read_exact(body.data(), body.size());
  co_return body;
}

// Asks for and checks a password as server_->options.auth says; FATAL 28P01 when it is wrong.
awaitable<bool> Connection::authenticate(const std::string& user) {
  const ServerOptions& o = server_->options;
  // The verifier: the users file's for its users, else the role's (CREATE ROLE ... PASSWORD).
  std::string verifier;
  bool file_user = false;
  {
    std::lock_guard lock(server_->mu);
    auto it = server_->users.find(user);
    if (it != server_->users.end()) {
      verifier = it->second;
      file_user = true;
    }
  }
  std::optional<LoginRole> role = server_->roles ? server_->roles(user) : std::nullopt;
  if (!file_user && role) {
    verifier = role->password;
    // VALID UNTIL in the past: no password is right any more (as PostgreSQL, whatever is sent).
    constexpr int64_t kUnixTo2000 = 946684800LL * 1000000;
    int64_t now = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count() - kUnixTo2000;
    if (role->valid_until && *role->valid_until < now) verifier.clear();
  }
  // After the password (a missing role fails the password check, not telling it is missing):
  // the role must exist and may log in (users of the users file need not be roles).
  auto role_checks = [&] {
    if (!server_->roles || file_user) return true;
    if (!role) fatal(make_error(sqlstate::kInvalidAuthorizationSpecification, "role \"{}\" does not exist", user));
    else if (!role->can_login)
      fatal(make_error(sqlstate::kInvalidAuthorizationSpecification, "role \"{}\" is not permitted to log in", user));
    return role && role->can_login;
  };
  if (o.auth == AuthMethod::trust) co_return role_checks();
  AuthMethod method = o.auth;
  if (method == AuthMethod::md5 && auth::is_scram(verifier)) method = AuthMethod::scram_sha_256;
  bool ok = false;
  if (method == AuthMethod::password) {
    out_.begin('R');
    out_.int32(3);
    out_.end();
    co_await flush();
    std::string body = co_await read_password_message();
    MessageReader r(body);
    std::string_view password = r.cstr();
    ok = !verifier.empty() && !password.empty() && auth::check_password(verifier, user, password);
  } else if (method == AuthMethod::md5) {
    uint8_t salt[4];
    uint32_t rnd = std::random_device{}();
    std::memcpy(salt, &rnd, 4);
    out_.begin('R');
    out_.int32(5);
    out_.raw(std::string_view(reinterpret_cast<const char*>(salt), 4));
    out_.end();
    co_await flush();
    std::string body = co_await read_password_message();
    MessageReader r(body);
    ok = auth::check_md5_response(verifier, salt, r.cstr());
  } else {
    out_.begin('R');
    out_.int32(10);
    out_.cstr("SCRAM-SHA-256");
    out_.int8(0);
    out_.end();
    co_await flush();
    std::string body = co_await read_password_message();
    MessageReader r(body);
    std::string_view mechanism = r.cstr();
    if (mechanism != "SCRAM-SHA-256")
      raise(sqlstate::kProtocolViolation, "client selected an invalid SASL authentication mechanism");
    int32_t n = r.int32();
    std::string_view client_first = r.bytes(n < 0 ? 0 : static_cast<size_t>(n));
    auth::ScramExchange scram(verifier);
    std::string server_first, why;
    if (!scram.first(client_first, server_first, why)) raise(sqlstate::kProtocolViolation, "{}", why);
    out_.begin('R');
    out_.int32(11);
    out_.raw(server_first);
    out_.end();
    co_await flush();
    std::string client_final = co_await read_password_message();
    std::string server_final;
    ok = scram.final(client_final, server_final, why);
    if (!why.empty()) raise(sqlstate::kProtocolViolation, "{}", why);
    if (ok) {
      out_.begin('R');
      out_.int32(12);
      out_.raw(server_final);
      out_.end();
    }
  }
  if (!ok) fatal(make_error(sqlstate::kInvalidPassword, "password authentication failed for user \"{}\"", user));
  co_return ok && role_checks();
}

void Connection::error(const Error& e) {
  server_->log(LogLevel::error, pid_, fmt::format("{} ({})", e.message(), e.sqlstate()));
  out_.error(e);
}

void Connection::fatal(const Error& e) {
  Error f = e;
  f.with_severity("FATAL");
  server_->log(LogLevel::error, pid_, fmt::format("{} ({}); connection closed", e.message(), e.sqlstate()));
  out_.error(f);
  closed_ = true;
}

awaitable<bool> Connection::startup() {
  pid_ = server_->next_pid++;
  std::map<std::string, std::string> params;
  for (;;) {
    char hdr[4];
    co_await read_exact(hdr, 4);
    uint32_t len = be32(hdr);
    if (len < 8 || len > kMaxStartupPacket) {
      fatal(Error(sqlstate::kProtocolViolation, "invalid length of startup packet"));
      co_return false;
    }
    std::string body(len - 4, '\0');
    co_await read_exact(body.data(), body.size());
    MessageReader r(body);
    int32_t code = r.int32();
    if (code == kSslRequest || code == kGssEncRequest) {
      // TLS when a certificate is configured; GSSAPI encryption never.
      bool accept = code == kSslRequest && server_->tls && !tls_ && server_->options.tls_mode != TlsMode::disable;
      out_.int8(accept ? 'S' : 'N');
      co_await flush();
      if (in_.size() > in_pos_) {
        // Bytes read together with the request, before our answer, could be a man in the middle's.
        fatal(Error(sqlstate::kProtocolViolation, "received unencrypted data after SSL request")
                  .with_detail("This could be either a client-software bug or evidence of an attempted man-in-the-middle attack."));
        co_return false;
      }
      if (accept) {
        tls_ = std::make_unique<asio::ssl::stream<asio::ip::tcp::socket&>>(socket_, *server_->tls);
        co_await tls_->async_handshake(asio::ssl::stream_base::server, use_awaitable);
      }
      continue;
    }
    if (code == kCancelRequest) {
      int32_t pid = r.int32(), secret = r.int32();
      std::shared_ptr<Connection> target;
      {
        std::lock_guard lock(server_->mu);
        auto it = server_->live.find(pid);
        if (it != server_->live.end()) target = it->second.lock();
      }
      if (target) target->cancel(secret);
      co_return false;
    }
    if ((code >> 16) != 3) {
      fatal(make_error(sqlstate::kFeatureNotSupported, "unsupported frontend protocol {}.{}: server supports 3.0 to 3.0",
                       code >> 16, code & 0xffff));
      co_return false;
    }
    std::vector<std::string> unknown_options;
    while (r.remaining() > 1) {
      std::string key(r.cstr());
      if (key.empty()) break;
      std::string value(r.cstr());
      if (key.rfind("_pq_.", 0) == 0) unknown_options.push_back(key);
      else params[key] = value;
    }
    // A newer 3.x minor version or protocol options: say which version and options we speak.
    if ((code & 0xffff) != 0 || !unknown_options.empty()) {
      out_.begin('v');
      out_.int32(kProtocol3);
      out_.int32(static_cast<int32_t>(unknown_options.size()));
      for (const auto& o : unknown_options) out_.cstr(o);
      out_.end();
    }
    break;
  }
  std::string user = params.count("user") ? params["user"] : "";
  if (user.empty()) {
    fatal(Error(sqlstate::kInvalidAuthorizationSpecification, "no PostgreSQL user name specified in startup packet"));
    co_return false;
  }
  std::string dbname = params.count("database") && !params["database"].empty() ? params["database"] : user;
  boost::system::error_code ec;
  auto peer = socket_.remote_endpoint(ec);
  std::string host = ec ? "?" : peer.address().to_string();
  const ServerOptions& o = server_->options;
  bool refuse = (o.tls_mode == TlsMode::require && !tls_) ||
                (o.auth == AuthMethod::trust && o.trust_loopback_only && !(!ec && peer.address().is_loopback()));
  if (refuse) {
    fatal(make_error(sqlstate::kInvalidAuthorizationSpecification,
                     "no pg_hba.conf entry for host \"{}\", user \"{}\", database \"{}\", {}", host, user, dbname,
                     tls_ ? "SSL encryption" : "no encryption"));
    co_return false;
  }
  try {
    if (!co_await authenticate(user)) co_return false;
  } catch (const Error& e) {
    fatal(e);
    co_return false;
  }
  out_.auth_ok();
  std::optional<Database> db;
  try {
    db = server_->resolve(dbname);
  } catch (const Error& e) {
    fatal(e);
    co_return false;
  }
  if (!db) {
    fatal(make_error(sqlstate::kInvalidCatalogName, "database \"{}\" does not exist", dbname));
    co_return false;
  }
  if (server_->connections.load() > server_->options.max_connections) {
    fatal(Error(sqlstate::kTooManyConnections, "sorry, too many clients already"));
    co_return false;
  }
  session_ = db->session().shared_impl();
  session_->set_backend_pid(pid_);
  // Another session's NOTIFY wakes this connection's wait for the client (on its executor).
  session_->set_notify_callback([weak = std::weak_ptr<Connection>(shared_from_this()), ex = socket_.get_executor()] {
    asio::post(ex, [weak] {
      if (auto self = weak.lock()) self->notify_timer_.cancel();
    });
  });
  try {
    const ServerOptions& o = server_->options;
    if (o.query_timeout.count() > 0) session_->set_parameter("statement_timeout", std::to_string(o.query_timeout.count()));
    if (o.idle_timeout.count() > 0) {
      session_->set_parameter("idle_session_timeout", std::to_string(o.idle_timeout.count()));
      session_->set_parameter("idle_in_transaction_session_timeout", std::to_string(o.idle_timeout.count()));
    }
    session_->set_parameter("session_authorization", user);
    for (const auto& [k, v] : params) {
      if (k == "user" || k == "database" || k == "replication" || k == "options") continue;
      session_->set_parameter(k, v);
    }
    if (auto it = params.find("options"); it != params.end()) {
      // "-c name=value" pairs, as libpq's PGOPTIONS sends them.
      std::string_view o = it->second;
      size_t p = 0;
      while ((p = o.find("-c", p)) != std::string_view::npos) {
        p += 2;
        while (p < o.size() && o[p] == ' ') ++p;
        size_t e = o.find(' ', p);
        std::string kv(o.substr(p, e == std::string_view::npos ? std::string_view::npos : e - p));
        size_t eq = kv.find('=');
        if (eq != std::string::npos) session_->set_parameter(kv.substr(0, eq), kv.substr(eq + 1));
        p = e == std::string_view::npos ? o.size() : e;
      }
    }
    session_->check_login();
  } catch (const Error& e) {
    fatal(e);
    co_return false;
  }
  for (const char* key : kReported) {
    std::string v = session_->setting(key);
    reported_[key] = v;
    out_.parameter_status(engine::setting_display_name(key), v);
  }
  session_->deallocate = [this](const std::string& name) {
    if (name.empty()) {  // ALL: every named statement, not the unnamed one
      std::erase_if(statements_, [](const auto& kv) { return !kv.first.empty(); });
      statement_lru_.clear();
      return true;
    }
    statement_lru_.remove(name);
    return statements_.erase(name) > 0;
  };
  secret_ = static_cast<int32_t>(std::random_device{}());
  cancel_target_ = session_;
  {
    std::lock_guard lock(server_->mu);
    server_->live[pid_] = weak_from_this();
  }
  out_.backend_key(pid_, secret_);
  out_.ready('I');
  server_->log(LogLevel::info, pid_, fmt::format("connection authorized: host={} user={} database={}{}", host, user, dbname,
                                                  tls_ ? " SSL enabled" : ""));
  co_return true;
}

void Connection::cancel(int32_t secret) {
  if (secret != secret_) return;
  if (auto s = cancel_target_.lock()) s->cancel();
}

void Connection::report_parameter_changes() {
  if (session_->settings_version() == reported_version_) return;
  reported_version_ = session_->settings_version();
  for (const char* key : kReported) {
    std::string v = session_->setting(key);
    auto& old = reported_[key];
    if (v != old) {
      old = v;
      out_.parameter_status(engine::setting_display_name(key), v);
    }
  }
}

awaitable<void> Connection::run() {
  ++server_->connections;
  struct Count {
    ServerState& s;
    int32_t& pid;
    ~Count() {
      --s.connections;
      std::lock_guard lock(s.mu);
      s.live.erase(pid);
    }
  } count{*server_, pid_};
  try {
    bool ok = co_await startup();
    co_await flush();
    if (!ok) {
      close();
      co_return;
    }
    std::string body;
    for (;;) {
      char hdr[5];
      if (!co_await read_header(hdr)) break;
      char type = hdr[0];
      if (std::string_view("QPBDECSHXdcf").find(type) == std::string_view::npos) {
        fatal(make_error(sqlstate::kProtocolViolation, "invalid frontend message type {}", static_cast<int>(type)));
        break;
      }
      uint32_t len = be32(hdr + 1);
      if (len < 4 || len > kMaxMessage) break;  // the stream is lost; PostgreSQL closes without a word
      body.resize(len - 4);
      co_await read_exact(body.data(), body.size());
      MessageReader r(body);
      if (type == 'X') break;
      if (server_->stopping) {
        fatal(Error(sqlstate::kAdminShutdown, "terminating connection due to administrator command"));
        break;
      }
      ++server_->busy;
      ++server_->started_messages;
      struct Idle {
        std::atomic<size_t>& busy;
        ~Idle() { --busy; }
      } idle_again{server_->busy};
      types::UserTypesScope user_types(session_->user_types());  // enum parameters and results
      try {
        if (copy_in_) {
          handle_copy_message(type, r);
        } else if (skip_until_sync_ && type != 'S') {
          // discarded until Sync
        } else switch (type) {
          case 'Q': {
            std::string_view sql = r.cstr();
            r.end();
            handle_query(sql);
            break;
          }
          case 'P': handle_parse(r); break;
          case 'B': handle_bind(r); break;
          case 'D': handle_describe(r); break;
          case 'E': handle_execute(r); break;
          case 'C': handle_close(r); break;
          case 'S': handle_sync(); break;
          case 'H': break;  // Flush: the buffer goes out below
          default: break;   // CopyData/CopyDone/CopyFail outside COPY: ignored as PostgreSQL does
          }
      } catch (const Error& e) {
        if (e.severity() == "FATAL") {
          error(e);
          closed_ = true;
        } else {
          error(e);
          if (type != 'Q' && type != 'S') {
            skip_until_sync_ = true;
            pipeline_failed_ = true;
          }
        }
      }
      // Answers go out when the client waits for them, once the messages it pipelined are done.
      bool wants_answer = type == 'Q' || type == 'S' || type == 'H' || type == 'c' || type == 'f' || (type == 'd' && !copy_in_);
      if (wants_answer) send_notifications();  // after ReadyForQuery, as PostgreSQL sends them
      if (closed_ || out_.size() > 65536 || (wants_answer && !message_buffered())) co_await flush();
      if (closed_) break;
    }
    co_await flush();
  } catch (const boost::system::system_error&) {
    // The client went away; the session's open transaction rolls back as it is destroyed.
  }
  portals_.clear();
  if (session_) server_->log(LogLevel::debug, pid_, "disconnection");
  session_.reset();
  close();
}

void Connection::handle_query(std::string_view sql) {
  WireSink sink(out_, *session_);
  portals_.erase("");
  try {
    if ((copy_in_ = session_->start_copy_in(sql))) {
      out_.copy_response('G', copy_in_->types.size(), copy_in_->binary);  // the client now sends CopyData ... CopyDone
      return;
    }
  } catch (const Error& e) {
    error(e);
    out_.ready(session_->transaction_status());
    return;
  }
  try {
    session_->execute_script(sql, sink);
  } catch (const Error& e) {
    report_parameter_changes();
    error(e);
    out_.ready(session_->transaction_status());
    return;
  }
  report_parameter_changes();
  out_.ready(session_->transaction_status());
}

// A message while COPY FROM STDIN runs: CopyData feeds it, CopyDone ends it, CopyFail aborts
// it; an error ends the COPY at once (the client's remaining CopyData is then ignored).
void Connection::handle_copy_message(char type, MessageReader& r) {
  try {
    switch (type) {
      case 'd': {
        WireSink notices(out_, *session_);  // of the table's triggers
        session_->copy_in_data(*copy_in_, r.bytes(r.remaining()), &notices);
        return;
      }
      case 'c': {
        WireSink notices(out_, *session_);
        std::string tag = session_->finish_copy_in(*copy_in_, &notices);
        copy_in_.reset();
        out_.command_complete(tag);
        out_.ready(session_->transaction_status());
        return;
      }
      case 'f': {
        std::string why(r.cstr());
        session_->abort_copy_in(*copy_in_);
        raise(sqlstate::kQueryCanceled, "COPY from stdin failed: {}", why);
      }
      case 'H': case 'S':
        return;  // ignored during COPY, as PostgreSQL does
      default:
        session_->abort_copy_in(*copy_in_);
        raise(sqlstate::kProtocolViolation, "unexpected message type 0x{:02X} during COPY from stdin", static_cast<int>(type));
    }
  } catch (const Error& e) {
    copy_in_.reset();
    error(e);
    out_.ready(session_->transaction_status());
  }
}

void Connection::handle_parse(MessageReader& r) {
  std::string name(r.cstr());
  std::string_view sql = r.cstr();
  int16_t n = r.int16();
  std::vector<uint32_t> types;
  for (int i = 0; i < n; ++i) types.push_back(static_cast<uint32_t>(r.int32()));
  r.end();
  session_->begin_pipeline();
  if (!name.empty() && statements_.count(name))
    raise(sqlstate::kDuplicatePstatement, "prepared statement \"{}\" already exists", name);
  Statement st{session_->prepare(sql, types)};
  statements_[name] = std::move(st);
  if (!name.empty()) {
    statement_lru_.push_back(name);
    while (statement_lru_.size() > server_->options.statement_cache_size) {
      statements_.erase(statement_lru_.front());
      statement_lru_.pop_front();
    }
  }
  out_.parse_complete();
}

void Connection::handle_bind(MessageReader& r) {
  std::string portal(r.cstr());
  std::string stmt(r.cstr());
  auto it = statements_.find(stmt);
  if (it == statements_.end()) {
    if (stmt.empty()) raise(sqlstate::kInvalidSqlStatementName, "unnamed prepared statement does not exist");
    raise(sqlstate::kInvalidSqlStatementName, "prepared statement \"{}\" does not exist", stmt);
  }
  if (!stmt.empty()) {  // most recently used last: the LRU end of statement_lru_
    statement_lru_.remove(stmt);
    statement_lru_.push_back(stmt);
  }
  auto p = std::make_unique<Portal>();
  p->prepared = it->second.prepared;
  int16_t nformats = r.int16();
  std::vector<int16_t> formats;
  for (int i = 0; i < nformats; ++i) formats.push_back(r.int16());
  int16_t nparams = r.int16();
  const auto& ptypes = p->prepared->param_types;
  if (static_cast<size_t>(nparams) != ptypes.size())
    raise(sqlstate::kProtocolViolation, "bind message supplies {} parameters, but prepared statement \"{}\" requires {}",
          nparams, stmt, ptypes.size());
  for (int i = 0; i < nparams; ++i) {
    int32_t len = r.int32();
    uint32_t t = ptypes[static_cast<size_t>(i)];
    if (len < 0) {
      p->params.push_back(Value::null(t));
      continue;
    }
    std::string_view data = r.bytes(static_cast<size_t>(len));
    int16_t f = formats.empty() ? 0 : formats.size() == 1 ? formats[0] : formats[static_cast<size_t>(i)];
    if (f == 0) p->params.push_back(types::parse_text(t, data, -1, session_->text_context()));
    else p->params.push_back(binary::decode(t, data));
  }
  int16_t nres = r.int16();
  for (int i = 0; i < nres; ++i) p->result_formats.push_back(r.int16());
  r.end();
  if (const auto& plan = p->prepared->plan; plan && plan->plan_error) throw *plan->plan_error;
  p->is_select = p->prepared->stmt && p->prepared->stmt->node->begin()->key() == "SelectStmt";
  session_->begin_pipeline();
  portals_[portal] = std::move(p);
  out_.bind_complete();
}

void Connection::handle_describe(MessageReader& r) {
  char kind = r.bytes(1)[0];
  std::string name(r.cstr());
  r.end();
  if (kind != 'S' && kind != 'P') raise(sqlstate::kProtocolViolation, "invalid DESCRIBE message subtype {}", static_cast<int>(kind));
  if (kind == 'S') {
    auto it = statements_.find(name);
    if (it == statements_.end()) raise(sqlstate::kInvalidSqlStatementName, "prepared statement \"{}\" does not exist", name);
    const auto& p = *it->second.prepared;
    out_.begin('t');
    out_.int16(static_cast<int16_t>(p.param_types.size()));
    for (uint32_t t : p.param_types) out_.int32(static_cast<int32_t>(t));
    out_.end();
    if (p.returns_rows) out_.row_description(p.columns, {});
    else out_.no_data();
    return;
  }
  auto it = portals_.find(name);
  if (it == portals_.end()) {
    // A cursor made by DECLARE is a portal too.
    const auto* cols = session_->cursor_columns(name);
    if (!cols) raise(sqlstate::kInvalidCursorName, "portal \"{}\" does not exist", name);
    out_.row_description(*cols, {});
    return;
  }
  const auto& p = *it->second;
  if (p.prepared->returns_rows) out_.row_description(p.prepared->columns, p.result_formats);
  else out_.no_data();
}

void Connection::send_row(const Row& row, const std::vector<int16_t>& formats) {
  out_.begin('D');
  out_.int16(static_cast<int16_t>(row.size()));
  for (size_t i = 0; i < row.size(); ++i) {
    const Value& v = row[i];
    if (v.is_null()) {
      out_.int32(-1);
      continue;
    }
    int16_t f = formats.empty() ? 0 : formats.size() == 1 ? formats[0] : formats[i];
    std::string& b = out_.buffer();
    size_t at = b.size();
    out_.int32(0);
    if (f == 0) types::append_text(b, v, session_->text_context());
    else binary::encode(b, v);
    uint32_t len = static_cast<uint32_t>(b.size() - at - 4);
    for (int k = 0; k < 4; ++k) b[at + k] = static_cast<char>((len >> (24 - 8 * k)) & 0xff);
  }
  out_.end();
}

void Connection::handle_execute(MessageReader& r) {
  std::string name(r.cstr());
  int32_t max_rows = r.int32();
  r.end();
  auto it = portals_.find(name);
  if (it == portals_.end()) raise(sqlstate::kInvalidCursorName, "portal \"{}\" does not exist", name);
  Portal& p = *it->second;
  if (!p.prepared->stmt) {
    out_.empty_query();
    return;
  }
  BufferSink notices(out_, *session_);  // of the functions a SELECT calls
  auto saved = session_->set_notice_sink(&notices);
  struct Restore { engine::SessionImpl& s; engine::ResultSink* saved; ~Restore() { s.set_notice_sink(saved); } } restore{*session_, saved};
  if (!p.executed) {
    p.executed = true;
    if (p.is_select) {
      p.query = session_->open_query(*p.prepared, p.params);
    } else {
      BufferSink sink(out_, *session_);
      session_->execute_prepared(*p.prepared, p.params, sink);
      p.rows = std::move(sink.rows);
      p.tag = sink.tag;
      report_parameter_changes();
    }
  }
  int64_t sent = 0;
  if (p.query) {
    Row row;
    for (;;) {
      if (max_rows > 0 && sent >= max_rows) {
        out_.portal_suspended();
        return;
      }
      bool got;
      try {
        got = p.query->plan->root->next(row);
      } catch (...) {
        auto q = std::move(p.query);
        session_->close_query(*q, false);
        engine::rethrow_as_error();
      }
      if (!got) break;
      send_row(row, p.result_formats);
      ++sent;
      ++p.count;
    }
    auto q = std::move(p.query);
    session_->close_query(*q, true);
    p.tag = "SELECT " + std::to_string(sent);  // rows of this Execute, as PostgreSQL counts
    out_.command_complete(p.tag);
    return;
  }
  while (p.pos < p.rows.size()) {
    if (max_rows > 0 && sent >= max_rows) {
      out_.portal_suspended();
      return;
    }
    send_row(p.rows[p.pos++], p.result_formats);
    ++sent;
  }
  out_.command_complete(p.tag);
}

void Connection::handle_close(MessageReader& r) {
  char kind = r.bytes(1)[0];
  std::string name(r.cstr());
  r.end();
  if (kind != 'S' && kind != 'P') raise(sqlstate::kProtocolViolation, "invalid CLOSE message subtype {}", static_cast<int>(kind));
  if (kind == 'S') {
    statements_.erase(name);
    statement_lru_.remove(name);
  } else {
    auto it = portals_.find(name);
    if (it != portals_.end()) {
      if (it->second->query) session_->close_query(*it->second->query, true);
      portals_.erase(it);
    }
  }
  out_.close_complete();
}

void Connection::handle_sync() {
  // Outside a transaction block, Sync ends the implicit transaction and with it every portal;
  // inside one, portals live on (cursors fetched over several Syncs).
  bool in_block = session_->transaction_status() != 'I';
  if (!in_block) {
    for (auto& [name, p] : portals_)
      if (p->query) {
        session_->close_query(*p->query, !pipeline_failed_);
        p->query.reset();
      }
    portals_.clear();
  }
  try {
    session_->end_pipeline(pipeline_failed_);
  } catch (const Error& e) {
    error(e);
  }
  skip_until_sync_ = false;
  pipeline_failed_ = false;
  out_.ready(session_->transaction_status());
}

}  // namespace heliosdb::pgwire
