// Schemas, extensions and comments: CREATE/DROP SCHEMA, CREATE/DROP EXTENSION, COMMENT ON.
#include <algorithm>
#include <cctype>
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
  const auto& elements = list_field(n, "schemaElts");  // (IF NOT EXISTS with elements: the parser refuses it)
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
  catalog::SchemaDef sd;
  sd.id = cat.allocate_id(*s_.txn_);
  sd.name = name;
  sd.access.owner = owner;
  cat.put_schema(*s_.txn_, std::move(sd));
  if (!elements.empty()) create_schema_elements(name, elements, sink);
  sink.complete("CREATE SCHEMA", 0);
}

// CREATE SCHEMA s CREATE TABLE ... CREATE VIEW ...: the elements made in s, in PostgreSQL's
// order (sequences, tables, views, indexes, triggers, grants: transformCreateSchemaStmt), each
// named in s, with s first on the search path while they are made.
void DdlExecutor::create_schema_elements(const std::string& schema, const json::array& elements, ResultSink& sink) {
  struct Element {
    int rank;
    size_t start;  // where its text starts in the SQL
    std::string type;
    json::object body;
  };
  auto lower_sql = std::string(sql_);
  for (char& c : lower_sql) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::vector<Element> list;
  for (const auto& e : elements) {
    std::string type(node_type(e));
    json::object body = node_body(e);
    static const std::pair<const char*, const char*> kKinds[] = {{"CreateSeqStmt", "sequence"}, {"CreateStmt", "relation"},
                                                                 {"ViewStmt", "view"},          {"IndexStmt", "relation"},
                                                                 {"CreateTrigStmt", "relation"}, {"GrantStmt", nullptr}};
    auto kind = std::ranges::find_if(kKinds, [&](const auto& k) { return type == k.first; });
    if (kind == std::end(kKinds)) unsupported(fmt::format("CREATE SCHEMA element {}", type));
    size_t start = 0;
    if (kind->second) {
      auto& rv = body[kind->second].as_object();
      std::string own(str_field(rv, "schemaname"));
      if (!own.empty() && own != schema)
        raise(sqlstate::kInvalidSchemaDefinition, "CREATE specifies a schema ({}) different from the one being created ({})", own,
              schema);
      rv["schemaname"] = schema;
      auto at = static_cast<size_t>(std::max<int64_t>(0, sql::int_field(rv, "location", 0)));
      size_t create = lower_sql.rfind("create", std::min(at, lower_sql.size()));
      start = create == std::string::npos ? at : create;
    }
    list.push_back({static_cast<int>(kind - std::begin(kKinds)), start, type, std::move(body)});
  }
  // Each element's own text (a view keeps it as its definition): up to the next one's.
  size_t statement_end = sql_.size();
  if (!statement_.empty() && statement_.data() >= sql_.data() && statement_.data() <= sql_.data() + sql_.size())
    statement_end = static_cast<size_t>(statement_.data() - sql_.data()) + statement_.size();
  std::vector<size_t> starts;
  for (const auto& e : list) starts.push_back(e.start);
  std::ranges::sort(starts);
  std::ranges::stable_sort(list, {}, &Element::rank);
  std::vector<std::string> path{schema};
  for (const auto& s : catalog::search_path_schemas()) path.push_back(s);
  catalog::TempSchemaScope scope(&catalog::temp_schema(), &path);
  DiscardSink quiet(&sink);
  for (const auto& e : list) {
    auto next = std::ranges::upper_bound(starts, e.start);
    size_t end = next == starts.end() ? statement_end : *next;
    std::string_view text = sql_.substr(e.start, end > e.start ? end - e.start : 0);
    while (!text.empty() && (std::isspace(static_cast<unsigned char>(text.back())) || text.back() == ';')) text.remove_suffix(1);
    DdlExecutor(s_, sql_, text).run(e.type, e.body, quiet);
  }
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
    // Everything in it, in the order it was made (as PostgreSQL lists it): kind, name, id.
    struct Content {
      uint32_t id;
      std::string kind, name;
    };
    std::vector<Content> contents;
    for (const auto& [id, t] : cat.tables())
      if (t->schema == name) contents.push_back({id, t->is_view() ? "view" : t->is_matview() ? "materialized view" : "table", t->name});
    for (const auto& [id, sq] : cat.sequences())
      if (sq->schema == name && !sq->owner_table) contents.push_back({id, "sequence", sq->name});
    for (const auto& [id, f] : cat.functions())
      if (f->schema == name) contents.push_back({id, "function", ddl::signature(f->name, f->arg_types)});
    for (const auto& [id, t] : cat.types())
      if (t->schema == name && id == t->id) contents.push_back({id, "type", t->name});
    std::ranges::sort(contents, {}, &Content::id);
    if (!contents.empty()) {
      if (!cascade) {
        std::string deps;
        for (const auto& c : contents)
          deps += fmt::format("{}{} {}.{} depends on schema {}", deps.empty() ? "" : "\n", c.kind, name, c.name, name);
        throw Error(sqlstate::kDependentObjectsStillExist, fmt::format("cannot drop schema {} because other objects depend on it", name))
            .with_detail(deps)
            .with_hint("Use DROP ... CASCADE to drop the dependent objects too.");
      }
      std::vector<std::string> gone;
      for (const auto& c : contents) gone.push_back(fmt::format("{} {}.{}", c.kind, name, c.name));
      send_cascade_notice(sink, gone);
      // The objects go as DROP ... CASCADE of each would take them: relations, then functions
      // (and the triggers that call them), then types.
      DiscardSink quiet;
      json::array qualified{json::value{{"String", {{"sval", name}}}}, json::value{}};
      for (const auto& c : contents) {
        if (c.kind == "function" || c.kind == "type") continue;
        qualified[1] = json::value{{"String", {{"sval", c.name}}}};
        const char* kind = c.kind == "sequence" ? "OBJECT_SEQUENCE" : c.kind == "view" ? "OBJECT_VIEW"
                           : c.kind == "materialized view"                      ? "OBJECT_MATVIEW"
                                                                                : "OBJECT_TABLE";
        json::object stmt{{"removeType", kind},
                          {"behavior", "DROP_CASCADE"},
                          {"missing_ok", true},
                          {"objects", json::array{json::value{{"List", {{"items", qualified}}}}}}};
        drop(stmt, quiet);
      }
      for (const auto& c : contents) {
        if (c.kind != "function" || !cat.function(c.id)) continue;
        for (const auto& [tid, t] : cat.tables()) {
          if (std::ranges::none_of(t->triggers, [&](const catalog::TriggerDef& g) { return g.function == c.id; })) continue;
          catalog::TableDef changed = *t;
          std::erase_if(changed.triggers, [&](const catalog::TriggerDef& g) { return g.function == c.id; });
          cat.put_table(*s_.txn_, std::move(changed));
        }
        cat.drop_function(*s_.txn_, c.id);
      }
      for (auto it = contents.rbegin(); it != contents.rend(); ++it) {  // a type's dependents before it
        const Content& c = *it;
        if (c.kind != "type") continue;
        auto t = cat.type(c.id);
        if (!t) continue;
        qualified[1] = json::value{{"String", {{"sval", c.name}}}};
        json::object stmt{{"removeType", t->kind == 'd' ? "OBJECT_DOMAIN" : "OBJECT_TYPE"},
                          {"behavior", "DROP_CASCADE"},
                          {"missing_ok", true},
                          {"objects", json::array{json::value{{"TypeName", {{"names", qualified}, {"typemod", -1}}}}}}};
        drop_types(stmt, quiet);
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
  if (kind == "OBJECT_DOMCONSTRAINT") {  // COMMENT ON CONSTRAINT c ON DOMAIN d
    const auto& items = list_field(node_body(*field(n, "object")), "items");
    auto d = find_type(list_field(node_body(items[0]), "names"), true, false, nullptr);
    std::string con(string_node(items[1]));
    s_.check_owner(d->access, "type", d->name);
    catalog::TypeDef td = *d;
    auto ck = std::ranges::find(td.checks, con, &catalog::CheckDef::name);
    if (ck == td.checks.end()) raise(sqlstate::kUndefinedObject, "constraint \"{}\" for domain {} does not exist", con, d->name);
    ck->comment = text;
    cat.put_type(txn, std::move(td));
    return sink.complete("COMMENT", 0);
  }
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
  } else if (kind == "OBJECT_TABCONSTRAINT") {  // COMMENT ON CONSTRAINT c ON t
    std::string con = names.back();
    names.pop_back();
    auto [schema, rel] = relation();
    auto t = cat.table(schema, rel);
    if (!t) raise(sqlstate::kUndefinedTable, "relation \"{}\" does not exist", schema.empty() ? rel : schema + "." + rel);
    s_.check_owner(t->access, "relation", t->name);
    catalog::TableDef td = *t;
    bool found = false;
    for (auto& ck : td.checks)
      if (ck.name == con) ck.comment = text, found = true;
    for (auto& fk : td.foreign_keys)
      if (fk.name == con) fk.comment = text, found = true;
    if (found) cat.put_table(txn, std::move(td));
    for (uint32_t iid : t->indexes) {
      auto ix = cat.index(iid);
      if (!ix->is_constraint || ix->name != con) continue;
      catalog::IndexDef id = *ix;
      id.constraint_comment = text;
      cat.put_index(txn, std::move(id));
      found = true;
    }
    if (!found) raise(sqlstate::kUndefinedObject, "constraint \"{}\" for table \"{}\" does not exist", con, t->name);
  } else if (kind == "OBJECT_EXTENSION") {
    unsupported("COMMENT ON EXTENSION");
  } else {
    unsupported(fmt::format("COMMENT ON {}", kind.substr(7)));
  }
  sink.complete("COMMENT", 0);
}

}  // namespace heliosdb::engine

