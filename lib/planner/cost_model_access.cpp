// Scans and joins in PostgreSQL's cost model (cost_index with btcostestimate, cost_seqscan,
// the hash join and nested loop costs of costsize.c).
#include <algorithm>
#include <cmath>

#include "planner/cost_model.h"

namespace heliosdb::planner {

using exec::Expr;
using exec::Operator;
using exec::PlanInfo;
using Kind = exec::PlanInfo::Kind;

// Seq Scan, and Index Scan through the primary key (the rows themselves, in key order: a
// perfectly correlated index) or a secondary index (cost_index with btcostestimate).
void CostModel::scan(const Operator& op, Facts& f, double loops) {
  const PlanInfo& p = op.plan;
  const catalog::TableDef& t = *p.table;
  const RelationSize& rel = stats_.relation(t);
  exec::Estimate& e = op.estimate;
  for (const auto& c : t.columns) f.widths.push_back(stats_.column_width(t, c));
  if (op.columns.size() > t.columns.size()) f.widths.push_back(6);  // the row's key, as PostgreSQL's ctid
  e.width = static_cast<int>(width_of(f));
  if (p.kind == Kind::kSeqScan) {
    e.startup = 0;
    e.total = rel.pages * kSeqPageCost + rel.tuples * kCpuTupleCost;
    e.rows = clamp_rows(rel.tuples);
    f.rel_rows[t.id] = rel.tuples;
    return;
  }
  // The key columns the scan's terms restrict: equalities on the leading ones, then a range.
  std::vector<size_t> key;
  bool unique = false;
  if (p.kind == Kind::kKeyScan) {
    for (uint32_t id : t.primary_key) key.push_back(static_cast<size_t>(t.column_index_by_id(id)));
    unique = true;
  } else {
    for (uint32_t id : p.index->columns) key.push_back(static_cast<size_t>(t.column_index_by_id(id)));
    unique = p.index->unique;
  }
  // The selectivity of its terms: each equality's, then the range's (clauselist_selectivity).
  std::vector<Column> cols(op.columns.begin(), op.columns.begin() + static_cast<long>(t.columns.size()));
  auto ref_of = [&](size_t col) {
    exec::ColumnExpr c(col, t.columns[col].type, t.columns[col].typmod);
    return stats_.examine(c, cols);
  };
  double sel = 1;
  size_t eq = std::min(p.exprs.size(), key.size());
  for (size_t i = 0; i < eq; ++i) {
    f.applied.insert(column_key(t, key[i]) + " = " + value_key(*p.exprs[i]));
    auto ref = ref_of(key[i]);
    sel *= ref ? stats_.compare_selectivity(*ref, "=", *p.exprs[i]) : kDefaultEqSel;
  }
  double nquals = static_cast<double>(eq);
  if (eq < key.size() && (!p.lower.empty() || !p.upper.empty())) {
    auto ref = ref_of(key[eq]);
    double lo = -1, hi = -1;
    if (!p.lower.empty()) {
      std::string op_name = p.lower_inclusive ? ">=" : ">";
      f.applied.insert(column_key(t, key[eq]) + " " + op_name + " " + value_key(*p.lower[0]));
      lo = ref ? stats_.compare_selectivity(*ref, op_name, *p.lower[0]) : kDefaultIneqSel;
      ++nquals;
    }
    if (!p.upper.empty()) {
      std::string op_name = p.upper_inclusive ? "<=" : "<";
      f.applied.insert(column_key(t, key[eq]) + " " + op_name + " " + value_key(*p.upper[0]));
      hi = ref ? stats_.compare_selectivity(*ref, op_name, *p.upper[0]) : kDefaultIneqSel;
      ++nquals;
    }
    sel *= lo < 0 ? hi : hi < 0 ? lo : range_selectivity(lo, hi, ref ? null_fraction(*ref) : 0);
  }
  double T = rel.tuples;
  // A unique key all of whose columns are equal to values: one row.
  double index_tuples = unique && eq >= key.size() ? 1.0 : std::clamp(sel * T, 1.0, std::max(T, 1.0));
  if (unique && eq >= key.size()) sel = T >= 1 ? 1.0 / T : 1.0;
  const catalog::IndexDef* ix = p.index;
  double ipages;
  if (ix) {
    ipages = index_pages(stats_.catalog(), t, *ix, rel.known_tuples);
  } else {
    catalog::IndexDef pk;
    pk.columns = t.primary_key;
    ipages = index_pages(stats_.catalog(), t, pk, rel.known_tuples);
  }
  // The index: its pages read at random, each entry and qual evaluated, the descent.
  double index_page_reads = ipages > 1 && T > 1 ? std::ceil(index_tuples * ipages / T) : 1.0;
  double index_total = loops > 1 ? pages_fetched(index_page_reads * loops, ipages, ipages) * kRandomPageCost / loops
                                 : index_page_reads * kRandomPageCost;
  index_total += index_tuples * (kCpuIndexTupleCost + kCpuOperatorCost * nquals);
  double startup = 0;
  if (T > 1) {
    double descent = std::ceil(std::log2(T)) * kCpuOperatorCost;
    startup += descent;
    index_total += descent;
  }
  double descent = (tree_height(ipages) + 1) * 50.0 * kCpuOperatorCost;
  startup += descent;
  index_total += descent;
  // The rows: read in key order through the primary key (correlation 1), else by how the
  // index's first column follows the rows' order.
  double correlation = 1;
  if (ix) {
    correlation = 0;
    int first = t.column_index_by_id(ix->columns[0]);
    if (auto st = stats_.catalog().statistics(t.id); st && first >= 0) {
      auto it = st->columns.find(t.columns[static_cast<size_t>(first)].id);
      if (it != st->columns.end() && it->second.correlation) correlation = *it->second.correlation;
    }
    if (ix->columns.size() > 1) correlation *= 0.75;
  }
  double tuples_fetched = clamp_rows(sel * T);
  double max_io, min_io;
  if (loops > 1) {
    max_io = pages_fetched(tuples_fetched * loops, rel.pages, ipages) * kRandomPageCost / loops;
    double pf = std::ceil(sel * rel.pages);
    min_io = pages_fetched(pf * loops, rel.pages, ipages) * kRandomPageCost / loops;
  } else {
    max_io = pages_fetched(tuples_fetched, rel.pages, ipages) * kRandomPageCost;
    double pf = std::ceil(sel * rel.pages);
    min_io = pf > 0 ? kRandomPageCost + (pf - 1) * kSeqPageCost : 0;
  }
  double csquared = correlation * correlation;
  e.startup = startup;
  e.total = index_total + max_io + csquared * (min_io - max_io) + kCpuTupleCost * tuples_fetched;
  e.rows = clamp_rows(sel * T);
  f.rel_rows[t.id] = e.rows;
}

void CostModel::join(const Operator& op, Facts& f, double loops) {
  const PlanInfo& p = op.plan;
  auto in = op.inputs();
  const Operator& left = *in[0];
  const Operator& right = *in[1];
  run(left, loops);
  double outer_rows = left.estimate.rows;
  // A lateral join runs its right side again for each left row.
  run(right, p.kind == Kind::kLateralJoin ? std::max(1.0, outer_rows) * loops : loops);
  Facts& lf = facts(&left);
  Facts& rf = facts(&right);
  f.applied = lf.applied;
  f.rel_rows = lf.rel_rows;
  f.widths = lf.widths;
  f.widths.insert(f.widths.end(), rf.widths.begin(), rf.widths.end());
  f.rel_rows.insert(rf.rel_rows.begin(), rf.rel_rows.end());
  for (const auto& k : rf.applied) {
    // The right side's lookups by the left row's columns are join conditions between them.
    if (p.kind == Kind::kLateralJoin) {
      size_t at = k.find("outer:");
      if (at != std::string::npos) {
        std::string col = column_key(left.columns, std::stoul(k.substr(at + 6)));
        if (!col.empty()) f.applied.insert(k.substr(0, at) + "col:" + col);
        continue;
      }
    }
    f.applied.insert(k);
  }
  const exec::Estimate& o = left.estimate;
  const exec::Estimate& i = right.estimate;
  exec::Estimate& e = op.estimate;
  double inner_rows = i.rows;
  double rows = outer_rows * inner_rows;
  double qual_ops = operator_count(p.predicate);
  if (p.kind == Kind::kHashJoin) {
    double n = static_cast<double>(p.left_keys.size());
    double jsel = 1, bucket = 1;
    double buckets = std::max(1024.0, std::exp2(std::ceil(std::log2(std::max(1.0, inner_rows)))));
    for (size_t k = 0; k < p.left_keys.size(); ++k) {
      exec::ColumnExpr lcol(p.left_keys[k], 0, -1), rcol(p.right_keys[k], 0, -1);
      lcol.type = p.left_keys[k] < left.columns.size() ? left.columns[p.left_keys[k]].type_oid : 0;
      rcol.type = p.right_keys[k] < right.columns.size() ? right.columns[p.right_keys[k]].type_oid : 0;
      auto a = stats_.examine(lcol, left.columns, &lf.rel_rows);
      auto b = stats_.examine(rcol, right.columns, &rf.rel_rows);
      std::string ka = column_key(left.columns, p.left_keys[k]), kb = column_key(right.columns, p.right_keys[k]);
      if (!ka.empty() && !kb.empty()) f.applied.insert(ka + " = col:" + kb);
      jsel *= a && b ? stats_.equijoin_selectivity(*a, *b) : kDefaultEqSel;
      // How many inner rows share a hash bucket (estimate_hash_bucket_stats).
      double fraction;
      bool is_default = true;
      double nd = b ? stats_.num_distinct(*b, &is_default) : kDefaultNumDistinct;
      if (!b || is_default) {
        fraction = std::max(0.1, 1.0 / buckets);
      } else {
        double avgfreq = (1.0 - null_fraction(*b)) / nd;
        if (b->tuples > 0) nd = clamp_rows(nd * b->rows / b->tuples);
        fraction = nd > buckets ? 1.0 / buckets : 1.0 / nd;
        double mcv = b->stats && !b->stats->most_common_freqs.empty() ? b->stats->most_common_freqs[0] : 0;
        if (avgfreq > 0 && mcv > avgfreq) fraction *= mcv / avgfreq;
        fraction = std::clamp(fraction, 1.0e-6, 1.0);
      }
      bucket = std::min(bucket, fraction);
    }
    double matched = clamp_rows(outer_rows * inner_rows * jsel);
    e.startup = o.startup + i.total + (kCpuOperatorCost * n + kCpuTupleCost) * inner_rows;
    double run = (o.total - o.startup) + kCpuOperatorCost * n * outer_rows;
    run += kCpuOperatorCost * n * outer_rows * clamp_rows(inner_rows * bucket) * 0.5;
    run += (kCpuTupleCost + kCpuOperatorCost * qual_ops) * matched;
    e.total = e.startup + run;
    rows = matched * new_selectivity(p.predicate, op.columns, f);
  } else if (p.kind == Kind::kLateralJoin) {
    // Index nested loop: the right side's cost and rows are per left row.
    e.startup = o.startup + i.startup;
    e.total = o.total + std::max(1.0, outer_rows) * (i.total - i.startup) + i.startup;
    e.total += (kCpuTupleCost + kCpuOperatorCost * qual_ops) * rows;
    rows *= new_selectivity(p.predicate, op.columns, f);
  } else {
    // Nested loop over the right side's rows, read once and kept.
    e.startup = o.startup + i.total;
    e.total = o.total + i.total + outer_rows * inner_rows * (kCpuOperatorCost + kCpuTupleCost + kCpuOperatorCost * qual_ops);
    rows *= new_selectivity(p.predicate, op.columns, f);
  }
  if (p.join == exec::JoinType::kLeft) rows = std::max(rows, outer_rows);
  if (p.join == exec::JoinType::kRight) rows = std::max(rows, inner_rows);
  if (p.join == exec::JoinType::kFull) rows = std::max({rows, outer_rows, inner_rows});
  e.rows = clamp_rows(rows);
  e.width = static_cast<int>(width_of(f));
}

}  // namespace heliosdb::planner
