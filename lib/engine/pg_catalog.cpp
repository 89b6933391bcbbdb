// The rows of pg_catalog and information_schema, computed from the catalog when a statement
// reads them. Columns not set here hold their type's empty value (false, 0, or NULL).
#include <boost/json.hpp>

#include <functional>
#include <unordered_map>

#include "catalog/catalog.h"
#include "catalog/system_views.h"
#include "common/array.h"
#include "common/errors.h"
#include "common/types.h"
#include "engine/cluster_impl.h"
#include "engine/database_impl.h"
#include "planner/binder.h"
#include "engine/session_impl.h"
#include "planner/estimate.h"
#include "heliosdb/heliosdb.h"
#include "planner/deparse.h"
#include "sql/parser.h"

#include <cstring>

namespace heliosdb::engine {
namespace {

using catalog::SystemView;
using catalog::TableDef;

// Rows of one relation, filled by column name.
class Rows {
 public:
  explicit Rows(const SystemView& v) : view_(v) {}
  Row& add() {
    Row& r = rows_.emplace_back();
    r.reserve(view_.columns.size());
    bool info_schema = view_.schema == "information_schema";  // its columns are NULL unless set
    for (const auto& [name, type] : view_.columns) {
      switch (info_schema ? 0 : type) {
        case oid::kBool: r.push_back(Value::boolean(false)); break;
        case oid::kInt2: case oid::kInt4: case oid::kInt8: case oid::kOid: case oid::kXid: case oid::kRegproc:
        case oid::kRegtype: case oid::kRegclass:
          r.push_back(Value::of(type, int64_t{0}));
          break;
        case oid::kFloat4: case oid::kFloat8: r.push_back(Value::of(type, 0.0)); break;
        default: r.push_back(Value::null(type));
      }
    }
    return r;
  }
  // Sets a column: the value takes the column's type (its datum must suit it).
  void set(Row& r, std::string_view column, const Value& v) {
    int i = index(column);
    uint32_t t = view_.columns[static_cast<size_t>(i)].second;
    if (t == oid::kAnyArray && !v.is_null()) r[static_cast<size_t>(i)] = v;  // an array of its own type
    else if (v.is_null()) r[static_cast<size_t>(i)] = Value::null(t);
    else r[static_cast<size_t>(i)] = std::visit(
        [t](const auto& d) -> Value {
          using D = std::decay_t<decltype(d)>;
          if constexpr (std::is_same_v<D, std::monostate>) return Value::null(t);
          else if constexpr (std::is_same_v<D, bool>) return Value::boolean(d);
          else return Value::of(t, d);
        },
        v.datum());
  }
  void set(Row& r, std::string_view column, std::string s) { set(r, column, Value::text(std::move(s))); }
  void set(Row& r, std::string_view column, const char* s) { set(r, column, Value::text(s)); }
  void set(Row& r, std::string_view column, int64_t i) { set(r, column, Value::int8(i)); }
  void set(Row& r, std::string_view column, bool b) { set(r, column, Value::boolean(b)); }
  std::vector<Row> take() { return std::move(rows_); }

