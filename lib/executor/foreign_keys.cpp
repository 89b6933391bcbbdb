#include "executor/foreign_keys.h"

#include <algorithm>
#include <set>

#include "common/errors.h"
#include "common/key_codec.h"
#include "common/types.h"
#include "executor/table_access.h"
#include "storage/transaction.h"

namespace heliosdb::exec {

bool KeyChecks::is_deferred(const std::string& name, bool deferrable, bool initially_deferred) const {
  if (!deferrable) return false;
  if (auto it = named.find(name); it != named.end()) return it->second;
  if (all_deferred) return *all_deferred;
  return initially_deferred;
}

bool key_changed(const Row& a, const Row& b, const std::vector<size_t>& columns) {
  for (size_t c : columns) {
    std::string x, y;
    keys::append_value(x, a[c]);
    keys::append_value(y, b[c]);
    if (x != y) return true;
  }
  return false;
}

namespace {

std::string encode(const Row& values) {
  std::string k;
  for (const auto& v : values) keys::append_value(k, v);
  return k;
}

Row pick(const Row& row, const std::vector<size_t>& columns) {
  Row out;
  out.reserve(columns.size());
  for (size_t c : columns) out.push_back(row[c]);
  return out;
}

std::vector<size_t> positions(const catalog::TableDef& t, const std::vector<uint32_t>& ids) {
  std::vector<size_t> out;
  for (uint32_t id : ids) out.push_back(static_cast<size_t>(t.column_index_by_id(id)));
  return out;
}

std::string key_text(const catalog::TableDef& t, const std::vector<uint32_t>& ids, const Row& values, const ExecContext& ctx) {
  std::string names, text;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i) {
      names += ", ";
      text += ", ";
    }
    names += t.columns[static_cast<size_t>(t.column_index_by_id(ids[i]))].name;
    text += values[i].is_null() ? "null" : types::format_text(values[i], ctx.text);
  }
  return "Key (" + names + ")=(" + text + ")";
}

// The storage key of the referenced row holding key `values` (in fk order), share-locked for
// the transaction; nullopt when there is none.
std::optional<std::string> find_referenced(ExecContext& ctx, const catalog::ForeignKeyDef& fk, const Row& values) {
  auto parent = ctx.catalog->table(fk.ref_table);
  auto index = ctx.catalog->index(fk.ref_index);
  if (!parent || !index) return std::nullopt;
  Row ordered;  // the values in the index's column order
  for (uint32_t cid : index->columns) {
    auto it = std::ranges::find(fk.ref_columns, cid);
    ordered.push_back(values[static_cast<size_t>(it - fk.ref_columns.begin())]);
  }
  TableLayout layout(parent);
  if (index->primary) {
    std::string key = layout.prefix + encode(ordered);
    ctx.lock_row(key, storage::LockTable::Mode::kShared);
    if (ctx.txn->get_latest(key)) return key;
    return std::nullopt;
  }
  std::string ikey = index_prefix(index->id) + encode(ordered);
  auto suffix = ctx.txn->get_latest(ikey);
  if (!suffix) return std::nullopt;
  std::string key = layout.prefix + *suffix;
  ctx.lock_row(key, storage::LockTable::Mode::kShared);
  if (ctx.txn->get_latest(key) && ctx.txn->get_latest(ikey) == suffix) return key;
  return std::nullopt;
}

