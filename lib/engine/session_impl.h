// The engine behind heliosdb::Session: transaction state, settings, statement execution.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/database_impl.h"
#include "executor/context.h"
#include "heliosdb/error.h"
#include "heliosdb/result.h"
#include "heliosdb/session.h"
#include "planner/binder.h"
#include "sql/parser.h"
#include "storage/transaction.h"

namespace heliosdb::engine {

// How PostgreSQL spells a setting kept here in lower case ("timezone" is "TimeZone"): in SHOW's
// column, pg_settings.name and ParameterStatus.
std::string_view setting_display_name(std::string_view name);
// Settings a session cannot change (PostgreSQL's PGC_INTERNAL ones among ours).
bool fixed_setting(const std::string& name);

// A prepared statement: the parse tree and the bound plan (re-planned when the catalog moves).
struct PreparedImpl {
  std::shared_ptr<const sql::ParseResult> parsed;
  const sql::Statement* stmt = nullptr;
  std::vector<uint32_t> param_types;
  std::vector<Column> columns;
  std::string tag;        // command tag of the statement kind
  bool returns_rows = false;
  std::unique_ptr<planner::Plan> plan;  // cached plan for DML/SELECT, or null
  uint64_t catalog_version = 0;
};

// Receives what a statement produces: columns once, then rows, then the completion tag.
class ResultSink {
 public:
  virtual ~ResultSink() = default;
  virtual void columns(const std::vector<Column>& cols) = 0;
  // Returns false to stop early (the statement still completes).
  virtual bool row(const Row& row) = 0;
  virtual void complete(const std::string& tag, uint64_t count) = 0;
  virtual void notice(const Error& n) { (void)n; }
  // COPY TO STDOUT: starts the copy (false when this sink cannot take COPY data: 0A000), then
  // data in chunks of whole lines; complete() ends it.
  virtual bool copy_out_begin(size_t ncols, bool binary) {
    (void)ncols;
    (void)binary;
    return false;
  }
  virtual void copy_out_data(std::string_view data) { (void)data; }
};

// Keeps the rows a statement produces; notices go to `notices` when given.
class CollectSink final : public ResultSink {
 public:
  explicit CollectSink(ResultSink* notices = nullptr) : notices_(notices) {}
  std::vector<Row> rows;
  std::vector<Column> result_columns;  // of the last statement that returned rows
  uint64_t count = 0;
  void columns(const std::vector<Column>& c) override { result_columns = c; }
  bool row(const Row& r) override {
    rows.push_back(r);
    return true;
  }
  void complete(const std::string&, uint64_t n) override { count = n; }
  void notice(const Error& n) override {
    if (notices_) notices_->notice(n);
  }

 private:
  ResultSink* notices_;
};

// Discards what a statement produces; notices go to `notices` when given.
class DiscardSink final : public ResultSink {
 public:
  explicit DiscardSink(ResultSink* notices = nullptr) : notices_(notices) {}
  void columns(const std::vector<Column>&) override {}
  bool row(const Row&) override { return true; }
  void complete(const std::string&, uint64_t) override {}
  void notice(const Error& n) override {
    if (notices_) notices_->notice(n);
  }

