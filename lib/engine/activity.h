// pg_stat_activity: what each session of a cluster (or of a database opened on its own) is
// doing. Sessions register at start, update at each statement, and leave when they end.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace heliosdb::engine {

struct SessionActivity {
  int64_t pid = 0;
  std::string database;
  uint32_t user_oid = 0;
  std::string user, application_name;
  int64_t backend_start = 0;
  int64_t xact_start = 0, query_start = 0, state_change = 0;  // µs since 2000; 0: none (NULL)
  std::string state = "idle";  // active, idle, idle in transaction, idle in transaction (aborted)
  std::string query;
};

class ActivityRegistry {
 public:
  void add(const void* session, SessionActivity a) {
    std::lock_guard lock(mu_);
    sessions_[session] = std::move(a);
  }
  void update(const void* session, const std::function<void(SessionActivity&)>& change) {
    std::lock_guard lock(mu_);
    if (auto it = sessions_.find(session); it != sessions_.end()) change(it->second);
  }
  void remove(const void* session) {
    std::lock_guard lock(mu_);
    sessions_.erase(session);
  }
  // The session with backend pid `pid` (nullptr: none), and a session's pid (0: gone).
  const void* session_of(int64_t pid) const {
    std::lock_guard lock(mu_);
    for (const auto& [k, a] : sessions_)
      if (a.pid == pid) return k;
    return nullptr;
  }
  int64_t pid_of(const void* session) const {
    std::lock_guard lock(mu_);
    auto it = sessions_.find(session);
    return it == sessions_.end() ? 0 : it->second.pid;
  }
  // How many sessions `which` holds for (without copying what they run).
  size_t count(const std::function<bool(const SessionActivity&)>& which) const {
    std::lock_guard lock(mu_);
    size_t n = 0;
    for (const auto& [k, a] : sessions_) n += which(a) ? 1 : 0;
    return n;
  }
  std::vector<SessionActivity> snapshot() const {
    std::lock_guard lock(mu_);
    std::vector<SessionActivity> out;
    for (const auto& [k, a] : sessions_) out.push_back(a);
    return out;
  }

 private:
  mutable std::mutex mu_;
  std::map<const void*, SessionActivity> sessions_;
};

}  // namespace heliosdb::engine
