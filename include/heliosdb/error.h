// heliosdb/error.h — the one exception type that leaves the library.
#pragma once

#include <exception>
#include <string>

namespace heliosdb {

// Every failure the library reports is a heliosdb::Error carrying PostgreSQL's SQLSTATE
// (errcodes.txt of PostgreSQL 15), a severity and the message fields of an ErrorResponse.
// No other exception type escapes a public call.
class Error : public std::exception {
 public:
  Error(std::string sqlstate, std::string message);

  // Five-character SQLSTATE, e.g. "42P01" for an undefined table.
  const std::string& sqlstate() const noexcept { return sqlstate_; }
  // "ERROR" for statement errors, "FATAL" for errors that end a connection.
  const std::string& severity() const noexcept { return severity_; }
  // Primary message, worded like PostgreSQL's: `relation "t" does not exist`.
  const std::string& message() const noexcept { return message_; }
  // Optional detail and hint; empty when absent.
  const std::string& detail() const noexcept { return detail_; }
  const std::string& hint() const noexcept { return hint_; }
  // 1-based character position in the statement text the error refers to; 0 when none.
  int position() const noexcept { return position_; }
  // Where it happened, when that is not the statement itself: `COPY t, line 2, column d: "x"`.
  const std::string& context() const noexcept { return context_; }

  const char* what() const noexcept override { return message_.c_str(); }

  Error& with_detail(std::string d) { detail_ = std::move(d); return *this; }
  Error& with_hint(std::string h) { hint_ = std::move(h); return *this; }
  Error& with_position(int p) { position_ = p; return *this; }
  Error& with_severity(std::string s) { severity_ = std::move(s); return *this; }
  Error& with_context(std::string c) { context_ = std::move(c); return *this; }

 private:
  std::string sqlstate_;
  std::string severity_ = "ERROR";
  std::string message_;
  std::string detail_;
  std::string hint_;
  int position_ = 0;
  std::string context_;
};

}  // namespace heliosdb