 private:
  ResultSink* notices_;
};

struct CopyIn;
struct CopyReaderBatch;

// An opened query whose rows are pulled by the caller (see portal.h).
struct OpenQuery {
  planner::Plan* plan = nullptr;
  std::unique_ptr<planner::Plan> owned;
  std::vector<Value> params;
  exec::ExecContext ctx;
  bool autocommit = false;
};

// A cursor of DECLARE ... CURSOR: an open query that FETCH pulls from. WITH HOLD cursors read
// their rows at DECLARE and outlive the transaction.
struct SqlCursor {
  std::unique_ptr<planner::Plan> plan;
  std::vector<Value> params;
  exec::ExecContext ctx;
  std::vector<Column> columns;
  // The rows read from the plan so far (WITH HOLD: all of them), kept so that FETCH can move
  // backward; a cursor that is not SCROLL stops keeping them past kKeptRows and can then only
  // move forward, as can a NO SCROLL one.
  static constexpr size_t kKeptRows = 10000;
  std::vector<Row> rows;
  size_t first_kept = 1;  // the number of rows[0] (rows are numbered from 1)
  size_t pos = 0;         // the current row: 0 before the first, read_count() + 1 after the last
  size_t read = 0;        // rows read from the plan
  std::string statement;  // the DECLARE as written (pg_cursors)
  int64_t created = 0;    // µs since 2000-01-01 UTC
  bool hold = false;
  bool scroll = false;     // SCROLL: keeps every row
  bool no_scroll = false;  // NO SCROLL, or past kKeptRows: forward only
  bool done = false;  // read to the end (or WITH HOLD: rows kept, plan closed)
  // Makes row k (from 1) available: false when the query has fewer rows.
  bool reach(size_t k);
  const Row& row(size_t k) const { return rows[k - first_kept]; }
  ~SqlCursor() {
    if (plan && !done) plan->root->close();
  }
};

// A SET statement's value as text (identifiers and strings as is, numbers as written).
std::string set_argument_text(const boost::json::value& argument);

class SessionImpl : public exec::SessionServices {
 public:
  // counted: a user of the database (DROP DATABASE waits for those); the database's own
  // session behind Database::execute is not one.
  explicit SessionImpl(std::shared_ptr<DatabaseImpl> db, bool counted = true);
  ~SessionImpl() override;

  // Runs every statement of sql (simple-query rules: one implicit transaction for several).
  void execute_script(std::string_view sql, ResultSink& sink);
  // Runs a prepared statement with parameters (already in the statement's parameter types
  // or untyped text to be parsed).
  void execute_prepared(PreparedImpl& p, const std::vector<Value>& params, ResultSink& sink);
  std::shared_ptr<PreparedImpl> prepare(std::string_view sql, const std::vector<uint32_t>& param_types);
  std::shared_ptr<PreparedImpl> prepare_unchecked(std::string_view sql, const std::vector<uint32_t>& param_types);

  // Opens a SELECT for pulling rows; close_query ends it (committing an autocommit
  // transaction when ok, rolling back otherwise).
  std::unique_ptr<OpenQuery> open_query(PreparedImpl& p, std::vector<Value> params);
  void close_query(OpenQuery& q, bool ok);

  // COPY FROM STDIN over the wire: start_copy_in returns nullptr when sql is not a lone
  // COPY ... FROM STDIN (run it with execute_script then); the data follows in any chunks;
  // finish_copy_in returns the tag ("COPY n"); abort_copy_in ends it without keeping a row.
  std::unique_ptr<CopyIn> start_copy_in(std::string_view sql);
  // notices: where the NOTICEs of the table's triggers go.
  void copy_in_data(CopyIn& copy, std::string_view data, ResultSink* notices = nullptr);
  std::string finish_copy_in(CopyIn& copy, ResultSink* notices = nullptr);
  void abort_copy_in(CopyIn& copy);

  // The extended-query protocol runs everything up to Sync in one implicit transaction.
  void begin_pipeline() { if (!in_block_) implicit_block_ = true; }
  // At Sync: commits the implicit transaction (rolls it back after an error).
  void end_pipeline(bool failed);
  // A connection's startup parameters (DateStyle, TimeZone, application_name, ...).
  void set_parameter(const std::string& name, const std::string& value);
  // After the connection's parameters: refuses the login (53300, 55000) when the role's or the
  // database's CONNECTION LIMIT is reached or the database does not ALLOW_CONNECTIONS.
  void check_login();

  // Asks the running statement to stop with 57014 (CancelRequest); cleared when the next
  // statement starts.
  void cancel() { cancel_.store(true); }

  // The columns of the DECLAREd cursor `name` (a protocol Describe of that portal), or nullptr.
  const std::vector<Column>* cursor_columns(const std::string& name) const {
    auto it = cursors_.find(name);
    return it == cursors_.end() ? nullptr : &it->second->columns;
  }

  // DEALLOCATE name / ALL (empty name) reaches the protocol's named statements through this;
  // it returns whether the statement existed.
  std::function<bool(const std::string& name)> deallocate;

