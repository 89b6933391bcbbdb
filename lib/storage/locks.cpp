#include "storage/locks.h"

#include <algorithm>
#include <bit>
#include <chrono>
#include <unordered_set>

#include "common/blocking.h"
#include "common/errors.h"

namespace heliosdb::storage {

namespace {
constexpr auto kDeadlockTimeout = std::chrono::milliseconds(1000);
}  // namespace

// ---- Exclusive: linear probing, grown at half full, backward-shift deletion ----

const LockTable::Owner* LockTable::Exclusive::find(KeyId key) const {
  if (slots_.empty()) return nullptr;
  size_t mask = slots_.size() - 1;
  for (size_t i = home(key);; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (!s.owner) return nullptr;
    if (s.key == key) return &s.owner;
  }
}

void LockTable::Exclusive::insert(KeyId key, Owner owner) {
  if ((used_ + 1) * 2 > slots_.size()) resize(std::max<size_t>(64, slots_.size() * 2));
  size_t mask = slots_.size() - 1;
  size_t i = home(key);
  while (slots_[i].owner) i = (i + 1) & mask;
  slots_[i] = Slot{key, owner};
  ++used_;
}

void LockTable::Exclusive::erase(KeyId key) {
  size_t mask = slots_.size() - 1;
  size_t i = home(key);
  while (slots_[i].key != key || !slots_[i].owner) i = (i + 1) & mask;
  // Shift later members of the probe run back into the hole, so that lookups need no tombstones.
  for (size_t j = (i + 1) & mask; slots_[j].owner; j = (j + 1) & mask) {
    size_t h = home(slots_[j].key);
    bool movable = i <= j ? (h <= i || h > j) : (h <= i && h > j);
    if (movable) {
      slots_[i] = slots_[j];
      i = j;
    }
  }
  slots_[i] = Slot{};
  --used_;
  if (slots_.size() > 1024 && used_ * 8 < slots_.size()) resize(slots_.size() / 4);  // after a bulk load
}

void LockTable::Exclusive::resize(size_t capacity) {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(capacity, Slot{});
  shift_ = 64 - std::countr_zero(capacity);
  size_t mask = capacity - 1;
  for (const Slot& s : old) {
    if (!s.owner) continue;
    size_t i = home(s.key);
    while (slots_[i].owner) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

void LockTable::Exclusive::erase_owner(Owner owner) {
  std::vector<Slot> kept;
  for (const Slot& s : slots_)
    if (s.owner && s.owner != owner) kept.push_back(s);
  size_t capacity = 64;
  while (capacity < kept.size() * 2) capacity *= 2;
  slots_.clear();
  used_ = 0;
  resize(capacity);
  for (const Slot& s : kept) insert(s.key, s.owner);
}

void LockTable::release_all(Owner owner, const std::vector<KeyId>& keys) {
  if (keys.empty()) return;
  std::lock_guard lock(mu_);
  if (keys.size() >= 4096 && keys.size() * 4 >= exclusive_.size()) {
    // Most of the table is this owner's: one pass instead of a random access per key.
    exclusive_.erase_owner(owner);
    if (!entries_.empty())
      for (KeyId k : keys) release_entry(owner, k);
    return;
  }
  for (KeyId k : keys) release_locked(owner, k);
}

LockTable::Entry& LockTable::entry(KeyId key) {
  auto [it, made] = entries_.try_emplace(key);
  if (made)
    if (Owner* o = exclusive_.find(key)) {
      it->second.exclusive = *o;
      exclusive_.erase(key);
    }
  return it->second;
}

bool LockTable::grantable(const Entry& e, Owner owner, Mode mode) {
  if (e.exclusive && e.exclusive != owner) return false;
  if (mode == Mode::kShared) return true;
  return std::all_of(e.shared.begin(), e.shared.end(), [owner](Owner o) { return o == owner; });
}

std::vector<LockTable::Owner> LockTable::blockers(Owner owner) const {
  std::lock_guard lock(mu_);
  std::vector<Owner> out;
  auto w = waiting_.find(owner);
  if (w == waiting_.end()) return out;
  if (auto it = entries_.find(w->second); it != entries_.end()) {
    if (it->second.exclusive && it->second.exclusive != owner) out.push_back(it->second.exclusive);
    for (Owner s : it->second.shared)
      if (s != owner) out.push_back(s);
  } else if (const Owner* o = exclusive_.find(w->second); o && *o != owner) {
    out.push_back(*o);
  }
  return out;
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
    std::vector<Owner> holders;
    if (auto it = entries_.find(k); it != entries_.end()) {
      holders = it->second.shared;
      if (it->second.exclusive) holders.push_back(it->second.exclusive);
    } else if (const Owner* o = exclusive_.find(k)) {
      holders.push_back(*o);
    }
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
  if (entries_.empty() || !entries_.count(k)) {
    Owner* holder = exclusive_.find(k);
    if (!holder && mode == Mode::kExclusive) {  // the common case: nobody holds it
      exclusive_.insert(k, owner);
      return Result::kAcquired;
    }
    if (holder && *holder == owner) return Result::kAlreadyHeld;  // exclusive covers shared
  }
  Entry* e = &entry(k);
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
  KeyId k = id_of(key);
  if (Owner* o = exclusive_.find(k)) return *o == owner;
  auto it = entries_.find(k);
  return it != entries_.end() && it->second.exclusive == owner;
}

void LockTable::release_locked(Owner owner, KeyId key) {
  if (Owner* o = exclusive_.find(key)) {
    if (*o == owner) exclusive_.erase(key);
    return;
  }
  release_entry(owner, key);
}

void LockTable::release_entry(Owner owner, KeyId key) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return;
  Entry& e = it->second;
  if (e.exclusive == owner) e.exclusive = nullptr;
  std::erase(e.shared, owner);
  if (e.waiters > 0) e.cv->notify_one();  // perhaps the lock is free, or only a waiter's own
  else if (!e.exclusive && e.shared.empty()) entries_.erase(it);
}

}  // namespace heliosdb::storage
