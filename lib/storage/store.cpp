#include "storage/store.h"

#include <leveldb/cache.h>
#include <leveldb/db.h>
#include <leveldb/env.h>
#include <leveldb/filter_policy.h>
#include <leveldb/helpers/memenv.h>
#include <leveldb/write_batch.h>

#include "common/errors.h"

namespace heliosdb::storage {

std::unique_ptr<Store> Store::open(const std::string& path, const Options& options, bool in_memory) {
  std::unique_ptr<Store> s(new Store());
  leveldb::Options lo;
  lo.create_if_missing = options.create_if_missing || in_memory;
  s->cache_.reset(leveldb::NewLRUCache(options.cache_size));
  s->filter_.reset(leveldb::NewBloomFilterPolicy(10));
  lo.block_cache = s->cache_.get();
  lo.filter_policy = s->filter_.get();
  lo.write_buffer_size = options.write_buffer_size;
  lo.max_open_files = 500;
  if (in_memory) {
    s->mem_env_.reset(leveldb::NewMemEnv(leveldb::Env::Default()));
    lo.env = s->mem_env_.get();
  }
  leveldb::Status st = leveldb::DB::Open(lo, in_memory ? "/mem" : path, &s->db_);
  if (!st.ok()) {
    std::string msg = st.ToString();
    if (msg.find("lock") != std::string::npos)
      raise(sqlstate::kObjectInUse, "database \"{}\" is being accessed by another process", path);
    if (st.IsInvalidArgument() && msg.find("does not exist") != std::string::npos)
      raise(sqlstate::kInvalidCatalogName, "database \"{}\" does not exist", path);
    raise(sqlstate::kIoError, "could not open database \"{}\": {}", path, msg);
  }
  return s;
}

Store::~Store() { delete db_; }

Store::View Store::view() {
  View v;
  {
    std::lock_guard lock(mu_);
    v.seq = visible_seq_;
  }
  // Taken after reading the number, so it holds every commit up to it.
  leveldb::DB* db = db_;
  v.snapshot = std::shared_ptr<const leveldb::Snapshot>(
      db->GetSnapshot(), [db](const leveldb::Snapshot* s) { db->ReleaseSnapshot(s); });
  return v;
}

void Store::commit(leveldb::WriteBatch& batch, const WriteSet& keys, bool sync, LockTable::Owner owner) {
  uint64_t seq;
  {
    std::lock_guard lock(mu_);
    for (const auto& [key, w] : keys) {
      if (last_write_.empty()) break;
      auto it = last_write_.find(key);
      if (it != last_write_.end() && it->second > w.seen && !locks_.holds_exclusive(owner, key))
        raise(sqlstate::kTRSerializationFailure, "could not serialize access due to concurrent update");
    }
    seq = ++commit_seq_;
    // Remember what this commit writes only for transactions that are already running: the
    // committing transaction is itself still in active_, so that means more than one. It is
    // recorded before the write, so a concurrent committer of the same keys already sees it.
    if (active_.size() > 1) {
      for (const auto& kv : keys) last_write_[kv.first] = seq;
    }
    writing_.insert(seq);
  }
  // Outside the mutex, so that LevelDB can write concurrent commits as one group.
  leveldb::WriteOptions wo;
  wo.sync = sync;
  leveldb::Status st = db_->Write(wo, &batch);
  {
    std::lock_guard lock(mu_);
    writing_.erase(seq);
    visible_seq_ = writing_.empty() ? commit_seq_ : *writing_.begin() - 1;
    prune_locked();
  }
  if (!st.ok()) write_failed(st);
}

uint64_t Store::newest_commit() {
  std::lock_guard lock(mu_);
  return commit_seq_;
}

void Store::put_direct(const std::string& key, const std::string& value, bool sync) {
  leveldb::WriteOptions wo;
  wo.sync = sync;
  leveldb::Status st = db_->Put(wo, key, value);
  if (!st.ok()) write_failed(st);
}

void Store::begin_txn(uint64_t seq) {
  std::lock_guard lock(mu_);
  active_.insert(seq);
}

void Store::end_txn(uint64_t seq) {
  std::lock_guard lock(mu_);
  auto it = active_.find(seq);
  if (it != active_.end()) active_.erase(it);
  prune_locked();
}

void Store::prune_locked() {
  // Entries older than every open transaction's view can never cause a conflict again.
  if (last_write_.empty()) return;
  if (active_.empty()) {
    last_write_.clear();
    return;
  }
  if (last_write_.size() < 4096) return;
  uint64_t oldest = *active_.begin();
  std::erase_if(last_write_, [oldest](const auto& kv) { return kv.second <= oldest; });
}

[[noreturn]] void Store::write_failed(const leveldb::Status& st) {
  // PostgreSQL says 53100 when the disk is full, 58030 for other I/O errors. LevelDB keeps
  // refusing writes after a failed one, until the database is opened again.
  std::string msg = st.ToString();
  raise(msg.find("No space left on device") != std::string::npos ? sqlstate::kDiskFull : sqlstate::kIoError,
        "could not write to database: {}", msg);
}

}  // namespace heliosdb::storage