  // The schema of this session's TEMP tables ("pg_temp_N"), made on first use; dropped with
  // everything in it when the session ends.
  const std::string& temp_schema();
  void drop_temp_relations(const std::function<bool(const std::string&)>& which) noexcept;
  // CREATE TEMP TABLE ... ON COMMIT DROP / DELETE ROWS: done when a transaction commits.
  void add_on_commit_action(const catalog::TableDef& t, bool drop);

  char transaction_status() const;
  // Changes whenever a setting may have changed (SET, RESET, transaction ends).
  uint64_t settings_version() const { return settings_version_; }
  // How long the connection may wait for the next message (idle_session_timeout outside a
  // transaction, idle_in_transaction_session_timeout inside); 0 = forever.
  int64_t idle_timeout_ms() const { return in_block_ ? idle_in_transaction_timeout_ms_ : idle_session_timeout_ms_; }
  std::string setting(const std::string& name) override;
  std::vector<Row> system_rows(const catalog::SystemView& view, const catalog::Catalog& catalog) override;
  std::string set_config(const std::string& name, const std::string& value, bool is_local) override;
  bool advisory_lock(const std::string& key, bool xact, bool try_only, const exec::ExecContext& ctx) override;
  bool advisory_unlock(const std::string& key) override;
  std::vector<int64_t> blocking_pids(int64_t pid) override;
  void advisory_unlock_all() override;
  std::string get_expr(const std::string& node_tree, uint32_t relid, bool pretty) override;
  std::optional<std::string> get_indexdef(uint32_t index_oid, int column, bool pretty) override;
  std::optional<std::string> get_constraintdef(uint32_t constraint_oid, bool pretty) override;
  std::optional<std::string> get_triggerdef(uint32_t trigger_oid, bool pretty) override;
  std::optional<std::string> get_function_arguments(uint32_t function_oid, bool result) override;
  std::string trigger_definition(const catalog::Catalog& cat, const catalog::TableDef& t, const catalog::TriggerDef& g, bool pretty);
  exec::TableWriter& table_writer(const catalog::Catalog& catalog, uint32_t table_id) override;
  DatabaseImpl& db() { return *db_; }
  const types::TextContext& text_context() const { return text_; }

  // Roles as this transaction sees them (its own CREATE/ALTER/DROP ROLE included), and a private
  // copy for role DDL, published when the transaction commits.
  const catalog::Roles& roles();
  catalog::Roles& writable_roles();
  // current_user's OID (SET ROLE's role, else the session user), session_user's; 0 when the
  // role was dropped meanwhile.
  uint32_t current_role_oid();
  uint32_t session_role_oid();
  bool is_superuser(uint32_t role);
  // 42501 "permission denied for table t" (or view, schema, sequence) unless allowed.
  void check_access(const std::vector<planner::AccessCheck>& checks);
  void check_schema_privilege(const std::string& schema, uint32_t privilege);
  void check_sequence_privilege(const catalog::SequenceDef& sequence, uint32_t any_of);
  // 42501 "must be owner of <kind> <name>" unless the current user has the owner's privileges.
  void check_owner(const catalog::Ownership& object, std::string_view kind, const std::string& name);

  // SessionServices
  bool has_privilege(uint32_t role, char kind, uint32_t object, uint32_t privileges) override;
  uint32_t role_oid(const std::string& name) override;
  std::string role_comment(uint32_t role) override {
    const auto* r = roles().find(role);
    return r ? r->comment : std::string();
  }
  int64_t nextval(uint32_t sequence_id) override;
  int64_t currval(uint32_t sequence_id) override;
  int64_t lastval() override;
  int64_t setval(uint32_t sequence_id, int64_t value, bool is_called) override;
  Row sequence_row(uint32_t sequence_id) override;
  uint64_t next_row_id(uint32_t table_id) override;
  // The enums and domains statements of this session see (for types::UserTypesScope).
  const types::UserTypes* user_types() const { return &names_; }

