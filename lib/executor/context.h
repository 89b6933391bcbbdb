// What a running statement can reach: its transaction, the catalog, parameters and settings.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/type_io.h"
#include "heliosdb/value.h"
#include "storage/locks.h"

namespace heliosdb::storage { class Transaction; }
namespace heliosdb::catalog { class Catalog; struct SystemView; }

namespace heliosdb::exec {

using Row = std::vector<Value>;

struct ExecContext;
class TableWriter;
struct KeyChecks;

// Services of the session and database that expressions call (implemented by the engine).
class SessionServices {
 public:
  virtual ~SessionServices() = default;
  virtual int64_t nextval(uint32_t sequence_id) = 0;
  virtual int64_t currval(uint32_t sequence_id) = 0;
  // The value nextval last returned in this session, of whichever sequence (lastval()).
  virtual int64_t lastval() = 0;
  virtual int64_t setval(uint32_t sequence_id, int64_t value, bool is_called) = 0;
  // A sequence read as a relation: last_value, log_cnt, is_called.
  virtual Row sequence_row(uint32_t sequence_id) = 0;
  virtual uint64_t next_row_id(uint32_t table_id) = 0;
  // has_table_privilege & co.: whether role has any of privileges (catalog::Privilege bits) on
  // the object of that kind ('r' relation, 'S' sequence, 'n' schema, 'd' database).
  virtual bool has_privilege(uint32_t role, char kind, uint32_t object, uint32_t privileges) = 0;
  // A role's OID by name; 42704 when there is none.
  virtual uint32_t role_oid(const std::string& name) = 0;
  // shobj_description of a role (COMMENT ON ROLE); empty when none.
  virtual std::string role_comment(uint32_t role) = 0;
  virtual std::string setting(const std::string& name) = 0;
  // The current rows of a system relation (catalog/system_views.h) over `catalog`.
  virtual std::vector<Row> system_rows(const catalog::SystemView& view, const catalog::Catalog& catalog) = 0;
  // Advisory locks: `xact` ones end with the transaction, the others with the session (or an
  // unlock). lock waits unless try_only; unlock returns false when the lock is not held.
  virtual bool advisory_lock(const std::string& key, bool xact, bool try_only, const ExecContext& ctx) = 0;
  virtual bool advisory_unlock(const std::string& key) = 0;
  // pg_blocking_pids: the backends holding the row or advisory locks backend `pid` waits for.
  virtual std::vector<int64_t> blocking_pids(int64_t pid) = 0;
  virtual void advisory_unlock_all() = 0;
  // set_config(name, value, is_local): SET, returning the new value.
  virtual std::string set_config(const std::string& name, const std::string& value, bool is_local) = 0;
  // pg_get_expr, pg_get_indexdef, pg_get_constraintdef (nullopt: no such object).
  virtual std::string get_expr(const std::string& node_tree, uint32_t relid, bool pretty) = 0;
  virtual std::optional<std::string> get_indexdef(uint32_t index_oid, int column, bool pretty) = 0;
  virtual std::optional<std::string> get_constraintdef(uint32_t constraint_oid, bool pretty) = 0;
  virtual std::optional<std::string> get_triggerdef(uint32_t trigger_oid, bool pretty) = 0;
  // pg_get_function_arguments (result false) / pg_get_function_result of a CREATE FUNCTION function.
  virtual std::optional<std::string> get_function_arguments(uint32_t function_oid, bool result) = 0;
  // A writer of the table (its CHECKs and DEFAULTs bound) for the rows a foreign key action
  // changes; kept by the session while the catalog does not change.
  virtual TableWriter& table_writer(const catalog::Catalog& catalog, uint32_t table_id) = 0;
  // NOTIFY channel, payload (pg_notify): sent when the transaction commits.
  virtual void notify(const std::string& channel, const std::string& payload) = 0;
  // Runs a function of CREATE FUNCTION (LANGUAGE sql or plpgsql) with these arguments.
  virtual Value call_function(uint32_t function, const std::vector<Value>& args, ExecContext& ctx) = 0;
  // Runs a set-returning PL/pgSQL function: the rows it returned (RETURN NEXT / RETURN QUERY).
  virtual std::vector<Row> call_set_function(uint32_t function, const std::vector<Value>& args, ExecContext& ctx) = 0;
};

struct ExecContext {
  storage::Transaction* txn = nullptr;
  const catalog::Catalog* catalog = nullptr;
  const std::vector<Value>* params = nullptr;
  types::TextContext text;
  int64_t txn_start = 0;   // µs since 2000-01-01 UTC: now(), CURRENT_TIMESTAMP
  int64_t stmt_start = 0;  // statement_timestamp()
  SessionServices* services = nullptr;
  const Row* outer = nullptr;  // the current outer row, for correlated subqueries
  // The rows of the queries further out than `outer`, nearest first, for references two or
  // more query levels up: whatever sets `outer` (a subquery, a lateral join) keeps the one
  // before it here.
  struct OuterRows {
    const Row* row;
    const OuterRows* up;
  };
  const OuterRows* outer_up = nullptr;
  // Sets `outer` to row for this object's lifetime, keeping the one before it in outer_up.
  class WithOuter {
   public:
    WithOuter(ExecContext& ctx, const Row* row)
        : ctx_(ctx), saved_(ctx.outer), saved_up_(ctx.outer_up), up_{ctx.outer, ctx.outer_up} {
      ctx.outer = row;
      ctx.outer_up = &up_;
    }
    ~WithOuter() {
      ctx_.outer = saved_;
      ctx_.outer_up = saved_up_;
    }
    WithOuter(const WithOuter&) = delete;
    WithOuter& operator=(const WithOuter&) = delete;

