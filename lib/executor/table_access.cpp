#include "executor/table_access.h"

#include <algorithm>

#include "common/errors.h"
#include "common/key_codec.h"
#include "common/type_io.h"
#include "common/types.h"
#include "storage/row_codec.h"
#include "storage/store.h"
#include "storage/transaction.h"

namespace heliosdb::exec {

TableLayout::TableLayout(std::shared_ptr<const catalog::TableDef> t) : table(std::move(t)) {
  for (const auto& c : table->columns) {
    ids.push_back(c.id);
    types.push_back(c.type);
    missing.push_back(c.missing.is_null() ? Value::null(c.type) : c.missing);
  }
  for (uint32_t cid : table->primary_key) pk.push_back(static_cast<size_t>(table->column_index_by_id(cid)));
  prefix = table_prefix(table->id);
}

std::string table_prefix(uint32_t table_id) {
  std::string p(1, storage::space::kTable);
  keys::append_u32(p, table_id);
  return p;
}

std::string TableLayout::key_for(const Row& row) const {
  std::string k = prefix;
  for (size_t i : pk) keys::append_value(k, row[i]);
  return k;
}

namespace {

// Locks the row whose key is at key_index (its table's columns at offset); false when it is
// skipped (kSkip), gone, or changed under REPEATABLE READ (which raises). When it changed, its
// columns become the newest version's and `changed` is set.
bool lock_row_at(ExecContext& ctx, const TableLayout& layout, Row& row, size_t key_index, size_t offset,
                 storage::LockTable::Mode mode, storage::LockTable::Wait wait, bool& changed) {
  const std::string& key = row[key_index].as_string();
  if (!ctx.lock_row(key, mode, wait)) {
    if (wait == storage::LockTable::Wait::kNoWait)
      raise(sqlstate::kLockNotAvailable, "could not obtain lock on row in relation \"{}\"", layout.table->name);
    return false;
  }
  std::optional<std::string> latest;
  if (!ctx.txn->changed_since_snapshot(key, latest)) return true;
  if (ctx.repeatable_read)
    raise(sqlstate::kTRSerializationFailure, "could not serialize access due to concurrent {}", latest ? "update" : "delete");
  if (!latest) return false;
  Row fresh;
  layout.decode(*latest, fresh);
  for (size_t i = 0; i < layout.ids.size(); ++i) row[offset + i] = std::move(fresh[i]);
  changed = true;
  return true;
}

bool still_holds(ExecContext& ctx, const Row& row, const Expr* recheck) {
  if (!recheck) return true;
  Value ok = recheck->eval(row, ctx);
  return !ok.is_null() && ok.as_bool();
}

}  // namespace

bool lock_row_version(ExecContext& ctx, const TableLayout& layout, Row& row, size_t key_index, const Expr* recheck,
                      storage::LockTable::Mode mode, storage::LockTable::Wait wait) {
  bool changed = false;
  if (!lock_row_at(ctx, layout, row, key_index, 0, mode, wait, changed)) return false;
  return !changed || still_holds(ctx, row, recheck);
}

namespace {

class LockRows final : public Operator {
 public:
  std::string describe() const override { return "LockRows"; }
  std::vector<const Operator*> inputs() const override { return {child_.get()}; }
  LockRows(OperatorPtr child, std::vector<LockTarget> targets, ExprPtr recheck, storage::LockTable::Mode mode,
           storage::LockTable::Wait wait)
      : child_(std::move(child)), recheck_(std::move(recheck)), mode_(mode), wait_(wait) {
    columns = child_->columns;
    for (auto& t : targets) targets_.push_back({TableLayout(std::move(t.table)), t.key_index, t.offset});
  }
  void do_open(ExecContext& ctx) override {
    ctx_ = &ctx;
    child_->open(ctx);
  }
  bool do_next(Row& row) override {
    while (child_->next(row)) {
      bool changed = false, ok = true;
      for (const auto& t : targets_)
        if (!(ok = lock_row_at(*ctx_, t.layout, row, t.key_index, t.offset, mode_, wait_, changed))) break;
      if (ok && (!changed || still_holds(*ctx_, row, recheck_.get()))) return true;
    }
    return false;
  }
  void do_close() override { child_->close(); }

