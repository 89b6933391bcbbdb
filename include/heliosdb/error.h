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
  // The object an integrity error is about, as PostgreSQL reports it (ErrorResponse fields s, t,
  // c, d, n; libpq's PG_DIAG_SCHEMA_NAME etc.); empty when absent. A unique, foreign key or check
  // violation names its schema, table and constraint; a not-null violation its schema, table and
  // column; a domain's violation its schema, data type and (for a CHECK) constraint.
  const std::string& schema_name() const noexcept { return schema_name_; }
  const std::string& table_name() const noexcept { return table_name_; }
  const std::string& column_name() const noexcept { return column_name_; }
  const std::string& datatype_name() const noexcept { return datatype_name_; }
  const std::string& constraint_name() const noexcept { return constraint_name_; }

  const char* what() const noexcept override { return message_.c_str(); }

  Error& with_detail(std::string d) { detail_ = std::move(d); return *this; }
  Error& with_hint(std::string h) { hint_ = std::move(h); return *this; }
  Error& with_position(int p) { position_ = p; return *this; }
  Error& with_severity(std::string s) { severity_ = std::move(s); return *this; }
  Error& with_context(std::string c) { context_ = std::move(c); return *this; }
  Error& with_table(std::string schema, std::string table) {
    schema_name_ = std::move(schema);
    table_name_ = std::move(table);
    return *this;
  }
  Error& with_datatype(std::string schema, std::string type) {
    schema_name_ = std::move(schema);
    datatype_name_ = std::move(type);
    return *this;
  }
  Error& with_column(std::string c) { column_name_ = std::move(c); return *this; }
  Error& with_constraint(std::string c) { constraint_name_ = std::move(c); return *this; }

 private:
  std::string sqlstate_;
  std::string severity_ = "ERROR";
  std::string message_;
  std::string detail_;
  std::string hint_;
  int position_ = 0;
  std::string context_;
  std::string schema_name_, table_name_, column_name_, datatype_name_, constraint_name_;
};

}  // namespace heliosdb
