// Rows of a table in the key space: encoding keys, reading rows, and writing them with
// constraint checks and index maintenance.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "executor/expr.h"
#include "executor/foreign_keys.h"
#include "executor/operator.h"
#include "executor/partition.h"

namespace heliosdb::exec {

// Per-table facts computed once per plan: column ids, types, missing values, key layout.
struct TableLayout {
  std::shared_ptr<const catalog::TableDef> table;
  std::vector<uint32_t> ids, types;
  std::vector<Value> missing;
  std::vector<size_t> pk;  // column positions of the primary key (empty: hidden row id)
  std::string prefix;      // 't' + table id

  explicit TableLayout(std::shared_ptr<const catalog::TableDef> t);
  std::string key_for(const Row& row) const;         // full row key (not for hidden-id tables)
  void decode(std::string_view value, Row& row) const;
};

// Locks the stored row `row` came from (the table's columns, then its storage key at
// key_index) for the statement's transaction. When another transaction committed a change to
// it after the statement's snapshot, READ COMMITTED goes on with the newest version, which
// `recheck` (the WHERE clause over such rows; may be null) must still accept, as PostgreSQL's
// EvalPlanQual; REPEATABLE READ and SERIALIZABLE raise 40001. Returns false when the row is
// gone or no longer qualifies, or, with Wait::kSkip, is locked by another transaction;
// Wait::kNoWait raises 55P03 then.
bool lock_row_version(ExecContext& ctx, const TableLayout& layout, Row& row, size_t key_index, const Expr* recheck,
                      storage::LockTable::Mode mode = storage::LockTable::Mode::kExclusive,
                      storage::LockTable::Wait wait = storage::LockTable::Wait::kBlock);

// SELECT ... FOR UPDATE / FOR SHARE: passes on the rows of child it could lock. Each target is
// a table whose columns are in the row from `offset` on, with the storage key at key_index; a
// row is locked in every target. When one of them changed, READ COMMITTED goes on with the
// newest versions if `recheck` (WHERE and JOIN conditions over the whole row) still holds.
struct LockTarget {
  std::shared_ptr<const catalog::TableDef> table;
  size_t key_index = 0, offset = 0;
};
OperatorPtr make_lock_rows(OperatorPtr child, std::vector<LockTarget> targets, ExprPtr recheck,
                           storage::LockTable::Mode mode, storage::LockTable::Wait wait);

// Index key prefix 'i' + index id.
std::string index_prefix(uint32_t index_id);
// A table's rows' key prefix.
std::string table_prefix(uint32_t table_id);

class TableWriter {
 public:
  TableWriter(std::shared_ptr<const catalog::TableDef> table, const catalog::Catalog& catalog);

  // Checks and writes a new row (NOT NULL, CHECK via checks, unique keys; indexes); returns
  // the key it is stored under.
  std::string insert(ExecContext& ctx, Row& row);
  // INSERT ... ON CONFLICT: the key of the stored row that row would collide with in one of the
  // arbiter indexes (ids; empty: every unique index and the primary key), or "" when none.
  // Locks the contested key for the transaction (a concurrent inserter of the same value waits
  // for it to finish), so a row found absent stays absent until this one is inserted.
  std::string find_conflict(ExecContext& ctx, const Row& row, const std::vector<uint32_t>& arbiters);
  // Replaces the row stored under key with row; returns the key it is stored under now.
  std::string update(ExecContext& ctx, const std::string& key, const Row& old_row, Row& row);
  void remove(ExecContext& ctx, const std::string& key, const Row& row);