 private:
  struct Target {
    TableLayout layout;
    size_t key_index, offset;
  };
  OperatorPtr child_;
  std::vector<Target> targets_;
  ExprPtr recheck_;
  storage::LockTable::Mode mode_;
  storage::LockTable::Wait wait_;
  ExecContext* ctx_ = nullptr;
};

}  // namespace

OperatorPtr make_lock_rows(OperatorPtr child, std::vector<LockTarget> targets, ExprPtr recheck,
                           storage::LockTable::Mode mode, storage::LockTable::Wait wait) {
  OperatorPtr op = std::make_unique<LockRows>(std::move(child), std::move(targets), std::move(recheck), mode, wait);
  op->plan.kind = PlanInfo::Kind::kLockRows;
  return op;
}

void TableLayout::decode(std::string_view value, Row& row) const {
  storage::decode_row(value, ids, types, missing, row);
}

std::string index_prefix(uint32_t index_id) {
  std::string k{storage::space::kIndex};
  keys::append_u32(k, index_id);
  return k;
}

std::string key_detail(const catalog::TableDef& t, const std::vector<size_t>& cols, const Row& row,
                       const ExecContext& ctx, std::string_view ending) {
  std::string names, values;
  for (size_t i = 0; i < cols.size(); ++i) {
    if (i) { names += ", "; values += ", "; }
    names += t.columns[cols[i]].name;
    const Value& v = row[cols[i]];
    values += v.is_null() ? "null" : types::format_text(v, ctx.text);
  }
  return "Key (" + names + ")=(" + values + ") " + std::string(ending);
}

TableWriter::TableWriter(std::shared_ptr<const catalog::TableDef> table, const catalog::Catalog& catalog)
    : layout_(std::move(table)) {
  if (const auto& activity = catalog.activity()) rows_added_ = &activity->rows_added(layout_.table->id);
  for (uint32_t iid : layout_.table->indexes) {
    auto idx = catalog.index(iid);
    if (!idx || (idx->primary && !idx->deferrable)) continue;  // the rows' own keys
    Index ix;
    ix.def = idx;
    for (size_t k = 0; k < idx->columns.size(); ++k) {
      int pos = idx->columns[k] ? layout_.table->column_index_by_id(idx->columns[k]) : -1;
      ix.columns.push_back(pos);
      ix.exprs.emplace_back();
      ix.names.push_back(pos >= 0 ? layout_.table->columns[static_cast<size_t>(pos)].name : "?");
    }
    indexes_.push_back(std::move(ix));
  }
  auto end_of = [](const std::shared_ptr<const catalog::TableDef>& t, const catalog::ForeignKeyDef& fk,
                   const catalog::TableDef& parent) {
    ForeignKeyEnd e{t, &fk, {}, {}};
    for (uint32_t id : fk.columns) e.columns.push_back(static_cast<size_t>(t->column_index_by_id(id)));
    for (uint32_t id : fk.ref_columns) e.ref_columns.push_back(static_cast<size_t>(parent.column_index_by_id(id)));
    return e;
  };
  const auto& self = layout_.table;
  for (const auto& fk : self->foreign_keys) {
    auto parent = fk.ref_table == self->id ? self : catalog.table(fk.ref_table);
    if (parent) references_.push_back(end_of(self, fk, *parent));
  }
  for (const auto& [id, t] : catalog.tables()) {
    const auto& child = id == self->id ? self : t;  // this writer's own definition of its table
    for (const auto& fk : child->foreign_keys)
      if (fk.ref_table == self->id) referenced_by_.push_back(end_of(child, fk, *self));
  }
}

std::string failing_row(const Row& row, const types::TextContext& text) {
  std::string detail = "Failing row contains (";
  for (size_t j = 0; j < row.size(); ++j) {
    if (j) detail += ", ";
    detail += row[j].is_null() ? "null" : types::format_text(row[j], text);
  }
  return detail + ").";
}

void check_partition(const PartitionCheck& check, const catalog::TableDef& t, const Row& row,
                     const types::TextContext& text) {
  if (check.empty() || check.holds(row)) return;
  Error e(sqlstate::kCheckViolation, fmt::format("new row for relation \"{}\" violates partition constraint", t.name));
  throw e.with_detail(failing_row(row, text)).with_table(t.schema, t.name);
}

void TableWriter::validate(ExecContext& ctx, Row& row) {
  const auto& t = *layout_.table;
  for (size_t i = 0; i < generated.size(); ++i)
    if (generated[i]) row[i] = generated[i]->eval(row, ctx);
  for (const auto& d : domain_checks)
    if (d) d->eval(row, ctx);
  for (size_t i = 0; i < t.columns.size(); ++i) {
    if (t.columns[i].not_null && row[i].is_null()) {
      Error e(sqlstate::kNotNullViolation,
              fmt::format("null value in column \"{}\" of relation \"{}\" violates not-null constraint",
                          t.columns[i].name, t.name));
      throw e.with_detail(failing_row(row, ctx.text)).with_table(t.schema, t.name).with_column(t.columns[i].name);
    }
  }
  for (size_t i = 0; i < checks.size(); ++i) {
    Value v = checks[i]->eval(row, ctx);
    if (!v.is_null() && !v.as_bool()) {
      Error e(sqlstate::kCheckViolation,
              fmt::format("new row for relation \"{}\" violates check constraint \"{}\"", t.name,
                          t.checks[i].name));
      throw e.with_detail(failing_row(row, ctx.text)).with_table(t.schema, t.name).with_constraint(t.checks[i].name);
    }
  }
  check_partition(partition, t, row, ctx.text);
}

void TableWriter::set_index_expressions(uint32_t index_id, std::vector<ExprPtr> exprs, ExprPtr predicate,
                                        std::vector<std::string> names) {
  for (auto& ix : indexes_) {
    if (ix.def->id != index_id) continue;
    for (size_t k = 0; k < exprs.size() && k < ix.exprs.size(); ++k)
      if (exprs[k]) ix.exprs[k] = std::move(exprs[k]);
    ix.predicate = std::move(predicate);
    ix.names = std::move(names);
  }
}

std::optional<Row> TableWriter::key_values(ExecContext& ctx, const Index& idx, const Row& row) const {
  if (!idx.def->predicate.empty()) {
    if (!idx.predicate) raise(sqlstate::kInternalError, "index \"{}\": its predicate is not bound", idx.def->name);
    Value ok = idx.predicate->eval(row, ctx);
    if (ok.is_null() || !ok.as_bool()) return std::nullopt;
  }
  Row values;
  for (size_t k = 0; k < idx.columns.size(); ++k) {
    if (idx.columns[k] >= 0) {
      values.push_back(row[static_cast<size_t>(idx.columns[k])]);
    } else {
      if (!idx.exprs[k]) raise(sqlstate::kInternalError, "index \"{}\": its expressions are not bound", idx.def->name);
      values.push_back(idx.exprs[k]->eval(row, ctx));
    }
  }
  return values;
}

bool key_can_collide(const catalog::IndexDef& index, const Row& values) {
  return index.nulls_not_distinct || std::ranges::none_of(values, [](const Value& v) { return v.is_null(); });
}

std::string TableWriter::index_key(const Index& idx, const Row& values, const std::string& row_key) const {
  std::string k = index_prefix(idx.def->id);
  for (const auto& v : values) keys::append_value(k, v);
  // Non-unique entries (and unique ones that cannot collide, and those of a deferrable
  // constraint, which may be duplicated until checked) end with the row's own key so they stay
  // distinct.
  if (!idx.def->unique || !key_can_collide(*idx.def, values) || idx.def->deferrable)
    k.append(row_key, layout_.prefix.size());
  return k;
}

std::string TableWriter::index_key_prefix(const Index& idx, const Row& values) const {
  std::string k = index_prefix(idx.def->id);
  for (const auto& v : values) keys::append_value(k, v);
  return k;
}

std::string TableWriter::key_text(ExecContext& ctx, const Index& idx, const Row& values, std::string_view ending) const {
  std::string names, text;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) {
      names += ", ";
      text += ", ";
    }
    names += idx.names[i];
    text += values[i].is_null() ? "null" : types::format_text(values[i], ctx.text);
  }
  return "Key (" + names + ")=(" + text + ") " + std::string(ending);
}

