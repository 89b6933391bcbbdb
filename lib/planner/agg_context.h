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
  exec::ExprPtr bind_aggregate(Binder& b, const json::object& n, const std::string& name, const Scope& scope);
};

bool contains_aggregate(const json::value& node);

// GROUP BY with GROUPING SETS, ROLLUP or CUBE: the query as the UNION ALL of one GROUP BY per
// grouping set, where the grouping expressions outside the set read NULL and GROUPING(...) is
// the set's constant bitmask; ORDER BY, LIMIT and OFFSET apply to the union. Returns false (and
// leaves out alone) when the GROUP BY has none.
bool expand_grouping_sets(const json::object& select, json::object& out);
bool expr_is_row_independent(const exec::Expr& e);

}  // namespace heliosdb::planner