// The rows of the referencing table whose key is `values` (in fk order): through an index that
// starts with the key's columns when there is one, else by reading the table.
std::vector<std::pair<std::string, Row>> referencing_rows(ExecContext& ctx, const std::shared_ptr<const catalog::TableDef>& table,
                                                          const catalog::ForeignKeyDef& fk, const Row& values) {
  TableLayout layout(table);
  std::vector<size_t> cols = positions(*table, fk.columns);
  std::string want = encode(values);
  std::vector<std::pair<std::string, Row>> out;
  auto consider = [&](std::string key, std::string_view value) {
    Row row;
    layout.decode(value, row);
    if (encode(pick(row, cols)) == want) out.emplace_back(std::move(key), std::move(row));
  };
  for (uint32_t iid : table->indexes) {
    auto idx = ctx.catalog->index(iid);
    if (!idx || !idx->plain() || idx->columns.size() < fk.columns.size() ||
        !std::equal(fk.columns.begin(), fk.columns.end(), idx->columns.begin()))
      continue;
    if (idx->primary) {
      std::string p = layout.prefix + want;
      for (auto it = ctx.txn->scan_latest(p, keys::prefix_successor(p)); it->valid(); it->next())
        consider(std::string(it->key()), it->value());
      return out;
    }
    std::string p = index_prefix(iid) + want;
    std::vector<std::string> keys;
    for (auto it = ctx.txn->scan_latest(p, keys::prefix_successor(p)); it->valid(); it->next())
      keys.push_back(layout.prefix + std::string(it->value()));
    for (auto& k : keys)
      if (auto v = ctx.txn->get_latest(k)) consider(std::move(k), *v);
    return out;
  }
  for (auto it = ctx.txn->scan_latest(layout.prefix, keys::prefix_successor(layout.prefix)); it->valid(); it->next()) {
    ctx.check_cancel();
    consider(std::string(it->key()), it->value());
  }
  return out;
}

[[noreturn]] void still_referenced(ExecContext& ctx, const catalog::TableDef& child, const catalog::ForeignKeyDef& fk,
                                   const Row& values) {
  auto parent = ctx.catalog->table(fk.ref_table);
  throw Error(sqlstate::kForeignKeyViolation,
              fmt::format("update or delete on table \"{}\" violates foreign key constraint \"{}\" on table \"{}\"",
                          parent->name, fk.name, child.name))
      .with_detail(key_text(*parent, fk.ref_columns, values, ctx) + " is still referenced from table \"" + child.name +
                   "\".")
      .with_table(child.schema, child.name)  // the referencing table, in both directions (ri_ReportViolation)
      .with_constraint(fk.name);
}

[[noreturn]] void not_present(ExecContext& ctx, const catalog::TableDef& child, const catalog::ForeignKeyDef& fk, const Row& values) {
  auto parent = ctx.catalog->table(fk.ref_table);
  throw Error(sqlstate::kForeignKeyViolation,
              fmt::format("insert or update on table \"{}\" violates foreign key constraint \"{}\"", child.name, fk.name))
      .with_detail(key_text(child, fk.columns, values, ctx) + " is not present in table \"" + parent->name + "\".")
      .with_table(child.schema, child.name)
      .with_constraint(fk.name);
}

// The key the referencing row's values hold, or nullopt when it references nothing (a NULL in
// it under MATCH SIMPLE; all NULL under MATCH FULL, where some NULLs are an error).
std::optional<Row> referencing_key(const catalog::TableDef& t, const catalog::ForeignKeyDef& fk, const std::vector<size_t>& cols,
                                   const Row& row) {
  size_t nulls = 0;
  for (size_t c : cols) nulls += row[c].is_null();
  if (nulls == 0) return pick(row, cols);
  if (fk.match == 'f' && nulls != cols.size())
    throw Error(sqlstate::kForeignKeyViolation,
                fmt::format("insert or update on table \"{}\" violates foreign key constraint \"{}\"", t.name, fk.name))
        .with_detail("MATCH FULL does not allow mixing of null and nonnull key values.")
        .with_table(t.schema, t.name)
        .with_constraint(fk.name);
  return std::nullopt;
}

}  // namespace

void referencing_row_written(ExecContext& ctx, const ForeignKeyEnd& end, const Row& row, const std::string& key) {
  auto values = referencing_key(*end.table, *end.fk, end.columns, row);
  if (!values) return;
  KeyCheck check{end.table->id, end.fk->name, false, key, std::move(*values)};
  if (ctx.key_checks) return ctx.key_checks->add(*end.fk, std::move(check));
  std::vector<KeyCheck> now{std::move(check)};
  run_key_checks(ctx, now);
}