void TableWriter::add_index_entries(ExecContext& ctx, const Row& row, const std::string& row_key) {
  std::string_view suffix = std::string_view(row_key).substr(layout_.prefix.size());
  for (const auto& idx : indexes_) {
    auto values = key_values(ctx, idx, row);
    if (!values) continue;
    std::string k = index_key(idx, *values, row_key);
    if (idx.def->deferrable) {
      // Checked once the statement (or the transaction) ends, as PostgreSQL's unique_key_recheck.
      ctx.txn->put(k, suffix);
      if (!key_can_collide(*idx.def, *values)) continue;
      KeyCheck check{layout_.table->id, idx.def->name, false, row_key, {}, idx.def->id};
      if (ctx.key_checks) {
        ctx.key_checks->add(*idx.def, std::move(check));
      } else {
        std::vector<KeyCheck> now;
        now.push_back(std::move(check));
        run_key_checks(ctx, now);
      }
      continue;
    }
    // A unique key is claimed like a row: a concurrent inserter of the same value waits for this
    // transaction, then sees its outcome.
    if (idx.def->unique && ctx.lock_row(k) && ctx.txn->get_latest(k))
      raise_unique_violation(*layout_.table, idx.def->name, key_text(ctx, idx, *values, "already exists."));
    ctx.txn->put(k, suffix);
  }
}

