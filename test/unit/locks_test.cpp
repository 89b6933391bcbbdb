// The row lock table: exclusive locks kept in its open-addressing array (grown, shrunk, holes
// closed by shifting), moved to full entries when another transaction waits or shares.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "storage/locks.h"

using heliosdb::storage::LockTable;

namespace {
const std::function<void()> kNoInterrupt = [] {};
LockTable::Result take(LockTable& t, const void* owner, const std::string& key, LockTable::Mode mode = LockTable::Mode::kExclusive) {
  return t.acquire(owner, LockTable::id_of(key), mode, LockTable::Wait::kNoWait, 0, kNoInterrupt);
}
}  // namespace

TEST_CASE("row locks: many exclusive locks taken, released out of order, taken again") {
  LockTable t;
  int a = 0, b = 0;
  std::vector<std::string> keys;
  for (int i = 0; i < 20000; ++i) keys.push_back("k" + std::to_string(i));
  for (const auto& k : keys) REQUIRE(take(t, &a, k) == LockTable::Result::kAcquired);
  for (const auto& k : keys) REQUIRE(take(t, &a, k) == LockTable::Result::kAlreadyHeld);
  REQUIRE(take(t, &b, keys[123]) == LockTable::Result::kBusy);
  REQUIRE(take(t, &b, keys[124], LockTable::Mode::kShared) == LockTable::Result::kBusy);
  // Another owner's few locks (released one by one) outlive the sweep that ends the first
  // owner's many.
  int c = 0;
  std::vector<LockTable::KeyId> few;
  for (int i = 0; i < 100; ++i) {
    std::string k = "c" + std::to_string(i);
    REQUIRE(take(t, &c, k) == LockTable::Result::kAcquired);
    few.push_back(LockTable::id_of(k));
  }
  std::mt19937 rng(7);
  std::vector<LockTable::KeyId> all;
  for (const auto& k : keys) all.push_back(LockTable::id_of(k));
  std::shuffle(all.begin(), all.end(), rng);
  REQUIRE(take(t, &b, "c7") == LockTable::Result::kBusy);
  t.release_all(&a, all);
  for (const auto& k : keys) REQUIRE(!t.holds_exclusive(&a, k));
  for (int i = 0; i < 100; ++i) REQUIRE(t.holds_exclusive(&c, "c" + std::to_string(i)));
  t.release_all(&c, few);
  for (int i = 0; i < 100; ++i) REQUIRE(!t.holds_exclusive(&c, "c" + std::to_string(i)));
  for (const auto& k : keys) REQUIRE(!t.holds_exclusive(&a, k));
  for (const auto& k : keys) REQUIRE(take(t, &b, k, LockTable::Mode::kShared) == LockTable::Result::kAcquired);
  for (const auto& k : keys) REQUIRE(take(t, &a, k, LockTable::Mode::kShared) == LockTable::Result::kAcquired);
  REQUIRE(take(t, &a, keys[5]) == LockTable::Result::kBusy);  // shared by b too
}
