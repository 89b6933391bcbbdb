// Row locks of open transactions (PostgreSQL's tuple locks), in memory: UPDATE, DELETE and
// SELECT ... FOR UPDATE lock the rows they change or claim, INSERT locks the keys it creates
// (primary and unique keys), FOR SHARE takes shared locks. A transaction holds its locks until it
// commits or rolls back; a conflicting request waits, and a wait that would close a cycle of
// waiting transactions is a deadlock (40P01).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
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
  using Owner = const void*;  // the transaction

  // Takes key in mode for owner. Returns false without waiting when the lock is held by another
  // transaction and wait is kNoWait or kSkip. While blocked it calls interrupt() every few
  // milliseconds (which throws to give up: cancel, statement_timeout); it throws 55P03 after
  // lock_timeout_ms (0: no limit) and 40P01 when the wait would deadlock.
  bool acquire(Owner owner, std::string_view key, Mode mode, Wait wait, int64_t lock_timeout_ms,
               const std::function<void()>& interrupt);
  // Releases owner's locks on keys and wakes the transactions waiting for them.
  void release(Owner owner, const std::vector<std::string>& keys);

 private:
  struct Entry {
    Owner exclusive = nullptr;
    std::vector<Owner> shared;
  };
  static bool grantable(const Entry& e, Owner owner, Mode mode);
  bool deadlocks(Owner owner, const std::string& key) const;

  std::mutex mu_;
  std::condition_variable released_;
  std::unordered_map<std::string, Entry> entries_;
  std::unordered_map<Owner, std::string> waiting_;  // owner -> the key it waits for
};

}  // namespace heliosdb::storage
