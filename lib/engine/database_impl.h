// The engine behind heliosdb::Database: one store, its published catalog, sequence state.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "catalog/catalog.h"
#include "heliosdb/database.h"
#include "engine/activity.h"
#include "storage/store.h"

namespace heliosdb::engine {

class SessionImpl;
struct ClusterImpl;

// Database::login_role and Cluster::login_role.
std::optional<LoginRole> login_role(const catalog::RoleStore& store, const std::string& name);

class DatabaseImpl : public std::enable_shared_from_this<DatabaseImpl> {
 public:
  DatabaseImpl(std::string name, std::unique_ptr<storage::Store> store, const Options& options);
  ~DatabaseImpl();

  const std::string& name() const { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }  // before sessions use it
  const Options& options() const { return options_; }
  storage::Store& store() { return *store_; }
  // Rows written per table since it was opened or the table analyzed (the planner's live hint).
  catalog::TableActivity& table_activity() { return *table_activity_; }

  // The catalog as of the last commit.
  std::shared_ptr<const catalog::Catalog> catalog() const;
  // Commits txn and, when it changed the catalog, publishes `changed` — atomically with respect
  // to other committers. Throws 40001 when another transaction changed the catalog meanwhile.
  // `sync`: the commit is on disk before this returns (synchronous_commit).
  void commit(storage::Transaction& txn, std::shared_ptr<catalog::Catalog> changed, uint64_t base_version, bool sync);

  // Sequences (non-transactional, as in PostgreSQL).
  int64_t nextval(const catalog::SequenceDef& seq);
  int64_t setval(const catalog::SequenceDef& seq, int64_t value, bool is_called);
  // A sequence made anew under this id starts from its START: what a rolled-back sequence of
  // the same id (ids are handed out again after a rollback) had counted is forgotten.
  void reset_sequence(uint32_t id);
  // The sequence's last value and whether it was used (SELECT ... FROM a sequence).
  std::pair<int64_t, bool> sequence_value(const catalog::SequenceDef& seq);
  // Advisory locks (pg_advisory_lock & co.): exclusive, re-entrant per owner (a session).
  // Waiting checks `still_waiting` every few milliseconds; it throws to give up.
  // `session`: the owner's session, for advisory_blockers.
  bool advisory_lock(const std::string& key, const void* owner, const void* session, bool wait,
                     const std::function<void()>& still_waiting);
  // pg_blocking_pids: the session holding the advisory lock `session` waits for, if any.
  std::vector<const void*> advisory_blockers(const void* session);
  bool advisory_unlock(const std::string& key, const void* owner);
  void advisory_unlock_all(const void* owner);
  // Hidden row ids for tables without a primary key.
  uint64_t next_row_id(uint32_t table_id);

  // LISTEN / NOTIFY between the sessions of this database.
  struct Notification {
    std::string channel, payload;
    int32_t pid = 0;  // the notifying session's backend pid
  };
  // A session starts (on) or stops listening on channel ("" with !on: every channel).
  void listen(SessionImpl* session, const std::string& channel, bool on);
  // Hands each notification to the sessions listening on its channel.
  void notify(const std::vector<Notification>& notes);

  // The cluster the database belongs to (none when opened on its own), and how many sessions
  // use it (DROP DATABASE refuses while any do).
  std::weak_ptr<ClusterImpl> cluster;
  // The roles sessions log in as and objects are owned by: the cluster's, or the database's own
  // (roles.json in its directory) when it is opened on its own; in memory for memory databases.
  std::shared_ptr<catalog::RoleStore> roles = std::make_shared<catalog::RoleStore>("");
  std::atomic<int> sessions{0};
  // What the sessions are doing (pg_stat_activity): the cluster's registry, shared by its
  // databases, or the database's own.
  std::shared_ptr<ActivityRegistry> activity = std::make_shared<ActivityRegistry>();

  // The implicit session behind Database::execute (guarded by default_mu).
  std::shared_ptr<SessionImpl> default_session;
  // Numbers the sessions' temporary schemas (pg_temp_1, ...).
  std::atomic<uint64_t> next_temp_schema{1};
  std::mutex default_mu;

 private:
  struct SequenceState {
    int64_t last = 0;
    bool called = false;
    bool loaded = false;
    int64_t covered = 0;  // nextval calls the stored value already accounts for (logged ahead)
  };
  SequenceState& sequence_state(const catalog::SequenceDef& seq);  // requires seq_mu_
  void persist_sequence(uint32_t id, int64_t last, bool called);

  std::mutex notify_mu_;
  std::map<std::string, std::set<SessionImpl*>> listeners_;
  std::string name_;
  Options options_;
  std::unique_ptr<storage::Store> store_;
  mutable std::mutex catalog_mu_;
  std::shared_ptr<const catalog::Catalog> catalog_;  // guarded by catalog_mu_
  std::mutex commit_mu_;                              // serialises catalog-changing commits
  std::shared_ptr<catalog::TableActivity> table_activity_ = std::make_shared<catalog::TableActivity>();
  std::mutex seq_mu_;
  std::map<uint32_t, SequenceState> sequences_;       // guarded by seq_mu_
  std::map<uint32_t, uint64_t> row_ids_;              // guarded by seq_mu_
  struct AdvisoryHolder {
    const void* owner = nullptr;
    const void* session = nullptr;
    int count = 0;
  };
  std::map<const void*, std::string> advisory_waits_;  // session -> the key it waits for, guarded by advisory_mu_
  std::mutex advisory_mu_;
  std::condition_variable advisory_cv_;
  std::map<std::string, AdvisoryHolder> advisory_;    // guarded by advisory_mu_
};

}  // namespace heliosdb::engine
