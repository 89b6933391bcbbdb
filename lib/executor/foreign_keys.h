// Foreign keys, enforced as PostgreSQL's RI triggers are.
//
// A row written to a referencing table must find its key in the referenced table; that check,
// and NO ACTION's check that a referenced key removed is no longer referenced, wait until the
// statement ends (or, for a DEFERRED constraint, the transaction commits), so one statement may
// insert a row before the row it references. RESTRICT checks at once; CASCADE, SET NULL and SET
// DEFAULT change the referencing rows at once, through their table's writer (its constraints,
// indexes and foreign keys apply to them in turn).
//
// Reads for these checks see the newest committed data, not the statement's snapshot, and the
// referenced row is share-locked for the checking transaction: a concurrent delete of it waits,
// then finds the new reference.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "catalog/catalog.h"
#include "executor/context.h"

namespace heliosdb::exec {

struct KeyCheck {
  uint32_t table_id = 0;   // the referencing table
  std::string constraint;  // the foreign key's name
  // false: the referencing row stored under row_key must find its key (values) referenced;
  // true: the referenced key `values` was removed and must not be referenced any more.
  bool removed_key = false;
  std::string row_key;
  Row values;  // in the foreign key's column order
  // Not 0: a DEFERRABLE primary key or unique constraint's index (of table_id, named
  // `constraint`): the row stored under row_key, if still there, must be the only one with its
  // key (PostgreSQL's unique_key_recheck). See check_unique_key in table_access.h.
  uint32_t unique_index = 0;
};

// The checks waiting for the end of the statement and of the transaction (owned by the session).
struct KeyChecks {
  std::vector<KeyCheck> statement, deferred;
  std::optional<bool> all_deferred;   // SET CONSTRAINTS ALL DEFERRED | IMMEDIATE
  std::map<std::string, bool> named;  // SET CONSTRAINTS name DEFERRED | IMMEDIATE
  bool is_deferred(const catalog::ForeignKeyDef& fk) const { return is_deferred(fk.name, fk.deferrable, fk.deferred); }
  // A constraint named `name`, [NOT] DEFERRABLE, INITIALLY DEFERRED or IMMEDIATE.
  bool is_deferred(const std::string& name, bool deferrable, bool initially_deferred) const;
  void add(const catalog::ForeignKeyDef& fk, KeyCheck check) {
    (is_deferred(fk) ? deferred : statement).push_back(std::move(check));
  }
  void add(const catalog::IndexDef& idx, KeyCheck check) {
    (is_deferred(idx.name, idx.deferrable, idx.deferred) ? deferred : statement).push_back(std::move(check));
  }
  void reset() {
    statement.clear();
    deferred.clear();
    all_deferred.reset();
    named.clear();
  }
};

// Runs the checks and empties the list; throws 23503 (23505 for a unique key) for the first
// that fails.
void run_key_checks(ExecContext& ctx, std::vector<KeyCheck>& checks);

// A foreign key as a table's writer holds it (for its own, and for those referencing its table).
struct ForeignKeyEnd {
  std::shared_ptr<const catalog::TableDef> table;  // the referencing table
  const catalog::ForeignKeyDef* fk = nullptr;      // one of table->foreign_keys
  std::vector<size_t> columns;                     // positions of fk->columns in the referencing table
  std::vector<size_t> ref_columns;                 // positions of fk->ref_columns in the referenced table
};

// The writer's table is the referencing one: its row `row` (stored under key) was written.
void referencing_row_written(ExecContext& ctx, const ForeignKeyEnd& end, const Row& row, const std::string& key);
// The writer's table is the referenced one: a row holding key values `old_row` was deleted
// (new_row null) or its key changed to new_row's: applies the constraint's action.
void referenced_row_changed(ExecContext& ctx, const ForeignKeyEnd& end, const Row& old_row, const Row* new_row);
// ALTER TABLE ... ADD FOREIGN KEY: every row of table must find its key.
void validate_foreign_key(ExecContext& ctx, const std::shared_ptr<const catalog::TableDef>& table,
                          const catalog::ForeignKeyDef& fk);

// Whether the key columns' values differ between two rows (as a unique index compares them).
bool key_changed(const Row& a, const Row& b, const std::vector<size_t>& columns);

}  // namespace heliosdb::exec
