// Schemas, extensions and comments: CREATE/DROP SCHEMA, CREATE/DROP EXTENSION, COMMENT ON.
#include <algorithm>
#include <boost/json.hpp>

#include "catalog/system_views.h"
#include "common/errors.h"
#include "engine/ddl.h"
#include "engine/session_impl.h"
#include "planner/binder.h"

namespace heliosdb::engine {

namespace json = boost::json;
using sql::field;
using sql::list_field;
using sql::node_body;
using sql::node_type;
using sql::str_field;
using sql::string_node;

namespace {

// The extensions whose functions are built in, with PostgreSQL 15's versions. plpgsql is there
// from the start, as in PostgreSQL (CREATE EXTENSION of it says it exists).
struct KnownExtension {
  const char* name;
  const char* version;
};
constexpr KnownExtension kExtensions[] = {{"uuid-ossp", "1.1"}, {"pgcrypto", "1.3"}};

std::vector<std::string> name_list(const json::value& object) {
  std::vector<std::string> out;
  if (node_type(object) == "String") {
    out.emplace_back(string_node(object));
    return out;
  }
  for (const auto& item : list_field(node_body(object), "items")) out.emplace_back(string_node(item));
  return out;
}

}  // namespace

void DdlExecutor::create_schema(const json::object& n, ResultSink& sink) {
  catalog::Catalog& cat = s_.writable_catalog();
  std::string name(str_field(n, "schemaname"));
  // AUTHORIZATION role: owned by it (the schema's name when none is given); the current user must
  // be able to SET ROLE to it. Making a schema needs CREATE on the database.
  uint32_t me = s_.current_role_oid();
  uint32_t owner = me;
  if (const auto* role = field(n, "authrole")) {
    const auto& spec = role->as_object();
    std::string_view type = str_field(spec, "roletype");
    owner = type == "ROLESPEC_CURRENT_USER" || type == "ROLESPEC_CURRENT_ROLE" ? me
            : type == "ROLESPEC_SESSION_USER"                               ? s_.session_role_oid()
                                                                            : s_.role_oid(std::string(str_field(spec, "rolename")));
    if (!s_.roles().is_member_of(me, owner))
      raise(sqlstate::kInsufficientPrivilege, "must be able to SET ROLE \"{}\"", s_.roles().name_of(owner));
  }
  if (name.empty()) name = s_.roles().name_of(owner);
  if (!s_.has_privilege(me, 'd', 0, catalog::kCreate)) raise(sqlstate::kInsufficientPrivilege, "permission denied for database {}", s_.db().name());
  if (cat.schema_oid(name)) {
    if (!sql::bool_field(n, "if_not_exists")) raise(sqlstate::kDuplicateSchema, "schema \"{}\" already exists", name);
    send_notice(sink, sqlstate::kDuplicateSchema, fmt::format("schema \"{}\" already exists, skipping", name));
    return sink.complete("CREATE SCHEMA", 0);
  }
  if (name.starts_with("pg_"))
    throw Error(sqlstate::kReservedName, fmt::format("unacceptable schema name \"{}\"", name))
        .with_detail("The prefix \"pg_\" is reserved for system schemas.");
  if (!list_field(n, "schemaElts").empty()) unsupported("CREATE SCHEMA with schema elements");
  catalog::SchemaDef sd;
  sd.id = cat.allocate_id(*s_.txn_);
  sd.name = name;
  sd.access.owner = owner;
  cat.put_schema(*s_.txn_, std::move(sd));
  sink.complete("CREATE SCHEMA", 0);
}

// DROP SCHEMA: an empty one, or with CASCADE everything in it.
void DdlExecutor::drop_schemas(const json::object& n, ResultSink& sink) {
  catalog::Catalog& cat = s_.writable_catalog();
  bool cascade = str_field(n, "behavior") == "DROP_CASCADE";
  for (const auto& obj : list_field(n, "objects")) {
    std::string name(string_node(obj));
    if (!cat.schemas().count(name)) {
      if (cat.schema_oid(name)) unsupported(fmt::format("DROP SCHEMA of the built-in schema \"{}\"", name));
      if (!sql::bool_field(n, "missing_ok")) raise(sqlstate::kUndefinedSchema, "schema \"{}\" does not exist", name);
      send_notice(sink, sqlstate::kSuccessfulCompletion, fmt::format("schema \"{}\" does not exist, skipping", name));
      continue;
    }
    s_.check_owner(cat.schemas().at(name)->access, "schema", name);
    std::vector<std::pair<std::string, std::string>> contents;  // kind, name
    for (const auto& [id, t] : cat.tables())
      if (t->schema == name) contents.emplace_back("table", t->name);
    for (const auto& [id, s] : cat.sequences())
      if (s->schema == name && !s->owner_table) contents.emplace_back("sequence", s->name);
    if (!contents.empty()) {
      if (!cascade) {
        std::string deps;
        for (const auto& [kind, obj_name] : contents)
          deps += fmt::format("{}{} {}.{} depends on schema {}", deps.empty() ? "" : "\n", kind, name, obj_name, name);
        throw Error(sqlstate::kDependentObjectsStillExist, fmt::format("cannot drop schema {} because other objects depend on it", name))
            .with_detail(deps)
            .with_hint("Use DROP ... CASCADE to drop the dependent objects too.");
      }
      std::vector<std::string> gone;
      for (const auto& [kind, obj_name] : contents) gone.push_back(fmt::format("{} {}.{}", kind, name, obj_name));
      send_cascade_notice(sink, gone);
      // The objects go as DROP ... CASCADE of each would take them.
      DiscardSink quiet;
      for (const auto& [kind, obj_name] : contents) {
        json::array items{json::value{{"String", {{"sval", name}}}}, json::value{{"String", {{"sval", obj_name}}}}};
        json::object stmt{{"removeType", kind == "table" ? "OBJECT_TABLE" : "OBJECT_SEQUENCE"},
                          {"behavior", "DROP_CASCADE"},
                          {"missing_ok", true},
                          {"objects", json::array{json::value{{"List", {{"items", items}}}}}}};
        drop(stmt, quiet);
      }
    }
    cat.drop_schema(*s_.txn_, name);
  }
  sink.complete("DROP SCHEMA", 0);
}

void DdlExecutor::create_extension(const json::object& n, ResultSink& sink) {
  catalog::Catalog& cat = s_.writable_catalog();
  std::string name(str_field(n, "extname"));
  bool if_not_exists = sql::bool_field(n, "if_not_exists");
  if (name == "plpgsql" || cat.extensions().count(name)) {
    if (!if_not_exists) raise(sqlstate::kDuplicateObject, "extension \"{}\" already exists", name);
    send_notice(sink, sqlstate::kDuplicateObject, fmt::format("extension \"{}\" already exists, skipping", name));
    return sink.complete("CREATE EXTENSION", 0);
  }
  const auto* known = std::ranges::find_if(kExtensions, [&](const auto& e) { return name == e.name; });
  if (known == std::end(kExtensions))
    throw Error(sqlstate::kFeatureNotSupported, fmt::format("extension \"{}\" is not available", name))
        .with_hint("heliosdb-nano has the functions of uuid-ossp (uuid_generate_v4) and pgcrypto (digest, hmac, gen_random_uuid) built in.");
  catalog::ExtensionDef e;
  e.name = name;
  e.version = known->version;
  e.schema = cat.creation_schema();
  for (const auto& o : list_field(n, "options")) {
    const auto& d = node_body(o);
    std::string opt(str_field(d, "defname"));
    const json::value* arg = field(d, "arg");
    if (opt == "schema" && arg) {
      e.schema = std::string(string_node(*arg));
      if (!cat.schema_oid(e.schema)) raise(sqlstate::kUndefinedSchema, "schema \"{}\" does not exist", e.schema);
    } else if (opt == "new_version" && arg && string_node(*arg) != known->version) {
      raise(sqlstate::kInvalidParameterValue, "extension \"{}\" has no installation script nor update path for version \"{}\"",
            name, string_node(*arg));
    } else if (opt == "cascade" || opt == "new_version") {
    } else {
      unsupported(fmt::format("CREATE EXTENSION option {}", opt));
    }
  }
  e.id = cat.allocate_id(*s_.txn_);
  cat.put_extension(*s_.txn_, std::move(e));
  sink.complete("CREATE EXTENSION", 0);
}

void DdlExecutor::drop_extensions(const json::object& n, ResultSink& sink) {
  catalog::Catalog& cat = s_.writable_catalog();
  for (const auto& obj : list_field(n, "objects")) {
    std::string name(string_node(obj));
    if (!cat.extensions().count(name)) {
      if (!sql::bool_field(n, "missing_ok")) raise(sqlstate::kUndefinedObject, "extension \"{}\" does not exist", name);
      send_notice(sink, sqlstate::kSuccessfulCompletion, fmt::format("extension \"{}\" does not exist, skipping", name));
      continue;
    }
    cat.drop_extension(*s_.txn_, name);
  }
  sink.complete("DROP EXTENSION", 0);
}

// COMMENT ON TABLE | VIEW | COLUMN | INDEX | SEQUENCE | SCHEMA | ROLE ... IS 'text' | NULL.
void DdlExecutor::comment(const json::object& n, ResultSink& sink) {
  catalog::Catalog& cat = s_.writable_catalog();
  storage::Transaction& txn = *s_.txn_;
  std::string kind(str_field(n, "objtype"));
  std::string text(str_field(n, "comment"));  // absent: IS NULL, which removes it
  if (kind == "OBJECT_TYPE" || kind == "OBJECT_DOMAIN") return comment_type(n, sink);
  std::vector<std::string> names = name_list(*field(n, "object"));
  auto relation = [&] {
    if (names.size() > 2) unsupported("cross-database references");
    std::string schema = names.size() == 2 ? names[0] : "";
    catalog::check_schema(schema, &cat);
    return std::pair{schema, names.back()};
  };
  if (kind == "OBJECT_ROLE") {
    catalog::Roles& roles = s_.writable_roles();
    const catalog::RoleDef* r = roles.find(names[0]);
    if (!r) raise(sqlstate::kUndefinedObject, "role \"{}\" does not exist", names[0]);
    const catalog::RoleDef* me = roles.find(s_.current_role_oid());
    if (r->superuser && !(me && me->superuser)) raise(sqlstate::kInsufficientPrivilege, "must be superuser to comment on superuser roles");
    if (!(me && (me->superuser || me->createrole))) raise(sqlstate::kInsufficientPrivilege, "must have CREATEROLE privilege");
    catalog::RoleDef d = *r;
    d.comment = text;
    roles.put(std::move(d));
  } else if (kind == "OBJECT_SCHEMA") {
    auto it = cat.schemas().find(names[0]);
    if (it == cat.schemas().end()) {
      if (cat.schema_oid(names[0])) unsupported("COMMENT ON a built-in schema");
      raise(sqlstate::kUndefinedSchema, "schema \"{}\" does not exist", names[0]);
    }
    catalog::SchemaDef sd = *it->second;
    sd.comment = text;
    cat.put_schema(txn, std::move(sd));
  } else if (kind == "OBJECT_TABLE" || kind == "OBJECT_VIEW" || kind == "OBJECT_INDEX" || kind == "OBJECT_SEQUENCE") {
    auto [schema, rel] = relation();
    if (kind == "OBJECT_TABLE" || kind == "OBJECT_VIEW") {
      auto t = cat.table(schema, rel);
      if (!t) {
        if (cat.relation_exists(schema, rel)) raise(sqlstate::kWrongObjectType, "\"{}\" is not a table", rel);
        raise(sqlstate::kUndefinedTable, "relation \"{}\" does not exist", schema.empty() ? rel : schema + "." + rel);
      }
      catalog::TableDef td = *t;
      td.comment = text;
      cat.put_table(txn, std::move(td));
    } else if (kind == "OBJECT_INDEX") {
      auto i = cat.index(schema, rel);
      if (!i) raise(sqlstate::kUndefinedTable, "relation \"{}\" does not exist", rel);
      catalog::IndexDef id = *i;
      id.comment = text;
      cat.put_index(txn, std::move(id));
    } else {
      auto s = cat.sequence(schema, rel);
      if (!s) raise(sqlstate::kUndefinedTable, "relation \"{}\" does not exist", rel);
      catalog::SequenceDef sd = *s;
      sd.comment = text;
      cat.put_sequence(txn, std::move(sd));
    }
  } else if (kind == "OBJECT_COLUMN") {
    if (names.size() < 2) raise(sqlstate::kSyntaxError, "column name must be qualified");
    std::string column = names.back();
    names.pop_back();
    auto [schema, rel] = relation();
    auto t = cat.table(schema, rel);
    if (!t) raise(sqlstate::kUndefinedTable, "relation \"{}\" does not exist", schema.empty() ? rel : schema + "." + rel);
    int i = t->column_index(column);
    if (i < 0) raise(sqlstate::kUndefinedColumn, "column \"{}\" of relation \"{}\" does not exist", column, rel);
    catalog::TableDef td = *t;
    td.columns[static_cast<size_t>(i)].comment = text;
    cat.put_table(txn, std::move(td));
  } else if (kind == "OBJECT_EXTENSION") {
    unsupported("COMMENT ON EXTENSION");
  } else {
    unsupported(fmt::format("COMMENT ON {}", kind.substr(7)));
  }
  sink.complete("COMMENT", 0);
}

}  // namespace heliosdb::engine
