// The planner's cost model: PostgreSQL's costsize.c over the rows selectivity.h estimates,
// giving each plan node a startup and total cost, a row count and a row width, which EXPLAIN
// shows and the binder compares alternatives by.
#pragma once

#include "catalog/catalog.h"
#include "executor/operator.h"

namespace heliosdb::planner {

// PostgreSQL's cost constants (their defaults: seq_page_cost, cpu_tuple_cost, cpu_index_tuple_cost,
// cpu_operator_cost), but random_page_cost as PostgreSQL's documentation advises for data that is
// cached or on SSDs: a row read by key comes from the row cache or LevelDB's block cache, about as
// cheap as reading the next row of a scan. With PostgreSQL's 4, the benchmark's three-table join
// became, once analyzed, a hash join over all of orders, ten times slower than its index nested loop.
inline constexpr double kSeqPageCost = 1.0, kRandomPageCost = 1.1, kCpuTupleCost = 0.01, kCpuIndexTupleCost = 0.005,
                        kCpuOperatorCost = 0.0025;

// What evaluating a condition costs for each row it is evaluated on (cpu_operator_cost for each
// operator and function it calls, as PostgreSQL's cost_qual_eval charges).
double qual_cost(const exec::Expr* condition);

// Sets the estimate of root and of every node under it.
void estimate(const catalog::Catalog& catalog, const exec::Operator& root);

// The pages a B-tree index of t takes with `tuples` entries (90% full leaves of entries of its
// key's width, and a metapage), as the cost model and pg_class take it.
double index_pages(const catalog::Catalog& catalog, const catalog::TableDef& t, const catalog::IndexDef& index,
                   double tuples);

}  // namespace heliosdb::planner