 private:
  int index(std::string_view column) {
    auto it = index_.find(std::string(column));
    if (it != index_.end()) return it->second;
    int i = view_.column(column);
    if (i < 0) raise(sqlstate::kInternalError, "column {} of {} is not known", column, view_.name);
    index_.emplace(std::string(column), i);
    return i;
  }
  const SystemView& view_;
  std::vector<Row> rows_;
  std::unordered_map<std::string, int> index_;
};

Value int2vector(const std::vector<int64_t>& xs, uint32_t type = oid::kInt2Vector) {
  array::Array a;
  a.elem = array::element_type(type);
  for (int64_t x : xs) a.items.push_back(Value::of(a.elem, x));
  if (!a.items.empty()) {
    a.dims = {static_cast<int32_t>(a.items.size())};
    a.lbounds = {type == oid::kInt2Vector || type == oid::kOidVector ? 0 : 1};
  }
  return array::make(type, a);
}

// The columns a stored expression (libpg_query JSON) names, as attnums of table: conkey of a CHECK.
void referenced_columns(const boost::json::value& v, const TableDef& t, std::vector<int64_t>& out) {
  if (v.is_array()) {
    for (const auto& x : v.as_array()) referenced_columns(x, t, out);
  } else if (v.is_object()) {
    const auto& o = v.as_object();
    if (const auto* ref = o.if_contains("ColumnRef")) {
      const auto& fields = ref->as_object().at("fields").as_array();
      if (!fields.empty() && fields.back().is_object())
        if (const auto* s = fields.back().as_object().if_contains("String")) {
          int i = t.column_index(std::string(s->as_object().at("sval").as_string()));
          if (i >= 0 && std::find(out.begin(), out.end(), i + 1) == out.end()) out.push_back(i + 1);
        }
      return;
    }
    for (const auto& kv : o) referenced_columns(kv.value(), t, out);
  }
}

// PostgreSQL 15's B-tree operator classes and families (pg_opclass, pg_opfamily): every index
// here is a B-tree; an index key's class is its type's default one (indclass).
struct OpClass {
  uint32_t oid;
  const char* name;
  uint32_t family;
  uint32_t type;
  bool is_default;
  uint32_t key_type;
};
constexpr OpClass kBtreeOpClasses[] = {
    {1978, "int4_ops", 1976, 23, true, 0},
    {1979, "int2_ops", 1976, 21, true, 0},
    {1981, "oid_ops", 1989, 26, true, 0},
    {3122, "date_ops", 434, 1082, true, 0},
    {3123, "float8_ops", 1970, 701, true, 0},
    {3124, "int8_ops", 1976, 20, true, 0},
    {3125, "numeric_ops", 1988, 1700, true, 0},
    {3126, "text_ops", 1994, 25, true, 0},
    {3127, "timestamptz_ops", 434, 1184, true, 0},
    {3128, "timestamp_ops", 434, 1114, true, 0},
    {4217, "text_pattern_ops", 2095, 25, false, 0},
    {4218, "varchar_pattern_ops", 2095, 25, false, 0},
    {4219, "bpchar_pattern_ops", 2097, 1042, false, 0},
    {10000, "array_ops", 397, 2277, true, 0},
    {10002, "bit_ops", 423, 1560, true, 0},
    {10003, "bool_ops", 424, 16, true, 0},
    {10004, "bpchar_ops", 426, 1042, true, 0},
    {10006, "bytea_ops", 428, 17, true, 0},
    {10007, "char_ops", 429, 18, true, 0},
    {10009, "cidr_ops", 1974, 869, false, 0},
    {10012, "float4_ops", 1970, 700, true, 0},
    {10015, "inet_ops", 1974, 869, true, 0},
    {10022, "interval_ops", 1982, 1186, true, 0},
    {10024, "macaddr_ops", 1984, 829, true, 0},
    {10026, "macaddr8_ops", 3371, 774, true, 0},
    {10028, "name_ops", 1994, 19, true, 2275},
    {10032, "oidvector_ops", 1991, 30, true, 0},
    {10034, "record_ops", 2994, 2249, true, 0},
    {10036, "record_image_ops", 3194, 2249, false, 0},
    {10038, "time_ops", 1996, 1083, true, 0},
    {10041, "timetz_ops", 2000, 1266, true, 0},
    {10043, "varbit_ops", 2002, 1562, true, 0},
    {10044, "varchar_ops", 1994, 25, false, 0},
    {10047, "money_ops", 2099, 790, true, 0},
    {10050, "tid_ops", 2789, 27, true, 0},
    {10053, "xid8_ops", 5067, 5069, true, 0},
    {10065, "uuid_ops", 2968, 2950, true, 0},
    {10067, "pg_lsn_ops", 3253, 3220, true, 0},
    {10069, "enum_ops", 3522, 3500, true, 0},
    {10071, "tsvector_ops", 3626, 3614, true, 0},
    {10074, "tsquery_ops", 3683, 3615, true, 0},
    {10076, "range_ops", 3901, 3831, true, 0},
    {10080, "multirange_ops", 4199, 4537, true, 0},
    {10088, "jsonb_ops", 4033, 3802, true, 0},
};
constexpr std::pair<uint32_t, const char*> kBtreeOpFamilies[] = {
    {397, "array_ops"}, {423, "bit_ops"}, {424, "bool_ops"}, {426, "bpchar_ops"},
    {428, "bytea_ops"}, {429, "char_ops"}, {434, "datetime_ops"}, {1970, "float_ops"},
    {1974, "network_ops"}, {1976, "integer_ops"}, {1982, "interval_ops"}, {1984, "macaddr_ops"},
    {1988, "numeric_ops"}, {1989, "oid_ops"}, {1991, "oidvector_ops"}, {1994, "text_ops"},
    {1996, "time_ops"}, {2000, "timetz_ops"}, {2002, "varbit_ops"}, {2095, "text_pattern_ops"},
    {2097, "bpchar_pattern_ops"}, {2099, "money_ops"}, {2789, "tid_ops"}, {2968, "uuid_ops"},
    {2994, "record_ops"}, {3194, "record_image_ops"}, {3253, "pg_lsn_ops"}, {3371, "macaddr8_ops"},
    {3522, "enum_ops"}, {3626, "tsvector_ops"}, {3683, "tsquery_ops"}, {3901, "range_ops"},
    {4033, "jsonb_ops"}, {4199, "multirange_ops"}, {5067, "xid8_ops"}};

// The default B-tree operator class of a key of this type (varchar keys use text's, as in
// PostgreSQL; enums and arrays the polymorphic ones), 0 when it has none.
uint32_t btree_opclass(uint32_t type) {
  if (type == oid::kVarchar) type = oid::kText;
  else if (array::element_type(type) && type != oid::kInt2Vector && type != oid::kOidVector) type = 2277;  // anyarray
  else if (types::enum_of(type)) type = 3500;                                                              // anyenum
  for (const OpClass& c : kBtreeOpClasses)
    if (c.type == type && c.is_default) return c.oid;
  return 0;
}

// The default hash operator class of a type (pg_opclass.oid as PostgreSQL 15 numbers them); 0 when none.
uint32_t hash_opclass(uint32_t type) {
  static constexpr std::pair<uint32_t, uint32_t> kHashOpClasses[] = {
      {oid::kBpchar, 10005}, {oid::kChar, 10008}, {oid::kDate, 10011}, {oid::kFloat4, 10013}, {oid::kFloat8, 10014},
      {oid::kInt2, 10019}, {oid::kInt4, 10020}, {oid::kInt8, 10021}, {oid::kInterval, 10023}, {oid::kName, 10029},
      {oid::kNumeric, 10030}, {oid::kOid, 10031}, {oid::kOidVector, 10033}, {oid::kRecord, 10035}, {oid::kText, 10037},
      {oid::kVarchar, 10037}, {oid::kTime, 10039}, {oid::kTimestamptz, 10040}, {oid::kTimetz, 10042},
      {oid::kTimestamp, 10046}, {oid::kBool, 10048}, {oid::kBytea, 10049}, {oid::kXid, 10051}, {oid::kCid, 10054},
      {oid::kTid, 10055}, {oid::kAclitem, 10059}, {oid::kUuid, 10066}, {oid::kJsonb, 10089}};
  if (array::element_type(type) && type != oid::kInt2Vector && type != oid::kOidVector) return 10001;  // array_ops
  if (types::enum_of(type)) return 10070;                                                               // enum_ops
  for (auto [t, opclass] : kHashOpClasses)
    if (t == type) return opclass;
  return 0;
}

uint32_t collation_of(uint32_t type) {
  if (uint32_t elem = array::element_type(type); elem && type != oid::kInt2Vector && type != oid::kOidVector)
    type = elem;  // an array collates like its elements
  if (type == oid::kName) return catalog::kCCollation;
  return types::is_string(type) ? catalog::kDefaultCollation : 0;
}

char type_align(const types::TypeInfo& t) {
  if (t.oid == oid::kTid) return 's';
  if (t.length == 1 || t.oid == oid::kBool || t.oid == oid::kChar || t.oid == oid::kName || t.oid == oid::kUuid ||
      t.oid == oid::kUnknownType || t.oid == 2275)  // cstring
    return 'c';
  if (t.length == 2) return 's';
  if (t.length == 8 || t.oid == oid::kInterval || t.oid == oid::kTimetz) return 'd';
  // Arrays of double-aligned types, record, record[], anyarray and anycompatiblearray.
  for (uint32_t d : {1016u, 1022u, 1115u, 1183u, 1185u, 1187u, 1270u, 2249u, 2277u, 2287u, 5078u})
    if (t.oid == d) return 'd';
  return 'i';
}
char type_storage(const types::TypeInfo& t) {
  if (t.length != -1 || t.oid == oid::kInt2Vector || t.oid == oid::kOidVector) return 'p';
  if (t.oid == oid::kNumeric) return 'm';
  return 'x';
}
bool by_value(const types::TypeInfo& t) { return t.length > 0 && t.length <= 8 && t.oid != oid::kTid && t.oid != oid::kName && t.oid != oid::kUuid && t.oid != oid::kInterval && t.oid != oid::kTimetz && t.oid != oid::kAclitem; }

// The database's OID: PostgreSQL's for "postgres", else a stable one from the name.
// Whether a view can be written through (automatically updatable), and its writable columns.
struct ViewWrites {
  bool updatable = false;
  std::vector<bool> columns;  // empty with updatable: every column
  bool column(size_t i) const { return updatable && (columns.empty() || (i < columns.size() && columns[i])); }
};
ViewWrites view_writes(const catalog::TableDef& t) {
  ViewWrites w;
  if (!t.is_view()) return w;
  boost::json::parse_options deep;
  deep.max_depth = 100000;
  boost::json::value q = boost::json::parse(t.view_query, {}, deep);
  const auto& select = sql::node_body(q);
  w.updatable = planner::view_not_updatable(select) == nullptr;
  if (w.updatable) w.columns = planner::view_updatable_columns(select);
  return w;
}

int64_t database_oid(const std::string& name) {
  if (name == "postgres") return 5;
  uint32_t h = 2166136261u;
  for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  return 16384 + (h % 1000000000u);
}

// The relations' schemas in catalog order: system ones, then those of tables and sequences.
std::vector<std::string> schemas(const catalog::Catalog& cat) {
  std::vector<std::string> out = {"pg_toast", "pg_catalog", "public", "information_schema"};
  auto add = [&](const std::string& s) {
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  };
  for (const auto& [sname, sd] : cat.schemas()) add(sname);
  for (const auto& [id, t] : cat.tables()) add(t->schema);
  for (const auto& [id, s] : cat.sequences()) add(s->schema);
  return out;
}

std::string yes_no(bool b) { return b ? "YES" : "NO"; }

// information_schema's data_type: the SQL standard's spelling.
std::string sql_data_type(uint32_t type) {
  if (array::is_array(type)) return "ARRAY";
  const auto* ti = types::find(type);
  if (!ti) return "USER-DEFINED";
  if (type == oid::kChar) return "\"char\"";
  if (ti->category == types::Category::kUser && type != oid::kBytea && type != oid::kUuid && type != oid::kJson &&
      type != oid::kJsonb)
    return "USER-DEFINED";
  return ti->sql_name;
}

// information_schema's domains (sql_identifier, ...) as the TypeDefs of CREATE DOMAIN.
const std::vector<catalog::TypeDef>& system_domain_defs() {
  static const auto* defs = [] {
    auto* out = new std::vector<catalog::TypeDef>;
    for (const auto& d : catalog::system_domains()) {
      catalog::TypeDef t{.id = d.oid, .array_id = d.array_oid, .schema = d.schema, .name = d.name, .kind = 'd',
                         .base_type = d.base_type, .base_typmod = d.base_typmod, .collation = d.collation};
      if (!d.default_text.empty()) {
        auto parsed = sql::parse("SELECT " + d.default_text);  // its tree, as CREATE DOMAIN keeps it
        const auto& select = parsed->statements.at(0).node->at("SelectStmt").as_object();
        t.default_expr = boost::json::serialize(sql::node_body(sql::list_field(select, "targetList").at(0)).at("val"));
      }
      out->push_back(std::move(t));
    }
    return out;
  }();
  return *defs;
}

}  // namespace

std::vector<Row> SessionImpl::system_rows(const catalog::SystemView& view, const catalog::Catalog& cat) {
  const std::string& n = view.name;
  Rows rows(view);
  const int64_t super = catalog::kBootstrapSuperuser;
  std::string user = setting("session_authorization");
  std::string database = db_->name();
  auto ns = [&cat](const std::string& schema) { return int64_t{cat.schema_oid(schema)}; };
  auto name = [](std::string s) { return Value::of(oid::kName, std::move(s)); };
  auto ch = [](char c) { return Value::of(oid::kChar, c ? std::string(1, c) : std::string()); };
  auto is_temp = [](const std::string& schema) { return schema.rfind("pg_temp", 0) == 0; };
  const catalog::Roles& role_set = roles();
  auto owner_name = [&](uint32_t owner) { return name(role_set.name_of(owner)); };
  // relacl / nspacl: NULL until a GRANT or REVOKE set them.
  auto acl_value = [&](const catalog::Ownership& a) {
    if (!a.acl) return Value::null(1034);
    std::vector<Value> items;
    for (const auto& i : *a.acl) items.push_back(Value::of(oid::kAclitem, catalog::acl_item_text(i, role_set)));
    return array::make(1034, array::Array::of(oid::kAclitem, std::move(items)));
  };

  if (view.schema == "pg_catalog") {
    if (n == "pg_cursors") {
      for (const auto& [cname, c] : cursors_) {
        Row& r = rows.add();
        rows.set(r, "name", cname);
        rows.set(r, "statement", c->statement);
        rows.set(r, "is_holdable", c->hold);
        rows.set(r, "is_binary", false);
        rows.set(r, "is_scrollable", !c->no_scroll);
        rows.set(r, "creation_time", Value::of(oid::kTimestamptz, c->created));
      }
    } else if (n == "pg_namespace") {
      for (const auto& s : schemas(cat)) {
        Row& r = rows.add();
        rows.set(r, "oid", ns(s));
        rows.set(r, "nspname", name(s));
        catalog::Ownership access = cat.schema_access(s);
        rows.set(r, "nspowner", int64_t{access.owner});
        if (s == "public" || s == "pg_catalog" || s == "information_schema" || cat.schemas().count(s))
          rows.set(r, "nspacl", acl_value(access));
      }
    } else if (n == "pg_init_privs") {
      // The privileges initdb leaves on the built-in schemas (pg_dump dumps only changes to them).
      for (const char* s : {"pg_catalog", "public"}) {
        Row& r = rows.add();
        rows.set(r, "objoid", ns(s));
        rows.set(r, "classoid", int64_t{2615});
        rows.set(r, "objsubid", int64_t{0});
        rows.set(r, "privtype", ch('i'));
        rows.set(r, "initprivs", acl_value(catalog::Catalog::initial_schema_access(s)));
      }
      // And on pg_catalog's relations.
      for (const auto& v : catalog::system_views()) {
        if (v.schema != "pg_catalog" || !v.access.acl) continue;
        Row& r = rows.add();
        rows.set(r, "objoid", int64_t{v.oid});
        rows.set(r, "classoid", int64_t{catalog::kPgClassOid});
        rows.set(r, "objsubid", int64_t{0});
        rows.set(r, "privtype", ch('i'));
        rows.set(r, "initprivs", acl_value(v.access));
      }
    } else if (n == "pg_views") {
      for (const auto& [id, t] : cat.tables()) {
        if (!t->is_view()) continue;
        Row& r = rows.add();
        rows.set(r, "schemaname", name(t->schema));
        rows.set(r, "viewname", name(t->name));
        rows.set(r, "viewowner", owner_name(t->access.owner));
        rows.set(r, "definition", t->view_text());
      }
    } else if (n == "pg_matviews") {
      for (const auto& [id, t] : cat.tables()) {
        if (!t->is_matview()) continue;
        Row& r = rows.add();
        rows.set(r, "schemaname", name(t->schema));
        rows.set(r, "matviewname", name(t->name));
        rows.set(r, "matviewowner", owner_name(t->access.owner));
        rows.set(r, "hasindexes", !t->indexes.empty());
        rows.set(r, "ispopulated", t->populated);
        rows.set(r, "definition", t->view_text());
      }
    } else if (n == "pg_description") {
      // The comments initdb leaves on schemas public, pg_catalog and pg_toast, and those of COMMENT ON.
      auto add = [&](uint32_t objoid, uint32_t classoid, int64_t subid, const std::string& text) {
        if (text.empty()) return;
        Row& r = rows.add();
        rows.set(r, "objoid", int64_t{objoid});
        rows.set(r, "classoid", int64_t{classoid});
        rows.set(r, "objsubid", subid);
        rows.set(r, "description", text);
      };
      add(catalog::kPublicNamespace, catalog::kPgNamespaceOid, 0, "standard public schema");
      add(catalog::kPgCatalogNamespace, catalog::kPgNamespaceOid, 0, "system catalog schema");
      add(99, catalog::kPgNamespaceOid, 0, "reserved schema for TOAST tables");  // pg_toast
      add(catalog::kPlpgsqlExtension, 3079, 0, "PL/pgSQL procedural language");  // pg_extension
      add(catalog::kPlpgsqlLanguage, 2612, 0, "PL/pgSQL procedural language");   // pg_language
      for (const auto& [id, f] : cat.functions()) add(id, catalog::kPgProcOid, 0, f->comment);
      for (const auto& [sname, sd] : cat.schemas()) add(sd->id, catalog::kPgNamespaceOid, 0, sd->comment);
      for (const auto& [id, t] : cat.tables()) {
        add(id, catalog::kPgClassOid, 0, t->comment);
        for (size_t i = 0; i < t->columns.size(); ++i) add(id, catalog::kPgClassOid, int64_t(i + 1), t->columns[i].comment);
      }
      for (const auto& [id, i] : cat.indexes()) {
        add(id, catalog::kPgClassOid, 0, i->comment);
        add(id, catalog::kPgConstraintOid, 0, i->constraint_comment);
      }
      for (const auto& [id, t] : cat.tables()) {
        for (size_t k = 0; k < t->checks.size(); ++k)
          add(catalog::check_constraint_oid(id, k), catalog::kPgConstraintOid, 0, t->checks[k].comment);
        for (size_t k = 0; k < t->foreign_keys.size(); ++k)
          add(catalog::foreign_key_oid(id, k), catalog::kPgConstraintOid, 0, t->foreign_keys[k].comment);
      }
      for (const auto& [id, d] : cat.types())
        for (size_t k = 0; k < d->checks.size(); ++k) add(catalog::check_constraint_oid(id, k), catalog::kPgConstraintOid, 0, d->checks[k].comment);
      for (const auto& [id, sq] : cat.sequences()) add(id, catalog::kPgClassOid, 0, sq->comment);
      for (const auto& [id, ty] : cat.types()) add(id, 1247, 0, ty->comment);  // pg_type
      for (uint32_t t : types::all_oids())
        if (const char* d = catalog::builtin_type_description(t)) add(t, 1247, 0, d);
    } else if (n == "pg_enum") {
      for (const auto& [id, ty] : cat.types()) {
        if (!ty->enum_type) continue;
        const auto& e = *ty->enum_type;
        for (size_t i = 0; i < e.labels.size(); ++i) {
          Row& r = rows.add();
          rows.set(r, "oid", int64_t{e.label_oids[i]});
          rows.set(r, "enumtypid", int64_t{id});
          rows.set(r, "enumsortorder", Value::float4(e.sortorders[i]));
          rows.set(r, "enumlabel", name(e.labels[i]));
        }
      }
    } else if (n == "pg_extension") {
      {  // plpgsql, there from the start as in PostgreSQL
        Row& r = rows.add();
        rows.set(r, "oid", int64_t{catalog::kPlpgsqlExtension});
        rows.set(r, "extname", name("plpgsql"));
        rows.set(r, "extowner", super);
        rows.set(r, "extnamespace", int64_t{catalog::kPgCatalogNamespace});
        rows.set(r, "extrelocatable", false);
        rows.set(r, "extversion", "1.0");
      }
      for (const auto& [ename, e] : cat.extensions()) {
        Row& r = rows.add();
        rows.set(r, "oid", int64_t{e.id});
        rows.set(r, "extname", name(ename));
        rows.set(r, "extowner", super);
        rows.set(r, "extnamespace", ns(e.schema));
        rows.set(r, "extrelocatable", ename == "uuid-ossp" || ename == "pgcrypto");
        rows.set(r, "extversion", e.version);
      }
    } else if (n == "pg_class" || n == "pg_tables" || n == "pg_indexes" || n == "pg_sequences" ||
               n == "pg_stat_user_tables" || n == "pg_statio_user_tables" || n == "pg_stat_all_tables") {
      bool pg_class = n == "pg_class";
      if (pg_class || n == "pg_tables") {
        for (const auto& v : catalog::system_views()) {
          if (v.relkind != 'r' && pg_class == false) continue;
          Row& r = rows.add();
          if (pg_class) {
            rows.set(r, "oid", int64_t{v.oid});
            rows.set(r, "relname", name(v.name));
            rows.set(r, "relnamespace", ns(v.schema));
            rows.set(r, "relowner", super);
            rows.set(r, "relam", int64_t{v.relkind == 'r' ? catalog::kHeapAm : 0});
            rows.set(r, "relfilenode", int64_t{v.relkind == 'r' ? v.oid : 0});
            rows.set(r, "reltype", int64_t{v.row_type});
            rows.set(r, "relacl", acl_value(v.access));
            if (v.shared) rows.set(r, "reltablespace", int64_t{catalog::kGlobalTablespace});
            rows.set(r, "relhasindex", v.has_index);
            rows.set(r, "relisshared", v.shared);
            rows.set(r, "relhasrules", v.relkind == 'v');
            rows.set(r, "reltuples", Value::float8(-1));
            rows.set(r, "relpersistence", ch('p'));
            rows.set(r, "relkind", ch(v.relkind));
            rows.set(r, "relnatts", int64_t(v.columns.size()));
            rows.set(r, "relispopulated", true);
            rows.set(r, "relreplident", ch(v.replident));
            if (!v.options.empty()) {
              std::vector<Value> options;
              for (size_t i = 0; i < v.options.size();) {
                size_t j = std::min(v.options.find(',', i), v.options.size());
                options.push_back(Value::text(v.options.substr(i, j - i)));
                i = j + 1;
              }
              rows.set(r, "reloptions", array::make(1009, array::Array::of(oid::kText, std::move(options))));
            }
          } else {
            rows.set(r, "schemaname", name(v.schema));
            rows.set(r, "tablename", name(v.name));
            rows.set(r, "tableowner", name(user));
          }
        }
      }
      for (const auto& [id, t] : cat.tables()) {
        if (n == "pg_indexes" || n == "pg_sequences") break;
        if ((t->is_view() || t->is_matview()) && !pg_class) continue;  // pg_tables and the statistics views: tables only
        Row& r = rows.add();
        if (pg_class) {
          rows.set(r, "oid", int64_t{id});
          rows.set(r, "relname", name(t->name));
          rows.set(r, "relnamespace", ns(t->schema));
          rows.set(r, "relowner", int64_t{t->access.owner});
          rows.set(r, "relacl", acl_value(t->access));
          rows.set(r, "relam", int64_t{t->is_view() || t->is_partitioned() ? 0 : catalog::kHeapAm});  // a partitioned table has no storage
          rows.set(r, "relfilenode", int64_t{t->is_view() || t->is_partitioned() ? 0 : id});
          rows.set(r, "reltype", int64_t{catalog::row_type_oid(id)});
          auto st = cat.statistics(id);
          rows.set(r, "reltuples", Value::float8(st ? st->reltuples : -1));
          rows.set(r, "relpages", st ? st->relpages : int64_t{0});
          rows.set(r, "relhasindex", !t->indexes.empty());
          rows.set(r, "relhasrules", t->is_view() || !t->rules.empty());  // a view is its _RETURN rule
          // Foreign keys are triggers on both tables in PostgreSQL (psql shows them only then).
          bool triggers = !t->foreign_keys.empty() || !t->triggers.empty();
          for (const auto& [other_id, other] : cat.tables())
            for (const auto& fk : other->foreign_keys) triggers |= fk.ref_table == id;
          rows.set(r, "relhastriggers", triggers);
          rows.set(r, "relpersistence", ch(t->persistence()));
          rows.set(r, "relkind", ch(t->is_view() ? 'v' : t->is_matview() ? 'm' : t->is_partitioned() ? 'p' : 'r'));
          rows.set(r, "relispartition", t->is_partition());
          rows.set(r, "relhassubclass", !cat.children(id).empty());
          if (t->is_partition()) rows.set(r, "relpartbound", Value::of(oid::kPgNodeTree, partition_bound_text(cat, *t)));
          rows.set(r, "relnatts", int64_t(t->columns.size()));
          rows.set(r, "relchecks", int64_t(t->checks.size()));
          rows.set(r, "relispopulated", t->populated);
          rows.set(r, "relreplident", ch(t->is_view() ? 'n' : 'd'));
          rows.set(r, "relfrozenxid", int64_t{t->is_view() ? 0 : 716});
          rows.set(r, "relminmxid", int64_t{t->is_view() ? 0 : 1});
        } else if (n == "pg_tables") {
          rows.set(r, "schemaname", name(t->schema));
          rows.set(r, "tablename", name(t->name));
          rows.set(r, "tableowner", owner_name(t->access.owner));
          rows.set(r, "hasindexes", !t->indexes.empty());
          rows.set(r, "hasrules", !t->rules.empty());
        } else {
          rows.set(r, "relid", int64_t{id});
          rows.set(r, "schemaname", name(t->schema));
          rows.set(r, "relname", name(t->name));
          if (auto st = cat.statistics(id); st && n != "pg_statio_user_tables") {
            auto ts = [](int64_t t) { return t ? Value::of(oid::kTimestamptz, t) : Value::null(oid::kTimestamptz); };
            rows.set(r, "last_vacuum", ts(st->last_vacuum));
            rows.set(r, "last_analyze", ts(st->last_analyze));
            rows.set(r, "vacuum_count", st->vacuum_count);
            rows.set(r, "analyze_count", st->analyze_count);
          }
        }
      }
      if (pg_class) {
        // A composite type of CREATE TYPE ... AS has a relation of kind 'c' holding its attributes.
        for (const auto& [id, ty] : cat.types()) {
          if (!ty->composite) continue;
          Row& r = rows.add();
          rows.set(r, "oid", int64_t{id});
          rows.set(r, "relname", name(ty->name));
          rows.set(r, "relnamespace", ns(ty->schema));
          rows.set(r, "relowner", int64_t{ty->access.owner});
          rows.set(r, "relam", int64_t{0});
          rows.set(r, "relfilenode", int64_t{0});
          rows.set(r, "reltype", int64_t{id});
          rows.set(r, "reltuples", Value::float8(-1));
          rows.set(r, "relpersistence", ch('p'));
          rows.set(r, "relkind", ch('c'));
          rows.set(r, "relnatts", int64_t(ty->composite->shape.size()));
          rows.set(r, "relispopulated", true);
          rows.set(r, "relreplident", ch('n'));
        }
      }
      if (pg_class || n == "pg_indexes") {
        for (const auto& [id, ix] : cat.indexes()) {
          auto t = cat.table(ix->table_id);
          if (!t) continue;
          Row& r = rows.add();
          if (pg_class) {
            rows.set(r, "oid", int64_t{id});
            rows.set(r, "relname", name(ix->name));
            rows.set(r, "relnamespace", ns(t->schema));
            rows.set(r, "relowner", int64_t{t->access.owner});
            rows.set(r, "relam", int64_t{catalog::kBtreeAm});
            rows.set(r, "relfilenode", int64_t{id});
            // An index holds an entry per row (the table's count once analyzed) in the pages
            // the planner takes it to have.
            auto st = ix->predicate.empty() ? cat.statistics(t->id) : nullptr;
            rows.set(r, "reltuples", Value::float8(st ? st->reltuples : -1));
            if (st) rows.set(r, "relpages", static_cast<int64_t>(planner::index_pages(cat, *t, *ix, st->reltuples)));
            rows.set(r, "relpersistence", ch(t->persistence()));
            rows.set(r, "relkind", ch('i'));
            rows.set(r, "relnatts", int64_t(ix->columns.size()));
            rows.set(r, "relispopulated", true);
            rows.set(r, "relreplident", ch('n'));
          } else {
            rows.set(r, "schemaname", name(t->schema));
            rows.set(r, "tablename", name(t->name));
            rows.set(r, "indexname", name(ix->name));
            rows.set(r, "indexdef", index_definition(cat, *ix, false));
          }
        }
      }
      if (pg_class || n == "pg_sequences") {
        for (const auto& [id, s] : cat.sequences()) {
          Row& r = rows.add();
          if (pg_class) {
            rows.set(r, "oid", int64_t{id});
            rows.set(r, "relname", name(s->name));
            rows.set(r, "relnamespace", ns(s->schema));
            rows.set(r, "relowner", int64_t{s->access.owner});
            rows.set(r, "relacl", acl_value(s->access));
            rows.set(r, "relfilenode", int64_t{id});
            rows.set(r, "reltuples", Value::float8(1));
            auto owner = s->owner_table ? cat.table(s->owner_table) : nullptr;
            rows.set(r, "relpersistence", ch(owner ? owner->persistence() : is_temp(s->schema) ? 't' : 'p'));
            rows.set(r, "relkind", ch('S'));
            rows.set(r, "relnatts", int64_t{3});
            rows.set(r, "relispopulated", true);
            rows.set(r, "relreplident", ch('n'));
          } else {
            rows.set(r, "schemaname", name(s->schema));
            rows.set(r, "sequencename", name(s->name));
            rows.set(r, "sequenceowner", owner_name(s->access.owner));
            rows.set(r, "data_type", Value::of(oid::kRegtype, int64_t{s->type}));
            rows.set(r, "start_value", s->start);
            rows.set(r, "min_value", s->min);
            rows.set(r, "max_value", s->max);
            rows.set(r, "increment_by", s->increment);
            rows.set(r, "cycle", s->cycle);
            rows.set(r, "cache_size", s->cache);
            auto [last, called] = db_->sequence_value(*s);
            rows.set(r, "last_value", called ? Value::int8(last) : Value::null(oid::kInt8));
          }
        }
      }
    } else if (n == "pg_stats") {
      // ANALYZE's statistics of the columns the user may read (the view's own filter).
      uint32_t me = current_role_oid();
      for (const auto& [id, t] : cat.tables()) {
        auto st = cat.statistics(id);
        if (!st || st->columns.empty() || !has_privilege(me, 'r', id, catalog::kSelect)) continue;
        for (const auto& c : t->columns) {
          auto it = st->columns.find(c.id);
          if (it == st->columns.end()) continue;
          const catalog::ColumnStatistics& cs = it->second;
          uint32_t array_type = array::array_type_of(cs.type);
          auto values = [&](const std::vector<Value>& v) {
            return v.empty() || !array_type ? Value::null(oid::kAnyArray) : array::make(array_type, array::Array::of(cs.type, v));
          };
          Row& r = rows.add();
          rows.set(r, "schemaname", name(t->schema));
          rows.set(r, "tablename", name(t->name));
          rows.set(r, "attname", name(c.name));
          rows.set(r, "inherited", false);
          rows.set(r, "null_frac", Value::float4(cs.null_frac));
          rows.set(r, "avg_width", int64_t{cs.avg_width});
          rows.set(r, "n_distinct", Value::float4(cs.n_distinct));
          rows.set(r, "most_common_vals", values(cs.most_common_vals));
          if (!cs.most_common_freqs.empty()) {
            std::vector<Value> freqs;
            for (float f : cs.most_common_freqs) freqs.push_back(Value::float4(f));
            rows.set(r, "most_common_freqs", array::make(1021, array::Array::of(oid::kFloat4, std::move(freqs))));
          } else {
            rows.set(r, "most_common_freqs", Value::null(1021));
          }
          rows.set(r, "histogram_bounds", values(cs.histogram_bounds));
          rows.set(r, "correlation", cs.correlation ? Value::float4(*cs.correlation) : Value::null(oid::kFloat4));
        }
      }
    } else if (n == "pg_attribute") {
      auto add = [&](int64_t rel, const std::string& col, uint32_t type, int32_t typmod, int64_t num, bool not_null,
                     bool has_default, char identity, bool generated = false, int32_t inhcount = 0, bool islocal = true) {
        Row& r = rows.add();
        // A column of a domain is stored as the domain's base type, and collates as it unless the
        // domain says otherwise (information_schema's, COLLATE "C").
        uint32_t base = type, collation = 0;
        if (const auto* d = catalog::find_system_domain(type); d && d->oid == type) {
          base = d->base_type;
          collation = d->collation;
        } else if (auto d = types::find(type) ? nullptr : cat.type(type); d && d->kind == 'd') {
          base = d->base_type;
        }
        const auto* ti = types::find(base);
        rows.set(r, "attrelid", rel);
        rows.set(r, "attname", name(col));
        rows.set(r, "atttypid", int64_t{type});
        rows.set(r, "attstattarget", int64_t{num < 0 ? 0 : -1});  // system columns: 0
        rows.set(r, "attlen", int64_t{ti ? ti->length : -1});
        rows.set(r, "attnum", num);
        rows.set(r, "attndims", int64_t{array::is_array(type) ? 1 : 0});
        rows.set(r, "attcacheoff", int64_t{-1});
        rows.set(r, "atttypmod", int64_t{typmod});
        rows.set(r, "attbyval", ti && by_value(*ti));
        rows.set(r, "attalign", ch(ti ? type_align(*ti) : 'i'));
        rows.set(r, "attstorage", ch(ti ? type_storage(*ti) : 'x'));
        rows.set(r, "attcompression", ch(0));
        rows.set(r, "attnotnull", not_null);
        rows.set(r, "atthasdef", has_default);
        rows.set(r, "attidentity", ch(identity));
        rows.set(r, "attgenerated", ch(generated ? 's' : 0));
        rows.set(r, "attislocal", islocal);
        rows.set(r, "attinhcount", int64_t{inhcount});
        rows.set(r, "attcollation", int64_t{collation ? collation : collation_of(base)});
      };
      for (const auto& v : catalog::system_views())
        for (size_t i = 0; i < v.columns.size(); ++i)
          add(v.oid, v.columns[i].first, v.declared_types[i], -1, static_cast<int64_t>(i + 1), v.relkind == 'r', false, 0);
      for (const auto& [id, t] : cat.tables()) {
        for (size_t i = 0; i < t->columns.size(); ++i) {
          const auto& c = t->columns[i];
          // An identity column's sequence is no default (PostgreSQL shows none).
          // A column of a domain is of the domain's type (its typmod is the domain's).
          add(id, c.name, c.domain ? c.domain : c.type, c.domain ? -1 : c.typmod, static_cast<int64_t>(i + 1), c.not_null,
              !c.default_expr.empty() && !c.identity, c.identity, c.generated, c.inhcount, c.islocal);
        }
        // The system columns every table has (only tableoid can be selected here).
        for (auto [sys, type, num] : {std::tuple{"tableoid", oid::kOid, -6}, {"cmax", oid::kCid, -5}, {"xmax", oid::kXid, -4},
                                      {"cmin", oid::kCid, -3}, {"xmin", oid::kXid, -2}, {"ctid", oid::kTid, -1}})
          add(id, sys, type, -1, num, true, false, 0);
      }
      for (const auto& [id, ty] : cat.types()) {
        if (!ty->composite) continue;
        const auto& sh = ty->composite->shape;
        for (size_t i = 0; i < sh.size(); ++i)
          add(id, sh.names[i], ty->composite->domain(i) ? ty->composite->domain(i) : sh.types[i],
              ty->composite->domain(i) ? -1 : sh.typmods[i], static_cast<int64_t>(i + 1), false, false, 0);
      }
      for (const auto& [id, ix] : cat.indexes()) {
        auto t = cat.table(ix->table_id);
        if (!t) continue;
        for (size_t i = 0; i < ix->columns.size(); ++i) {
          const auto& c = t->columns[static_cast<size_t>(t->column_index_by_id(ix->columns[i]))];
          add(id, c.name, c.type, c.typmod, static_cast<int64_t>(i + 1), false, false, 0);
        }
      }
      for (const auto& [id, s] : cat.sequences()) {
        add(id, "last_value", oid::kInt8, -1, 1, true, false, 0);
        add(id, "log_cnt", oid::kInt8, -1, 2, true, false, 0);
        add(id, "is_called", oid::kBool, -1, 3, true, false, 0);
      }
    } else if (n == "pg_type") {
      auto proc = [](std::string_view n) { const auto* p = catalog::find_proc(n); return int64_t{p ? p->oid : 0}; };
      // typsubscript and typanalyze: arrays subscript as arrays, name and the vectors as raw arrays.
      auto set_subscript = [&](Row& r, uint32_t t) {
        bool arr = types::info(t).category == types::Category::kArray;
        const char* handler = t == oid::kJsonb ? "jsonb_subscript_handler"
                              : t == oid::kName ? "raw_array_subscript_handler"
                              : arr ? "array_subscript_handler" : nullptr;
        if (handler) rows.set(r, "typsubscript", proc(handler));
        if (arr && !array::is_vector(t)) rows.set(r, "typanalyze", proc("array_typanalyze"));
      };
      for (uint32_t t : types::all_oids()) {
        const auto& ti = types::info(t);
        Row& r = rows.add();
        bool is_arr = ti.category == types::Category::kArray;
        rows.set(r, "oid", int64_t{t});
        rows.set(r, "typname", name(ti.name));
        rows.set(r, "typnamespace", int64_t{catalog::kPgCatalogNamespace});
        rows.set(r, "typowner", super);
        rows.set(r, "typlen", int64_t{ti.length});
        rows.set(r, "typbyval", by_value(ti));
        bool pseudo = types::is_pseudo(t);
        rows.set(r, "typtype", ch(pseudo ? 'p' : 'b'));
        // "char" and pg_node_tree are internal-use types ('Z') in pg_type; the registry resolves
        // them as strings.
        rows.set(r, "typcategory", ch(t == 2287 ? 'P' : t == oid::kChar || t == oid::kPgNodeTree ? 'Z' : static_cast<char>(ti.category)));
        rows.set(r, "typispreferred", ti.preferred);
        rows.set(r, "typisdefined", true);
        rows.set(r, "typdelim", ch(','));
        rows.set(r, "typelem", int64_t{is_arr ? array::element_type(t) : t == oid::kName ? oid::kChar : 0});
        rows.set(r, "typarray", int64_t{ti.array_oid});
        rows.set(r, "typalign", ch(type_align(ti)));
        rows.set(r, "typstorage", ch(type_storage(ti)));
        rows.set(r, "typtypmod", int64_t{-1});
        // pg_node_tree is text underneath; unknown has no collation.
        rows.set(r, "typcollation", int64_t{t == oid::kPgNodeTree ? catalog::kDefaultCollation : t == oid::kUnknownType ? 0 : collation_of(t)});
        for (auto [col, kind] : {std::pair{"typinput", 0}, {"typoutput", 1}, {"typreceive", 2}, {"typsend", 3}})
          rows.set(r, col, int64_t{catalog::type_io_proc(t, kind)});
        uint32_t elem = is_arr && !array::is_vector(t) ? array::element_type(t) : t;
        // The types with a modifier are those with typmodin / typmodout functions (pg_proc).
        if (std::string name(types::info(elem).name); int64_t in = proc(name + "typmodin")) {
          rows.set(r, "typmodin", in);
          rows.set(r, "typmodout", proc(name + "typmodout"));
        }
        set_subscript(r, t);
      }
      // Enums (and their arrays), domains and composite types.
      auto add_type = [&](uint32_t id, const catalog::TypeDef* ty) {
        for (bool arr : {false, true}) {
          if (arr && !ty->array_id) continue;
          Row& r = rows.add();
          const types::TypeInfo* base = ty->kind == 'd' ? types::find(ty->base_type) : nullptr;
          rows.set(r, "oid", int64_t{arr ? ty->array_id : id});
          rows.set(r, "typname", name(arr ? "_" + ty->name : ty->name));
          rows.set(r, "typnamespace", ns(ty->schema));
          rows.set(r, "typowner", int64_t{ty->access.owner});
          bool composite = ty->kind == 'c';
          rows.set(r, "typlen", int64_t{arr || composite ? -1 : base ? base->length : 4});
          rows.set(r, "typbyval", !arr && !composite && (base ? by_value(*base) : true));
          rows.set(r, "typtype", ch(arr ? 'b' : ty->kind));
          rows.set(r, "typcategory", ch(arr ? 'A' : composite ? 'C' : base ? static_cast<char>(base->category) : 'E'));
          rows.set(r, "typrelid", int64_t{!arr && composite ? id : 0});
          rows.set(r, "typispreferred", false);
          rows.set(r, "typisdefined", true);
          rows.set(r, "typdelim", ch(','));
          rows.set(r, "typelem", int64_t{arr ? id : 0});
          rows.set(r, "typarray", int64_t{arr ? 0 : ty->array_id});
          // An array aligns as its elements, at least on 'i'.
          char align = composite ? 'd' : base ? type_align(*base) : 'i';
          rows.set(r, "typalign", ch(arr && align != 'd' ? 'i' : align));
          rows.set(r, "typstorage", ch(arr || composite ? 'x' : base ? type_storage(*base) : 'p'));
          rows.set(r, "typnotnull", !arr && ty->not_null);
          rows.set(r, "typbasetype", int64_t{arr ? 0 : ty->base_type});
          rows.set(r, "typtypmod", int64_t{arr ? -1 : ty->kind == 'd' ? ty->base_typmod : -1});
          rows.set(r, "typcollation", int64_t{!base ? 0 : ty->collation ? ty->collation : collation_of(ty->base_type)});
          if (!arr && !ty->default_expr.empty()) {
            // Shown as a column default is: an untyped literal typed as the base type.
            catalog::TableDef value;
            value.columns.push_back(catalog::ColumnDef{.name = "value", .type = ty->base_type, .typmod = ty->base_typmod,
                                                       .default_expr = ty->default_expr});
            rows.set(r, "typdefault", deparse_stored(cat, value, ty->default_expr, false));
            rows.set(r, "typdefaultbin", Value::of(oid::kPgNodeTree, ty->default_expr));
          }
          if (arr) {
            rows.set(r, "typsubscript", proc("array_subscript_handler"));
            rows.set(r, "typanalyze", proc("array_typanalyze"));
            rows.set(r, "typinput", proc("array_in"));
            rows.set(r, "typoutput", proc("array_out"));
            rows.set(r, "typreceive", proc("array_recv"));
            rows.set(r, "typsend", proc("array_send"));
          } else if (composite) {
            for (auto [col, kind] : {std::pair{"typinput", 0}, {"typoutput", 1}, {"typreceive", 2}, {"typsend", 3}})
              rows.set(r, col, int64_t{catalog::type_io_proc(oid::kRecord, kind)});
          } else if (ty->kind == 'e') {
            rows.set(r, "typinput", proc("enum_in"));
            rows.set(r, "typoutput", proc("enum_out"));
            rows.set(r, "typreceive", proc("enum_recv"));
            rows.set(r, "typsend", proc("enum_send"));
          } else {
            rows.set(r, "typinput", proc("domain_in"));
            rows.set(r, "typoutput", int64_t{catalog::type_io_proc(ty->base_type, 1)});
            rows.set(r, "typreceive", proc("domain_recv"));
            rows.set(r, "typsend", int64_t{catalog::type_io_proc(ty->base_type, 3)});
          }
        }
      };
      for (const auto& ty : system_domain_defs()) add_type(ty.id, &ty);
      for (const auto& [id, ty] : cat.types()) add_type(id, ty.get());
      // Every relation's row type, and the array of it.
      auto add_row_type = [&](uint32_t rowtype, uint32_t arrtype, const std::string& rel, int64_t nsp, uint32_t relid,
                              int64_t owner) {
        for (bool arr : {false, true}) {
          Row& r = rows.add();
          rows.set(r, "oid", int64_t{arr ? arrtype : rowtype});
          rows.set(r, "typname", name(arr ? "_" + rel : rel));
          rows.set(r, "typnamespace", nsp);
          rows.set(r, "typowner", owner);
          rows.set(r, "typlen", int64_t{-1});
          rows.set(r, "typtype", ch(arr ? 'b' : 'c'));
          rows.set(r, "typcategory", ch(arr ? 'A' : 'C'));
          rows.set(r, "typisdefined", true);
          rows.set(r, "typdelim", ch(','));
          rows.set(r, "typrelid", int64_t{arr ? 0 : relid});
          rows.set(r, "typelem", int64_t{arr ? rowtype : 0});
          rows.set(r, "typarray", int64_t{arr ? 0 : arrtype});
          rows.set(r, "typalign", ch('d'));
          rows.set(r, "typstorage", ch('x'));
          rows.set(r, "typtypmod", int64_t{-1});
          if (arr) {
            rows.set(r, "typsubscript", proc("array_subscript_handler"));
            rows.set(r, "typanalyze", proc("array_typanalyze"));
          }
          uint32_t io_type = arr ? 2287u : oid::kRecord;  // record_in & co.; array_in for the array
          for (auto [col, kind] : {std::pair{"typinput", 0}, {"typoutput", 1}, {"typreceive", 2}, {"typsend", 3}})
            rows.set(r, col, int64_t{catalog::type_io_proc(io_type, kind)});
        }
      };
      for (const auto& v : catalog::system_views())
        add_row_type(v.row_type, v.row_array_type, v.name, int64_t{catalog::namespace_oid(v.schema)}, v.oid, super);
      for (const auto& [id, t] : cat.tables())
        add_row_type(catalog::row_type_oid(id), catalog::row_array_type_oid(id), t->name, ns(t->schema), id, super);
    } else if (n == "pg_proc") {
      for (const auto& p : catalog::catalog_procs()) {
        Row& r = rows.add();
        std::vector<int64_t> args(p.args.begin(), p.args.end());
        rows.set(r, "oid", int64_t{p.oid});
        rows.set(r, "proname", name(p.name));
        rows.set(r, "pronamespace", int64_t{catalog::kPgCatalogNamespace});
        rows.set(r, "proowner", super);
        rows.set(r, "prolang", int64_t{12});  // internal
        rows.set(r, "procost", Value::float4(1));
        rows.set(r, "prokind", ch('f'));
        rows.set(r, "proisstrict", true);
        rows.set(r, "provolatile", ch('i'));
        rows.set(r, "proparallel", ch('s'));
        rows.set(r, "pronargs", int64_t(args.size()));
        rows.set(r, "prorettype", int64_t{p.result});
        rows.set(r, "proargtypes", int2vector(args, oid::kOidVector));
        rows.set(r, "prosrc", p.name);
      }
      // Functions of CREATE FUNCTION.
      for (const auto& [id, f] : cat.functions()) {
        Row& r = rows.add();
        std::vector<int64_t> args(f->arg_types.begin(), f->arg_types.end());
        rows.set(r, "oid", int64_t{id});
        rows.set(r, "proname", name(f->name));
        rows.set(r, "pronamespace", ns(f->schema));
        rows.set(r, "proowner", int64_t{f->access.owner});
        bool agg = f->kind == 'a';
        rows.set(r, "prolang", int64_t{agg ? 12 : f->language == "sql" ? catalog::kSqlLanguage : catalog::kPlpgsqlLanguage});
        rows.set(r, "procost", Value::float4(f->language == "sql" ? 100 : 100));
        rows.set(r, "prorows", Value::float4(0));
        rows.set(r, "provariadic", int64_t{0});
        rows.set(r, "prokind", ch(f->kind));
        rows.set(r, "prosecdef", false);
        rows.set(r, "proleakproof", false);
        rows.set(r, "proisstrict", f->strict);
        rows.set(r, "proretset", f->returns_set);
        rows.set(r, "provolatile", ch(f->volatility));
        rows.set(r, "proparallel", ch('u'));
        rows.set(r, "pronargs", int64_t(args.size()));
        rows.set(r, "pronargdefaults", int64_t{0});
        rows.set(r, "prorettype", int64_t{f->ret_type});
        rows.set(r, "proargtypes", int2vector(args, oid::kOidVector));
        bool named = std::ranges::any_of(f->arg_names, [](const std::string& a) { return !a.empty(); });
        if (named) {
          std::string text = "{";
          for (size_t i = 0; i < f->arg_names.size(); ++i) text += (i ? "," : "") + (f->arg_names[i].empty() ? "\"\"" : f->arg_names[i]);
          rows.set(r, "proargnames", types::parse_text(1009, text + "}", -1, text_));
        }
        rows.set(r, "prosrc", agg ? std::string("aggregate_dummy") : f->body);
        if (!f->access.acl) rows.set(r, "proacl", Value::null(1034));
      }
    } else if (n == "pg_aggregate") {
      auto proc_of = [&](const std::string& fname, uint32_t fid) -> int64_t {
        if (fid || fname.empty()) return fid;
        for (const auto& p : catalog::catalog_procs())
          if (p.name == fname) return p.oid;
        return 0;
      };
      for (const auto& [id, f] : cat.functions()) {
        if (f->kind != 'a') continue;
        Row& r = rows.add();
        rows.set(r, "aggfnoid", int64_t{id});
        rows.set(r, "aggkind", ch('n'));
        rows.set(r, "aggnumdirectargs", int64_t{0});
        rows.set(r, "aggtransfn", proc_of(f->agg.sfunc, f->agg.sfunc_id));
        rows.set(r, "aggfinalfn", proc_of(f->agg.finalfunc, f->agg.finalfunc_id));
        for (const char* c : {"aggcombinefn", "aggserialfn", "aggdeserialfn", "aggmtransfn", "aggminvtransfn", "aggmfinalfn",
                              "aggsortop", "aggmtranstype"})
          rows.set(r, c, int64_t{0});
        rows.set(r, "aggfinalextra", false);
        rows.set(r, "aggmfinalextra", false);
        rows.set(r, "aggfinalmodify", ch('r'));
        rows.set(r, "aggmfinalmodify", ch('r'));
        rows.set(r, "aggtranstype", int64_t{f->agg.stype});
        rows.set(r, "aggtransspace", int64_t{0});
        rows.set(r, "aggmtransspace", int64_t{0});
        if (f->agg.has_initcond) rows.set(r, "agginitval", f->agg.initcond);
      }
    } else if (n == "pg_language") {
      for (auto [id, lang, pl, trusted] : {std::tuple{12u, "internal", false, false}, {13u, "c", false, false},
                                           {catalog::kSqlLanguage, "sql", false, true}, {catalog::kPlpgsqlLanguage, "plpgsql", true, true}}) {
        Row& r = rows.add();
        rows.set(r, "oid", int64_t{id});
        rows.set(r, "lanname", name(lang));
        rows.set(r, "lanowner", super);
        rows.set(r, "lanispl", pl);
        rows.set(r, "lanpltrusted", trusted);
        // plpgsql_call_handler, plpgsql_inline_handler, plpgsql_validator as PostgreSQL 15 numbers them
        rows.set(r, "lanplcallfoid", int64_t{pl ? 13560 : 0});
        rows.set(r, "laninline", int64_t{pl ? 13561 : 0});
        rows.set(r, "lanvalidator", int64_t{pl ? 13562 : id == 14 ? 2248 : id == 13 ? 2247 : 2246});
      }
    } else if (n == "pg_inherits") {
      for (const auto& [id, t] : cat.tables())
        for (size_t i = 0; i < t->parents.size(); ++i) {
          Row& r = rows.add();
          rows.set(r, "inhrelid", int64_t{id});
          rows.set(r, "inhparent", int64_t{t->parents[i]});
          rows.set(r, "inhseqno", int64_t(i + 1));
          rows.set(r, "inhdetachpending", false);
        }
    } else if (n == "pg_partitioned_table") {
      for (const auto& [id, t] : cat.tables()) {
        if (!t->is_partitioned()) continue;
        boost::json::value spec = boost::json::parse(t->partition_key);
        std::string_view strategy = sql::str_field(spec.as_object(), "strategy");
        std::vector<int64_t> attrs, classes, collations;
        for (const auto& p : sql::list_field(spec.as_object(), "partParams")) {
          int i = t->column_index(sql::str_field(sql::node_body(p), "name"));
          if (i < 0) {  // an expression (partexprs is not kept as a node tree)
            attrs.push_back(0);
            classes.push_back(0);
            collations.push_back(0);
            continue;
          }
          const auto& c = t->columns[static_cast<size_t>(i)];
          attrs.push_back(i + 1);
          classes.push_back(strategy == "hash" ? hash_opclass(c.type) : btree_opclass(c.type));
          collations.push_back(collation_of(c.type));
        }
        uint32_t default_partition = 0;
        for (const auto& c : cat.children(id))
          if (boost::json::parse(c->partition_bound).as_object().contains("is_default")) default_partition = c->id;
        Row& r = rows.add();
        rows.set(r, "partrelid", int64_t{id});
        rows.set(r, "partstrat", ch(strategy[0]));  // 'l', 'r' or 'h', as the strategy is named
        rows.set(r, "partnatts", int64_t(attrs.size()));
        rows.set(r, "partdefid", int64_t{default_partition});
        rows.set(r, "partattrs", int2vector(attrs, oid::kInt2Vector));
        rows.set(r, "partclass", int2vector(classes, oid::kOidVector));
        rows.set(r, "partcollation", int2vector(collations, oid::kOidVector));
      }
    } else if (n == "pg_rewrite" || n == "pg_rules") {
      for (const auto& [tid, t] : cat.tables())
        for (const auto& g : t->rules) {
          Row& r = rows.add();
          if (n == "pg_rules") {
            rows.set(r, "schemaname", name(t->schema));
            rows.set(r, "tablename", name(t->name));
            rows.set(r, "rulename", name(g.name));
            rows.set(r, "definition", g.definition);
            continue;
          }
          rows.set(r, "oid", int64_t{g.id});
          rows.set(r, "rulename", name(g.name));
          rows.set(r, "ev_class", int64_t{tid});
          rows.set(r, "ev_type", ch(g.event));
          rows.set(r, "ev_enabled", ch('O'));
          rows.set(r, "is_instead", g.instead);
          if (!g.qual.empty()) rows.set(r, "ev_qual", Value::of(oid::kPgNodeTree, g.qual));
          rows.set(r, "ev_action", Value::of(oid::kPgNodeTree, g.actions));
        }
    } else if (n == "pg_trigger") {
      for (const auto& [tid, t] : cat.tables())
        for (const auto& g : t->triggers) {
          Row& r = rows.add();
          std::vector<int64_t> cols;
          for (uint32_t c : g.columns) cols.push_back(t->column_index_by_id(c) + 1);
          std::string args;
          for (const auto& a : g.args) args += a + std::string(1, '\0');
          rows.set(r, "oid", int64_t{g.id});
          rows.set(r, "tgrelid", int64_t{tid});
          rows.set(r, "tgparentid", int64_t{0});
          rows.set(r, "tgname", name(g.name));
          rows.set(r, "tgfoid", int64_t{g.function});
          rows.set(r, "tgtype", int64_t{catalog::trigger_type(g)});
          rows.set(r, "tgenabled", ch(g.enabled ? 'O' : 'D'));
          rows.set(r, "tgisinternal", false);
          rows.set(r, "tgconstrrelid", int64_t{0});
          rows.set(r, "tgconstrindid", int64_t{0});
          rows.set(r, "tgconstraint", int64_t{0});
          rows.set(r, "tgdeferrable", false);
          rows.set(r, "tginitdeferred", false);
          rows.set(r, "tgnargs", int64_t(g.args.size()));
          rows.set(r, "tgattr", int2vector(cols, oid::kInt2Vector));
          rows.set(r, "tgargs", Value::of(oid::kBytea, args));
          if (!g.when.empty()) rows.set(r, "tgqual", Value::of(oid::kPgNodeTree, g.when));
        }
    } else if (n == "pg_index") {
      for (const auto& [id, ix] : cat.indexes()) {
        auto t = cat.table(ix->table_id);
        if (!t) continue;
        Row& r = rows.add();
        std::vector<int64_t> keys, colls, classes, zeros;
        for (size_t k = 0; k < ix->columns.size(); ++k) {
          int i = ix->columns[k] ? t->column_index_by_id(ix->columns[k]) : -1;
          keys.push_back(i + 1);  // 0: an expression
          uint32_t type = i >= 0 ? t->columns[static_cast<size_t>(i)].type : stored_type(cat, *t, ix->exprs[k]);
          colls.push_back(collation_of(type));
          classes.push_back(btree_opclass(type));
          zeros.push_back(0);
        }
        if (!ix->exprs.empty()) {
          std::string list = "[";
          for (const auto& e : ix->exprs)
            if (!e.empty()) list += (list.size() > 1 ? "," : "") + e;
          rows.set(r, "indexprs", Value::of(oid::kPgNodeTree, list + "]"));
        }
        if (!ix->predicate.empty()) rows.set(r, "indpred", Value::of(oid::kPgNodeTree, ix->predicate));
        rows.set(r, "indexrelid", int64_t{id});
        rows.set(r, "indrelid", int64_t{ix->table_id});
        rows.set(r, "indnatts", int64_t(keys.size()));
        rows.set(r, "indnkeyatts", int64_t(keys.size()));
        rows.set(r, "indisunique", ix->unique || ix->primary);
        rows.set(r, "indnullsnotdistinct", ix->nulls_not_distinct);
        rows.set(r, "indisprimary", ix->primary);
        rows.set(r, "indimmediate", !ix->deferrable);
        rows.set(r, "indisvalid", true);
        rows.set(r, "indisready", true);
        rows.set(r, "indislive", true);
        rows.set(r, "indkey", int2vector(keys));
        rows.set(r, "indcollation", int2vector(colls, oid::kOidVector));
        rows.set(r, "indclass", int2vector(classes, oid::kOidVector));
        std::vector<int64_t> options = zeros;
        for (size_t k = 0; k < ix->options.size() && k < options.size(); ++k) options[k] = ix->options[k];
        rows.set(r, "indoption", int2vector(options));
      }
    } else if (n == "pg_constraint") {
      for (const auto& [id, t] : cat.tables()) {
        for (uint32_t ixid : t->indexes) {
          auto ix = cat.index(ixid);
          if (!ix || !ix->is_constraint) continue;
          Row& r = rows.add();
          std::vector<int64_t> keys;
          for (uint32_t c : ix->columns) keys.push_back(t->column_index_by_id(c) + 1);
          rows.set(r, "oid", int64_t{ixid});
          rows.set(r, "conname", name(ix->name));
          rows.set(r, "connamespace", ns(t->schema));
          rows.set(r, "contype", ch(ix->primary ? 'p' : 'u'));
          rows.set(r, "condeferrable", ix->deferrable);
          rows.set(r, "condeferred", ix->deferred);
          rows.set(r, "contypid", int64_t{0});
          rows.set(r, "conparentid", int64_t{0});
          rows.set(r, "coninhcount", int64_t{0});
          rows.set(r, "convalidated", true);
          rows.set(r, "conrelid", int64_t{id});
          rows.set(r, "conindid", int64_t{ixid});
          rows.set(r, "confupdtype", ch(' '));
          rows.set(r, "confdeltype", ch(' '));
          rows.set(r, "confmatchtype", ch(' '));
          rows.set(r, "conislocal", true);
          rows.set(r, "connoinherit", true);
          rows.set(r, "conkey", int2vector(keys, 1005));
        }
        for (size_t k = 0; k < t->checks.size(); ++k) {
          Row& r = rows.add();
          rows.set(r, "oid", int64_t{catalog::check_constraint_oid(id, k)});
          rows.set(r, "conname", name(t->checks[k].name));
          rows.set(r, "connamespace", ns(t->schema));
          rows.set(r, "contype", ch('c'));
          rows.set(r, "contypid", int64_t{0});
          rows.set(r, "conparentid", int64_t{0});
          rows.set(r, "coninhcount", int64_t{t->checks[k].inhcount});
          rows.set(r, "convalidated", t->checks[k].validated);
          rows.set(r, "conrelid", int64_t{id});
          rows.set(r, "confupdtype", ch(' '));
          rows.set(r, "confdeltype", ch(' '));
          rows.set(r, "confmatchtype", ch(' '));
          rows.set(r, "conislocal", t->checks[k].islocal);
          rows.set(r, "connoinherit", t->checks[k].noinherit);
          rows.set(r, "conbin", Value::of(oid::kPgNodeTree, t->checks[k].expr));
          std::vector<int64_t> cols;
          referenced_columns(boost::json::parse(t->checks[k].expr), *t, cols);
          rows.set(r, "conkey", int2vector(cols, 1005));
        }
        for (size_t k = 0; k < t->foreign_keys.size(); ++k) {
          const auto& fk = t->foreign_keys[k];
          auto parent = cat.table(fk.ref_table);
          if (!parent) continue;
          Row& r = rows.add();
          rows.set(r, "oid", int64_t{catalog::foreign_key_oid(id, k)});
          rows.set(r, "conname", name(fk.name));
          rows.set(r, "connamespace", ns(t->schema));
          rows.set(r, "contype", ch('f'));
          rows.set(r, "contypid", int64_t{0});
          rows.set(r, "conparentid", int64_t{0});
          rows.set(r, "coninhcount", int64_t{0});
          rows.set(r, "condeferrable", fk.deferrable);
          rows.set(r, "condeferred", fk.deferred);
          rows.set(r, "convalidated", fk.validated);
          rows.set(r, "conrelid", int64_t{id});
          rows.set(r, "conindid", int64_t{fk.ref_index});
          rows.set(r, "confrelid", int64_t{fk.ref_table});
          rows.set(r, "confupdtype", ch(fk.on_update));
          rows.set(r, "confdeltype", ch(fk.on_delete));
          rows.set(r, "confmatchtype", ch(fk.match));
          rows.set(r, "conislocal", true);
          rows.set(r, "connoinherit", true);
          std::vector<int64_t> keys, fkeys;
          for (uint32_t c : fk.columns) keys.push_back(t->column_index_by_id(c) + 1);
          for (uint32_t c : fk.ref_columns) fkeys.push_back(parent->column_index_by_id(c) + 1);
          rows.set(r, "conkey", int2vector(keys, 1005));
          rows.set(r, "confkey", int2vector(fkeys, 1005));
        }
      }
      for (const auto& [id, d] : cat.types()) {
        for (size_t k = 0; k < d->checks.size(); ++k) {
          Row& r = rows.add();
          rows.set(r, "oid", int64_t{catalog::check_constraint_oid(id, k)});
          rows.set(r, "conname", name(d->checks[k].name));
          rows.set(r, "connamespace", ns(d->schema));
          rows.set(r, "contype", ch('c'));
          rows.set(r, "contypid", int64_t{id});
          rows.set(r, "conrelid", int64_t{0});
          rows.set(r, "conparentid", int64_t{0});
          rows.set(r, "coninhcount", int64_t{0});
          rows.set(r, "convalidated", d->checks[k].validated);
          rows.set(r, "confupdtype", ch(' '));
          rows.set(r, "confdeltype", ch(' '));
          rows.set(r, "confmatchtype", ch(' '));
          rows.set(r, "conislocal", true);
          rows.set(r, "connoinherit", false);
          rows.set(r, "conbin", Value::of(oid::kPgNodeTree, d->checks[k].expr));
        }
      }
    } else if (n == "pg_attrdef") {
      for (const auto& [id, t] : cat.tables())
        for (size_t i = 0; i < t->columns.size(); ++i) {
          if (t->columns[i].default_expr.empty() || t->columns[i].identity) continue;
          Row& r = rows.add();
          int attnum = static_cast<int>(i + 1);
          rows.set(r, "oid", int64_t{catalog::attrdef_oid(id, attnum)});
          rows.set(r, "adrelid", int64_t{id});
          rows.set(r, "adnum", int64_t{attnum});
          rows.set(r, "adbin", Value::of(oid::kPgNodeTree, t->columns[i].default_expr));
        }
    } else if (n == "pg_sequence") {
      for (const auto& [id, s] : cat.sequences()) {
        Row& r = rows.add();
        rows.set(r, "seqrelid", int64_t{id});
        rows.set(r, "seqtypid", int64_t{s->type});
        rows.set(r, "seqstart", s->start);
        rows.set(r, "seqincrement", s->increment);
        rows.set(r, "seqmax", s->max);
        rows.set(r, "seqmin", s->min);
        rows.set(r, "seqcache", s->cache);
        rows.set(r, "seqcycle", s->cycle);
      }
    } else if (n == "pg_depend") {
      // The dependencies pg_dump orders its output by and psql/pgAdmin show: indexes and
      // constraints on their table's columns, constraint indexes on their constraint, defaults on
      // their column and on the sequence they call, sequences owned by a column.
      auto dep = [&](uint32_t classid, int64_t objid, int64_t objsubid, uint32_t refclassid, int64_t refobjid,
                     int64_t refobjsubid, char type) {
        Row& r = rows.add();
        rows.set(r, "classid", int64_t{classid});
        rows.set(r, "objid", objid);
        rows.set(r, "objsubid", objsubid);
        rows.set(r, "refclassid", int64_t{refclassid});
        rows.set(r, "refobjid", refobjid);
        rows.set(r, "refobjsubid", refobjsubid);
        rows.set(r, "deptype", ch(type));
      };
      const uint32_t kClass = catalog::kPgClassOid, kCon = catalog::kPgConstraintOid, kDef = catalog::kPgAttrdefOid;
      for (const auto& [id, t] : cat.tables()) {
        dep(kClass, id, 0, catalog::kPgNamespaceOid, cat.schema_oid(t->schema), 0, 'n');
        // The table's row type belongs to it, the row type's array to the row type.
        dep(catalog::kPgTypeOid, catalog::row_type_oid(id), 0, kClass, id, 0, 'i');
        dep(catalog::kPgTypeOid, catalog::row_array_type_oid(id), 0, catalog::kPgTypeOid, catalog::row_type_oid(id), 0, 'i');
        for (uint32_t ixid : t->indexes) {
          auto ix = cat.index(ixid);
          if (!ix) continue;
          if (ix->is_constraint) {
            dep(kClass, ixid, 0, kCon, ixid, 0, 'i');
            for (uint32_t c : ix->columns) dep(kCon, ixid, 0, kClass, id, t->column_index_by_id(c) + 1, 'a');
          } else {
            for (uint32_t c : ix->columns) dep(kClass, ixid, 0, kClass, id, t->column_index_by_id(c) + 1, 'a');
          }
        }
        for (size_t k = 0; k < t->checks.size(); ++k) {
          std::vector<int64_t> cols;
          referenced_columns(boost::json::parse(t->checks[k].expr), *t, cols);
          // On its columns (conkey), and again on those its expression reads, as PostgreSQL records both.
          for (int64_t c : cols) dep(kCon, catalog::check_constraint_oid(id, k), 0, kClass, id, c, 'a');
          for (int64_t c : cols) dep(kCon, catalog::check_constraint_oid(id, k), 0, kClass, id, c, 'n');
        }
        for (size_t k = 0; k < t->foreign_keys.size(); ++k) {
          const auto& fk = t->foreign_keys[k];
          auto parent = cat.table(fk.ref_table);
          if (!parent) continue;
          uint32_t con = catalog::foreign_key_oid(id, k);
          for (uint32_t c : fk.columns) dep(kCon, con, 0, kClass, id, t->column_index_by_id(c) + 1, 'a');
          for (uint32_t c : fk.ref_columns) dep(kCon, con, 0, kClass, fk.ref_table, parent->column_index_by_id(c) + 1, 'n');
          dep(kCon, con, 0, kClass, fk.ref_index, 0, 'n');
        }
        for (size_t i = 0; i < t->columns.size(); ++i)
          if (!t->columns[i].default_expr.empty() && !t->columns[i].identity)
            dep(kDef, catalog::attrdef_oid(id, static_cast<int>(i + 1)), 0, kClass, id, static_cast<int64_t>(i + 1), 'a');
      }
      for (const auto& [id, s] : cat.sequences()) {
        dep(kClass, id, 0, catalog::kPgNamespaceOid, cat.schema_oid(s->schema), 0, 'n');
        if (!s->owner_table) continue;
        auto t = cat.table(s->owner_table);
        if (!t) continue;
        int col = t->column_index_by_id(s->owner_column);
        if (col < 0) continue;
        const auto& c = t->columns[static_cast<size_t>(col)];
        dep(kClass, id, 0, kClass, s->owner_table, col + 1, c.identity ? 'i' : 'a');
        // A serial column's default calls its sequence.
        if (!c.identity && !c.default_expr.empty() && c.default_expr.find("nextval") != std::string::npos)
          dep(kDef, catalog::attrdef_oid(s->owner_table, col + 1), 0, kClass, id, 0, 'n');
      }
    } else if (n == "pg_database") {
      // Every database of the cluster (just this one when it was opened on its own).
      std::vector<std::string> names{database};
      if (auto cluster = db_->cluster.lock()) names = cluster->names();
      for (const auto& dbname : names) {
      Row& r = rows.add();
      rows.set(r, "oid", database_oid(dbname));
      rows.set(r, "datname", name(dbname));
      rows.set(r, "datdba", int64_t{role_set.database_owner(dbname)});
      rows.set(r, "encoding", int64_t{6});
      rows.set(r, "datlocprovider", ch('c'));
      auto access = role_set.database_access(dbname);
      rows.set(r, "datallowconn", access.allow_connections);
      rows.set(r, "datconnlimit", int64_t{access.connlimit});
      rows.set(r, "datfrozenxid", int64_t{716});
      rows.set(r, "datminmxid", int64_t{1});
      rows.set(r, "dattablespace", int64_t{catalog::kDefaultTablespace});
      rows.set(r, "datcollate", "C");
      rows.set(r, "datctype", "C");
      }
    } else if (n == "pg_roles" || n == "pg_authid" || n == "pg_user" || n == "pg_shadow") {
      bool roles_view = n == "pg_roles" || n == "pg_authid";
      for (const auto& [oid, d] : role_set.all()) {
        if (!roles_view && !d.login) continue;  // pg_user, pg_shadow: roles that can log in
        Row& r = rows.add();
        Value until = d.valid_until ? Value::of(oid::kTimestamptz, *d.valid_until) : Value::null(oid::kTimestamptz);
        if (roles_view) {
          rows.set(r, "oid", int64_t{oid});
          rows.set(r, "rolname", name(d.name));
          rows.set(r, "rolsuper", d.superuser);
          rows.set(r, "rolinherit", d.inherit);
          rows.set(r, "rolcreaterole", d.createrole);
          rows.set(r, "rolcreatedb", d.createdb);
          rows.set(r, "rolcanlogin", d.login);
          rows.set(r, "rolreplication", d.replication);
          rows.set(r, "rolbypassrls", d.bypassrls);
          rows.set(r, "rolconnlimit", int64_t{d.connlimit});
          rows.set(r, "rolvaliduntil", until);
          if (n == "pg_roles") rows.set(r, "rolpassword", "********");
          else if (!d.password.empty()) rows.set(r, "rolpassword", d.password);
        } else {
          rows.set(r, "usename", name(d.name));
          rows.set(r, "usesysid", int64_t{oid});
          rows.set(r, "usecreatedb", d.createdb);
          rows.set(r, "usesuper", d.superuser);
          rows.set(r, "userepl", d.replication);
          rows.set(r, "usebypassrls", d.bypassrls);
          rows.set(r, "valuntil", until);
          if (n == "pg_user") rows.set(r, "passwd", "********");
          else if (!d.password.empty()) rows.set(r, "passwd", d.password);
        }
      }
    } else if (n == "pg_db_role_setting") {
      for (const auto& [oid, d] : role_set.all()) {
        if (d.settings.empty()) continue;
        std::vector<Value> config;
        for (const auto& [k, v] : d.settings) config.push_back(Value::text(k + "=" + v));
        Row& r = rows.add();
        rows.set(r, "setdatabase", int64_t{0});
        rows.set(r, "setrole", int64_t{oid});
        rows.set(r, "setconfig", array::make(1009, array::Array::of(oid::kText, std::move(config))));
      }
    } else if (n == "pg_shdescription") {
      // initdb's comment on the postgres database.
      std::vector<std::string> dbs{db_->name()};
      if (auto cluster = db_->cluster.lock()) dbs = cluster->names();
      if (std::ranges::count(dbs, "postgres")) {
        Row& r = rows.add();
        rows.set(r, "objoid", int64_t{5});
        rows.set(r, "classoid", int64_t{1262});  // pg_database
        rows.set(r, "description", "default administrative connection database");
      }
      for (const auto& [oid, d] : role_set.all()) {
        if (d.comment.empty()) continue;
        Row& r = rows.add();
        rows.set(r, "objoid", int64_t{oid});
        rows.set(r, "classoid", int64_t{1260});  // pg_authid
        rows.set(r, "description", d.comment);
      }
    } else if (n == "pg_auth_members") {
      for (const auto& m : role_set.memberships()) {
        Row& r = rows.add();
        rows.set(r, "roleid", int64_t{m.role});
        rows.set(r, "member", int64_t{m.member});
        rows.set(r, "grantor", int64_t{m.grantor});
        rows.set(r, "admin_option", m.admin);
      }
    } else if (n == "pg_opclass") {
      for (const OpClass& c : kBtreeOpClasses) {
        Row& r = rows.add();
        rows.set(r, "oid", int64_t{c.oid});
        rows.set(r, "opcmethod", int64_t{403});
        rows.set(r, "opcname", name(c.name));
        rows.set(r, "opcnamespace", int64_t{catalog::kPgCatalogNamespace});
        rows.set(r, "opcowner", super);
        rows.set(r, "opcfamily", int64_t{c.family});
        rows.set(r, "opcintype", int64_t{c.type});
        rows.set(r, "opcdefault", c.is_default);
        rows.set(r, "opckeytype", int64_t{c.key_type});
      }
    } else if (n == "pg_opfamily") {
      for (auto [id, fname] : kBtreeOpFamilies) {
        Row& r = rows.add();
        rows.set(r, "oid", int64_t{id});
        rows.set(r, "opfmethod", int64_t{403});
        rows.set(r, "opfname", name(fname));
        rows.set(r, "opfnamespace", int64_t{catalog::kPgCatalogNamespace});
        rows.set(r, "opfowner", super);
      }
    } else if (n == "pg_am") {
      for (auto [id, amname, type] : {std::tuple{2, "heap", 't'}, {403, "btree", 'i'}, {405, "hash", 'i'},
                                      {783, "gist", 'i'}, {2742, "gin", 'i'}, {4000, "spgist", 'i'}, {3580, "brin", 'i'}}) {
        Row& r = rows.add();
        rows.set(r, "oid", int64_t{id});
        rows.set(r, "amname", name(amname));
        rows.set(r, "amhandler", int64_t{catalog::am_handler_proc(static_cast<uint32_t>(id))});
        rows.set(r, "amtype", ch(type));
      }
    } else if (n == "pg_collation") {
      for (auto [id, cname, provider] : {std::tuple{100, "default", 'd'}, {950, "C", 'c'}, {951, "POSIX", 'c'}}) {
        Row& r = rows.add();
        rows.set(r, "oid", int64_t{id});
        rows.set(r, "collname", name(cname));
        rows.set(r, "collnamespace", int64_t{catalog::kPgCatalogNamespace});
        rows.set(r, "collowner", super);
        rows.set(r, "collprovider", ch(provider));
        rows.set(r, "collisdeterministic", true);
        rows.set(r, "collencoding", int64_t{-1});
        if (id != 100) {
          rows.set(r, "collcollate", cname);
          rows.set(r, "collctype", cname);
        }
      }
    } else if (n == "pg_tablespace") {
      for (auto [id, sname] : {std::pair{1663, "pg_default"}, {1664, "pg_global"}}) {
        Row& r = rows.add();
        rows.set(r, "oid", int64_t{id});
        rows.set(r, "spcname", name(sname));
        rows.set(r, "spcowner", super);
      }
    } else if (n == "pg_settings") {
      for (const auto& [sname, value] : settings_) {
        if (sname.rfind("__", 0) == 0) continue;
        Row& r = rows.add();
        rows.set(r, "name", std::string(setting_display_name(sname)));
        rows.set(r, "setting", value);
        bool fixed = fixed_setting(sname);
        bool number = !value.empty() && value.find_first_not_of("0123456789") == std::string::npos;
        rows.set(r, "category", fixed ? "Preset Options" : "Client Connection Defaults");
        rows.set(r, "context", fixed ? "internal" : "user");
        rows.set(r, "vartype", number ? "integer" : value == "on" || value == "off" ? "bool" : "string");
        if (fixed && number) {
          rows.set(r, "min_val", value);
          rows.set(r, "max_val", value);
        }
        rows.set(r, "source", "default");
        rows.set(r, "pending_restart", false);
      }
    } else if (n == "pg_stat_activity") {
      // Every session of the cluster. As PostgreSQL, what another role's sessions run is shown
      // only to superusers and members of pg_read_all_stats.
      bool see_all = is_superuser(current_role_oid()) || roles().is_member_of(current_role_oid(), 3375);  // pg_read_all_stats
      auto ts = [](int64_t t) { return t ? Value::of(oid::kTimestamptz, t) : Value::null(oid::kTimestamptz); };
      for (const auto& a : db_->activity->snapshot()) {
        Row& r = rows.add();
        const catalog::RoleDef* role = roles().find(a.user);
        uint32_t uid = role ? role->oid : super;
        rows.set(r, "datname", name(a.database));
        rows.set(r, "datid", database_oid(a.database));
        rows.set(r, "pid", a.pid);
        rows.set(r, "usesysid", int64_t{uid});
        rows.set(r, "usename", name(a.user));
        rows.set(r, "application_name", a.application_name);
        rows.set(r, "backend_start", ts(a.backend_start));
        rows.set(r, "backend_type", "client backend");
        if (!see_all && uid != current_role_oid()) {
          rows.set(r, "query", "<insufficient privilege>");
          continue;
        }
        rows.set(r, "state", a.state);
        rows.set(r, "query", a.query);
        rows.set(r, "xact_start", ts(a.xact_start));
        rows.set(r, "query_start", ts(a.query_start));
        rows.set(r, "state_change", ts(a.state_change));
      }
    } else if (n == "pg_stat_database") {
      Row& r = rows.add();
      rows.set(r, "datid", database_oid(database));
      rows.set(r, "datname", name(database));
      rows.set(r, "numbackends", int64_t{1});
    }
    return rows.take();
  }

  // information_schema
  if (n == "triggers") {
    // One row per event of each trigger, numbered per table, event and timing as PostgreSQL does.
    for (const auto& [tid, t] : cat.tables()) {
      for (int ev : {catalog::kTriggerInsert, catalog::kTriggerDelete, catalog::kTriggerUpdate}) {
        int order = 0;
        for (const auto& g : t->triggers) {
          if (!(g.events & ev)) continue;
          Row& r = rows.add();
          rows.set(r, "trigger_catalog", name(database));
          rows.set(r, "trigger_schema", name(t->schema));
          rows.set(r, "trigger_name", name(g.name));
          rows.set(r, "event_manipulation", ev == catalog::kTriggerInsert ? "INSERT" : ev == catalog::kTriggerDelete ? "DELETE" : "UPDATE");
          rows.set(r, "event_object_catalog", name(database));
          rows.set(r, "event_object_schema", name(t->schema));
          rows.set(r, "event_object_table", name(t->name));
          rows.set(r, "action_order", int64_t{++order});
          auto def = trigger_definition(cat, *t, g, false);
          auto when = def.find(" WHEN (");
          auto exec = def.find(" EXECUTE FUNCTION ");
          if (when != std::string::npos) rows.set(r, "action_condition", def.substr(when + 7, exec - when - 8));
          rows.set(r, "action_statement", def.substr(exec + 1));
          rows.set(r, "action_orientation", g.row ? "ROW" : "STATEMENT");
          rows.set(r, "action_timing", g.before ? "BEFORE" : "AFTER");
        }
      }
    }
  } else if (n == "schemata") {
    for (const auto& s : schemas(cat)) {
      Row& r = rows.add();
      rows.set(r, "catalog_name", name(database));
      rows.set(r, "schema_name", name(s));
      rows.set(r, "schema_owner", owner_name(cat.schema_access(s).owner));
    }
  } else if (n == "table_privileges" || n == "role_table_grants") {
    // One row per privilege of each ACL item (the owner's rights are grantable), shown when the
    // current user is, or has the privileges of, the grantor or the grantee, or it is PUBLIC.
    uint32_t me = current_role_oid();
    for (const auto& [id, t] : cat.tables()) {
      auto items = t->access.acl ? *t->access.acl : catalog::default_acl('r', t->access.owner);
      for (const auto& i : items) {
        bool visible = role_set.has_privileges_of(me, i.grantor) || (i.grantee != catalog::kPublicRole && role_set.has_privileges_of(me, i.grantee));
        if (!visible && !(n == "table_privileges" && i.grantee == catalog::kPublicRole)) continue;
        for (uint32_t bit = 1; bit <= catalog::kTrigger; bit <<= 1) {
          if (!(i.privileges & bit)) continue;
          Row& r = rows.add();
          rows.set(r, "grantor", name(role_set.name_of(i.grantor)));
          rows.set(r, "grantee", name(i.grantee == catalog::kPublicRole ? "PUBLIC" : role_set.name_of(i.grantee)));
          rows.set(r, "table_catalog", name(database));
          rows.set(r, "table_schema", name(t->schema));
          rows.set(r, "table_name", name(t->name));
          rows.set(r, "privilege_type", catalog::privilege_name(bit));
          bool grantable = (i.grant_options & bit) || i.grantee == t->access.owner;
          rows.set(r, "is_grantable", grantable ? "YES" : "NO");
          rows.set(r, "with_hierarchy", bit == catalog::kSelect ? "YES" : "NO");
        }
      }
    }
  } else if (n == "tables") {
    auto add = [&](const std::string& schema, const std::string& tname, const char* type) {
      Row& r = rows.add();
      rows.set(r, "table_catalog", name(database));
      rows.set(r, "table_schema", name(schema));
      rows.set(r, "table_name", name(tname));
      rows.set(r, "table_type", type);
      rows.set(r, "is_insertable_into", std::string(strcmp(type, "VIEW") ? "YES" : "NO"));
      rows.set(r, "is_typed", "NO");
      return &r;
    };
    for (const auto& v : catalog::system_views()) add(v.schema, v.name, v.relkind == 'v' ? "VIEW" : "BASE TABLE");
    for (const auto& [id, t] : cat.tables()) {
      Row* r = add(t->schema, t->name, t->is_view() ? "VIEW" : is_temp(t->schema) ? "LOCAL TEMPORARY" : "BASE TABLE");
      if (t->is_view() && view_writes(*t).updatable) rows.set(*r, "is_insertable_into", "YES");
    }
  } else if (n == "views") {
    for (const auto& [id, t] : cat.tables()) {
      if (!t->is_view()) continue;
      Row& r = rows.add();
      rows.set(r, "table_catalog", name(database));
      rows.set(r, "table_schema", name(t->schema));
      rows.set(r, "table_name", name(t->name));
      rows.set(r, "view_definition", t->view_text());
      rows.set(r, "check_option", "NONE");
      for (const char* c : {"is_trigger_updatable", "is_trigger_deletable", "is_trigger_insertable_into"}) rows.set(r, c, "NO");
      bool updatable = view_writes(*t).updatable;
      rows.set(r, "is_updatable", updatable ? "YES" : "NO");
      rows.set(r, "is_insertable_into", updatable ? "YES" : "NO");
    }
  } else if (n == "columns") {
    for (const auto& [id, t] : cat.tables()) {
      ViewWrites writes = view_writes(*t);
      for (size_t i = 0; i < t->columns.size(); ++i) {
        const auto& c = t->columns[i];
        Row& r = rows.add();
        rows.set(r, "table_catalog", name(database));
        rows.set(r, "table_schema", name(t->schema));
        rows.set(r, "table_name", name(t->name));
        rows.set(r, "column_name", name(c.name));
        rows.set(r, "ordinal_position", int64_t(i + 1));
        if (!c.default_expr.empty() && !c.identity && !c.generated)
          rows.set(r, "column_default", deparse_stored(cat, *t, c.default_expr, false));
        rows.set(r, "is_nullable", yes_no(!c.not_null));
        rows.set(r, "data_type", sql_data_type(c.type));
        uint32_t base = array::is_array(c.type) ? 0 : c.type;
        if ((base == oid::kVarchar || base == oid::kBpchar) && c.typmod >= 4) {
          rows.set(r, "character_maximum_length", int64_t{c.typmod - 4});
          rows.set(r, "character_octet_length", int64_t{(c.typmod - 4) * 4});
        } else if (base == oid::kVarchar || base == oid::kBpchar || base == oid::kText) {
          rows.set(r, "character_octet_length", int64_t{1073741824});
        }
        if (types::is_integer(base) || types::is_float(base) || base == oid::kNumeric) {
          int64_t prec = base == oid::kInt2 ? 16 : base == oid::kInt4 ? 32 : base == oid::kInt8 ? 64 : base == oid::kFloat4 ? 24 : 53;
          if (base == oid::kNumeric) {
            if (c.typmod >= 4) {
              rows.set(r, "numeric_precision", int64_t{((c.typmod - 4) >> 16) & 0xffff});
              rows.set(r, "numeric_scale", int64_t{(c.typmod - 4) & 0xffff});
            }
            rows.set(r, "numeric_precision_radix", int64_t{10});
          } else {
            rows.set(r, "numeric_precision", prec);
            rows.set(r, "numeric_precision_radix", int64_t{2});
            if (types::is_integer(base)) rows.set(r, "numeric_scale", int64_t{0});
          }
        }
        if (base == oid::kDate) rows.set(r, "datetime_precision", int64_t{0});
        else if (base == oid::kTime || base == oid::kTimetz || types::is_timestamp(base) || base == oid::kInterval)
          rows.set(r, "datetime_precision", int64_t{c.typmod >= 0 && base != oid::kInterval ? c.typmod : 6});
        if (collation_of(base)) {
          // collation_* stay NULL for the default collation, as in PostgreSQL
        }
        rows.set(r, "udt_catalog", name(database));
        rows.set(r, "udt_schema", name("pg_catalog"));
        rows.set(r, "udt_name", name(types::find(c.type) ? types::find(c.type)->name : "???"));
        rows.set(r, "dtd_identifier", std::to_string(i + 1));
        rows.set(r, "is_self_referencing", "NO");
        rows.set(r, "is_identity", yes_no(c.identity != 0));
        if (c.identity) {
          rows.set(r, "identity_generation", std::string(c.identity == 'a' ? "ALWAYS" : "BY DEFAULT"));
          if (auto s = cat.sequence(c.identity_seq)) {
            rows.set(r, "identity_start", std::to_string(s->start));
            rows.set(r, "identity_increment", std::to_string(s->increment));
            rows.set(r, "identity_maximum", std::to_string(s->max));
            rows.set(r, "identity_minimum", std::to_string(s->min));
            rows.set(r, "identity_cycle", yes_no(s->cycle));
          }
        } else {
          rows.set(r, "identity_cycle", "NO");
        }
        rows.set(r, "is_generated", c.generated ? "ALWAYS" : "NEVER");
        if (c.generated) rows.set(r, "generation_expression", deparse_stored(cat, *t, c.default_expr, false));
        rows.set(r, "is_updatable", !t->is_view() || writes.column(i) ? "YES" : "NO");
      }
    }
  } else if (n == "table_constraints" || n == "key_column_usage" || n == "constraint_column_usage" ||
             n == "check_constraints" || n == "referential_constraints") {
    for (const auto& entry : cat.tables()) {
      uint32_t id = entry.first;
      const auto& t = entry.second;  // not a structured binding: the lambda below captures it
      auto common = [&](Row& r, const std::string& cname) {
        rows.set(r, "constraint_catalog", name(database));
        rows.set(r, "constraint_schema", name(t->schema));
        rows.set(r, "constraint_name", name(cname));
        if (n != "check_constraints" && n != "referential_constraints") {
          rows.set(r, "table_catalog", name(database));
          rows.set(r, "table_schema", name(t->schema));
          rows.set(r, "table_name", name(t->name));
        }
      };
      for (const auto& fk : t->foreign_keys) {
        auto parent = cat.table(fk.ref_table);
        auto ref_index = cat.index(fk.ref_index);
        if (!parent || !ref_index || n == "check_constraints") continue;
        if (n == "table_constraints") {
          Row& r = rows.add();
          common(r, fk.name);
          rows.set(r, "constraint_type", "FOREIGN KEY");
          rows.set(r, "is_deferrable", fk.deferrable ? "YES" : "NO");
          rows.set(r, "initially_deferred", fk.deferred ? "YES" : "NO");
          rows.set(r, "enforced", "YES");
        } else if (n == "referential_constraints") {
          Row& r = rows.add();
          common(r, fk.name);
          rows.set(r, "unique_constraint_catalog", name(database));
          rows.set(r, "unique_constraint_schema", name(parent->schema));
          rows.set(r, "unique_constraint_name", name(ref_index->name));
          auto rule = [](char a) {
            return std::string(a == 'c' ? "CASCADE" : a == 'n' ? "SET NULL" : a == 'd' ? "SET DEFAULT" : a == 'r' ? "RESTRICT" : "NO ACTION");
          };
          rows.set(r, "match_option", std::string(fk.match == 'f' ? "FULL" : "NONE"));
          rows.set(r, "update_rule", rule(fk.on_update));
          rows.set(r, "delete_rule", rule(fk.on_delete));
        } else if (n == "key_column_usage") {
          for (size_t k = 0; k < fk.columns.size(); ++k) {
            Row& r = rows.add();
            common(r, fk.name);
            rows.set(r, "column_name", name(t->columns[static_cast<size_t>(t->column_index_by_id(fk.columns[k]))].name));
            rows.set(r, "ordinal_position", int64_t(k + 1));
            auto pos = std::ranges::find(ref_index->columns, fk.ref_columns[k]) - ref_index->columns.begin();
            rows.set(r, "position_in_unique_constraint", int64_t(pos + 1));
          }
        } else {  // constraint_column_usage: the referenced columns
          for (uint32_t c : fk.ref_columns) {
            Row& r = rows.add();
            common(r, fk.name);
            rows.set(r, "table_schema", name(parent->schema));
            rows.set(r, "table_name", name(parent->name));
            rows.set(r, "column_name", name(parent->columns[static_cast<size_t>(parent->column_index_by_id(c))].name));
          }
        }
      }
      if (n == "referential_constraints") continue;
      for (uint32_t ixid : t->indexes) {
        auto ix = cat.index(ixid);
        if (!ix || !ix->is_constraint || n == "check_constraints") continue;
        if (n == "table_constraints") {
          Row& r = rows.add();
          common(r, ix->name);
          rows.set(r, "constraint_type", std::string(ix->primary ? "PRIMARY KEY" : "UNIQUE"));
          rows.set(r, "is_deferrable", ix->deferrable ? "YES" : "NO");
          rows.set(r, "initially_deferred", ix->deferred ? "YES" : "NO");
          rows.set(r, "enforced", "YES");
          if (!ix->primary)
            rows.set(r, "nulls_distinct", ix->nulls_not_distinct ? "NO" : "YES");  // NULL for a primary key
        } else {
          for (size_t k = 0; k < ix->columns.size(); ++k) {
            Row& r = rows.add();
            common(r, ix->name);
            int col = t->column_index_by_id(ix->columns[k]);
            rows.set(r, "column_name", name(t->columns[static_cast<size_t>(col)].name));
            if (n == "key_column_usage") rows.set(r, "ordinal_position", int64_t(k + 1));
          }
        }
      }
      for (size_t k = 0; k < t->checks.size(); ++k) {
        if (n == "table_constraints") {
          Row& r = rows.add();
          common(r, t->checks[k].name);
          rows.set(r, "constraint_type", "CHECK");
          rows.set(r, "is_deferrable", "NO");
          rows.set(r, "initially_deferred", "NO");
          rows.set(r, "enforced", "YES");
        } else if (n == "check_constraints") {
          Row& r = rows.add();
          common(r, t->checks[k].name);
          rows.set(r, "check_clause", deparse_stored(cat, *t, t->checks[k].expr, false));
        }
      }
      // NOT NULL columns are CHECK constraints in information_schema ("<ns>_<rel>_<attnum>_not_null").
      for (size_t i = 0; i < t->columns.size(); ++i) {
        if (!t->columns[i].not_null || (n != "table_constraints" && n != "check_constraints")) continue;
        Row& r = rows.add();
        common(r, fmt::format("{}_{}_{}_not_null", cat.schema_oid(t->schema), id, i + 1));
        if (n == "table_constraints") {
          rows.set(r, "constraint_type", "CHECK");
          rows.set(r, "is_deferrable", "NO");
          rows.set(r, "initially_deferred", "NO");
          rows.set(r, "enforced", "YES");
        } else {
          rows.set(r, "check_clause", fmt::format("{} IS NOT NULL", t->columns[i].name));
        }
      }
    }
  } else if (n == "sequences") {
    for (const auto& [id, s] : cat.sequences()) {
      // Not the sequences behind identity columns (PostgreSQL leaves them out too).
      auto owner = s->owner_table ? cat.table(s->owner_table) : nullptr;
      int col = owner ? owner->column_index_by_id(s->owner_column) : -1;
      if (col >= 0 && owner->columns[static_cast<size_t>(col)].identity) continue;
      Row& r = rows.add();
      rows.set(r, "sequence_catalog", name(database));
      rows.set(r, "sequence_schema", name(s->schema));
      rows.set(r, "sequence_name", name(s->name));
      rows.set(r, "data_type", std::string(types::info(s->type).sql_name));
      rows.set(r, "numeric_precision", int64_t{s->type == oid::kInt2 ? 16 : s->type == oid::kInt4 ? 32 : 64});
      rows.set(r, "numeric_precision_radix", int64_t{2});
      rows.set(r, "numeric_scale", int64_t{0});
      rows.set(r, "start_value", std::to_string(s->start));
      rows.set(r, "minimum_value", std::to_string(s->min));
      rows.set(r, "maximum_value", std::to_string(s->max));
      rows.set(r, "increment", std::to_string(s->increment));
      rows.set(r, "cycle_option", yes_no(s->cycle));
    }
  } else if (n == "character_sets") {
    Row& r = rows.add();
    rows.set(r, "character_set_name", name("UTF8"));
    rows.set(r, "character_repertoire", name("UCS"));
    rows.set(r, "form_of_use", name("UTF8"));
    rows.set(r, "default_collate_catalog", name(database));
  }
  return rows.take();
}

}  // namespace heliosdb::engine

