#include "storage/locks.h"

#include <algorithm>
#include <chrono>
#include <unordered_set>

#include "common/blocking.h"
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
bool LockTable::deadlocks(Owner owner, KeyId key) const {
  std::vector<KeyId> keys{key};
  std::unordered_set<Owner> seen;
  bool first = true;
  while (!keys.empty()) {
    KeyId k = keys.back();
    keys.pop_back();
    bool start = first;
    first = false;
    auto it = entries_.find(k);
    if (it == entries_.end()) continue;
    std::vector<Owner> holders = it->second.shared;
    if (it->second.exclusive) holders.push_back(it->second.exclusive);
    for (Owner h : holders) {
      if (h == owner) {
        if (!start) return true;  // owner itself holds a lock some waiter in the chain needs
        continue;
      }
      if (!seen.insert(h).second) continue;
      if (auto w = waiting_.find(h); w != waiting_.end()) keys.push_back(w->second);
    }
  }
  return false;
}

LockTable::Result LockTable::acquire(Owner owner, KeyId k, Mode mode, Wait wait, int64_t lock_timeout_ms,
                                     const std::function<void()>& interrupt) {
  std::unique_lock lock(mu_);
  auto [it, made] = entries_.try_emplace(k);
  Entry* e = &it->second;
  if (made) {  // the common case: nobody holds it
    if (mode == Mode::kExclusive) e->exclusive = owner;
    else e->shared.push_back(owner);
    return Result::kAcquired;
  }
  std::chrono::steady_clock::time_point started;
  bool waited = false, checked = false;
  // Leaves the wait: the entry may go once nobody holds or waits for it.
  auto stop_waiting = [&] {
    if (!waited) return;
    waiting_.erase(owner);
    --e->waiters;
  };
  for (;;) {
    bool had = e->exclusive == owner || std::find(e->shared.begin(), e->shared.end(), owner) != e->shared.end();
    if (grantable(*e, owner, mode)) {
      if (mode == Mode::kExclusive) e->exclusive = owner;
      else if (!had) e->shared.push_back(owner);
      stop_waiting();
      // A shared lock leaves room for the next shared waiter.
      if (mode == Mode::kShared && e->waiters > 0) e->cv->notify_one();
      return had ? Result::kAlreadyHeld : Result::kAcquired;
    }
    if (wait != Wait::kBlock) return Result::kBusy;
    if (!waited) {
      waited = true;
      started = std::chrono::steady_clock::now();
      ++e->waiters;
      if (!e->cv) e->cv = std::make_unique<std::condition_variable>();
      waiting_[owner] = k;
      about_to_wait();
    }
    try {
      // As PostgreSQL: a waiter looks for a cycle once it has waited deadlock_timeout (1 s), so
      // the transaction that began waiting first is the one that fails.
      if (!checked && std::chrono::steady_clock::now() - started >= kDeadlockTimeout) {
        checked = true;
        if (deadlocks(owner, k))
          throw Error(sqlstate::kTRDeadlockDetected, "deadlock detected").with_hint("See server log for query details.");
      }
      e->cv->wait_for(lock, std::chrono::milliseconds(5));
      lock.unlock();
      interrupt();
      if (lock_timeout_ms > 0 && std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(lock_timeout_ms))
        raise(sqlstate::kLockNotAvailable, "canceling statement due to lock timeout");
      lock.lock();
    } catch (...) {
      if (!lock.owns_lock()) lock.lock();
      stop_waiting();
      // Pass on a wakeup this waiter may have taken, and let the entry go if it is unused.
      if (e->waiters > 0) e->cv->notify_one();
      else if (!e->exclusive && e->shared.empty()) entries_.erase(k);
      throw;
    }
  }
}

bool LockTable::holds_exclusive(Owner owner, std::string_view key) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(id_of(key));
  return it != entries_.end() && it->second.exclusive == owner;
}

void LockTable::release_locked(Owner owner, KeyId key) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return;
  Entry& e = it->second;
  if (e.exclusive == owner) e.exclusive = nullptr;
  std::erase(e.shared, owner);
  if (e.waiters > 0) e.cv->notify_one();  // perhaps the lock is free, or only a waiter's own
  else if (!e.exclusive && e.shared.empty()) entries_.erase(it);
}

}  // namespace heliosdb::storage
