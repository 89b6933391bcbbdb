// Transactions over LevelDB: own writes visible, snapshots isolate, commit is atomic, and
// write-write conflicts fail with 40001.
#include <catch2/catch.hpp>

#include <filesystem>

#include <fmt/format.h>

#include "heliosdb/error.h"
#include "storage/row_codec.h"
#include "storage/store.h"
#include "storage/transaction.h"

using namespace heliosdb;

static std::unique_ptr<storage::Store> mem() { return storage::Store::open("", Options{}, true); }

TEST_CASE("a transaction reads its own writes over its snapshot") {
  auto store = mem();
  storage::Transaction t1(*store);
  t1.put("k1", "v1");
  t1.put("k3", "v3");
  t1.commit(false);

  storage::Transaction t2(*store);
  t2.put("k2", "v2");
  t2.del("k3");
  REQUIRE(t2.get("k1") == "v1");
  REQUIRE(t2.get("k2") == "v2");
  REQUIRE_FALSE(t2.get("k3"));
  std::vector<std::string> seen;
  for (auto it = t2.scan("k", "l"); it->valid(); it->next()) seen.emplace_back(it->key());
  REQUIRE(seen == std::vector<std::string>{"k1", "k2"});

  storage::Transaction t3(*store);  // t2 has not committed
  REQUIRE_FALSE(t3.get("k2"));
  REQUIRE(t3.get("k3") == "v3");
  t3.rollback();
  t2.commit(false);
  storage::Transaction t4(*store);
  REQUIRE(t4.get("k2") == "v2");
  REQUIRE_FALSE(t4.get("k3"));
}

TEST_CASE("the second of two conflicting writers fails with 40001") {
  auto store = mem();
  storage::Transaction a(*store), b(*store);
  a.put("row", "a");
  b.put("row", "b");
  a.commit(false);
  try {
    b.commit(false);
    FAIL("expected a serialization failure");
  } catch (const Error& e) {
    REQUIRE(e.sqlstate() == "40001");
  }
  storage::Transaction c(*store);
  REQUIRE(c.get("row") == "a");
}

TEST_CASE("savepoint marks restore the write set") {
  auto store = mem();
  storage::Transaction t(*store);
  t.put("a", "1");
  auto m = t.mark();
  t.put("b", "2");
  t.del("a");
  t.rollback_to(m);
  REQUIRE(t.get("a") == "1");
  REQUIRE_FALSE(t.get("b"));
}

