// Binding ordered-set and hypothetical-set aggregate calls: name(direct args) WITHIN GROUP
// (ORDER BY aggregated args), with PostgreSQL's argument typing and errors.
#include <boost/json.hpp>

#include "common/array.h"
#include "common/errors.h"
#include "common/types.h"
#include "executor/float_stats.h"
#include "executor/functions.h"
#include "planner/agg_context.h"

namespace heliosdb::planner {

namespace {
std::string type_label(uint32_t t) { return t == oid::kUnknownType ? std::string("unknown") : types::format_type(t, -1); }
}  // namespace

exec::ExprPtr Binder::AggContext::bind_ordered_set(Binder& b, const json::object& n, const std::string& name,
                                                   const Scope& scope) {
  int location = static_cast<int>(sql::int_field(n, "location", -1));
  bool hypothetical = exec::is_hypothetical_aggregate(name);
  if (!hypothetical && !exec::is_ordered_set_aggregate(name)) {
    // PostgreSQL resolves the call with the direct and aggregated arguments together: a plain
    // aggregate taking that many is "not an ordered-set aggregate", else nothing fits.
    size_t total = sql::list_field(n, "args").size() + sql::list_field(n, "agg_order").size();
    size_t want = name == "string_agg" || name == "json_object_agg" || name == "jsonb_object_agg" ||
                  exec::is_regression_aggregate(name) ? 2 : 1;
    bool builtin_agg = exec::is_aggregate(name), any_user_agg = false, user_agg = false;
    for (const auto& fn : b.catalog_.functions("", name))
      if (fn->kind == 'a') {
        any_user_agg = true;
        user_agg |= fn->arg_types.size() == total;
      }
    if ((builtin_agg && total == want) || user_agg) {
      Error e = make_error(sqlstate::kWrongObjectType, "{} is not an ordered-set aggregate, so it cannot have WITHIN GROUP", name);
      throw at(e, location);
    }
    std::string sig;
    std::vector<uint32_t> types;
    AggContext* saved = b.agg_;
    b.agg_ = nullptr;
    try {
      for (const auto& a : sql::list_field(n, "args")) types.push_back(b.bind_expr(a, scope)->type);
      for (const auto& o : sql::list_field(n, "agg_order")) types.push_back(b.bind_expr(*sql::field(sql::node_body(o), "node"), scope)->type);
    } catch (...) {
      b.agg_ = saved;
      throw;
    }
    b.agg_ = saved;
    for (uint32_t t : types) sig += (sig.empty() ? "" : ", ") + type_label(t);
    bool plain_function = !builtin_agg && !any_user_agg && exec::resolve_function(name, types);
    for (const auto& fn : b.catalog_.functions("", name)) plain_function |= fn->kind != 'a' && fn->arg_types.size() == total;
    if (plain_function) {
      Error e = make_error(sqlstate::kWrongObjectType, "WITHIN GROUP specified, but {} is not an aggregate function", name);
      throw at(e, location);
    }
    Error e = make_error(sqlstate::kUndefinedFunction, "function {}({}) does not exist", name, sig);
    e.with_hint("No function matches the given name and argument types. You might need to add explicit type casts.");
    throw at(e, location);
  }
  exec::AggDef def;
  def.name = name;
  def.ordered_set = true;
  // The direct arguments belong to this query level, after grouping: only grouped columns.
  for (const auto& a : sql::list_field(n, "args")) {
    if (contains_aggregate(a)) {
      Error e(sqlstate::kGroupingError, "aggregate function calls cannot be nested");
      throw at(e, static_cast<int>(sql::int_field(sql::node_body(a), "location", location)));
    }
    try {
      b.bind_expr(a, scope);
    } catch (Error& e) {
      if (e.sqlstate() == sqlstate::kGroupingError && e.detail().empty())
        e.with_detail("Direct arguments of an ordered-set aggregate must use only grouped columns.");
      throw;
    }
  }
  AggContext* saved = b.agg_;
  b.agg_ = nullptr;
  try {
    for (const auto& a : sql::list_field(n, "args")) def.direct.push_back(b.bind_expr(a, scope));
    if (const auto* f = n.if_contains("agg_filter")) def.filter = b.make_condition(b.bind_expr(*f, scope), "FILTER");
    for (const auto& o : sql::list_field(n, "agg_order")) {
      const auto& sb = sql::node_body(o);
      if (contains_aggregate(*sql::field(sb, "node"))) raise(sqlstate::kGroupingError, "aggregate function calls cannot be nested");
      exec::AggDef::Order ord;
      ord.expr = b.bind_expr(*sql::field(sb, "node"), scope);
      std::string dir(sql::str_field(sb, "sortby_dir")), nulls(sql::str_field(sb, "sortby_nulls"));
      if (dir == "SORTBY_USING") unsupported("ORDER BY ... USING in WITHIN GROUP");
      ord.descending = dir == "SORTBY_DESC";
      ord.nulls_first = nulls == "SORTBY_NULLS_FIRST" || (nulls != "SORTBY_NULLS_LAST" && ord.descending);
      def.order.push_back(std::move(ord));
    }
  } catch (...) {
    b.agg_ = saved;
    throw;
  }
  b.agg_ = saved;
  auto no_such = [&]() {
    std::string sig;
    for (const auto& d : def.direct) sig += (sig.empty() ? "" : ", ") + type_label(d->type);
    for (const auto& o : def.order) sig += (sig.empty() ? "" : ", ") + type_label(o.expr->type);
    Error e = make_error(sqlstate::kUndefinedFunction, "function {}({}) does not exist", name, sig);
    e.with_hint("No function matches the given name and argument types. You might need to add explicit type casts.");
    throw at(e, location);
  };
  auto& agg = def.order;
  if (name == "mode") {
    if (!def.direct.empty() || agg.size() != 1) no_such();
    if (agg[0].expr->type == oid::kUnknownType) agg[0].expr = b.coerce(std::move(agg[0].expr), oid::kText, -1, false, location);
    def.type = agg[0].expr->type;
  } else if (name == "percentile_disc" || name == "percentile_cont") {
    if (def.direct.size() != 1 || agg.size() != 1) no_such();
    uint32_t dt = def.direct[0]->type;
    bool multi = array::is_array(dt);
    uint32_t want = multi ? array::array_type_of(oid::kFloat8) : oid::kFloat8;
    if (dt != want && !exec::can_coerce_implicit(dt, want)) no_such();
    uint32_t at = agg[0].expr->type;
    uint32_t elem = at;
    if (name == "percentile_cont") {
      elem = at == oid::kInterval ? oid::kInterval : oid::kFloat8;
      if (at != elem && !exec::can_coerce_implicit(at, elem)) no_such();
    } else if (at == oid::kUnknownType) {
      elem = oid::kText;
    }
    def.direct[0] = b.coerce(std::move(def.direct[0]), want, -1, false, location);
    if (at != elem) agg[0].expr = b.coerce(std::move(agg[0].expr), elem, -1, false, location);
    def.type = multi ? array::array_type_of(elem) : elem;
    if (!def.type) no_such();
  } else {  // hypothetical-set: one direct argument per aggregated one, of a common type
    if (def.direct.empty() || def.direct.size() != agg.size()) no_such();
    for (size_t i = 0; i < agg.size(); ++i) {
      uint32_t t = exec::common_type({agg[i].expr->type, def.direct[i]->type}, "WITHIN GROUP");
      if (t == oid::kUnknownType) t = oid::kText;
      agg[i].expr = b.coerce(std::move(agg[i].expr), t, -1, false, location);
      def.direct[i] = b.coerce(std::move(def.direct[i]), t, -1, false, location);
    }
    def.type = name == "rank" || name == "dense_rank" ? oid::kInt8 : oid::kFloat8;
  }
  std::string key = name + "WG(";
  for (const auto& d : def.direct) key += d->key() + ",";
  if (def.filter) key += "F" + def.filter->key();
  for (const auto& o : def.order) key += (o.descending ? "O-" : "O+") + std::string(o.nulls_first ? "N" : "") + o.expr->key();
  return add(std::move(def), key);
}

}  // namespace heliosdb::planner
