#include "engine/session_impl.h"

#include "catalog/system_views.h"

#include <boost/json.hpp>
#include <chrono>
#include <cmath>
#include <set>

#include "common/datetime_io.h"
#include "common/errors.h"
#include "common/key_codec.h"
#include "common/type_io.h"
#include "common/types.h"
#include "engine/cluster_impl.h"
#include "engine/ddl.h"
#include "executor/functions.h"
#include "executor/table_access.h"
#include "planner/estimate.h"
#include "planner/selectivity.h"

namespace heliosdb::engine {

namespace json = boost::json;
using sql::field;
using sql::list_field;
using sql::str_field;

int64_t now_micros() {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  return us - 946684800000000LL;  // PostgreSQL's epoch is 2000-01-01
}

// Turns any non-heliosdb exception escaping the engine into XX000, so only heliosdb::Error
// leaves the library and the transaction state is cleaned up like for any other error.
[[noreturn]] void rethrow_as_error() {
  try {
    throw;
  } catch (const Error&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw Error(sqlstate::kOutOfMemory, "out of memory");
  } catch (const std::exception& e) {
    throw Error(sqlstate::kInternalError, fmt::format("internal error: {}", e.what()));
  }
}

namespace {

// Settings every session has, with PostgreSQL 15's defaults (names as SHOW spells them).
const std::map<std::string, std::string>& default_settings() {
  static const std::map<std::string, std::string> m = {
      {"application_name", ""},
      {"client_encoding", "UTF8"},
      {"client_min_messages", "notice"},
      {"datestyle", "ISO, MDY"},
      {"default_transaction_isolation", "read committed"},
      {"default_transaction_read_only", "off"},
      {"default_transaction_deferrable", "off"},
      {"transaction_deferrable", "off"},
      {"extra_float_digits", "1"},
      {"integer_datetimes", "on"},
      {"intervalstyle", "postgres"},
      {"is_superuser", "on"},
      {"lock_timeout", "0"},
      {"max_identifier_length", "63"},
      {"max_index_keys", "32"},
      {"max_function_args", "100"},
      {"block_size", "8192"},
      {"wal_block_size", "8192"},
      {"segment_size", "131072"},
      {"data_checksums", "off"},
      {"search_path", "\"$user\", public"},
      {"default_tablespace", ""},
      {"default_table_access_method", "heap"},
      {"check_function_bodies", "on"},
      {"xmloption", "content"},
      {"server_encoding", "UTF8"},
      {"server_version", "15.18 (HeliosDB Nano)"},
      {"in_hot_standby", "off"},
      {"server_version_num", "150018"},
      {"session_authorization", "postgres"},
      {"role", "none"},
      {"password_encryption", "scram-sha-256"},
      {"standard_conforming_strings", "on"},
      {"statement_timeout", "0"},
      {"idle_in_transaction_session_timeout", "0"},
      {"idle_session_timeout", "0"},
      {"timezone", "UTC"},
      {"transaction_isolation", "read committed"},
      {"transaction_read_only", "off"},
      {"escape_string_warning", "on"},
      {"bytea_output", "hex"},
      {"row_security", "on"},
      {"synchronous_commit", "on"},
      {"work_mem", "4MB"},
      {"lc_messages", "C"},
      {"lc_monetary", "C"},
      {"lc_numeric", "C"},
      {"lc_time", "C"},
      {"lc_collate", "C"},
      {"lc_ctype", "C"},
      {"enable_seqscan", "on"},
      {"synchronize_seqscans", "on"},
      {"jit", "off"},
  };
  return m;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A SET argument as text: identifiers and strings as is, numbers as written.
std::string arg_text(const json::value& v, std::string_view sql) {
  std::string_view t = sql::node_type(v);
  const auto& n = sql::node_body(v);
  if (t == "A_Const") {
    if (const auto* s = n.if_contains("sval")) return std::string(str_field(s->as_object(), "sval"));
    if (n.contains("ival")) return std::to_string(sql::const_ival(n, sql));
    if (const auto* f = n.if_contains("fval")) return std::string(str_field(f->as_object(), "fval"));
    if (const auto* b = n.if_contains("boolval")) return sql::bool_field(b->as_object(), "boolval") ? "on" : "off";
  }
  if (t == "TypeCast") return arg_text(*field(n, "arg"), sql);
  unsupported("this SET value");
}

}  // namespace

std::string set_argument_text(const json::value& argument) { return arg_text(argument, ""); }

bool fixed_setting(const std::string& name) {
  return name == "server_version" || name == "server_encoding" || name == "integer_datetimes" || name == "is_superuser" ||
         name == "max_identifier_length" || name == "in_hot_standby" || name == "server_version_num" ||
         name == "lc_collate" || name == "lc_ctype" || name == "max_index_keys" || name == "max_function_args" ||
         name == "block_size" || name == "wal_block_size" || name == "segment_size" || name == "data_checksums";
}

namespace {

// A time setting (statement_timeout, ...): a number of milliseconds, or a number with a unit.
int64_t parse_duration_ms(const std::string& name, const std::string& value) {
  size_t used = 0;
  double v = 0;
  try {
    v = std::stod(value, &used);
  } catch (...) {
    raise(sqlstate::kInvalidParameterValue, "invalid value for parameter \"{}\": \"{}\"", name, value);
  }
  std::string unit = lower(value.substr(used));
  while (!unit.empty() && unit.front() == ' ') unit.erase(0, 1);
  static const std::pair<const char*, double> units[] = {{"", 1},        {"ms", 1},         {"s", 1000},
                                                         {"min", 60000}, {"h", 3600000},    {"d", 86400000},
                                                         {"us", 0.001}};
  for (const auto& [u, f] : units)
    if (unit == u) {
      double ms = std::round(v * f);
      if (ms < 0 || ms > 2147483647)
        raise(sqlstate::kInvalidParameterValue, "{} ms is outside the valid range for parameter \"{}\" (0 .. 2147483647)",
              static_cast<int64_t>(ms), name);
      return static_cast<int64_t>(ms);
    }
  raise(sqlstate::kInvalidParameterValue, "invalid value for parameter \"{}\": \"{}\"", name, value);
}

// As SHOW prints a millisecond setting: in the largest unit that divides it.
std::string format_duration_ms(int64_t ms) {
  if (ms == 0) return "0";
  static const std::pair<const char*, int64_t> units[] = {{"d", 86400000}, {"h", 3600000}, {"min", 60000}, {"s", 1000}};
  for (const auto& [u, f] : units)
    if (ms % f == 0) return std::to_string(ms / f) + u;
  return std::to_string(ms) + "ms";
}


bool is_duration_setting(const std::string& name) {
  return name == "statement_timeout" || name == "lock_timeout" || name == "idle_in_transaction_session_timeout" ||
         name == "idle_session_timeout";
}

}  // namespace

SessionImpl::SessionImpl(std::shared_ptr<DatabaseImpl> db, bool counted) : db_(std::move(db)), counted_(counted) {
  if (counted_) ++db_->sessions;
  static std::atomic<int64_t> next_pid{4000};
  backend_pid_ = next_pid++;
  text_.names = &names_;
  settings_ = default_settings();
  apply_setting("timezone", db_->options().timezone);
  apply_setting("datestyle", db_->options().datestyle);
  apply_setting("synchronous_commit", db_->options().sync_commit ? "on" : "off");
  // Until a connection says who logged in, the session is the bootstrap superuser's.
  if (const auto* super = roles().find(catalog::kBootstrapSuperuser)) login_user_ = settings_["session_authorization"] = super->name;
  SessionActivity a;
  a.pid = backend_pid_;
  a.database = db_->name();
  a.user = login_user_;
  a.backend_start = a.state_change = now_micros();
  db_->activity->add(this, std::move(a));
}

void SessionImpl::set_backend_pid(int64_t pid) {
  backend_pid_ = pid;
  db_->activity->update(this, [&](SessionActivity& a) { a.pid = pid; });
}

SessionImpl::~SessionImpl() {
  db_->activity->remove(this);
  db_->listen(this, "", false);  // no notification reaches this session any more
  if (counted_) --db_->sessions;
  if (txn_) txn_->rollback();
  end_xact_advisory();
  db_->advisory_unlock_all(this);
  if (!temp_schema_.empty()) {
    txn_.reset();
    in_block_ = implicit_block_ = failed_ = false;
    std::string mine = temp_schema_;
    drop_temp_relations([&](const std::string& schema) { return schema == mine; });
  }
}

const std::string& SessionImpl::temp_schema() {
  if (temp_schema_.empty()) temp_schema_ = "pg_temp_" + std::to_string(db_->next_temp_schema++);
  return temp_schema_;
}

// Drops the tables and sequences of the schemas `which` picks: a session's TEMP relations when it
// ends, and at open those a crashed process left behind. Failures are ignored (best effort).
void SessionImpl::drop_temp_relations(const std::function<bool(const std::string&)>& which) noexcept {
  try {
    auto cat = db_->catalog();
    std::string tables, sequences;
    for (const auto& [id, t] : cat->tables())
      if (which(t->schema)) tables += (tables.empty() ? "" : ", ") + sql::quote_identifier(t->schema) + "." + sql::quote_identifier(t->name);
    for (const auto& [id, q] : cat->sequences())
      if (which(q->schema) && q->owner_table == 0)
        sequences += (sequences.empty() ? "" : ", ") + sql::quote_identifier(q->schema) + "." + sql::quote_identifier(q->name);
    DiscardSink sink;
    if (!tables.empty()) execute_script("DROP TABLE IF EXISTS " + tables, sink);
    if (!sequences.empty()) execute_script("DROP SEQUENCE IF EXISTS " + sequences, sink);
  } catch (...) {
  }
}

char SessionImpl::transaction_status() const {
  if (!in_block_) return 'I';
  return failed_ ? 'E' : 'T';
}

std::string SessionImpl::setting(const std::string& name) {
  std::string n = lower(name);
  if (n == "__database") return db_->name();
  if (n == "__backend_pid") return std::to_string(backend_pid_);
  if (n == "is_superuser") return is_superuser(current_role_oid()) ? "on" : "off";
  if (n == "__current_user") return settings_["role"] != "none" ? settings_["role"] : settings_["session_authorization"];
  auto it = settings_.find(n);
  if (it == settings_.end()) raise(sqlstate::kUndefinedObject, "unrecognized configuration parameter \"{}\"", name);
  return it->second;
}

const std::vector<std::string>& SessionImpl::search_path_names() {
  search_path_names_ = catalog::search_path_names(settings_["search_path"], settings_["session_authorization"]);
  return search_path_names_;
}

void SessionImpl::apply_setting(const std::string& name, const std::string& value) {
  ++settings_version_;
  if (name == "role") {
    // SET ROLE: to a role the session user is a member of.
    if (value != "none") {
      const auto* r = roles().find(value);
      if (!r) raise(sqlstate::kInvalidParameterValue, "role \"{}\" does not exist", value);
      if (!roles().is_member_of(session_role_oid(), r->oid))
        raise(sqlstate::kInsufficientPrivilege, "permission denied to set role \"{}\"", value);
    }
    settings_[name] = value;
  } else if (name == "session_authorization") {
    // SET SESSION AUTHORIZATION: only when the user that logged in is a superuser.
    if (value != login_user_) {
      const auto* r = roles().find(value);
      if (!r) raise(sqlstate::kInvalidParameterValue, "role \"{}\" does not exist", value);
      const auto* login = roles().find(login_user_);
      if (login_is_role_ && !(login && login->superuser))
        raise(sqlstate::kInsufficientPrivilege, "permission denied to set session authorization");
    }
    settings_[name] = value;
  } else if (name == "password_encryption") {
    std::string v = lower(value);
    if (v != "md5" && v != "scram-sha-256")
      throw make_error(sqlstate::kInvalidParameterValue, "invalid value for parameter \"password_encryption\": \"{}\"", value)
          .with_hint("Available values: md5, scram-sha-256.");
    settings_[name] = v;
  } else if (name == "timezone") {
    settings_[name] = datetime_io::set_timezone(value, text_);
  } else if (name == "datestyle") {
    settings_[name] = datetime_io::set_datestyle(value, text_);
  } else if (name == "extra_float_digits") {
    int v = 0;
    try {
      v = std::stoi(value);
    } catch (...) {
      raise(sqlstate::kInvalidParameterValue, "invalid value for parameter \"extra_float_digits\": \"{}\"", value);
    }
    if (v < -15 || v > 3)
      raise(sqlstate::kInvalidParameterValue, "{} is outside the valid range for parameter \"extra_float_digits\" (-15 .. 3)", v);
    text_.extra_float_digits = v;
    settings_[name] = std::to_string(v);
  } else if (is_duration_setting(name)) {
    int64_t ms = parse_duration_ms(name, value);
    settings_[name] = format_duration_ms(ms);
    if (name == "statement_timeout") statement_timeout_ms_ = ms;
    else if (name == "lock_timeout") lock_timeout_ms_ = ms;
    else if (name == "idle_session_timeout") idle_session_timeout_ms_ = ms;
    else if (name == "idle_in_transaction_session_timeout") idle_in_transaction_timeout_ms_ = ms;
  } else if (name == "synchronous_commit") {
    // Every value but off waits for the commit to be on disk (there are no standbys).
    std::string v = lower(value);
    if (v == "true" || v == "yes" || v == "1") v = "on";
    if (v == "false" || v == "no" || v == "0") v = "off";
    if (v != "on" && v != "off" && v != "local" && v != "remote_write" && v != "remote_apply")
      throw make_error(sqlstate::kInvalidParameterValue, "invalid value for parameter \"synchronous_commit\": \"{}\"", value)
          .with_hint("Available values: local, remote_write, remote_apply, on, off.");
    sync_commit_ = v != "off";
    settings_[name] = v;
  } else if (name == "client_encoding") {
    // Compared as PostgreSQL does, on letters and digits only: asyncpg sends 'utf-8' quotes and all.
    std::string v;
    for (char c : value)
      if (std::isalnum(static_cast<unsigned char>(c))) v.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    if (v != "utf8" && v != "unicode")
      raise(sqlstate::kFeatureNotSupported, "client encoding \"{}\" is not supported (only UTF8)", value);
    settings_[name] = "UTF8";
  } else if (name == "bytea_output") {
    std::string v = lower(value);
    if (v != "hex" && v != "escape")
      throw Error(sqlstate::kInvalidParameterValue, fmt::format("invalid value for parameter \"{}\": \"{}\"", name, value))
          .with_hint("Available values: escape, hex.");
    text_.bytea_escape = v == "escape";
    settings_[name] = v;
  } else if (name == "intervalstyle") {
    static constexpr const char* kStyles[] = {"postgres", "postgres_verbose", "sql_standard", "iso_8601"};
    std::string v = lower(value);
    auto it = std::ranges::find(kStyles, v);
    if (it == std::end(kStyles))
      throw Error(sqlstate::kInvalidParameterValue, fmt::format("invalid value for parameter \"{}\": \"{}\"", name, value))
          .with_hint("Available values: postgres, postgres_verbose, sql_standard, iso_8601.");
    text_.intervalstyle = static_cast<int>(it - std::begin(kStyles));
    settings_[name] = v;
  } else if (name == "transaction_isolation" || name == "default_transaction_isolation") {
    std::string v = lower(value);
    if (v != "read committed" && v != "repeatable read" && v != "serializable" && v != "read uncommitted")
      raise(sqlstate::kInvalidParameterValue, "invalid value for parameter \"{}\": \"{}\"", name, value);
    settings_[name] = v;
    // Outside a transaction the default is also the next transaction's level.
    if (name == "transaction_isolation" || !txn_) set_isolation(v);
  } else if (fixed_setting(name)) {
    raise(sqlstate::kCantChangeRuntimeParam, "parameter \"{}\" cannot be changed", name);
  } else if (settings_.count(name) || name.find('.') != std::string::npos) {
    settings_[name] = value;
  } else {
    raise(sqlstate::kUndefinedObject, "unrecognized configuration parameter \"{}\"", name);
  }
}

void SessionImpl::end_pipeline(bool failed) {
  if (!implicit_block_) return;
  implicit_block_ = false;
  if (in_block_) return;
  if (failed) rollback_transaction();
  else if (txn_) commit_transaction();
}

void SessionImpl::set_isolation(const std::string& level) {
  settings_["transaction_isolation"] = level;
  repeatable_read_ = level == "repeatable read" || level == "serializable";
  serializable_ = level == "serializable";
}

void SessionImpl::set_parameter(const std::string& name, const std::string& value) {
  std::string n = lower(name);
  if (n == "session_authorization") {  // the user the connection logged in as
    login_user_ = value;
    const catalog::RoleDef* role = roles().find(value);
    login_is_role_ = role != nullptr;
    apply_setting(n, value);
    // ALTER ROLE ... SET: the role's own defaults (the connection's parameters come after them).
    if (role)
      for (const auto& [k, v] : role->settings) {
        try {
          apply_setting(k, v);
          reset_values_[lower(k)] = v;
        } catch (const Error&) {
          // As PostgreSQL: a default that no longer applies does not keep the role out.
        }
      }
    return;
  }
  apply_setting(n, value);
  reset_values_[n] = value;
}

void SessionImpl::begin_implicit(bool for_statement) {
  if (!txn_) {
    txn_ = std::make_unique<storage::Transaction>(db_->store(), this);
    set_read_only(settings_["default_transaction_read_only"] == "on");
    settings_["transaction_deferrable"] = settings_["default_transaction_deferrable"];
    txn_catalog_ = db_->catalog();
    base_catalog_version_ = txn_catalog_->version();
    changed_catalog_.reset();
    txn_start_ = now_micros();
    text_.now = txn_start_;
    snapshot_taken_ = false;
  } else if (!repeatable_read_ && !copying_) {
    // READ COMMITTED: each statement sees everything committed before it started.
    txn_->refresh_snapshot();
    if (!changed_catalog_) {
      auto latest = db_->catalog();
      if (latest->version() != base_catalog_version_) {
        txn_catalog_ = latest;
        base_catalog_version_ = latest->version();
      }
    }
  }
  // SERIALIZABLE: tracked from the first statement on, under a snapshot taken then (PostgreSQL
  // takes a transaction's snapshot at its first statement, not at BEGIN).
  if (serializable_ && for_statement && !txn_->serializable()) txn_->make_serializable(read_only_);
  snapshot_taken_ = snapshot_taken_ || for_statement;
}

// RESET ALL: every setting a session may change back to its default (transaction ones stay).
void SessionImpl::reset_all_settings() {
  for (const auto& [k, v] : default_settings())
    if (!fixed_setting(k) && k != "transaction_isolation" && k != "transaction_read_only" && k != "role" &&
        k != "session_authorization")
      apply_setting(k, v);
  apply_setting("timezone", db_->options().timezone);
  apply_setting("datestyle", db_->options().datestyle);
  for (const auto& [k, v] : reset_values_)
    if (k != "session_authorization" && k != "role") apply_setting(k, v);
}

// PostgreSQL's check_transaction_read_only: a read-only transaction may become read-write only
// at its top level and before its first statement.
void SessionImpl::check_read_write_switch(bool read_only) const {
  if (read_only || !read_only_ || !txn_) return;
  if (!savepoints_.empty())
    raise(sqlstate::kActiveSqlTransaction, "cannot set transaction read-write mode inside a read-only transaction");
  if (snapshot_taken_)
    raise(sqlstate::kActiveSqlTransaction, "transaction read-write mode must be set before any query");
}

void SessionImpl::set_read_only(bool on) {
  read_only_ = on;
  settings_["transaction_read_only"] = on ? "on" : "off";
}

// 25006 for a statement that writes, in a read-only transaction (PostgreSQL names the command).
void SessionImpl::check_writable(std::string_view type, const json::object& n) {
  std::string what;
  if (type == "InsertStmt") what = "INSERT";
  else if (type == "UpdateStmt") what = "UPDATE";
  else if (type == "DeleteStmt") what = "DELETE";
  else if (type == "CreateStmt") what = "CREATE TABLE";
  else if (type == "CreateTableAsStmt") what = "CREATE TABLE AS";
  else if (type == "SelectStmt" && n.contains("intoClause")) what = "SELECT INTO";
  else if (type == "IndexStmt") what = "CREATE INDEX";
  else if (type == "CreateSeqStmt") what = "CREATE SEQUENCE";
  else if (type == "AlterSeqStmt") what = "ALTER SEQUENCE";
  else if (type == "TruncateStmt") what = "TRUNCATE TABLE";
  else if (type == "CreateSchemaStmt") what = "CREATE SCHEMA";
  else if (type == "ViewStmt") what = "CREATE VIEW";
  else if (type == "CreateExtensionStmt") what = "CREATE EXTENSION";
  else if (type == "CommentStmt") what = "COMMENT";
  else if (type == "CreateEnumStmt" || type == "CompositeTypeStmt") what = "CREATE TYPE";
  else if (type == "CreateFunctionStmt") what = sql::bool_field(n, "is_procedure") ? "CREATE PROCEDURE" : "CREATE FUNCTION";
  else if (type == "AlterFunctionStmt") what = str_field(n, "objtype") == "OBJECT_PROCEDURE" ? "ALTER PROCEDURE" : "ALTER FUNCTION";
  else if (type == "DefineStmt" && str_field(n, "kind") == "OBJECT_AGGREGATE") what = "CREATE AGGREGATE";
  else if (type == "RefreshMatViewStmt") what = "REFRESH MATERIALIZED VIEW";
  else if (type == "MergeStmt") what = "MERGE";
  else if (type == "CreateTrigStmt") what = "CREATE TRIGGER";
  else if (type == "AlterEnumStmt") what = "ALTER TYPE";
  else if (type == "CreateDomainStmt") what = "CREATE DOMAIN";
  else if (type == "AlterDomainStmt") what = "ALTER DOMAIN";
  else if (type == "CreateRoleStmt") what = "CREATE ROLE";
  else if (type == "AlterRoleStmt" || type == "AlterRoleSetStmt") what = "ALTER ROLE";
  else if (type == "DropRoleStmt") what = "DROP ROLE";
  else if (type == "AlterDatabaseStmt") what = "ALTER DATABASE";
  else if (type == "GrantStmt") what = sql::bool_field(n, "is_grant") ? "GRANT" : "REVOKE";
  else if (type == "GrantRoleStmt") what = sql::bool_field(n, "is_grant") ? "GRANT ROLE" : "REVOKE ROLE";
  else if (type == "DropOwnedStmt") what = "DROP OWNED";
  else if (type == "ReassignOwnedStmt") what = "REASSIGN OWNED";
  else if (type == "CopyStmt" && sql::bool_field(n, "is_from")) what = "COPY FROM";
  else if (type == "DropStmt") {
    std::string kind(str_field(n, "removeType"));
    what = kind == "OBJECT_INDEX" ? "DROP INDEX" : kind == "OBJECT_SEQUENCE" ? "DROP SEQUENCE"
           : kind == "OBJECT_SCHEMA" ? "DROP SCHEMA" : kind == "OBJECT_EXTENSION" ? "DROP EXTENSION"
           : kind == "OBJECT_VIEW" ? "DROP VIEW" : kind == "OBJECT_MATVIEW" ? "DROP MATERIALIZED VIEW" : "DROP TABLE";
  } else if (type == "AlterObjectSchemaStmt") {
    std::string kind(str_field(n, "objectType"));
    what = "ALTER " + kind.substr(kind.find('_') + 1);
    if (kind == "OBJECT_MATVIEW") what = "ALTER MATERIALIZED VIEW";
  } else if (type == "AlterOwnerStmt") {
    what = str_field(n, "objectType") == "OBJECT_DOMAIN" ? "ALTER DOMAIN" : "ALTER TYPE";
  } else if (type == "AlterTableStmt" || type == "RenameStmt") {
    std::string_view kind = str_field(n, type == "RenameStmt" ? "renameType" : "objtype");
    what = kind == "OBJECT_INDEX" ? "ALTER INDEX" : kind == "OBJECT_SEQUENCE" ? "ALTER SEQUENCE" : "ALTER TABLE";
  }
  if (!what.empty()) raise(sqlstate::kReadOnlySqlTransaction, "cannot execute {} in a read-only transaction", what);
}

// SET CONSTRAINTS { ALL | name, ... } { DEFERRED | IMMEDIATE }: for this transaction; IMMEDIATE
// checks what was deferred so far now.
void SessionImpl::run_set_constraints(const json::object& n, ResultSink& sink) {
  bool deferred = sql::bool_field(n, "deferred");
  const auto& names = list_field(n, "constraints");
  const catalog::Catalog& cat = current_catalog();
  if (names.empty() && in_block_) {
    key_checks_.all_deferred = deferred;
    key_checks_.named.clear();
  }
  for (const auto& rv : names) {
    std::string name(str_field(sql::node_body(rv), "relname"));
    bool found = false;
    std::vector<std::string> also;  // the same constraint's in partitions
    for (const auto& [id, t] : cat.tables()) {
      for (const auto& fk : t->foreign_keys) {
        if (fk.name != name) continue;
        if (!fk.deferrable) raise(sqlstate::kWrongObjectType, "constraint \"{}\" is not deferrable", name);
        found = true;
      }
      for (uint32_t iid : t->indexes) {
        auto idx = cat.index(iid);
        if (!idx || !idx->is_constraint || idx->name != name) continue;
        if (!idx->deferrable) raise(sqlstate::kWrongObjectType, "constraint \"{}\" is not deferrable", name);
        found = true;
        // A partitioned table's key is enforced by its partitions' own.
        std::vector<std::string> key = t->column_names(idx->columns);  // (a structured binding is not captured)
        std::function<void(const catalog::TableDef&)> down = [&](const catalog::TableDef& p) {
          for (const auto& c : cat.children(p.id)) {
            for (uint32_t cid : c->indexes)
              if (auto ci = cat.index(cid); ci && ci->is_constraint && ci->deferrable && c->column_names(ci->columns) == key)
                also.push_back(ci->name);
            down(*c);
          }
        };
        if (t->is_partitioned()) down(*t);
      }
    }
    if (!found) raise(sqlstate::kUndefinedObject, "constraint \"{}\" does not exist", name);
    if (in_block_) {
      key_checks_.named[name] = deferred;
      for (const auto& a : also) key_checks_.named[a] = deferred;
    }
  }
  if (!in_block_) {
    Error w(sqlstate::kNoActiveSqlTransaction, "SET CONSTRAINTS can only be used in transaction blocks");
    w.with_severity("WARNING");
    sink.notice(w);
    key_checks_.reset();
    return sink.complete("SET CONSTRAINTS", 0);
  }

  if (!deferred) {
    begin_implicit();
    exec::ExecContext ctx = make_context(nullptr);
    std::vector<exec::KeyCheck> now, keep;
    for (auto& c : key_checks_.deferred) {
      auto t = cat.table(c.table_id);
      bool still = false;
      if (t && c.unique_index) {
        if (auto idx = cat.index(c.unique_index)) still = key_checks_.is_deferred(idx->name, idx->deferrable, idx->deferred);
      } else if (t) {
        for (const auto& fk : t->foreign_keys)
          if (fk.name == c.constraint) still = key_checks_.is_deferred(fk);
      }
      (still ? keep : now).push_back(std::move(c));
    }
    key_checks_.deferred = std::move(keep);
    try {
      exec::run_key_checks(ctx, now);
    } catch (...) {
      fail_block();
      throw;
    }
  }
  sink.complete("SET CONSTRAINTS", 0);
}

// EXPLAIN [(options)] statement: the plan tree, one node per line with PostgreSQL's node names
// and the planner's estimates (COSTS off: without them). ANALYZE runs the statement (its changes
// stay, as in PostgreSQL) and shows each node's actual time, rows and loops, then the planning
// and execution times (TIMING off: no times; SUMMARY off: no totals).
void SessionImpl::run_explain(const json::object& n, const sql::ParseResult& parsed, ResultSink& sink) {
  bool analyze = false, costs = true;
  std::optional<bool> timing, summary;
  for (const auto& o : list_field(n, "options")) {
    const auto& d = sql::node_body(o);
    std::string name(str_field(d, "defname"));
    const json::value* arg = field(d, "arg");
    std::string value = arg ? lower(std::string(sql::node_type(*arg) == "String" ? sql::string_node(*arg) : "on")) : "on";
    bool on = value != "off" && value != "false" && value != "0";
    if (name == "format" && value != "text") unsupported("EXPLAIN in formats other than TEXT");
    if (name == "analyze") analyze = on;
    if (name == "timing") timing = on;
    if (name == "summary") summary = on;
    if (name == "costs") costs = on;
  }
  if (timing && *timing && !analyze)
    raise(sqlstate::kInvalidParameterValue, "EXPLAIN option TIMING requires ANALYZE");
  const auto& query = field(n, "query")->as_object();
  std::string_view qtype = query.begin()->key();
  if (qtype != "SelectStmt" && qtype != "InsertStmt" && qtype != "UpdateStmt" && qtype != "DeleteStmt")
    unsupported(fmt::format("EXPLAIN of {}", qtype));
  auto clock = [] { return std::chrono::steady_clock::now(); };
  auto ms = [](auto from, auto to) { return std::chrono::duration<double, std::milli>(to - from).count(); };
  auto planning_start = clock();
  planner::Binder binder(current_catalog(), parsed.sql, {}, &text_);
  auto plan = binder.bind_statement(query);
  check_access(plan->access);
  if (costs) planner::estimate(current_catalog(), *plan->root);
  double planning = ms(planning_start, clock()), execution = 0;
  if (analyze) {
    plan->root->instrument();
    auto start = clock();
    DiscardSink discard(&sink);
    run_plan(*plan, nullptr, discard);
    execution = ms(start, clock());
  }
  std::vector<std::string> lines;
  std::vector<std::string> tree = exec::explain_lines(*plan->root, analyze, timing.value_or(true), costs);
  if (plan->kind != planner::Plan::Kind::kQuery) {
    std::string verb = plan->kind == planner::Plan::Kind::kInsert ? "Insert" : plan->kind == planner::Plan::Kind::kUpdate ? "Update" : "Delete";
    std::string top = verb + " on " + plan->table->name;
    if (costs) {
      // PostgreSQL's ModifyTable: its input's cost; no rows out but RETURNING's.
      exec::Estimate e = plan->root->estimate;
      if (plan->returning.empty()) {
        e.rows = 0;
        e.width = 0;
      } else {
        e.width = 0;
        for (const auto& c : plan->columns) e.width += planner::type_width(c.type_oid, c.typmod);
      }
      top += exec::format_estimate(e);
    }
    if (analyze) top += timing.value_or(true) ? fmt::format(" (actual time={0:.3f}..{0:.3f} rows=0 loops=1)", execution) : " (actual rows=0 loops=1)";
    lines.push_back(top);
    for (auto& l : tree) lines.push_back(std::string(l.starts_with(" ") ? "      " : "  ->  ") + l);
  } else {
    lines = std::move(tree);
  }
  if (analyze && summary.value_or(true)) {
    lines.push_back(fmt::format("Planning Time: {:.3f} ms", planning));
    lines.push_back(fmt::format("Execution Time: {:.3f} ms", execution));
  }
  sink.columns({Column{"QUERY PLAN", oid::kText, -1, 0, 0}});
  for (auto& l : lines) sink.row(Row{Value::text(std::move(l))});
  sink.complete("EXPLAIN", lines.size());
}

// VACUUM: LevelDB compacts the tables' rows and index entries (all of the database without a
// table list), which drops the versions no snapshot sees any more, as PostgreSQL's VACUUM
// reclaims dead rows; then each table's row count and size are recorded (pg_class.reltuples and
// relpages), and with ANALYZE its columns' statistics (analyze.cpp).
void SessionImpl::run_vacuum(const json::object& n, ResultSink& sink) {
  if (in_block_ || implicit_block_) raise(sqlstate::kActiveSqlTransaction, "VACUUM cannot run inside a transaction block");
  bool analyze = false;
  for (const auto& o : list_field(n, "options")) {
    const auto& d = sql::node_body(o);
    if (str_field(d, "defname") != "analyze") continue;
    const json::value* arg = field(d, "arg");
    std::string value = arg && sql::node_type(*arg) == "String" ? lower(std::string(sql::string_node(*arg))) : "on";
    analyze = value != "off" && value != "false" && value != "0";
  }
  begin_implicit();
  std::vector<AnalyzeTarget> targets;
  try {
    targets = analyze_targets(n, true, sink);
  } catch (...) {
    rollback_transaction();
    throw;
  }
  rollback_transaction();
  storage::Store& store = db_->store();
  auto compact = [&](const std::string& prefix) { store.compact(prefix, keys::prefix_successor(prefix)); };
  if (list_field(n, "rels").empty()) store.compact("", "");
  else
    for (const auto& target : targets) {
      compact(exec::table_prefix(target.table->id));
      for (uint32_t i : target.table->indexes) compact(exec::index_prefix(i));
    }
  vacuum_statistics(targets, analyze);
  sink.complete("VACUUM", 0);
}

// CREATE DATABASE / DROP DATABASE: a sub-directory of the cluster the database belongs to.
void SessionImpl::run_database_statement(std::string_view type, const json::object& n, ResultSink& sink) {
  bool create = type == "CreatedbStmt";
  const char* what = create ? "CREATE DATABASE" : "DROP DATABASE";
  if (in_block_ || implicit_block_) raise(sqlstate::kActiveSqlTransaction, "{} cannot run inside a transaction block", what);
  if (read_only_) raise(sqlstate::kReadOnlySqlTransaction, "cannot execute {} in a read-only transaction", what);
  auto cluster = db_->cluster.lock();
  if (!cluster) unsupported(std::string(what) + " in a database opened on its own (open it through heliosdb::Cluster)");
  std::string name(str_field(n, "dbname"));
  uint32_t me = current_role_oid();
  const catalog::RoleDef* actor = roles().find(me);
  uint32_t owner = me;
  catalog::Roles::DatabaseAccess access;
  for (const auto& o : list_field(n, "options")) {
    const auto& d = sql::node_body(o);
    std::string opt(str_field(d, "defname"));
    if (opt == "owner" && field(d, "arg")) {  // OWNER role: the creator must be able to SET ROLE to it
      std::string role(sql::node_type(*field(d, "arg")) == "String" ? sql::string_node(*field(d, "arg")) : "");
      owner = role_oid(role);
      if (!roles().is_member_of(me, owner)) raise(sqlstate::kInsufficientPrivilege, "must be able to SET ROLE \"{}\"", role);
      continue;
    }
    if (create && database_access_option(opt, d, access)) continue;
    std::string v = field(d, "arg") ? lower(arg_text(*field(d, "arg"), "")) : "";
    if (opt == "force") unsupported("DROP DATABASE ... WITH (FORCE)");
    if (opt == "encoding" && v != "utf8" && v != "utf-8" && v != "unicode" && v != "6")
      unsupported("encodings other than UTF8");
    if (opt == "template" && v != "template0" && v != "template1")
      unsupported("CREATE DATABASE from a template other than template0 or template1");
    // LOCALE, LC_COLLATE, LC_CTYPE, ...: accepted (C collation).
  }
  // Database owners and access are kept with the cluster's roles; the change is published at
  // once (these statements run outside transaction blocks).
  auto publish = [&](const std::function<void(catalog::Roles&)>& change) {
    auto current = db_->roles->current();
    auto changed = std::make_shared<catalog::Roles>(*current);
    change(*changed);
    db_->roles->publish(std::move(changed), current->version());
  };
  if (create) {
    if (!(actor && (actor->superuser || actor->createdb))) raise(sqlstate::kInsufficientPrivilege, "permission denied to create database");
    cluster->create(name);
    if (owner != roles().database_owner(name) || !(access == roles().database_access(name)))  // else: as it is
      publish([&](catalog::Roles& r) {
        r.set_database_owner(name, owner);
        r.set_database_access(name, access);
      });
  } else {
    if (std::ranges::count(cluster->names(), name) && !roles().has_privileges_of(me, roles().database_owner(name)))
      raise(sqlstate::kInsufficientPrivilege, "must be owner of database {}", name);
    if (!cluster->drop(name, db_.get(), sql::bool_field(n, "missing_ok")))
      send_notice(sink, sqlstate::kSuccessfulCompletion, fmt::format("database \"{}\" does not exist, skipping", name));
    else if (roles().database_owner(name) != catalog::kBootstrapSuperuser || !(roles().database_access(name) == catalog::Roles::DatabaseAccess{}))
      publish([&](catalog::Roles& r) { r.forget_database(name); });
  }
  sink.complete(what, 0);
}

// CONNECTION LIMIT n / ALLOW_CONNECTIONS b of CREATE and ALTER DATABASE (false: not one of them).
bool SessionImpl::database_access_option(const std::string& opt, const json::object& d,
                                         catalog::Roles::DatabaseAccess& access) {
  const json::value* arg = field(d, "arg");
  if (opt == "connection_limit") {
    int64_t limit = arg && sql::node_type(*arg) == "Integer" ? sql::int_field(sql::node_body(*arg), "ival", 0) : -2;
    if (limit < -1) raise(sqlstate::kInvalidParameterValue, "invalid connection limit: {}", limit);
    access.connlimit = static_cast<int32_t>(limit);
    return true;
  }
  if (opt == "allow_connections") {
    std::string_view t = arg ? sql::node_type(*arg) : "";
    std::string v = !arg ? "true" : t == "String" ? lower(sql::string_node(*arg)) : t == "Integer" ? std::to_string(sql::int_field(sql::node_body(*arg), "ival", 0)) : lower(arg_text(*arg, ""));
    if (v == "true" || v == "on" || v == "1") access.allow_connections = true;
    else if (v == "false" || v == "off" || v == "0") access.allow_connections = false;
    else raise(sqlstate::kSyntaxError, "{} requires a Boolean value", opt);
    return true;
  }
  return false;
}

// ALTER DATABASE name [WITH] CONNECTION LIMIT n / ALLOW_CONNECTIONS b: kept with the roles, in
// the transaction's view of them (published at commit).
void SessionImpl::run_alter_database(const json::object& n, ResultSink& sink) {
  std::string name(str_field(n, "dbname"));
  std::vector<std::string> names{db_->name()};
  if (auto cluster = db_->cluster.lock()) names = cluster->names();
  if (!std::ranges::count(names, name)) raise(sqlstate::kInvalidCatalogName, "database \"{}\" does not exist", name);
  if (!roles().has_privileges_of(current_role_oid(), roles().database_owner(name)))
    raise(sqlstate::kInsufficientPrivilege, "must be owner of database {}", name);
  catalog::Roles::DatabaseAccess access = roles().database_access(name);
  for (const auto& o : list_field(n, "options")) {
    const auto& d = sql::node_body(o);
    std::string opt(str_field(d, "defname"));
    if (!database_access_option(opt, d, access)) unsupported("ALTER DATABASE ... " + opt);
  }
  if (!access.allow_connections && name == db_->name())
    raise(sqlstate::kInvalidParameterValue, "cannot disallow connections for current database");
  writable_roles().set_database_access(name, access);
  sink.complete("ALTER DATABASE", 0);
}

// What a connection may not do as it logs in (PostgreSQL's order: the role's connection limit,
// then the database's ALLOW_CONNECTIONS and CONNECTION LIMIT; superusers have no limits).
// Counts the sessions of the cluster, this one included.
void SessionImpl::check_login() {
  const catalog::RoleDef* role = roles().find(login_user_);
  bool superuser = !role || role->superuser;  // a users-file user acts as the superuser
  std::string database = db_->name();
  db_->activity->update(this, [&](SessionActivity& a) { a.user = login_user_; });
  auto sessions = [&](const std::function<bool(const SessionActivity&)>& which) {
    return static_cast<int64_t>(db_->activity->count(which));
  };
  if (role && !superuser && role->connlimit >= 0 &&
      sessions([&](const SessionActivity& a) { return a.user == login_user_; }) > role->connlimit)
    raise(sqlstate::kTooManyConnections, "too many connections for role \"{}\"", login_user_);
  auto access = roles().database_access(database);
  if (!access.allow_connections)
    raise(sqlstate::kObjectNotInPrerequisiteState, "database \"{}\" is not currently accepting connections", database);
  if (!superuser && access.connlimit >= 0 &&
      sessions([&](const SessionActivity& a) { return a.database == database; }) > access.connlimit)
    raise(sqlstate::kTooManyConnections, "too many connections for database \"{}\"", database);
}

// DISCARD ALL / PLANS / SEQUENCES / TEMP: what a pooler sends to hand a connection on.
void SessionImpl::run_discard(const json::object& n, ResultSink& sink) {
  std::string target(str_field(n, "target"));
  if (target == "DISCARD_ALL") {
    if (in_block_) raise(sqlstate::kActiveSqlTransaction, "DISCARD ALL cannot run inside a transaction block");
    cursors_.clear();
    if (deallocate) deallocate("");
    currvals_.clear();
    reset_all_settings();
    return sink.complete("DISCARD ALL", 0);
  }
  if (target == "DISCARD_SEQUENCES") currvals_.clear();
  // PLANS: plans are re-made when the catalog changes anyway; TEMP: there are no temporary tables.
  sink.complete(target == "DISCARD_PLANS" ? "DISCARD PLANS" : target == "DISCARD_SEQUENCES" ? "DISCARD SEQUENCES" : "DISCARD TEMP", 0);
}

std::vector<int64_t> SessionImpl::blocking_pids(int64_t pid) {
  const void* session = db_->activity->session_of(pid);
  if (!session) return {};
  std::vector<const void*> holders = db_->store().blocking_tags(session);
  for (const void* s : db_->advisory_blockers(session)) holders.push_back(s);
  std::vector<int64_t> pids;
  for (const void* s : holders)
    if (int64_t p = db_->activity->pid_of(s); p && std::ranges::count(pids, p) == 0) pids.push_back(p);
  return pids;
}

bool SessionImpl::advisory_lock(const std::string& key, bool xact, bool try_only, const exec::ExecContext& ctx) {
  // Transaction-level locks are held under a second owner of this session, so the two kinds
  // stack like PostgreSQL's (both re-entrant, released separately).
  const void* owner = xact ? static_cast<const void*>(&xact_owner_) : this;
  auto started = std::chrono::steady_clock::now();
  bool got = db_->advisory_lock(key, owner, this, !try_only, [&] {
    ctx.check_now();
    if (ctx.lock_timeout_ms > 0 &&
        std::chrono::steady_clock::now() - started > std::chrono::milliseconds(ctx.lock_timeout_ms))
      raise(sqlstate::kLockNotAvailable, "canceling statement due to lock timeout");
  });
  if (got && xact) xact_advisory_.push_back(key);
  return got;
}

bool SessionImpl::advisory_unlock(const std::string& key) { return db_->advisory_unlock(key, this); }

void SessionImpl::advisory_unlock_all() { db_->advisory_unlock_all(this); }

void SessionImpl::end_xact_advisory() {
  for (const auto& k : xact_advisory_) db_->advisory_unlock(k, &xact_owner_);
  xact_advisory_.clear();
}

void SessionImpl::add_on_commit_action(const catalog::TableDef& t, bool drop) {
  on_commit_.push_back({t.id, t.schema, t.name, drop, true});
}

// As PostgreSQL's PreCommit_on_commit_actions: ON COMMIT DROP tables are dropped, ON COMMIT
// DELETE ROWS ones emptied, in the committing transaction.
void SessionImpl::run_on_commit_actions() {
  read_only_ = false;  // the actions are the system's, done in a READ ONLY transaction too
  std::vector<OnCommitAction> actions = std::move(on_commit_);
  on_commit_.clear();
  for (auto& a : actions) {
    auto t = current_catalog().table(a.table);
    if (!t || t->schema != a.schema || t->name != a.name) continue;  // dropped already
    // DELETE ROWS of an empty table has nothing to do (a TRUNCATE would change the catalog).
    std::string prefix = exec::table_prefix(t->id);
    if (a.drop || txn_->scan(prefix, keys::prefix_successor(prefix))->valid()) {
      uint64_t count = 0;
      std::string name = sql::quote_identifier(a.schema) + "." + sql::quote_identifier(a.name);
      run_dynamic((a.drop ? "DROP TABLE " : "TRUNCATE ") + name, {}, 0, count, nullptr);
    }
    if (a.drop) continue;
    a.new_in_transaction = false;
    on_commit_.push_back(std::move(a));
  }
}

void SessionImpl::commit_transaction() {
  if (txn_ && (!key_checks_.deferred.empty() || !on_commit_.empty())) {
    // DEFERRED foreign keys are checked now, then the ON COMMIT actions run; an error rolls the
    // transaction back.
    try {
      exec::ExecContext ctx = make_context(nullptr);
      exec::run_key_checks(ctx, key_checks_.deferred);
      key_checks_.reset();
      run_on_commit_actions();
    } catch (...) {
      rollback_transaction();
      throw;
    }
  }
  key_checks_.reset();
  end_transaction_settings(true);
  end_cursors();
  end_xact_advisory();
  if (!txn_) return;
  std::unique_ptr<storage::Transaction> txn = std::move(txn_);
  auto changed = std::move(changed_catalog_);
  auto changed_roles = std::move(changed_roles_);
  txn_catalog_.reset();
  savepoints_.clear();
  in_block_ = false;
  failed_ = false;
  set_isolation(settings_["default_transaction_isolation"]);
  set_read_only(false);
  // Roles (a cluster's, shared by its databases) are written before the data and put in place
  // after it: when either cannot be stored, nothing of the transaction is.
  std::optional<catalog::RoleStore::Pending> roles_change;
  try {
    if (changed_roles) roles_change.emplace(db_->roles->prepare(std::move(changed_roles), base_roles_version_));
    db_->commit(*txn, std::move(changed), base_catalog_version_, sync_commit_);
  } catch (...) {
    end_transaction_notifies(false);
    throw;
  }
  if (roles_change) roles_change->commit();
  end_transaction_notifies(true);
}

void SessionImpl::fail_block() {
  failed_ = true;
  // As in PostgreSQL the transaction is over, though the block lasts until ROLLBACK: its row
  // locks go now, so sessions waiting for them go on. With savepoints, ROLLBACK TO may resume
  // it, so they stay.
  if (txn_ && savepoints_.empty()) {
    txn_->release_locks();
    txn_->end_serializable();
  }
}

void SessionImpl::rollback_transaction() {
  end_transaction_notifies(false);
  std::erase_if(on_commit_, [](const OnCommitAction& a) { return a.new_in_transaction; });
  key_checks_.reset();
  end_transaction_settings(false);
  end_cursors();
  end_xact_advisory();
  if (txn_) txn_->rollback();
  txn_.reset();
  changed_catalog_.reset();
  changed_roles_.reset();
  txn_catalog_.reset();
  savepoints_.clear();
  in_block_ = false;
  failed_ = false;
  set_isolation(settings_["default_transaction_isolation"]);
  set_read_only(false);
}

const catalog::Catalog& SessionImpl::current_catalog() {
  if (changed_catalog_) return *changed_catalog_;
  if (txn_catalog_) return *txn_catalog_;
  txn_catalog_ = db_->catalog();
  return *txn_catalog_;
}

catalog::Catalog& SessionImpl::writable_catalog() {
  if (!changed_catalog_) changed_catalog_ = std::make_shared<catalog::Catalog>(current_catalog());
  return *changed_catalog_;
}

exec::ExecContext SessionImpl::make_context(const std::vector<Value>* params) {
  exec::ExecContext ctx;
  ctx.txn = txn_.get();
  ctx.catalog = &current_catalog();
  ctx.params = params;
  ctx.text = text_;
  ctx.txn_start = txn_start_;
  ctx.stmt_start = now_micros();
  ctx.services = this;
  ctx.run_id = ++run_counter_;
  ctx.cancel = &cancel_;
  ctx.lock_timeout_ms = lock_timeout_ms_;
  ctx.repeatable_read = repeatable_read_;
  ctx.key_checks = &key_checks_;
  if (int64_t timeout = statement_timeout_ms_; timeout > 0)
    ctx.deadline =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch()).count() +
        timeout * 1000;
  return ctx;
}

exec::TableWriter& SessionImpl::table_writer(const catalog::Catalog& cat, uint32_t table_id) {
  auto table = cat.table(table_id);
  if (!table) raise(sqlstate::kUndefinedTable, "relation with OID {} does not exist", table_id);
  auto& w = fk_writers_[table_id];
  if (!w || w->layout().table != table) {
    planner::Binder binder(cat, "", {}, &text_);
    w = std::make_unique<exec::TableWriter>(table, cat);
    binder.prepare_writer(*w, *table, true);
  }
  return *w;
}

void SessionImpl::execute_script(std::string_view sql_text, ResultSink& sink) {
  catalog::TempSchemaScope temp_scope(&temp_schema_, &search_path_names());  // unqualified names see this session's TEMP tables
  catalog::DatabaseOwnerScope owner_scope(roles().database_owner(db_->name()));  // pg_database_owner
  types::UserTypesScope types_scope(&names_);  // the catalog's enums for type I/O and comparisons
  std::shared_ptr<const sql::ParseResult> parsed;
  try {
    try {
      parsed = sql::parse(sql_text);
    } catch (...) {
      rethrow_as_error();
    }
  } catch (const Error&) {
    if (in_block_) fail_block();
    throw;
  }
  if (parsed->statements.empty()) {
    sink.complete("", 0);
    return;
  }
  // Several statements in one string run in one implicit transaction (simple-query rules).
  implicit_block_ = !in_block_ && parsed->statements.size() > 1;
  try {
    try {
      for (const auto& stmt : parsed->statements) run_statement(*parsed, stmt, nullptr, sink, nullptr);
      if (implicit_block_ && !in_block_ && txn_) commit_transaction();
      implicit_block_ = false;
    } catch (...) {
      rethrow_as_error();
    }
  } catch (const Error&) {
    implicit_block_ = false;
    if (in_block_) fail_block();
    else rollback_transaction();
    throw;
  }
}

std::shared_ptr<PreparedImpl> SessionImpl::prepare(std::string_view sql_text, const std::vector<uint32_t>& param_types) {
  catalog::TempSchemaScope temp_scope(&temp_schema_, &search_path_names());  // unqualified names see this session's TEMP tables
  catalog::DatabaseOwnerScope owner_scope(roles().database_owner(db_->name()));  // pg_database_owner
  types::UserTypesScope types_scope(&names_);  // the catalog's enums for type I/O and comparisons
  try {
    if (failed_) {
      // In a failed transaction only ending it may be prepared: PostgreSQL's parse analysis refuses the rest.
      auto parsed = sql::parse(sql_text);
      if (!parsed->statements.empty() && parsed->statements[0].node->begin()->key() != "TransactionStmt")
        raise(sqlstate::kInFailedSqlTransaction, "current transaction is aborted, commands ignored until end of transaction block");
    }
    return prepare_unchecked(sql_text, param_types);
  } catch (...) {
    if (in_block_) fail_block();
    rethrow_as_error();
  }
}

std::string_view setting_display_name(std::string_view name) {
  if (name == "timezone") return "TimeZone";
  if (name == "datestyle") return "DateStyle";
  if (name == "intervalstyle") return "IntervalStyle";
  return name;
}

namespace {
// The setting SHOW reads, and the column it names (SHOW TimeZone prints "TimeZone").
std::pair<std::string, std::string> show_target(const json::object& n) {
  std::string name = lower(str_field(n, "name"));
  if (name == "transaction isolation level") return {"transaction_isolation", "transaction_isolation"};
  return {name, std::string(setting_display_name(name))};
}

std::vector<Column> show_columns(const json::object& n) {
  if (show_target(n).first == "all")
    return {Column{"name", oid::kText, -1, 0, 0}, Column{"setting", oid::kText, -1, 0, 0},
            Column{"description", oid::kText, -1, 0, 0}};
  return {Column{show_target(n).second, oid::kText, -1, 0, 0}};
}
}  // namespace

std::shared_ptr<PreparedImpl> SessionImpl::prepare_unchecked(std::string_view sql_text, const std::vector<uint32_t>& param_types) {
  auto p = std::make_shared<PreparedImpl>();
  p->parsed = sql::parse(sql_text);
  if (p->parsed->statements.size() > 1)
    raise(sqlstate::kSyntaxError, "cannot insert multiple commands into a prepared statement");
  p->param_types = param_types;
  if (p->parsed->statements.empty()) return p;
  p->stmt = &p->parsed->statements[0];
  std::string_view type = p->stmt->node->begin()->key();
  bool select_into = type == "SelectStmt" && p->stmt->node->begin()->value().as_object().contains("intoClause");
  if (!select_into && (type == "SelectStmt" || type == "InsertStmt" || type == "UpdateStmt" || type == "DeleteStmt")) {
    bool temp_txn = !txn_;
    const catalog::Catalog& cat = current_catalog();
    planner::Binder binder(cat, p->parsed->sql, param_types, &text_);
    p->plan = binder.bind_statement(*p->stmt->node);
    p->catalog_version = cat.version();
    p->param_types = binder.param_types();
    for (auto& t : p->param_types)
      if (t == 0 || t == oid::kUnknownType) t = oid::kText;
    p->columns = p->plan->columns;
    p->returns_rows = type == "SelectStmt" || !p->plan->returning.empty();
    if (temp_txn) txn_catalog_.reset();
  } else if (type == "DeclareCursorStmt") {
    bool temp_txn = !txn_;
    const auto* query = sql::field(p->stmt->node->begin()->value().as_object(), "query");
    planner::Binder binder(current_catalog(), p->parsed->sql, param_types, &text_);
    if (query) binder.bind_statement(query->as_object());
    p->param_types = binder.param_types();
    for (auto& t : p->param_types)
      if (t == 0 || t == oid::kUnknownType) t = oid::kText;
    if (temp_txn) txn_catalog_.reset();
  } else if (type == "VariableShowStmt") {
    p->columns = show_columns(p->stmt->node->begin()->value().as_object());
    p->returns_rows = true;
  } else if (type == "FetchStmt") {
    // FETCH describes its rows as the cursor's columns.
    const auto& n = p->stmt->node->begin()->value().as_object();
    auto it = cursors_.find(std::string(str_field(n, "portalname")));
    if (it != cursors_.end() && !sql::bool_field(n, "ismove")) {
      p->columns = it->second->columns;
      p->returns_rows = true;
    }
  }
  return p;
}

void SessionImpl::execute_prepared(PreparedImpl& p, const std::vector<Value>& params, ResultSink& sink) {
  catalog::TempSchemaScope temp_scope(&temp_schema_, &search_path_names());  // unqualified names see this session's TEMP tables
  catalog::DatabaseOwnerScope owner_scope(roles().database_owner(db_->name()));  // pg_database_owner
  types::UserTypesScope types_scope(&names_);  // the catalog's enums for type I/O and comparisons
  if (!p.stmt) {
    sink.complete("", 0);
    return;
  }
  try {
    try {
      run_statement(*p.parsed, *p.stmt, &params, sink, &p);
    } catch (...) {
      rethrow_as_error();
    }
  } catch (const Error&) {
    if (in_block_) fail_block();
    else rollback_transaction();
    throw;
  }
}

// pg_stat_activity: the statement is active; when it ends, the session is idle (or idle in
// its transaction).
void SessionImpl::run_statement(const sql::ParseResult& parsed, const sql::Statement& stmt,
                                 const std::vector<Value>* params, ResultSink& sink, PreparedImpl* prepared) {
  int64_t now = now_micros();
  db_->activity->update(this, [&](SessionActivity& a) {
    a.state = "active";
    a.query = std::string(stmt.text);
    a.query_start = a.state_change = now;
    a.user = login_user_;
    a.application_name = settings_.count("application_name") ? settings_["application_name"] : "";
    if (!a.xact_start) a.xact_start = now;
  });
  struct Idle {
    SessionImpl& s;
    ~Idle() {
      bool in_xact = s.in_block_ || s.implicit_block_;
      s.db_->activity->update(&s, [&](SessionActivity& a) {
        a.state = s.failed_ ? "idle in transaction (aborted)" : in_xact ? "idle in transaction" : "idle";
        a.state_change = now_micros();
        if (!in_xact) a.xact_start = 0;
        a.application_name = s.settings_.count("application_name") ? s.settings_["application_name"] : "";
      });
    }
  } idle{*this};
  run_statement_here(parsed, stmt, params, sink, prepared);
}

void SessionImpl::run_statement_here(const sql::ParseResult& parsed, const sql::Statement& stmt,
                                     const std::vector<Value>* params, ResultSink& sink, PreparedImpl* prepared) {
  std::string_view type = stmt.node->begin()->key();
  const auto& n = stmt.node->begin()->value().as_object();
  cancel_.store(false);
  if (failed_) {
    bool allowed = false;
    if (type == "TransactionStmt") {
      std::string kind(str_field(n, "kind"));
      allowed = kind == "TRANS_STMT_COMMIT" || kind == "TRANS_STMT_ROLLBACK" || kind == "TRANS_STMT_ROLLBACK_TO";
    }
    if (!allowed)
      raise(sqlstate::kInFailedSqlTransaction, "current transaction is aborted, commands ignored until end of transaction block");
  }
  if (type == "TransactionStmt") return run_transaction_stmt(n, sink);
  if (run_session_statement(type, n, stmt, sink)) return;

  bool autocommit = !in_block_ && !implicit_block_;
  ResultSink* saved_notices = notice_sink_;
  notice_sink_ = &sink;  // RAISE NOTICE of the functions and triggers it runs
  struct RestoreNotices { ResultSink*& at; ResultSink* saved; ~RestoreNotices() { at = saved; } } restore_notices{notice_sink_, saved_notices};
  begin_implicit();
  if (read_only_) check_writable(type, n);
  try {
    run_in_transaction(type, n, parsed, stmt, params, sink, prepared);
  } catch (...) {
    if (in_block_) fail_block();
    else if (!implicit_block_) rollback_transaction();
    rethrow_as_error();
  }
  if (autocommit && !in_block_ && txn_) commit_transaction();
}

// The statements that run outside any transaction of their own (settings, cursors, prepared
// statements, VACUUM, databases): true when `type` is one and has run.
bool SessionImpl::run_session_statement(std::string_view type, const json::object& n, const sql::Statement& stmt,
                                        ResultSink& sink) {
  if (type == "VariableSetStmt") return run_set(n, sink), true;
  if (type == "ConstraintsSetStmt") return run_set_constraints(n, sink), true;
  if (type == "VariableShowStmt") return run_show(n, sink), true;
  if (type == "ClosePortalStmt") return run_close_cursor(n, sink), true;
  if (type == "FetchStmt") return run_fetch(n, sink), true;
  if (type == "PrepareStmt") return run_prepare(n, stmt, sink), true;
  if (type == "ExecuteStmt") return run_execute(n, sink), true;
  if (type == "DeallocateStmt") {
    std::string name(str_field(n, "name"));
    bool found = sql_prepared_.erase(name) > 0;
    if (name.empty()) sql_prepared_.clear();
    found = (deallocate && deallocate(name)) || found;
    if (!name.empty() && !found) raise(sqlstate::kInvalidSqlStatementName, "prepared statement \"{}\" does not exist", name);
    sink.complete(name.empty() ? "DEALLOCATE ALL" : "DEALLOCATE", 0);
    return true;
  }
  if (type == "DiscardStmt") return run_discard(n, sink), true;
  if (type == "VacuumStmt" && sql::bool_field(n, "is_vacuumcmd")) return run_vacuum(n, sink), true;
  if (type == "CreatedbStmt" || type == "DropdbStmt") return run_database_statement(type, n, sink), true;

  return false;
}

// A statement in the current transaction (begun by the caller).
void SessionImpl::run_in_transaction(std::string_view type, const json::object& n, const sql::ParseResult& parsed,
                                     const sql::Statement& stmt, const std::vector<Value>* params, ResultSink& sink,
                                     PreparedImpl* prepared) {
  if (type == "SelectStmt" && n.contains("intoClause")) {
    // SELECT ... INTO t: CREATE TABLE t AS SELECT ... (PostgreSQL's transformSelectStmt does the same).
    json::object query = n;
    const json::value into = query["intoClause"];
    query.erase("intoClause");
    const json::object& into_body = into.as_object().contains("IntoClause") ? sql::node_body(into) : into.as_object();
    json::object ctas{{"query", json::object{{"SelectStmt", std::move(query)}}}, {"into", into_body}, {"objtype", "OBJECT_TABLE"}};
    DdlExecutor ddl(*this, parsed.sql, stmt.text);
    ddl.run("CreateTableAsStmt", ctas, sink);
  } else if ((type == "InsertStmt" || type == "UpdateStmt" || type == "DeleteStmt") && run_with_rules(*stmt.node, parsed, params, sink)) {
    // done: the statements its relation's rules made of it
  } else if (type == "SelectStmt" || type == "InsertStmt" || type == "UpdateStmt" || type == "DeleteStmt") {
    std::unique_ptr<planner::Plan> local;
    planner::Plan* plan = plan_for(prepared, parsed, stmt, local);
    std::vector<Value> converted = convert_params(*plan, params);
    run_plan(*plan, &converted, sink);
  } else if (type == "CopyStmt") {
    run_copy(n, parsed, sink);
  } else if (type == "LockStmt") {
    run_lock(n, sink);
  } else if (type == "MergeStmt") {
    run_merge(n, parsed, sink);
  } else if (type == "ListenStmt" || type == "UnlistenStmt" || type == "NotifyStmt") {
    run_listen(type, n, sink);
  } else if (type == "ExplainStmt") {
    run_explain(n, parsed, sink);
  } else if (type == "VacuumStmt") {
    run_analyze(n, sink);
  } else if (type == "DeclareCursorStmt") {
    run_declare(n, parsed, stmt, prepared, params, sink);
  } else if (type == "AlterDatabaseStmt") {
    run_alter_database(n, sink);
  } else if (type == "DoStmt") {
    run_do(n, stmt.text, sink);
  } else if (type == "CallStmt") {
    run_call(n, parsed, params, sink);
  } else {
    DdlExecutor ddl(*this, parsed.sql, stmt.text);
    ddl.run(type, n, sink);
  }
}

planner::Plan* SessionImpl::plan_for(PreparedImpl* prepared, const sql::ParseResult& parsed, const sql::Statement& stmt,
                                     std::unique_ptr<planner::Plan>& local) {
  const catalog::Catalog& cat = current_catalog();
  if (prepared && prepared->plan && prepared->catalog_version == cat.version() && !changed_catalog_) {
    check_access(prepared->plan->access);
    return prepared->plan.get();
  }
  planner::Binder binder(cat, parsed.sql, prepared ? prepared->param_types : std::vector<uint32_t>{}, &text_);
  local = binder.bind_statement(*stmt.node);
  check_access(local->access);
  if (prepared && !changed_catalog_) {
    prepared->plan = std::move(local);
    prepared->catalog_version = cat.version();
    return prepared->plan.get();
  }
  return local.get();
}

std::vector<Value> SessionImpl::convert_params(const planner::Plan& plan, const std::vector<Value>* params) {
  size_t given = params ? params->size() : 0;
  if (!params && !plan.param_types.empty()) raise(sqlstate::kUndefinedParameter, "there is no parameter $1");
  size_t needed = 0;
  for (size_t i = 0; i < plan.param_types.size(); ++i)
    if (plan.param_types[i]) needed = i + 1;
  if (given < plan.param_types.size())
    raise(sqlstate::kProtocolViolation, "bind message supplies {} parameters, but prepared statement \"\" requires {}",
          given, plan.param_types.size());
  (void)needed;
  std::vector<Value> out;
  if (!params) return out;
  out.reserve(given);
  for (size_t i = 0; i < given; ++i) {
    const Value& v = (*params)[i];
    uint32_t want = i < plan.param_types.size() && plan.param_types[i] ? plan.param_types[i] : oid::kText;
    if (want == oid::kUnknownType) want = oid::kText;
    if (v.type() == want) out.push_back(v);
    else if (v.is_null()) out.push_back(Value::null(want));
    else if (v.type() == oid::kUnknownType) out.push_back(types::parse_text(want, v.as_string(), -1, text_));
    else {
      exec::ExecContext ctx = make_context(nullptr);
      out.push_back(exec::cast_value(v, want, -1, false, ctx));
    }
  }
  return out;
}

std::unique_ptr<OpenQuery> SessionImpl::open_query(PreparedImpl& p, std::vector<Value> params) {
  catalog::TempSchemaScope temp_scope(&temp_schema_, &search_path_names());  // unqualified names see this session's TEMP tables
  catalog::DatabaseOwnerScope owner_scope(roles().database_owner(db_->name()));  // pg_database_owner
  types::UserTypesScope types_scope(&names_);  // the catalog's enums for type I/O and comparisons
  if (failed_)
    raise(sqlstate::kInFailedSqlTransaction, "current transaction is aborted, commands ignored until end of transaction block");
  auto q = std::make_unique<OpenQuery>();
  q->autocommit = !in_block_ && !implicit_block_;
  begin_implicit();
  try {
    q->plan = plan_for(&p, *p.parsed, *p.stmt, q->owned);
    if (q->plan->plan_error) throw *q->plan->plan_error;
    q->params = convert_params(*q->plan, &params);
    run_before(*q->plan, &q->params, nullptr);
    q->ctx = make_context(&q->params);
    q->plan->root->open(q->ctx);
  } catch (...) {
    if (in_block_) fail_block();
    else rollback_transaction();
    rethrow_as_error();
  }
  return q;
}

void SessionImpl::close_query(OpenQuery& q, bool ok) {
  q.plan->root->close();
  if (!ok) {
    if (in_block_) fail_block();
    else rollback_transaction();
    return;
  }
  if (q.autocommit && !in_block_ && txn_) commit_transaction();
}

void SessionImpl::run_before(planner::Plan& plan, const std::vector<Value>* params, ResultSink* notices) {
  for (auto& step : plan.before) {
    CollectSink rows(notices);
    run_plan(*step.plan, params, rows);
    *step.rows = std::move(rows.rows);
  }
}

void SessionImpl::check_not_in_use(uint32_t relation, std::string_view command, const std::string& name) const {
  for (const auto* access : active_relations_)
    for (const auto& a : *access)
      if (a.relation == relation)
        raise(sqlstate::kObjectInUse, "cannot {} \"{}\" because it is being used by active queries in this session", command, name);
}

void SessionImpl::run_plan(planner::Plan& plan, const std::vector<Value>* params, ResultSink& sink) {
  if (plan.plan_error) throw *plan.plan_error;
  active_relations_.push_back(&plan.access);
  struct Done {
    std::vector<const std::vector<planner::AccessCheck>*>& v;
    ~Done() { v.pop_back(); }
  } done{active_relations_};
  run_before(plan, params, &sink);
  exec::ExecContext ctx = make_context(params);
  using Kind = planner::Plan::Kind;
  if (plan.kind == Kind::kQuery) {
    sink.columns(plan.columns);
    uint64_t count = 0;
    plan.root->open(ctx);
    Row row;
    bool more = true;
    while (more && plan.root->next(row)) {
      ++count;
      more = sink.row(row);
    }
    plan.root->close();
    sink.complete("SELECT " + std::to_string(count), count);
    return;
  }
  bool returning = !plan.returning.empty();
  if (returning) sink.columns(plan.columns);
  // RETURNING over row (UPDATE/DELETE: followed by the rest of the target's row from root: its
  // key, joined columns). The rows go out once the statement's foreign key checks passed.
  // A statement run by a function or trigger has its own key checks; the calling statement's
  // wait for it to end.
  std::vector<exec::KeyCheck> outer_checks = std::move(key_checks_.statement);
  key_checks_.statement.clear();
  struct Nesting {
    SessionImpl& s;
    std::vector<exec::KeyCheck>& outer;
    ~Nesting() {
      --s.plan_depth_;
      s.key_checks_.statement = std::move(outer);
    }
  } nesting{*this, outer_checks};
  if (plan_depth_++ == 0) fk_writers_.clear();  // made again over this statement's catalog when a foreign key action needs one
  std::vector<size_t> set_columns;
  for (const auto& [col, e] : plan.assignments) set_columns.push_back(col);
  if (plan.on_conflict)
    for (const auto& [col, e] : plan.on_conflict->assignments) set_columns.push_back(col);
  StatementTriggers triggers(*this, plan.table, std::move(set_columns));
  std::vector<Row> returned;
  // RETURNING over a row of `part` as the statement's table's row (`table_row`: r is one already,
  // else a member's row is made one), then for UPDATE and DELETE the rest of the target's row from
  // root (its key, joined columns), then the tableoid of the table the row is in.
  auto emit_for = [&](const planner::Plan& part, const Row& r, uint32_t table_id, const Row* target = nullptr,
                      bool table_row = false) {
    if (!returning) return;
    Row full = table_row ? r : part.as_table(r);
    if (target) full.insert(full.end(), target->begin() + static_cast<long>(part.table->columns.size()), target->end());
    full.push_back(Value::of(oid::kOid, int64_t{table_id}));
    Row out;
    out.reserve(part.returning.size());
    for (const auto& e : part.returning) out.push_back(e->eval(full, ctx));
    returned.push_back(std::move(out));
  };
  PartitionTriggers partition_triggers(*this);
  auto finish = [&](std::string tag, uint64_t count) {
    exec::run_key_checks(ctx, key_checks_.statement);
    triggers.after_statement();
    for (const auto& r : returned) sink.row(r);
    sink.complete(tag, count);
  };
  uint64_t count = 0;
  Row row;
  if (plan.kind == Kind::kInsert) {
    // The new rows are computed before any goes in, so INSERT ... SELECT from the same table
    // reads the table as it was (PostgreSQL's statement snapshot), not its own new rows.
    std::vector<Row> rows;
    plan.root->open(ctx);
    while (plan.root->next(row)) rows.push_back(std::move(row));
    plan.root->close();
    // ON CONFLICT: a row that would collide in an arbiter index is skipped (DO NOTHING) or
    // changes the row it collides with (DO UPDATE), at most once per statement.
    const auto* oc = plan.on_conflict ? &*plan.on_conflict : nullptr;
    std::set<std::string> touched;  // keys of rows this statement inserted or updated
    size_t width = plan.table->columns.size();  // a partition has the table's columns (in its own order)
    triggers.before_statement(catalog::kTriggerInsert | (oc && oc->update ? catalog::kTriggerUpdate : 0));
    for (Row& row : rows) {
      if (!triggers.before_row(catalog::kTriggerInsert, nullptr, &row)) continue;
      // A partitioned table's row goes to the leaf partition whose bounds hold it, as its row.
      planner::Plan::Route* route = plan.table->is_partitioned() ? &plan.route_for(row, ctx.text) : nullptr;
      exec::TableWriter& writer = route ? *route->writer : *plan.writer;
      if (route) route->to_leaf.apply(row);
      StatementTriggers* leaf = route ? partition_triggers.of(writer.layout().table) : nullptr;
      if (leaf && !leaf->before_row(catalog::kTriggerInsert, nullptr, &row)) continue;
      if (oc) {
        std::string key = writer.find_conflict(ctx, row, route ? route->arbiters : oc->arbiters);
        if (!key.empty()) {
          if (!oc->update) continue;
          if (touched.count(key))
            throw Error(sqlstate::kCardinalityViolation, "ON CONFLICT DO UPDATE command cannot affect row a second time")
                .with_hint("Ensure that no rows proposed for insertion within the same command have duplicate constrained values.");
          // The existing row (its newest version: 40001 under REPEATABLE READ when that is
          // newer than the snapshot), its key, then the proposed row as EXCLUDED.
          Row t;
          writer.layout().decode(*ctx.txn->get_latest(key), t);
          t.push_back(Value::of(oid::kBytea, key));
          if (exec::lock_row_version(ctx, writer.layout(), t, width, nullptr)) {
            Row stored(t.begin(), t.begin() + static_cast<long>(width));
            if (route) {  // a partition's rows: the SET and WHERE clauses read the table's
              t.resize(width);
              route->from_leaf.apply(t);
              t.push_back(Value::of(oid::kBytea, key));
              route->from_leaf.apply(row);
            }
            Row old(t.begin(), t.begin() + static_cast<long>(width));
            t.insert(t.end(), row.begin(), row.end());
            if (oc->where) {
              Value ok = oc->where->eval(t, ctx);
              if (ok.is_null() || !ok.as_bool()) continue;
            }
            Row updated = old;
            for (const auto& [col, e] : oc->assignments) updated[col] = e->eval(t, ctx);
            if (!triggers.before_row(catalog::kTriggerUpdate, &old, &updated)) continue;
            if (route) {
              Row leaf_row = route->to_leaf(updated);
              // PostgreSQL: ON CONFLICT DO UPDATE does not move a row to another partition.
              if (!writer.partition.holds(leaf_row))
                throw Error(sqlstate::kFeatureNotSupported, "invalid ON UPDATE specification")
                    .with_detail("The result tuple would appear in a different partition than the original tuple.");
              touched.insert(writer.update(ctx, key, stored, leaf_row));
              updated = route->from_leaf(leaf_row);
            } else {
              touched.insert(writer.update(ctx, key, stored, updated));
            }
            triggers.after_row(catalog::kTriggerUpdate, &old, &updated);
            ++count;
            emit_for(plan, updated, writer.layout().table->id, nullptr, true);
            continue;
          }
        }
      }
      std::string key = writer.insert(ctx, row);
      if (oc) touched.insert(std::move(key));
      if (leaf) leaf->after_row(catalog::kTriggerInsert, nullptr, &row);
      if (route) route->from_leaf.apply(row);
      triggers.after_row(catalog::kTriggerInsert, nullptr, &row);
      ++count;
      emit_for(plan, row, writer.layout().table->id, nullptr, true);
    }
    partition_triggers.after_statement();
    finish("INSERT 0 " + std::to_string(count), count);
    return;
  }
  // UPDATE / DELETE: find every target row first, then change them; a table with inheritance
  // children, then each of theirs.
  int event = plan.kind == Kind::kUpdate ? catalog::kTriggerUpdate : catalog::kTriggerDelete;
  triggers.before_statement(event);
  std::vector<planner::Plan*> parts{&plan};
  for (auto& m : plan.members) parts.push_back(m.get());
  // Every part's rows are found first: a row UPDATE moves to another partition is not found there.
  std::vector<std::vector<Row>> part_targets(parts.size());
  for (size_t i = 0; i < parts.size(); ++i) {
    parts[i]->root->open(ctx);
    while (parts[i]->root->next(row)) part_targets[i].push_back(row);
    parts[i]->root->close();
  }
  for (size_t i = 0; i < parts.size(); ++i) {
    planner::Plan* part = parts[i];
    // A child's rows fire the child's row triggers (the statement's triggers are the table's).
    std::optional<StatementTriggers> child_triggers;
    if (part != &plan) {
      std::vector<size_t> cols;
      for (const auto& [col, e] : part->assignments) cols.push_back(col);
      child_triggers.emplace(*this, part->table, std::move(cols));
    }
    // Which row triggers a row fires: the table's; a child's own; and for a partition also the
    // partitioned table's (PostgreSQL clones those onto its partitions), with its row as the
    // table's.
    bool table_triggers = !child_triggers || part->table->is_partition();
    bool convert = table_triggers && triggers.any() && !part->as_table.identity();
    exec::ColumnMap from_table = convert ? exec::ColumnMap(*plan.table, *part->table) : exec::ColumnMap();
    auto before_row = [&](const Row* o, Row* n) {
      if (convert) {
        Row to = part->as_table(*o), tn = n ? part->as_table(*n) : Row();
        if (!triggers.before_row(event, &to, n ? &tn : nullptr)) return false;
        if (n) *n = from_table(tn);
      } else if (table_triggers && !triggers.before_row(event, o, n)) {
        return false;
      }
      return !child_triggers || child_triggers->before_row(event, o, n);
    };
    auto after_row = [&](const Row* o, const Row* n) {
      if (convert) {
        Row to = part->as_table(*o), tn = n ? part->as_table(*n) : Row();
        triggers.after_row(event, &to, n ? &tn : nullptr);
      } else if (table_triggers) {
        triggers.after_row(event, o, n);
      }
      if (child_triggers) child_triggers->after_row(event, o, n);
    };
    size_t width = part->table->columns.size();
    std::set<std::string> done;  // UPDATE ... FROM / DELETE ... USING: rows already changed
    for (auto& t : part_targets[i]) {
      std::string key = t[width].as_string();
      if (part->joined && !done.insert(key).second) continue;
      // The row lock first: a row another transaction is changing waits for it to finish.
      if (!exec::lock_row_version(ctx, part->writer->layout(), t, width, part->recheck.get())) continue;
      Row old(t.begin(), t.begin() + static_cast<long>(width));
      if (part->kind == Kind::kUpdate) {
        Row updated = old;
        for (const auto& [col, e] : part->assignments) updated[col] = e->eval(t, ctx);
        if (!before_row(&old, &updated)) continue;
        if (plan.table->is_partitioned() && !part->writer->partition.holds(updated)) {
          // The new row leaves its partition: it moves to the one whose bounds hold it, as
          // PostgreSQL's DELETE from the one (its row triggers) and INSERT into the other.
          Row moved = part->as_table(updated);
          auto& route = plan.route_for(moved, ctx.text);
          if (child_triggers && !child_triggers->before_row(catalog::kTriggerDelete, &old, nullptr)) continue;
          part->writer->remove(ctx, key, old);
          if (child_triggers) child_triggers->after_row(catalog::kTriggerDelete, &old, nullptr);
          // A row the destination's BEFORE trigger skips is gone, and not counted (PostgreSQL).
          if (!insert_routed(ctx, route, partition_triggers, moved)) continue;
          emit_for(*part, moved, route.writer->layout().table->id, &t, true);
        } else {
          part->writer->update(ctx, key, old, updated);
          after_row(&old, &updated);
          emit_for(*part, updated, part->table->id, &t);
        }
      } else {
        if (!before_row(&old, nullptr)) continue;
        part->writer->remove(ctx, key, old);
        after_row(&old, nullptr);
        emit_for(*part, old, part->table->id, &t);
      }
      ++count;
    }
    if (child_triggers) child_triggers->after_statement();  // its queued AFTER ROW triggers
  }
  partition_triggers.after_statement();
  finish((plan.kind == Kind::kUpdate ? "UPDATE " : "DELETE ") + std::to_string(count), count);
}

void SessionImpl::run_transaction_stmt(const json::object& n, ResultSink& sink) {
  std::string kind(str_field(n, "kind"));
  auto warn = [&](const char* state, const char* msg) {
    Error w(state, msg);
    w.with_severity("WARNING");
    sink.notice(w);
  };
  if (kind == "TRANS_STMT_BEGIN" || kind == "TRANS_STMT_START") {
    if (in_block_) {
      warn(sqlstate::kActiveSqlTransaction, "there is already a transaction in progress");
    } else {
      in_block_ = true;
      begin_implicit(false);
    }
    for (const auto& o : list_field(n, "options")) {
      const auto& d = sql::node_body(o);
      std::string name(str_field(d, "defname"));
      if (name == "transaction_isolation") {
        std::string v = arg_text(*field(d, "arg"), "");
        apply_setting("transaction_isolation", v);
      } else if (name == "transaction_read_only") {
        set_read_only(arg_text(*field(d, "arg"), "") == "on" || arg_text(*field(d, "arg"), "") == "1");
      } else if (name == "transaction_deferrable") {
        std::string v = arg_text(*field(d, "arg"), "");
        settings_["transaction_deferrable"] = v == "on" || v == "1" || v == "true" ? "on" : "off";
      }
    }
    sink.complete(kind == "TRANS_STMT_START" ? "START TRANSACTION" : "BEGIN", 0);
    return;
  }
  // COMMIT / ROLLBACK AND CHAIN: a new transaction block right away, with the same
  // isolation level, read-only and deferrable modes.
  bool chain = sql::bool_field(n, "chain");
  if (chain && !in_block_)
    raise(sqlstate::kNoActiveSqlTransaction, "{} AND CHAIN can only be used in transaction blocks",
          kind == "TRANS_STMT_COMMIT" ? "COMMIT" : "ROLLBACK");
  auto start_chained = [&, isolation = settings_["transaction_isolation"], read_only = read_only_,
                        deferrable = settings_["transaction_deferrable"]] {
    if (!chain) return;
    in_block_ = true;
    begin_implicit(false);
    apply_setting("transaction_isolation", isolation);
    set_read_only(read_only);
    settings_["transaction_deferrable"] = deferrable;
  };
  if (kind == "TRANS_STMT_COMMIT") {
    if (!in_block_) {
      warn(sqlstate::kNoActiveSqlTransaction, "there is no transaction in progress");
      if (txn_) commit_transaction();
      sink.complete("COMMIT", 0);
      return;
    }
    if (failed_) {
      rollback_transaction();
      start_chained();
      sink.complete("ROLLBACK", 0);
      return;
    }
    commit_transaction();
    start_chained();
    sink.complete("COMMIT", 0);
    return;
  }
  if (kind == "TRANS_STMT_ROLLBACK") {
    if (!in_block_) warn(sqlstate::kNoActiveSqlTransaction, "there is no transaction in progress");
    rollback_transaction();
    start_chained();
    sink.complete("ROLLBACK", 0);
    return;
  }
  std::string name(str_field(n, "savepoint_name"));
  if (kind == "TRANS_STMT_SAVEPOINT") {
    if (!in_block_) raise(sqlstate::kNoActiveSqlTransaction, "SAVEPOINT can only be used in transaction blocks");
    begin_implicit(false);
    savepoints_.push_back({name, txn_->mark(), changed_catalog_ ? std::make_shared<catalog::Catalog>(*changed_catalog_) : nullptr,
                           key_checks_.deferred.size(), settings_,
                           changed_roles_ ? std::make_shared<catalog::Roles>(*changed_roles_) : nullptr});
    sink.complete("SAVEPOINT", 0);
    return;
  }
  if (kind == "TRANS_STMT_RELEASE" || kind == "TRANS_STMT_ROLLBACK_TO") {
    if (!in_block_)
      raise(sqlstate::kNoActiveSqlTransaction, "{} can only be used in transaction blocks",
            kind == "TRANS_STMT_RELEASE" ? "RELEASE SAVEPOINT" : "ROLLBACK TO SAVEPOINT");
    int found = -1;
    for (int i = static_cast<int>(savepoints_.size()) - 1; i >= 0; --i)
      if (savepoints_[static_cast<size_t>(i)].name == name) { found = i; break; }
    if (found < 0) {
      if (kind == "TRANS_STMT_ROLLBACK_TO") fail_block();
      raise(sqlstate::kSEInvalidSpecification, "savepoint \"{}\" does not exist", name);
    }
    if (kind == "TRANS_STMT_RELEASE") {
      savepoints_.resize(static_cast<size_t>(found));
      sink.complete("RELEASE", 0);
    } else {
      auto& sp = savepoints_[static_cast<size_t>(found)];
      txn_->rollback_to(sp.mark);
      changed_catalog_ = sp.catalog ? std::make_shared<catalog::Catalog>(*sp.catalog) : nullptr;
      changed_roles_ = sp.roles ? std::make_shared<catalog::Roles>(*sp.roles) : nullptr;
      key_checks_.deferred.resize(std::min(key_checks_.deferred.size(), sp.deferred_checks));
      for (const auto& [k, v] : std::map<std::string, std::string>(settings_))
        if (!sp.settings.count(k)) settings_.erase(k);
      for (const auto& [k, v] : sp.settings)
        if (auto it = settings_.find(k); (it == settings_.end() || it->second != v) && k != "transaction_isolation" &&
                                          k != "transaction_read_only")
          apply_setting(k, v);
      key_checks_.statement.clear();
      savepoints_.resize(static_cast<size_t>(found) + 1);
      failed_ = false;
      sink.complete("ROLLBACK", 0);
    }
    return;
  }
  unsupported(fmt::format("transaction statement {}", kind));
}

// SET inside a transaction lasts only if it commits; SET LOCAL only until the transaction ends.
// The value before the transaction's first change of a setting is kept to go back to.
bool SessionImpl::remember_setting(const std::string& name, bool local, ResultSink* sink) {
  if (!in_block_ && !implicit_block_) {
    if (local && sink) {
      Error w(sqlstate::kNoActiveSqlTransaction, "SET LOCAL can only be used in transaction blocks");
      w.with_severity("WARNING");
      sink->notice(w);
    }
    return !local;  // SET LOCAL outside a transaction changes nothing
  }
  if (name == "transaction_isolation" || name == "transaction_read_only") return true;  // reset at its end anyway
  for (auto& saved : txn_settings_)
    if (saved.name == name) {
      saved.local |= local;
      return true;
    }
  auto it = settings_.find(name);
  txn_settings_.push_back({name, it == settings_.end() ? std::nullopt : std::optional<std::string>(it->second), local});
  return true;
}

void SessionImpl::end_transaction_settings(bool committed) {
  auto saved = std::move(txn_settings_);
  txn_settings_.clear();
  for (auto it = saved.rbegin(); it != saved.rend(); ++it) {
    if (committed && !it->local) continue;
    if (it->value) apply_setting(it->name, *it->value);
    else settings_.erase(it->name);
  }
}

void SessionImpl::run_set(const json::object& n, ResultSink& sink) {
  std::string kind(str_field(n, "kind"));
  std::string name = lower(str_field(n, "name"));
  bool local = sql::bool_field(n, "is_local");
  if ((kind == "VAR_SET_VALUE" || kind == "VAR_SET_DEFAULT" || kind == "VAR_RESET") && !remember_setting(name, local, &sink))
    return sink.complete("SET", 0);
  if (kind == "VAR_SET_VALUE") {
    std::string value;
    const auto& args = list_field(n, "args");
    // List settings of names keep each name as written: SET search_path = "MySchema", x is
    // "MySchema", x (flatten_set_variable_args' GUC_LIST_QUOTE).
    bool quote = name == "search_path" || name == "temp_tablespaces";
    for (size_t i = 0; i < args.size(); ++i) {
      if (i) value += ", ";
      bool text = sql::node_type(args[i]) == "A_Const" && sql::node_body(args[i]).contains("sval");
      value += quote && text ? sql::quote_ident(arg_text(args[i], "")) : arg_text(args[i], "");
    }
    if (name == "timezone" && !args.empty() && sql::node_type(args[0]) == "TypeCast") unsupported("SET TIME ZONE INTERVAL");
    apply_setting(name, value);
  } else if (kind == "VAR_SET_DEFAULT" || kind == "VAR_RESET") {
    auto it = default_settings().find(name);
    if (it == default_settings().end() && name.find('.') == std::string::npos)
      raise(sqlstate::kUndefinedObject, "unrecognized configuration parameter \"{}\"", name);
    if (auto r = reset_values_.find(name); r != reset_values_.end() && name != "session_authorization")
      apply_setting(name, r->second);
    else if (name == "timezone") apply_setting(name, db_->options().timezone);
    else if (name == "datestyle") apply_setting(name, db_->options().datestyle);
    else if (name == "session_authorization") apply_setting(name, login_user_);
    else if (it != default_settings().end()) apply_setting(name, it->second);
    else settings_.erase(name);
  } else if (kind == "VAR_RESET_ALL") {
    reset_all_settings();
  } else if (kind == "VAR_SET_MULTI") {
    // SET TRANSACTION / SET SESSION CHARACTERISTICS AS TRANSACTION ...
    for (const auto& a : list_field(n, "args")) {
      const auto& d = sql::node_body(a);
      std::string opt(str_field(d, "defname"));
      if (opt == "transaction_isolation") {
        std::string v = arg_text(*field(d, "arg"), "");
        apply_setting(name == "session characteristics" ? "default_transaction_isolation" : "transaction_isolation", v);
        if (name == "session characteristics" && !in_block_) apply_setting("transaction_isolation", v);
      } else if (opt == "transaction_read_only") {
        std::string v = arg_text(*field(d, "arg"), "");
        bool on = v == "1" || v == "on" || v == "true";
        if (name == "session characteristics") {
          apply_setting("default_transaction_read_only", on ? "on" : "off");
        } else if (in_block_) {
          check_read_write_switch(on);
          set_read_only(on);
        }
      } else if (opt == "transaction_deferrable") {
        std::string v = arg_text(*field(d, "arg"), "");
        std::string on = v == "1" || v == "on" || v == "true" ? "on" : "off";
        if (name == "session characteristics") apply_setting("default_transaction_deferrable", on);
        else if (in_block_) settings_["transaction_deferrable"] = on;
      } else {
        unsupported(fmt::format("SET {} option {}", name, opt));
      }
    }
  } else {
    unsupported(fmt::format("SET kind {}", kind));
  }
  if (name == "session_authorization" && kind != "VAR_RESET_ALL" && remember_setting("role", local, nullptr))
    apply_setting("role", "none");  // SET SESSION AUTHORIZATION ends a SET ROLE
  sink.complete(kind == "VAR_RESET" || kind == "VAR_RESET_ALL" ? "RESET" : "SET", 0);
}


void SessionImpl::run_show(const json::object& n, ResultSink& sink) {
  auto [name, display] = show_target(n);
  sink.columns(show_columns(n));
  if (name == "all") {
    int64_t count = 0;
    for (const auto& [k, v] : settings_) {
      if (k.rfind("__", 0) == 0) continue;
      sink.row(Row{Value::text(k), Value::text(v), Value::text("")});
      ++count;
    }
    sink.complete("SHOW", count);
    return;
  }
  std::string value = setting(name);
  sink.row(Row{Value::text(value)});
  sink.complete("SHOW", 1);
}

namespace {
// The query of `PREPARE name [(types)] AS query`: the text after AS.
std::string_view prepared_query_text(std::string_view t) {
  size_t i = 0;
  auto skip_space = [&] {
    while (i < t.size()) {
      if (std::isspace(static_cast<unsigned char>(t[i]))) ++i;
      else if (t.substr(i, 2) == "--") { while (i < t.size() && t[i] != '\n') ++i; }
      else if (t.substr(i, 2) == "/*") { size_t e = t.find("*/", i + 2); i = e == std::string_view::npos ? t.size() : e + 2; }
      else break;
    }
  };
  auto word = [&] {
    skip_space();
    size_t b = i;
    if (i < t.size() && t[i] == '"') {
      for (++i; i < t.size(); ++i)
        if (t[i] == '"' && !(i + 1 < t.size() && t[i + 1] == '"')) { ++i; break; } else if (t[i] == '"') ++i;
    } else {
      while (i < t.size() && (std::isalnum(static_cast<unsigned char>(t[i])) || t[i] == '_' || t[i] == '$' || static_cast<unsigned char>(t[i]) >= 0x80)) ++i;
    }
    return t.substr(b, i - b);
  };
  word();  // PREPARE
  word();  // name
  skip_space();
  if (i < t.size() && t[i] == '(') {
    int depth = 0;
    for (; i < t.size(); ++i) {
      if (t[i] == '(') ++depth;
      else if (t[i] == ')' && --depth == 0) { ++i; break; }
      else if (t[i] == '"') { size_t e = t.find('"', i + 1); i = e == std::string_view::npos ? t.size() : e; }
    }
  }
  word();  // AS
  skip_space();
  return t.substr(i);
}
}  // namespace

void SessionImpl::run_prepare(const json::object& n, const sql::Statement& stmt, ResultSink& sink) {
  std::string name(str_field(n, "name"));
  if (sql_prepared_.count(name)) raise(sqlstate::kDuplicatePreparedStatement, "prepared statement \"{}\" already exists", name);
  std::vector<uint32_t> types;
  planner::Binder binder(current_catalog(), stmt.text, {}, &text_);
  for (const auto& t : list_field(n, "argtypes")) types.push_back(binder.resolve_type(sql::node_body(t)).first);
  sql_prepared_[name] = prepare_unchecked(prepared_query_text(stmt.text), types);
  sink.complete("PREPARE", 0);
}

void SessionImpl::run_execute(const json::object& n, ResultSink& sink) {
  std::string name(str_field(n, "name"));
  auto it = sql_prepared_.find(name);
  if (it == sql_prepared_.end()) raise(sqlstate::kInvalidSqlStatementName, "prepared statement \"{}\" does not exist", name);
  auto p = it->second;
  const auto& args = list_field(n, "params");
  if (args.size() != p->param_types.size())
    raise(sqlstate::kSyntaxError, "wrong number of parameters for prepared statement \"{}\"", name)
        ;
  std::vector<Value> values;
  exec::ExecContext ctx = make_context(nullptr);
  planner::Binder binder(current_catalog(), "", {}, &text_);
  planner::Scope none;
  for (size_t i = 0; i < args.size(); ++i) {
    auto e = binder.coerce(binder.bind_expr(args[i], none), p->param_types[i], -1, false);
    values.push_back(e->eval({}, ctx));
  }
  run_statement(*p->parsed, *p->stmt, &values, sink, p.get());
}

// LOCK TABLE: the modes that only keep DDL away are granted (tables change only through
// transactional DDL here, and readers never block); the modes that block writers are not
// implemented.
void SessionImpl::run_lock(const json::object& n, ResultSink& sink) {
  if (!in_block_) raise(sqlstate::kNoActiveSqlTransaction, "LOCK TABLE can only be used in transaction blocks");
  int64_t mode = sql::int_field(n, "mode", 8);
  for (const auto& r : list_field(n, "relations")) {
    const auto& rv = sql::node_body(r);
    std::string schema(str_field(rv, "schemaname")), name(str_field(rv, "relname"));
    catalog::check_schema(schema, &current_catalog());
    if (!current_catalog().table(schema, name))
      raise(sqlstate::kUndefinedTable, "relation \"{}\" does not exist", schema.empty() ? name : schema + "." + name);
  }
  if (mode > 3) unsupported("LOCK TABLE in SHARE mode or stronger");
  sink.complete("LOCK TABLE", 0);
}

std::string SessionImpl::set_config(const std::string& name, const std::string& value, bool is_local) {
  if (remember_setting(lower(name), is_local, nullptr)) apply_setting(lower(name), value);
  return setting(name);
}

int64_t SessionImpl::nextval(uint32_t id) {
  auto seq = current_catalog().sequence(id);
  if (!seq) raise(sqlstate::kUndefinedTable, "could not open relation with OID {}", id);
  check_sequence_privilege(*seq, catalog::kUsage | catalog::kUpdate);
  int64_t v = db_->nextval(*seq);
  currvals_[id] = v;
  last_used_sequence_ = id;
  return v;
}

int64_t SessionImpl::lastval() {
  auto seq = last_used_sequence_ ? current_catalog().sequence(last_used_sequence_) : nullptr;
  auto it = currvals_.find(last_used_sequence_);
  if (!seq || it == currvals_.end())
    raise(sqlstate::kObjectNotInPrerequisiteState, "lastval is not yet defined in this session");
  check_sequence_privilege(*seq, catalog::kSelect | catalog::kUsage);
  return it->second;
}

Row SessionImpl::sequence_row(uint32_t id) {
  auto seq = current_catalog().sequence(id);
  if (!seq) raise(sqlstate::kUndefinedTable, "could not open relation with OID {}", id);
  check_sequence_privilege(*seq, catalog::kSelect);
  auto [last, called] = db_->sequence_value(*seq);
  return Row{Value::int8(last), Value::int8(0), Value::boolean(called)};
}

int64_t SessionImpl::currval(uint32_t id) {
  auto seq = current_catalog().sequence(id);
  if (!seq) raise(sqlstate::kUndefinedTable, "could not open relation with OID {}", id);
  check_sequence_privilege(*seq, catalog::kSelect | catalog::kUsage);
  auto it = currvals_.find(id);
  if (it == currvals_.end())
    raise(sqlstate::kObjectNotInPrerequisiteState, "currval of sequence \"{}\" is not yet defined in this session", seq->name);
  return it->second;
}

int64_t SessionImpl::setval(uint32_t id, int64_t value, bool is_called) {
  auto seq = current_catalog().sequence(id);
  if (!seq) raise(sqlstate::kUndefinedTable, "could not open relation with OID {}", id);
  check_sequence_privilege(*seq, catalog::kUpdate);
  int64_t v = db_->setval(*seq, value, is_called);
  if (is_called) currvals_[id] = v;
  return v;
}

uint64_t SessionImpl::next_row_id(uint32_t table_id) { return db_->next_row_id(table_id); }


}  // namespace heliosdb::engine
