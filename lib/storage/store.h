// One LevelDB per database, plus what concurrent transactions need to commit safely.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <optional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>

#include "heliosdb/options.h"
#include "storage/locks.h"
#include "storage/ssi.h"

namespace leveldb {
class DB;
class Env;
class Snapshot;
class Cache;
class FilterPolicy;
class WriteBatch;
class Status;
}  // namespace leveldb

namespace heliosdb::storage {

// Key space (ARCHITECTURE.md): the first byte names the kind of entry.
namespace space {
inline constexpr char kCatalog = 'c';
inline constexpr char kTable = 't';
inline constexpr char kIndex = 'i';
inline constexpr char kSequence = 's';
inline constexpr char kMeta = 'm';
}  // namespace space

// A transaction's pending writes: key -> new value (nullopt: deleted) and the commit sequence
// of the view the key was first written under (for the write-conflict check).
struct PendingWrite {
  std::optional<std::string> value;
  uint64_t seen = 0;
};
using WriteSet = std::map<std::string, PendingWrite, std::less<>>;

class Store {
 public:
  // Opens (creating when allowed) the LevelDB at path; in_memory uses LevelDB's memenv.
  // Throws heliosdb::Error: 55006 when another process holds the database, 58030 on I/O errors.
  static std::unique_ptr<Store> open(const std::string& path, const Options& options, bool in_memory);
  ~Store();

  // The LevelDB; raises 58030 when it could not be opened again after a failed write.
  leveldb::DB* db() const {
    leveldb::DB* db = db_.load(std::memory_order_acquire);
    if (!db) dead();
    return db;
  }

  // Every transaction holds this shared while it lives (its snapshot and iterators are the
  // LevelDB's); recover() needs it alone.
  std::shared_mutex& users() { return users_; }
  // Whether a write has failed (disk full, I/O error): LevelDB then refuses every write.
  bool failed() const { return failed_.load(std::memory_order_relaxed); }
  // After a failed write: opens the LevelDB again (which brings back everything committed)
  // if no transaction is using it, so writes work again once the disk has room. The caller
  // must not be a user. False when others use it or opening failed; then writes still fail.
  bool recover();
  // Whether recover() found the LevelDB could not be opened (every use raises until it can).
  bool closed() const { return failed() && !db_; }
  // The error of the failed write, raised again for writes until recover() succeeds.
  [[noreturn]] void raise_failed();

  // A consistent read view: a snapshot holding at least every commit up to seq (and perhaps
  // some later ones that were being written as it was taken).
  struct View {
    std::shared_ptr<const leveldb::Snapshot> snapshot;
    uint64_t seq = 0;
    // The snapshot holds exactly the commits up to seq (none was being written as it was taken):
    // only such a view reads through the row cache.
    bool exact = false;
  };
  View view();

  // The value of key as `view` sees it (nullopt: none). Table rows come from the row cache when
  // it holds them (a point read from LevelDB costs microseconds even from its block cache).
  // The cache holds rows as of a commit number; a commit erases the rows it writes (after its
  // write, before it becomes visible), and a row is put in only while no later commit has begun,
  // so an entry is the row's value for every exact view from its number on.
  std::optional<std::string> get(const View& view, std::string_view key);

  // Commits batch atomically if none of `keys` was committed by anyone after the sequence
  // number recorded for it, but for keys `owner` holds an exclusive row lock on (the row-lock
  // protocol has dealt with those); otherwise throws 40001. `sync` fsyncs the log. Commits of
  // concurrent transactions are written together (LevelDB's group commit: one log write and one
  // fsync for all of them).
  // `appended`: batch also holds keys beyond `keys` (Transaction::append), which need no check.
  void commit(leveldb::WriteBatch& batch, const WriteSet& keys, bool appended, bool sync, LockTable::Owner owner);

  // VACUUM: compacts the keys in [begin, end) ("" for no bound): LevelDB rewrites them into its
  // bottom level, dropping versions no snapshot can see (updated and deleted rows), and waits
  // until that is done.
  void compact(std::string_view begin, std::string_view end);

  // Writes outside any transaction (sequences: nextval is not transactional in PostgreSQL).
  void put_direct(const std::string& key, const std::string& value, bool sync);

  // The number of the newest commit handed out (written or being written).
  uint64_t newest_commit();

  LockTable& locks() { return locks_; }
  Ssi& ssi() { return ssi_; }

  // Transactions register their oldest view so conflict bookkeeping can be pruned.
  void begin_txn(uint64_t seq);
  void end_txn(uint64_t seq, LockTable::Owner txn);
  // A transaction that takes row locks gives its tag (its session), for blocking_tags; it goes
  // with end_txn.
  void tag(LockTable::Owner txn, const void* tag);
  // pg_blocking_pids: the tags of the transactions holding the row locks that the transactions
  // tagged `tag` wait for.
  std::vector<const void*> blocking_tags(const void* tag);

 private:
  Store() = default;
  void prune_locked();
  [[noreturn]] void write_failed(const leveldb::Status& st);
  [[noreturn]] void dead() const;
  leveldb::Status open_db();

  std::atomic<leveldb::DB*> db_{nullptr};
  std::string path_;
  bool in_memory_ = false;
  bool create_if_missing_ = false;
  size_t write_buffer_size_ = 0;
  std::shared_mutex users_;
  std::atomic<bool> failed_{false};
  std::string failure_;        // the failed write's error, set before failed_
  const char* failure_state_ = nullptr;
  std::unique_ptr<leveldb::Env> mem_env_;
  std::unique_ptr<leveldb::Cache> cache_;
  std::unique_ptr<leveldb::Cache> rows_;  // the row cache: table key -> CachedRow
  std::unique_ptr<const leveldb::FilterPolicy> filter_;

  std::mutex mu_;
  uint64_t commit_seq_ = 0;                              // the last commit number handed out, guarded by mu_
  uint64_t visible_seq_ = 0;                             // every commit up to it is written, guarded by mu_
  std::set<uint64_t> writing_;                           // commit numbers being written, guarded by mu_
  bool rows_cached_ = false;                             // a row was ever put in rows_, guarded by mu_
  std::unordered_map<std::string, uint64_t> last_write_; // key -> commit seq, guarded by mu_
  std::multiset<uint64_t> active_;                       // views of open transactions
  std::unordered_map<LockTable::Owner, const void*> tags_;  // open transactions' tags, guarded by mu_
  LockTable locks_;
  Ssi ssi_;
};

}  // namespace heliosdb::storage
