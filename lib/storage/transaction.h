// A storage transaction: reads from a LevelDB snapshot with the transaction's own writes laid
// over it, writes buffered until commit, committed as one WriteBatch.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <unordered_map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/store.h"

namespace leveldb { class Iterator; }

namespace heliosdb::storage {

class Transaction {
 public:
  // tag: who runs it (the session), for Store::blocking_tags.
  explicit Transaction(Store& store, const void* tag = nullptr);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // Takes a new snapshot for the next statement (READ COMMITTED); own writes stay visible.
  void refresh_snapshot();

  // SERIALIZABLE: from here on reads and writes are tracked for Serializable Snapshot Isolation
  // (Ssi), under a snapshot taken now. Called before the transaction reads anything.
  void make_serializable(bool read_only);
  bool serializable() const { return ssi_ != nullptr; }
  // Leaves SSI tracking, as an aborted transaction (a failed transaction block).
  void end_serializable();

  std::optional<std::string> get(std::string_view key) const;
  void put(std::string_view key, std::string_view value);
  void del(std::string_view key);
  bool has_writes() const { return !writes_.empty() || run_; }

  // A bulk load's rows (COPY FROM): put(key, value) for a key above every key appended before
  // and not written otherwise, straight into the commit's WriteBatch rather than the ordered
  // write set (no node, no copy at commit). Only for keys no other transaction can have
  // written since this one's snapshot: the caller holds the key's exclusive row lock, or the key
  // is new to everyone (a fresh row id). False (nothing done) when key does not qualify; the
  // caller then puts it. Reading or writing a key in the appended range, a savepoint, or a scan
  // over it first moves the appended rows into the write set, so they read as any other write.
  bool append(std::string_view key, std::string_view value);

  // Ordered iteration over [begin, end) of the merged view.
  class Iterator {
   public:
    // latest: the newest committed data under the transaction's writes, not its snapshot.
    Iterator(const Transaction& txn, std::string begin, std::string end, bool latest = false);
    ~Iterator();
    bool valid() const { return valid_; }
    void next();
    std::string_view key() const { return key_; }
    std::string_view value() const { return value_; }

   private:
    friend class Transaction;
    void seek(const std::string& begin, std::string end);  // as if made anew over [begin, end)
    void settle();
    const Transaction& txn_;
    bool latest_;
    std::shared_ptr<const leveldb::Snapshot> snapshot_;  // the view it reads (null: latest)
    std::weak_ptr<std::vector<std::unique_ptr<Iterator>>> home_;  // its transaction's spares
    std::string end_;
    std::unique_ptr<leveldb::Iterator> db_it_;
    WriteSet::const_iterator w_it_;
    uint64_t w_version_ = 0;  // the write set's shape w_it_ belongs to
    bool valid_ = false;
    std::string key_, value_;
  };
  std::unique_ptr<Iterator> scan(std::string begin, std::string end) const;
  // Hands back an iterator of scan() that is done with, for a later scan() of the same
  // transaction and snapshot to move instead of making a new one (a LevelDB iterator takes
  // microseconds to make: a scan run again for every outer row feels it). Safe when its
  // transaction has ended: it is then just freed.
  static void recycle(std::unique_ptr<Iterator> it);
  // The same over the newest committed data (as get_latest): what foreign key checks read, so
  // that a row committed after the snapshot still counts.
  std::unique_ptr<Iterator> scan_latest(std::string begin, std::string end) const {
    return std::make_unique<Iterator>(*this, std::move(begin), std::move(end), true);
  }

  // Savepoints: the write set as it was.
  struct Mark {
    WriteSet writes;
  };
  Mark mark() const;
  void rollback_to(const Mark& m);

  // Row locks, held until commit or rollback (LockTable). False only when wait is kNoWait or
  // kSkip and another transaction holds the key.
  bool lock(std::string_view key, LockTable::Mode mode, LockTable::Wait wait, int64_t lock_timeout_ms,
            const std::function<void()>& interrupt);
  // Gives up every row lock now (commit and rollback do it themselves).
  void release_locks();
  // Whether another transaction committed a change to key after this transaction's current
  // snapshot (the statement's under READ COMMITTED, the transaction's under REPEATABLE READ);
  // then `latest` is the newest committed value (nullopt: deleted). Meant for a key this
  // transaction has locked.
  bool changed_since_snapshot(std::string_view key, std::optional<std::string>& latest) const;
  // This transaction's own write of key, else the newest committed value (not the snapshot's).
  std::optional<std::string> get_latest(std::string_view key) const;

  // Commits (throws 40001 on a write conflict, leaving the transaction unusable).
  void commit(bool sync);
  void rollback();

 private:
  PendingWrite& pending(std::string_view key);  // the write-set entry for key, made if missing
  const PendingWrite* written(std::string_view key) const;  // this transaction's write of key, if any
  // The appended rows (append()), in key order, disjoint from writes_.
  struct Run;
  bool in_run(std::string_view key) const;
  bool run_overlaps(std::string_view begin, std::string_view end) const;
  void fold_run() const;  // moves the appended rows into writes_

  Store& store_;
  std::shared_lock<std::shared_mutex> user_;  // before view_: the view is released first
  Store::View view_;
  uint64_t start_seq_;
  // Mutable: folding the appended rows in changes where writes are kept, not what they are.
  mutable WriteSet writes_;
  mutable uint64_t writes_version_ = 0;  // bumped when keys enter or leave writes_: open iterators re-seek
  mutable std::unique_ptr<Run> run_;
  bool no_append_ = false;
  const void* tag_;
  bool tagged_ = false;  // tag_ given to the store (at the first lock)
  bool done_ = false;
  std::vector<LockTable::KeyId> locks_;    // row locks taken
  Ssi::Xact* ssi_ = nullptr;               // SERIALIZABLE only
  bool ssi_ended_ = false;
  // Iterators handed back (recycle), last: they go before the view and the store they read.
  std::shared_ptr<std::vector<std::unique_ptr<Iterator>>> spares_ = std::make_shared<std::vector<std::unique_ptr<Iterator>>>();
};

}  // namespace heliosdb::storage