   private:
    ExecContext& ctx_;
    const Row* saved_;
    const OuterRows* saved_up_;
    OuterRows up_;
  };
  uint64_t run_id = 0;         // distinct per statement execution (subquery result caches)
  const std::atomic<bool>* cancel = nullptr;  // set by a CancelRequest: stop with 57014
  int64_t deadline = 0;  // statement_timeout: steady-clock µs after which the statement stops, 0 = none
  int64_t lock_timeout_ms = 0;   // lock_timeout, 0 = none
  bool repeatable_read = false;  // REPEATABLE READ or SERIALIZABLE: a row changed since the snapshot is 40001
  KeyChecks* key_checks = nullptr;  // foreign key checks waiting for the statement's end (null: check at once)
  bool bulk_load = false;  // COPY FROM: inserted rows are appended (storage::Transaction::append) when they can be

  // Locks a row (or unique key) for the transaction until it ends, waiting while another holds
  // it; a wait ends with the holder, or with 55P03 (lock_timeout), 57014 (cancel,
  // statement_timeout) or 40P01 (deadlock). False only for Wait::kNoWait / kSkip when busy.
  bool lock_row(std::string_view key, storage::LockTable::Mode mode = storage::LockTable::Mode::kExclusive,
                storage::LockTable::Wait wait = storage::LockTable::Wait::kBlock) const;
  // 57014 now if the statement was cancelled or is past statement_timeout.
  void check_now() const {
    if (cancel && cancel->load(std::memory_order_relaxed)) throw_cancelled();
    if (deadline) check_deadline();
  }

  // Throws 57014 when the statement was cancelled or ran past statement_timeout; called by
  // operators as they produce rows (the clock is read every 256th call).
  void check_cancel() const {
    if (cancel && cancel->load(std::memory_order_relaxed)) throw_cancelled();
    if (deadline && (++ticks_ & 255) == 0) check_deadline();
  }
  void check_deadline() const;
  [[noreturn]] static void throw_cancelled();
  mutable uint32_t ticks_ = 0;
};

}  // namespace heliosdb::exec
