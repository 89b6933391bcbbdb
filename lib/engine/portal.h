// A portal: a query opened on a session whose rows are pulled on demand (Cursor, and the
// wire protocol's Execute with a row limit).
#pragma once

#include <memory>
#include <vector>

#include "engine/session_impl.h"
#include "heliosdb/result.h"
#include "heliosdb/session.h"

namespace heliosdb {

struct PreparedStatement::Impl {
  std::shared_ptr<engine::PreparedImpl> prepared;
};

class Cursor::Impl {
 public:
  Impl(engine::SessionImpl& session, std::shared_ptr<engine::PreparedImpl> prepared, std::vector<Value> params);
  ~Impl();
  const std::vector<Column>& columns() const { return columns_; }
  bool next(Row& row);
  std::string tag() const { return tag_; }

 private:
  void finish(bool ok);
  engine::SessionImpl& session_;
  std::shared_ptr<engine::PreparedImpl> prepared_;
  std::unique_ptr<engine::OpenQuery> query_;  // streaming SELECT
  std::vector<Row> buffered_;                 // other statements, run eagerly
  size_t pos_ = 0;
  std::vector<Column> columns_;
  std::string tag_;
  uint64_t count_ = 0;
  bool done_ = false;
};

}  // namespace heliosdb
