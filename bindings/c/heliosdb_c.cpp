// heliosdb_c.cpp — the C API over the C++ API (heliosdb_c.h). Every entry point catches
// everything: no exception crosses into C.
#include "heliosdb_c.h"

#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "heliosdb/heliosdb.h"
#include "heliosdb/pgwire/server.h"

using heliosdb::Database;
using heliosdb::Error;
using heliosdb::Session;
using heliosdb::Value;
namespace oid = heliosdb::oid;

struct hdb_error {
  Error error;
};

struct hdb_database {
  Database db;
  // The database's own session for hdb_db_exec, used under `mu` (also while its results
  // render text, since rendering reads the session's settings).
  std::mutex mu;
  std::optional<Session> own;
};

struct hdb_session {
  Session session;
};

struct hdb_result {
  heliosdb::Result result;
  Session session;                  // renders text under its DateStyle / TimeZone
  std::mutex* render_mu = nullptr;  // held while rendering when the session is shared
  mutable std::unordered_map<uint64_t, std::string> text;  // rendered values, by row * ncols + col
};

struct hdb_stmt {
  Session session;
  heliosdb::PreparedStatement prepared;
  heliosdb::Params params;
};

struct hdb_cursor {
  heliosdb::Cursor cursor;
  hdb_result row;  // the current row as a one-row result
};

struct hdb_server {
  std::unique_ptr<heliosdb::pgwire::Server> server;
};

namespace {

void set_error(hdb_error** err, Error e) {
  if (!err) return;
  *err = new (std::nothrow) hdb_error{std::move(e)};
}

// Runs f, turning any exception into an hdb_error; returns fallback on failure.
template <class F, class R>
R guarded(hdb_error** err, R fallback, F&& f) {
  if (err) *err = nullptr;
  try {
    return f();
  } catch (const Error& e) {
    set_error(err, e);
  } catch (const std::bad_alloc&) {
    set_error(err, Error("53200", "out of memory"));
  } catch (const std::exception& e) {
    set_error(err, Error("XX000", e.what()));
  } catch (...) {
    set_error(err, Error("XX000", "unknown internal error"));
  }
  return fallback;
}

Error misuse(const char* what) { return Error("22023", what); }

heliosdb::Params text_params(int n, const char* const* params) {
  if (n < 0 || (n > 0 && !params)) throw misuse("nparams must be 0 or more, with a params array when above 0");
  heliosdb::Params out;
  out.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    if (params[i]) out.emplace_back(params[i]);
    else out.emplace_back(nullptr);
  }
  return out;
}

void read_options(const char* const* keys, const char* const* values, auto&& set) {
  if (!keys) return;
  if (!values) throw misuse("option keys given without values");
  for (size_t i = 0; keys[i]; ++i) {
    if (!values[i]) throw misuse("an option has a NULL value");
    set(keys[i], values[i]);
  }
}

hdb_result* make_result(heliosdb::Result r, Session s, std::mutex* mu = nullptr) {
  return new hdb_result{std::move(r), std::move(s), mu, {}};
}

const Value* cell(const hdb_result* r, uint64_t row, int col) {
  if (!r || col < 0 || row >= r->result.rows().size()) return nullptr;
  const auto& values = r->result.rows()[row];
  if (static_cast<size_t>(col) >= values.size()) return nullptr;
  return &values[static_cast<size_t>(col)];
}

bool is_integer(uint32_t t) { return t == oid::kInt2 || t == oid::kInt4 || t == oid::kInt8 || t == oid::kOid; }

int bind(hdb_stmt* st, int index, Value v) {
  if (!st || index < 1 || static_cast<size_t>(index) > st->params.size()) return HDB_MISUSE;
  try {
    st->params[static_cast<size_t>(index) - 1] = heliosdb::Param(std::move(v));
    return HDB_OK;
  } catch (...) {
    return HDB_ERROR;
  }
}

}  // namespace

