// Functions of the system catalogs that tools call: pg_get_expr and friends, visibility,
// privileges, descriptions, sizes, and session information.
#include <algorithm>
#include <boost/json.hpp>
#include <chrono>

#include "catalog/catalog.h"
#include "catalog/system_views.h"
#include "common/array.h"
#include "common/errors.h"
#include "common/types.h"
#include "executor/builtins.h"
#include "executor/partition.h"
#include "sql/parser.h"

namespace heliosdb::exec {
namespace {

uint32_t oid_arg(const Value& v) { return static_cast<uint32_t>(v.as_int()); }

Value text_or_null(std::optional<std::string> s) { return s ? Value::text(std::move(*s)) : Value::null(oid::kText); }

Value f_get_userbyid(const Value* a, size_t, ExecContext& ctx) {
  uint32_t id = oid_arg(a[0]);
  std::string n = types::format_text(Value::of(oid::kRegrole, int64_t{id}), ctx.text);
  if (n == std::to_string(id)) return Value::of(oid::kName, "unknown (OID=" + n + ")");
  if (n.size() > 1 && n.front() == '"') n = n.substr(1, n.size() - 2);  // regrole quotes, the name does not
  return Value::of(oid::kName, std::move(n));
}

// A relation is visible when the search path ($user, public; pg_catalog and the session's
// temporary schema implicitly) finds it by its bare name.
Value f_table_is_visible(const Value* a, size_t, ExecContext& ctx) {
  uint32_t id = oid_arg(a[0]);
  const auto& cat = *ctx.catalog;
  std::string schema;
  if (auto t = cat.table(id)) schema = t->schema;
  else if (auto i = cat.index(id)) schema = cat.table(i->table_id) ? cat.table(i->table_id)->schema : "public";
  else if (auto s = cat.sequence(id)) schema = s->schema;
  else if (auto v = catalog::find_system_view(id)) schema = v->schema;
  else return Value::null(oid::kBool);
  if (schema == "pg_catalog" || schema == catalog::temp_schema()) return Value::boolean(true);
  auto path = catalog::search_path(ctx.services->setting("search_path"), ctx.services->setting("session_authorization"), ctx.catalog);
  return Value::boolean(std::find(path.begin(), path.end(), schema) != path.end());
}
Value f_type_is_visible(const Value* a, size_t, ExecContext& ctx) {
  uint32_t id = oid_arg(a[0]);
  // An enum or domain (or its array): the first type of its name along the search path.
  if (auto t = ctx.catalog ? ctx.catalog->type(id) : nullptr) {
    auto first = ctx.catalog->type("", t->name);
    return Value::boolean(first && first->id == t->id);
  }
  // information_schema's domains and the catalogs' row types: format_type qualifies them when
  // they are not (their names have no dots).
  if (catalog::find_system_domain(id) || catalog::find_system_row_type(id))
    return Value::boolean(types::format_type(id, -1).find('.') == std::string::npos);
  return types::find(id) ? Value::boolean(true) : Value::null(oid::kBool);
}
Value f_true(const Value*, size_t, ExecContext&) { return Value::boolean(true); }
// A function of CREATE FUNCTION: the first schema of the search path with one of its name has it.
Value f_function_is_visible(const Value* a, size_t, ExecContext& ctx) {
  uint32_t id = oid_arg(a[0]);
  auto f = ctx.catalog ? ctx.catalog->function(id) : nullptr;
  if (!f) return Value::boolean(true);
  auto first = ctx.catalog->functions("", f->name);
  return Value::boolean(!first.empty() && first[0]->schema == f->schema);
}
Value f_false(const Value*, size_t, ExecContext&) { return Value::boolean(false); }
Value f_null_text(const Value*, size_t, ExecContext&) { return Value::null(oid::kText); }

// pg_get_partkeydef(table): LIST (a) / RANGE (a, b) / HASH (a); NULL for a table that is not partitioned.
Value f_get_partkeydef(const Value* a, size_t, ExecContext& ctx) {
  auto t = ctx.catalog->table(static_cast<uint32_t>(a[0].as_int()));
  if (!t || !t->is_partitioned()) return Value::null(oid::kText);
  boost::json::value spec = boost::json::parse(t->partition_key);
  std::string_view strategy = sql::str_field(spec.as_object(), "strategy");
  std::string out = strategy == "list" ? "LIST (" : strategy == "hash" ? "HASH (" : "RANGE (";
  bool first = true;
  for (const auto& p : sql::list_field(spec.as_object(), "partParams")) {
    if (!first) out += ", ";
    first = false;
    const auto& pe = sql::node_body(p);
    if (const auto* e = sql::field(pe, "expr")) {
      // An expression, in parentheses unless it is a function call (as PostgreSQL prints it).
      std::string text = ctx.services->get_expr(boost::json::serialize(*e), t->id, false);
      out += sql::node_type(*e) == "FuncCall" ? text : "(" + text + ")";
      continue;
    }
    out += sql::quote_ident(sql::str_field(pe, "name"));
  }
  return Value::text(out + ")");
}

// satisfies_hash_partition(parent, modulus, remainder, VARIADIC keys): whether a row with these
// partition key values belongs to the hash partition (a hash partition's constraint).
Value f_satisfies_hash_partition(const Value* a, size_t n, ExecContext& ctx) {
  if (a[0].is_null() || a[1].is_null() || a[2].is_null()) return Value::boolean(false);
  int64_t modulus = a[1].as_int(), remainder = a[2].as_int();
  if (modulus <= 0) raise(sqlstate::kInvalidParameterValue, "modulus for hash partition must be an integer value greater than zero");
  if (remainder < 0) raise(sqlstate::kInvalidParameterValue, "remainder for hash partition must be a non-negative integer");
  if (remainder >= modulus) raise(sqlstate::kInvalidParameterValue, "remainder for hash partition must be less than modulus");
  auto t = ctx.catalog->table(static_cast<uint32_t>(a[0].as_int()));
  if (!t) raise(sqlstate::kInternalError, "could not open relation with OID {}", a[0].as_int());
  boost::json::value spec = t->is_partitioned() ? boost::json::parse(t->partition_key) : boost::json::value();
  if (!t->is_partitioned() || sql::str_field(spec.as_object(), "strategy") != "hash")
    raise(sqlstate::kInvalidParameterValue, "\"{}\" is not a hash partitioned table", t->name);
  const auto& params = sql::list_field(spec.as_object(), "partParams");
  if (params.size() != n - 3)
    raise(sqlstate::kInvalidParameterValue, "number of partitioning columns ({}) does not match number of partition keys provided ({})",
          params.size(), n - 3);
  std::vector<Value> keys(a + 3, a + n);
  for (size_t k = 0; k < params.size(); ++k) {
    int i = t->column_index(sql::str_field(sql::node_body(params[k]), "name"));
    if (i < 0) unsupported("satisfies_hash_partition on a partition key expression");
    uint32_t want = t->columns[static_cast<size_t>(i)].type, got = keys[k].type();
    auto text_like = [](uint32_t x) { return x == oid::kText || x == oid::kVarchar; };
    if (want != got && !(text_like(want) && text_like(got)))
      raise(sqlstate::kInvalidParameterValue, "column {} of the partition key has type {}, but supplied value is of type {}", k + 1,
            types::format_type(want, -1), types::format_type(got, -1));
  }
  return Value::boolean(static_cast<int64_t>(partition_hash(keys) % static_cast<uint64_t>(modulus)) == remainder);
}

Value f_get_expr(const Value* a, size_t n, ExecContext& ctx) {
  return Value::text(ctx.services->get_expr(a[0].as_string(), oid_arg(a[1]), n > 2 && a[2].as_bool()));
}
Value f_get_indexdef(const Value* a, size_t n, ExecContext& ctx) {
  int column = n > 1 ? static_cast<int>(a[1].as_int()) : 0;
  return text_or_null(ctx.services->get_indexdef(oid_arg(a[0]), column, n > 2 && a[2].as_bool()));
}
Value f_get_triggerdef(const Value* a, size_t n, ExecContext& ctx) {
  if (a[0].is_null()) return Value::null(oid::kText);
  return text_or_null(ctx.services->get_triggerdef(oid_arg(a[0]), n > 1 && !a[1].is_null() && a[1].as_bool()));
}
template <bool Result>
Value f_function_arguments(const Value* a, size_t, ExecContext& ctx) {
  if (a[0].is_null()) return Value::null(oid::kText);
  return text_or_null(ctx.services->get_function_arguments(oid_arg(a[0]), Result));
}
Value f_get_constraintdef(const Value* a, size_t n, ExecContext& ctx) {
  return text_or_null(ctx.services->get_constraintdef(oid_arg(a[0]), n > 1 && a[1].as_bool()));
}

// obj_description(oid, catalog): COMMENT ON's text, and the comments initdb leaves.
Value f_obj_description(const Value* a, size_t n, ExecContext& ctx) {
  if (a[0].is_null()) return Value::null(oid::kText);
  uint32_t id = static_cast<uint32_t>(a[0].as_int());
  std::string cls = n > 1 && !a[1].is_null() ? a[1].as_string() : "";
  const auto& cat = *ctx.catalog;
  auto text = [](const std::string& s) { return s.empty() ? Value::null(oid::kText) : Value::text(s); };
  if (cls == "pg_namespace" || cls.empty()) {
    if (id == catalog::kPublicNamespace) return Value::text("standard public schema");
    if (id == catalog::kPgCatalogNamespace) return Value::text("system catalog schema");
    if (id == 99) return Value::text("reserved schema for TOAST tables");
    for (const auto& [name, s] : cat.schemas())
      if (s->id == id) return text(s->comment);
  }
  if (cls == "pg_class" || cls.empty()) {
    if (auto t = cat.table(id)) return text(t->comment);
    if (auto i = cat.index(id)) return text(i->comment);
    if (auto s = cat.sequence(id)) return text(s->comment);
  }
  if (cls == "pg_type" || cls.empty()) {
    if (auto t = cat.type(id); t && t->id == id) return text(t->comment);
    if (const char* d = catalog::builtin_type_description(id); d && types::find(id)) return Value::text(d);
  }
  if (cls == "pg_proc" || cls.empty())
    if (auto f = cat.function(id)) return text(f->comment);
  if (cls == "pg_constraint") {  // a PRIMARY KEY / UNIQUE is its index's OID; CHECKs and FKs are numbered per owner
    if (auto i = cat.index(id)) return text(i->constraint_comment);
    if (auto [owner, k] = catalog::decode_check_constraint_oid(id); owner) {
      if (auto t = cat.table(owner); t && k < t->checks.size()) return text(t->checks[k].comment);
      if (auto d = cat.type(owner); d && k < d->checks.size()) return text(d->checks[k].comment);
    }
    if (auto [owner, k] = catalog::decode_foreign_key_oid(id); owner)
      if (auto t = cat.table(owner); t && k < t->foreign_keys.size()) return text(t->foreign_keys[k].comment);
  }
  if ((cls == "pg_extension" || cls.empty()) && id == catalog::kPlpgsqlExtension) return Value::text("PL/pgSQL procedural language");
  if ((cls == "pg_language" || cls.empty()) && id == catalog::kPlpgsqlLanguage) return Value::text("PL/pgSQL procedural language");
  return Value::null(oid::kText);
}

// The rows of the system relation `relation` whose column `key` is `id` (and whose column
// `key2`, when given, is `id2`), read as a query of it would.
std::vector<Row> system_rows_where(ExecContext& ctx, const char* relation, const char* key, int64_t id,
                                   const char* key2 = nullptr, int64_t id2 = 0) {
  const catalog::SystemView& view = *catalog::find_system_view("pg_catalog", relation);
  int k = view.column(key), k2 = key2 ? view.column(key2) : -1;
  std::vector<Row> out;
  for (Row& r : ctx.services->system_rows(view, *ctx.catalog))
    if (!r[static_cast<size_t>(k)].is_null() && r[static_cast<size_t>(k)].as_int() == id &&
        (k2 < 0 || (!r[static_cast<size_t>(k2)].is_null() && r[static_cast<size_t>(k2)].as_int() == id2)))
      out.push_back(std::move(r));
  return out;
}
std::string system_text(const Row& r, const char* relation, const char* column) {
  return r[static_cast<size_t>(catalog::find_system_view("pg_catalog", relation)->column(column))].as_string();
}
int64_t system_int(const Row& r, const char* relation, const char* column) {
  const Value& v = r[static_cast<size_t>(catalog::find_system_view("pg_catalog", relation)->column(column))];
  return v.is_null() ? 0 : v.as_int();
}

// PostgreSQL's getObjectDescription: "table t", "column c of table s.t", "function f(integer)",
// "default value for column ...", "constraint c on table t" ... (names qualified where the
// search path does not find them); NULL when the object does not exist.
std::optional<std::string> describe_object(ExecContext& ctx, uint32_t classid, uint32_t objid, int32_t subid) {
  auto as_text = [&](uint32_t type, uint32_t id) { return types::format_text(Value::of(type, int64_t{id}), ctx.text); };
  auto one = [&](const char* relation, const char* key = "oid") -> std::optional<Row> {
    auto rows = system_rows_where(ctx, relation, key, objid);
    if (rows.empty()) return std::nullopt;
    return std::move(rows[0]);
  };
  auto relation = [&](uint32_t id, int32_t column) -> std::optional<std::string> {
    auto rows = system_rows_where(ctx, "pg_class", "oid", id);
    if (rows.empty()) return std::nullopt;
    std::string kind;
    switch (system_text(rows[0], "pg_class", "relkind")[0]) {
      case 'r': case 'p': kind = "table "; break;
      case 'i': case 'I': kind = "index "; break;
      case 'S': kind = "sequence "; break;
      case 'v': kind = "view "; break;
      case 'm': kind = "materialized view "; break;
      case 'c': kind = "composite type "; break;
      case 'f': kind = "foreign table "; break;
      case 't': kind = "toast table "; break;
      default: kind = "relation "; break;
    }
    std::string rel = kind + as_text(oid::kRegclass, id);
    if (column == 0) return rel;
    auto att = system_rows_where(ctx, "pg_attribute", "attrelid", id, "attnum", column);
    if (att.empty()) return std::nullopt;
    return "column " + system_text(att[0], "pg_attribute", "attname") + " of " + rel;
  };
  auto with_relation = [&](std::string what, int64_t rel, int32_t column = 0) -> std::optional<std::string> {
    auto r = relation(static_cast<uint32_t>(rel), column);
    if (!r) return std::nullopt;
    return what + *r;
  };
  // Objects described by their name alone: "database d", "operator class int4_ops for access method btree".
  struct Named {
    uint32_t classid;
    const char* relation;
    const char* column;
    const char* before;
    const char* after = "";
    bool quoted = false;  // as an identifier (collation "C")
  };
  static const Named kNamed[] = {
      {1262, "pg_database", "datname", "database "},
      {1260, "pg_authid", "rolname", "role "},
      {2601, "pg_am", "amname", "access method "},
      {3456, "pg_collation", "collname", "collation ", "", true},
      {2612, "pg_language", "lanname", "language "},
      {3079, "pg_extension", "extname", "extension "},
      {2616, "pg_opclass", "opcname", "operator class ", " for access method btree"},
      {2753, "pg_opfamily", "opfname", "operator family ", " for access method btree"},
  };
  for (const Named& k : kNamed) {
    if (k.classid != classid) continue;
    auto r = one(k.relation);
    if (!r) return std::nullopt;
    std::string name = system_text(*r, k.relation, k.column);
    return k.before + (k.quoted ? sql::quote_ident(name) : name) + k.after;
  }
  switch (classid) {
    case 1259: return relation(objid, subid);
    case 1247:
      if (!one("pg_type")) return std::nullopt;
      return "type " + as_text(oid::kRegtype, objid);
    case 1255:
      if (!one("pg_proc")) return std::nullopt;
      return "function " + as_text(oid::kRegprocedure, objid);
    case 2615:
      if (auto r = one("pg_namespace")) return "schema " + system_text(*r, "pg_namespace", "nspname");
      return std::nullopt;
    case 2606:
      if (auto r = one("pg_constraint")) {
        std::string what = "constraint " + system_text(*r, "pg_constraint", "conname");
        int64_t rel = system_int(*r, "pg_constraint", "conrelid");
        return rel ? with_relation(what + " on ", rel) : what;
      }
      return std::nullopt;
    case 2604:
      if (auto r = one("pg_attrdef"))
        return with_relation("default value for ", system_int(*r, "pg_attrdef", "adrelid"),
                             static_cast<int32_t>(system_int(*r, "pg_attrdef", "adnum")));
      return std::nullopt;
    case 2620:
      if (auto r = one("pg_trigger"))
        return with_relation("trigger " + system_text(*r, "pg_trigger", "tgname") + " on ", system_int(*r, "pg_trigger", "tgrelid"));
      return std::nullopt;
    case 2618:
      if (auto r = one("pg_rewrite"))
        return with_relation("rule " + system_text(*r, "pg_rewrite", "rulename") + " on ", system_int(*r, "pg_rewrite", "ev_class"));
      return std::nullopt;
    default:
      if (const catalog::SystemView* v = catalog::find_system_view(classid); v && v->schema == "pg_catalog")
        unsupported(fmt::format("pg_describe_object of objects of {}", v->name));
      raise(sqlstate::kInternalError, "unrecognized object class: {}", classid);
  }
}

Value f_describe_object(const Value* a, size_t, ExecContext& ctx) {
  auto text = describe_object(ctx, oid_arg(a[0]), oid_arg(a[1]), static_cast<int32_t>(a[2].as_int()));
  return text_or_null(std::move(text));
}

// pg_get_ruledef(rule oid [, pretty]): CREATE RULE's text.
Value f_get_ruledef(const Value* a, size_t, ExecContext& ctx) {
  if (a[0].is_null()) return Value::null(oid::kText);
  auto id = static_cast<uint32_t>(a[0].as_int());
  for (const auto& [tid, t] : ctx.catalog->tables())
    for (const auto& r : t->rules)
      if (r.id == id) return Value::text(r.definition);
  return Value::null(oid::kText);
}

// pg_get_viewdef(view oid | name [, pretty])
Value f_get_viewdef(const Value* a, size_t, ExecContext& ctx) {
  if (a[0].is_null()) return Value::null(oid::kText);
  std::shared_ptr<const catalog::TableDef> t;
  if (a[0].type() == oid::kText) {
    std::string name = a[0].as_string();
    size_t dot = name.find('.');
    t = dot == std::string::npos ? ctx.catalog->table("", name) : ctx.catalog->table(name.substr(0, dot), name.substr(dot + 1));
    if (!t) raise(sqlstate::kUndefinedTable, "relation \"{}\" does not exist", name);
  } else {
    t = ctx.catalog->table(static_cast<uint32_t>(a[0].as_int()));
  }
  if (!t || (!t->is_view() && !t->is_matview())) return Value::null(oid::kText);
  return Value::text(t->view_text());
}

// col_description(table oid, attnum)
Value f_col_description(const Value* a, size_t, ExecContext& ctx) {
  if (a[0].is_null() || a[1].is_null()) return Value::null(oid::kText);
  auto t = ctx.catalog->table(static_cast<uint32_t>(a[0].as_int()));
  int64_t attnum = a[1].as_int();
  if (!t || attnum < 1 || attnum > static_cast<int64_t>(t->columns.size())) return Value::null(oid::kText);
  const auto& c = t->columns[static_cast<size_t>(attnum - 1)].comment;
  return c.empty() ? Value::null(oid::kText) : Value::text(c);
}

Value f_encoding_to_char(const Value* a, size_t, ExecContext&) {
  int64_t e = a[0].as_int();
  return Value::of(oid::kName, std::string(e == 6 ? "UTF8" : e == 0 ? "SQL_ASCII" : ""));
}

Value f_current_schemas(const Value* a, size_t, ExecContext& ctx) {
  std::vector<Value> items;
  auto path = catalog::search_path(ctx.services->setting("search_path"), ctx.services->setting("session_authorization"), ctx.catalog);
  if (a[0].as_bool()) {
    // The implicit ones first: the temporary schema, then pg_catalog unless listed.
    if (!catalog::temp_schema().empty()) items.push_back(Value::of(oid::kName, catalog::temp_schema()));
    if (std::find(path.begin(), path.end(), "pg_catalog") == path.end())
      items.push_back(Value::of(oid::kName, std::string("pg_catalog")));
  }
  for (auto& p : path) items.push_back(Value::of(oid::kName, std::move(p)));
  return array::make(1003, array::Array::of(oid::kName, std::move(items)));
}

Value f_size(const Value*, size_t, ExecContext&) { return Value::int8(0); }

// pg_size_pretty: bytes up to 10 kB, then kB, MB, GB, TB, PB, each rounded half up.
Value f_size_pretty(const Value* a, size_t, ExecContext&) {
  long double size = a[0].type() == oid::kNumeric ? std::stold(a[0].as_string()) : static_cast<long double>(a[0].as_int());
  static const char* units[] = {"bytes", "kB", "MB", "GB", "TB", "PB"};
  long double limit = 10 * 1024;
  bool neg = size < 0;
  long double abs_size = neg ? -size : size;
  if (abs_size < limit) return Value::text(fmt::format("{} bytes", static_cast<long long>(size)));
  // Each step halves, rounds, then halves again (PostgreSQL's half_rounded).
  long double v = size;
  for (int u = 1; u < 6; ++u) {
    v = v / 512;  // size in half-units
    long double r = (v + (v < 0 ? -1 : 1)) / 2;
    long long rounded = static_cast<long long>(r);
    if ((neg ? -rounded : rounded) < static_cast<long long>(limit) || u == 5)
      return Value::text(fmt::format("{} {}", rounded, units[u]));
    v = v / 2;
  }
  return Value::text("");
}

Value f_backend_pid(const Value*, size_t, ExecContext& ctx) {
  return Value::int4(static_cast<int32_t>(std::stol(ctx.services->setting("__backend_pid"))));
}

// The backends holding the locks backend a[0] waits for (row and advisory locks).
Value f_blocking_pids(const Value* a, size_t, ExecContext& ctx) {
  std::vector<Value> items;
  for (int64_t pid : ctx.services->blocking_pids(a[0].as_int())) items.push_back(Value::int4(static_cast<int32_t>(pid)));
  return array::make(1007, array::Array::of(oid::kInt4, std::move(items)));
}

Value f_postmaster_start_time(const Value*, size_t, ExecContext&) {
  static const int64_t start = std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count() -
                               946684800000000LL;
  return Value::of(oid::kTimestamptz, start);
}

Value f_txid_current(const Value*, size_t, ExecContext& ctx) {
  // Unique per transaction and increasing: the transaction's start in microseconds.
  return Value::int8(ctx.txn_start > 0 ? ctx.txn_start : 1);
}

Value f_get_serial_sequence(const Value* a, size_t, ExecContext& ctx) {
  std::string table = a[0].as_string(), schema;
  if (auto dot = table.find('.'); dot != std::string::npos) {
    schema = table.substr(0, dot);
    table = table.substr(dot + 1);
  }
  for (auto* s : {&schema, &table}) {
    if (s->size() >= 2 && s->front() == '"' && s->back() == '"') *s = s->substr(1, s->size() - 2);
    else for (char& c : *s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  auto t = ctx.catalog->table(schema, table);
  if (!t) raise(sqlstate::kUndefinedTable, "relation \"{}\" does not exist", a[0].as_string());
  int c = t->column_index(a[1].as_string());
  if (c < 0) raise(sqlstate::kUndefinedColumn, "column \"{}\" of relation \"{}\" does not exist", a[1].as_string(), t->name);
  for (const auto& [id, s] : ctx.catalog->sequences())
    if (s->owner_table == t->id && s->owner_column == t->columns[static_cast<size_t>(c)].id)
      return Value::text(sql::quote_ident(s->schema) + "." + sql::quote_ident(s->name));
  return Value::null(oid::kText);
}

// acldefault(type, owner): the privileges an object of that kind has before any GRANT.
Value f_acldefault(const Value* a, size_t, ExecContext& ctx) {
  std::string owner = types::format_text(Value::of(oid::kRegrole, a[1].as_int()), ctx.text);
  const std::string& k = a[0].as_string();
  char kind = k.empty() ? 'r' : k[0];
  std::vector<std::string> items;
  switch (kind) {
    case 'c': items = {"=X/" + owner, owner + "=X/" + owner}; break;  // columns: none (c has none)
    case 'r': items = {owner + "=arwdDxt/" + owner}; break;
    case 's': items = {owner + "=rwU/" + owner}; break;
    case 'd': items = {"=Tc/" + owner, owner + "=CTc/" + owner}; break;
    case 'f': items = {"=X/" + owner, owner + "=X/" + owner}; break;
    case 'l': case 'T': items = {"=U/" + owner, owner + "=U/" + owner}; break;
    case 'n': items = {owner + "=UC/" + owner}; break;
    case 't': items = {owner + "=C/" + owner}; break;
    case 'F': case 'S': items = {owner + "=U/" + owner}; break;
    case 'p': items = {owner + "=sA/" + owner}; break;
    default: raise(sqlstate::kInvalidParameterValue, "unrecognized object type abbreviation: {}", kind);
  }
  if (kind == 'c') items.clear();
  std::vector<Value> vals;
  for (auto& i : items) vals.push_back(Value::of(oid::kAclitem, std::move(i)));
  return array::make(1034, array::Array::of(oid::kAclitem, std::move(vals)));
}

// has_table_privilege & co.: ([role,] object, privileges): whether the role (the current user
// when not given) has any of the comma-separated privileges.
Value has_privilege(const Value* a, size_t n, ExecContext& ctx, char kind) {
  for (size_t i = 0; i < n; ++i)
    if (a[i].is_null()) return Value::null(oid::kBool);
  auto numeric = [](const Value& v) { return v.type() != oid::kText && v.type() != oid::kName && v.type() != oid::kUnknownType && v.type() != oid::kVarchar; };
  auto role_of = [&](const Value& v) {
    return numeric(v) ? static_cast<uint32_t>(v.as_int()) : ctx.services->role_oid(v.as_string());
  };
  size_t k = 0;
  uint32_t role = 0;
  size_t args = kind == 'c' ? 3 : 2;  // has_column_privilege(table, column, privilege)
  if (n > args) {
    role = role_of(a[0]);
    k = 1;
  } else {
    role = ctx.services->role_oid(ctx.services->setting("__current_user"));
  }
  const Value& object = a[k];
  uint32_t id = 0;
  char object_kind = kind == 'c' || kind == 'a' ? 'r' : kind;
  if (kind == 'R') id = role_of(object);
  else if (numeric(object)) id = static_cast<uint32_t>(object.as_int());
  else if (object_kind == 'r' || object_kind == 'S') id = static_cast<uint32_t>(types::parse_text(oid::kRegclass, object.as_string(), -1, ctx.text).as_int());
  else if (object_kind == 'n') id = static_cast<uint32_t>(types::parse_text(oid::kRegnamespace, object.as_string(), -1, ctx.text).as_int());
  const std::string& text = a[n - 1].as_string();
  uint32_t wanted = 0;
  size_t p = 0;
  while (p <= text.size()) {
    size_t e = text.find(',', p);
    std::string item = text.substr(p, e == std::string::npos ? std::string::npos : e - p);
    p = e == std::string::npos ? text.size() + 1 : e + 1;
    std::string up;
    for (char c : item) up += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    while (!up.empty() && up.front() == ' ') up.erase(0, 1);
    while (!up.empty() && up.back() == ' ') up.pop_back();
    if (up.size() > 18 && up.ends_with(" WITH GRANT OPTION")) {
      up.resize(up.size() - 18);
      wanted |= catalog::kWithGrantOption;
    }
    if (up.size() > 18 && up.ends_with(" WITH ADMIN OPTION")) {
      up.resize(up.size() - 18);
      if (kind == 'R') {
        wanted |= 4;
        continue;
      }
    }
    uint32_t bit = 0;
    if (kind == 'R') bit = up == "MEMBER" ? 1 : up == "USAGE" ? 2 : up == "SET" ? 1 : 0;
    else bit = catalog::privilege_of(up);
    if (!bit) raise(sqlstate::kInvalidParameterValue, "unrecognized privilege type: \"{}\"", item);
    wanted |= bit;
  }
  return Value::boolean(ctx.services->has_privilege(role, object_kind, id, wanted));
}
Value f_has_table_privilege(const Value* a, size_t n, ExecContext& ctx) { return has_privilege(a, n, ctx, 'r'); }
Value f_has_column_privilege(const Value* a, size_t n, ExecContext& ctx) { return has_privilege(a, n, ctx, 'c'); }
Value f_has_any_column_privilege(const Value* a, size_t n, ExecContext& ctx) { return has_privilege(a, n, ctx, 'a'); }
Value f_has_sequence_privilege(const Value* a, size_t n, ExecContext& ctx) { return has_privilege(a, n, ctx, 'S'); }
Value f_has_schema_privilege(const Value* a, size_t n, ExecContext& ctx) { return has_privilege(a, n, ctx, 'n'); }
Value f_has_database_privilege(const Value* a, size_t n, ExecContext& ctx) { return has_privilege(a, n, ctx, 'd'); }
Value f_pg_has_role(const Value* a, size_t n, ExecContext& ctx) { return has_privilege(a, n, ctx, 'R'); }

// The comment initdb gives the postgres database (OID 5 here as there).
constexpr int64_t kPostgresDatabaseOid = 5;
constexpr const char* kPostgresDatabaseComment = "default administrative connection database";

Value f_shobj_description(const Value* a, size_t, ExecContext& ctx) {
  if (a[0].is_null() || a[1].is_null()) return Value::null(oid::kText);
  if (a[1].as_string() == "pg_database")
    return a[0].as_int() == kPostgresDatabaseOid ? Value::text(kPostgresDatabaseComment) : Value::null(oid::kText);
  if (a[1].as_string() != "pg_authid") return Value::null(oid::kText);
  std::string c = ctx.services->role_comment(static_cast<uint32_t>(a[0].as_int()));
  return c.empty() ? Value::null(oid::kText) : Value::text(std::move(c));
}

// pg_notify(channel, payload): NOTIFY with a computed channel or payload.
Value f_pg_notify(const Value* a, size_t, ExecContext& ctx) {
  if (a[0].is_null()) raise(sqlstate::kInvalidParameterValue, "channel name cannot be empty");
  ctx.services->notify(a[0].as_string(), a[1].is_null() ? "" : a[1].as_string());
  return Value::null(oid::kVoid);
}

Value f_set_config(const Value* a, size_t, ExecContext& ctx) {
  if (a[0].is_null()) raise(sqlstate::kNullValueNotAllowed, "SET requires parameter name");
  return Value::text(ctx.services->set_config(a[0].as_string(), a[1].is_null() ? "" : a[1].as_string(), !a[2].is_null() && a[2].as_bool()));
}

Value f_tablespace_location(const Value*, size_t, ExecContext&) { return Value::text(""); }

}  // namespace

void register_catalog_functions(std::vector<FuncDef>& out) {
  using namespace oid;
  const uint32_t any = kAnyType;
  // All of them read the catalog or the session: never folded into a plan as constants.
  auto add = [&](const char* name, std::vector<uint32_t> args, uint32_t ret, FnPtr fn, bool strict = true,
                 bool = true) {
    FuncDef f{name, std::move(args), ret, fn};
    f.strict = strict;
    f.volatile_ = true;
    out.push_back(std::move(f));
  };
  add("pg_get_userbyid", {kOid}, kName, f_get_userbyid);
  add("pg_describe_object", {kOid, kOid, kInt4}, kText, f_describe_object);
  add("pg_table_is_visible", {kOid}, kBool, f_table_is_visible);
  add("pg_type_is_visible", {kOid}, kBool, f_type_is_visible);
  add("pg_function_is_visible", {kOid}, kBool, f_function_is_visible);
  for (const char* f : {"pg_operator_is_visible", "pg_opclass_is_visible",
                        "pg_collation_is_visible", "pg_conversion_is_visible", "pg_statistics_obj_is_visible",
                        "pg_ts_config_is_visible", "pg_ts_dict_is_visible", "pg_ts_parser_is_visible",
                        "pg_ts_template_is_visible", "pg_opfamily_is_visible"})
    add(f, {kOid}, kBool, f_true);
  add("pg_get_expr", {kPgNodeTree, kOid}, kText, f_get_expr);
  add("pg_get_expr", {kPgNodeTree, kOid, kBool}, kText, f_get_expr);
  add("pg_get_indexdef", {kOid}, kText, f_get_indexdef);
  add("pg_get_indexdef", {kOid, kInt4, kBool}, kText, f_get_indexdef);
  add("pg_get_constraintdef", {kOid}, kText, f_get_constraintdef);
  add("pg_get_constraintdef", {kOid, kBool}, kText, f_get_constraintdef);
  // Objects HeliosDB Nano does not have (built-in functions' SQL text, rules, partitions,
  // statistics objects) describe as NULL.
  add("pg_get_viewdef", {kOid}, kText, f_get_viewdef, false);
  add("pg_get_triggerdef", {kOid}, kText, f_get_triggerdef, false);
  add("pg_get_triggerdef", {kOid, kBool}, kText, f_get_triggerdef, false);
  add("pg_get_function_arguments", {kOid}, kText, f_function_arguments<false>, false);
  add("pg_get_function_identity_arguments", {kOid}, kText, f_function_arguments<false>, false);
  add("pg_get_function_result", {kOid}, kText, f_function_arguments<true>, false);
  add("pg_get_partkeydef", {kOid}, kText, f_get_partkeydef);
  {
    FuncDef f{"satisfies_hash_partition", {kOid, kInt4, kInt4, any}, kBool, f_satisfies_hash_partition};
    f.strict = false;
    f.variadic = true;
    out.push_back(std::move(f));
  }
  add("pg_get_ruledef", {kOid}, kText, f_get_ruledef, false);
  for (const char* f : {"pg_get_functiondef", "pg_get_statisticsobjdef",
                        "pg_get_statisticsobjdef_columns", "pg_get_partition_constraintdef", "pg_get_function_sqlbody"}) {
    add(f, {kOid}, kText, f_null_text, false);
  }
  add("pg_get_viewdef", {kOid, kBool}, kText, f_get_viewdef, false);
  add("pg_get_viewdef", {kText}, kText, f_get_viewdef, false);
  add("pg_get_viewdef", {kText, kBool}, kText, f_get_viewdef, false);
  add("pg_get_ruledef", {kOid, kBool}, kText, f_get_ruledef, false);
  add("obj_description", {kOid, kName}, kText, f_obj_description, false);
  add("obj_description", {kOid}, kText, f_obj_description, false);
  add("col_description", {kOid, kInt4}, kText, f_col_description, false);
  add("shobj_description", {kOid, kName}, kText, f_shobj_description, false);
  add("pg_encoding_to_char", {kInt4}, kName, f_encoding_to_char);
  add("current_schemas", {kBool}, 1003, f_current_schemas);
  // Privileges that are kept and enforced; functions, types, languages and the rest are
  // PUBLIC's to use (there are no GRANTs on them).
  for (auto [f, fn] : {std::pair<const char*, FnPtr>{"has_table_privilege", f_has_table_privilege}, {"has_schema_privilege", f_has_schema_privilege},
                       {"has_database_privilege", f_has_database_privilege}, {"has_sequence_privilege", f_has_sequence_privilege},
                       {"has_any_column_privilege", f_has_any_column_privilege}, {"pg_has_role", f_pg_has_role}}) {
    add(f, {any, any}, kBool, fn, false);
    add(f, {any, any, any}, kBool, fn, false);
  }
  add("has_column_privilege", {any, any, any}, kBool, f_has_column_privilege, false);
  add("has_column_privilege", {any, any, any, any}, kBool, f_has_column_privilege, false);
  for (const char* f : {"has_function_privilege", "has_tablespace_privilege", "has_foreign_data_wrapper_privilege",
                        "has_server_privilege", "has_type_privilege", "has_language_privilege"}) {
    add(f, {any, any}, kBool, f_true);
    add(f, {any, any, any}, kBool, f_true);
  }
  for (const char* f : {"pg_relation_size", "pg_total_relation_size", "pg_table_size", "pg_indexes_size",
                        "pg_database_size", "pg_tablespace_size"})
    add(f, {any}, kInt8, f_size);
  add("pg_relation_size", {kRegclass, kText}, kInt8, f_size);
  add("pg_size_pretty", {kInt8}, kText, f_size_pretty);
  add("pg_size_pretty", {kNumeric}, kText, f_size_pretty);
  add("pg_backend_pid", {}, kInt4, f_backend_pid);
  add("pg_blocking_pids", {kInt4}, 1007, f_blocking_pids);
  add("pg_postmaster_start_time", {}, kTimestamptz, f_postmaster_start_time);
  add("pg_is_in_recovery", {}, kBool, f_false);
  add("pg_relation_is_publishable", {any}, kBool, f_false);
  add("txid_current", {}, kInt8, f_txid_current, true, true);
  add("pg_current_xact_id", {}, kInt8, f_txid_current, true, true);
  add("pg_get_serial_sequence", {kText, kText}, kText, f_get_serial_sequence);
  add("pg_tablespace_location", {kOid}, kText, f_tablespace_location);
  add("acldefault", {kChar, kOid}, 1034, f_acldefault);
  add("set_config", {kText, kText, kBool}, kText, f_set_config, false);
  out.push_back({"pg_notify", {kText, kText}, oid::kVoid, f_pg_notify, false, true});
  add("pg_is_wal_replay_paused", {}, kBool, f_false);
  add("pg_is_other_temp_schema", {kOid}, kBool, f_false);
  add("pg_stat_get_numscans", {kOid}, kInt8, f_size);
}

}  // namespace heliosdb::exec
