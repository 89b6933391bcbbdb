// Running a statement on a relation with rules: the statements planner::rewrite_rules makes of
// it, all bound first (their errors before any write), then run in order in the statement's
// transaction, each seeing what the ones before it did. The command tag is PostgreSQL's: the
// original statement's when it still runs, else the last INSTEAD action's of the same command,
// else the original's command with a count of 0.
#include <boost/json.hpp>

#include "common/errors.h"
#include "engine/session_impl.h"
#include "planner/binder.h"
#include "planner/rules.h"
#include "sql/parser.h"

namespace heliosdb::engine {

namespace json = boost::json;

namespace {

// Passes rows on (when `rows`), keeps the count, holds back the completion.
class RuleSink final : public ResultSink {
 public:
  RuleSink(ResultSink& out, bool rows) : out_(out), rows_(rows) {}
  uint64_t count = 0;
  void columns(const std::vector<Column>& cols) override {
    if (rows_) out_.columns(cols);
  }
  bool row(const Row& r) override { return !rows_ || out_.row(r); }
  void complete(const std::string&, uint64_t n) override { count = n; }
  void notice(const Error& n) override { out_.notice(n); }

 private:
  ResultSink& out_;
  bool rows_;
};

std::string tag_of(const std::string& command, uint64_t count) {
  if (command == "INSERT") return "INSERT 0 " + std::to_string(count);
  return command + " " + std::to_string(count);
}

}  // namespace

bool SessionImpl::run_with_rules(const json::object& stmt, const sql::ParseResult& parsed, const std::vector<Value>* params,
                                 ResultSink& sink) {
  const catalog::Catalog& cat = current_catalog();
  auto rewritten = planner::rewrite_rules(cat, stmt);
  if (!rewritten) return false;
  std::string command = stmt.begin()->key() == "InsertStmt" ? "INSERT" : stmt.begin()->key() == "UpdateStmt" ? "UPDATE" : "DELETE";
  // Which statement sets the tag.
  int tagger = -1;
  for (size_t i = 0; i < rewritten->size(); ++i) {
    const auto& r = (*rewritten)[i];
    if (r.source == 'o') tagger = static_cast<int>(i);
  }
  if (tagger < 0)
    for (size_t i = 0; i < rewritten->size(); ++i) {
      const auto& r = (*rewritten)[i];
      if ((r.source == 'i' || r.source == 'q') && r.command == command) tagger = static_cast<int>(i);
    }
  // Bind them all.
  std::vector<std::unique_ptr<planner::Plan>> plans;
  for (const auto& r : *rewritten) {
    if (r.command == "NOTIFY") {
      plans.push_back(nullptr);
      continue;
    }
    if (r.command == "SELECT" && !r.returns_rows) unsupported("rule actions that are SELECT statements");
    planner::Binder binder(cat, parsed.sql, {}, &text_);
    auto plan = binder.bind_statement(r.tree.as_object());
    check_access(plan->access);
    plans.push_back(std::move(plan));
  }
  uint64_t count = 0;
  bool rows_sent = false;
  for (size_t i = 0; i < rewritten->size(); ++i) {
    const auto& r = (*rewritten)[i];
    RuleSink out(sink, r.returns_rows && !rows_sent);
    if (r.command == "NOTIFY") {
      run_listen("NotifyStmt", r.tree.as_object().begin()->value().as_object(), out);
    } else {
      std::vector<Value> converted = convert_params(*plans[i], params);
      run_plan(*plans[i], &converted, out);
    }
    if (r.returns_rows) rows_sent = true;
    if (static_cast<int>(i) == tagger) count = out.count;
  }
  sink.complete(tag_of(command, count), count);
  return true;
}

}  // namespace heliosdb::engine
