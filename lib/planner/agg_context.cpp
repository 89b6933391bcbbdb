#include "planner/agg_context.h"

#include <algorithm>
#include <boost/json.hpp>

#include "common/errors.h"
#include "common/types.h"
#include "executor/float_stats.h"
#include "executor/functions.h"

namespace heliosdb::planner {

namespace {
thread_local const catalog::Catalog* t_catalog = nullptr;
}  // namespace

AggregateCatalogScope::AggregateCatalogScope(const catalog::Catalog* c) : saved_(t_catalog) { t_catalog = c; }
AggregateCatalogScope::~AggregateCatalogScope() { t_catalog = saved_; }
const catalog::Catalog* aggregate_catalog() { return t_catalog; }

bool is_aggregate_call(const json::object& f) {
  if (f.contains("over")) return false;
  if (sql::bool_field(f, "agg_star") || sql::bool_field(f, "agg_within_group")) return true;
  const auto& funcname = sql::list_field(f, "funcname");
  if (funcname.empty()) return false;
  std::string name(sql::string_node(funcname.back()));
  std::string schema = funcname.size() >= 2 ? std::string(sql::string_node(funcname[funcname.size() - 2])) : "";
  if ((schema.empty() || schema == "pg_catalog") && exec::is_aggregate(name)) return true;
  if (!t_catalog || schema == "pg_catalog") return false;
  for (const auto& fn : t_catalog->functions(schema, name))
    if (fn->kind == 'a') return true;
  return false;
}

bool contains_aggregate(const json::value& node) {
  if (node.is_array()) {
    for (const auto& v : node.as_array())
      if (contains_aggregate(v)) return true;
    return false;
  }
  if (!node.is_object()) return false;
  const auto& o = node.as_object();
  if (const auto* fc = o.if_contains("FuncCall")) {
    if (is_aggregate_call(fc->as_object())) return true;
  }
  // Subqueries have their own aggregation level.
  if (o.contains("SubLink")) return false;
  for (const auto& kv : o)
    if (contains_aggregate(kv.value())) return true;
  return false;
}

exec::ExprPtr Binder::AggContext::match_group(Binder& b, const json::value& node, const Scope& scope) {
  if (groups.empty() || contains_aggregate(node)) return nullptr;
  AggContext* saved = b.agg_;
  b.agg_ = nullptr;
  exec::ExprPtr probe;
  try {
    probe = b.bind_expr(node, scope);
  } catch (const Error&) {
    b.agg_ = saved;
    return nullptr;
  }
  b.agg_ = saved;
  std::string key = probe->key();
  for (size_t i = 0; i < group_keys.size(); ++i)
    if (group_keys[i] == key) return std::make_unique<exec::ColumnExpr>(i, groups[i]->type, groups[i]->typmod);
  return nullptr;
}

void Binder::AggContext::column_outside_group(Binder& b, const json::object& colref, const Scope& scope) {
  std::string name;
  for (const auto& f : sql::list_field(colref, "fields")) {
    if (!name.empty()) name += ".";
    name += sql::string_node(f);
  }
  // Resolve first so that an unknown column reports 42703, not a grouping error.
  AggContext* saved = b.agg_;
  b.agg_ = nullptr;
  exec::ExprPtr e;
  try {
    e = b.bind_expr(json::value{{"ColumnRef", colref}}, scope);
  } catch (...) {
    b.agg_ = saved;
    throw;
  }
  b.agg_ = saved;
  if (dynamic_cast<exec::OuterColumnExpr*>(e.get())) unsupported("outer references in aggregate queries");
  std::string qualified = name;
  if (name.find('.') == std::string::npos) {
    if (auto* c = dynamic_cast<exec::ColumnExpr*>(e.get()); c && !scope.columns[c->index].relation.empty())
      qualified = scope.columns[c->index].relation + "." + name;
  }
  Error err(sqlstate::kGroupingError,
            fmt::format("column \"{}\" must appear in the GROUP BY clause or be used in an aggregate function", qualified));
  int loc = static_cast<int>(sql::int_field(colref, "location", -1));
  if (loc >= 0) err.with_position(loc + 1);
  throw err;
}

exec::ExprPtr Binder::AggContext::bind_aggregate(Binder& b, const json::object& n, const std::string& name,
                                                 const Scope& scope, AggContext* args_context) {
  if (n.contains("over")) unsupported("window functions");
  if (sql::bool_field(n, "agg_within_group")) return bind_ordered_set(b, n, name, scope);
  AggContext* saved = b.agg_;
  b.agg_ = args_context;
  exec::AggDef def;
  def.name = name;
  def.distinct = sql::bool_field(n, "agg_distinct");
  try {
    for (const auto& a : sql::list_field(n, "args")) {
      if (!args_context && contains_aggregate(a)) raise(sqlstate::kGroupingError, "aggregate function calls cannot be nested");
      def.args.push_back(b.bind_expr(a, scope));
    }
    if (const auto* f = n.if_contains("agg_filter")) def.filter = b.make_condition(b.bind_expr(*f, scope), "FILTER");
    for (const auto& o : sql::list_field(n, "agg_order")) {
      const auto& sb = sql::node_body(o);
      exec::AggDef::Order ord;
      ord.expr = b.bind_expr(*sql::field(sb, "node"), scope);
      std::string dir(sql::str_field(sb, "sortby_dir")), nulls(sql::str_field(sb, "sortby_nulls"));
      ord.descending = dir == "SORTBY_DESC";
      ord.nulls_first = nulls == "SORTBY_NULLS_FIRST" || (nulls != "SORTBY_NULLS_LAST" && ord.descending);
      def.order.push_back(std::move(ord));
    }
    // With DISTINCT the sort keys are arguments: the rows are sorted, then the repeats dropped.
    if (def.distinct)
      for (size_t k = 0; k < def.order.size(); ++k)
        if (std::ranges::none_of(def.args, [&](const auto& a) { return a->key() == def.order[k].expr->key(); })) {
          Error e(sqlstate::kInvalidColumnReference, "in an aggregate with DISTINCT, ORDER BY expressions must appear in argument list");
          const auto& sb = sql::node_body(sql::list_field(n, "agg_order")[k]);
          throw at(e, static_cast<int>(sql::int_field(sql::node_body(*sql::field(sb, "node")), "location", -1)));
        }
  } catch (...) {
    b.agg_ = saved;
    throw;
  }
  b.agg_ = saved;
  bool star = sql::bool_field(n, "agg_star");
  const auto& funcname = sql::list_field(n, "funcname");
  bool builtin = exec::is_aggregate(name) && (funcname.size() < 2 || sql::string_node(funcname[funcname.size() - 2]) == "pg_catalog");
  if (!builtin || (star && name != "count")) {
    std::vector<uint32_t> types;
    for (const auto& a : def.args) types.push_back(a->type);
    int location = static_cast<int>(sql::int_field(n, "location", -1));
    if (auto fn = find_user_aggregate(b, n, types)) {
      bind_user_aggregate(b, def, *fn, location);
      std::string key = "U" + std::to_string(fn->id) + (def.distinct ? "D(" : "(");
      for (const auto& a : def.args) key += a->key() + ",";
      if (def.filter) key += "F" + def.filter->key();
      for (const auto& o : def.order) key += (o.descending ? "O-" : "O+") + std::string(o.nulls_first ? "N" : "") + o.expr->key();
      return add(std::move(def), key);
    }
    if (!builtin && !star) {
      std::string sig;
      for (size_t i = 0; i < types.size(); ++i) sig += (i ? ", " : "") + types::format_type(types[i], -1);
      Error e = make_error(sqlstate::kUndefinedFunction, "function {}({}) does not exist", name, sig);
      e.with_hint("No function matches the given name and argument types. You might need to add explicit type casts.");
      throw at(e, location);
    }
  }
  if (star && name != "count") raise(sqlstate::kWrongObjectType, "{}(*) is not an aggregate that takes *", name);
  bool regression = exec::is_regression_aggregate(name);
  size_t want = name == "string_agg" || name == "json_object_agg" || name == "jsonb_object_agg" || regression ? 2 : star ? 0 : 1;
  if (def.args.size() != want) {
    std::string sig;
    for (size_t i = 0; i < def.args.size(); ++i) sig += (i ? ", " : "") + types::format_type(def.args[i]->type, -1);
    raise(sqlstate::kUndefinedFunction, "function {}({}) does not exist", name, sig);
  }
  if (regression) {  // float8 (y, x); any numeric type converts
    for (auto& arg : def.args) {
      if (!exec::can_coerce_implicit(arg->type, oid::kFloat8)) {
        raise(sqlstate::kUndefinedFunction, "function {}({}, {}) does not exist", name, types::format_type(def.args[0]->type, -1),
              types::format_type(def.args[1]->type, -1));
      }
    }
    for (auto& arg : def.args) arg = b.coerce(std::move(arg), oid::kFloat8, -1, false);
  }
  if (!def.args.empty()) {
    if (def.args[0]->type == oid::kUnknownType) def.args[0] = b.coerce(std::move(def.args[0]), oid::kText, -1, false);
    if (name == "string_agg") {
      def.args[0] = b.coerce(std::move(def.args[0]), def.args[0]->type == oid::kBytea ? oid::kBytea : oid::kText, -1, false);
      def.args[1] = b.coerce(std::move(def.args[1]), def.args[0]->type, -1, false);
    }
    if (name == "bool_and" || name == "bool_or" || name == "every") def.args[0] = b.make_condition(std::move(def.args[0]), name.c_str());
    def.arg_type = def.args[0]->type;
    // varchar/char aggregate as text; other string types likewise
    if (types::is_string(def.arg_type) && (name == "min" || name == "max") && def.arg_type != oid::kText && def.arg_type != oid::kBpchar)
      def.arg_type = oid::kText;
  }
  def.type = name == "count" ? oid::kInt8 : exec::aggregate_result_type(name, def.arg_type);
  if (def.type == 0) {
    raise(sqlstate::kUndefinedFunction, "function {}({}) does not exist", name, types::format_type(def.arg_type, -1));
  }
  std::string key = name + (def.distinct ? "D(" : "(");
  for (const auto& a : def.args) key += a->key() + ",";
  if (def.filter) key += "F" + def.filter->key();
  for (const auto& o : def.order) key += (o.descending ? "O-" : "O+") + std::string(o.nulls_first ? "N" : "") + o.expr->key();
  return add(std::move(def), key);
}

exec::ExprPtr Binder::AggContext::add(exec::AggDef def, const std::string& key) {
  size_t idx = agg_keys.size();
  for (size_t i = 0; i < agg_keys.size(); ++i)
    if (agg_keys[i] == key) idx = i;
  if (idx == agg_keys.size()) {
    agg_keys.push_back(key);
    aggs.push_back(std::move(def));
  }
  const auto& d = aggs[idx];
  return std::make_unique<exec::ColumnExpr>(groups.size() + idx, d.type, -1);
}

}  // namespace heliosdb::planner
