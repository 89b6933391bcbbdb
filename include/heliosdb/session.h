// heliosdb/session.h — one logical connection: its transaction state and settings.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "heliosdb/result.h"
#include "heliosdb/value.h"

namespace heliosdb {

namespace engine { class SessionImpl; }

// Parameters of execute(): $1 is params[0]. A Value of type oid::kUnknownType holding text
// (what a string literal or const char* converts to) takes the type the statement infers for
// that parameter, like an untyped parameter of PostgreSQL's extended protocol; a typed value
// (an int, an int64_t, a double, a bool, a Value) gives the parameter its type, like a typed one
// (so `text_col = $1` with an int is 42883, as in PostgreSQL). NULL (nullptr) is untyped.
struct Param {
  Param(std::nullptr_t) : value(Value::null(oid::kUnknownType)) {}
  Param(const char* s) : value(Value::of(oid::kUnknownType, std::string(s))) {}
  Param(std::string s) : value(Value::of(oid::kUnknownType, std::move(s))) {}
  Param(std::string_view s) : value(Value::of(oid::kUnknownType, std::string(s))) {}
  Param(int i) : value(Value::int4(i)) {}
  Param(int64_t i) : value(Value::int8(i)) {}
  Param(double d) : value(Value::float8(d)) {}
  Param(bool b) : value(Value::boolean(b)) {}
  Param(Value v) : value(std::move(v)) {}
  Value value;
};
using Params = std::vector<Param>;

// A statement parsed and planned once, executed many times with different parameters.
// Belongs to the session that prepared it.
class PreparedStatement {
 public:
  PreparedStatement() = default;
  // Parameter types, inferred from the statement where not given to prepare().
  const std::vector<uint32_t>& parameter_types() const;
  // Output columns (empty for statements that return no rows).
  const std::vector<Column>& columns() const;
  bool valid() const noexcept { return static_cast<bool>(impl_); }

  struct Impl;
  explicit PreparedStatement(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
  const std::shared_ptr<Impl>& impl() const noexcept { return impl_; }

 private:
  std::shared_ptr<Impl> impl_;
};

// A Session is what one client connection is: BEGIN/COMMIT apply to it, SET changes its
// settings. A Session may be moved between threads but is used by one thread at a time;
// many Sessions on many threads share one Database safely. Copies share the same session.
class Session {
 public:
  // Runs one statement, or several separated by ';' when no parameters are given (then the
  // result of the last one is returned, like PostgreSQL's simple query protocol).
  // Throws heliosdb::Error; a failed statement inside BEGIN puts the transaction into the
  // aborted state (25P02 until ROLLBACK), as in PostgreSQL.
  Result execute(std::string_view sql, const Params& params = {});

  // Parses and plans sql; param_types may give some or all $n types (0 = infer).
  PreparedStatement prepare(std::string_view sql, const std::vector<uint32_t>& param_types = {});
  Result execute(const PreparedStatement& stmt, const Params& params = {});

  // Streams the rows of one statement.
  Cursor query(std::string_view sql, const Params& params = {});
  Cursor query(const PreparedStatement& stmt, const Params& params = {});

  // 'I' idle, 'T' in a transaction block, 'E' in a failed transaction block.
  char transaction_status() const;

  // Current value of a setting, as SHOW prints it ("UTC", "ISO, MDY", ...).
  std::string setting(std::string_view name) const;

  // PostgreSQL's text output of v under this session's DateStyle, TimeZone and
  // extra_float_digits (what psql would show). "" for NULL.
  std::string to_text(const Value& v) const;

  // LISTEN: the notifications that reached this session (NOTIFY of a committed transaction of
  // any session of the database, this one included) since the last call, oldest first. Between
  // transactions only, as PostgreSQL delivers them (empty inside a transaction block).
  struct Notification {
    std::string channel, payload;
    int32_t pid = 0;  // the notifying session's pg_backend_pid()
  };
  std::vector<Notification> take_notifications();

  explicit Session(std::shared_ptr<engine::SessionImpl> impl) : impl_(std::move(impl)) {}
  engine::SessionImpl& impl() const { return *impl_; }
  const std::shared_ptr<engine::SessionImpl>& shared_impl() const { return impl_; }

 private:
  std::shared_ptr<engine::SessionImpl> impl_;
};

}  // namespace heliosdb
