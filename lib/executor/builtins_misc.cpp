// Session and system functions: version(), nextval(), current_setting(), gen_random_uuid().
#include <openssl/rand.h>

#include "catalog/system_views.h"

#include <chrono>
#include <cmath>
#include <thread>

#include "catalog/catalog.h"
#include "common/errors.h"
#include "common/type_io.h"
#include "common/types.h"
#include "executor/builtins.h"
#include "executor/partition.h"
#include "heliosdb/heliosdb.h"

namespace heliosdb::exec {
namespace {

Value f_version(const Value*, size_t, ExecContext&) {
  return Value::text(std::string("PostgreSQL 15.18 (HeliosDB Nano ") + heliosdb::version() +
                     ") on x86_64-pc-linux-gnu, compiled by gcc, 64-bit");
}

// Sequence arguments arrive as regclass (an OID) or as text naming the sequence.
uint32_t sequence_id(const Value& v, ExecContext& ctx) {
  if (v.type() == oid::kRegclass || v.type() == oid::kOid || v.type() == oid::kInt8 || v.type() == oid::kInt4)
    return static_cast<uint32_t>(v.as_int());
  std::string name = v.as_string();
  std::string schema;  // unqualified: the search path
  if (auto dot = name.find('.'); dot != std::string::npos) {
    schema = name.substr(0, dot);
    name = name.substr(dot + 1);
  }
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
  else for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto seq = ctx.catalog->sequence(schema, name);
  if (!seq) raise(sqlstate::kUndefinedTable, "relation \"{}\" does not exist", v.as_string());
  return seq->id;
}

Value f_nextval(const Value* a, size_t, ExecContext& ctx) {
  return Value::int8(ctx.services->nextval(sequence_id(a[0], ctx)));
}
Value f_lastval(const Value*, size_t, ExecContext& ctx) { return Value::int8(ctx.services->lastval()); }
Value f_currval(const Value* a, size_t, ExecContext& ctx) {
  return Value::int8(ctx.services->currval(sequence_id(a[0], ctx)));
}
Value f_setval(const Value* a, size_t n, ExecContext& ctx) {
  bool called = n < 3 || a[2].as_bool();
  return Value::int8(ctx.services->setval(sequence_id(a[0], ctx), a[1].as_int(), called));
}

Value f_current_setting(const Value* a, size_t n, ExecContext& ctx) {
  try {
    return Value::text(ctx.services->setting(a[0].as_string()));
  } catch (const Error& e) {
    // current_setting(name, missing_ok): NULL for a parameter that is not there
    if (n > 1 && a[1].as_bool() && e.sqlstate() == std::string_view(sqlstate::kUndefinedObject)) return Value::null(oid::kText);
    throw;
  }
}

Value f_gen_random_uuid(const Value*, size_t, ExecContext&) {
  unsigned char b[16];
  RAND_bytes(b, sizeof b);
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  return Value::of(oid::kUuid, std::string(reinterpret_cast<char*>(b), 16));
}

Value f_current_database(const Value*, size_t, ExecContext& ctx) {
  return Value::of(oid::kName, ctx.services->setting("__database"));
}
// The first schema of the search path that exists (NULL when none does).
Value f_current_schema(const Value*, size_t, ExecContext& ctx) {
  auto path = catalog::search_path(ctx.services->setting("search_path"), ctx.services->setting("session_authorization"), ctx.catalog);
  if (path.empty()) return Value::null(oid::kName);
  return Value::of(oid::kName, path.front());
}


// Sleeps in short slices so a cancel or statement_timeout stops it promptly.
Value f_pg_sleep(const Value* a, size_t, ExecContext& ctx) {
  double seconds = a[0].as_double();
  auto until = std::chrono::steady_clock::now() +
               std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                   std::chrono::duration<double>(std::isfinite(seconds) && seconds > 0 ? std::min(seconds, 1e9) : 0));
  while (std::chrono::steady_clock::now() < until) {
    ctx.check_cancel();
    if (ctx.deadline) ctx.check_deadline();
    std::chrono::steady_clock::duration left = until - std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(left, std::chrono::milliseconds(10)));
  }
  return Value::of(oid::kVoid, std::string());
}

Value f_pg_typeof(const Value* a, size_t, ExecContext&) { return Value::of(oid::kRegtype, int64_t{a[0].type()}); }

// format_type(type, typmod): the type as SQL writes it, NULL typmod meaning none.
Value f_format_type(const Value* a, size_t, ExecContext& ctx) {
  if (a[0].is_null()) return Value::null(oid::kText);
  auto t = static_cast<uint32_t>(a[0].as_int());
  if (!types::find(t)) {
    // A table's row type prints as the table (regtype's output knows it).
    std::string name = types::format_text(Value::of(oid::kRegtype, int64_t{t}), ctx.text);
    return Value::text(name == std::to_string(t) ? "???" : name);
  }
  if (a[1].is_null()) return Value::text(types::format_type(t, -1));
  return Value::text(types::format_type_with_typmod(t, static_cast<int32_t>(a[1].as_int())));
}

