// Embedded benchmark: HeliosDB Nano against SQLite (file-backed, WAL, synchronous NORMAL and
// FULL) on the same work, in one run. Prints Google Benchmark's table, then medians and the
// ratio HeliosDB/SQLite per case. Pin to one core for stable figures: taskset -c 1 heliosdb_bench
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <string>

#include "heliosdb/heliosdb.h"

namespace fs = std::filesystem;

namespace {

constexpr int kBulkRows = 10000;
constexpr int kPointReads = 100000;
constexpr int kAutocommitRows = 10000;
constexpr int kScanRows = 1000000;

fs::path scratch(const std::string& name) {
  fs::path p = fs::temp_directory_path() / ("heliosdb-bench-" + name);
  fs::remove_all(p);
  return p;
}

// --- HeliosDB ------------------------------------------------------------------------------
struct Helios {
  std::optional<heliosdb::Database> db;
  std::optional<heliosdb::Session> s;
  explicit Helios(const std::string& name) {
    db = heliosdb::Database::open(scratch(name).string());
    s = db->session();
    s->execute("CREATE TABLE kv (id int PRIMARY KEY, k int, v text)");
  }
  void fill(int n) {
    s->execute("BEGIN");
    auto ins = s->prepare("INSERT INTO kv VALUES ($1, $2, $3)");
    for (int i = 0; i < n; ++i) s->execute(ins, {i, i % 1000, "value-" + std::to_string(i)});
    s->execute("COMMIT");
  }
};

// --- SQLite --------------------------------------------------------------------------------
struct Lite {
  sqlite3* db = nullptr;
  Lite(const std::string& name, bool full) {
    auto dir = scratch(name);
    fs::create_directories(dir);
    sqlite3_open((dir / "db.sqlite").c_str(), &db);
    exec("PRAGMA journal_mode=WAL");
    exec(full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    exec("CREATE TABLE kv (id INTEGER PRIMARY KEY, k INTEGER, v TEXT)");
  }
  ~Lite() { sqlite3_close(db); }
  void exec(const char* sql) { sqlite3_exec(db, sql, nullptr, nullptr, nullptr); }
  sqlite3_stmt* prepare(const char* sql) {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, sql, -1, &st, nullptr);
    return st;
  }
  void insert(sqlite3_stmt* st, int i) {
    sqlite3_bind_int(st, 1, i);
    sqlite3_bind_int(st, 2, i % 1000);
    std::string v = "value-" + std::to_string(i);
    sqlite3_bind_text(st, 3, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    sqlite3_step(st);
    sqlite3_reset(st);
  }
  void fill(int n) {
    exec("BEGIN");
    auto* st = prepare("INSERT INTO kv VALUES (?, ?, ?)");
    for (int i = 0; i < n; ++i) insert(st, i);
    sqlite3_finalize(st);
    exec("COMMIT");
  }
};

// Engines: 0 = HeliosDB, 1 = SQLite NORMAL, 2 = SQLite FULL.
const char* kEngine[] = {"heliosdb", "sqlite_normal", "sqlite_full"};

void BM_BulkInsert(benchmark::State& state) {
  int e = static_cast<int>(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    std::optional<Helios> h;
    std::optional<Lite> l;
    if (e == 0) h.emplace("bulk");
    else l.emplace("bulk", e == 2);
    state.ResumeTiming();
    if (h) h->fill(kBulkRows);
    else l->fill(kBulkRows);
  }
  state.SetItemsProcessed(state.iterations() * kBulkRows);
}

void BM_PointSelect(benchmark::State& state) {
  int e = static_cast<int>(state.range(0));
  std::optional<Helios> h;
  std::optional<Lite> l;
  if (e == 0) {
    h.emplace("point");
    h->fill(kBulkRows);
  } else {
    l.emplace("point", e == 2);
    l->fill(kBulkRows);
  }
  std::mt19937 rng(42);
  for (auto _ : state) {
    if (h) {
      auto q = h->s->prepare("SELECT v FROM kv WHERE id = $1");
      for (int i = 0; i < kPointReads; ++i) {
        auto r = h->s->execute(q, {static_cast<int>(rng() % kBulkRows)});
        benchmark::DoNotOptimize(r.rows().size());
      }
    } else {
      auto* st = l->prepare("SELECT v FROM kv WHERE id = ?");
      for (int i = 0; i < kPointReads; ++i) {
        sqlite3_bind_int(st, 1, static_cast<int>(rng() % kBulkRows));
        while (sqlite3_step(st) == SQLITE_ROW) benchmark::DoNotOptimize(sqlite3_column_text(st, 0));
        sqlite3_reset(st);
      }
      sqlite3_finalize(st);
    }
  }
  state.SetItemsProcessed(state.iterations() * kPointReads);
}

void BM_AutocommitInsert(benchmark::State& state) {
  int e = static_cast<int>(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    std::optional<Helios> h;
    std::optional<Lite> l;
    if (e == 0) h.emplace("autocommit");
    else l.emplace("autocommit", e == 2);
    state.ResumeTiming();
    if (h) {
      auto ins = h->s->prepare("INSERT INTO kv VALUES ($1, $2, $3)");
      for (int i = 0; i < kAutocommitRows; ++i) h->s->execute(ins, {i, i % 1000, "value-" + std::to_string(i)});
    } else {
      auto* st = l->prepare("INSERT INTO kv VALUES (?, ?, ?)");
      for (int i = 0; i < kAutocommitRows; ++i) l->insert(st, i);
      sqlite3_finalize(st);
    }
  }
  state.SetItemsProcessed(state.iterations() * kAutocommitRows);
}

void BM_IndexLookup(benchmark::State& state) {
  int e = static_cast<int>(state.range(0));
  std::optional<Helios> h;
  std::optional<Lite> l;
  if (e == 0) {
    h.emplace("index");
    h->fill(kBulkRows);
    h->s->execute("CREATE INDEX kv_k ON kv (k)");
  } else {
    l.emplace("index", e == 2);
    l->fill(kBulkRows);
    l->exec("CREATE INDEX kv_k ON kv (k)");
  }
  std::mt19937 rng(7);
  constexpr int kLookups = 10000;
  for (auto _ : state) {
    if (h) {
      auto q = h->s->prepare("SELECT id, v FROM kv WHERE k = $1");
      for (int i = 0; i < kLookups; ++i) benchmark::DoNotOptimize(h->s->execute(q, {static_cast<int>(rng() % 1000)}).rows().size());
    } else {
      auto* st = l->prepare("SELECT id, v FROM kv WHERE k = ?");
      for (int i = 0; i < kLookups; ++i) {
        sqlite3_bind_int(st, 1, static_cast<int>(rng() % 1000));
        while (sqlite3_step(st) == SQLITE_ROW) benchmark::DoNotOptimize(sqlite3_column_int(st, 0));
        sqlite3_reset(st);
      }
      sqlite3_finalize(st);
    }
  }
  state.SetItemsProcessed(state.iterations() * kLookups);
}

void BM_ScanAggregate(benchmark::State& state) {
  int e = static_cast<int>(state.range(0));
  std::optional<Helios> h;
  std::optional<Lite> l;
  if (e == 0) {
    h.emplace("scan");
    h->fill(kScanRows);
  } else {
    l.emplace("scan", e == 2);
    l->fill(kScanRows);
  }
  for (auto _ : state) {
    if (h) {
      auto r = h->s->execute("SELECT count(*), sum(k), max(v) FROM kv");
      benchmark::DoNotOptimize(r.rows().size());
    } else {
      auto* st = l->prepare("SELECT count(*), sum(k), max(v) FROM kv");
      while (sqlite3_step(st) == SQLITE_ROW) benchmark::DoNotOptimize(sqlite3_column_int64(st, 0));
      sqlite3_finalize(st);
    }
  }
  state.SetItemsProcessed(state.iterations() * kScanRows);
}

// --- Queries over a shop: SQLite comparison cases of the SQL-breadth issue -------------------
// customers (10,000; region = id % 50), products (1,000; category = id % 20), orders (100,000,
// random customer, product, status 0..4 and amount), and big (1,000,000 rows: k = id % 1000 and
// x a permutation of 0..999,999), with indexes on the join and filter columns. Loaded once per
// engine; every query's answer is reduced to (rows, checksum) and compared across engines.
constexpr int kCustomers = 10000, kProducts = 1000, kOrders = 100000, kBig = 1000000;
const char* kShopSchema[] = {
    "CREATE TABLE customers (id int PRIMARY KEY, region int NOT NULL, name text NOT NULL)",
    "CREATE TABLE products (id int PRIMARY KEY, category int NOT NULL, price int NOT NULL)",
    "CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL, product_id int NOT NULL, status int NOT NULL, "
    "amount int NOT NULL)",
    "CREATE TABLE big (id int PRIMARY KEY, k int NOT NULL, x int NOT NULL)",
};
const char* kShopIndexes[] = {
    "CREATE INDEX customers_region ON customers (region)", "CREATE INDEX products_category ON products (category)",
    "CREATE INDEX orders_customer ON orders (customer_id)", "CREATE INDEX orders_product ON orders (product_id)",
    "CREATE INDEX big_x ON big (x)",
};

// The rows of each table, the same for every engine.
template <class Insert>
void shop_rows(Insert&& insert) {
  std::mt19937 rng(2024);
  for (int i = 0; i < kCustomers; ++i) insert(0, {i, i % 50, i * 7});
  for (int i = 0; i < kProducts; ++i) insert(1, {i, i % 20, (i * 37) % 100 + 1});
  for (int i = 0; i < kOrders; ++i)
    insert(2, {i, static_cast<int>(rng() % kCustomers), static_cast<int>(rng() % kProducts), static_cast<int>(rng() % 5),
               static_cast<int>(rng() % 1000)});
  for (int i = 0; i < kBig; ++i) insert(3, {i, i % 1000, static_cast<int>((int64_t{i} * 7919 + 13) % kBig)});
}

// A query answer as (rows, checksum): order-independent unless the case sorts.
struct Answer {
  int64_t rows = 0;
  int64_t sum = 0;
  void add(const std::vector<int64_t>& row) {
    ++rows;
    int64_t h = 0;
    for (size_t i = 0; i < row.size(); ++i) h = h * 31 + row[i];
    sum += h;
  }
  bool operator==(const Answer&) const = default;
};
std::map<std::string, std::map<int, Answer>> g_answers;

// A case: its SQL (with $n parameters; SQLite reads them as ?n) and how many times it runs, with
// the parameters of run i.
struct QueryCase {
  const char* sql;
  int runs;
  std::vector<int> (*params)(int i);
};
const std::map<std::string, QueryCase> kQueries = {
    {"BM_JoinFilter",
     {"SELECT count(*), sum(o.amount) FROM customers c JOIN orders o ON o.customer_id = c.id "
      "JOIN products p ON p.id = o.product_id WHERE c.region = $1 AND o.status = $2 AND p.category < $3",
      500, [](int i) { return std::vector<int>{i % 50, i % 5, 5}; }}},
    {"BM_GroupBy", {"SELECT k, count(*), sum(x) FROM big GROUP BY k", 1, [](int) { return std::vector<int>{}; }}},
    {"BM_OrderByLimit",
     {"SELECT id, x FROM big WHERE x > $1 ORDER BY x LIMIT 10", 1000,
      [](int i) { return std::vector<int>{static_cast<int>((int64_t{i} * 104729) % kBig)}; }}},
    {"BM_CorrelatedSubquery",
     {"SELECT c.id, (SELECT max(o.amount) FROM orders o WHERE o.customer_id = c.id) FROM customers c", 1,
      [](int) { return std::vector<int>{}; }}},
    {"BM_Window",
     {"SELECT id, row_number() OVER w, sum(x) OVER w FROM big WHERE id < 200000 "
      "WINDOW w AS (PARTITION BY k ORDER BY id)",
      1, [](int) { return std::vector<int>{}; }}},
};

Helios& helios_shop() {
  static std::optional<Helios> h;
  if (!h) {
    h.emplace("shop");
    for (const char* ddl : kShopSchema) h->s->execute(ddl);
    h->s->execute("BEGIN");
    std::vector<heliosdb::PreparedStatement> ins;
    for (const char* t : {"customers", "products", "orders", "big"})
      ins.push_back(h->s->prepare(std::string("INSERT INTO ") + t + (t == std::string("orders") ? " VALUES ($1, $2, $3, $4, $5)" : " VALUES ($1, $2, $3)")));
    shop_rows([&](int table, std::vector<int> v) {
      heliosdb::Params params(v.begin(), v.end());
      h->s->execute(ins[static_cast<size_t>(table)], params);
    });
    h->s->execute("COMMIT");
    for (const char* ddl : kShopIndexes) h->s->execute(ddl);
    h->s->execute("VACUUM");  // as PostgreSQL after a load (SQLite gets ANALYZE)
  }
  return *h;
}

Lite& lite_shop() {
  static std::optional<Lite> l;
  if (!l) {
    l.emplace("shop-sqlite", false);
    for (const char* ddl : kShopSchema) l->exec(ddl);
    l->exec("BEGIN");
    std::vector<sqlite3_stmt*> ins;
    for (const char* sql : {"INSERT INTO customers VALUES (?, ?, ?)", "INSERT INTO products VALUES (?, ?, ?)",
                            "INSERT INTO orders VALUES (?, ?, ?, ?, ?)", "INSERT INTO big VALUES (?, ?, ?)"})
      ins.push_back(l->prepare(sql));
    shop_rows([&](int table, std::vector<int> v) {
      sqlite3_stmt* st = ins[static_cast<size_t>(table)];
      for (size_t i = 0; i < v.size(); ++i) sqlite3_bind_int(st, static_cast<int>(i + 1), v[i]);
      sqlite3_step(st);
      sqlite3_reset(st);
    });
    for (auto* st : ins) sqlite3_finalize(st);
    l->exec("COMMIT");
    for (const char* ddl : kShopIndexes) l->exec(ddl);
    l->exec("ANALYZE");
  }
  return *l;
}

std::string sqlite_sql(std::string sql) {  // $n -> ?n
  for (size_t at = sql.find('$'); at != std::string::npos; at = sql.find('$', at)) sql[at] = '?';
  return sql;
}

void BM_Query(benchmark::State& state, const std::string& name) {
  int e = static_cast<int>(state.range(0));
  const QueryCase& q = kQueries.at(name);
  Answer answer;
  if (e == 0) {
    Helios& h = helios_shop();
    for (auto _ : state) {
      answer = {};
      auto st = h.s->prepare(q.sql);
      for (int i = 0; i < q.runs; ++i) {
        auto p = q.params(i);
        auto r = h.s->execute(st, heliosdb::Params(p.begin(), p.end()));
        for (const auto& row : r.rows()) {
          std::vector<int64_t> v;
          for (const auto& x : row) v.push_back(x.is_null() ? 0 : x.as_int());
          answer.add(v);
        }
      }
    }
  } else {
    Lite& l = lite_shop();
    for (auto _ : state) {
      answer = {};
      sqlite3_stmt* st = l.prepare(sqlite_sql(q.sql).c_str());
      if (!st) {
        state.SkipWithError(sqlite3_errmsg(l.db));
        return;
      }
      int n = sqlite3_column_count(st);
      for (int i = 0; i < q.runs; ++i) {
        auto p = q.params(i);
        for (size_t j = 0; j < p.size(); ++j) sqlite3_bind_int(st, static_cast<int>(j + 1), p[j]);
        while (sqlite3_step(st) == SQLITE_ROW) {
          std::vector<int64_t> v;
          for (int c = 0; c < n; ++c) v.push_back(sqlite3_column_int64(st, c));
          answer.add(v);
        }
        sqlite3_reset(st);
      }
      sqlite3_finalize(st);
    }
  }
  g_answers[name][e] = answer;
}

#define ENGINES ArgName("engine")->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)
BENCHMARK(BM_BulkInsert)->ENGINES->Iterations(1)->Repetitions(3);
BENCHMARK(BM_PointSelect)->ENGINES->Iterations(1)->Repetitions(3);
BENCHMARK(BM_AutocommitInsert)->ENGINES->Iterations(1)->Repetitions(3);
BENCHMARK(BM_IndexLookup)->ENGINES->Iterations(1)->Repetitions(3);
BENCHMARK(BM_ScanAggregate)->ENGINES->Iterations(1)->Repetitions(3);
// Read-only: SQLite's synchronous setting does not matter, so only NORMAL runs.
#define QUERY(name) \
  BENCHMARK_CAPTURE(BM_Query, name, std::string(#name))->ArgName("engine")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond) \
      ->Iterations(1)->Repetitions(3)
QUERY(BM_JoinFilter);
QUERY(BM_GroupBy);
QUERY(BM_OrderByLimit);
QUERY(BM_CorrelatedSubquery);
QUERY(BM_Window);

// Collects per-run times to print medians and ratios at the end.
std::string fmt(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.2f", v);
  return b;
}

class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& r : runs) {
      if (r.run_type != Run::RT_Iteration) continue;
      std::string name = r.benchmark_name();
      auto slash = name.find('/');
      std::string base = name.substr(0, slash);
      if (base == "BM_Query") {  // BM_Query/BM_X/engine:N
        auto second = name.find('/', slash + 1);
        base = name.substr(slash + 1, second - slash - 1);
      }
      auto at = name.find("engine:");
      if (at == std::string::npos) continue;
      int engine = name[at + 7] - '0';
      times_[base][engine].push_back(r.GetAdjustedRealTime());
    }
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    std::printf("\n%-22s %14s %14s %14s %12s %12s\n", "case (median ms)", "heliosdb", "sqlite_normal", "sqlite_full",
                "ratio/normal", "ratio/full");
    for (auto& [name, by_engine] : times_) {
      double m[3] = {0, 0, 0};
      for (int e = 0; e < 3; ++e) {
        auto v = by_engine[e];
        if (v.empty()) continue;
        std::sort(v.begin(), v.end());
        m[e] = v[v.size() / 2];
      }
      auto cell = [](double v) { return v > 0 ? fmt(v) : std::string("-"); };
      std::printf("%-22s %14.2f %14.2f %14s %12.2f %12s\n", name.c_str(), m[0], m[1], cell(m[2]).c_str(),
                  m[1] > 0 ? m[0] / m[1] : 0.0, cell(m[2] > 0 ? m[0] / m[2] : 0.0).c_str());
    }
    for (const auto& [name, by_engine] : g_answers) {
      for (const auto& [engine, a] : by_engine) {
        const Answer& ref = by_engine.begin()->second;
        if (a == ref) continue;
        std::printf("ERROR %s: %s answered %lld rows (checksum %lld), %s %lld rows (checksum %lld)\n", name.c_str(),
                    kEngine[by_engine.begin()->first], static_cast<long long>(ref.rows), static_cast<long long>(ref.sum),
                    kEngine[engine], static_cast<long long>(a.rows), static_cast<long long>(a.sum));
        failed = true;
      }
    }
  }
  bool failed = false;

 private:
  std::map<std::string, std::map<int, std::vector<double>>> times_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return reporter.failed ? 1 : 0;
}
