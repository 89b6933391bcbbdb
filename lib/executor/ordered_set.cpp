// Ordered-set and hypothetical-set aggregates, after PostgreSQL's orderedsetaggs.c: the final
// step over a group's input sorted by WITHIN GROUP (ORDER BY ...).
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "common/array.h"
#include "common/datetime.h"
#include "common/errors.h"
#include "executor/functions.h"
#include "executor/operator.h"

namespace heliosdb::exec {

bool is_ordered_set_aggregate(const std::string& n) {
  return n == "percentile_cont" || n == "percentile_disc" || n == "mode";
}

bool is_hypothetical_aggregate(const std::string& n) {
  return n == "rank" || n == "dense_rank" || n == "percent_rank" || n == "cume_dist";
}

int compare_sort_keys(const Row& x, const Row& y, const std::vector<AggDef::Order>& order) {
  for (size_t k = 0; k < order.size(); ++k) {
    const Value &p = x[k], &q = y[k];
    if (p.is_null() || q.is_null()) {
      if (p.is_null() && q.is_null()) continue;
      return p.is_null() == order[k].nulls_first ? -1 : 1;
    }
    int c = compare_values(p, q);
    if (c) return order[k].descending ? -c : c;
  }
  return 0;
}

namespace {

[[noreturn]] void percentile_out_of_range(double p) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", p);
  raise(sqlstate::kNumericValueOutOfRange, "percentile value {} is not between 0 and 1", buf);
}

double checked_percentile(const Value& v) {
  double p = v.as_double();
  if (p < 0 || p > 1 || std::isnan(p)) percentile_out_of_range(p);
  return p;
}

// percentile_disc: the first value whose position in the ordering is at least p of the rows.
Value percentile_disc(const std::vector<Row>& sorted, double p) {
  auto n = static_cast<double>(sorted.size());
  auto rownum = static_cast<int64_t>(std::ceil(p * n));
  size_t idx = rownum > 1 ? static_cast<size_t>(rownum - 1) : 0;
  return sorted[idx][0];
}

// percentile_cont: linear interpolation between the two values around position p * (n - 1).
Value percentile_cont(const std::vector<Row>& sorted, double p) {
  double pos = p * static_cast<double>(sorted.size() - 1);
  auto first = static_cast<size_t>(std::floor(pos)), second = static_cast<size_t>(std::ceil(pos));
  const Value& lo = sorted[first][0];
  if (first == second) return lo;
  const Value& hi = sorted[second][0];
  double proportion = pos - static_cast<double>(first);
  if (lo.type() == oid::kInterval) {
    Interval diff = datetime::interval_sub(hi.as_interval(), lo.as_interval());
    return Value::of(oid::kInterval, datetime::interval_add(lo.as_interval(), datetime::interval_mul(diff, proportion)));
  }
  double a = lo.as_double(), b = hi.as_double();
  return Value::float8(a + (b - a) * proportion);
}

// mode: the most frequent value; among equally frequent ones, the first in the ordering.
Value mode(const std::vector<Row>& sorted, uint32_t type) {
  if (sorted.empty()) return Value::null(type);
  const Value* best = nullptr;
  size_t best_freq = 0;
  for (size_t i = 0; i < sorted.size();) {
    size_t j = i + 1;
    while (j < sorted.size() && compare_values(sorted[j][0], sorted[i][0]) == 0) ++j;
    if (j - i > best_freq) {
      best_freq = j - i;
      best = &sorted[i][0];
    }
    i = j;
  }
  return *best;
}

}  // namespace

Value ordered_set_final(const AggDef& a, const Row& direct, const std::vector<Row>& sorted) {
  const std::string& n = a.name;
  if (n == "mode") return mode(sorted, a.type);
  if (n == "percentile_disc" || n == "percentile_cont") {
    bool disc = n == "percentile_disc";
    const Value& p = direct[0];
    if (array::is_array(a.direct[0]->type)) {
      if (sorted.empty() || p.is_null()) return Value::null(a.type);
      array::Array pcts = array::decode(p);
      for (const auto& v : pcts.items)
        if (!v.is_null()) checked_percentile(v);
      array::Array out = pcts;
      out.elem = array::element_type(a.type);
      for (auto& v : out.items) {
        if (v.is_null()) {
          v = Value::null(out.elem);
          continue;
        }
        double q = v.as_double();
        v = disc ? percentile_disc(sorted, q) : percentile_cont(sorted, q);
      }
      return array::make(a.type, out);
    }
    if (p.is_null()) return Value::null(a.type);
    double q = checked_percentile(p);
    if (sorted.empty()) return Value::null(a.type);
    return disc ? percentile_disc(sorted, q) : percentile_cont(sorted, q);
  }
  // Hypothetical-set: where the direct arguments' row would sort among the group's rows.
  size_t before = 0, peers = 0, distinct_before = 0;
  for (size_t i = 0; i < sorted.size(); ++i) {
    int c = compare_sort_keys(sorted[i], direct, a.order);
    if (c < 0) {
      ++before;
      if (i == 0 || compare_sort_keys(sorted[i - 1], sorted[i], a.order) != 0) ++distinct_before;
    } else if (c == 0) {
      ++peers;
    }
  }
  auto rows = static_cast<double>(sorted.size());
  if (n == "rank") return Value::int8(static_cast<int64_t>(before + 1));
  if (n == "dense_rank") return Value::int8(static_cast<int64_t>(distinct_before + 1));
  if (n == "percent_rank") return Value::float8(sorted.empty() ? 0.0 : static_cast<double>(before) / rows);
  return Value::float8(static_cast<double>(before + peers + 1) / (rows + 1));  // cume_dist
}

}  // namespace heliosdb::exec
