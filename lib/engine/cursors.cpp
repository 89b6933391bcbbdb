// DECLARE ... CURSOR, FETCH / MOVE and CLOSE: SQL-level cursors over the same pull-based plans
// that portals use.
#include <boost/json.hpp>

#include <limits>

#include "common/errors.h"
#include "engine/session_impl.h"

namespace heliosdb::engine {

namespace json = boost::json;

namespace {

// parsenodes.h CURSOR_OPT_* bits.
constexpr int64_t kCursorBinary = 0x0001;
constexpr int64_t kCursorScroll = 0x0002;
constexpr int64_t kCursorNoScroll = 0x0004;
constexpr int64_t kCursorHold = 0x0020;
constexpr int64_t kFetchAll = std::numeric_limits<int64_t>::max();  // FETCH ALL's howMany

[[noreturn]] void forward_only() {
  throw Error(sqlstate::kObjectNotInPrerequisiteState, "cursor can only scan forward")
      .with_hint("Declare it with SCROLL option to enable backward scan.");
}

}  // namespace

bool SqlCursor::reach(size_t k) {
  while (read < k) {
    if (done) return false;
    ctx.check_cancel();
    Row r;
    if (!plan->root->next(r)) {
      done = true;
      return false;
    }
    ++read;
    if (!scroll && !hold && !no_scroll && rows.size() >= kKeptRows) no_scroll = true;
    if (no_scroll) {  // only the current row
      rows.clear();
      first_kept = read;
    }
    rows.push_back(std::move(r));
  }
  return true;
}

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
  if ((options & kCursorScroll) && (options & kCursorNoScroll))
    raise(sqlstate::kInvalidCursorDefinition, "cannot specify both SCROLL and NO SCROLL");
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
  c->scroll = options & kCursorScroll;
  c->no_scroll = options & kCursorNoScroll;
  c->statement = std::string(stmt.text);
  c->created = now_micros();
  run_before(*c->plan, &c->params, nullptr);
  c->ctx = make_context(&c->params);
  c->plan->root->open(c->ctx);
  if (hold) {
    // WITH HOLD: the rows as of now, kept past the end of the transaction.
    while (c->reach(c->read + 1)) {}
    c->plan->root->close();
  }
  cursors_[name] = std::move(c);
  sink.complete("DECLARE CURSOR", 0);
}

// FETCH / MOVE in any direction, moving as PostgreSQL's DoPortalRunFetch and PortalRunSelect do:
// the position is 0 before the first row and one past the last after it.
void SessionImpl::run_fetch(const json::object& n, ResultSink& sink) {
  bool move = sql::bool_field(n, "ismove");
  std::string direction(sql::str_field(n, "direction"));
  int64_t count = sql::int_field(n, "howMany", 0);
  SqlCursor& c = find_cursor(std::string(sql::str_field(n, "portalname")));
  if (!move) sink.columns(c.columns);
  uint64_t got = 0;
  auto emit = [&](const Row& r) {
    ++got;
    if (!move) sink.row(r);
  };
  // Up to k rows on (FETCH_ALL: all), sent when `out`; the rows moved over.
  auto forward = [&](int64_t k, bool out) {
    int64_t moved = 0;
    for (; k == kFetchAll || moved < k; ++moved) {
      if (!c.reach(c.pos + 1)) {
        c.pos = c.read + 1;
        break;
      }
      ++c.pos;
      if (out) emit(c.row(c.pos));
    }
    return moved;
  };
  auto backward = [&](int64_t k, bool out) {
    if (c.no_scroll) forward_only();
    int64_t moved = 0;
    for (; k == kFetchAll || moved < k; ++moved) {
      if (c.pos <= 1) {
        c.pos = 0;
        break;
      }
      --c.pos;
      if (out) emit(c.row(c.pos));
    }
    return moved;
  };
  auto seek = [&](size_t p) {  // to row p without sending rows
    if (p >= c.pos) return void(forward(static_cast<int64_t>(p - c.pos), false));
    if (c.no_scroll) forward_only();
    c.pos = p;
  };
  auto finish = [&](uint64_t rows) { sink.complete((move ? "MOVE " : "FETCH ") + std::to_string(rows), rows); };

  bool ahead = true;
  if (direction.empty() || direction == "FETCH_FORWARD" || direction == "FETCH_BACKWARD") {
    ahead = direction != "FETCH_BACKWARD";
    if (count < 0) {
      ahead = !ahead;
      count = -count;
    }
  } else if (direction == "FETCH_ABSOLUTE") {
    if (count > 0) {
      seek(static_cast<size_t>(count - 1));
      forward(1, true);
    } else if (count < 0) {
      forward(kFetchAll, false);
      if (count < -1) backward(-count - 1, false);
      backward(1, true);
    } else {
      seek(0);
    }
    return finish(got);
  } else if (direction == "FETCH_RELATIVE") {
    if (count > 0) {
      if (count > 1) forward(count - 1, false);
      forward(1, true);
      return finish(got);
    }
    if (count < 0) {
      if (count < -1) backward(-count - 1, false);
      backward(1, true);
      return finish(got);
    }
  } else {
    unsupported("FETCH " + direction);
  }
  // FETCH 0 (and RELATIVE 0) fetches the current row again, if there is one.
  if (count == 0) {
    bool on_row = c.pos >= 1 && !(c.done && c.pos > c.read);
    if (move) return finish(on_row ? 1 : 0);
    if (on_row) {
      backward(1, false);
      count = 1;
      ahead = true;
    }
  }
  if (!ahead && count == kFetchAll && move) {  // MOVE BACKWARD ALL: to the start
    uint64_t before = c.pos > 0 ? c.pos - 1 : 0;
    seek(0);
    return finish(before);
  }
  if (ahead) forward(count, true);
  else backward(count, true);
  finish(got);
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
