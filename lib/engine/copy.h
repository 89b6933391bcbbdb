// COPY in PostgreSQL's text and CSV formats: options, parsing input lines into fields and
// formatting rows. COPY FROM STDIN feeds a CopyIn (through the wire protocol's CopyData); COPY
// TO STDOUT streams formatted rows to the ResultSink.
#pragma once

#include <boost/json/fwd.hpp>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/type_io.h"
#include "executor/context.h"
#include "planner/binder.h"
#include "heliosdb/value.h"

namespace heliosdb::engine {

struct PreparedImpl;
}  // namespace heliosdb::engine
namespace heliosdb::catalog { struct TableDef; }
namespace heliosdb::engine {

struct CopyOptions {
  bool csv = false;
  bool binary = false;
  bool header = false;
  char delimiter = '\t';
  std::string null_string = "\\N";
  char quote = '"';
  char escape = '"';
  // CSV: FORCE_QUOTE (COPY TO; `*` = all), FORCE_NOT_NULL and FORCE_NULL (COPY FROM), as
  // column names until resolve_force_columns turns them into flags per column of the copy.
  bool force_quote_all = false;
  std::vector<std::string> force_quote_names, force_not_null_names, force_null_names;
  std::vector<bool> force_quote, force_not_null, force_null;
  // Checks the FORCE_* names against the copy's columns and fills the flags: 42703 for a
  // column the table (when a table is copied) does not have, 42P10 for one not copied.
  void resolve_force_columns(const std::vector<std::string>& columns, const catalog::TableDef* table);
};

// Reads COPY's WITH (...) options (`from`: COPY FROM); 0A000 for options not supported,
// 22023/42601 for bad ones.
CopyOptions copy_options(const boost::json::array& options, bool from);

// Binary COPY (PostgreSQL's PGCOPY format): the header, one row, the trailer.
void copy_binary_header(std::string& out);
void copy_binary_row(std::string& out, const std::vector<Value>& row);
void copy_binary_trailer(std::string& out);

// One row of COPY output, with its line end.
void copy_format_row(std::string& out, const std::vector<Value>& row, const CopyOptions& o, const types::TextContext& text);
// The header line (column names) of CSV output.
void copy_format_header(std::string& out, const std::vector<std::string>& names, const CopyOptions& o);

// Incoming COPY data, split into lines and fields.
class CopyParser {
 public:
  explicit CopyParser(CopyOptions o) : o_(std::move(o)) {}
  // Appends data; calls `row` for each complete line's fields (nullopt = NULL). Returns false
  // once the end-of-data marker "\." was seen.
  template <class F>
  bool feed(std::string_view data, F&& row) {
    buf_.append(data);
    return drain(false, row);
  }
  // The last line without a line end, if any.
  template <class F>
  void finish(F&& row) {
    drain(true, row);
  }
  uint64_t line() const { return line_; }
  // Input not yet taken as a line (what an unterminated quoted field left), and the line number
  // PostgreSQL gives it.
  std::string_view pending() const { return buf_; }
  uint64_t pending_line() const { return line_ + 1 + embedded_lines(buf_, line_ + 1); }

 private:
  template <class F>
  bool drain(bool at_end, F& row) {
    if (o_.binary) return drain_binary(at_end, row);
    size_t start = 0;
    while (!done_) {
      size_t end = line_end(start, at_end);
      if (end == std::string::npos) break;
      std::string_view line(buf_.data() + start, end - start);
      size_t next = end < buf_.size() && buf_[end] == '\r' && end + 1 < buf_.size() && buf_[end + 1] == '\n' ? end + 2
                                                                                                              : end + 1;
      start = std::min(next, buf_.size());
      ++line_;
      line_ += embedded_lines(line, line_);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line == "\\.") {
        done_ = true;
        break;
      }
      if (o_.header && line_ == 1) continue;
      split(line);
      row(fields_, line);
    }
    buf_.erase(0, start);
    return !done_;
  }
  // Binary: the header, then tuples (field count, then length and bytes of each field) until
  // the trailer (field count -1). A tuple is taken once all of it has arrived.
  template <class F>
  bool drain_binary(bool at_end, F& row) {
    size_t pos = 0;
    if (!header_done_) {
      pos = binary_header();
      if (pos == 0) {
        if (at_end) raise_bad_binary("unexpected EOF in COPY data");
        return true;
      }
      header_done_ = true;
    }
    while (!done_) {
      size_t next = binary_tuple(pos);
      if (next == 0) break;
      pos = next;
      if (done_) break;
      ++line_;
      row(fields_, std::string_view());
    }
    buf_.erase(0, pos);
    if (at_end && !done_) raise_bad_binary("unexpected EOF in COPY data");
    return !done_;
  }
  size_t line_end(size_t start, bool at_end) const;
  // PostgreSQL counts the line ends inside a CSV line's quoted fields as lines, once it knows
  // the input's line end (from the first line's): line `number` holds this many more.
  uint64_t embedded_lines(std::string_view line, uint64_t number) const {
    return o_.csv && number > 1 ? static_cast<uint64_t>(std::count(line.begin(), line.end(), '\n')) : 0;
  }
  void split(std::string_view line);
  size_t binary_header();          // bytes of a complete header at the start of buf_, 0 if incomplete
  size_t binary_tuple(size_t pos);  // fills fields_ (or sets done_); the position after it, 0 if incomplete
  [[noreturn]] static void raise_bad_binary(const char* message);

  CopyOptions o_;
  std::string buf_;
  std::vector<std::optional<std::string>> fields_;
  uint64_t line_ = 0;
  bool done_ = false;
  bool header_done_ = false;
};

// A COPY FROM STDIN in progress on a session.
class CopyReader;
struct CopyIn {
  CopyIn();
  ~CopyIn();  // where CopyReader is complete
  std::string table;                      // for messages: COPY t, line n
  bool binary = false;
  std::shared_ptr<PreparedImpl> insert;   // INSERT INTO t (cols) VALUES ($1, ...)
  // The INSERT's plan, bound once: each row is its parameters, run through the plan's row
  // (defaults, coercions) into its writer, without a statement per row.
  planner::Plan* plan = nullptr;
  std::unique_ptr<planner::Plan> owned_plan;
  std::vector<Value> params;
  // When the fields are every column of the table (none generated, none of a domain) the row is
  // the fields, read as the columns' types and type modifiers, as PostgreSQL's COPY reads them,
  // and the plan is not run: direct[i] is field i's column (empty: through the plan).
  std::vector<size_t> direct;
  std::optional<exec::ExecContext> ctx;
  std::vector<uint32_t> types;
  std::vector<int32_t> typmods;
  std::vector<std::string> names;
  std::unique_ptr<CopyParser> parser;
  std::unique_ptr<CopyReader> reader;  // a large load's reading thread, which then owns the parser
  size_t bytes = 0;                          // input taken so far (before the reader starts)
  uint64_t count = 0;
  bool autocommit = false;
  // The table's triggers (unset when it has none): BEFORE INSERT ROW (false: skip the row),
  // AFTER INSERT ROW, and the end of the statement (queued AFTER ROW, AFTER STATEMENT).
  std::function<bool(Row&)> before_row;
  std::function<void(const Row&)> after_row;
  std::function<void()> after_statement;
  // A partitioned table's row into its partition, as SessionImpl::insert_routed (false: a BEFORE
  // trigger skipped it).
  std::function<bool(Row&)> insert_routed;
};

}  // namespace heliosdb::engine