// Advisory locks: one bigint key, or two integer keys (a separate key space, as in PostgreSQL).
std::string advisory_key(const Value* a, size_t n) {
  return n == 1 ? "1:" + std::to_string(a[0].as_int()) : "2:" + std::to_string(a[0].as_int()) + ":" + std::to_string(a[1].as_int());
}
template <bool Xact, bool Try>
Value f_advisory_lock(const Value* a, size_t n, ExecContext& ctx) {
  bool got = ctx.services->advisory_lock(advisory_key(a, n), Xact, Try, ctx);
  return Try ? Value::boolean(got) : Value::of(oid::kVoid, std::string());
}
Value f_advisory_unlock(const Value* a, size_t n, ExecContext& ctx) {
  return Value::boolean(ctx.services->advisory_unlock(advisory_key(a, n)));
}
Value f_advisory_unlock_all(const Value*, size_t, ExecContext& ctx) {
  ctx.services->advisory_unlock_all();
  return Value::of(oid::kVoid, std::string());
}
Value f_advisory_shared(const Value*, size_t, ExecContext&) { unsupported("shared advisory locks"); }

// hashtext / hashtextextended: hashfn.c's lookup3 over the text's bytes (hash_bytes is the low
// half of hash_bytes_extended with seed 0).
Value f_hashtext(const Value* a, size_t n, ExecContext&) {
  const std::string& t = a[0].as_string();
  const auto* bytes = reinterpret_cast<const unsigned char*>(t.data());
  if (n == 1) return Value::int4(static_cast<int32_t>(static_cast<uint32_t>(hash_bytes_extended(bytes, t.size(), 0))));
  return Value::int8(static_cast<int64_t>(hash_bytes_extended(bytes, t.size(), static_cast<uint64_t>(a[1].as_int()))));
}

// to_regclass(text) and the like: the object the name names, NULL when there is none.
template <uint32_t kType>
Value f_to_reg(const Value* a, size_t, ExecContext& ctx) {
  try {
    return types::parse_text(kType, a[0].as_string(), -1, ctx.text);
  } catch (const Error& e) {
    const std::string& state = e.sqlstate();  // no such object or schema (or several functions)
    if (state == "42P01" || state == "42704" || state == "42883" || state == "42725" || state == "3F000") return Value::null(kType);
    throw;
  }
}

}  // namespace

void register_misc_functions(std::vector<FuncDef>& out) {
  using namespace oid;
  out.push_back({"version", {}, kText, f_version});
  out.push_back({"pg_typeof", {kAnyType}, kRegtype, f_pg_typeof, false});
  out.push_back({"format_type", {kOid, kInt4}, kText, f_format_type, false});
  for (uint32_t t : {kRegclass, kText}) {
    out.push_back({"nextval", {t}, kInt8, f_nextval, true, true});
    out.push_back({"currval", {t}, kInt8, f_currval, true, true});
    if (t == kText) out.push_back({"lastval", {}, kInt8, f_lastval, true, true});
    out.push_back({"setval", {t, kInt8}, kInt8, f_setval, true, true});
    out.push_back({"setval", {t, kInt8, kBool}, kInt8, f_setval, true, true});
  }
  out.push_back({"current_setting", {kText}, kText, f_current_setting, true, true});
  out.push_back({"current_setting", {kText, kBool}, kText, f_current_setting, true, true});
  out.push_back({"gen_random_uuid", {}, kUuid, f_gen_random_uuid, true, true});
  out.push_back({"uuid_generate_v4", {}, kUuid, f_gen_random_uuid, true, true});  // uuid-ossp's
  out.push_back({"current_database", {}, kName, f_current_database});
  out.push_back({"hashtext", {kText}, kInt4, f_hashtext});
  out.push_back({"hashtextextended", {kText, kInt8}, kInt8, f_hashtext});
  out.push_back({"to_regclass", {kText}, kRegclass, f_to_reg<kRegclass>});
  out.push_back({"to_regtype", {kText}, kRegtype, f_to_reg<kRegtype>});
  out.push_back({"to_regproc", {kText}, kRegproc, f_to_reg<kRegproc>});
  out.push_back({"to_regnamespace", {kText}, kRegnamespace, f_to_reg<kRegnamespace>});
  out.push_back({"to_regrole", {kText}, kRegrole, f_to_reg<kRegrole>});
  out.push_back({"current_schema", {}, kName, f_current_schema});
  out.push_back({"pg_sleep", {kFloat8}, kVoid, f_pg_sleep, true, true});
  for (std::vector<uint32_t> args : {std::vector<uint32_t>{kInt8}, std::vector<uint32_t>{kInt4, kInt4}}) {
    out.push_back({"pg_advisory_lock", args, kVoid, f_advisory_lock<false, false>, true, true});
    out.push_back({"pg_try_advisory_lock", args, kBool, f_advisory_lock<false, true>, true, true});
    out.push_back({"pg_advisory_xact_lock", args, kVoid, f_advisory_lock<true, false>, true, true});
    out.push_back({"pg_try_advisory_xact_lock", args, kBool, f_advisory_lock<true, true>, true, true});
    out.push_back({"pg_advisory_unlock", args, kBool, f_advisory_unlock, true, true});
    for (const char* shared : {"pg_advisory_lock_shared", "pg_try_advisory_lock_shared", "pg_advisory_xact_lock_shared",
                               "pg_try_advisory_xact_lock_shared", "pg_advisory_unlock_shared"})
      out.push_back({shared, args, kBool, f_advisory_shared, true, true});
  }
  out.push_back({"pg_advisory_unlock_all", {}, kVoid, f_advisory_unlock_all, false, true});
}

}  // namespace heliosdb::exec
