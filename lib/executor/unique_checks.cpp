// DEFERRABLE primary keys and unique constraints: the check run at the statement's end or at
// commit (KeyCheck::unique_index), as PostgreSQL's unique_key_recheck.
#include <algorithm>

#include "common/errors.h"
#include "common/key_codec.h"
#include "executor/table_access.h"
#include "storage/transaction.h"

namespace heliosdb::exec {

void check_unique_key(ExecContext& ctx, const std::shared_ptr<const catalog::TableDef>& table, const KeyCheck& check,
                      std::set<std::string>& checked) {
  auto idx = ctx.catalog->index(check.unique_index);
  if (!idx || idx->table_id != table->id || !idx->deferrable) return;  // dropped (or changed) meanwhile
  // The row may have changed or gone since; then a later write queued its own check.
  auto latest = ctx.txn->get_latest(check.row_key);
  if (!latest) return;
  TableLayout layout(table);
  Row row;
  layout.decode(*latest, row);
  std::vector<size_t> cols;
  Row values;
  std::string prefix = index_prefix(idx->id);
  for (uint32_t cid : idx->columns) {
    int pos = table->column_index_by_id(cid);
    if (pos < 0) return;
    cols.push_back(static_cast<size_t>(pos));
    values.push_back(row[static_cast<size_t>(pos)]);
    keys::append_value(prefix, values.back());
  }
  if (!key_can_collide(*idx, values)) return;
  if (checked.contains(prefix)) return;
  // Claimed like a non-deferrable key's value: a transaction checking the same key meanwhile
  // waits for this one to end, then finds its row.
  ctx.lock_row(prefix);
  size_t live = 0;
  for (auto it = ctx.txn->scan_latest(prefix, keys::prefix_successor(prefix)); it->valid(); it->next()) {
    if (!ctx.txn->get_latest(layout.prefix + std::string(it->value()))) continue;  // its row is gone
    if (++live > 1) raise_unique_violation(*table, idx->name, key_detail(*table, cols, row, ctx));
  }
  checked.insert(std::move(prefix));
}

}  // namespace heliosdb::exec