  // Functions of CREATE FUNCTION and triggers (routines.cpp).
  struct Routine;
  Value call_function(uint32_t function, const std::vector<Value>& args, exec::ExecContext& ctx) override;
  std::vector<Row> call_set_function(uint32_t function, const std::vector<Value>& args, exec::ExecContext& ctx) override;
  // The triggers of one statement on one table (run_plan, COPY).
  class StatementTriggers {
   public:
    // set_columns: an UPDATE's SET targets (row positions), for UPDATE OF.
    StatementTriggers(SessionImpl& s, std::shared_ptr<const catalog::TableDef> table, std::vector<size_t> set_columns = {});
    bool any() const { return any_; }
    void before_statement(int events);  // catalog::kTriggerInsert | ...
    // BEFORE ROW triggers: false when one returned NULL (the row is skipped); may change new_row.
    bool before_row(int event, const Row* old_row, Row* new_row);
    void after_row(int event, const Row* old_row, const Row* new_row);  // queued
    // The queued AFTER ROW triggers, then the AFTER STATEMENT ones.
    void after_statement();

   private:
    bool applies(const catalog::TriggerDef& t, int event) const;
    struct Queued {
      const catalog::TriggerDef* trigger;
      int event;
      Row old_row, new_row;
      bool has_old, has_new;
    };
    SessionImpl& s_;
    std::shared_ptr<const catalog::TableDef> table_;
    std::vector<size_t> set_columns_;
    bool any_ = false;
    int events_ = 0;
    std::vector<Queued> queued_;
  };
  // The row triggers of the partitions a statement routes rows to (INSERT, COPY, UPDATE's row
  // movement): each partition's own fire for its rows; their queued AFTER ROW ones at the end.
  class PartitionTriggers {
   public:
    explicit PartitionTriggers(SessionImpl& s) : s_(s) {}
    StatementTriggers* of(const std::shared_ptr<const catalog::TableDef>& partition);  // null: it has none
    void after_statement();

   private:
    SessionImpl& s_;
    std::map<uint32_t, StatementTriggers> by_partition_;
  };
  // Writes a new row of a partitioned table (in its columns) into the partition `route` leads
  // to, as that partition's row, its row triggers firing; false when a BEFORE trigger skipped
  // it. row ends as stored, in the table's columns again.
  bool insert_routed(exec::ExecContext& ctx, planner::Plan::Route& route, PartitionTriggers& triggers, Row& row);
  // CREATE FUNCTION's check of a SQL function's statement: the types of the columns it returns.
  std::vector<uint32_t> function_check_plan(uint32_t function, boost::json::value statement);
  // LISTEN / NOTIFY (notify.cpp). Notifications for this session's channels wait in its inbox
  // until the connection takes them (between transactions); `on_notify` is called, from the
  // notifying session's thread, whenever one arrives.
  void notify(const std::string& channel, const std::string& payload) override;
  void deliver(const DatabaseImpl::Notification& note);
  std::vector<DatabaseImpl::Notification> take_notifications();
  bool listening() const;
  void set_notify_callback(std::function<void()> on_notify);
  // The process id a connection gave its client (BackendKeyData): pg_backend_pid(), NOTIFY's sender.
  void set_backend_pid(int64_t pid);
  // Where NOTICEs of functions go while a protocol-level fetch runs (returns the previous one).
  ResultSink* set_notice_sink(ResultSink* sink) { return std::exchange(notice_sink_, sink); }
  // Whether client_min_messages lets a notice of this severity through.
  bool notice_wanted(const Error& notice);
  // For routines.cpp's PL/pgSQL interpreter.
  // A PL/pgSQL block with EXCEPTION runs as a subtransaction: what it changed goes when it fails.
  struct BlockSavepoint {
    storage::Transaction::Mark mark;
    std::shared_ptr<catalog::Catalog> catalog;
    std::shared_ptr<catalog::Roles> roles;
    size_t deferred_checks = 0, notifies = 0, listens = 0;
  };
  BlockSavepoint block_savepoint();
  void rollback_block(const BlockSavepoint& sp);
  void check_cancel();
  Value routine_cast(Value v, uint32_t type, int32_t typmod);
  std::vector<Value> routine_values(Routine& r, const std::vector<Value>& args);
  std::string routine_text(const Value& v);
  void routine_notice(const Error& e);
  Value routine_eval(Routine& r, const boost::json::object& expr, const std::vector<Value>& values);
  Value routine_eval_text(Routine& r, const void* key, const std::string& expr, const std::vector<Value>& values);
  std::vector<Row> routine_query(Routine& r, const boost::json::object& expr, const std::vector<Value>& values, size_t limit);
  // CALL in PL/pgSQL: its arguments may read the routine's variables.
  void routine_call(Routine& r, const boost::json::object& expr, const std::vector<Value>& values);
  // A statement of a PL/pgSQL body: the rows it returned (at most limit, 0: all) and how many
  // rows it returned or changed.
  std::vector<Row> routine_statement(Routine& r, const boost::json::object& stmt, const std::vector<Value>& values,
                                     size_t limit, uint64_t& count, std::vector<Column>* columns = nullptr);
  // PL/pgSQL's EXECUTE: the statements of `text`, $n being params[n-1]; the last one's rows (at
  // most `limit`, 0: all) and its row count.
  std::vector<Row> run_dynamic(const std::string& text, const std::vector<Value>& params, size_t limit, uint64_t& count,
                               std::vector<Column>* columns = nullptr);

