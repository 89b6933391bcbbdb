// heliosdb/result.h — what a statement returns.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "heliosdb/value.h"

namespace heliosdb {

// One output column, as PostgreSQL's RowDescription describes it.
struct Column {
  std::string name;
  uint32_t type_oid = oid::kText;
  int32_t typmod = -1;         // -1 when the type has no modifier
  uint32_t table_oid = 0;      // source table, 0 for computed columns
  int16_t column_number = 0;   // attribute number in that table, 0 for computed columns
};

using Row = std::vector<Value>;

// The complete outcome of one statement. Rows are materialised; for large results use
// Session::query(), which streams.
class Result {
 public:
  Result() = default;
  Result(std::vector<Column> columns, std::vector<Row> rows, std::string tag, uint64_t count)
      : columns_(std::move(columns)), rows_(std::move(rows)), tag_(std::move(tag)), count_(count) {}

  const std::vector<Column>& columns() const noexcept { return columns_; }
  const std::vector<Row>& rows() const noexcept { return rows_; }
  std::vector<Row>& rows() noexcept { return rows_; }
  // PostgreSQL's command tag: "SELECT 3", "INSERT 0 2", "UPDATE 1", "CREATE TABLE", ...
  const std::string& command_tag() const noexcept { return tag_; }
  // Rows returned (SELECT, RETURNING) or affected (INSERT/UPDATE/DELETE without RETURNING).
  uint64_t row_count() const noexcept { return count_; }
  // True when the statement returns rows (has a RowDescription), even zero of them.
  bool has_rows() const noexcept { return !columns_.empty(); }

 private:
  std::vector<Column> columns_;
  std::vector<Row> rows_;
  std::string tag_;
  uint64_t count_ = 0;
};

// A streaming result: rows are produced as next() is called, so a million-row SELECT never
// sits in memory. Valid while its Session is; the session runs nothing else until the cursor
// is exhausted or destroyed.
class Cursor {
 public:
  class Impl;
  explicit Cursor(std::unique_ptr<Impl> impl);
  Cursor(Cursor&&) noexcept;
  Cursor& operator=(Cursor&&) noexcept;
  ~Cursor();

  const std::vector<Column>& columns() const;
  // The next row, or std::nullopt at the end. Errors raised while producing rows throw.
  std::optional<Row> next();
  // Command tag once exhausted ("SELECT n").
  std::string command_tag() const;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace heliosdb
