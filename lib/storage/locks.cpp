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

bool LockTable::acquire(Owner owner, std::string_view key_view, Mode mode, Wait wait, int64_t lock_timeout_ms,
                        const std::function<void()>& interrupt) {
  std::string key(key_view);
  auto started = std::chrono::steady_clock::now();
  bool checked = false;
  std::unique_lock lock(mu_);
  for (;;) {
    Entry& e = entries_[key];
    if (grantable(e, owner, mode)) {
      if (mode == Mode::kExclusive) {
        e.exclusive = owner;
      } else if (e.exclusive != owner && std::find(e.shared.begin(), e.shared.end(), owner) == e.shared.end()) {
        e.shared.push_back(owner);
      }
      waiting_.erase(owner);
      return true;
    }
    if (wait != Wait::kBlock) {
      if (e.exclusive == nullptr && e.shared.empty()) entries_.erase(key);
      return false;
    }
    // As PostgreSQL: a waiter looks for a cycle once it has waited deadlock_timeout (1 s), so
    // the transaction that began waiting first is the one that fails.
    if (!checked && std::chrono::steady_clock::now() - started >= kDeadlockTimeout) {
      checked = true;
      if (deadlocks(owner, key)) {
        waiting_.erase(owner);
        if (e.exclusive == nullptr && e.shared.empty()) entries_.erase(key);
        throw Error(sqlstate::kTRDeadlockDetected, "deadlock detected")
            .with_hint("See server log for query details.");
      }
    }
    waiting_[owner] = key;
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
      if (auto it = entries_.find(key); it != entries_.end() && !it->second.exclusive && it->second.shared.empty())
        entries_.erase(it);
      throw;
    }
  }
}

void LockTable::release(Owner owner, const std::vector<std::string>& keys) {
  if (keys.empty()) return;
  {
    std::lock_guard lock(mu_);
    for (const auto& k : keys) {
      auto it = entries_.find(k);
      if (it == entries_.end()) continue;
      Entry& e = it->second;
      if (e.exclusive == owner) e.exclusive = nullptr;
      std::erase(e.shared, owner);
      if (!e.exclusive && e.shared.empty()) entries_.erase(it);
    }
  }
  released_.notify_all();
}

}  // namespace heliosdb::storage