void TableWriter::remove_index_entries(ExecContext& ctx, const Row& row, const std::string& row_key) {
  for (const auto& idx : indexes_)
    if (auto values = key_values(ctx, idx, row)) ctx.txn->del(index_key(idx, *values, row_key));
}

void TableWriter::build_index(ExecContext& ctx, uint32_t index_id) {
  for (const auto& idx : indexes_) {
    if (idx.def->id != index_id) continue;
    Row row;
    for (auto it = ctx.txn->scan(layout_.prefix, keys::prefix_successor(layout_.prefix)); it->valid(); it->next()) {
      ctx.check_cancel();
      layout_.decode(it->value(), row);
      auto values = key_values(ctx, idx, row);
      if (!values) continue;
      std::string row_key(it->key());
      std::string k = index_key(idx, *values, row_key);
      bool taken = false;
      if (idx.def->unique && idx.def->deferrable) {
        // Entries end with the row key: any entry under the key's values is a duplicate.
        std::string p = index_key_prefix(idx, *values);
        taken = key_can_collide(*idx.def, *values) && ctx.txn->scan(p, keys::prefix_successor(p))->valid();
      } else {
        taken = idx.def->unique && ctx.txn->get(k);
      }
      if (taken)
        throw Error(sqlstate::kUniqueViolation, fmt::format("could not create unique index \"{}\"", idx.def->name))
            .with_detail(key_text(ctx, idx, *values, "is duplicated."))
            .with_table(layout_.table->schema, layout_.table->name)
            .with_constraint(idx.def->name);
      ctx.txn->put(k, row_key.substr(layout_.prefix.size()));
    }
  }
}