 private:
  friend class DdlExecutor;
  struct Savepoint {
    std::string name;
    storage::Transaction::Mark mark;
    std::shared_ptr<catalog::Catalog> catalog;
    size_t deferred_checks = 0;  // how many deferred foreign key checks were queued
    std::map<std::string, std::string> settings;  // ROLLBACK TO takes back SETs made since
    std::shared_ptr<catalog::Roles> roles;
  };

  void run_statement(const sql::ParseResult& parsed, const sql::Statement& stmt, const std::vector<Value>* params,
                     ResultSink& sink, PreparedImpl* prepared);
  // run_statement_here's parts: statements outside a transaction of their own (true when `type` is
  // one), and the others, in the transaction begun for them.
  bool run_session_statement(std::string_view type, const boost::json::object& n, const sql::Statement& stmt,
                             ResultSink& sink);
  void run_in_transaction(std::string_view type, const boost::json::object& n, const sql::ParseResult& parsed,
                          const sql::Statement& stmt, const std::vector<Value>* params, ResultSink& sink,
                          PreparedImpl* prepared);
  void run_statement_here(const sql::ParseResult& parsed, const sql::Statement& stmt, const std::vector<Value>* params,
                          ResultSink& sink, PreparedImpl* prepared);
  void run_plan(planner::Plan& plan, const std::vector<Value>* params, ResultSink& sink);
  // The relations of the statements running (a function they call may run DDL): DROP, ALTER
  // and TRUNCATE of one of them fail with 55006, as PostgreSQL's CheckTableNotInUse.
  std::vector<const std::vector<planner::AccessCheck>*> active_relations_;
  void check_not_in_use(uint32_t relation, std::string_view command, const std::string& name) const;
  // The plan's data-modifying WITH statements, each to completion, their RETURNING rows kept
  // for the plan to read.
  void run_before(planner::Plan& plan, const std::vector<Value>* params, ResultSink* notices);
  std::shared_ptr<Routine> routine(uint32_t function, const catalog::TableDef* trigger_table);
  std::shared_ptr<Routine> compile_routine(std::shared_ptr<const catalog::FunctionDef> fn, const catalog::TableDef* trigger_table);
  // Queries and DML, which routines bind with their variables as parameters.
  static bool plannable(std::string_view type);
  // Another statement a routine runs (CREATE, ALTER, SET, ...): as at top level, in the routine's
  // transaction; transaction control and what cannot run in a transaction block are refused.
  void run_nested_utility(const sql::ParseResult& parsed, const sql::Statement& stmt, ResultSink& sink);
  void run_do(const boost::json::object& n, std::string_view text, ResultSink& sink);
  // CALL procedure(args): a row of its INOUT arguments' values when it has any.
  void run_call(const boost::json::object& n, const sql::ParseResult& parsed, const std::vector<Value>* params, ResultSink& sink);
  planner::Plan& routine_plan(Routine& r, const void* key, const std::string& text);
  std::optional<Row> run_trigger(const catalog::TableDef& table, const catalog::TriggerDef& trigger, int event,
                                 const Row* old_row, const Row* new_row);
  bool trigger_when(const catalog::TableDef& table, const catalog::TriggerDef& trigger, const Row* old_row, const Row* new_row);
  std::map<uint64_t, std::shared_ptr<Routine>> routines_;       // compiled functions by (function, trigger table)
  std::map<uint32_t, std::shared_ptr<Routine>> trigger_whens_;  // WHEN conditions by trigger
  int routine_depth_ = 0;
  int plan_depth_ = 0;                 // run_plan of a statement inside a function
  ResultSink* notice_sink_ = nullptr;  // where RAISE NOTICE goes: the running statement's sink
  planner::Plan* plan_for(PreparedImpl* prepared, const sql::ParseResult& parsed, const sql::Statement& stmt,
                          std::unique_ptr<planner::Plan>& local);
  std::vector<Value> convert_params(const planner::Plan& plan, const std::vector<Value>* params);
  void run_transaction_stmt(const boost::json::object& n, ResultSink& sink);
  void run_set(const boost::json::object& n, ResultSink& sink);
  void run_declare(const boost::json::object& n, const sql::ParseResult& parsed, const sql::Statement& stmt,
                   PreparedImpl* prepared,
                   const std::vector<Value>* params, ResultSink& sink);
  void run_fetch(const boost::json::object& n, ResultSink& sink);
  void run_discard(const boost::json::object& n, ResultSink& sink);
  void run_vacuum(const boost::json::object& n, ResultSink& sink);
  // ANALYZE and VACUUM's statistics (analyze.cpp).
  struct AnalyzeTarget {
    std::shared_ptr<const catalog::TableDef> table;
    std::vector<uint32_t> columns;  // column ids named; empty: all
  };
  std::vector<AnalyzeTarget> analyze_targets(const boost::json::object& n, bool vacuum, ResultSink& sink);
  void run_analyze(const boost::json::object& n, ResultSink& sink);
  void vacuum_statistics(const std::vector<AnalyzeTarget>& targets, bool analyze);
  // A table's statistics read through the transaction: its row count and size, and with
  // columns_too those of its columns (column_ids; empty: all), over the previous ones.
  catalog::TableStatistics collect_statistics(const catalog::TableDef& t, const std::vector<uint32_t>& column_ids,
                                              bool columns_too);
  void run_database_statement(std::string_view type, const boost::json::object& n, ResultSink& sink);
  void run_set_constraints(const boost::json::object& n, ResultSink& sink);
  void check_writable(std::string_view type, const boost::json::object& n);
  void set_read_only(bool on);
  void reset_all_settings();
  void run_copy(const boost::json::object& n, const sql::ParseResult& parsed, ResultSink& sink);
  bool database_access_option(const std::string& opt, const boost::json::object& d, catalog::Roles::DatabaseAccess& access);
  void run_alter_database(const boost::json::object& n, ResultSink& sink);
  void copy_in_row(CopyIn& copy, const std::vector<std::optional<std::string>>& fields, std::string_view line);
  void copy_read(CopyIn& copy, const std::vector<std::optional<std::string>>& fields, std::string_view line,
                 uint64_t line_no, Row& row) const;
  void copy_write(CopyIn& copy, Row& row, uint64_t line_no, std::string_view line);
  void copy_write_batch(CopyIn& copy, CopyReaderBatch& batch);
  void start_copy_reader(CopyIn& copy);
  void run_close_cursor(const boost::json::object& n, ResultSink& sink);
  SqlCursor& find_cursor(const std::string& name);
  void end_cursors();  // at transaction end: closes all but WITH HOLD cursors
  void end_xact_advisory();  // at transaction end: releases pg_advisory_xact_lock's locks
  void run_show(const boost::json::object& n, ResultSink& sink);
  void run_prepare(const boost::json::object& n, const sql::Statement& stmt, ResultSink& sink);
  void run_execute(const boost::json::object& n, ResultSink& sink);
  void run_lock(const boost::json::object& n, ResultSink& sink);
  void run_explain(const boost::json::object& n, const sql::ParseResult& parsed, ResultSink& sink);
  void run_merge(const boost::json::object& n, const sql::ParseResult& parsed, ResultSink& sink);
  // A DML statement on a relation with rules: the statements the rules make of it (rules.cpp).
  bool run_with_rules(const boost::json::object& stmt, const sql::ParseResult& parsed, const std::vector<Value>* params,
                      ResultSink& sink);
  void apply_setting(const std::string& name, const std::string& value);
  // Before a SET in a transaction: keeps the value to go back to (false: SET LOCAL outside a
  // transaction, which changes nothing; sink gets PostgreSQL's warning).
  bool remember_setting(const std::string& name, bool local, ResultSink* sink);
  void end_transaction_settings(bool committed);  // SET LOCAL ends; a rollback undoes SET too
  struct SavedSetting {
    std::string name;
    std::optional<std::string> value;  // nullopt: it was not set
    bool local;
  };
  std::vector<SavedSetting> txn_settings_;

