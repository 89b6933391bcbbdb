#include "storage/transaction.h"

#include <sys/mman.h>

#include <cstring>

#include <leveldb/db.h>
#include <leveldb/iterator.h>
#include <leveldb/write_batch.h>

#include "common/errors.h"

namespace heliosdb::storage {

namespace {
std::optional<std::string> read(leveldb::DB* db, const leveldb::Snapshot* snapshot, std::string_view key) {
  leveldb::ReadOptions ro;
  ro.snapshot = snapshot;
  std::string value;
  leveldb::Status st = db->Get(ro, leveldb::Slice(key.data(), key.size()), &value);
  if (st.IsNotFound()) return std::nullopt;
  if (!st.ok()) raise(sqlstate::kDataCorrupted, "could not read from database: {}", st.ToString());
  return value;
}
}  // namespace

namespace {
// A transaction uses the LevelDB; if opening it again after a failed write did not work,
// this is the moment to try again.
std::shared_lock<std::shared_mutex> use(Store& store) {
  if (store.closed()) store.recover();
  return std::shared_lock(store.users());
}
}  // namespace

namespace {
// Makes room for bytes in batch, which has no reserve(): a Put of that many bytes (zeros, from
// pages only read) grows its buffer once, and Clear() keeps the buffer. Growing it row by row
// instead would copy it again at every doubling, and touch twice as much new memory.
void reserve(leveldb::WriteBatch& batch, size_t bytes) {
  static const char kZeros[size_t{1} << 17] = {};
  if (bytes <= sizeof kZeros) {
    batch.Put(leveldb::Slice(), leveldb::Slice(kZeros, bytes));
  } else {
    void* zeros = mmap(nullptr, bytes, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (zeros == MAP_FAILED) return;
    batch.Put(leveldb::Slice(), leveldb::Slice(static_cast<const char*>(zeros), bytes));
    munmap(zeros, bytes);
  }
  batch.Clear();
}
}  // namespace

// LevelDB's memtable finds each key's place from the head of its skip list: a key above all the
// others walks to the end of every level, one below them stops at once. So the batch of a commit
// lists keys in descending order, which makes inserting a million appended rows about twice as
// fast. Rows arrive in ascending order; they are kept in chunks, each put into a WriteBatch
// backwards once full, and the chunks are joined last first.
struct Transaction::Run {
  static constexpr size_t kChunkRows = 1024;
  std::vector<leveldb::WriteBatch> chunks;  // full chunks, oldest first, each descending
  std::string rows;                         // the newest rows: key size (4 bytes), key, value
  std::vector<size_t> ends;                 // where each of them ends in rows
  std::string first, last;
  uint64_t seen = 0;  // the view the first row was appended under (conflict bookkeeping)

