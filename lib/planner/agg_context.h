// Binding the parts of an aggregate query that run after grouping (SELECT list, HAVING,
// ORDER BY): aggregate calls become references to aggregate results, expressions equal to a
// GROUP BY expression become references to the group value, other columns are errors.
#pragma once

#include <string>
#include <vector>

#include "planner/binder.h"

namespace heliosdb::planner {

struct Binder::AggContext {
  std::vector<exec::ExprPtr> groups;       // bound over the input scope
  std::vector<std::string> group_keys;
  std::vector<exec::AggDef> aggs;
  std::vector<std::string> agg_keys;

  exec::ExprPtr match_group(Binder& b, const json::value& node, const Scope& scope);
  [[noreturn]] void column_outside_group(Binder& b, const json::object& colref, const Scope& scope);
  // args_context: what the arguments may refer to besides the scope's columns (a window
  // aggregate's in an aggregate query: that query's groups and aggregates).
  exec::ExprPtr bind_aggregate(Binder& b, const json::object& n, const std::string& name, const Scope& scope,
                               AggContext* args_context = nullptr);
  // name(...) WITHIN GROUP (ORDER BY ...) (agg_ordered_set.cpp).
  exec::ExprPtr bind_ordered_set(Binder& b, const json::object& n, const std::string& name, const Scope& scope);
  // def as the next aggregate result (or the equal one already there, by key): its column.
  exec::ExprPtr add(exec::AggDef def, const std::string& key);
  // Aggregates of CREATE AGGREGATE (agg_user.cpp): the one the call n with arguments of these
  // types names (nullptr for none), and def made its call.
  std::shared_ptr<const catalog::FunctionDef> find_user_aggregate(Binder& b, const json::object& n,
                                                                  const std::vector<uint32_t>& types);
  void bind_user_aggregate(Binder& b, exec::AggDef& def, const catalog::FunctionDef& fn, int location);
};

// Whether a FuncCall node (without OVER) is an aggregate call: a built-in aggregate, count(*),
// WITHIN GROUP, or an aggregate of CREATE AGGREGATE of the catalog being bound against.
bool is_aggregate_call(const json::object& func_call);
bool contains_aggregate(const json::value& node);
// The catalog whose aggregates is_aggregate_call knows, for the statement being bound.
class AggregateCatalogScope {
 public:
  explicit AggregateCatalogScope(const catalog::Catalog* c);
  ~AggregateCatalogScope();
  AggregateCatalogScope(const AggregateCatalogScope&) = delete;
  AggregateCatalogScope& operator=(const AggregateCatalogScope&) = delete;

 private:
  const catalog::Catalog* saved_;
};
const catalog::Catalog* aggregate_catalog();

// GROUP BY with GROUPING SETS, ROLLUP or CUBE: the query as the UNION ALL of one GROUP BY per
// grouping set, where the grouping expressions outside the set read NULL and GROUPING(...) is
// the set's constant bitmask; ORDER BY, LIMIT and OFFSET apply to the union. Returns false (and
// leaves out alone) when the GROUP BY has none.
bool expand_grouping_sets(const json::object& select, json::object& out);
bool expr_is_row_independent(const exec::Expr& e);

}  // namespace heliosdb::planner