extern "C" {

const char* hdb_version(void) { return heliosdb::version(); }
int hdb_api_version(void) { return HDB_API_VERSION; }

const char* hdb_error_sqlstate(const hdb_error* e) { return e ? e->error.sqlstate().c_str() : ""; }
const char* hdb_error_severity(const hdb_error* e) { return e ? e->error.severity().c_str() : ""; }
const char* hdb_error_message(const hdb_error* e) { return e ? e->error.message().c_str() : ""; }
const char* hdb_error_detail(const hdb_error* e) { return e ? e->error.detail().c_str() : ""; }
const char* hdb_error_hint(const hdb_error* e) { return e ? e->error.hint().c_str() : ""; }
int hdb_error_position(const hdb_error* e) { return e ? e->error.position() : 0; }
void hdb_error_free(hdb_error* e) { delete e; }

hdb_database* hdb_open(const char* path, const char* const* keys, const char* const* values, hdb_error** err) {
  return guarded(err, static_cast<hdb_database*>(nullptr), [&] {
    heliosdb::Options options;
    read_options(keys, values, [&](const char* k, const char* v) { heliosdb::set_option(options, k, v); });
    bool memory = !path || std::strcmp(path, ":memory:") == 0;
    auto db = memory ? Database::open_in_memory(options) : Database::open(path, options);
    return new hdb_database{std::move(db), {}, {}};
  });
}

void hdb_close(hdb_database* db) { delete db; }

hdb_result* hdb_db_exec(hdb_database* db, const char* sql, int nparams, const char* const* params, hdb_error** err) {
  return guarded(err, static_cast<hdb_result*>(nullptr), [&] {
    if (!db || !sql) throw misuse("hdb_db_exec needs a database and SQL text");
    auto p = text_params(nparams, params);
    std::lock_guard lock(db->mu);
    if (!db->own) db->own = db->db.session();
    return make_result(db->own->execute(sql, p), *db->own, &db->mu);
  });
}

hdb_session* hdb_session_open(hdb_database* db, hdb_error** err) {
  return guarded(err, static_cast<hdb_session*>(nullptr), [&] {
    if (!db) throw misuse("hdb_session_open needs a database");
    return new hdb_session{db->db.session()};
  });
}

void hdb_session_close(hdb_session* s) {
  try {
    delete s;
  } catch (...) {
  }
}

char hdb_session_transaction_status(const hdb_session* s) { return s ? s->session.transaction_status() : 'I'; }

hdb_result* hdb_exec(hdb_session* s, const char* sql, int nparams, const char* const* params, hdb_error** err) {
  return guarded(err, static_cast<hdb_result*>(nullptr), [&] {
    if (!s || !sql) throw misuse("hdb_exec needs a session and SQL text");
    return make_result(s->session.execute(sql, text_params(nparams, params)), s->session);
  });
}

hdb_stmt* hdb_prepare(hdb_session* s, const char* sql, hdb_error** err) {
  return guarded(err, static_cast<hdb_stmt*>(nullptr), [&] {
    if (!s || !sql) throw misuse("hdb_prepare needs a session and SQL text");
    auto prepared = s->session.prepare(sql);
    heliosdb::Params params(prepared.parameter_types().size(), heliosdb::Param(nullptr));
    return new hdb_stmt{s->session, std::move(prepared), std::move(params)};
  });
}

int hdb_stmt_nparams(const hdb_stmt* st) { return st ? static_cast<int>(st->params.size()) : 0; }

uint32_t hdb_stmt_param_type(const hdb_stmt* st, int index) {
  if (!st || index < 1 || static_cast<size_t>(index) > st->params.size()) return 0;
  return st->prepared.parameter_types()[static_cast<size_t>(index) - 1];
}

int hdb_bind_null(hdb_stmt* st, int index) { return bind(st, index, Value::null(oid::kUnknownType)); }
int hdb_bind_bool(hdb_stmt* st, int index, int value) { return bind(st, index, Value::boolean(value != 0)); }
int hdb_bind_int64(hdb_stmt* st, int index, int64_t value) { return bind(st, index, Value::int8(value)); }
int hdb_bind_double(hdb_stmt* st, int index, double value) { return bind(st, index, Value::float8(value)); }

int hdb_bind_text(hdb_stmt* st, int index, const char* text, ptrdiff_t len) {
  if (!text) return hdb_bind_null(st, index);
  try {
    std::string s = len < 0 ? std::string(text) : std::string(text, static_cast<size_t>(len));
    return bind(st, index, Value::of(oid::kUnknownType, std::move(s)));
  } catch (...) {
    return HDB_ERROR;
  }
}

int hdb_bind_bytea(hdb_stmt* st, int index, const void* data, size_t len) {
  if (!data && len) return HDB_MISUSE;
  try {
    return bind(st, index, Value::of(oid::kBytea, std::string(static_cast<const char*>(data), len)));
  } catch (...) {
    return HDB_ERROR;
  }
}

void hdb_stmt_clear_bindings(hdb_stmt* st) {
  if (!st) return;
  for (auto& p : st->params) p = heliosdb::Param(nullptr);
}

hdb_result* hdb_stmt_exec(hdb_stmt* st, hdb_error** err) {
  return guarded(err, static_cast<hdb_result*>(nullptr), [&] {
    if (!st) throw misuse("hdb_stmt_exec needs a statement");
    return make_result(st->session.execute(st->prepared, st->params), st->session);
  });
}

void hdb_stmt_free(hdb_stmt* st) { delete st; }

int hdb_result_ncols(const hdb_result* r) { return r ? static_cast<int>(r->result.columns().size()) : 0; }

const char* hdb_result_column_name(const hdb_result* r, int col) {
  if (!r || col < 0 || static_cast<size_t>(col) >= r->result.columns().size()) return nullptr;
  return r->result.columns()[static_cast<size_t>(col)].name.c_str();
}

uint32_t hdb_result_column_type(const hdb_result* r, int col) {
  if (!r || col < 0 || static_cast<size_t>(col) >= r->result.columns().size()) return 0;
  return r->result.columns()[static_cast<size_t>(col)].type_oid;
}

uint64_t hdb_result_nrows(const hdb_result* r) { return r ? r->result.rows().size() : 0; }
const char* hdb_result_command_tag(const hdb_result* r) { return r ? r->result.command_tag().c_str() : ""; }
uint64_t hdb_result_row_count(const hdb_result* r) { return r ? r->result.row_count() : 0; }

int hdb_result_is_null(const hdb_result* r, uint64_t row, int col) {
  const Value* v = cell(r, row, col);
  return v ? v->is_null() : -1;
}

int hdb_result_int64(const hdb_result* r, uint64_t row, int col, int64_t* out) {
  const Value* v = cell(r, row, col);
  if (!v || !out || !is_integer(v->type())) return HDB_MISUSE;
  if (v->is_null()) return HDB_NULL;
  *out = v->as_int();
  return HDB_OK;
}

int hdb_result_double(const hdb_result* r, uint64_t row, int col, double* out) {
  const Value* v = cell(r, row, col);
  if (!v || !out) return HDB_MISUSE;
  uint32_t t = v->type();
  if (!is_integer(t) && t != oid::kFloat4 && t != oid::kFloat8 && t != oid::kNumeric) return HDB_MISUSE;
  if (v->is_null()) return HDB_NULL;
  if (is_integer(t)) *out = static_cast<double>(v->as_int());
  else if (t == oid::kNumeric) *out = std::strtod(v->as_string().c_str(), nullptr);  // "NaN", "Infinity" too
  else *out = v->as_double();
  return HDB_OK;
}

int hdb_result_bool(const hdb_result* r, uint64_t row, int col, int* out) {
  const Value* v = cell(r, row, col);
  if (!v || !out || v->type() != oid::kBool) return HDB_MISUSE;
  if (v->is_null()) return HDB_NULL;
  *out = v->as_bool() ? 1 : 0;
  return HDB_OK;
}

int hdb_result_bytes(const hdb_result* r, uint64_t row, int col, const void** data, size_t* len) {
  const Value* v = cell(r, row, col);
  if (!v || !data || !len) return HDB_MISUSE;
  switch (v->type()) {
    case oid::kBytea: case oid::kText: case oid::kVarchar: case oid::kBpchar: case oid::kName:
    case oid::kJson: case oid::kJsonb: case oid::kUuid: case oid::kUnknownType:
      break;
    default:
      return HDB_MISUSE;
  }
  if (v->is_null()) return HDB_NULL;
  *data = v->as_string().data();
  *len = v->as_string().size();
  return HDB_OK;
}

const char* hdb_result_text(const hdb_result* r, uint64_t row, int col) {
  const Value* v = cell(r, row, col);
  if (!v || v->is_null()) return nullptr;
  try {
    uint64_t key = row * r->result.columns().size() + static_cast<uint64_t>(col);
    auto it = r->text.find(key);
    if (it == r->text.end()) {
      std::unique_lock<std::mutex> lock;
      if (r->render_mu) lock = std::unique_lock(*r->render_mu);
      it = r->text.emplace(key, r->session.to_text(*v)).first;
    }
    return it->second.c_str();
  } catch (...) {
    return nullptr;
  }
}

void hdb_result_free(hdb_result* r) { delete r; }

namespace {
hdb_cursor* make_cursor(heliosdb::Cursor c, Session s) {
  auto* cur = new hdb_cursor{std::move(c), {{}, std::move(s), nullptr, {}}};
  cur->row.result = heliosdb::Result(cur->cursor.columns(), {}, "", 0);
  return cur;
}
}  // namespace

hdb_cursor* hdb_query(hdb_session* s, const char* sql, int nparams, const char* const* params, hdb_error** err) {
  return guarded(err, static_cast<hdb_cursor*>(nullptr), [&] {
    if (!s || !sql) throw misuse("hdb_query needs a session and SQL text");
    return make_cursor(s->session.query(sql, text_params(nparams, params)), s->session);
  });
}

hdb_cursor* hdb_stmt_query(hdb_stmt* st, hdb_error** err) {
  return guarded(err, static_cast<hdb_cursor*>(nullptr), [&] {
    if (!st) throw misuse("hdb_stmt_query needs a statement");
    return make_cursor(st->session.query(st->prepared, st->params), st->session);
  });
}

int hdb_cursor_next(hdb_cursor* c, hdb_error** err) {
  return guarded(err, HDB_ERROR, [&] {
    if (!c) throw misuse("hdb_cursor_next needs a cursor");
    auto& rows = c->row.result.rows();
    rows.clear();
    c->row.text.clear();
    auto next = c->cursor.next();
    if (!next) return HDB_DONE;
    rows.push_back(std::move(*next));
    return HDB_ROW;
  });
}

const hdb_result* hdb_cursor_row(const hdb_cursor* c) { return c ? &c->row : nullptr; }

void hdb_cursor_free(hdb_cursor* c) {
  try {
    delete c;
  } catch (...) {
  }
}

hdb_server* hdb_listen(hdb_database* db, const char* const* keys, const char* const* values, hdb_error** err) {
  return guarded(err, static_cast<hdb_server*>(nullptr), [&] {
    if (!db) throw misuse("hdb_listen needs a database");
    heliosdb::pgwire::ServerOptions options;
    read_options(keys, values,
                 [&](const char* k, const char* v) { heliosdb::pgwire::set_server_option(options, k, v); });
    auto server = std::make_unique<heliosdb::pgwire::Server>(db->db, options);
    server->start();
    return new hdb_server{std::move(server)};
  });
}

int hdb_server_port(const hdb_server* srv) { return srv ? srv->server->port() : 0; }

void hdb_server_stop(hdb_server* srv) {
  if (!srv) return;
  try {
    srv->server->stop();
  } catch (...) {
  }
  delete srv;
}

}  // extern "C"
