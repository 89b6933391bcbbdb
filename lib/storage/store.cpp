#include "storage/store.h"

#include <cstring>

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
  s->cache_.reset(leveldb::NewLRUCache(options.cache_size));
  if (options.row_cache_size) s->rows_.reset(leveldb::NewLRUCache(options.row_cache_size));
  s->filter_.reset(leveldb::NewBloomFilterPolicy(10));
  if (in_memory) s->mem_env_.reset(leveldb::NewMemEnv(leveldb::Env::Default()));
  s->path_ = in_memory ? "/mem" : path;
  s->in_memory_ = in_memory;
  s->write_buffer_size_ = options.write_buffer_size;
  s->create_if_missing_ = options.create_if_missing;
  leveldb::Status st = s->open_db();
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

leveldb::Status Store::open_db() {
  leveldb::Options lo;
  lo.create_if_missing = create_if_missing_ || in_memory_;
  lo.block_cache = cache_.get();
  lo.filter_policy = filter_.get();
  lo.write_buffer_size = write_buffer_size_;
  lo.max_open_files = 500;
  if (mem_env_) lo.env = mem_env_.get();
  leveldb::DB* db = nullptr;
  leveldb::Status st = leveldb::DB::Open(lo, path_, &db);
  db_ = db;
  return st;
}

void Store::compact(std::string_view begin, std::string_view end) {
  leveldb::Slice b(begin.data(), begin.size()), e(end.data(), end.size());
  db()->CompactRange(begin.empty() ? nullptr : &b, end.empty() ? nullptr : &e);
}

bool Store::recover() {
  std::unique_lock lock(users_, std::try_to_lock);
  if (!lock.owns_lock()) return false;
  if (!failed()) return true;
  delete db_.exchange(nullptr);
  leveldb::Status st = open_db();
  if (!st.ok()) {
    db_ = nullptr;
    std::lock_guard guard(mu_);
    failure_ = st.ToString();
    return false;
  }
  failed_ = false;
  return true;
}

void Store::raise_failed() {
  std::lock_guard lock(mu_);
  throw Error(failure_state_ ? failure_state_ : sqlstate::kIoError, fmt::format("could not write to database: {}", failure_))
      .with_hint("Writes work again once the disk has room and no other transaction is open.");
}

void Store::dead() const {
  raise(sqlstate::kIoError, "could not open database \"{}\" again after a failed write: {}", path_, failure_);
}

Store::~Store() { delete db_.load(); }

Store::View Store::view() {
  View v;
  {
    std::lock_guard lock(mu_);
    v.seq = visible_seq_;
  }
  // Taken after reading the number, so it holds every commit up to it.
  leveldb::DB* db = this->db();
  v.snapshot = std::shared_ptr<const leveldb::Snapshot>(
      db->GetSnapshot(), [db](const leveldb::Snapshot* s) { db->ReleaseSnapshot(s); });
  // No commit past seq had begun by then: the snapshot holds nothing more.
  std::lock_guard lock(mu_);
  v.exact = commit_seq_ == v.seq;
  return v;
}

namespace {
// A cached row: the value in the same allocation (one memory access fewer per hit).
struct CachedRow {
  uint64_t seq;  // the row's value for every exact view from this commit on
  size_t size;
  char* data() { return reinterpret_cast<char*>(this + 1); }
  static CachedRow* make(uint64_t seq, std::string_view value) {
    auto* row = static_cast<CachedRow*>(::operator new(sizeof(CachedRow) + value.size()));
    row->seq = seq;
    row->size = value.size();
    std::memcpy(row->data(), value.data(), value.size());
    return row;
  }
  static void drop(const leveldb::Slice&, void* row) { ::operator delete(row); }
};

// What an entry costs besides its key and value: LevelDB's handle and two allocations.
constexpr size_t kEntryOverhead = 96;

bool is_row(const leveldb::Slice& key) { return !key.empty() && key[0] == space::kTable; }
}  // namespace

