// MERGE INTO target USING source ON condition WHEN [NOT] MATCHED [AND condition] THEN
// UPDATE SET ... | DELETE | INSERT ... | DO NOTHING.
//
// Each WHEN clause becomes the statement that does its part (an UPDATE ... FROM, a DELETE ...
// USING, an INSERT ... SELECT ... WHERE NOT EXISTS), its condition joined with the negation of
// the conditions of the clauses before it (the first clause that holds acts). All of them read
// the tables before any writes, as the one join of PostgreSQL's MERGE does; then the changes are
// made through the target's writer and triggers.
#include <boost/json.hpp>
#include <set>

#include "common/errors.h"
#include "engine/session_impl.h"
#include "executor/foreign_keys.h"
#include "executor/table_access.h"
#include "planner/binder.h"
#include "sql/parser.h"

namespace heliosdb::engine {

namespace json = boost::json;
using sql::field;
using sql::list_field;
using sql::node_body;
using sql::node_type;
using sql::str_field;

namespace {

json::value bool_and(json::array args) {
  if (args.size() == 1) return args[0];
  return json::object{{"BoolExpr", json::object{{"boolop", "AND_EXPR"}, {"args", std::move(args)}, {"location", -1}}}};
}

json::value is_not_true(const json::value& cond) {
  return json::object{{"BooleanTest", json::object{{"arg", cond}, {"booltesttype", "IS_NOT_TRUE"}, {"location", -1}}}};
}

json::value select_node(json::array targets, json::array from, json::value where) {
  json::object s{{"targetList", std::move(targets)}, {"limitOption", "LIMIT_OPTION_DEFAULT"}, {"op", "SETOP_NONE"}};
  if (!from.empty()) s["fromClause"] = std::move(from);
  if (!where.is_null()) s["whereClause"] = std::move(where);
  return json::object{{"SelectStmt", std::move(s)}};
}

json::value res_target(json::value val) {
  return json::object{{"ResTarget", json::object{{"val", std::move(val)}, {"location", -1}}}};
}

}  // namespace

void SessionImpl::run_merge(const json::object& n, const sql::ParseResult& parsed, ResultSink& sink) {
  if (field(n, "withClause")) unsupported("WITH in MERGE");
  const json::value& target = *field(n, "relation");
  const json::value& source = *field(n, "sourceRelation");
  const json::value& on = *field(n, "joinCondition");
  struct Clause {
    bool matched;
    std::string command;  // CMD_UPDATE, CMD_DELETE, CMD_INSERT, CMD_NOTHING
    std::unique_ptr<planner::Plan> plan;
    std::vector<Row> rows;  // what its plan's root gave, before any write
  };
  std::vector<Clause> clauses;
  json::array before_matched, before_not_matched;  // earlier clauses' conditions
  const catalog::Catalog& cat = current_catalog();
  std::deque<json::value> trees;  // the statements the clauses become (the plans point into them)
  for (const auto& w : list_field(n, "mergeWhenClauses")) {
    const auto& c = node_body(w);
    bool matched = sql::bool_field(c, "matched");
    std::string cmd(str_field(c, "commandType"));
    const json::value* cond = field(c, "condition");
    json::array& before = matched ? before_matched : before_not_matched;
    json::array where;
    if (matched) where.push_back(on);
    for (const auto& b : before) where.push_back(is_not_true(b));
    if (cond) where.push_back(*cond);
    before.push_back(cond ? *cond : json::value(json::object{{"A_Const", json::object{{"boolval", json::object{{"boolval", true}}}}}}));
    json::value stmt;
    if (matched && cmd == "CMD_UPDATE") {
      stmt = json::object{{"UpdateStmt", json::object{{"relation", target}, {"targetList", *field(c, "targetList")},
                                                     {"fromClause", json::array{source}}, {"whereClause", bool_and(where)}}}};
    } else if (matched) {  // DELETE, and DO NOTHING (read for the rows it claims, never written)
      stmt = json::object{{"DeleteStmt", json::object{{"relation", target}, {"usingClause", json::array{source}},
                                                     {"whereClause", bool_and(where)}}}};
    } else if (cmd == "CMD_INSERT" || cmd == "CMD_NOTHING") {
      if (cmd == "CMD_NOTHING") continue;
      if (str_field(c, "override") != "OVERRIDING_NOT_SET") unsupported("OVERRIDING in MERGE ... INSERT");
      const auto& values = list_field(c, "values");
      if (values.empty()) unsupported("INSERT DEFAULT VALUES in MERGE");
      json::array targets;
      for (const auto& v : values) {
        if (node_type(v) == "SetToDefault") unsupported("DEFAULT in the VALUES of MERGE ... INSERT");
        targets.push_back(res_target(v));
      }
      // Source rows no target row matches: NOT EXISTS (SELECT 1 FROM target WHERE on).
      json::value exists = json::object{{"SubLink", json::object{{"subLinkType", "EXISTS_SUBLINK"},
                                                                 {"subselect", select_node(json::array{res_target(json::object{{"A_Const", json::object{{"ival", json::object{{"ival", 1}}}}}})},
                                                                                           json::array{json::object{{"RangeVar", target}}}, on)},
                                                                 {"location", -1}}}};
      where.insert(where.begin(), json::object{{"BoolExpr", json::object{{"boolop", "NOT_EXPR"}, {"args", json::array{exists}}, {"location", -1}}}});
      json::object ins{{"relation", json::object(target.as_object())}, {"selectStmt", select_node(std::move(targets), json::array{source}, bool_and(where))},
                       {"override", "OVERRIDING_NOT_SET"}};
      ins["relation"].as_object().erase("alias");  // INSERT's target has no alias here; its columns are named plainly
      if (const auto* cols = field(c, "targetList")) ins["cols"] = *cols;
      stmt = json::object{{"InsertStmt", std::move(ins)}};
    } else {
      unsupported(fmt::format("MERGE WHEN NOT MATCHED THEN {}", cmd));
    }
    trees.push_back(std::move(stmt));
    planner::Binder binder(cat, parsed.sql, {}, &text_);
    auto plan = binder.bind_statement(trees.back().as_object());
    // Its writes go to the target's own rows only (no routing to partitions, no children).
    if (plan->table->is_partitioned() || !cat.children(plan->table->id).empty())
      unsupported("MERGE into a partitioned table or a table with inheritance children");
    check_access(plan->access);
    if (plan->plan_error) throw *plan->plan_error;
    clauses.push_back({matched, cmd, std::move(plan), {}});
  }
  // Every clause reads before anything is written.
  exec::ExecContext ctx = make_context(nullptr);
  std::set<std::string> claimed;  // target rows a WHEN MATCHED clause acts on
  for (auto& c : clauses) {
    Row row;
    c.plan->root->open(ctx);
    while (c.plan->root->next(row)) {
      if (c.matched) {
        size_t width = c.plan->table->columns.size();
        if (!claimed.insert(row[width].as_string()).second)
          throw Error(sqlstate::kCardinalityViolation, "MERGE command cannot affect row a second time")
              .with_hint("Ensure that not more than one source row matches any one target row.");
      }
      c.rows.push_back(row);
    }
    c.plan->root->close();
  }
  // Then the changes: updates and deletes of the matched rows, inserts of the others.
  std::vector<exec::KeyCheck> outer_checks = std::move(key_checks_.statement);
  key_checks_.statement.clear();
  struct Restore {
    std::vector<exec::KeyCheck>& checks;
    std::vector<exec::KeyCheck>& outer;
    ~Restore() { checks = std::move(outer); }
  } restore{key_checks_.statement, outer_checks};
  if (plan_depth_ == 0) fk_writers_.clear();
  auto table = clauses.empty() ? nullptr : clauses.front().plan->table;
  std::vector<size_t> set_columns;
  for (const auto& c : clauses)
    for (const auto& [col, e] : c.plan->assignments) set_columns.push_back(col);
  std::optional<StatementTriggers> triggers;
  if (table) triggers.emplace(*this, table, set_columns);
  int events = 0;
  for (const auto& c : clauses)
    events |= c.command == "CMD_UPDATE" ? catalog::kTriggerUpdate : c.command == "CMD_DELETE" ? catalog::kTriggerDelete
            : c.command == "CMD_INSERT" ? catalog::kTriggerInsert : 0;
  if (triggers) triggers->before_statement(events);
  uint64_t count = 0;
  for (auto& c : clauses) {
    if (c.command == "CMD_NOTHING") continue;
    auto& plan = *c.plan;
    size_t width = plan.table->columns.size();
    for (Row& t : c.rows) {
      if (c.command == "CMD_INSERT") {
        if (!triggers->before_row(catalog::kTriggerInsert, nullptr, &t)) continue;
        plan.writer->insert(ctx, t);
        triggers->after_row(catalog::kTriggerInsert, nullptr, &t);
        ++count;
        continue;
      }
      std::string key = t[width].as_string();
      if (!exec::lock_row_version(ctx, plan.writer->layout(), t, width, nullptr)) continue;
      Row old(t.begin(), t.begin() + static_cast<long>(width));
      if (c.command == "CMD_UPDATE") {
        Row updated = old;
        for (const auto& [col, e] : plan.assignments) updated[col] = e->eval(t, ctx);
        if (!triggers->before_row(catalog::kTriggerUpdate, &old, &updated)) continue;
        plan.writer->update(ctx, key, old, updated);
        triggers->after_row(catalog::kTriggerUpdate, &old, &updated);
      } else {
        if (!triggers->before_row(catalog::kTriggerDelete, &old, nullptr)) continue;
        plan.writer->remove(ctx, key, old);
        triggers->after_row(catalog::kTriggerDelete, &old, nullptr);
      }
      ++count;
    }
  }
  exec::run_key_checks(ctx, key_checks_.statement);
  if (triggers) triggers->after_statement();
  sink.complete("MERGE " + std::to_string(count), count);
}

}  // namespace heliosdb::engine