std::string TableWriter::find_conflict(ExecContext& ctx, const Row& row, const std::vector<uint32_t>& arbiters) {
  auto arbiter = [&](uint32_t id) { return arbiters.empty() || std::ranges::count(arbiters, id) > 0; };
  if (layout_.table->primary_key.size() && !layout_.pk.empty()) {
    for (uint32_t iid : layout_.table->indexes) {
      auto idx = ctx.catalog->index(iid);
      if (!idx || !idx->primary || !arbiter(iid)) continue;
      bool has_null = false;
      for (size_t p : layout_.pk) has_null |= row[p].is_null();
      if (has_null) continue;
      std::string key = layout_.key_for(row);
      if (ctx.lock_row(key) && ctx.txn->get_latest(key)) return key;
    }
  }
  for (const auto& idx : indexes_) {
    if (!idx.def->unique || !arbiter(idx.def->id)) continue;
    if (idx.def->deferrable)
      throw Error(sqlstate::kObjectNotInPrerequisiteState,
                  "ON CONFLICT does not support deferrable unique constraints/exclusion constraints as arbiters");
    auto values = key_values(ctx, idx, row);
    if (!values || !key_can_collide(*idx.def, *values)) continue;
    std::string k = index_key(idx, *values, layout_.prefix);
    if (!ctx.lock_row(k)) continue;
    if (auto suffix = ctx.txn->get_latest(k)) return layout_.prefix + *suffix;
  }
  return {};
}

void raise_unique_violation(const catalog::TableDef& t, const std::string& constraint, std::string detail) {
  throw Error(sqlstate::kUniqueViolation, fmt::format("duplicate key value violates unique constraint \"{}\"", constraint))
      .with_detail(std::move(detail))
      .with_table(t.schema, t.name)
      .with_constraint(constraint);
}

void TableWriter::check_primary_key_free(ExecContext& ctx, const std::string& key, const Row& row) {
  if (!ctx.lock_row(key) || !ctx.txn->get_latest(key)) return;
  std::string name = layout_.table->name + "_pkey";
  for (uint32_t iid : layout_.table->indexes)
    if (auto idx = ctx.catalog->index(iid); idx && idx->primary) name = idx->name;
  raise_unique_violation(*layout_.table, name, key_detail(*layout_.table, layout_.pk, row, ctx));
}

std::string TableWriter::insert(ExecContext& ctx, Row& row) {
  validate(ctx, row);
  std::string key;
  if (layout_.pk.empty()) {
    key = layout_.prefix;
    keys::append_u64(key, ctx.services->next_row_id(layout_.table->id));
  } else {
    key = layout_.key_for(row);
    check_primary_key_free(ctx, key, row);
  }
  add_index_entries(ctx, row, key);
  thread_local std::string value;  // reused: put and append copy it
  value.clear();
  storage::encode_row(value, layout_.ids, row);
  // The key is locked (primary key) or a fresh row id, as append wants.
  if (!ctx.bulk_load || !ctx.txn->append(key, value)) ctx.txn->put(key, value);
  if (rows_added_) rows_added_->fetch_add(1, std::memory_order_relaxed);
  for (const auto& fk : references_) referencing_row_written(ctx, fk, row, key);
  return key;
}

std::string TableWriter::update(ExecContext& ctx, const std::string& key, const Row& old_row, Row& row) {
  validate(ctx, row);
  remove_index_entries(ctx, old_row, key);
  std::string new_key = key;
  if (!layout_.pk.empty()) {
    new_key = layout_.key_for(row);
    if (new_key != key) {
      check_primary_key_free(ctx, new_key, row);
      ctx.txn->del(key);
    }
  }
  add_index_entries(ctx, row, new_key);
  std::string value;
  storage::encode_row(value, layout_.ids, row);
  ctx.txn->put(new_key, value);
  for (const auto& fk : referenced_by_)
    if (key_changed(old_row, row, fk.ref_columns)) referenced_row_changed(ctx, fk, old_row, &row);
  for (const auto& fk : references_)
    if (key_changed(old_row, row, fk.columns) || new_key != key) referencing_row_written(ctx, fk, row, new_key);
  return new_key;
}

void TableWriter::remove(ExecContext& ctx, const std::string& key, const Row& row) {
  remove_index_entries(ctx, row, key);
  ctx.txn->del(key);
  if (rows_added_) rows_added_->fetch_sub(1, std::memory_order_relaxed);
  for (const auto& fk : referenced_by_) referenced_row_changed(ctx, fk, row, nullptr);
}

}  // namespace heliosdb::exec
