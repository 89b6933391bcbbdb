// CREATE TYPE ... AS ENUM, ALTER TYPE (ADD VALUE, RENAME VALUE, RENAME TO), CREATE / ALTER
// DOMAIN, DROP TYPE / DOMAIN, COMMENT ON TYPE / DOMAIN.
#include <boost/json.hpp>

#include "catalog/system_views.h"
#include "common/errors.h"
#include "common/key_codec.h"
#include "engine/ddl.h"
#include "executor/table_access.h"
#include "storage/transaction.h"
#include "engine/session_impl.h"
#include "planner/binder.h"
#include "sql/parser.h"

namespace heliosdb::engine {

namespace json = boost::json;
using namespace ddl;
using sql::field;
using sql::list_field;
using sql::node_body;
using sql::node_type;
using sql::str_field;
using sql::string_node;

namespace {

constexpr size_t kMaxLabel = 63;  // NAMEDATALEN - 1

void check_label(const std::string& label) {
  if (label.empty() || label.size() > kMaxLabel)
    throw Error(sqlstate::kInvalidParameterValue, fmt::format("invalid enum label \"{}\"", label))
        .with_detail("Labels must be 63 bytes or less.");
}

// The names of a type as written: ["name"] or ["schema", "name"].
std::pair<std::string, std::string> type_name_parts(const json::array& names) {
  if (names.size() > 2) unsupported("cross-database references");
  std::string name(string_node(names.back()));
  return {names.size() == 2 ? std::string(string_node(names[0])) : "", name};
}

std::string written(const std::pair<std::string, std::string>& n) {
  return n.first.empty() ? n.second : n.first + "." + n.second;
}

}  // namespace

std::shared_ptr<const catalog::TypeDef> DdlExecutor::find_type(const json::array& names, bool domain, bool missing_ok,
                                                               ResultSink* sink) {
  auto parts = type_name_parts(names);
  catalog::Catalog& cat = s_.writable_catalog();
  if (!parts.first.empty()) catalog::check_schema(parts.first, &cat);
  auto t = cat.type(parts.first, parts.second);
  if (!t) {
    if (!missing_ok) raise(sqlstate::kUndefinedObject, "type \"{}\" does not exist", written(parts));
    if (sink) send_notice(*sink, sqlstate::kSuccessfulCompletion, fmt::format("type \"{}\" does not exist, skipping", written(parts)));
    return nullptr;
  }
  if (domain && t->kind != 'd') raise(sqlstate::kWrongObjectType, "\"{}\" is not a domain", written(parts));
  return t;
}

// Where CREATE TYPE / DOMAIN puts the type, and that its name is free there.
std::pair<std::string, std::string> DdlExecutor::new_type_name(const json::array& names) {
  auto [schema, name] = type_name_parts(names);
  catalog::Catalog& cat = s_.writable_catalog();
  if (schema.empty()) schema = cat.creation_schema();
  if (schema.empty()) raise(sqlstate::kInvalidSchemaName, "no schema has been selected to create in");
  catalog::check_schema(schema, &cat);
  if (cat.schema_oid(schema)) s_.check_schema_privilege(schema, catalog::kCreate);
  // A table's row type has the table's name, so a relation name is taken too.
  if (cat.type(schema, name) || cat.table(schema, name))
    raise(sqlstate::kDuplicateObject, "type \"{}\" already exists", name);
  if (name.size() > kMaxLabel) name.resize(kMaxLabel);
  return {schema, name};
}

void DdlExecutor::create_enum(const json::object& n, ResultSink& sink) {
  auto [schema, name] = new_type_name(list_field(n, "typeName"));
  catalog::Catalog& cat = s_.writable_catalog();
  storage::Transaction& txn = *s_.txn_;
  catalog::TypeDef t;
  t.array_id = cat.allocate_id(txn);  // PostgreSQL takes the array type's OID first
  t.id = cat.allocate_id(txn);
  t.schema = schema;
  t.name = name;
  t.kind = 'e';
  t.access.owner = s_.current_role_oid();
  types::EnumType e;
  e.oid = t.id;
  e.array_oid = t.array_id;
  e.schema = schema;
  e.name = name;
  for (const auto& v : list_field(n, "vals")) {
    std::string label(string_node(v));
    check_label(label);
    if (e.label_index(label) >= 0)
      throw Error(sqlstate::kUniqueViolation,
                  "duplicate key value violates unique constraint \"pg_enum_typid_label_index\"")
          .with_detail(fmt::format("Key (enumtypid, enumlabel)=({}, {}) already exists.", t.id, label))
          .with_table("pg_catalog", "pg_enum")
          .with_constraint("pg_enum_typid_label_index");
    e.labels.push_back(label);
    e.sortorders.push_back(static_cast<float>(e.labels.size()));
    e.label_oids.push_back(cat.allocate_id(txn));
  }
  t.enum_type = types::make_enum(std::move(e));
  cat.put_type(txn, std::move(t));
  sink.complete("CREATE TYPE", 0);
}

// CREATE TYPE name AS (attribute type, ...): a composite type.
void DdlExecutor::create_composite(const json::object& n, ResultSink& sink) {
  const auto& rv = field(n, "typevar")->as_object();
  json::array names;
  if (!str_field(rv, "schemaname").empty()) names.push_back(json::object{{"String", json::object{{"sval", str_field(rv, "schemaname")}}}});
  names.push_back(json::object{{"String", json::object{{"sval", str_field(rv, "relname")}}}});
  auto [schema, name] = new_type_name(names);
  catalog::Catalog& cat = s_.writable_catalog();
  storage::Transaction& txn = *s_.txn_;
  planner::Binder binder(cat, sql_, {}, &s_.text_context());
  catalog::TypeDef t;
  t.array_id = cat.allocate_id(txn);
  t.id = cat.allocate_id(txn);
  t.schema = schema;
  t.name = name;
  t.kind = 'c';
  t.access.owner = s_.current_role_oid();
  types::CompositeType c;
  c.oid = t.id;
  c.array_oid = t.array_id;
  c.relid = t.id;
  c.schema = schema;
  c.name = name;
  for (const auto& d : list_field(n, "coldeflist")) {
    const auto& cd = node_body(d);
    std::string col(str_field(cd, "colname"));
    if (std::ranges::count(c.shape.names, col)) raise(sqlstate::kDuplicateColumn, "column \"{}\" specified more than once", col);
    if (!list_field(cd, "constraints").empty()) raise(sqlstate::kSyntaxError, "constraints are not allowed on the attributes of a composite type");
    uint32_t domain = 0;
    auto [type, typmod] = binder.resolve_type(field(cd, "typeName")->as_object(), &domain);
    ddl::check_column_type(col, type);
    if (domain) {
      c.domains.resize(c.shape.size() + 1);
      c.domains.back() = domain;
    }
    if (type == t.id) raise(sqlstate::kInvalidTableDefinition, "composite type {} cannot be made a member of itself", name);
    c.shape.names.push_back(std::move(col));
    c.shape.types.push_back(type);
    c.shape.typmods.push_back(typmod);
  }
  t.composite = types::make_composite(std::move(c));
  cat.put_type(txn, std::move(t));
  sink.complete("CREATE TYPE", 0);
}

void DdlExecutor::alter_composite(const json::object& n, ResultSink& sink) {
  const auto& rv = field(n, "relation")->as_object();
  catalog::Catalog& cat = s_.writable_catalog();
  std::string schema = schema_of(rv, cat);
  std::string name(str_field(rv, "relname"));
  auto t = cat.type(schema, name);
  if (!t) {
    if (cat.relation_exists(schema, name)) raise(sqlstate::kWrongObjectType, "\"{}\" is not a composite type", name);
    raise(sqlstate::kUndefinedTable, "relation \"{}\" does not exist", name);
  }
  if (t->kind != 'c' || !t->composite) raise(sqlstate::kWrongObjectType, "\"{}\" is not a composite type", name);
  s_.check_owner(t->access, "type", t->name);
  types::CompositeType c = *t->composite;
  c.domains.resize(c.shape.size());
  auto find = [&](const std::string& attr) {
    auto it = std::ranges::find(c.shape.names, attr);
    return it == c.shape.names.end() ? -1 : static_cast<int>(it - c.shape.names.begin());
  };
  if (str_field(n, "renameType") == "OBJECT_ATTRIBUTE") {  // RENAME ATTRIBUTE a TO b: stored values keep their fields
    std::string from(str_field(n, "subname")), to(str_field(n, "newname"));
    int i = find(from);
    if (i < 0) raise(sqlstate::kUndefinedColumn, "column \"{}\" does not exist", from);
    if (find(to) >= 0) raise(sqlstate::kDuplicateColumn, "column \"{}\" of relation \"{}\" already exists", to, t->name);
    c.shape.names[static_cast<size_t>(i)] = to;
  } else {
    // Adding, dropping or retyping attributes would change values stored in tables.
    for (const auto& [tid, table] : cat.tables())
      for (const auto& col : table->columns)
        if (col.type == t->id || (t->array_id && col.type == t->array_id))
          raise(sqlstate::kFeatureNotSupported, "cannot alter type \"{}\" because column \"{}.{}\" uses it", t->name, table->name, col.name);
    planner::Binder binder(cat, sql_, {}, &s_.text_context());
    for (const auto& cmd_node : list_field(n, "cmds")) {
      const auto& cmd = node_body(cmd_node);
      std::string sub(str_field(cmd, "subtype"));
      std::string attr(str_field(cmd, "name"));
      if (sub == "AT_AddColumn") {
        const auto& cd = node_body(*field(cmd, "def"));
        std::string col(str_field(cd, "colname"));
        if (find(col) >= 0) raise(sqlstate::kDuplicateColumn, "column \"{}\" of relation \"{}\" already exists", col, t->name);
        uint32_t domain = 0;
        auto [type, typmod] = binder.resolve_type(field(cd, "typeName")->as_object(), &domain);
        ddl::check_column_type(col, type);
        if (type == t->id) raise(sqlstate::kInvalidTableDefinition, "composite type {} cannot be made a member of itself", t->name);
        c.shape.names.push_back(col);
        c.shape.types.push_back(type);
        c.shape.typmods.push_back(typmod);
        c.domains.push_back(domain);
      } else if (sub == "AT_DropColumn") {
        int i = find(attr);
        if (i < 0) {
          if (!sql::bool_field(cmd, "missing_ok"))
            raise(sqlstate::kUndefinedColumn, "column \"{}\" of relation \"{}\" does not exist", attr, t->name);
          send_notice(sink, sqlstate::kSuccessfulCompletion, fmt::format("column \"{}\" of relation \"{}\" does not exist, skipping", attr, t->name));
          continue;
        }
        auto at = static_cast<size_t>(i);
        c.shape.names.erase(c.shape.names.begin() + i);
        c.shape.types.erase(c.shape.types.begin() + i);
        c.shape.typmods.erase(c.shape.typmods.begin() + i);
        c.domains.erase(c.domains.begin() + static_cast<std::ptrdiff_t>(at));
      } else if (sub == "AT_AlterColumnType") {
        int i = find(attr);
        if (i < 0) raise(sqlstate::kUndefinedColumn, "column \"{}\" of relation \"{}\" does not exist", attr, t->name);
        const auto& cd = node_body(*field(cmd, "def"));
        uint32_t domain = 0;
        auto [type, typmod] = binder.resolve_type(field(cd, "typeName")->as_object(), &domain);
        ddl::check_column_type(attr, type);
        auto at = static_cast<size_t>(i);
        c.shape.types[at] = type;
        c.shape.typmods[at] = typmod;
        c.domains[at] = domain;
      } else {
        unsupported("this form of ALTER TYPE");
      }
    }
  }
  if (std::ranges::all_of(c.domains, [](uint32_t d) { return d == 0; })) c.domains.clear();
  catalog::TypeDef d = *t;
  d.composite = types::make_composite(std::move(c));
  cat.put_type(*s_.txn_, std::move(d));
  sink.complete("ALTER TYPE", 0);
}

void DdlExecutor::alter_type_owner(const json::object& n, ResultSink& sink) {
  std::string kind(str_field(n, "objectType"));
  if (kind != "OBJECT_TYPE" && kind != "OBJECT_DOMAIN")
    unsupported(fmt::format("ALTER {} ... OWNER TO", kind.substr(kind.find('_') + 1)));
  bool domain = kind == "OBJECT_DOMAIN";
  auto t = find_type(list_field(node_body(*field(n, "object")), "items"), domain, false, nullptr);
  if (!domain && t->kind == 'd')
    throw Error(sqlstate::kWrongObjectType, fmt::format("{} is a domain", t->name)).with_hint("Use ALTER DOMAIN instead.");
  catalog::TypeDef d = *t;
  change_owner(d.access, field(n, "newowner")->as_object(), domain ? "domain" : "type", d.name);
  s_.writable_catalog().put_type(*s_.txn_, std::move(d));
  sink.complete(domain ? "ALTER DOMAIN" : "ALTER TYPE", 0);
}

// ALTER TYPE ... ADD VALUE [IF NOT EXISTS] 'x' [BEFORE | AFTER 'y'] / RENAME VALUE 'x' TO 'y'.
void DdlExecutor::alter_enum(const json::object& n, ResultSink& sink) {
  auto t = find_type(list_field(n, "typeName"), false, false, nullptr);
  if (t->kind != 'e') raise(sqlstate::kWrongObjectType, "{} is not an enum", t->name);
  s_.check_owner(t->access, "type", t->name);
  catalog::Catalog& cat = s_.writable_catalog();
  storage::Transaction& txn = *s_.txn_;
  types::EnumType e = *t->enum_type;
  std::string value(str_field(n, "newVal"));
  if (const json::value* old = field(n, "oldVal")) {
    std::string from(old->as_string());
    int at = e.label_index(from);
    if (at < 0) raise(sqlstate::kInvalidParameterValue, "\"{}\" is not an existing enum label", from);
    if (e.label_index(value) >= 0) raise(sqlstate::kDuplicateObject, "enum label \"{}\" already exists", value);
    check_label(value);
    e.labels[static_cast<size_t>(at)] = value;
    // Stored rows keep the label's OID; the value of rows stored before ADD COLUMN is a label.
    for (const auto& [tid, col] : type_users(*t)) {
      catalog::TableDef table = *cat.table(tid);
      auto& c = table.columns[static_cast<size_t>(table.column_index(col))];
      if (c.type != t->id || c.missing.is_null() || c.missing.as_string() != from) continue;
      c.missing = Value::of(t->id, value);
      cat.put_table(txn, std::move(table));
    }
  } else {
    check_label(value);
    if (e.label_index(value) >= 0) {
      if (!sql::bool_field(n, "skipIfNewValExists")) raise(sqlstate::kDuplicateObject, "enum label \"{}\" already exists", value);
      send_notice(sink, sqlstate::kDuplicateObject, fmt::format("enum label \"{}\" already exists, skipping", value));
      return sink.complete("ALTER TYPE", 0);
    }
    size_t pos = e.labels.size();
    float order = e.sortorders.empty() ? 1.0f : e.sortorders.back() + 1.0f;
    if (const json::value* nb = field(n, "newValNeighbor")) {
      std::string neighbor(nb->as_string());
      int at = e.label_index(neighbor);
      if (at < 0) raise(sqlstate::kInvalidParameterValue, "\"{}\" is not an existing enum label", neighbor);
      auto i = static_cast<size_t>(at);
      if (sql::bool_field(n, "newValIsAfter")) {
        pos = i + 1;
        order = pos < e.labels.size() ? (e.sortorders[i] + e.sortorders[pos]) / 2 : e.sortorders[i] + 1.0f;
      } else {
        pos = i;
        order = i > 0 ? (e.sortorders[i - 1] + e.sortorders[i]) / 2 : e.sortorders[i] - 1.0f;
      }
      // float4 has room for about 20 halvings between two labels; PostgreSQL renumbers then.
      if ((pos > 0 && order <= e.sortorders[pos - 1]) || (pos < e.labels.size() && order >= e.sortorders[pos]))
        unsupported("ALTER TYPE ... ADD VALUE this many times between the same two labels");
    }
    e.labels.insert(e.labels.begin() + static_cast<std::ptrdiff_t>(pos), value);
    e.sortorders.insert(e.sortorders.begin() + static_cast<std::ptrdiff_t>(pos), order);
    e.label_oids.insert(e.label_oids.begin() + static_cast<std::ptrdiff_t>(pos), cat.allocate_id(txn));
  }
  catalog::TypeDef d = *t;
  d.enum_type = types::make_enum(std::move(e));
  cat.put_type(txn, std::move(d));
  sink.complete("ALTER TYPE", 0);
}

// ALTER TYPE / DOMAIN name RENAME TO new.
void DdlExecutor::rename_type(const json::object& n, ResultSink& sink) {
  bool domain = str_field(n, "renameType") == "OBJECT_DOMAIN";
  std::vector<json::value> items;
  const json::value& obj = *field(n, "object");
  json::array names = node_type(obj) == "List" ? list_field(node_body(obj), "items") : json::array{obj};
  auto t = find_type(names, domain, false, nullptr);
  s_.check_owner(t->access, "type", t->name);
  std::string to(str_field(n, "newname"));
  catalog::Catalog& cat = s_.writable_catalog();
  if (cat.type(t->schema, to) || cat.table(t->schema, to)) raise(sqlstate::kDuplicateObject, "type \"{}\" already exists", to);
  catalog::TypeDef d = *t;
  d.name = to;
  cat.put_type(*s_.txn_, std::move(d));
  sink.complete(domain ? "ALTER DOMAIN" : "ALTER TYPE", 0);
}

void DdlExecutor::comment_type(const json::object& n, ResultSink& sink) {
  const json::value& obj = *field(n, "object");
  auto t = find_type(list_field(node_body(obj), "names"), str_field(n, "objtype") == "OBJECT_DOMAIN", false, nullptr);
  s_.check_owner(t->access, "type", t->name);
  catalog::TypeDef d = *t;
  d.comment = std::string(str_field(n, "comment"));
  s_.writable_catalog().put_type(*s_.txn_, std::move(d));
  sink.complete("COMMENT", 0);
}

// The columns of tables that are of the type (or of its array type).
std::vector<std::pair<uint32_t, std::string>> DdlExecutor::type_users(const catalog::TypeDef& t) {
  std::vector<std::pair<uint32_t, std::string>> out;
  for (const auto& [id, table] : s_.writable_catalog().tables())
    for (const auto& c : table->columns)
      if (c.type == t.id || (t.array_id && c.type == t.array_id) || c.domain == t.id) out.emplace_back(id, c.name);
  return out;
}

void DdlExecutor::drop_types(const json::object& n, ResultSink& sink) {
  bool domain = str_field(n, "removeType") == "OBJECT_DOMAIN";
  bool missing_ok = sql::bool_field(n, "missing_ok");
  bool cascade = str_field(n, "behavior") == "DROP_CASCADE";
  catalog::Catalog& cat = s_.writable_catalog();
  for (const auto& obj : list_field(n, "objects")) {
    auto t = find_type(list_field(node_body(obj), "names"), domain, missing_ok, &sink);
    if (!t) continue;
    if (!domain && t->kind == 'd') raise(sqlstate::kWrongObjectType, "\"{}\" is not a type", t->name);
    s_.check_owner(t->access, "type", t->name);
    std::vector<std::string> deps;
    auto users = type_users(*t);
    for (const auto& [tid, col] : users) deps.push_back(fmt::format("column {} of table {}", col, cat.table(tid)->name));
    bool in_composite = false;
    for (const auto& [id, other] : cat.types()) {
      if (other->kind == 'd' && other->base_type == t->id) deps.push_back(fmt::format("type {}", other->name));
      if (!other->composite || id != other->composite->oid) continue;
      const auto& sh = other->composite->shape;
      for (size_t i = 0; i < sh.size(); ++i)
        if (sh.types[i] == t->id || (t->array_id && sh.types[i] == t->array_id) || other->composite->domain(i) == t->id) {
          deps.push_back(fmt::format("column {} of composite type {}", sh.names[i], other->name));
          in_composite = true;
        }
    }
    if (!deps.empty() && !cascade) {
      std::string detail;
      for (const auto& d : deps) detail += (detail.empty() ? "" : "\n") + d + " depends on type " + t->name;
      throw Error(sqlstate::kDependentObjectsStillExist,
                  fmt::format("cannot drop type {} because other objects depend on it", t->name))
          .with_detail(detail)
          .with_hint("Use DROP ... CASCADE to drop the dependent objects too.");
    }
    for (const auto& [id, other] : cat.types())
      if (other->kind == 'd' && other->base_type == t->id) unsupported("DROP TYPE ... CASCADE of a type domains are over");
    if (in_composite) unsupported("DROP TYPE ... CASCADE of a type attributes of composite types are of");
    if (!deps.empty()) send_cascade_notice(sink, deps);
    for (const auto& [tid, col] : users) {
      // DROP COLUMN of each column of the type, as ALTER TABLE does it.
      auto table = cat.table(tid);
      json::object rv{{"schemaname", table->schema}, {"relname", table->name}, {"inh", true}, {"relpersistence", "p"}};
      json::object cmd{{"subtype", "AT_DropColumn"}, {"name", col}, {"behavior", "DROP_CASCADE"}};
      json::object alter{{"relation", rv}, {"cmds", json::array{json::object{{"AlterTableCmd", cmd}}}}, {"objtype", "OBJECT_TABLE"}};
      DiscardSink quiet(&sink);
      alter_table(alter, quiet);
    }
    cat.drop_type(*s_.txn_, t->id);
  }
  sink.complete(domain ? "DROP DOMAIN" : "DROP TYPE", 0);
}

namespace {

// PostgreSQL's ChooseConstraintName for a domain's CHECK: name_check, name_check1, ...
std::string choose_check_name(const catalog::TypeDef& d) {
  std::string base = d.name + "_check";
  for (int k = 0;; ++k) {
    std::string name = k ? base + std::to_string(k) : base;
    if (std::ranges::none_of(d.checks, [&](const catalog::CheckDef& c) { return c.name == name; })) return name;
  }
}

}  // namespace

// Reads a Constraint node of CREATE / ALTER DOMAIN into d.
void DdlExecutor::read_domain_constraint(catalog::TypeDef& d, const json::object& c, bool creating) {
  std::string contype(str_field(c, "contype"));
  if (contype == "CONSTR_NOTNULL") {
    d.not_null = true;
  } else if (contype == "CONSTR_NULL") {
    d.not_null = false;
  } else if (contype == "CONSTR_DEFAULT" && creating) {
    d.default_expr = json::serialize(*field(c, "raw_expr"));
  } else if (contype == "CONSTR_CHECK") {
    std::string name(str_field(c, "conname"));
    if (name.empty()) name = choose_check_name(d);
    else if (std::ranges::any_of(d.checks, [&](const catalog::CheckDef& k) { return k.name == name; }))
      raise(sqlstate::kDuplicateObject, "constraint \"{}\" for domain \"{}\" already exists", name, d.name);
    d.checks.push_back({name, json::serialize(*field(c, "raw_expr")), !sql::bool_field(c, "skip_validation")});
  } else if (contype == "CONSTR_UNIQUE" || contype == "CONSTR_PRIMARY") {
    raise(sqlstate::kSyntaxError, "{} constraints not possible for domains", contype == "CONSTR_UNIQUE" ? "unique" : "primary key");
  } else {
    unsupported(fmt::format("this domain constraint ({})", contype));
  }
}

void DdlExecutor::create_domain(const json::object& n, ResultSink& sink) {
  auto [schema, name] = new_type_name(list_field(n, "domainname"));
  catalog::Catalog& cat = s_.writable_catalog();
  storage::Transaction& txn = *s_.txn_;
  planner::Binder binder(cat, sql_, {}, &s_.text_context());
  catalog::TypeDef d;
  uint32_t base_domain = 0;
  std::tie(d.base_type, d.base_typmod) = binder.resolve_type(field(n, "typeName")->as_object(), &base_domain);
  if (base_domain) unsupported("domains over domains");
  if (types::find(d.base_type) && types::find(d.base_type)->category == types::Category::kPseudo)
    raise(sqlstate::kDatatypeMismatch, "\"{}\" is not a valid base type for a domain", types::format_type(d.base_type, -1));
  d.schema = schema;
  d.name = name;
  d.kind = 'd';
  d.access.owner = s_.current_role_oid();
  bool seen_null = false, seen_not_null = false;
  for (const auto& c : list_field(n, "constraints")) {
    const auto& cn = node_body(c);
    std::string contype(str_field(cn, "contype"));
    if ((contype == "CONSTR_NULL" && seen_not_null) || (contype == "CONSTR_NOTNULL" && seen_null))
      raise(sqlstate::kSyntaxError, "conflicting NULL/NOT NULL constraints");
    if (contype == "CONSTR_DEFAULT" && !d.default_expr.empty())
      raise(sqlstate::kSyntaxError, "multiple default expressions");
    seen_null |= contype == "CONSTR_NULL";
    seen_not_null |= contype == "CONSTR_NOTNULL";
    read_domain_constraint(d, cn, true);
  }
  if (field(n, "collClause")) unsupported("COLLATE on a domain");
  d.id = cat.allocate_id(txn);
  uint32_t id = d.id;
  std::string default_expr = d.default_expr;
  auto base_type = d.base_type;
  auto base_typmod = d.base_typmod;
  cat.put_type(txn, std::move(d));
  // The default must convert to the base type and the checks must bind (over VALUE).
  if (!default_expr.empty()) binder.bind_for_column(json::parse(default_expr), base_type, base_typmod, "value");
  binder.domain_check(std::make_unique<exec::ConstExpr>(Value::null(base_type)), id);
  sink.complete("CREATE DOMAIN", 0);
}

// Every stored value of the domain's columns, with the table and column they are in.
void DdlExecutor::for_each_domain_value(const catalog::TypeDef& d,
                                        const std::function<void(const Value&, const catalog::TableDef&, const std::string&)>& f) {
  catalog::Catalog& cat = s_.writable_catalog();
  exec::ExecContext ctx = s_.make_context(nullptr);
  for (const auto& [tid, col] : type_users(d)) {
    auto table = cat.table(tid);
    if (table->is_view()) continue;
    size_t pos = static_cast<size_t>(table->column_index(col));
    exec::TableLayout layout(table);
    Row row;
    for (auto it = s_.txn_->scan(layout.prefix, keys::prefix_successor(layout.prefix)); it->valid(); it->next()) {
      ctx.check_cancel();
      layout.decode(it->value(), row);
      f(row[pos], *table, col);
    }
  }
}

// ALTER DOMAIN: SET / DROP DEFAULT, SET / DROP NOT NULL, ADD / DROP CONSTRAINT.
void DdlExecutor::alter_domain(const json::object& n, ResultSink& sink) {
  auto t = find_type(list_field(n, "typeName"), true, false, nullptr);
  s_.check_owner(t->access, "type", t->name);
  catalog::Catalog& cat = s_.writable_catalog();
  catalog::TypeDef d = *t;
  std::string sub(str_field(n, "subtype"));
  const json::value* def = field(n, "def");
  exec::ExecContext ctx = s_.make_context(nullptr);
  if (sub == "T") {
    d.default_expr = def ? json::serialize(*def) : "";
    if (def) planner::Binder(cat, sql_, {}, &s_.text_context()).bind_for_column(*def, d.base_type, d.base_typmod, "value");
  } else if (sub == "N") {
    d.not_null = false;
  } else if (sub == "O") {
    if (!d.not_null)
      for_each_domain_value(d, [&](const Value& v, const catalog::TableDef& table, const std::string& col) {
        if (v.is_null())
          throw make_error(sqlstate::kNotNullViolation, "column \"{}\" of table \"{}\" contains null values", col,
                           table.name)
              .with_table(table.schema, table.name)
              .with_column(col);
      });
    d.not_null = true;
  } else if (sub == "C") {
    const auto& c = node_body(*def);
    if (str_field(c, "contype") != "CONSTR_CHECK") unsupported("ALTER DOMAIN ... ADD of this constraint");
    read_domain_constraint(d, c, false);
    // Rows stored before must pass it, unless NOT VALID.
    planner::Binder binder(cat, sql_, {}, &s_.text_context());
    catalog::TypeDef probe = d;
    probe.checks = {d.checks.back()};
    probe.not_null = false;
    cat.put_type(*s_.txn_, probe);
    exec::ExprPtr check = binder.domain_check(std::make_unique<exec::ColumnExpr>(0, d.base_type, d.base_typmod), d.id);
    if (d.checks.back().validated)
      for_each_domain_value(d, [&](const Value& v, const catalog::TableDef& table, const std::string& col) {
        try {
          check->eval(Row{v}, ctx);
        } catch (const Error& e) {
          if (e.sqlstate() != sqlstate::kCheckViolation) throw;
          throw make_error(sqlstate::kCheckViolation,
                           "column \"{}\" of table \"{}\" contains values that violate the new constraint", col,
                           table.name)
              .with_table(table.schema, table.name)
              .with_column(col);
        }
      });
  } else if (sub == "X") {
    std::string name(str_field(n, "name"));
    auto before = d.checks.size();
    std::erase_if(d.checks, [&](const catalog::CheckDef& c) { return c.name == name; });
    if (d.checks.size() == before) {
      if (!sql::bool_field(n, "missing_ok"))
        raise(sqlstate::kUndefinedObject, "constraint \"{}\" of domain \"{}\" does not exist", name, d.name);
      send_notice(sink, sqlstate::kSuccessfulCompletion, fmt::format("constraint \"{}\" of domain \"{}\" does not exist, skipping", name, d.name));
    }
  } else {
    unsupported("this form of ALTER DOMAIN");
  }
  cat.put_type(*s_.txn_, std::move(d));
  sink.complete("ALTER DOMAIN", 0);
}

}  // namespace heliosdb::engine