  // Starts the transaction if there is none; for_statement: a statement that reads or writes
  // follows (BEGIN itself is not one: PostgreSQL takes the snapshot at the first statement).
  void begin_implicit(bool for_statement = true);
  void check_read_write_switch(bool read_only) const;
  // transaction_isolation and the flags that follow from it (the level is already valid).
  void set_isolation(const std::string& level);
  void commit_transaction();
  void rollback_transaction();
  const catalog::Catalog& current_catalog();
  catalog::Catalog& writable_catalog();
  exec::ExecContext make_context(const std::vector<Value>* params);

  std::shared_ptr<DatabaseImpl> db_;
  std::unique_ptr<storage::Transaction> txn_;
  std::shared_ptr<const catalog::Catalog> txn_catalog_;   // snapshot the transaction reads
  std::shared_ptr<catalog::Catalog> changed_catalog_;     // private copy after DDL
  std::shared_ptr<const catalog::Roles> roles_snapshot_;  // what roles() returned last
  std::shared_ptr<catalog::Roles> changed_roles_;         // private copy after role DDL
  uint64_t base_roles_version_ = 0;
  // The user the session logged in as (SET SESSION AUTHORIZATION needs it to be a superuser);
  // login_is_role_ false: a user of the server's users file that is no role.
  std::string login_user_ = "postgres";
  // RESET's values: the connection's parameters and its role's defaults, as PostgreSQL's.
  std::map<std::string, std::string> reset_values_;
  bool login_is_role_ = true;
  uint32_t role_oid_of(const std::string& name);
  uint64_t base_catalog_version_ = 0;
  bool in_block_ = false;       // BEGIN ... COMMIT
  bool implicit_block_ = false; // several statements of one query string
  bool failed_ = false;         // an error happened inside the block
  bool repeatable_read_ = false;
  bool counted_ = true;
  bool copying_ = false;  // COPY FROM in progress: its rows are one statement, with one snapshot
  bool serializable_ = false;
  void fail_block();  // an error in a transaction block: the failed state (25P02 until ROLLBACK)
  bool read_only_ = false;      // this transaction is READ ONLY
  int64_t txn_start_ = 0;
  std::vector<Savepoint> savepoints_;
  bool snapshot_taken_ = false;  // a statement ran in this transaction (PostgreSQL's FirstSnapshotSet)
  exec::KeyChecks key_checks_;  // foreign key checks waiting for the statement's or the transaction's end
  std::map<uint32_t, std::unique_ptr<exec::TableWriter>> fk_writers_;  // table_writer's
  std::map<std::string, std::string> settings_;
  std::vector<std::string> search_path_names_;  // search_path's schemas as set, for catalog::TempSchemaScope
  const std::vector<std::string>& search_path_names();
  types::TextContext text_;
  std::map<uint32_t, int64_t> currvals_;
  uint32_t last_used_sequence_ = 0;  // of the last nextval, for lastval()
  uint64_t run_counter_ = 0;
  std::map<std::string, std::unique_ptr<SqlCursor>> cursors_;
  std::atomic<bool> cancel_{false};
  int64_t statement_timeout_ms_ = 0;  // the time settings, parsed when set
  int64_t lock_timeout_ms_ = 0;
  bool sync_commit_ = true;  // synchronous_commit
  int64_t idle_session_timeout_ms_ = 0;
  int64_t idle_in_transaction_timeout_ms_ = 0;
  uint64_t settings_version_ = 0;
  std::string temp_schema_;  // empty until the first TEMP table
  struct OnCommitAction {
    uint32_t table;
    std::string schema, name;  // to tell the table from a later one with the id of a rolled-back one
    bool drop;                 // ON COMMIT DROP, else DELETE ROWS
    bool new_in_transaction;   // its table goes if the transaction rolls back
  };
  std::vector<OnCommitAction> on_commit_;
  void run_on_commit_actions();
  std::string default_isolation_ = "read committed";

