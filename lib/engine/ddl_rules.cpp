// CREATE [OR REPLACE] RULE, DROP RULE, ALTER RULE ... RENAME TO: rules kept with their relation
// (catalog::RuleDef); planner/rules.cpp applies them.
#include <boost/json.hpp>

#include "common/errors.h"
#include "engine/ddl.h"
#include "engine/session_impl.h"
#include "planner/binder.h"
#include "planner/rules.h"
#include "sql/parser.h"

namespace heliosdb::engine {

namespace json = boost::json;
using sql::field;
using sql::list_field;
using sql::node_body;
using sql::node_type;
using sql::str_field;
using sql::string_node;
using ddl::schema_of;

void DdlExecutor::create_rule(const json::object& n, ResultSink& sink) {
  catalog::Catalog& cat = s_.writable_catalog();
  const auto& rv = field(n, "relation")->as_object();
  std::string schema = schema_of(rv, cat);
  std::string tname(str_field(rv, "relname"));
  auto table = cat.table(schema, tname);
  if (!table) raise(sqlstate::kUndefinedTable, "relation \"{}\" does not exist", tname);
  if (table->is_matview() || table->is_partitioned())
    unsupported("rules on materialized views and partitioned tables");
  s_.check_owner(table->access, table->is_view() ? "view" : "table", table->name);
  std::string_view ev = str_field(n, "event");
  if (ev == "CMD_SELECT") unsupported("rules on SELECT other than a view's");
  catalog::RuleDef r;
  r.name = std::string(str_field(n, "rulename"));
  r.event = ev == "CMD_UPDATE" ? '2' : ev == "CMD_INSERT" ? '3' : '4';
  r.instead = sql::bool_field(n, "instead");
  const json::value* qual = field(n, "whereClause");
  const json::array& actions = list_field(n, "actions");
  if (r.name == "_RETURN") raise(sqlstate::kInvalidObjectDefinition, "non-view rule for \"{}\" must not be named \"_RETURN\"", tname);
  // RETURNING: only in an unconditional INSTEAD rule, once, matching the relation's columns.
  int with_returning = 0;
  for (const auto& a : actions)
    if (node_type(a) != "NotifyStmt" && !list_field(node_body(a), "returningList").empty()) ++with_returning;
  if (with_returning > 0) {
    if (with_returning > 1) raise(sqlstate::kFeatureNotSupported, "cannot have multiple RETURNING lists in a rule");
    if (qual) raise(sqlstate::kFeatureNotSupported, "RETURNING lists are not supported in conditional rules");
    if (!r.instead) raise(sqlstate::kFeatureNotSupported, "RETURNING lists are not supported in non-INSTEAD rules");
  }
  if (qual) {
    std::function<void(const json::value&)> check = [&](const json::value& v) {
      if (v.is_array()) for (const auto& x : v.as_array()) check(x);
      if (!v.is_object()) return;
      for (const auto& kv : v.as_object()) {
        if (kv.key() == "SubLink") continue;  // subqueries may read other relations
        if (kv.key() == "FuncCall" && !list_field(kv.value().as_object(), "funcname").empty()) {
          std::string f(string_node(list_field(kv.value().as_object(), "funcname").back()));
          if (f == "count" || f == "sum" || f == "avg" || f == "min" || f == "max")
            raise(sqlstate::kGroupingError, "aggregate functions are not allowed in rule WHERE conditions");
        }
        check(kv.value());
      }
    };
    check(*qual);
  }
  // Bind each action against a row source of the relation's columns: its errors now, as
  // PostgreSQL's CREATE RULE gives them.
  auto checked = planner::rule_actions_for_check(*table, r.event, qual, actions);
  {
    // The relation as it will be: binding sees the rule (for recursion through views).
    for (auto& a : checked) {
      planner::Binder binder(cat, sql_, {}, &s_.text_);
      auto plan = binder.bind_statement(a.as_object());
      const auto& returning = list_field(node_body(a), "returningList");
      if (returning.empty()) continue;
      const auto& cols = plan->columns;
      size_t k = table->columns.size();
      if (cols.size() > k) raise(sqlstate::kInvalidObjectDefinition, "RETURNING list has too many entries");
      for (size_t i = 0; i < cols.size(); ++i) {
        const auto& c = table->columns[i];
        if (cols[i].type_oid != c.type)
          throw Error(sqlstate::kInvalidObjectDefinition,
                      fmt::format("RETURNING list's entry {} has different type from column \"{}\"", i + 1, c.name))
              .with_detail(fmt::format("RETURNING list's entry has type {}, but column has type {}.",
                                       types::format_type(cols[i].type_oid, -1), types::format_type(c.type, -1)));
      }
      if (cols.size() < k) raise(sqlstate::kInvalidObjectDefinition, "RETURNING list has too few entries");
    }
  }
  r.qual = qual ? json::serialize(*qual) : "";
  r.actions = json::serialize(actions);
  std::string def = sql::deparse(statement_.empty() ? sql_ : statement_);
  r.definition = def + ";";
  catalog::TableDef t = *table;
  auto same = std::ranges::find_if(t.rules, [&](const catalog::RuleDef& x) { return x.name == r.name; });
  if (same != t.rules.end()) {
    if (!sql::bool_field(n, "replace"))
      raise(sqlstate::kDuplicateObject, "rule \"{}\" for relation \"{}\" already exists", r.name, t.name);
    r.id = same->id;
    t.rules.erase(same);
  } else {
    r.id = cat.allocate_id(*s_.txn_);
  }
  t.rules.push_back(std::move(r));
  std::ranges::sort(t.rules, {}, &catalog::RuleDef::name);
  cat.put_table(*s_.txn_, std::move(t));
  sink.complete("CREATE RULE", 0);
}

void DdlExecutor::drop_rules(const json::object& n, ResultSink& sink) {
  bool missing_ok = sql::bool_field(n, "missing_ok");
  catalog::Catalog& cat = s_.writable_catalog();
  for (const auto& obj : list_field(n, "objects")) {
    std::string rule;
    auto table = member_target(obj, missing_ok, sink, rule);
    if (!table) continue;
    catalog::TableDef t = *table;
    auto it = std::ranges::find_if(t.rules, [&](const catalog::RuleDef& x) { return x.name == rule; });
    if (it == t.rules.end()) {
      if (!missing_ok) raise(sqlstate::kUndefinedObject, "rule \"{}\" for relation \"{}\" does not exist", rule, t.name);
      send_notice(sink, sqlstate::kSuccessfulCompletion,
                  fmt::format("rule \"{}\" for relation \"{}\" does not exist, skipping", rule, t.name));
      continue;
    }
    s_.check_owner(t.access, t.is_view() ? "view" : "table", t.name);
    t.rules.erase(it);
    cat.put_table(*s_.txn_, std::move(t));
  }
  sink.complete("DROP RULE", 0);
}

void DdlExecutor::rename_rule(const json::object& n, ResultSink& sink) {
  catalog::Catalog& cat = s_.writable_catalog();
  const auto& rv = field(n, "relation")->as_object();
  std::string tname(str_field(rv, "relname"));
  auto table = cat.table(schema_of(rv, cat), tname);
  if (!table) raise(sqlstate::kUndefinedTable, "relation \"{}\" does not exist", tname);
  std::string from(str_field(n, "subname")), to(str_field(n, "newname"));
  catalog::TableDef t = *table;
  auto it = std::ranges::find_if(t.rules, [&](const catalog::RuleDef& x) { return x.name == from; });
  if (it == t.rules.end()) {
    if (from == "_RETURN" && t.is_view()) raise(sqlstate::kWrongObjectType, "renaming an ON SELECT rule is not allowed");
    raise(sqlstate::kUndefinedObject, "rule \"{}\" for relation \"{}\" does not exist", from, t.name);
  }
  if (std::ranges::any_of(t.rules, [&](const catalog::RuleDef& x) { return x.name == to; }))
    raise(sqlstate::kDuplicateObject, "rule \"{}\" for relation \"{}\" already exists", to, t.name);
  s_.check_owner(t.access, t.is_view() ? "view" : "table", t.name);
  it->name = to;
  // The definition's text names the rule after CREATE RULE.
  std::string& d = it->definition;
  if (auto p = d.find(sql::quote_ident(from)); p != std::string::npos) d.replace(p, sql::quote_ident(from).size(), sql::quote_ident(to));
  std::ranges::sort(t.rules, {}, &catalog::RuleDef::name);
  cat.put_table(*s_.txn_, std::move(t));
  sink.complete("ALTER RULE", 0);
}

}  // namespace heliosdb::engine