void referenced_row_changed(ExecContext& ctx, const ForeignKeyEnd& end, const Row& old_row, const Row* new_row) {
  const auto& fk = *end.fk;
  const auto& ref_cols = end.ref_columns;
  Row old_key = pick(old_row, ref_cols);
  char action = new_row ? fk.on_update : fk.on_delete;
  if (action == 'a') {
    KeyCheck check{end.table->id, fk.name, true, {}, std::move(old_key)};
    if (ctx.key_checks) return ctx.key_checks->add(fk, std::move(check));
    std::vector<KeyCheck> now{std::move(check)};
    return run_key_checks(ctx, now);
  }
  auto rows = referencing_rows(ctx, end.table, fk, old_key);
  if (rows.empty()) return;
  if (action == 'r') still_referenced(ctx, *end.table, fk, old_key);
  TableWriter& writer = ctx.services->table_writer(*ctx.catalog, end.table->id);
  for (auto& [key, row] : rows) {
    ctx.lock_row(key);
    auto latest = ctx.txn->get_latest(key);
    if (!latest) continue;
    writer.layout().decode(*latest, row);
    if (action == 'c' && !new_row) {
      writer.remove(ctx, key, row);
      continue;
    }
    Row changed = row;
    for (size_t i = 0; i < end.columns.size(); ++i) {
      size_t c = end.columns[i];
      if (action == 'c') changed[c] = (*new_row)[ref_cols[i]];
      else if (action == 'n') changed[c] = Value::null(row[c].type());
      else changed[c] = writer.defaults.empty() || !writer.defaults[c] ? Value::null(row[c].type()) : writer.defaults[c]->eval(row, ctx);
    }
    writer.update(ctx, key, row, changed);
    // A default equal to the removed key leaves the row referencing it: checked as NO ACTION.
    if (action == 'd' && !key_changed(row, changed, end.columns)) {
      KeyCheck check{end.table->id, fk.name, true, {}, old_key};
      if (ctx.key_checks) ctx.key_checks->add(fk, std::move(check));
      else still_referenced(ctx, *end.table, fk, old_key);
    }
  }
}

void run_key_checks(ExecContext& ctx, std::vector<KeyCheck>& checks) {
  std::vector<KeyCheck> list = std::move(checks);
  checks.clear();
  std::set<std::string> keys_checked;  // unique keys (index entry prefixes) found single already
  for (const auto& c : list) {
    ctx.check_cancel();
    auto table = ctx.catalog->table(c.table_id);
    if (!table) continue;
    if (c.unique_index) {
      check_unique_key(ctx, table, c, keys_checked);
      continue;
    }
    auto it = std::ranges::find(table->foreign_keys, c.constraint, &catalog::ForeignKeyDef::name);
    if (it == table->foreign_keys.end()) continue;  // dropped meanwhile
    const auto& fk = *it;
    if (!c.removed_key) {
      // The row may have changed or gone since; then a later write queued its own check.
      auto latest = ctx.txn->get_latest(c.row_key);
      if (!latest) continue;
      TableLayout layout(table);
      Row row;
      layout.decode(*latest, row);
      if (encode(pick(row, positions(*table, fk.columns))) != encode(c.values)) continue;
      if (!find_referenced(ctx, fk, c.values)) not_present(ctx, *table, fk, c.values);
    } else {
      // Gone, unless the statement put the key back.
      if (find_referenced(ctx, fk, c.values)) continue;
      if (!referencing_rows(ctx, table, fk, c.values).empty()) still_referenced(ctx, *table, fk, c.values);
    }
  }
}

void validate_foreign_key(ExecContext& ctx, const std::shared_ptr<const catalog::TableDef>& table, const catalog::ForeignKeyDef& fk) {
  TableLayout layout(table);
  std::vector<size_t> cols = positions(*table, fk.columns);
  Row row;
  for (auto it = ctx.txn->scan(layout.prefix, keys::prefix_successor(layout.prefix)); it->valid(); it->next()) {
    ctx.check_cancel();
    layout.decode(it->value(), row);
    auto values = referencing_key(*table, fk, cols, row);
    if (values && !find_referenced(ctx, fk, *values)) not_present(ctx, *table, fk, *values);
  }
}

}  // namespace heliosdb::exec
