// One LevelDB per database, plus what concurrent transactions need to commit safely.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <memory>
#include <mutex>
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

  leveldb::DB* db() const { return db_; }

  // A consistent read view: a snapshot holding at least every commit up to seq (and perhaps
  // some later ones that were being written as it was taken).
  struct View {
    std::shared_ptr<const leveldb::Snapshot> snapshot;
    uint64_t seq = 0;
  };
  View view();

  // Commits batch atomically if none of `keys` was committed by anyone after the sequence
  // number recorded for it, but for keys `owner` holds an exclusive row lock on (the row-lock
  // protocol has dealt with those); otherwise throws 40001. `sync` fsyncs the log. Commits of
  // concurrent transactions are written together (LevelDB's group commit: one log write and one
  // fsync for all of them).
  void commit(leveldb::WriteBatch& batch, const WriteSet& keys, bool sync, LockTable::Owner owner);

  // Writes outside any transaction (sequences: nextval is not transactional in PostgreSQL).
  void put_direct(const std::string& key, const std::string& value, bool sync);

  // The number of the newest commit handed out (written or being written).
  uint64_t newest_commit();

  LockTable& locks() { return locks_; }
  Ssi& ssi() { return ssi_; }

  // Transactions register their oldest view so conflict bookkeeping can be pruned.
  void begin_txn(uint64_t seq);
  void end_txn(uint64_t seq);

 private:
  Store() = default;
  void prune_locked();
  [[noreturn]] static void write_failed(const leveldb::Status& st);

  leveldb::DB* db_ = nullptr;
  std::unique_ptr<leveldb::Env> mem_env_;
  std::unique_ptr<leveldb::Cache> cache_;
  std::unique_ptr<const leveldb::FilterPolicy> filter_;

  std::mutex mu_;
  uint64_t commit_seq_ = 0;                              // the last commit number handed out, guarded by mu_
  uint64_t visible_seq_ = 0;                             // every commit up to it is written, guarded by mu_
  std::set<uint64_t> writing_;                           // commit numbers being written, guarded by mu_
  std::unordered_map<std::string, uint64_t> last_write_; // key -> commit seq, guarded by mu_
  std::multiset<uint64_t> active_;                       // views of open transactions
  LockTable locks_;
  Ssi ssi_;
};

}  // namespace heliosdb::storage