namespace heliosdb::engine {

// ALTER TABLE / VIEW / MATERIALIZED VIEW / SEQUENCE / TYPE / DOMAIN / FUNCTION ... SET SCHEMA s.
// Moving to the schema the object is in does nothing. A table takes its indexes and the
// sequences it owns along; views that read it keep reading it.
using namespace ddl;

void DdlExecutor::alter_object_schema(const json::object& n, ResultSink& sink) {
  std::string kind(str_field(n, "objectType"));
  std::string to(str_field(n, "newschema"));
  bool missing_ok = sql::bool_field(n, "missing_ok");
  catalog::Catalog& cat = s_.writable_catalog();
  storage::Transaction& txn = *s_.txn_;
  const char* tag = kind == "OBJECT_VIEW"       ? "ALTER VIEW"
                    : kind == "OBJECT_MATVIEW"  ? "ALTER MATERIALIZED VIEW"
                    : kind == "OBJECT_SEQUENCE" ? "ALTER SEQUENCE"
                    : kind == "OBJECT_TYPE"     ? "ALTER TYPE"
                    : kind == "OBJECT_DOMAIN"   ? "ALTER DOMAIN"
                    : kind == "OBJECT_FUNCTION" ? "ALTER FUNCTION"
                                                : "ALTER TABLE";
  bool relation = kind == "OBJECT_TABLE" || kind == "OBJECT_VIEW" || kind == "OBJECT_MATVIEW" || kind == "OBJECT_SEQUENCE";
  if (!relation && kind != "OBJECT_TYPE" && kind != "OBJECT_DOMAIN" && kind != "OBJECT_FUNCTION")
    unsupported(fmt::format("ALTER {} ... SET SCHEMA", kind.substr(kind.find('_') + 1)));
  // The object first (IF EXISTS skips a missing one), then the schema it goes to.
  auto check_target = [&](const std::string& from) {
    catalog::check_schema(to, &cat);
    bool temp_from = from.starts_with("pg_temp"), temp_to = to.starts_with("pg_temp");
    if (temp_from || temp_to) raise(sqlstate::kFeatureNotSupported, "cannot move objects into or out of temporary schemas");
    if (to == "pg_toast" || from == "pg_toast") raise(sqlstate::kFeatureNotSupported, "cannot move objects into or out of TOAST schema");
    if (from != to) s_.check_schema_privilege(to, catalog::kCreate);
    return from != to;
  };
  if (relation) {
    const auto& rv = field(n, "relation")->as_object();
    std::string schema = schema_of(rv, cat);
    std::string name(str_field(rv, "relname"));
    auto table = cat.table(schema, name);
    auto sequence = table ? nullptr : cat.sequence(schema, name);
    if (!table && !sequence) {
      if (!missing_ok) raise(sqlstate::kUndefinedTable, "relation \"{}\" does not exist", name);
      send_notice(sink, sqlstate::kSuccessfulCompletion, fmt::format("relation \"{}\" does not exist, skipping", name));
      return sink.complete(tag, 0);
    }
    if (kind == "OBJECT_SEQUENCE" && !sequence) raise(sqlstate::kWrongObjectType, "\"{}\" is not a sequence", name);
    if (sequence) {
      s_.check_owner(sequence->access, "sequence", sequence->name);
      if (!check_target(sequence->schema)) return sink.complete(tag, 0);
      if (sequence->owner_table)
        throw Error(sqlstate::kFeatureNotSupported, "cannot move an owned sequence into another schema")
            .with_detail(fmt::format("Sequence \"{}\" is linked to table \"{}\".", sequence->name, cat.table(sequence->owner_table)->name));
      if (cat.relation_exists(to, sequence->name))
        raise(sqlstate::kDuplicateTable, "relation \"{}\" already exists in schema \"{}\"", sequence->name, to);
      catalog::SequenceDef s = *sequence;
      s.schema = to;
      cat.put_sequence(txn, std::move(s));
      return sink.complete(tag, 0);
    }
    s_.check_owner(table->access, table->is_view() ? "view" : "table", table->name);
    if (!check_target(table->schema)) return sink.complete(tag, 0);
    std::vector<std::shared_ptr<const catalog::SequenceDef>> owned;
    for (const auto& [id, s] : cat.sequences())
      if (s->owner_table == table->id) owned.push_back(s);
    auto taken = [&](const std::string& rel) {
      if (cat.relation_exists(to, rel)) raise(sqlstate::kDuplicateTable, "relation \"{}\" already exists in schema \"{}\"", rel, to);
    };
    taken(table->name);
    if (cat.type(to, table->name)) raise(sqlstate::kDuplicateObject, "type \"{}\" already exists in schema \"{}\"", table->name, to);
    for (uint32_t iid : table->indexes) taken(cat.index(iid)->name);
    for (const auto& s : owned) taken(s->name);
    std::string from = table->schema;
    catalog::TableDef t = *table;
    t.schema = to;
    cat.put_table(txn, std::move(t));
    for (const auto& s : owned) {
      catalog::SequenceDef moved = *s;
      moved.schema = to;
      cat.put_sequence(txn, std::move(moved));
    }
    repoint_views(cat, txn, table->id, from, table->name, to, table->name);
    return sink.complete(tag, 0);
  }
  if (kind == "OBJECT_FUNCTION") {
    auto f = find_function(node_body(*field(n, "object")), false, sink);
    s_.check_owner(f->access, "function", f->name);
    if (!check_target(f->schema)) return sink.complete(tag, 0);
    for (const auto& other : cat.functions(to, f->name))
      if (other->arg_types == f->arg_types)
        raise(sqlstate::kDuplicateFunction, "function {} already exists in schema \"{}\"", signature(f->name, f->arg_types), to);
    catalog::FunctionDef moved = *f;
    moved.schema = to;
    cat.put_function(txn, std::move(moved));
    return sink.complete(tag, 0);
  }
  bool domain = kind == "OBJECT_DOMAIN";
  const json::value& obj = *field(n, "object");
  json::array names = node_type(obj) == "List" ? list_field(node_body(obj), "items") : json::array{obj};
  auto t = find_type(names, domain, missing_ok, &sink);
  if (!t) return sink.complete(tag, 0);
  if (!domain && t->kind == 'd')
    throw Error(sqlstate::kWrongObjectType, fmt::format("{} is a domain", t->name)).with_hint("Use ALTER DOMAIN instead.");
  s_.check_owner(t->access, "type", t->name);
  if (!check_target(t->schema)) return sink.complete(tag, 0);
  if (cat.type(to, t->name) || cat.relation_exists(to, t->name))
    raise(sqlstate::kDuplicateObject, "type \"{}\" already exists in schema \"{}\"", t->name, to);
  catalog::TypeDef moved = *t;
  moved.schema = to;
  cat.put_type(txn, std::move(moved));
  sink.complete(tag, 0);
}

}  // namespace heliosdb::engine