  void add(std::string_view key, std::string_view value) {
    auto size = static_cast<uint32_t>(key.size());
    rows.append(reinterpret_cast<const char*>(&size), sizeof size).append(key).append(value);
    ends.push_back(rows.size());
    if (ends.size() == kChunkRows) seal();
  }
  void seal() {  // the newest rows into a chunk of their own
    if (ends.empty()) return;
    leveldb::WriteBatch& chunk = chunks.emplace_back();
    reserve(chunk, rows.size() + 8 * ends.size());
    for (size_t i = ends.size(); i-- > 0;) {
      size_t begin = i ? ends[i - 1] : 0;
      uint32_t size;
      std::memcpy(&size, rows.data() + begin, sizeof size);
      begin += sizeof size;
      chunk.Put(leveldb::Slice(rows.data() + begin, size),
                leveldb::Slice(rows.data() + begin + size, ends[i] - begin - size));
    }
    rows.clear();
    ends.clear();
  }
  size_t bytes() const {  // what move_to() adds to a batch, about
    size_t n = rows.size() + 8 * ends.size();
    for (const leveldb::WriteBatch& chunk : chunks) n += chunk.ApproximateSize();
    return n;
  }
  // All the rows, in descending order, at the end of batch; the run is empty afterwards.
  void move_to(leveldb::WriteBatch& batch) {
    seal();
    for (; !chunks.empty(); chunks.pop_back()) batch.Append(chunks.back());
  }
};

bool Transaction::in_run(std::string_view key) const { return run_ && key >= run_->first && key <= run_->last; }

bool Transaction::run_overlaps(std::string_view begin, std::string_view end) const {
  return run_ && std::string_view(run_->last) >= begin && (end.empty() || std::string_view(run_->first) < end);
}

void Transaction::fold_run() const {
  if (!run_) return;
  struct Fold : leveldb::WriteBatch::Handler {
    WriteSet& writes;
    uint64_t seen;
    Fold(WriteSet& w, uint64_t s) : writes(w), seen(s) {}
    void Put(const leveldb::Slice& k, const leveldb::Slice& v) override {
      writes.emplace(std::string(k.data(), k.size()), PendingWrite{std::string(v.data(), v.size()), seen});
    }
    void Delete(const leveldb::Slice&) override {}
  } fold(writes_, run_->seen);
  std::unique_ptr<Run> run = std::move(run_);
  run->seal();
  for (const leveldb::WriteBatch& chunk : run->chunks) chunk.Iterate(&fold);
  ++writes_version_;
}

Transaction::Mark Transaction::mark() const {
  fold_run();
  return Mark{writes_};
}

void Transaction::rollback_to(const Mark& m) {
  run_.reset();  // appended after the mark (which folded the earlier ones)
  writes_ = m.writes;
  ++writes_version_;
}

bool Transaction::append(std::string_view key, std::string_view value) {
  if (ssi_ || no_append_) return false;  // SERIALIZABLE tracks every write
  if (run_ && key <= std::string_view(run_->last)) return false;
  if (written(key)) return false;
  if (!run_) {
    run_ = std::make_unique<Run>();
    run_->first = key;
    run_->seen = view_.seq;
  }
  run_->add(key, value);
  run_->last = key;
  return true;
}

Transaction::Transaction(Store& store, const void* tag)
    : store_(store), user_(use(store)), view_(store.view()), start_seq_(view_.seq), tag_(tag) {
  store_.begin_txn(start_seq_);
}

Transaction::~Transaction() {
  end_serializable();
  if (!done_) store_.end_txn(start_seq_, this);
  release_locks();
}

bool Transaction::lock(std::string_view key, LockTable::Mode mode, LockTable::Wait wait, int64_t lock_timeout_ms,
                       const std::function<void()>& interrupt) {
  LockTable::KeyId id = LockTable::id_of(key);
  // Only a transaction that locks can block or be blocked: its tag is kept from its first lock
  // (before it may wait), so transactions that only read cost nothing here.
  if (tag_ && !tagged_) {
    store_.tag(this, tag_);
    tagged_ = true;
  }
  switch (store_.locks().acquire(this, id, mode, wait, lock_timeout_ms, interrupt)) {
    case LockTable::Result::kBusy: return false;
    case LockTable::Result::kAcquired: locks_.push_back(id); return true;
    case LockTable::Result::kAlreadyHeld: return true;
  }
  return true;
}

void Transaction::release_locks() {
  if (locks_.empty()) return;
  store_.locks().release_all(this, locks_);
  locks_.clear();
}

bool Transaction::changed_since_snapshot(std::string_view key, std::optional<std::string>& latest) const {
  if (in_run(key) || writes_.find(key) != writes_.end()) return false;  // written here, under this transaction's lock
  if (store_.newest_commit() <= view_.seq) return false;  // nothing committed since the snapshot
  latest = read(store_.db(), nullptr, key);
  return latest != store_.get(view_, key);
}

const PendingWrite* Transaction::written(std::string_view key) const {
  if (in_run(key)) fold_run();
  // Past the last key written (a load in key order): not there, without a descent.
  if (writes_.empty() || std::string_view(writes_.rbegin()->first) < key) return nullptr;
  auto it = writes_.find(key);
  return it == writes_.end() ? nullptr : &it->second;
}

std::optional<std::string> Transaction::get_latest(std::string_view key) const {
  if (const PendingWrite* w = written(key)) return w->value;
  return read(store_.db(), nullptr, key);
}

void Transaction::refresh_snapshot() {
  spares_->clear();
  view_ = store_.view();
}

void Transaction::make_serializable(bool read_only) {
  if (ssi_ || ssi_ended_) return;
  ssi_ = store_.ssi().begin(read_only);
  view_ = store_.view();  // after registering: it holds every commit Ssi counts as earlier
}

void Transaction::end_serializable() {
  if (!ssi_) return;
  store_.ssi().aborted(*ssi_);
  ssi_ = nullptr;
  ssi_ended_ = true;
}

std::optional<std::string> Transaction::get(std::string_view key) const {
  if (const PendingWrite* w = written(key)) return w->value;
  if (ssi_) store_.ssi().read(*ssi_, key);
  return store_.get(view_, key);
}

PendingWrite& Transaction::pending(std::string_view key) {
  if (ssi_) store_.ssi().write(*ssi_, key);
  if (in_run(key)) {
    // Written out of order (not a load in key order): this transaction appends no more.
    fold_run();
    no_append_ = true;
  }
  // Keys written in ascending order (a load in key order, hidden row ids) go at the end without a
  // descent; otherwise one descent serves both the lookup and the insert.
  auto it = !writes_.empty() && std::string_view(writes_.rbegin()->first) < key ? writes_.end() : writes_.lower_bound(key);
  if (it == writes_.end() || it->first != key) {
    it = writes_.emplace_hint(it, std::string(key), PendingWrite{std::nullopt, view_.seq});
    ++writes_version_;
  }
  return it->second;
}

void Transaction::put(std::string_view key, std::string_view value) { pending(key).value.emplace(value); }

void Transaction::del(std::string_view key) { pending(key).value.reset(); }

void Transaction::commit(bool sync) {
  done_ = true;
  spares_->clear();
  // Locks go only once the batch is written (or failed): a waiter then reads the new rows.
  struct End {
    Transaction& t;
    ~End() {
      t.store_.end_txn(t.start_seq_, &t);
      t.release_locks();
    }
  } end{*this};
  if (ssi_) store_.ssi().pre_commit(*ssi_);  // may throw; the destructor ends it then
  if (has_writes() && store_.failed()) {
    // An earlier write failed: open the database again if this is its only user (its own
    // snapshot is no longer needed), then write.
    view_ = Store::View{};
    user_.unlock();
    bool recovered = store_.recover();
    user_.lock();
    if (!recovered) store_.raise_failed();
  }
  if (has_writes()) {
    // Every key in descending order (see Run): the appended rows, then the write set.
    leveldb::WriteBatch batch;
    if (run_) {
      size_t bytes = run_->bytes();
      for (const auto& [k, w] : writes_) bytes += k.size() + (w.value ? w.value->size() : 0) + 12;
      reserve(batch, bytes);
      run_->move_to(batch);
    }
    for (auto it = writes_.rbegin(); it != writes_.rend(); ++it) {
      if (it->second.value) batch.Put(it->first, *it->second.value);
      else batch.Delete(it->first);
    }
    store_.commit(batch, writes_, run_ != nullptr, sync, this);
  }
  if (ssi_) {
    store_.ssi().committed(*ssi_);
    ssi_ = nullptr;
  }
}

void Transaction::rollback() {
  spares_->clear();
  end_serializable();
  if (!done_) store_.end_txn(start_seq_, this);
  done_ = true;
  writes_.clear();
  run_.reset();
  ++writes_version_;
  release_locks();
}

Transaction::Iterator::Iterator(const Transaction& txn, std::string begin, std::string end, bool latest)
    : txn_(txn), latest_(latest), snapshot_(latest ? nullptr : txn.view_.snapshot) {
  leveldb::ReadOptions ro;
  ro.snapshot = snapshot_.get();
  db_it_.reset(txn.store_.db()->NewIterator(ro));
  seek(begin, std::move(end));
}

void Transaction::Iterator::seek(const std::string& begin, std::string end) {
  end_ = std::move(end);
  if (txn_.ssi_ && !latest_) txn_.store_.ssi().read_range(*txn_.ssi_, begin, end_);
  db_it_->Seek(begin);
  if (txn_.run_overlaps(begin, end_)) txn_.fold_run();
  w_it_ = txn_.writes_.lower_bound(begin);
  w_version_ = txn_.writes_version_;
  settle();
}

std::unique_ptr<Transaction::Iterator> Transaction::scan(std::string begin, std::string end) const {
  while (!spares_->empty()) {
    std::unique_ptr<Iterator> it = std::move(spares_->back());
    spares_->pop_back();
    if (it->snapshot_ != view_.snapshot) continue;  // of a statement before (READ COMMITTED)
    it->seek(begin, std::move(end));
    return it;
  }
  auto it = std::make_unique<Iterator>(*this, std::move(begin), std::move(end));
  it->home_ = spares_;
  return it;
}

void Transaction::recycle(std::unique_ptr<Iterator> it) {
  if (!it) return;
  auto home = it->home_.lock();
  if (home && home->size() < 8) home->push_back(std::move(it));
}

Transaction::Iterator::~Iterator() = default;

// Positions on the smallest live key of both sources; a write-set entry shadows the database.
void Transaction::Iterator::settle() {
  for (;;) {
    bool db_ok = db_it_->Valid() && (end_.empty() || db_it_->key().compare(end_) < 0);
    bool w_ok = w_it_ != txn_.writes_.end() && (end_.empty() || w_it_->first < end_);
    if (!db_ok && !w_ok) {
      valid_ = false;
      if (!db_it_->status().ok())
        raise(sqlstate::kDataCorrupted, "could not read from database: {}", db_it_->status().ToString());
      return;
    }
    int c = !db_ok ? 1 : !w_ok ? -1 : db_it_->key().compare(w_it_->first);
    if (c < 0) {
      key_.assign(db_it_->key().data(), db_it_->key().size());
      value_.assign(db_it_->value().data(), db_it_->value().size());
      valid_ = true;
      return;
    }
    if (c == 0) db_it_->Next();  // shadowed by the write set
    if (w_it_->second.value) {
      key_ = w_it_->first;
      value_ = *w_it_->second.value;
      valid_ = true;
      return;
    }
    ++w_it_;  // a deletion: skip it and look again
  }
}

void Transaction::Iterator::next() {
  if (w_version_ != txn_.writes_version_) {
    // The write set changed shape since (a cursor read between statements): find our place again.
    w_it_ = txn_.writes_.upper_bound(key_);
    w_version_ = txn_.writes_version_;
    if (db_it_->Valid() && db_it_->key() == leveldb::Slice(key_)) db_it_->Next();
    settle();
    return;
  }
  // Advance whichever source produced the current key.
  if (w_it_ != txn_.writes_.end() && w_it_->first == key_) ++w_it_;
  else db_it_->Next();
  settle();
}

}  // namespace heliosdb::storage
