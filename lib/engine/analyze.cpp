// ANALYZE and VACUUM's statistics, as PostgreSQL's analyze.c and vacuum.c keep them: each table
// is read whole for its exact row count and size (relpages = ceil(bytes / 8192)), and a uniform
// sample of up to 300 x default_statistics_target (30,000) of its rows, reservoir-drawn in
// storage order, gives each column's null fraction, average width, number of distinct values,
// most common values and histogram (compute_scalar_stats). The statistics go into the catalog
// with the statement's transaction.
#include <algorithm>
#include <cmath>
#include <random>

#include "common/array.h"
#include "common/errors.h"
#include "common/key_codec.h"
#include "common/types.h"
#include "common/value_codec.h"
#include "engine/ddl.h"
#include "engine/session_impl.h"
#include "executor/functions.h"
#include "executor/table_access.h"
#include "storage/transaction.h"

namespace heliosdb::engine {
namespace json = boost::json;
using sql::field;
using sql::list_field;
using sql::str_field;

namespace {

constexpr int kStatisticsTarget = 100;                   // default_statistics_target
constexpr size_t kSampleRows = 300 * kStatisticsTarget;  // PostgreSQL's sample for that target
constexpr int32_t kWidthThreshold = 1024;                // wider values are left out of the sort (WIDTH_THRESHOLD)
constexpr double kPageSize = 8192;

// A table's rows counted, and a uniform sample of them in storage order (the stored values).
struct Sample {
  double rows = 0, bytes = 0;
  std::vector<std::string> rows_sampled;
};

Sample read_table(const storage::Transaction& txn, const catalog::TableDef& t, bool sample,
                  const std::function<void()>& check_cancel) {
  Sample s;
  std::vector<std::pair<uint64_t, std::string>> reservoir;
  std::mt19937_64 random(t.id);  // the same rows give the same sample
  std::string begin = exec::table_prefix(t.id);
  uint64_t n = 0;
  for (auto it = txn.scan(begin, keys::prefix_successor(begin)); it->valid(); it->next(), ++n) {
    if ((n & 4095) == 0) check_cancel();
    s.bytes += static_cast<double>(it->key().size() + it->value().size());
    if (!sample) continue;
    if (reservoir.size() < kSampleRows) {
      reservoir.emplace_back(n, std::string(it->value()));
    } else if (uint64_t j = std::uniform_int_distribution<uint64_t>(0, n)(random); j < kSampleRows) {
      reservoir[j] = {n, std::string(it->value())};
    }
  }
  s.rows = static_cast<double>(n);
  std::sort(reservoir.begin(), reservoir.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& r : reservoir) s.rows_sampled.push_back(std::move(r.second));
  return s;
}

// Types with no ordering (nor equality) in PostgreSQL get only a null fraction and a width
// (compute_trivial_stats): json, xml and the geometric types, and arrays of them.
bool orderable(uint32_t type) {
  if (uint32_t e = array::element_type(type)) type = e;
  switch (type) {
    case 114: case 142: case 600: case 601: case 602: case 603: case 604: case 628: case 718: return false;
    default: return true;
  }
}

// The bytes a value takes in a PostgreSQL heap tuple (VARSIZE_ANY): a short varlena has a
// one-byte header; numeric keeps base-10000 digits of two bytes after a two-byte header.
int32_t stored_width(const Value& v) {
  if (v.type() == oid::kNumeric) {
    std::string_view s = v.as_string();
    size_t dot = s.find('.');
    std::string_view whole = s.substr(0, dot), frac = dot == std::string_view::npos ? "" : s.substr(dot + 1);
    while (!whole.empty() && (whole[0] == '-' || whole[0] == '0')) whole.remove_prefix(1);
    while (!frac.empty() && frac.back() == '0') frac.remove_suffix(1);
    int32_t groups = static_cast<int32_t>((whole.size() + 3) / 4 + (frac.size() + 3) / 4);
    return 3 + 2 * groups;
  }
  if (std::holds_alternative<std::string>(v.datum()) && !array::is_array(v.type())) {
    auto n = static_cast<int32_t>(v.as_string().size());
    return n + (n + 1 <= 127 ? 1 : 4);
  }
  std::string enc;
  codec::put_value(enc, v);
  return static_cast<int32_t>(enc.size()) + 4;
}

// analyze_mcv_list: how many of the candidate most common values (counts, descending) are
// significantly more common than the values left out would be.
size_t keep_mcvs(const std::vector<int64_t>& counts, double n_distinct, double null_frac, double sample_rows,
                 double total_rows) {
  size_t n = counts.size();
  if (sample_rows == total_rows || total_rows <= 1.0) return n;
  double nd_table = n_distinct < 0 ? -n_distinct * total_rows : n_distinct;
  double sum = 0;
  for (size_t i = 0; i + 1 < n; ++i) sum += static_cast<double>(counts[i]);
  while (n > 0) {
    double selec = std::clamp(1.0 - sum / sample_rows - null_frac, 0.0, 1.0);
    double other = nd_table - static_cast<double>(n - 1);
    if (other > 1) selec /= other;
    double N = total_rows, m = sample_rows;
    double K = N * static_cast<double>(counts[n - 1]) / m;
    double variance = m * K * (N - K) * (N - m) / (N * N * (N - 1));
    if (static_cast<double>(counts[n - 1]) > selec * m + 2 * std::sqrt(variance) + 0.5) break;
    if (--n == 0) break;
    sum -= static_cast<double>(counts[n - 1]);
  }
  return n;
}

// One column's statistics from its values in the sample (one per sampled row, in storage
// order), as compute_scalar_stats makes them.
catalog::ColumnStatistics column_statistics(const std::vector<Value>& sample, uint32_t type, int32_t typmod,
                                            double total_rows) {
  catalog::ColumnStatistics st;
  st.type = type;
  st.typmod = typmod;
  const types::TypeInfo* ti = types::find(type);
  bool varwidth = !ti || ti->length < 0;
  auto sample_rows = static_cast<double>(sample.size());
  int64_t null_cnt = 0, nonnull_cnt = 0, toowide_cnt = 0;
  double total_width = 0;
  std::vector<std::pair<const Value*, size_t>> values;  // value, its position among the sorted ones' rows
  for (const Value& v : sample) {
    if (v.is_null()) {
      ++null_cnt;
      continue;
    }
    ++nonnull_cnt;
    if (varwidth) {
      int32_t w = stored_width(v);
      total_width += w;
      if (w > kWidthThreshold) {
        ++toowide_cnt;
        continue;
      }
    }
    values.emplace_back(&v, values.size());
  }
  if (nonnull_cnt == 0) {  // only NULLs: the column is taken to be all NULL
    st.null_frac = 1;
    st.avg_width = varwidth ? 0 : ti->length;
    return st;
  }
  st.null_frac = static_cast<float>(static_cast<double>(null_cnt) / sample_rows);
  st.avg_width = varwidth ? static_cast<int32_t>(total_width / static_cast<double>(nonnull_cnt)) : ti->length;
  if (!orderable(type) || values.empty()) return st;  // n_distinct 0: unknown

  std::stable_sort(values.begin(), values.end(),
                   [](const auto& a, const auto& b) { return exec::compare_values(*a.first, *b.first) < 0; });
  // Runs of equal values: how many there are, how many repeat, the most common (by count, then
  // value), and the sum behind the correlation of sorted position with storage position.
  struct Run {
    size_t first;
    int64_t count;
  };
  std::vector<Run> track;
  int64_t ndistinct = 0, nmultiple = 0;
  double corr_xysum = 0;
  const size_t values_cnt = values.size();
  for (size_t i = 0, start = 0; i < values_cnt; ++i) {
    corr_xysum += static_cast<double>(i) * static_cast<double>(values[i].second);
    if (i + 1 < values_cnt && exec::compare_values(*values[i].first, *values[i + 1].first) == 0) continue;
    auto dups = static_cast<int64_t>(i + 1 - start);
    ++ndistinct;
    if (dups > 1) {
      ++nmultiple;
      if (track.size() < static_cast<size_t>(kStatisticsTarget) || dups > track.back().count) {
        if (track.size() < static_cast<size_t>(kStatisticsTarget)) track.push_back({});
        size_t j = track.size() - 1;
        for (; j > 0 && dups > track[j - 1].count; --j) track[j] = track[j - 1];
        track[j] = {start, dups};
      }
    }
    start = i + 1;
  }

  double null_frac = st.null_frac;
  double stadistinct;
  if (nmultiple == 0) {
    stadistinct = -1.0 * (1.0 - null_frac);  // no value repeats: take it as unique
  } else if (toowide_cnt == 0 && nmultiple == ndistinct) {
    stadistinct = static_cast<double>(ndistinct);  // every value repeats: these are all there are
  } else {
    // Haas and Stokes' Duj1 estimator: n*d / (n - f1 + f1*n/N).
    auto f1 = static_cast<double>(ndistinct - nmultiple + toowide_cnt);
    double d = f1 + static_cast<double>(nmultiple);
    double n = sample_rows - static_cast<double>(null_cnt);
    double N = total_rows * (1.0 - null_frac);
    stadistinct = N > 0 ? (n * d) / ((n - f1) + f1 * n / N) : 0;
    stadistinct = std::floor(std::clamp(stadistinct, d, std::max(d, N)) + 0.5);
  }
  // Over a tenth of the rows: taken to grow with the table.
  if (stadistinct > 0.1 * total_rows) stadistinct = -(stadistinct / total_rows);
  st.n_distinct = static_cast<float>(stadistinct);

  // Most common values: all of them when they are all the values there are and fit, else those
  // significantly more common than the rest.
  size_t num_mcv = static_cast<size_t>(kStatisticsTarget);
  if (track.size() == static_cast<size_t>(ndistinct) && toowide_cnt == 0 && stadistinct > 0 && track.size() <= num_mcv) {
    num_mcv = track.size();
  } else {
    num_mcv = std::min(num_mcv, track.size());
    std::vector<int64_t> counts;
    for (size_t i = 0; i < num_mcv; ++i) counts.push_back(track[i].count);
    num_mcv = keep_mcvs(counts, stadistinct, null_frac, sample_rows, total_rows);
  }
  for (size_t i = 0; i < num_mcv; ++i) {
    st.most_common_vals.push_back(*values[track[i].first].first);
    st.most_common_freqs.push_back(static_cast<float>(static_cast<double>(track[i].count) / sample_rows));
  }

  // Histogram: the values not among the most common, in kStatisticsTarget buckets of equal
  // population, when at least two distinct ones are left.
  int64_t num_hist = ndistinct - static_cast<int64_t>(num_mcv);
  if (num_hist > kStatisticsTarget) num_hist = kStatisticsTarget + 1;
  if (num_hist >= 2) {
    std::vector<bool> in_mcv(values_cnt, false);
    for (size_t i = 0; i < num_mcv; ++i)
      for (size_t k = 0; k < static_cast<size_t>(track[i].count); ++k) in_mcv[track[i].first + k] = true;
    std::vector<const Value*> rest;
    for (size_t i = 0; i < values_cnt; ++i)
      if (!in_mcv[i]) rest.push_back(values[i].first);
    auto nvals = static_cast<int64_t>(rest.size());
    int64_t delta = (nvals - 1) / (num_hist - 1), deltafrac = (nvals - 1) % (num_hist - 1);
    int64_t pos = 0, posfrac = 0;
    for (int64_t i = 0; i < num_hist; ++i) {
      st.histogram_bounds.push_back(*rest[static_cast<size_t>(pos)]);
      pos += delta;
      posfrac += deltafrac;
      if (posfrac >= num_hist - 1) {
        ++pos;
        posfrac -= num_hist - 1;
      }
    }
  }

  if (values_cnt > 1) {
    auto cnt = static_cast<double>(values_cnt);
    double xsum = (cnt - 1) * cnt / 2.0, x2sum = (cnt - 1) * cnt * (2 * cnt - 1) / 6.0;
    st.correlation = static_cast<float>((cnt * corr_xysum - xsum * xsum) / (cnt * x2sum - xsum * xsum));
  }
  return st;
}

}  // namespace

catalog::TableStatistics SessionImpl::collect_statistics(const catalog::TableDef& t, const std::vector<uint32_t>& column_ids,
                                                         bool columns_too) {
  auto previous = current_catalog().statistics(t.id);
  catalog::TableStatistics st = previous ? *previous : catalog::TableStatistics{};
  Sample sample = read_table(*txn_, t, columns_too, [this] {
    if (cancel_.load()) raise(sqlstate::kQueryCanceled, "canceling statement due to user request");
  });
  st.reltuples = sample.rows;
  st.relpages = static_cast<int64_t>(std::ceil(sample.bytes / kPageSize));
  if (!columns_too) return st;
  exec::TableLayout layout(current_catalog().table(t.id));
  std::vector<Row> rows(sample.rows_sampled.size());
  for (size_t i = 0; i < rows.size(); ++i) layout.decode(sample.rows_sampled[i], rows[i]);
  for (size_t c = 0; c < t.columns.size(); ++c) {
    const auto& col = t.columns[c];
    if (!column_ids.empty() && std::ranges::find(column_ids, col.id) == column_ids.end()) continue;
    st.columns.erase(col.id);
    if (rows.empty()) continue;  // an empty table has no column statistics
    std::vector<Value> values;
    values.reserve(rows.size());
    for (auto& r : rows) values.push_back(std::move(r[c]));
    st.columns[col.id] = column_statistics(values, col.type, col.typmod, sample.rows);
  }
  return st;
}

// The tables a VACUUM / ANALYZE statement names (every table of the database without a list),
// with the columns named for each (none: all). A table the user may not analyze is skipped with
// PostgreSQL's warning; a view or sequence named is too.
std::vector<SessionImpl::AnalyzeTarget> SessionImpl::analyze_targets(const json::object& n, bool vacuum, ResultSink& sink) {
  const catalog::Catalog& cat = current_catalog();
  const char* verb = vacuum ? "vacuum" : "analyze";
  std::vector<AnalyzeTarget> out;
  uint32_t me = current_role_oid();
  auto allowed = [&](const catalog::TableDef& t) {
    return roles().has_privileges_of(me, t.access.owner) || roles().has_privileges_of(me, roles().database_owner(db_->name()));
  };
  auto warn = [&](std::string message) {
    Error w(sqlstate::kWarning, std::move(message));
    w.with_severity("WARNING");
    sink.notice(w);
  };
  const auto& rels = list_field(n, "rels");
  if (rels.empty()) {
    for (const auto& [id, t] : cat.tables()) {
      if (t->is_view() || t->is_partitioned()) continue;
      if (t->persistence() == 't' && t->schema != catalog::temp_schema()) continue;  // other sessions' temporary tables
      if (!allowed(*t)) {
        warn(fmt::format("skipping \"{}\" --- only table or database owner can {} it", t->name, verb));
        continue;
      }
      out.push_back({t, {}});
    }
    return out;
  }
  for (const auto& r : rels) {
    const auto* rel = field(sql::node_body(r), "relation");
    if (!rel) continue;
    const auto& rv = rel->as_object();
    std::string schema(str_field(rv, "schemaname")), name(str_field(rv, "relname"));
    auto t = cat.table(schema, name);
    if (!t) {
      if (cat.sequence(schema, name) || cat.index(schema, name)) {
        warn(fmt::format("skipping \"{}\" --- cannot {} non-tables or special system tables", name, verb));
        continue;
      }
      raise(sqlstate::kUndefinedTable, "relation \"{}\" does not exist", schema.empty() ? name : schema + "." + name);
    }
    AnalyzeTarget target{t, {}};
    for (const auto& col : list_field(sql::node_body(r), "va_cols")) {
      std::string cname(sql::string_node(col));
      int i = t->column_index(cname);
      if (i < 0) raise(sqlstate::kUndefinedColumn, "column \"{}\" of relation \"{}\" does not exist", cname, t->name);
      uint32_t id = t->columns[static_cast<size_t>(i)].id;
      if (std::ranges::find(target.columns, id) != target.columns.end())
        raise(sqlstate::kDuplicateColumn, "column \"{}\" of relation \"{}\" appears more than once", cname, t->name);
      target.columns.push_back(id);
    }
    if (!allowed(*t)) {
      warn(fmt::format("skipping \"{}\" --- only table or database owner can {} it", t->name, verb));
      continue;
    }
    if (t->is_view()) {
      warn(fmt::format("skipping \"{}\" --- cannot {} non-tables or special system tables", t->name, verb));
      continue;
    }
    out.push_back(std::move(target));
  }
  return out;
}

// ANALYZE [VERBOSE] [table [(column, ...)], ...]: inside the statement's transaction, so it
// may run in a transaction block (and goes with its rollback, as pg_statistic does).
void SessionImpl::run_analyze(const json::object& n, ResultSink& sink) {
  auto targets = analyze_targets(n, false, sink);
  for (const auto& target : targets) {
    if (target.table->is_partitioned()) continue;  // its rows are its partitions'
    catalog::TableStatistics st = collect_statistics(*target.table, target.columns, true);
    st.last_analyze = now_micros();
    ++st.analyze_count;
    writable_catalog().put_statistics(*txn_, target.table->id, std::move(st));
    db_->table_activity().reset(target.table->id);
  }
  sink.complete("ANALYZE", 0);
}

// VACUUM's statistics, after it compacted the tables: the row counts and sizes PostgreSQL's
// VACUUM records (and with ANALYZE the column statistics too), in a transaction of their own.
void SessionImpl::vacuum_statistics(const std::vector<AnalyzeTarget>& targets, bool analyze) {
  begin_implicit();
  try {
    for (const auto& target : targets) {
      if (target.table->is_partitioned() || target.table->is_view()) continue;
      auto t = current_catalog().table(target.table->id);
      if (!t) continue;
      catalog::TableStatistics st = collect_statistics(*t, target.columns, analyze);
      st.last_vacuum = now_micros();
      ++st.vacuum_count;
      if (analyze) {
        st.last_analyze = st.last_vacuum;
        ++st.analyze_count;
      }
      writable_catalog().put_statistics(*txn_, t->id, std::move(st));
      db_->table_activity().reset(t->id);
    }
    commit_transaction();
  } catch (...) {
    rollback_transaction();
    throw;
  }
}

}  // namespace heliosdb::engine
