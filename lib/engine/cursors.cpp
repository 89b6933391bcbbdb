// DECLARE ... CURSOR, FETCH / MOVE and CLOSE: SQL-level cursors over the same pull-based plans
// that portals use.
#include <boost/json.hpp>

#include "common/errors.h"
#include "engine/session_impl.h"

namespace heliosdb::engine {

namespace json = boost::json;

namespace {

// parsenodes.h CURSOR_OPT_* bits.
constexpr int64_t kCursorBinary = 0x0001;
constexpr int64_t kCursorScroll = 0x0002;
constexpr int64_t kCursorHold = 0x0020;

}  // namespace

SqlCursor& SessionImpl::find_cursor(const std::string& name) {
  auto it = cursors_.find(name);
  if (it == cursors_.end()) raise(sqlstate::kInvalidCursorName, "cursor \"{}\" does not exist", name);
  return *it->second;
}

void SessionImpl::run_declare(const json::object& n, const sql::ParseResult& parsed, const sql::Statement& stmt,
                              PreparedImpl* prepared,
                              const std::vector<Value>* params, ResultSink& sink) {
  std::string name(sql::str_field(n, "portalname"));
  int64_t options = sql::int_field(n, "options");
  bool hold = options & kCursorHold;
  if (!in_block_ && !implicit_block_ && !hold)
    raise(sqlstate::kNoActiveSqlTransaction, "DECLARE CURSOR can only be used in transaction blocks");
  if (options & kCursorBinary) unsupported("BINARY cursors");
  if (options & kCursorScroll) unsupported("SCROLL cursors");
  if (cursors_.count(name)) raise(sqlstate::kDuplicateCursor, "cursor \"{}\" already exists", name);
  const json::value* query = sql::field(n, "query");
  if (!query || sql::node_type(*query) != "SelectStmt") unsupported("DECLARE CURSOR for anything but SELECT");

  auto c = std::make_unique<SqlCursor>();
  planner::Binder binder(current_catalog(), parsed.sql, prepared ? prepared->param_types : std::vector<uint32_t>{}, &text_);
  c->plan = binder.bind_statement(query->as_object());
  check_access(c->plan->access);
  c->params = convert_params(*c->plan, params);
  c->columns = c->plan->columns;
  c->hold = hold;
  c->statement = std::string(stmt.text);
  c->created = now_micros();
  run_before(*c->plan, &c->params, nullptr);
  c->ctx = make_context(&c->params);
  c->plan->root->open(c->ctx);
  if (hold) {
    // WITH HOLD: the rows as of now, kept past the end of the transaction.
    Row row;
    while (c->plan->root->next(row)) c->held.push_back(row);
    c->plan->root->close();
    c->done = true;
  }
  cursors_[name] = std::move(c);
  sink.complete("DECLARE CURSOR", 0);
}

void SessionImpl::run_fetch(const json::object& n, ResultSink& sink) {
  bool move = sql::bool_field(n, "ismove");
  std::string direction(sql::str_field(n, "direction"));
  int64_t count = sql::int_field(n, "howMany", 0);
  if (!direction.empty() && direction != "FETCH_FORWARD") unsupported("FETCH in any direction but FORWARD");
  if (count <= 0) unsupported("FETCH FORWARD 0");
  SqlCursor& c = find_cursor(std::string(sql::str_field(n, "portalname")));
  if (!move) sink.columns(c.columns);
  uint64_t got = 0;
  Row row;
  while (static_cast<int64_t>(got) < count) {
    if (c.hold) {
      if (c.pos >= c.held.size()) break;
      row = c.held[c.pos++];
    } else {
      if (c.done) break;
      c.ctx.check_cancel();
      if (!c.plan->root->next(row)) {
        c.done = true;
        break;
      }
    }
    ++got;
    if (!move) sink.row(row);
  }
  sink.complete((move ? "MOVE " : "FETCH ") + std::to_string(got), got);
}

void SessionImpl::run_close_cursor(const json::object& n, ResultSink& sink) {
  std::string name(sql::str_field(n, "portalname"));
  if (name.empty()) {  // CLOSE ALL
    cursors_.clear();
  } else {
    find_cursor(name);  // 34000 when there is none
    cursors_.erase(name);
  }
  sink.complete("CLOSE CURSOR", 0);
}

void SessionImpl::end_cursors() {
  std::erase_if(cursors_, [](const auto& kv) { return !kv.second->hold; });
}

}  // namespace heliosdb::engine