namespace heliosdb::engine {

std::shared_ptr<const catalog::Catalog> SessionImpl::names_catalog() const {
  if (changed_catalog_) return changed_catalog_;
  if (txn_catalog_) return txn_catalog_;
  return db_->catalog();
}

namespace {

// "schema.name", "name", "\"Mixed\".x": the parts of a possibly qualified, possibly quoted name.
std::pair<std::string, std::string> split_qualified(std::string_view text) {
  std::vector<std::string> parts(1);
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        parts.back().push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        parts.back().push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == '.') {
      parts.emplace_back();
    } else if (c != ' ') {
      parts.back().push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  if (parts.size() == 1) return {"", parts[0]};
  return {parts[parts.size() - 2], parts.back()};
}

}  // namespace

std::optional<std::string> SessionImpl::Names::name(uint32_t type, uint32_t oid) const {
  auto cat = session_.names_catalog();
  auto qualified = [&](const std::string& schema, const std::string& n) {
    // Visible: the first of its name along the search path (the temporary schema first).
    bool visible = schema == "pg_catalog" || (!session_.temp_schema_.empty() && schema == session_.temp_schema_);
    if (!visible && !(!session_.temp_schema_.empty() && cat->relation_exists(session_.temp_schema_, n))) {
      for (const auto& p : catalog::search_path(session_.setting("search_path"), session_.setting("session_authorization"), cat.get())) {
        if (p == schema) visible = true;
        if (p == schema || cat->relation_exists(p, n)) break;
      }
    }
    return visible ? sql::quote_ident(n) : sql::quote_ident(schema) + "." + sql::quote_ident(n);
  };
  switch (type) {
    case oid::kRegclass:
      if (auto t = cat->table(oid)) return qualified(t->schema, t->name);
      if (auto i = cat->index(oid)) {
        auto t = cat->table(i->table_id);
        return qualified(t ? t->schema : "public", i->name);
      }
      if (auto s = cat->sequence(oid)) return qualified(s->schema, s->name);
      if (auto v = catalog::find_system_view(oid)) return qualified(v->schema, v->name);
      return std::nullopt;
    case oid::kRegtype:
      if (std::string n = type_name(oid); !n.empty()) return n;
      if (auto t = cat->type(oid)) return type_name(t->id) + "[]";
      if (auto [table_id, is_array] = catalog::decode_row_type_oid(oid); table_id)
        if (auto t = cat->table(table_id)) return qualified(t->schema, t->name) + (is_array ? "[]" : "");
      return std::nullopt;
    case oid::kRegproc:
    case oid::kRegprocedure: {
      // regprocedure adds the argument types: "f(integer,text)".
      auto with_args = [&](std::string n, const std::vector<uint32_t>& args) {
        if (type == oid::kRegproc) return n;
        n += '(';
        for (size_t i = 0; i < args.size(); ++i)
          n += (i ? "," : "") + (types::find(args[i]) ? types::format_type(args[i], -1)
                                                      : name(oid::kRegtype, args[i]).value_or(std::to_string(args[i])));
        return n + ')';
      };
      if (const auto* p = catalog::find_proc(oid)) return with_args(p->name, p->args);
      if (auto f = cat->function(oid)) {
        auto first = cat->functions("", f->name);  // visible: the first of its name along the search path
        bool visible = !first.empty() && first[0]->schema == f->schema;
        return with_args(visible ? sql::quote_ident(f->name) : sql::quote_ident(f->schema) + "." + sql::quote_ident(f->name),
                         f->arg_types);
      }
      return std::nullopt;
    }
    case oid::kRegnamespace: {
      std::string n = cat->schema_name(oid);
      if (n.empty()) return std::nullopt;
      return sql::quote_ident(n);
    }
    case oid::kRegrole:
      if (const auto* r = session_.roles().find(oid)) return sql::quote_ident(r->name);
      return std::nullopt;
    default: return std::nullopt;
  }
}

const catalog::Catalog* SessionImpl::Names::current() const {
  const catalog::Catalog* cat = session_.changed_catalog_ ? session_.changed_catalog_.get() : session_.txn_catalog_.get();
  if (!cat) {
    outside_txn_ = session_.db_->catalog();
    cat = outside_txn_.get();
  }
  return cat;
}

const types::EnumType* SessionImpl::Names::enum_type(uint32_t oid) const {
  auto t = current()->type(oid);
  return t ? t->enum_type.get() : nullptr;
}

const types::CompositeType* SessionImpl::Names::composite_type(uint32_t oid) const {
  const catalog::Catalog* cat = current();
  auto [table_id, is_array] = catalog::decode_row_type_oid(oid);
  if (!table_id) {
    auto t = cat->type(oid);
    return t ? t->composite.get() : nullptr;
  }
  auto table = cat->table(table_id);
  if (!table) return nullptr;
  auto& slot = row_types_[table_id];
  if (slot.first != table) {
    if (slot.second) retired_row_types_.push_back(std::move(slot.second));
    types::CompositeType c;
    c.oid = catalog::row_type_oid(table_id);
    c.array_oid = catalog::row_array_type_oid(table_id);
    c.relid = table_id;
    c.schema = table->schema;
    c.name = table->name;
    for (const auto& col : table->columns) {
      c.shape.names.push_back(col.name);
      c.shape.types.push_back(col.type);
      c.shape.typmods.push_back(col.typmod);
      if (col.domain) {
        c.domains.resize(c.shape.size());
        c.domains.back() = col.domain;
      }
    }
    slot = {table, types::make_composite(std::move(c))};
  }
  return slot.second.get();
}

void SessionImpl::Names::check_domain(uint32_t domain, const Value& v) const {
  const catalog::Catalog* cat = current();
  auto d = cat->type(domain);
  if (!d || d->kind != 'd') return;
  auto& slot = domain_checks_[domain];
  if (slot.first != d) {
    planner::Binder binder(*cat, "", {}, &session_.text_context());
    slot = {d, binder.domain_check(std::make_unique<exec::ColumnExpr>(0, d->base_type, d->base_typmod), domain)};
  }
  exec::ExecContext ctx = session_.make_context(nullptr);
  slot.second->eval(Row{v}, ctx);
}

std::string SessionImpl::Names::type_name(uint32_t oid) const {
  if (auto [table_id, is_array] = catalog::decode_row_type_oid(oid); table_id)
    return name(oid::kRegclass, table_id).value_or("");
  // The row types of the system relations, named as the relations are.
  if (const auto* v = catalog::find_system_row_type(oid))
    return name(oid::kRegclass, v->oid).value_or("") + (oid == v->row_array_type ? "[]" : "");
  if (const char* n = catalog::unimplemented_type_name(oid)) return n;
  auto cat = session_.names_catalog();
  if (const auto* d = catalog::find_system_domain(oid)) {  // information_schema's: visible when on the path
    bool visible = false;
    for (const auto& p : catalog::search_path(session_.setting("search_path"), session_.setting("session_authorization"), cat.get()))
      if (p == d->schema || cat->type(p, d->name)) {
        visible = p == d->schema;
        break;
      }
    return (visible ? sql::quote_ident(d->name) : sql::quote_ident(d->schema) + "." + sql::quote_ident(d->name)) +
           (oid == d->array_oid ? "[]" : "");
  }
  auto t = cat->type(oid);
  if (!t || t->id != oid) return "";
  // Visible: the first type of its name along the search path.
  for (const auto& p : catalog::search_path(session_.setting("search_path"), session_.setting("session_authorization"), cat.get()))
    if (auto first = cat->type(p, t->name)) {
      if (first->id == oid) return sql::quote_ident(t->name);
      break;
    }
  return sql::quote_ident(t->schema) + "." + sql::quote_ident(t->name);
}

uint32_t SessionImpl::Names::lookup(uint32_t type, std::string_view text) const {
  auto cat = session_.names_catalog();
  if (size_t paren = text.find('('); type == oid::kRegprocedure && paren != std::string_view::npos) {
    // regprocedurein: "f(integer, text)", the function of that name with those argument types.
    std::string_view inside = text.substr(paren + 1);
    size_t close = inside.rfind(')');
    if (close == std::string_view::npos) raise(sqlstate::kInvalidTextRepresentation, "expected a right parenthesis");
    inside = inside.substr(0, close);
    std::vector<uint32_t> args;
    int depth = 0;
    size_t start = 0;
    for (size_t i = 0; i <= inside.size(); ++i) {
      if (i < inside.size() && inside[i] == '(') ++depth;
      if (i < inside.size() && inside[i] == ')') --depth;
      if (i == inside.size() || (inside[i] == ',' && depth == 0)) {
        std::string_view arg = inside.substr(start, i - start);
        while (!arg.empty() && arg.front() == ' ') arg.remove_prefix(1);
        while (!arg.empty() && arg.back() == ' ') arg.remove_suffix(1);
        if (!arg.empty() || i < inside.size()) args.push_back(types::parse_type_name(arg, this));
        start = i + 1;
      }
    }
    auto [schema, n] = split_qualified(text.substr(0, paren));
    if (schema != "pg_catalog")
      for (const auto& f : cat->functions(schema, n))
        if (f->arg_types == args) return f->id;
    if (schema.empty() || schema == "pg_catalog")
      for (const auto& p : catalog::catalog_procs())
        if (p.name == n && p.args == args) return p.oid;
    raise(sqlstate::kUndefinedFunction, "function \"{}\" does not exist", text);
  }
  auto [schema, n] = split_qualified(text);
  switch (type) {
    case oid::kRegclass: {
      if (auto t = cat->table(schema, n)) return t->id;
      if (auto i = cat->index(schema, n)) return i->id;
      if (auto s = cat->sequence(schema, n)) return s->id;
      if (schema.empty() || schema == "pg_catalog" || schema == "information_schema")
        if (auto v = catalog::find_system_view(schema, n)) return v->oid;
      raise(sqlstate::kUndefinedTable, "relation \"{}\" does not exist", text);
    }
    case oid::kRegnamespace:
      if (uint32_t o = cat->schema_oid(n)) return o;
      raise(sqlstate::kUndefinedSchema, "schema \"{}\" does not exist", text);
    case oid::kRegrole:
      if (const auto* r = session_.roles().find(n)) return r->oid;
      raise(sqlstate::kUndefinedObject, "role \"{}\" does not exist", text);
    case oid::kRegtype:
      if (schema.empty() || schema != "pg_catalog")
        if (auto t = cat->type(schema, n)) return t->id;
      if (schema.empty() || schema == "pg_catalog" || schema == "information_schema") {
        if (auto v = catalog::find_system_view(schema, n)) return v->row_type;
        auto path = catalog::search_path(session_.setting("search_path"), session_.setting("session_authorization"), cat.get());
        for (const auto& d : catalog::system_domains())
          if (d.name == n && (schema.empty() ? std::ranges::count(path, d.schema) > 0 : schema == d.schema)) return d.oid;
      }
      raise(sqlstate::kUndefinedObject, "type \"{}\" does not exist", text);
    default:
      if (type == oid::kRegproc && schema != "pg_catalog") {  // a function of CREATE FUNCTION, if its name is one's
        auto fns = cat->functions(schema, n);
        if (fns.size() > 1) raise(sqlstate::kAmbiguousFunction, "more than one function named \"{}\"", text);
        if (fns.size() == 1) return fns[0]->id;
      }
      if (schema.empty() || schema == "pg_catalog")
        if (const auto* p = catalog::find_proc(n)) return p->oid;
      raise(sqlstate::kUndefinedFunction, "function \"{}\" does not exist", text);
  }
}

uint32_t SessionImpl::stored_type(const catalog::Catalog& cat, const catalog::TableDef& table, const std::string& expr) {
  planner::Binder binder(cat, "", {}, &text_);
  return binder.bind_stored(expr, &table)->type;
}

std::string SessionImpl::deparse_stored(const catalog::Catalog& cat, const catalog::TableDef& table, const std::string& expr,
                                        bool pretty) {
  planner::Binder binder(cat, "", {}, &text_);
  binder.set_folding(false);
  auto e = binder.bind_stored(expr, &table);
  // A column default is kept as written; PostgreSQL shows an untyped literal in it typed as the
  // column ('x'::text), and hides the conversion of anything else to the column's type.
  if (e->type == oid::kUnknownType)
    for (const auto& c : table.columns)
      if (c.default_expr == expr) {
        e = binder.coerce(std::move(e), c.type, -1, true);
        break;
      }
  std::vector<std::string> cols;
  for (const auto& c : table.columns) cols.push_back(c.name);
  return planner::deparse(*e, cols, text_, pretty);
}

std::string SessionImpl::index_key_text(const catalog::Catalog& cat, const catalog::TableDef& t, const catalog::IndexDef& index,
                                        size_t k, bool pretty) {
  if (index.columns[k]) {
    int c = t.column_index_by_id(index.columns[k]);
    return c >= 0 ? sql::quote_ident(t.columns[static_cast<size_t>(c)].name) : "?";
  }
  // An expression: a function call as it is, anything else in parentheses (as ruleutils prints).
  std::string e = deparse_stored(cat, t, index.exprs[k], pretty);
  return index.exprs[k].starts_with("{\"FuncCall\"") ? e : "(" + e + ")";
}

std::string SessionImpl::index_definition(const catalog::Catalog& cat, const catalog::IndexDef& index, bool pretty) {
  auto t = cat.table(index.table_id);
  std::string cols;
  for (size_t i = 0; i < index.columns.size(); ++i) {
    cols += (i ? ", " : "") + (t ? index_key_text(cat, *t, index, i, pretty) : "?");
    int16_t o = i < index.options.size() ? index.options[i] : 0;
    if (o & catalog::kIndexDesc) cols += (o & catalog::kIndexNullsFirst) ? " DESC" : " DESC NULLS LAST";
    else if (o & catalog::kIndexNullsFirst) cols += " NULLS FIRST";
  }
  // Pretty output names the table as the search path sees it; plain output always qualifies it.
  std::string table = pretty ? names_.name(oid::kRegclass, index.table_id).value_or("?")
                             : sql::quote_ident(t ? t->schema : "public") + "." + sql::quote_ident(t ? t->name : "?");
  std::string where;
  if (t && !index.predicate.empty()) {
    std::string p = deparse_stored(cat, *t, index.predicate, pretty);
    where = " WHERE " + (p.starts_with("(") ? p : "(" + p + ")");
  }
  return fmt::format("CREATE {}INDEX {} ON {} USING btree ({}){}{}", index.unique || index.primary ? "UNIQUE " : "",
                     sql::quote_ident(index.name), table, cols, index.nulls_not_distinct ? " NULLS NOT DISTINCT" : "",
                     where);
}

// A partition's bounds as PostgreSQL prints them: FOR VALUES IN (...) / FROM (...) TO (...) /
// DEFAULT, the values as constants of the key's types (pg_class.relpartbound holds this text).
std::string SessionImpl::partition_bound_text(const catalog::Catalog& cat, const catalog::TableDef& t) {
  planner::Binder binder(cat, "", {}, &text_);
  exec::PartitionBound b = binder.partition_bound(t, t);
  auto constant = [&](const Value& v) -> std::string {
    if (v.is_null()) return "NULL";
    std::string text = types::format_text(v, text_);
    if (types::is_numeric_family(v.type())) return text;
    if (v.type() == oid::kBool) return v.as_bool() ? "true" : "false";
    return planner::quote_literal(text);
  };
  auto range = [&](const std::vector<int>& kinds, const std::vector<Value>& values) {
    std::string out;
    for (size_t i = 0; i < kinds.size(); ++i)
      out += (i ? ", " : "") + (kinds[i] < 0 ? std::string("MINVALUE") : kinds[i] > 0 ? std::string("MAXVALUE") : constant(values[i]));
    return out;
  };
  if (b.strategy == 'h') return fmt::format("FOR VALUES WITH (modulus {}, remainder {})", b.modulus, b.remainder);
  if (b.strategy == 'r') return "FOR VALUES FROM (" + range(b.lower_kind, b.lower) + ") TO (" + range(b.upper_kind, b.upper) + ")";
  if (b.strategy == 'l') {
    std::string out;
    for (const auto& v : b.values) out += (out.empty() ? "" : ", ") + constant(v);
    if (b.accepts_null) out += out.empty() ? "NULL" : ", NULL";
    return "FOR VALUES IN (" + out + ")";
  }
  return "DEFAULT";
}

std::string SessionImpl::get_expr(const std::string& node_tree, uint32_t relid, bool pretty) {
  // pg_class.relpartbound is kept as the text it prints as.
  if (node_tree.starts_with("FOR VALUES") || node_tree == "DEFAULT") return node_tree;
  auto cat = names_catalog();
  auto t = cat->table(relid);
  if (!t) {
    catalog::TableDef none;
    return deparse_stored(*cat, none, node_tree, pretty);
  }
  return deparse_stored(*cat, *t, node_tree, pretty);
}

std::optional<std::string> SessionImpl::get_indexdef(uint32_t index_oid, int column, bool pretty) {
  auto cat = names_catalog();
  auto ix = cat->index(index_oid);
  if (!ix) return std::nullopt;
  if (column <= 0) return index_definition(*cat, *ix, pretty);
  auto t = cat->table(ix->table_id);
  if (!t || static_cast<size_t>(column) > ix->columns.size()) return std::string();
  return index_key_text(*cat, *t, *ix, static_cast<size_t>(column - 1), pretty);
}

std::optional<std::string> SessionImpl::get_constraintdef(uint32_t oid, bool pretty) {
  auto cat = names_catalog();
  if (auto ix = cat->index(oid); ix && ix->is_constraint) {
    auto t = cat->table(ix->table_id);
    if (!t) return std::nullopt;
    std::string cols;
    for (size_t i = 0; i < ix->columns.size(); ++i)
      cols += (i ? ", " : "") + sql::quote_ident(t->columns[static_cast<size_t>(t->column_index_by_id(ix->columns[i]))].name);
    const char* kind = ix->primary ? "PRIMARY KEY" : ix->nulls_not_distinct ? "UNIQUE NULLS NOT DISTINCT" : "UNIQUE";
    return fmt::format("{} ({}){}{}", kind, cols, ix->deferrable ? " DEFERRABLE" : "",
                       ix->deferred ? " INITIALLY DEFERRED" : "");
  }
  if (auto [fk_table, fk_k] = catalog::decode_foreign_key_oid(oid); fk_table) {
    auto t = cat->table(fk_table);
    if (!t || fk_k >= t->foreign_keys.size()) return std::nullopt;
    const auto& fk = t->foreign_keys[fk_k];
    auto parent = cat->table(fk.ref_table);
    if (!parent) return std::nullopt;
    auto list = [](const catalog::TableDef& tab, const std::vector<uint32_t>& ids) {
      std::string out;
      for (uint32_t id : ids) out += (out.empty() ? "" : ", ") + sql::quote_ident(tab.columns[static_cast<size_t>(tab.column_index_by_id(id))].name);
      return out;
    };
    auto action = [](char a) {
      return a == 'c' ? "CASCADE" : a == 'n' ? "SET NULL" : a == 'd' ? "SET DEFAULT" : a == 'r' ? "RESTRICT" : "";
    };
    std::string def = fmt::format("FOREIGN KEY ({}) REFERENCES {}({})", list(*t, fk.columns),
                                  names_.name(oid::kRegclass, parent->id).value_or(parent->name), list(*parent, fk.ref_columns));
    if (fk.match == 'f') def += " MATCH FULL";
    if (fk.on_update != 'a') def += std::string(" ON UPDATE ") + action(fk.on_update);
    if (fk.on_delete != 'a') def += std::string(" ON DELETE ") + action(fk.on_delete);
    if (fk.deferrable) def += " DEFERRABLE";
    if (fk.deferred) def += " INITIALLY DEFERRED";
    if (!fk.validated) def += " NOT VALID";
    return def;
  }
  auto [table_id, k] = catalog::decode_check_constraint_oid(oid);
  if (auto d = table_id ? cat->type(table_id) : nullptr; d && d->id == table_id) {
    // A domain's CHECK: VALUE is its one column.
    if (k >= d->checks.size()) return std::nullopt;
    catalog::TableDef value;
    value.columns.push_back(catalog::ColumnDef{.name = "value", .type = d->base_type, .typmod = d->base_typmod});
    planner::Binder binder(*cat, "", {}, &text_);
    binder.set_folding(false);
    auto e = binder.bind_stored(d->checks[k].expr, &value);
    return "CHECK (" + planner::deparse(*e, {"\x01VALUE"}, text_, pretty) + ")" + (d->checks[k].validated ? "" : " NOT VALID");
  }
  auto t = table_id ? cat->table(table_id) : nullptr;
  if (!t || k >= t->checks.size()) return std::nullopt;
  std::string e = deparse_stored(*cat, *t, t->checks[k].expr, pretty);
  return "CHECK (" + e + ")" + (t->checks[k].validated ? "" : " NOT VALID");
}

// pg_get_triggerdef: CREATE TRIGGER as it would make the trigger again.
std::string SessionImpl::trigger_definition(const catalog::Catalog& cat, const catalog::TableDef& t,
                                            const catalog::TriggerDef& g, bool pretty) {
  std::string events;
  auto add = [&](const std::string& e) { events += (events.empty() ? "" : " OR ") + e; };
  if (g.events & catalog::kTriggerInsert) add("INSERT");
  if (g.events & catalog::kTriggerDelete) add("DELETE");
  if (g.events & catalog::kTriggerUpdate) {
    std::string cols;
    for (uint32_t c : g.columns) {
      int i = t.column_index_by_id(c);
      if (i >= 0) cols += (cols.empty() ? "" : ", ") + sql::quote_ident(t.columns[static_cast<size_t>(i)].name);
    }
    add(cols.empty() ? "UPDATE" : "UPDATE OF " + cols);
  }
  std::string table = sql::quote_ident(t.name);
  bool visible = false;
  if (pretty)
    for (const auto& p : catalog::search_path(setting("search_path"), setting("session_authorization"), &cat))
      if (cat.table(p, t.name)) {
        visible = p == t.schema;
        break;
      }
  if (!visible) table = sql::quote_ident(t.schema) + "." + table;
  std::string def = fmt::format("CREATE TRIGGER {} {} {} ON {} FOR EACH {}", sql::quote_ident(g.name), g.before ? "BEFORE" : "AFTER",
                                events, table, g.row ? "ROW" : "STATEMENT");
  if (!g.when.empty()) {
    // NEW and OLD as two relations of the table's columns.
    planner::Scope scope;
    std::vector<std::string> names;
    for (const char* rec : {"new", "old"})
      for (const auto& c : t.columns) {
        scope.columns.push_back({rec, c.name, c.type, c.typmod, 0, 0});
        names.push_back(std::string("\x01") + rec + "." + sql::quote_ident(c.name));
      }
    planner::Binder binder(cat, "", {}, &text_);
    binder.set_folding(false);
    auto e = binder.bind_expr(boost::json::parse(g.when), scope);
    std::string cond = planner::deparse(*e, names, text_, pretty);
    def += pretty ? " WHEN (" + cond + ")" : " WHEN ((" + cond + "))";
  }
  auto fn = cat.function(g.function);
  std::string args;
  for (const auto& a : g.args) {
    std::string q = "'";
    for (char c : a) q += c == '\'' ? std::string("''") : std::string(1, c);
    args += (args.empty() ? "" : ", ") + q + "'";
  }
  def += fmt::format(" EXECUTE FUNCTION {}({})", fn ? sql::quote_ident(fn->name) : std::string("???"), args);
  return def;
}

std::optional<std::string> SessionImpl::get_triggerdef(uint32_t oid, bool pretty) {
  auto cat = names_catalog();
  for (const auto& [id, t] : cat->tables())
    for (const auto& g : t->triggers)
      if (g.id == oid) return trigger_definition(*cat, *t, g, pretty);
  return std::nullopt;
}

std::optional<std::string> SessionImpl::get_function_arguments(uint32_t oid, bool result) {
  auto cat = names_catalog();
  auto f = cat->function(oid);
  if (!f) return std::nullopt;
  if (result && f->returns_set && !f->table_columns.empty()) {
    std::string cols;
    for (const auto& [n, t] : f->table_columns) cols += (cols.empty() ? "" : ", ") + sql::quote_ident(n) + " " + types::format_type(t, -1);
    return "TABLE(" + cols + ")";
  }
  if (result) return (f->returns_set ? "SETOF " : "") + types::format_type(f->ret_type, -1);
  std::string out;
  for (size_t i = 0; i < f->arg_types.size(); ++i) {
    out += i ? ", " : "";
    if (!f->arg_names[i].empty()) out += sql::quote_ident(f->arg_names[i]) + " ";
    out += types::format_type(f->arg_types[i], -1);
  }
  return out;
}

}  // namespace heliosdb::engine
