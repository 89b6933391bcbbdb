// Planner statistics: what ANALYZE found in a table (PostgreSQL's pg_statistic rows and
// pg_class.reltuples / relpages), kept in the catalog so they survive a restart and go with the
// table; and the live row counts the planner adds to them (TableActivity).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "heliosdb/value.h"

namespace heliosdb::catalog {

// One column's statistics, in pg_stats' terms.
struct ColumnStatistics {
  uint32_t type = 0;      // the column's type when analyzed: the values below are of it
  int32_t typmod = -1;
  float null_frac = 0;
  int32_t avg_width = 0;  // bytes of a non-null value
  // > 0: the number of distinct non-null values; < 0: minus that number as a fraction of the
  // rows (it grows with the table); 0: unknown.
  float n_distinct = 0;
  std::vector<Value> most_common_vals;   // most common first
  std::vector<float> most_common_freqs;  // fractions of all rows
  // The other values, cut into buckets of equal population: their bounds, ascending.
  std::vector<Value> histogram_bounds;
  // How the values' order follows the rows' storage order (primary key order), -1 to 1.
  std::optional<float> correlation;
};

struct TableStatistics {
  double reltuples = -1;  // rows; -1 until the table is first analyzed or vacuumed
  int64_t relpages = 0;   // ceil(bytes of its rows / 8192)
  std::map<uint32_t, ColumnStatistics> columns;  // by column id
  // pg_stat_user_tables: PostgreSQL's timestamps (microseconds since 2000-01-01), 0 for never.
  int64_t last_analyze = 0, last_vacuum = 0;
  int64_t analyze_count = 0, vacuum_count = 0;
};

std::string to_json(const TableStatistics& s);
TableStatistics statistics_from_json(std::string_view s);

// Rows written to each table since the database was opened or the table last analyzed (net of
// deletions, rolled-back writes included): a live hint the planner adds to the statistics, as
// PostgreSQL's planner reads a table's current size besides reltuples. Shared by every catalog
// snapshot of a database; not stored.
class TableActivity {
 public:
  // The counter writers of the table add to (a reference that stays valid).
  std::atomic<int64_t>& rows_added(uint32_t table_id);
  int64_t rows_added_now(uint32_t table_id) const;
  void reset(uint32_t table_id);
  // Bytes of the table's rows the storage holds in its files (written-out data only: what is
  // still in memory is not counted); 0 when unknown.
  uint64_t stored_bytes(uint32_t table_id) const;
  void set_stored_bytes(std::function<uint64_t(uint32_t)> f);

 private:
  mutable std::mutex mu_;
  std::map<uint32_t, std::unique_ptr<std::atomic<int64_t>>> counts_;  // guarded by mu_ (the map, not the counters)
  std::function<uint64_t(uint32_t)> stored_bytes_;                     // guarded by mu_
};

}  // namespace heliosdb::catalog
