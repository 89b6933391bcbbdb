#include "storage/ssi.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/errors.h"

namespace heliosdb::storage {

struct Ssi::Xact {
  uint64_t snapshot = 0;  // the last commit number its snapshot holds
  uint64_t prepared = 0;  // set by pre_commit (PostgreSQL's prepareSeqNo), 0 before
  uint64_t commit = 0;    // set when committed, 0 before
  uint64_t earliest_out_conflict_commit = 0;
  bool read_only = false;    // declared, or committed without writing
  bool doomed = false;       // must fail at its next read, write or commit
  bool did_write = false;
  bool conflict_out = false; // committed with an rw-conflict out to a transaction committed before it
  std::set<std::string, std::less<>> reads, writes;
  std::vector<std::pair<std::string, std::string>> ranges;  // [begin, end), end empty: unbounded
  std::unordered_set<Xact*> in;   // readers R with R -rw-> this
  std::unordered_set<Xact*> out;  // writers W with this -rw-> W

  bool running() const { return commit == 0; }
  // Whether other, which committed, did so before this one's snapshot (so this one saw it).
  bool saw(const Xact& other) const { return other.commit != 0 && other.commit <= snapshot; }
  bool read_covers(std::string_view key) const {
    if (reads.find(key) != reads.end()) return true;
    return std::any_of(ranges.begin(), ranges.end(), [&](const auto& r) {
      return key >= r.first && (r.second.empty() || key < r.second);
    });
  }
  bool wrote_in(std::string_view begin, std::string_view end) const {
    auto it = writes.lower_bound(begin);
    return it != writes.end() && (end.empty() || std::string_view(*it) < end);
  }
};

namespace {
[[noreturn]] void fail(std::string_view reason) {
  throw Error(sqlstate::kTRSerializationFailure,
              "could not serialize access due to read/write dependencies among transactions")
      .with_detail(fmt::format("Reason code: {}", reason))
      .with_hint("The transaction might succeed if retried.");
}
}  // namespace

Ssi::Ssi() = default;
Ssi::~Ssi() = default;

Ssi::Xact* Ssi::begin(bool read_only) {
  std::lock_guard lock(mu_);
  auto x = std::make_unique<Xact>();
  x->snapshot = last_commit_;
  x->read_only = read_only;
  xacts_.push_back(std::move(x));
  return xacts_.back().get();
}

// PostgreSQL's CheckForSerializableConflictOut: me read something writer wrote and me's
// snapshot does not hold.
void Ssi::read(Xact& me, std::string_view key) {
  std::lock_guard lock(mu_);
  if (me.doomed) fail("Canceled on identification as a pivot, during conflict out checking.");
  if (me.writes.find(key) != me.writes.end()) return;  // its own row
  me.reads.emplace(key);
  for (const auto& w : xacts_)
    if (w.get() != &me && w->writes.find(key) != w->writes.end()) flag_conflict(me, me, *w);
}

void Ssi::read_range(Xact& me, std::string_view begin, std::string_view end) {
  std::lock_guard lock(mu_);
  if (me.doomed) fail("Canceled on identification as a pivot, during conflict out checking.");
  auto same = [&](const auto& r) { return r.first == begin && r.second == end; };
  if (std::none_of(me.ranges.begin(), me.ranges.end(), same)) me.ranges.emplace_back(begin, end);
  for (const auto& w : xacts_)
    if (w.get() != &me && w->wrote_in(begin, end)) flag_conflict(me, me, *w);
}

// PostgreSQL's CheckForSerializableConflictIn: me writes something a concurrent reader read.
void Ssi::write(Xact& me, std::string_view key) {
  std::lock_guard lock(mu_);
  if (me.doomed) fail("Canceled on identification as a pivot, during conflict in checking.");
  me.did_write = true;
  me.writes.emplace(key);
  for (const auto& r : xacts_)
    if (r.get() != &me && !r->doomed && !me.saw(*r) && r->read_covers(key)) flag_conflict(me, *r, me);
}

// PostgreSQL's FlagRWConflict and OnConflict_CheckForSerializationFailure.
void Ssi::flag_conflict(Xact& me, Xact& reader, Xact& writer) {
  if (reader.saw(writer)) return;  // not concurrent: the reader's snapshot holds the write
  if (reader.out.count(&writer)) return;
  if (&reader == &me && reader.read_only && writer.commit != 0 &&
      (!writer.conflict_out || reader.snapshot < writer.earliest_out_conflict_commit))
    return;  // a read-only transaction that appears to run before the writer: no conflict
  reader.out.insert(&writer);
  writer.in.insert(&reader);

  // reader -> writer -> t2, t2 committed (or committing) first.
  bool failure = writer.commit != 0 && writer.conflict_out;
  if (!failure) {
    for (Xact* t2 : writer.out) {
      if (t2->prepared != 0 && (reader.commit == 0 || t2->prepared <= reader.commit) &&
          (writer.commit == 0 || t2->prepared <= writer.commit) &&
          (!reader.read_only || t2->prepared <= reader.snapshot)) {
        failure = true;
        break;
      }
    }
  }
  // t0 -> reader -> writer, writer committed (or committing) first.
  if (!failure && writer.prepared != 0 && !reader.read_only) {
    for (Xact* t0 : reader.in) {
      if (!t0->doomed && (t0->commit == 0 || t0->commit >= writer.prepared) &&
          (!t0->read_only || t0->snapshot >= writer.prepared)) {
        failure = true;
        break;
      }
    }
  }
  if (!failure) return;
  if (&writer == &me) fail("Canceled on identification as a pivot, during write.");
  if (writer.prepared != 0) fail("Canceled on conflict out to pivot, during read.");
  writer.doomed = true;  // it fails when it next reads, writes or commits
}

// PostgreSQL's PreCommit_CheckForSerializationFailure.
void Ssi::pre_commit(Xact& me) {
  std::lock_guard lock(mu_);
  if (me.doomed) fail("Canceled on identification as a pivot, during commit attempt.");
  for (Xact* near : me.in) {
    if (near->commit != 0 || near->doomed) continue;
    for (Xact* far : near->in) {
      if (far == &me || (far->commit == 0 && !far->read_only && !far->doomed)) {
        if (near->prepared != 0) fail("Canceled on commit attempt with conflict in from prepared pivot.");
        near->doomed = true;
        break;
      }
    }
  }
  me.prepared = ++last_commit_;
}

void Ssi::committed(Xact& me) {
  std::lock_guard lock(mu_);
  me.commit = ++last_commit_;
  if (!me.did_write) me.read_only = true;
  // Conflicts between two committed transactions are no longer needed as edges: what matters
  // of them later is summed up in conflict_out.
  for (auto it = me.out.begin(); it != me.out.end();) {
    Xact* w = *it;
    if (!me.read_only && w->commit != 0) {
      if (!me.conflict_out || w->prepared < me.earliest_out_conflict_commit)
        me.earliest_out_conflict_commit = w->prepared;
      me.conflict_out = true;
    }
    if (w->commit != 0) {
      w->in.erase(&me);
      it = me.out.erase(it);
    } else {
      ++it;
    }
  }
  for (auto it = me.in.begin(); it != me.in.end();) {
    Xact* r = *it;
    if (r->commit != 0 || r->read_only) {
      r->out.erase(&me);
      it = me.in.erase(it);
    } else {
      ++it;
    }
  }
  prune_locked();
}

void Ssi::aborted(Xact& me) {
  std::lock_guard lock(mu_);
  remove_locked(&me);
  prune_locked();
}

void Ssi::remove_locked(Xact* x) {
  for (Xact* w : x->out) w->in.erase(x);
  for (Xact* r : x->in) r->out.erase(x);
  std::erase_if(xacts_, [x](const auto& p) { return p.get() == x; });
}

// A committed transaction matters while a running one is concurrent with it.
void Ssi::prune_locked() {
  uint64_t oldest = UINT64_MAX;
  for (const auto& x : xacts_)
    if (x->running()) oldest = std::min(oldest, x->snapshot);
  std::vector<Xact*> old;
  for (const auto& x : xacts_)
    if (!x->running() && x->commit <= oldest) old.push_back(x.get());
  for (Xact* x : old) remove_locked(x);
}

}  // namespace heliosdb::storage
