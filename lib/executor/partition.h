// Partition bounds: which rows a partition of a partitioned table holds (PARTITION OF ... FOR
// VALUES IN / FROM ... TO / DEFAULT), used to route new rows and to check rows written into a
// partition.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "executor/context.h"
#include "executor/expr.h"

namespace heliosdb::exec {

struct PartitionBound {
  char strategy = 0;            // 'l' list, 'r' range, 'h' hash; 0 the DEFAULT partition
  std::vector<size_t> key;      // the partition key's columns: their positions in the row
  std::vector<std::shared_ptr<const Expr>> key_exprs;  // per key column: its expression (null: the column)
  std::vector<Value> values;    // LIST: the values (of the key column's type)
  bool accepts_null = false;    // LIST: NULL is one of them
  // RANGE: lower bound (inclusive) and upper bound (exclusive), per key column a value or
  // MINVALUE (-1) / MAXVALUE (1).
  std::vector<int> lower_kind, upper_kind;
  std::vector<Value> lower, upper;
  // HASH: the rows whose key's hash (partition_hash) is remainder modulo modulus.
  int64_t modulus = 0, remainder = 0;
  std::vector<PartitionBound> siblings;  // DEFAULT: the other partitions, none of whose bounds hold
  std::shared_ptr<const catalog::TableDef> parent;  // the partitioned table the bound is one of (for messages)

  bool holds(const Row& row) const;
  Value key_value(size_t k, const Row& row) const;
};

// A partition's bound and those of its ancestors that are partitions too: a row belongs to the
// partition when every one holds.
struct PartitionCheck {
  std::vector<PartitionBound> bounds;
  bool empty() const { return bounds.empty(); }
  bool holds(const Row& row) const {
    for (const auto& b : bounds)
      if (!b.holds(row)) return false;
    return true;
  }
};

// A row of one table as a row of another whose columns are the same by name, in whatever order
// (PostgreSQL's TupleConversionMap): a partition's row as its partitioned table's and back, an
// inheritance child's as its parent's (the child's own columns left out). A column the source
// lacks is NULL. Identity, and free, when both have the same columns in the same order.
class ColumnMap {
 public:
  ColumnMap() = default;
  ColumnMap(const catalog::TableDef& from, const catalog::TableDef& to);
  bool identity() const { return source_.empty(); }
  void apply(Row& row) const;  // in place
  Row operator()(const Row& row) const;

 private:
  std::vector<int> source_;   // per column of the target: its position in the source row (-1: none)
  std::vector<Value> nulls_;  // per column of the target: its NULL, for a column the source lacks
};

// HASH partitioning hashes as PostgreSQL does, so a row lands in the partition it would land in
// there. A type's default hash operator class: ported, one PostgreSQL has but not ported here
// (0A000), or none at all (42704).
enum class HashSupport { kPorted, kNotPorted, kNone };
HashSupport hash_support(uint32_t type);
// hashfn.c's hash_bytes_extended and hash_bytes_uint32_extended (lookup3, 64-bit result).
uint64_t hash_bytes_extended(const unsigned char* k, size_t length, uint64_t seed);
uint64_t hash_uint32_extended(uint32_t k, uint64_t seed);
// The type's extended hash support function (hashint4extended, hashtextextended, ...); 0A000 for
// a type not ported.
uint64_t hash_value_extended(const Value& v, uint64_t seed);
// compute_partition_hash_value: the key columns' hashes (HASH_PARTITION_SEED) combined with
// hash_combine64, NULLs left out.
uint64_t partition_hash(const std::vector<Value>& keys);

// Orders two range bounds (per column a kind and a value) as PostgreSQL's partition_rbound_cmp.
int compare_range_bounds(const std::vector<int>& ak, const std::vector<Value>& a, const std::vector<int>& bk,
                         const std::vector<Value>& b);

}  // namespace heliosdb::exec
