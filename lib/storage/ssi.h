// Serializable Snapshot Isolation (Cahill, Röhm, Fekete; PostgreSQL's predicate.c): what turns
// snapshot isolation into SERIALIZABLE. SERIALIZABLE transactions record what they read (keys
// and key ranges: SIREAD locks, which block nobody) and what they write. A read of a key that a
// concurrent serializable transaction wrote, or a write of a key that one read, is an
// rw-antidependency reader -> writer. A transaction with both an incoming and an outgoing edge
// is a possible pivot of a cycle; when the structure T0 -> pivot -> T2 with T2 committing first
// appears, one of them fails with 40001, following PostgreSQL's rules (and its timing: at the
// read, the write or the commit where PostgreSQL detects it).
//
// Only SERIALIZABLE transactions take part; the others cost nothing here.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

namespace heliosdb::storage {

class Ssi {
 public:
  struct Xact;
  Ssi();
  ~Ssi();

  // Registers a transaction whose snapshot is about to be taken (so every commit this one
  // counts as earlier is in that snapshot). read_only: declared READ ONLY.
  Xact* begin(bool read_only);

  // A read of key, or of every key in [begin, end) (end empty: unbounded). Throws 40001.
  void read(Xact& me, std::string_view key);
  void read_range(Xact& me, std::string_view begin, std::string_view end);
  // A write of key. Throws 40001.
  void write(Xact& me, std::string_view key);

  // Before the commit's write: throws 40001 when me must not commit; may doom a pivot.
  void pre_commit(Xact& me);
  // After the commit's write is visible to new snapshots, or after it failed / rolled back.
  // me is gone afterwards.
  void committed(Xact& me);
  void aborted(Xact& me);

 private:
  void flag_conflict(Xact& me, Xact& reader, Xact& writer);  // reader -rw-> writer, checked
  void remove_locked(Xact* x);
  void prune_locked();

  std::mutex mu_;
  uint64_t last_commit_ = 1;  // PostgreSQL's LastSxactCommitSeqNo: prepare and commit numbers
  std::vector<std::unique_ptr<Xact>> xacts_;  // running, and committed ones still overlapping
};

}  // namespace heliosdb::storage
