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
#include <utility>
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
  // The transactions holding the key owner waits for (none when it does not wait).
  std::vector<Owner> blockers(Owner owner) const;
  // Releases every lock owner holds (keys: all of them, as acquire took them) and wakes a
  // transaction waiting for each.
  void release_all(Owner owner, const std::vector<KeyId>& keys);

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
  // Exclusive locks nobody waits for, the common case (every key an INSERT, UPDATE or DELETE
  // writes): (key, owner) pairs in one open-addressing array, no allocation per lock. Any other
  // state of a key (shared holders, waiters) is an Entry in entries_; a key is in one or the other.
  class Exclusive {
   public:
    Owner* find(KeyId key) { return const_cast<Owner*>(std::as_const(*this).find(key)); }
    const Owner* find(KeyId key) const;
    void insert(KeyId key, Owner owner);  // key absent
    void erase(KeyId key);                // key present
    size_t size() const { return used_; }
    // Drops every lock of owner in one pass over the array (the end of a bulk load).
    void erase_owner(Owner owner);

   private:
    struct Slot {
      KeyId key = 0;
      Owner owner = nullptr;  // nullptr: empty
    };
    size_t home(KeyId key) const { return static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> shift_); }
    void resize(size_t capacity);
    std::vector<Slot> slots_;
    size_t used_ = 0;
    int shift_ = 64;
  };

  static bool grantable(const Entry& e, Owner owner, Mode mode);
  void release_locked(Owner owner, KeyId key);
  void release_entry(Owner owner, KeyId key);  // the entries_ part of release_locked
  bool deadlocks(Owner owner, KeyId key) const;
  // The key's holders as an Entry (moving it out of exclusive_ when it is there); made if missing.
  Entry& entry(KeyId key);

  mutable std::mutex mu_;
  Exclusive exclusive_;
  std::unordered_map<KeyId, Entry> entries_;  // the ids are hashes already: spread evenly
  std::unordered_map<Owner, KeyId> waiting_;  // owner -> the key it waits for
};

}  // namespace heliosdb::storage
