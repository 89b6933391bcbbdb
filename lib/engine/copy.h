// COPY in PostgreSQL's text and CSV formats: options, parsing input lines into fields and
// formatting rows. COPY FROM STDIN feeds a CopyIn (through the wire protocol's CopyData); COPY
// TO STDOUT streams formatted rows to the ResultSink.
#pragma once

#include <boost/json/fwd.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/type_io.h"
#include "heliosdb/value.h"

namespace heliosdb::engine {

struct PreparedImpl;

struct CopyOptions {
  bool csv = false;
  bool header = false;
  char delimiter = '\t';
  std::string null_string = "\\N";
  char quote = '"';
  char escape = '"';
};

// Reads COPY's WITH (...) options; 0A000 for binary and options not supported, 22023/42601 for bad ones.
CopyOptions copy_options(const boost::json::array& options);

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

 private:
  template <class F>
  bool drain(bool at_end, F& row) {
    size_t start = 0;
    while (!done_) {
      size_t end = line_end(start, at_end);
      if (end == std::string::npos) break;
      std::string_view line(buf_.data() + start, end - start);
      size_t next = end < buf_.size() && buf_[end] == '\r' && end + 1 < buf_.size() && buf_[end + 1] == '\n' ? end + 2
                                                                                                              : end + 1;
      start = std::min(next, buf_.size());
      ++line_;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line == "\\.") {
        done_ = true;
        break;
      }
      if (o_.header && line_ == 1) continue;
      fields_.clear();
      split(line);
      row(fields_);
    }
    buf_.erase(0, start);
    return !done_;
  }
  size_t line_end(size_t start, bool at_end) const;
  void split(std::string_view line);

  CopyOptions o_;
  std::string buf_;
  std::vector<std::optional<std::string>> fields_;
  uint64_t line_ = 0;
  bool done_ = false;
};

// A COPY FROM STDIN in progress on a session.
struct CopyIn {
  std::string table;                      // for messages: COPY t, line n
  std::shared_ptr<PreparedImpl> insert;   // INSERT INTO t (cols) VALUES ($1, ...)
  std::vector<uint32_t> types;
  std::vector<int32_t> typmods;
  std::vector<std::string> names;
  std::unique_ptr<CopyParser> parser;
  uint64_t count = 0;
  bool autocommit = false;
};

}  // namespace heliosdb::engine
