// The cost model's internals (cost_model.cpp, cost_model_access.cpp): PostgreSQL's costsize.c
// for our plan nodes. planner/estimate.h is its interface.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "executor/operator.h"
#include "planner/estimate.h"
#include "planner/selectivity.h"

namespace heliosdb::planner {

inline constexpr double kPageSize = 8192;
inline constexpr double kWorkMem = 4.0 * 1024 * 1024;  // work_mem
inline constexpr double kEffectiveCacheSize = 524288;  // pages (4GB)
inline constexpr double kTupleHeader = 24;             // MAXALIGN(SizeofHeapTupleHeader)

double maxalign(double w);
// Operators and functions the expression calls: PostgreSQL charges cpu_operator_cost for each
// (none for a part made of constants, which PostgreSQL folds first).
double operator_count(const exec::Expr* e);
// The AND-ed terms of a condition.
void conjuncts(const exec::Expr* e, std::vector<const exec::Expr*>& out);
// A column by the table column it holds: "t<table>.<attnum>" ("" for a computed one).
std::string column_key(const std::vector<Column>& cols, size_t i);
std::string column_key(const catalog::TableDef& t, size_t position);
// A value side of a condition: an outer column by its position (a join's lookup), else the
// expression's structure.
std::string value_key(const exec::Expr& e);
// The ways a comparison of a column can be written ("<column> <op> <value>", both ways round
// for two columns); none for other conditions.
std::vector<std::string> clause_keys(const exec::Expr& clause, const std::vector<Column>& cols);
// Mackert and Lohman's estimate of the pages fetched to read `tuples` rows at random of a table
// of `pages` pages, with the cache PostgreSQL assumes (index_pages_fetched).
double pages_fetched(double tuples, double pages, double index_pages);
// B-tree height from its pages: about 300 entries a page above the leaves.
double tree_height(double pages);

class CostModel {
 public:
  explicit CostModel(const catalog::Catalog& c) : stats_(c) {}
  // Estimates op (and what is under it), run `loops` times (the inner side of a nested loop);
  // sort_bound: a LIMIT above wants only that many of its rows.
  void run(const exec::Operator& op, double loops = 1, double sort_bound = -1);

 private:
  // What a node's estimate rests on, for the nodes above it.
  struct Facts {
    std::set<std::string> applied;        // the conditions its rows account for (clause_keys)
    std::map<uint32_t, double> rel_rows;  // per table read below: its rows those conditions keep
    std::vector<double> widths;           // per output column
  };
  Facts& facts(const exec::Operator* op) { return facts_[op]; }
  double width_of(const Facts& f) const {
    double w = 0;
    for (double x : f.widths) w += x;
    return w;
  }
  std::vector<double> type_widths(const exec::Operator& op) const {
    std::vector<double> w;
    for (const auto& c : op.columns) w.push_back(type_width(c.type_oid, c.typmod));
    return w;
  }
  double expr_width(const exec::Expr* e, const Facts& in, const Column& out) const {
    if (auto* c = dynamic_cast<const exec::ColumnExpr*>(e); c && c->index < in.widths.size()) return in.widths[c->index];
    return type_width(out.type_oid, out.typmod);
  }
  // The conditions of `clause` not yet accounted for below, and their selectivity.
  double new_selectivity(const exec::Expr* clause, const std::vector<Column>& cols, Facts& f);
  void scan(const exec::Operator& op, Facts& f, double loops);
  void join(const exec::Operator& op, Facts& f, double loops);
  double scalar_rows(const exec::Expr* e) const;  // a constant count (LIMIT), -1 when not one

  Statistics stats_;
  std::map<const exec::Operator*, Facts> facts_;
  double worktable_rows_ = -1;  // while a recursive union's recursive side is estimated
};

}  // namespace heliosdb::planner