TEST_CASE("committed data survives closing and reopening the store") {
  auto dir = std::filesystem::temp_directory_path() / "heliosdb-storage-test";
  std::filesystem::remove_all(dir);
  {
    auto store = storage::Store::open(dir.string(), Options{}, false);
    storage::Transaction t(*store);
    t.put("durable", "yes");
    t.commit(true);
    storage::Transaction u(*store);
    u.put("lost", "yes");
    u.rollback();
  }
  {
    auto store = storage::Store::open(dir.string(), Options{}, false);
    storage::Transaction t(*store);
    REQUIRE(t.get("durable") == "yes");
    REQUIRE_FALSE(t.get("lost"));
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("a locked database directory is reported as 55006") {
  auto dir = std::filesystem::temp_directory_path() / "heliosdb-lock-test";
  std::filesystem::remove_all(dir);
  auto first = storage::Store::open(dir.string(), Options{}, false);
  try {
    storage::Store::open(dir.string(), Options{}, false);
    FAIL("expected the second open to fail");
  } catch (const Error& e) {
    REQUIRE(e.sqlstate() == "55006");
  }
  first.reset();
  std::filesystem::remove_all(dir);
}

TEST_CASE("rows round-trip through the row codec, and missing columns read as their default") {
  std::vector<uint32_t> ids = {1, 2, 3, 4, 5};
  std::vector<Value> values = {Value::int4(-7), Value::text(std::string("x\0y", 3)), Value::null(oid::kText),
                               Value::float8(2.5), Value::of(oid::kInterval, Interval{1, -2, 3000000})};
  std::string enc;
  storage::encode_row(enc, ids, values);
  std::vector<uint32_t> types = {oid::kInt4, oid::kText, oid::kText, oid::kFloat8, oid::kInterval, oid::kInt4};
  std::vector<uint32_t> ids2 = {1, 2, 3, 4, 5, 6};
  std::vector<Value> missing(6, Value::null(oid::kInt4));
  missing[5] = Value::int4(42);
  std::vector<Value> out;
  storage::decode_row(enc, ids2, types, missing, out);
  REQUIRE(out[0] == values[0]);
  REQUIRE(out[1] == values[1]);
  REQUIRE(out[2].is_null());
  REQUIRE(out[3] == values[3]);
  REQUIRE(out[4] == values[4]);
  REQUIRE(out[5] == Value::int4(42));
  REQUIRE_THROWS_AS(storage::decode_row(enc.substr(0, enc.size() - 3), ids2, types, missing, out), Error);
}

// Transaction::append (COPY FROM's rows): appended rows read, scan, change, roll back and commit
// like any other write, and a write among them moves them into the ordered write set.
TEST_CASE("appended rows behave as written rows") {
  auto store = mem();
  {
    storage::Transaction setup(*store);
    setup.put("a5", "old");
    setup.commit(false);
  }
  storage::Transaction t(*store);
  t.put("a3", "put");
  REQUIRE(t.append("a1", "v1"));
  REQUIRE(t.append("a2", "v2"));
  REQUIRE_FALSE(t.append("a2", "again"));  // not above the last one
  REQUIRE_FALSE(t.append("a3", "x"));      // written already
  REQUIRE(t.append("a4", "v4"));
  REQUIRE(t.append("a6", "v6"));
  REQUIRE(t.has_writes());

  storage::Transaction other(*store);  // nothing of t's is visible before it commits
  REQUIRE_FALSE(other.get("a1"));
  other.rollback();

  auto keys = [&] {
    std::vector<std::string> seen;
    for (auto it = t.scan("a", "b"); it->valid(); it->next()) seen.emplace_back(std::string(it->key()) + "=" + std::string(it->value()));
    return seen;
  };
  REQUIRE(t.get_latest("a7") == std::nullopt);  // above the appended rows: they stay as they are
  REQUIRE(keys() == std::vector<std::string>{"a1=v1", "a2=v2", "a3=put", "a4=v4", "a5=old", "a6=v6"});
  REQUIRE(t.get("a4") == "v4");

  // A savepoint keeps what was appended before it; what comes after goes with a rollback to it.
  auto mark = t.mark();
  REQUIRE(t.append("a8", "v8"));
  t.del("a2");
  t.rollback_to(mark);
  REQUIRE(t.get("a2") == "v2");
  REQUIRE_FALSE(t.get("a8"));

  REQUIRE(t.append("a9", "v9"));
  t.put("a9", "changed");  // a write in the appended range
  REQUIRE_FALSE(t.append("b1", "v"));  // written out of order: no more appends in this transaction
  t.commit(false);

  storage::Transaction after(*store);
  std::vector<std::string> seen;
  for (auto it = after.scan("a", "c"); it->valid(); it->next()) seen.emplace_back(std::string(it->key()) + "=" + std::string(it->value()));
  REQUIRE(seen == std::vector<std::string>{"a1=v1", "a2=v2", "a3=put", "a4=v4", "a5=old", "a6=v6", "a9=changed"});
}

// Appended rows are kept in chunks of 1024 (each turned around for LevelDB's memtable): rows
// across chunks, in a chunk not yet full, and values larger than a chunk all come back.
TEST_CASE("many appended rows, in several chunks, commit and read back whole") {
  auto store = mem();
  auto key = [](int i) { return fmt::format("r{:06}", i); };
  auto value = [](int i) { return i % 1000 == 7 ? std::string(200000 + i, 'x') : fmt::format("value {}", i); };
  constexpr int kRows = 2500;
  for (bool fold : {false, true}) {
    storage::Transaction t(*store);
    int base = fold ? kRows : 0;
    for (int i = base; i < base + kRows; ++i) REQUIRE(t.append(key(i), value(i)));
    if (fold) REQUIRE(t.get(key(base + 1500)) == value(base + 1500));  // moves them into the write set
    t.commit(false);
  }
  storage::Transaction after(*store);
  int i = 0;
  for (auto it = after.scan("r", "s"); it->valid(); it->next(), ++i) {
    REQUIRE(it->key() == key(i));
    REQUIRE(it->value() == value(i));
  }
  REQUIRE(i == 2 * kRows);
}

TEST_CASE("appended rows go with a rollback") {
  auto store = mem();
  storage::Transaction t(*store);
  REQUIRE(t.append("k1", "v1"));
  t.rollback();
  storage::Transaction after(*store);
  REQUIRE_FALSE(after.get("k1"));
}

TEST_CASE("a commit with appended rows still fails on a conflicting write of the write set") {
  auto store = mem();
  storage::Transaction a(*store), b(*store);
  REQUIRE(a.append("k1", "a"));
  a.put("row", "a");
  b.put("row", "b");
  b.commit(false);
  try {
    a.commit(false);
    FAIL("expected a serialization failure");
  } catch (const Error& e) {
    REQUIRE(e.sqlstate() == "40001");
  }
  storage::Transaction c(*store);
  REQUIRE_FALSE(c.get("k1"));
  REQUIRE(c.get("row") == "b");
}

TEST_CASE("table rows read through the row cache are the snapshot's, before and after commits") {
  auto store = mem();
  auto value = [](storage::Transaction& t) { return t.get("trow").value_or("(none)"); };
  {
    storage::Transaction w(*store);
    w.put("trow", "v1");
    w.commit(false);
  }
  storage::Transaction r1(*store);
  REQUIRE(value(r1) == "v1");  // fills the cache
  storage::Transaction r1b(*store);
  REQUIRE(value(r1b) == "v1");  // from it
  {
    storage::Transaction w(*store);
    w.put("trow", "v2");
    w.commit(false);
  }
  storage::Transaction r2(*store);
  REQUIRE(value(r2) == "v2");  // the commit took the row out
  REQUIRE(value(r1) == "v1");  // an older snapshot still reads its own version
  REQUIRE(value(r1b) == "v1");

  // A reader whose snapshot is older than the newest commit must not put its (old) row in the
  // cache, or newer snapshots would read it.
  storage::Transaction old(*store);
  {
    storage::Transaction w(*store);
    w.put("trow", "v3");
    w.commit(false);
  }
  REQUIRE(value(old) == "v2");
  storage::Transaction r3(*store);
  REQUIRE(value(r3) == "v3");
  REQUIRE(value(r3) == "v3");

  {
    storage::Transaction w(*store);
    w.del("trow");
    w.commit(false);
  }
  storage::Transaction r4(*store);
  REQUIRE(value(r4) == "(none)");
  REQUIRE(value(r3) == "v3");
}
