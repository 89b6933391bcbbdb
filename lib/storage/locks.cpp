#include "storage/locks.h"

#include <algorithm>
#include <chrono>
#include <unordered_set>

#include "common/errors.h"

namespace heliosdb::storage {

namespace {
constexpr auto kDeadlockTimeout = std::chrono::milliseconds(1000);
}  // namespace

bool LockTable::grantable(const Entry& e, Owner owner, Mode mode) {
  if (e.exclusive && e.exclusive != owner) return false;
  if (mode == Mode::kShared) return true;
  return std::all_of(e.shared.begin(), e.shared.end(), [owner](Owner o) { return o == owner; });
}

// Would owner waiting for key close a cycle? Follows holders -> the key each waits for -> its
// holders, looking for owner.
bool LockTable::deadlocks(Owner owner, const std::string& key) const {
  std::vector<const std::string*> keys{&key};
  std::unordered_set<Owner> seen;
  while (!keys.empty()) {
    const std::string* k = keys.back();
    keys.pop_back();
    auto it = entries_.find(*k);
    if (it == entries_.end()) continue;
    std::vector<Owner> holders = it->second.shared;
    if (it->second.exclusive) holders.push_back(it->second.exclusive);
    for (Owner h : holders) {
      if (h == owner) {
        if (k != &key) return true;  // owner itself holds a lock some waiter in the chain needs
        continue;
      }
      if (!seen.insert(h).second) continue;
      if (auto w = waiting_.find(h); w != waiting_.end()) keys.push_back(&w->second);
    }
  }
  return false;
}

LockTable::Result LockTable::acquire(Owner owner, std::string_view key, Mode mode, Wait wait, int64_t lock_timeout_ms,
                                     const std::function<void()>& interrupt, const std::string** held) {
  std::chrono::steady_clock::time_point started;
  bool waited = false, checked = false;
  std::unique_lock lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) {  // the common case: nobody holds it
    auto made = entries_.try_emplace(std::string(key)).first;
    if (mode == Mode::kExclusive) made->second.exclusive = owner;
    else made->second.shared.push_back(owner);
    *held = &made->first;
    return Result::kAcquired;
  }
  for (;;) {
    Entry& e = it->second;
    bool had = e.exclusive == owner || std::find(e.shared.begin(), e.shared.end(), owner) != e.shared.end();
    if (grantable(e, owner, mode)) {
      if (mode == Mode::kExclusive) e.exclusive = owner;
      else if (!had) e.shared.push_back(owner);
      waiting_.erase(owner);
      *held = &it->first;
      return had ? Result::kAlreadyHeld : Result::kAcquired;
    }
    if (wait != Wait::kBlock) return Result::kBusy;
    if (!waited) {
      waited = true;
      started = std::chrono::steady_clock::now();
    }
    // As PostgreSQL: a waiter looks for a cycle once it has waited deadlock_timeout (1 s), so
    // the transaction that began waiting first is the one that fails.
    if (!checked && std::chrono::steady_clock::now() - started >= kDeadlockTimeout) {
      checked = true;
      if (deadlocks(owner, it->first)) {
        waiting_.erase(owner);
        throw Error(sqlstate::kTRDeadlockDetected, "deadlock detected")
            .with_hint("See server log for query details.");
      }
    }
    waiting_[owner] = it->first;
    released_.wait_for(lock, std::chrono::milliseconds(5));
    try {
      lock.unlock();
      interrupt();
      if (lock_timeout_ms > 0 && std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(lock_timeout_ms))
        raise(sqlstate::kLockNotAvailable, "canceling statement due to lock timeout");
      lock.lock();
    } catch (...) {
      lock.lock();
      waiting_.erase(owner);
      throw;
    }
    // The holder may have gone and taken the entry with it.
    it = entries_.find(key);
    if (it == entries_.end()) it = entries_.try_emplace(std::string(key)).first;
  }
}

bool LockTable::holds_exclusive(Owner owner, std::string_view key) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  return it != entries_.end() && it->second.exclusive == owner;
}

void LockTable::release_locked(Owner owner, std::string_view key) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return;
  Entry& e = it->second;
  if (e.exclusive == owner) e.exclusive = nullptr;
  std::erase(e.shared, owner);
  if (!e.exclusive && e.shared.empty()) entries_.erase(it);
}

}  // namespace heliosdb::storage
