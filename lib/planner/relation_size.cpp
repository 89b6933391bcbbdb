// How big the planner takes a table to be (PostgreSQL's estimate_rel_size) and how wide its
// values (get_typavgwidth, get_rel_data_width).
#include <algorithm>
#include <cmath>

#include "common/types.h"
#include "planner/selectivity.h"

namespace heliosdb::planner {
namespace {

constexpr double kPageSize = 8192;

// Our storage's bytes for a row of a table this wide: key (space, table, key columns) and
// value (a column id and a tag per column, then the datums).
double stored_row_bytes(const catalog::TableDef& t, int width) {
  return 5.0 + (t.primary_key.empty() ? 8 : 0) + width + 2.0 * static_cast<double>(t.columns.size()) + 1;
}

}  // namespace

int type_width(uint32_t type, int32_t typmod) {
  const types::TypeInfo* ti = types::find(type);
  if (ti && ti->length > 0) return ti->length;
  int max_width = -1;
  if (typmod > 0) {
    if (type == oid::kBpchar || type == oid::kVarchar) max_width = (typmod - 4) * 4 + 4;  // UTF8: 4 bytes a character
    else if (type == oid::kNumeric) max_width = 8 + ((((typmod - 4) >> 16) & 0xffff) + 6) / 4 * 2;
  }
  if (max_width > 0) {
    if (type == oid::kBpchar) return max_width;
    if (max_width <= 32) return max_width;
    if (max_width < 1000) return 32 + (max_width - 32) / 2;
    return 32 + (1000 - 32) / 2;
  }
  return 32;
}

const RelationSize& Statistics::relation(const catalog::TableDef& t) {
  if (auto it = relations_.find(t.id); it != relations_.end()) return it->second;
  RelationSize r;
  for (const auto& c : t.columns) r.width += column_width(t, c);
  auto st = catalog_.statistics(t.id);
  const auto& activity = catalog_.activity();
  double added = activity ? static_cast<double>(activity->rows_added_now(t.id)) : 0;
  double row_bytes = stored_row_bytes(t, r.width);
  if (st && st->reltuples >= 0) {
    // Analyzed: its rows then, and those written since.
    r.tuples = r.known_tuples = std::max(0.0, st->reltuples + added);
    r.pages = st->reltuples > 0 ? std::ceil(static_cast<double>(st->relpages) * r.tuples / st->reltuples)
                                : std::ceil(r.tuples * row_bytes / kPageSize);
  } else {
    // Never analyzed: the rows written since the database was opened, or what the storage's
    // files hold of it. A table that looks smaller than 10 pages is taken to be 10 pages of
    // rows of its width, as PostgreSQL assumes of a table never vacuumed (it may be loaded
    // yet) unless it has children.
    double stored = activity ? static_cast<double>(activity->stored_bytes(t.id)) : 0;
    r.tuples = r.known_tuples = std::max(added, std::floor(stored / row_bytes));
    r.pages = std::ceil(r.tuples * row_bytes / kPageSize);
    if (r.pages < 10 && catalog_.children(t.id).empty()) {
      r.pages = 10;
      double density = std::floor((kPageSize - 24) / (r.width + 24 + 4));  // PostgreSQL's heap tuples a page
      r.tuples = density * r.pages;
    }
  }
  return relations_.emplace(t.id, r).first->second;
}

int Statistics::column_width(const catalog::TableDef& t, const catalog::ColumnDef& c) {
  if (auto st = catalog_.statistics(t.id)) {
    auto it = st->columns.find(c.id);
    if (it != st->columns.end() && it->second.type == c.type && it->second.avg_width > 0) return it->second.avg_width;
  }
  return type_width(c.type, c.typmod);
}

}  // namespace heliosdb::planner