  // Names of catalog objects for regclass & co (text I/O of the reg* types), and the enums of
  // the catalog for the statements the session runs (types::UserTypesScope).
  class Names final : public types::OidNames, public types::UserTypes {
   public:
    explicit Names(SessionImpl& s) : session_(s) {}
    std::optional<std::string> name(uint32_t type, uint32_t oid) const override;
    uint32_t lookup(uint32_t type, std::string_view name) const override;
    const types::EnumType* enum_type(uint32_t oid) const override;
    const types::CompositeType* composite_type(uint32_t oid) const override;
    std::string type_name(uint32_t oid) const override;
    void check_domain(uint32_t domain, const Value& v) const override;

   private:
    const catalog::Catalog* current() const;
    SessionImpl& session_;
    mutable std::shared_ptr<const catalog::Catalog> outside_txn_;  // what enum_type read outside a transaction
    // Tables' row types, made when first asked for, by table id: the definition they were made
    // from and the type. Replaced ones stay alive for plans that still point at them.
    mutable std::map<uint32_t, std::pair<std::shared_ptr<const catalog::TableDef>, std::shared_ptr<const types::CompositeType>>>
        row_types_;
    mutable std::vector<std::shared_ptr<const types::CompositeType>> retired_row_types_;
    // Domains' constraints bound over a one-column row, by domain: the definition they were
    // bound from and the check.
    mutable std::map<uint32_t, std::pair<std::shared_ptr<const catalog::TypeDef>, std::shared_ptr<const exec::Expr>>>
        domain_checks_;
  };
  Names names_{*this};
  // The catalog names resolve against: the transaction's, else the latest committed one.
  std::shared_ptr<const catalog::Catalog> names_catalog() const;
  std::string deparse_stored(const catalog::Catalog& cat, const catalog::TableDef& table, const std::string& expr,
                             bool pretty);
  std::string index_definition(const catalog::Catalog& cat, const catalog::IndexDef& index, bool pretty);
  // The k-th key of an index as pg_get_indexdef prints it (a column name or an expression).
  std::string index_key_text(const catalog::Catalog& cat, const catalog::TableDef& t, const catalog::IndexDef& index, size_t k,
                             bool pretty);
  uint32_t stored_type(const catalog::Catalog& cat, const catalog::TableDef& table, const std::string& expr);
  int64_t backend_pid_ = 0;
  std::string partition_bound_text(const catalog::Catalog& cat, const catalog::TableDef& t);
  void run_listen(std::string_view type, const boost::json::object& n, ResultSink& sink);
  void end_transaction_notifies(bool committed);
  std::set<std::string> listening_;                           // channels of committed LISTENs
  std::vector<std::pair<std::string, bool>> pending_listens_; // this transaction's LISTEN (true) / UNLISTEN ("": *)
  std::vector<DatabaseImpl::Notification> pending_notifies_;  // this transaction's NOTIFYs
  mutable std::mutex inbox_mu_;
  std::vector<DatabaseImpl::Notification> inbox_;
  std::function<void()> on_notify_;
  std::map<std::string, std::shared_ptr<PreparedImpl>> sql_prepared_;  // PREPARE name AS ...
  std::vector<std::string> xact_advisory_;  // transaction-level advisory locks, released at its end
  const char xact_owner_ = 0;               // their owner (session-level ones are owned by `this`)
};

int64_t now_micros();
// Rethrows the current exception as heliosdb::Error (XX000 for anything else).
[[noreturn]] void rethrow_as_error();

}  // namespace heliosdb::engine
