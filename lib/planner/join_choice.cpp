// Equi-joins by cost: the join methods and orders the binder can build for a join of two FROM
// items, each estimated by the cost model (estimate.h) on stand-ins for the sides, and the
// cheapest built. PostgreSQL's planner weighs the same alternatives (hash join either way round,
// a nested loop over an index of either side) among others.
#include <algorithm>
#include <boost/json.hpp>

#include "planner/binder.h"
#include "planner/estimate.h"

namespace heliosdb::planner {

using exec::ExprPtr;
using exec::OperatorPtr;
using sql::field;
using sql::node_body;
using sql::str_field;

OperatorPtr Binder::index_lookup(const json::value& item, std::shared_ptr<const catalog::TableDef> t,
                                 const std::vector<std::pair<size_t, size_t>>& keys,
                                 const std::vector<const json::value*>& filters, bool emit_key) {
  const auto& rv = node_body(item);
  std::string alias(str_field(rv, "relname"));
  if (const auto* a = field(rv, "alias")) alias = std::string(str_field(a->as_object(), "aliasname"));
  // Each join column equal to the outer row's (the outer row while the table is read).
  std::vector<ExprPtr> lookup;
  for (auto [outer, col] : keys) {
    if (col >= t->columns.size()) continue;
    const auto& c = t->columns[col];
    lookup.push_back(make_operator("=", std::make_unique<exec::ColumnExpr>(col, c.type, c.typmod),
                                   std::make_unique<exec::OuterColumnExpr>(outer, c.type, c.typmod), -1));
  }
  Scope scope;
  OperatorPtr access = bind_table_access(t, alias, scope, lookup, emit_key);
  if (access->plan.kind == exec::PlanInfo::Kind::kSeqScan) return nullptr;
  // Conditions on the table alone (no other item's or enclosing query's columns) filter its rows.
  if (ExprPtr own = and_all(table_conjuncts(*t, rv, nullptr, filters))) access = exec::make_filter(std::move(access), std::move(own));
  return access;
}

namespace {

// The rows of op (the right side's columns, then the left side's) as the left side's columns
// then the right side's.
OperatorPtr swap_sides(OperatorPtr op, size_t right_width, const std::vector<Column>& left_cols,
                       const std::vector<Column>& right_cols) {
  std::vector<ExprPtr> exprs;
  std::vector<Column> cols;
  for (size_t i = 0; i < left_cols.size(); ++i) {
    exprs.push_back(std::make_unique<exec::ColumnExpr>(right_width + i, left_cols[i].type_oid, left_cols[i].typmod));
    cols.push_back(left_cols[i]);
  }
  for (size_t i = 0; i < right_cols.size(); ++i) {
    exprs.push_back(std::make_unique<exec::ColumnExpr>(i, right_cols[i].type_oid, right_cols[i].typmod));
    cols.push_back(right_cols[i]);
  }
  return exec::make_project(std::move(op), std::move(exprs), std::move(cols));
}

// Whether every table op reads has been analyzed: its estimates rest on statistics.
bool analyzed(const catalog::Catalog& catalog, const exec::Operator& op) {
  if (const catalog::TableDef* t = op.plan.table) {
    auto st = catalog.statistics(t->id);
    if (!st || st->columns.empty()) return false;
  }
  for (const exec::Operator* in : op.inputs())
    if (!analyzed(catalog, *in)) return false;
  return true;
}

// Whether op reads few rows, by the rule used without statistics: its first table through a key
// or an index (and what is on top filters, projects or joins that to others).
bool keyed_input(const exec::Operator& op) {
  using Kind = exec::PlanInfo::Kind;
  Kind k = op.plan.kind;
  if (k == Kind::kKeyScan || k == Kind::kIndexScan) return true;
  auto in = op.inputs();
  if (in.empty()) return false;
  if (k != Kind::kFilter && k != Kind::kProject && k != Kind::kBorrowed && k != Kind::kHashJoin && k != Kind::kNestedLoop &&
      k != Kind::kLateralJoin)
    return false;
  return keyed_input(*in[0]);
}

}  // namespace

OperatorPtr Binder::equijoin(OperatorPtr left, const json::value* left_item, OperatorPtr right, const json::value* right_item,
                             const std::vector<std::pair<size_t, size_t>>& keys, std::vector<ExprPtr> conds,
                             const std::vector<const json::value*>& filters, exec::JoinType kind) {
  size_t lw = left->columns.size();
  std::vector<size_t> lk, rk;
  for (auto [l, r] : keys) {
    lk.push_back(l);
    rk.push_back(r);
  }
  auto is_key = [&](const ExprPtr& c) {
    size_t l, r;
    return hash_key(*c, lw, l, r);
  };
  bool residual = std::ranges::any_of(conds, [&](const ExprPtr& c) { return !is_key(c); });
  bool inner = kind == exec::JoinType::kInner;
  // Without statistics the estimates are PostgreSQL's guesses, which can be far off (an
  // equality keeping 1/200 of a table): the rule instead, a lookup of the right table for each
  // row of a left side read through a key or an index, else a hash join hashing the right side.
  if (!analyzed(catalog_, *left) || !analyzed(catalog_, *right)) {
    if (auto t = right_item && keyed_input(*left) ? plain_table(*right_item) : nullptr)
      if (OperatorPtr lookup = index_lookup(*right_item, t, keys, filters, locking_ != nullptr))
        return exec::make_lateral_join(std::move(left), std::move(lookup), and_all(std::move(conds)), !inner);
    std::vector<ExprPtr> others;
    for (auto& c : conds)
      if (!is_key(c)) others.push_back(std::move(c));
    return exec::make_hash_join(std::move(left), std::move(right), std::move(lk), std::move(rk), and_all(std::move(others)), kind);
  }
  // The alternatives, estimated on stand-ins for the sides (the conditions left out: each
  // alternative evaluates them alike).
  enum Method { kLookupRight, kHash, kHashSwapped, kLookupLeft };
  std::vector<std::pair<Method, double>> costs;
  auto cost = [&](OperatorPtr candidate) {
    estimate(catalog_, *candidate);
    return candidate->estimate.total;
  };
  OperatorPtr right_lookup, left_lookup;
  if (auto t = right_item ? plain_table(*right_item) : nullptr) {
    right_lookup = index_lookup(*right_item, t, keys, filters, locking_ != nullptr);
    if (right_lookup)
      costs.emplace_back(kLookupRight, cost(exec::make_lateral_join(exec::make_borrowed(*left), exec::make_borrowed(*right_lookup),
                                                                    nullptr, !inner)));
  }
  costs.emplace_back(kHash, cost(exec::make_hash_join(exec::make_borrowed(*left), exec::make_borrowed(*right), lk, rk, nullptr, kind)));
  // Swapping the sides rewrites no condition: only without others than the keys. Rows locked
  // FOR UPDATE keep the order they were bound in.
  if (!residual && !locking_) {
    costs.emplace_back(kHashSwapped, cost(exec::make_hash_join(exec::make_borrowed(*right), exec::make_borrowed(*left), rk, lk,
                                                               nullptr, inner ? kind : exec::JoinType::kRight)));
    if (auto t = inner && left_item ? plain_table(*left_item) : nullptr) {
      std::vector<std::pair<size_t, size_t>> swapped;
      for (auto [l, r] : keys) swapped.emplace_back(r, l);
      left_lookup = index_lookup(*left_item, t, swapped, filters, false);
      if (left_lookup && left_lookup->columns.size() == left->columns.size())
        costs.emplace_back(kLookupLeft, cost(exec::make_lateral_join(exec::make_borrowed(*right), exec::make_borrowed(*left_lookup),
                                                                     nullptr, false)));
    }
  }
  Method best = costs[0].first;
  double best_cost = costs[0].second;
  for (const auto& [m, c] : costs)
    if (c < best_cost) {
      best = m;
      best_cost = c;
    }
  std::vector<Column> left_cols = left->columns, right_cols = right->columns;
  size_t rw = right_cols.size();
  switch (best) {
    case kLookupRight:
      return exec::make_lateral_join(std::move(left), std::move(right_lookup), and_all(std::move(conds)), !inner);
    case kHashSwapped:
      return swap_sides(exec::make_hash_join(std::move(right), std::move(left), std::move(rk), std::move(lk), nullptr,
                                             inner ? kind : exec::JoinType::kRight),
                        rw, left_cols, right_cols);
    case kLookupLeft:
      return swap_sides(exec::make_lateral_join(std::move(right), std::move(left_lookup), nullptr, false), rw, left_cols, right_cols);
    case kHash:
      break;
  }
  std::vector<ExprPtr> others;
  for (auto& c : conds)
    if (!is_key(c)) others.push_back(std::move(c));
  return exec::make_hash_join(std::move(left), std::move(right), std::move(lk), std::move(rk), and_all(std::move(others)), kind);
}

}  // namespace heliosdb::planner