std::optional<std::string> Store::get(const View& view, std::string_view key) {
  const leveldb::Slice k(key.data(), key.size());
  const bool cacheable = rows_ && view.exact && is_row(k);
  if (cacheable) {
    if (leveldb::Cache::Handle* h = rows_->Lookup(k)) {
      auto* row = static_cast<CachedRow*>(rows_->Value(h));
      std::optional<std::string> value;
      if (row->seq <= view.seq) value.emplace(row->data(), row->size);
      rows_->Release(h);
      if (value) return value;
    }
  }
  leveldb::ReadOptions ro;
  ro.snapshot = view.snapshot.get();
  std::string value;
  leveldb::Status st = db()->Get(ro, k, &value);
  if (st.IsNotFound()) return std::nullopt;
  if (!st.ok()) raise(sqlstate::kDataCorrupted, "could not read from database: {}", st.ToString());
  if (cacheable) {
    // Only while no later commit has begun: one that begins after this erases the row after
    // its write, so the entry never outlives the value.
    std::lock_guard lock(mu_);
    if (commit_seq_ == view.seq) {
      rows_cached_ = true;
      rows_->Release(rows_->Insert(k, CachedRow::make(view.seq, value), key.size() + value.size() + sizeof(CachedRow) + kEntryOverhead,
                                   CachedRow::drop));
    }
  }
  return value;
}

void Store::commit(leveldb::WriteBatch& batch, const WriteSet& keys, bool appended, bool sync, LockTable::Owner owner) {
  if (failed()) raise_failed();
  uint64_t seq;
  bool forget;
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
    if (active_.size() > 1 && !appended) {
      for (const auto& kv : keys) last_write_[kv.first] = seq;
    } else if (active_.size() > 1) {
      struct Record : leveldb::WriteBatch::Handler {
        std::unordered_map<std::string, uint64_t>& last_write;
        uint64_t seq;
        Record(std::unordered_map<std::string, uint64_t>& l, uint64_t s) : last_write(l), seq(s) {}
        void Put(const leveldb::Slice& k, const leveldb::Slice&) override { last_write[k.ToString()] = seq; }
        void Delete(const leveldb::Slice& k) override { last_write[k.ToString()] = seq; }
      } record(last_write_, seq);
      batch.Iterate(&record);
    }
    writing_.insert(seq);
    forget = rows_cached_;
  }
  // Outside the mutex, so that LevelDB can write concurrent commits as one group.
  leveldb::WriteOptions wo;
  wo.sync = sync;
  leveldb::Status st = db()->Write(wo, &batch);
  if (forget) {  // the rows written leave the row cache before the commit becomes visible
    struct Forget : leveldb::WriteBatch::Handler {
      leveldb::Cache& rows;
      explicit Forget(leveldb::Cache& r) : rows(r) {}
      void Put(const leveldb::Slice& k, const leveldb::Slice&) override { Delete(k); }
      void Delete(const leveldb::Slice& k) override {
        if (is_row(k)) rows.Erase(k);
      }
    } forget_rows(*rows_);
    batch.Iterate(&forget_rows);
  }
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
  if (failed()) raise_failed();
  leveldb::WriteOptions wo;
  wo.sync = sync;
  leveldb::Status st = db()->Put(wo, key, value);
  if (!st.ok()) write_failed(st);
}

void Store::begin_txn(uint64_t seq) {
  std::lock_guard lock(mu_);
  active_.insert(seq);
}

void Store::tag(LockTable::Owner txn, const void* tag) {
  std::lock_guard lock(mu_);
  tags_[txn] = tag;
}

std::vector<const void*> Store::blocking_tags(const void* tag) {
  std::vector<LockTable::Owner> owners;
  {
    std::lock_guard lock(mu_);
    for (const auto& [txn, t] : tags_)
      if (t == tag) owners.push_back(txn);
  }
  std::vector<LockTable::Owner> holders;
  for (LockTable::Owner o : owners)
    for (LockTable::Owner h : locks_.blockers(o)) holders.push_back(h);
  std::vector<const void*> out;
  std::lock_guard lock(mu_);
  for (LockTable::Owner h : holders)
    if (auto it = tags_.find(h); it != tags_.end()) out.push_back(it->second);
  return out;
}

void Store::end_txn(uint64_t seq, LockTable::Owner txn) {
  std::lock_guard lock(mu_);
  if (!tags_.empty()) tags_.erase(txn);
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
  // refusing writes after a failed one, until it is opened again (recover()).
  {
    std::lock_guard lock(mu_);
    if (!failed()) {
      failure_ = st.ToString();
      failure_state_ = failure_.find("No space left on device") != std::string::npos ? sqlstate::kDiskFull : sqlstate::kIoError;
      failed_ = true;
    }
  }
  raise_failed();
}

}  // namespace heliosdb::storage
