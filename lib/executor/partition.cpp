#include "executor/partition.h"

#include "executor/functions.h"

namespace heliosdb::exec {

int compare_range_bounds(const std::vector<int>& ak, const std::vector<Value>& a, const std::vector<int>& bk,
                         const std::vector<Value>& b) {
  for (size_t i = 0; i < ak.size() && i < bk.size(); ++i) {
    if (ak[i] != bk[i] || ak[i] != 0) {
      if (ak[i] != bk[i]) return ak[i] < bk[i] ? -1 : 1;
      return 0;  // both MINVALUE or both MAXVALUE: the columns after them do not count
    }
    if (int c = compare_values(a[i], b[i])) return c;
  }
  return 0;
}

ColumnMap::ColumnMap(const catalog::TableDef& from, const catalog::TableDef& to) {
  bool same = from.columns.size() == to.columns.size();
  for (size_t i = 0; same && i < to.columns.size(); ++i) same = from.columns[i].name == to.columns[i].name;
  if (same) return;
  for (const auto& c : to.columns) {
    source_.push_back(from.column_index(c.name));
    nulls_.push_back(Value::null(c.type));
  }
}

Row ColumnMap::operator()(const Row& row) const {
  if (identity()) return row;
  Row out;
  out.reserve(source_.size());
  for (size_t i = 0; i < source_.size(); ++i)
    out.push_back(source_[i] < 0 ? nulls_[i] : row[static_cast<size_t>(source_[i])]);
  return out;
}

void ColumnMap::apply(Row& row) const {
  if (identity()) return;
  Row out;
  out.reserve(source_.size());
  for (size_t i = 0; i < source_.size(); ++i)
    out.push_back(source_[i] < 0 ? nulls_[i] : std::move(row[static_cast<size_t>(source_[i])]));
  row = std::move(out);
}

Value PartitionBound::key_value(size_t k, const Row& row) const {
  if (k < key_exprs.size() && key_exprs[k]) {
    ExecContext ctx;  // partition key expressions are immutable: they need no session
    return key_exprs[k]->eval(row, ctx);
  }
  return row[key[k]];
}

bool PartitionBound::holds(const Row& row) const {
  switch (strategy) {
    case 'l': {
      Value v = key_value(0, row);
      if (v.is_null()) return accepts_null;
      for (const auto& x : values)
        if (compare_values(v, x) == 0) return true;
      return false;
    }
    case 'r': {
      // NULL keys belong to no range (only to a DEFAULT partition).
      std::vector<Value> k;
      for (size_t c = 0; c < key.size(); ++c) {
        k.push_back(key_value(c, row));
        if (k.back().is_null()) return false;
      }
      std::vector<int> kinds(k.size(), 0);
      return compare_range_bounds(kinds, k, lower_kind, lower) >= 0 && compare_range_bounds(kinds, k, upper_kind, upper) < 0;
    }
    case 'h': {
      std::vector<Value> k;
      for (size_t c = 0; c < key.size(); ++c) k.push_back(key_value(c, row));
      return static_cast<int64_t>(partition_hash(k) % static_cast<uint64_t>(modulus)) == remainder;
    }
    default:
      for (const auto& s : siblings)
        if (s.holds(row)) return false;
      return true;
  }
}

}  // namespace heliosdb::exec
