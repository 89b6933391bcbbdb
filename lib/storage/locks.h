// Row locks of open transactions (PostgreSQL's tuple locks), in memory: UPDATE, DELETE and
// SELECT ... FOR UPDATE lock the rows they change or claim, INSERT locks the keys it creates
// (primary and unique keys), FOR SHARE takes shared locks. A transaction holds its locks until it
// commits or rolls back; a conflicting request waits, and a wait that would close a cycle of
// waiting transactions is a deadlock (40P01).
//
// Keys are kept as 64-bit hashes of the storage keys (a bulk load locks a million of them: no
// string per key). Two keys with the same hash share a lock, which can only make a transaction
// wait without need, never let two hold one key.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace heliosdb::storage {

class LockTable {
 public:
  enum class Mode { kShared, kExclusive };
  enum class Wait { kBlock, kNoWait, kSkip };
  enum class Result { kAcquired, kAlreadyHeld, kBusy };
  using Owner = const void*;  // the transaction
  using KeyId = uint64_t;
  static KeyId id_of(std::string_view key) { return std::hash<std::string_view>()(key); }

  // Takes key in mode for owner: kAcquired when newly taken, kAlreadyHeld when owner had it
  // (a shared lock may be upgraded), kBusy without waiting when another transaction holds it
  // and wait is kNoWait or kSkip. While blocked it calls interrupt() every few milliseconds
  // (which throws to give up: cancel, statement_timeout); it throws 55P03 after
  // lock_timeout_ms (0: no limit) and 40P01 when the wait would deadlock.
  Result acquire(Owner owner, KeyId key, Mode mode, Wait wait, int64_t lock_timeout_ms,
                 const std::function<void()>& interrupt);
  // Whether owner holds key exclusively.
  bool holds_exclusive(Owner owner, std::string_view key);
  // Releases owner's locks on keys and wakes a transaction waiting for each of them.
  void release(Owner owner, const std::vector<KeyId>& keys) {
    if (keys.empty()) return;
    std::lock_guard lock(mu_);
    for (KeyId k : keys) release_locked(owner, k);
  }

 private:
  struct Entry {
    Owner exclusive = nullptr;
    std::vector<Owner> shared;
    // Transactions waiting for this key sleep on its own condition variable, so a release
    // wakes one of them rather than every waiter of every key. (Waiters also look again every
    // few milliseconds, so a wakeup that goes to one that then gives up is not lost.)
    int waiters = 0;
    std::unique_ptr<std::condition_variable> cv;
  };
  static bool grantable(const Entry& e, Owner owner, Mode mode);
  void release_locked(Owner owner, KeyId key);
  bool deadlocks(Owner owner, KeyId key) const;

  std::mutex mu_;
  std::unordered_map<KeyId, Entry> entries_;  // the ids are hashes already: spread evenly
  std::unordered_map<Owner, KeyId> waiting_;  // owner -> the key it waits for
};

}  // namespace heliosdb::storage
