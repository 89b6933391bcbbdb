#include "engine/portal.h"

#include "common/errors.h"

namespace heliosdb {

namespace {
class Buffer final : public engine::ResultSink {
 public:
  std::vector<Column> cols;
  std::vector<Row> rows;
  std::string tag;
  void columns(const std::vector<Column>& c) override { cols = c; }
  bool row(const Row& r) override {
    rows.push_back(r);
    return true;
  }
  void complete(const std::string& t, uint64_t) override { tag = t; }
};
}  // namespace

Cursor::Impl::Impl(engine::SessionImpl& session, std::shared_ptr<engine::PreparedImpl> prepared, std::vector<Value> params)
    : session_(session), prepared_(std::move(prepared)) {
  bool select = prepared_->stmt && prepared_->stmt->node->begin()->key() == "SelectStmt";
  if (select) {
    query_ = session_.open_query(*prepared_, std::move(params));
    columns_ = query_->plan->columns;
    return;
  }
  Buffer b;
  session_.execute_prepared(*prepared_, params, b);
  columns_ = std::move(b.cols);
  buffered_ = std::move(b.rows);
  tag_ = b.tag;
  done_ = true;
}

Cursor::Impl::~Impl() {
  if (query_) {
    try {
      finish(true);
    } catch (...) {
      // A failed commit of a read-only query changes nothing; the session stays usable.
    }
  }
}

void Cursor::Impl::finish(bool ok) {
  auto q = std::move(query_);
  if (q) session_.close_query(*q, ok);
  tag_ = "SELECT " + std::to_string(count_);
  done_ = true;
}

bool Cursor::Impl::next(Row& row) {
  if (!query_) {
    if (pos_ >= buffered_.size()) return false;
    row = buffered_[pos_++];
    return true;
  }
  bool got;
  try {
    types::UserTypesScope types_scope(session_.user_types());
    got = query_->plan->root->next(row);
  } catch (...) {
    finish(false);
    engine::rethrow_as_error();
  }
  if (!got) {
    finish(true);
    return false;
  }
  ++count_;
  return true;
}

}  // namespace heliosdb