  const TableLayout& layout() const { return layout_; }
  // An index's expressions (per key; null for a column) and partial-index predicate, bound over
  // the table's row, with the keys' names for messages (the binder's prepare_writer sets them).
  void set_index_expressions(uint32_t index_id, std::vector<ExprPtr> exprs, ExprPtr predicate, std::vector<std::string> names);
  // CREATE INDEX and table rewrites: the entries of one index for every row (23505 "could not
  // create unique index" for a duplicate).
  void build_index(ExecContext& ctx, uint32_t index_id);
  std::vector<ExprPtr> checks;    // bound CHECK constraints, in table.checks order
  std::vector<ExprPtr> defaults;  // bound DEFAULTs by column (null: none), for ON ... SET DEFAULT
  std::vector<ExprPtr> generated; // by column: a generated column's expression over the row (null: none)
  std::vector<ExprPtr> domain_checks;  // by column: its domain's constraints over the row (null: none)
  PartitionCheck partition;            // a partition's bounds, which its rows must hold (23514)

 private:
  void validate(ExecContext& ctx, Row& row);
  // A secondary index: how its key is made from a row.
  struct Index {
    std::shared_ptr<const catalog::IndexDef> def;
    std::vector<int> columns;          // per key: the row position, -1 for an expression
    std::vector<ExprPtr> exprs;        // per key: the expression, null for a column
    ExprPtr predicate;                 // partial index: rows without it have no entry
    std::vector<std::string> names;    // per key, for "Key (...)=(...)"
  };
  // The key's values, or nullopt when the row has no entry (a partial index's predicate).
  std::optional<Row> key_values(ExecContext& ctx, const Index& idx, const Row& row) const;
  std::string index_key(const Index& idx, const Row& values, const std::string& row_key) const;
  std::string index_key_prefix(const Index& idx, const Row& values) const;  // the entries' for values
  std::string key_text(ExecContext& ctx, const Index& idx, const Row& values, std::string_view ending) const;
  void add_index_entries(ExecContext& ctx, const Row& row, const std::string& row_key);
  // 23505 unless no other row has this primary key (locked for the transaction).
  void check_primary_key_free(ExecContext& ctx, const std::string& key, const Row& row);
  void remove_index_entries(ExecContext& ctx, const Row& row, const std::string& row_key);
  TableLayout layout_;
  std::vector<Index> indexes_;  // secondary indexes
  std::vector<ForeignKeyEnd> references_;     // this table's foreign keys
  std::vector<ForeignKeyEnd> referenced_by_;  // foreign keys of tables (this one too) referencing it
  std::atomic<int64_t>* rows_added_ = nullptr;  // the table's live row count (catalog::TableActivity)
};

// "Failing row contains (1, null, x)." — the DETAIL of a constraint a new row breaks.
std::string failing_row(const Row& row, const types::TextContext& text);
// 23514 "new row for relation ... violates partition constraint" unless row of t is within the
// bounds of check (t's own, and its ancestors').
void check_partition(const PartitionCheck& check, const catalog::TableDef& t, const Row& row,
                     const types::TextContext& text);

// A DEFERRABLE primary key or unique constraint's check (KeyCheck::unique_index), at the
// statement's end or at commit: the row stored under check.row_key, when still there, must be the
// only live row with its key. Reads the newest committed data and this transaction's writes, and
// locks the key for the transaction, so of two transactions that write the same key the second
// to check waits for the first, then finds its row. `checked`: index entry prefixes of keys
// found single already (skipped). Throws 23505.
void check_unique_key(ExecContext& ctx, const std::shared_ptr<const catalog::TableDef>& table, const KeyCheck& check,
                      std::set<std::string>& checked);

// Whether a unique index's key of these values can collide with another row's equal one: not
// when one of them is NULL, unless the index is NULLS NOT DISTINCT (PostgreSQL 15).
bool key_can_collide(const catalog::IndexDef& index, const Row& values);

// 23505 "duplicate key value violates unique constraint" on t's constraint, with this detail.
[[noreturn]] void raise_unique_violation(const catalog::TableDef& t, const std::string& constraint, std::string detail);

// "Key (a, b)=(1, x) already exists." (or another ending): the detail of a unique violation.
std::string key_detail(const catalog::TableDef& t, const std::vector<size_t>& cols, const Row& row,
                       const ExecContext& ctx, std::string_view ending = "already exists.");

}  // namespace heliosdb::exec
