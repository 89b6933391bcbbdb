#include "engine/database_impl.h"

#include <chrono>
#include <utility>

#include <leveldb/db.h>
#include <leveldb/iterator.h>

#include "common/blocking.h"
#include "common/errors.h"
#include "common/key_codec.h"
#include "executor/table_access.h"
#include "storage/transaction.h"

namespace heliosdb::engine {

DatabaseImpl::DatabaseImpl(std::string name, std::unique_ptr<storage::Store> store, const Options& options)
    : name_(std::move(name)), options_(options), store_(std::move(store)) {
  storage::Transaction txn(*store_);
  auto loaded = catalog::Catalog::load(txn);
  txn.rollback();
  // The planner's live size hints: the rows written since, and what LevelDB holds in its files
  // for a table's key range (its memtable is not counted).
  table_activity_->set_stored_bytes([store = store_.get()](uint32_t table_id) -> uint64_t {
    if (store->failed()) return 0;
    std::string begin = exec::table_prefix(table_id), end = keys::prefix_successor(begin);
    leveldb::Range range(begin, end);
    uint64_t size = 0;
    store->db()->GetApproximateSizes(&range, 1, &size);
    return size;
  });
  loaded->set_activity(table_activity_);
  catalog_ = std::move(loaded);
}

DatabaseImpl::~DatabaseImpl() {
  default_session.reset();  // before the store it may still hold a transaction on
  table_activity_->set_stored_bytes(nullptr);  // catalog snapshots may outlive the store
  // A clean close stores each sequence's exact position (nextval logs ahead of it).
  try {
    std::lock_guard lock(seq_mu_);
    for (auto& [id, st] : sequences_)
      if (st.loaded && st.covered > 0 && catalog_ && catalog_->sequence(id)) persist_sequence(id, st.last, st.called);
  } catch (...) {
    // A failed disk: the logged-ahead values stay, which only skips numbers.
  }
}

std::shared_ptr<const catalog::Catalog> DatabaseImpl::catalog() const {
  std::lock_guard lock(catalog_mu_);
  return catalog_;
}

void DatabaseImpl::commit(storage::Transaction& txn, std::shared_ptr<catalog::Catalog> changed, uint64_t base_version,
                          bool sync) {
  if (!changed) {
    txn.commit(sync);
    return;
  }
  std::lock_guard commit_lock(commit_mu_);
  {
    std::lock_guard lock(catalog_mu_);
    if (catalog_->version() != base_version) {
      txn.rollback();
      raise(sqlstate::kTRSerializationFailure, "could not serialize access due to concurrent schema change");
    }
  }
  txn.commit(sync);
  changed->bump_version();
  std::lock_guard lock(catalog_mu_);
  catalog_ = std::move(changed);
}

DatabaseImpl::SequenceState& DatabaseImpl::sequence_state(const catalog::SequenceDef& seq) {
  auto& st = sequences_[seq.id];
  if (!st.loaded) {
    std::string key{storage::space::kSequence};
    keys::append_u32(key, seq.id);
    std::string value;
    if (store_->db()->Get(leveldb::ReadOptions(), key, &value).ok() && value.size() == 9) {
      st.last = static_cast<int64_t>(keys::read_u64(value, 0));
      st.called = value[8] != 0;
    } else {
      st.last = seq.start;
      st.called = false;
    }
    st.loaded = true;
  }
  return st;
}

bool DatabaseImpl::advisory_lock(const std::string& key, const void* owner, const void* session, bool wait,
                                 const std::function<void()>& still_waiting) {
  std::unique_lock lock(advisory_mu_);
  bool waited = false;
  struct Waiting {  // the wait ends however the loop is left (advisory_mu_ held then)
    std::map<const void*, std::string>& waits;
    const void* session;
    bool on = false;
    ~Waiting() { if (on) waits.erase(session); }
  } waiting{advisory_waits_, session};
  for (;;) {
    auto& h = advisory_[key];
    if (h.count == 0 || h.owner == owner) {
      h.owner = owner;
      h.session = session;
      ++h.count;
      return true;
    }
    if (!wait) return false;
    if (!std::exchange(waited, true)) {
      about_to_wait();
      advisory_waits_[session] = key;
      waiting.on = true;
    }
    advisory_cv_.wait_for(lock, std::chrono::milliseconds(10));
    lock.unlock();
    try {
      still_waiting();
    } catch (...) {
      lock.lock();
      if (auto it = advisory_.find(key); it != advisory_.end() && it->second.count == 0) advisory_.erase(it);
      throw;
    }
    lock.lock();
  }
}

std::vector<const void*> DatabaseImpl::advisory_blockers(const void* session) {
  std::lock_guard lock(advisory_mu_);
  auto w = advisory_waits_.find(session);
  if (w == advisory_waits_.end()) return {};
  auto it = advisory_.find(w->second);
  if (it == advisory_.end() || it->second.count == 0 || it->second.session == session) return {};
  return {it->second.session};
}

bool DatabaseImpl::advisory_unlock(const std::string& key, const void* owner) {
  std::lock_guard lock(advisory_mu_);
  auto it = advisory_.find(key);
  if (it == advisory_.end() || it->second.owner != owner || it->second.count == 0) return false;
  if (--it->second.count == 0) {
    advisory_.erase(it);
    advisory_cv_.notify_all();
  }
  return true;
}

void DatabaseImpl::advisory_unlock_all(const void* owner) {
  std::lock_guard lock(advisory_mu_);
  std::erase_if(advisory_, [&](const auto& kv) { return kv.second.owner == owner; });
  advisory_cv_.notify_all();
}

std::pair<int64_t, bool> DatabaseImpl::sequence_value(const catalog::SequenceDef& seq) {
  std::lock_guard lock(seq_mu_);
  auto& st = sequence_state(seq);
  return {st.last, st.called};
}

void DatabaseImpl::reset_sequence(uint32_t id) {
  std::lock_guard lock(seq_mu_);
  sequences_.erase(id);
  std::string key{storage::space::kSequence};
  keys::append_u32(key, id);
  std::string value;
  if (store_->db()->Get(leveldb::ReadOptions(), key, &value).ok()) store_->put_direct(key, "", false);  // read as never called
}

void DatabaseImpl::persist_sequence(uint32_t id, int64_t last, bool called) {
  std::string key{storage::space::kSequence};
  keys::append_u32(key, id);
  std::string value;
  keys::append_u64(value, static_cast<uint64_t>(last));
  value.push_back(called ? 1 : 0);
  store_->put_direct(key, value, false);
}

int64_t DatabaseImpl::nextval(const catalog::SequenceDef& seq) {
  std::lock_guard lock(seq_mu_);
  auto& st = sequence_state(seq);
  int64_t next = st.last;
  if (st.called) {
    __int128 n = static_cast<__int128>(st.last) + seq.increment;
    if (n > seq.max || n < seq.min) {
      if (!seq.cycle)
        raise(sqlstate::kSequenceGeneratorLimitExceeded, "nextval: reached {} value of sequence \"{}\" ({})",
              seq.increment > 0 ? "maximum" : "minimum", seq.name, seq.increment > 0 ? seq.max : seq.min);
      n = seq.increment > 0 ? seq.min : seq.max;
    }
    next = static_cast<int64_t>(n);
  }
  st.last = next;
  st.called = true;
  // As PostgreSQL (SEQ_LOG_VALS), the stored value runs 32 calls ahead, so that most calls
  // write nothing: a write here would queue behind other sessions' synced commits while holding
  // seq_mu_. After a crash the sequence goes on after the stored value: numbers are skipped,
  // never handed out twice. (A cycling sequence stores every value.)
  if (st.covered > 0) {
    --st.covered;
  } else if (seq.cycle) {
    persist_sequence(seq.id, next, true);
  } else {
    constexpr int64_t kLogAhead = 32;
    __int128 ahead = static_cast<__int128>(next) + static_cast<__int128>(seq.increment) * kLogAhead;
    ahead = std::min<__int128>(std::max<__int128>(ahead, seq.min), seq.max);
    persist_sequence(seq.id, static_cast<int64_t>(ahead), true);
    st.covered = static_cast<int64_t>((ahead - next) / seq.increment);
  }
  return next;
}

int64_t DatabaseImpl::setval(const catalog::SequenceDef& seq, int64_t value, bool is_called) {
  if (value < seq.min || value > seq.max)
    raise(sqlstate::kNumericValueOutOfRange, "setval: value {} is out of bounds for sequence \"{}\" ({}..{})", value,
          seq.name, seq.min, seq.max);
  std::lock_guard lock(seq_mu_);
  auto& st = sequence_state(seq);
  st.last = value;
  st.called = is_called;
  st.covered = 0;
  persist_sequence(seq.id, value, is_called);
  return value;
}

uint64_t DatabaseImpl::next_row_id(uint32_t table_id) {
  std::lock_guard lock(seq_mu_);
  auto it = row_ids_.find(table_id);
  if (it == row_ids_.end()) {
    // Continue after the largest id stored for the table. An empty table is found by seeking
    // forward: stepping back from its end would walk over every deleted entry below it (a
    // dropped table's rows, until compaction removes them), one by one.
    std::string prefix{storage::space::kTable};
    keys::append_u32(prefix, table_id);
    std::unique_ptr<leveldb::Iterator> iter(store_->db()->NewIterator(leveldb::ReadOptions()));
    uint64_t next = 1;
    iter->Seek(prefix);
    if (iter->Valid() && iter->key().starts_with(prefix)) {
      iter->Seek(keys::prefix_successor(prefix));
      if (iter->Valid()) iter->Prev();
      else iter->SeekToLast();
      if (iter->Valid() && iter->key().starts_with(prefix) && iter->key().size() == prefix.size() + 8)
        next = keys::read_u64(std::string_view(iter->key().data(), iter->key().size()), prefix.size()) + 1;
    }
    it = row_ids_.emplace(table_id, next).first;
  }
  return it->second++;
}

}  // namespace heliosdb::engine
