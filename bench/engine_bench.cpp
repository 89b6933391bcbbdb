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

#define ENGINES ArgName("engine")->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)
BENCHMARK(BM_BulkInsert)->ENGINES->Iterations(1)->Repetitions(3);
BENCHMARK(BM_PointSelect)->ENGINES->Iterations(1)->Repetitions(3);
BENCHMARK(BM_AutocommitInsert)->ENGINES->Iterations(1)->Repetitions(3);
BENCHMARK(BM_IndexLookup)->ENGINES->Iterations(1)->Repetitions(3);
BENCHMARK(BM_ScanAggregate)->ENGINES->Iterations(1)->Repetitions(3);

// Collects per-run times to print medians and ratios at the end.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& r : runs) {
      if (r.run_type != Run::RT_Iteration) continue;
      std::string name = r.benchmark_name();
      auto slash = name.find('/');
      std::string base = name.substr(0, slash);
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
      std::printf("%-22s %14.2f %14.2f %14.2f %12.2f %12.2f\n", name.c_str(), m[0], m[1], m[2],
                  m[1] > 0 ? m[0] / m[1] : 0.0, m[2] > 0 ? m[0] / m[2] : 0.0);
    }
  }

 private:
  std::map<std::string, std::map<int, std::vector<double>>> times_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
