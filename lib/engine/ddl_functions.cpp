// CREATE [OR REPLACE] FUNCTION (LANGUAGE sql, plpgsql), DROP FUNCTION, CREATE [OR REPLACE]
// TRIGGER, DROP TRIGGER, ALTER TABLE ... ENABLE / DISABLE TRIGGER.
#include <pg_query.h>

#include <boost/json.hpp>

#include "catalog/system_views.h"
#include "common/errors.h"
#include "common/record.h"
#include "engine/ddl.h"
#include "engine/session_impl.h"
#include "executor/functions.h"
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

std::string ddl::signature(const std::string& name, const std::vector<uint32_t>& types) {
  std::string s = name + "(";
  for (size_t i = 0; i < types.size(); ++i) s += (i ? ", " : "") + types::format_type(types[i], -1);
  return s + ")";
}

namespace {

constexpr uint32_t kTriggerType = 2279;

// name(type,type): format_procedure's form.
std::string compact_signature(const std::string& name, const std::vector<uint32_t>& types) {
  std::string s = name + "(";
  for (size_t i = 0; i < types.size(); ++i) s += (i ? "," : "") + types::format_type(types[i], -1);
  return s + ")";
}


std::pair<std::string, std::string> qualified_name(const json::array& names) {
  if (names.size() > 2) unsupported("cross-database references");
  return {names.size() == 2 ? std::string(string_node(names[0])) : "", std::string(string_node(names.back()))};
}

}  // namespace

namespace {
// An attribute CREATE FUNCTION and ALTER FUNCTION both take: strictness and volatility, which the
// executor honours, and the planner hints, taken and without effect. False for any other option.
bool apply_function_attribute(catalog::FunctionDef& f, const std::string& opt, const json::value* arg) {
  if (opt == "strict") f.strict = sql::bool_field(node_body(*arg), "boolval");
  else if (opt == "volatility") f.volatility = string_node(*arg)[0];
  else if (opt == "security") {
    if (sql::bool_field(node_body(*arg), "boolval")) unsupported("SECURITY DEFINER");
  } else if (opt != "leakproof" && opt != "parallel" && opt != "cost" && opt != "rows" && opt != "support") {
    return false;
  }
  return true;
}
}  // namespace

void DdlExecutor::create_function(const json::object& n, ResultSink& sink) {
  bool procedure = sql::bool_field(n, "is_procedure");
  catalog::Catalog& cat = s_.writable_catalog();
  storage::Transaction& txn = *s_.txn_;
  planner::Binder binder(cat, sql_, {}, &s_.text_context());
  auto [schema, name] = qualified_name(list_field(n, "funcname"));
  if (schema.empty()) schema = cat.creation_schema();
  if (schema.empty()) raise(sqlstate::kInvalidSchemaName, "no schema has been selected to create in");
  catalog::check_schema(schema, &cat);
  if (cat.schema_oid(schema)) s_.check_schema_privilege(schema, catalog::kCreate);

  catalog::FunctionDef f;
  f.schema = schema;
  f.name = name;
  if (procedure) f.kind = 'p';
  for (const auto& p : list_field(n, "parameters")) {
    const auto& fp = node_body(p);
    std::string mode(str_field(fp, "mode"));
    if (mode == "FUNC_PARAM_TABLE") {  // RETURNS TABLE (name type, ...)
      uint32_t domain = 0;
      f.table_columns.emplace_back(std::string(str_field(fp, "name")), binder.resolve_type(field(fp, "argType")->as_object(), &domain).first);
      continue;
    }
    bool inout = procedure && mode == "FUNC_PARAM_INOUT";
    if (mode != "FUNC_PARAM_DEFAULT" && mode != "FUNC_PARAM_IN" && !inout)
      unsupported(procedure ? "OUT and VARIADIC parameters of procedures" : "OUT, INOUT and VARIADIC parameters");
    f.arg_modes.push_back(inout ? 'b' : 'i');
    uint32_t domain = 0;
    f.arg_types.push_back(binder.resolve_type(field(fp, "argType")->as_object(), &domain).first);
    f.arg_names.emplace_back(str_field(fp, "name"));
    if (const auto* d = field(fp, "defexpr")) {
      binder.bind_for_column(*d, f.arg_types.back(), -1, f.arg_names.back());  // it must convert now
      f.arg_defaults.resize(f.arg_types.size());
      f.arg_defaults.back() = json::serialize(*d);
    } else if (!f.arg_defaults.empty()) {
      raise(sqlstate::kInvalidFunctionDefinition, "input parameters after one with a default value must also have defaults");
    }
  }
  if (f.arg_modes.find('b') == std::string::npos) f.arg_modes.clear();  // all IN
  else f.ret_type = oid::kRecord;                                       // a procedure's INOUT values
  if (const auto* rt = field(n, "returnType")) {
    f.returns_set = sql::bool_field(rt->as_object(), "setof");
    uint32_t domain = 0;
    f.ret_type = binder.resolve_type(rt->as_object(), &domain).first;
    if (f.table_columns.size() == 1) f.ret_type = f.table_columns[0].second;
    if (f.ret_type == oid::kRecord && f.table_columns.empty()) unsupported("functions returning record");
  }
  if (field(n, "sql_body")) unsupported("SQL-standard function bodies (RETURN ... / BEGIN ATOMIC); write AS '...'");
  for (const auto& o : list_field(n, "options")) {
    const auto& d = node_body(o);
    std::string opt(str_field(d, "defname"));
    const json::value* arg = field(d, "arg");
    if (opt == "language") {
      f.language = std::string(string_node(*arg));
    } else if (opt == "as") {
      const auto& items = list_field(node_body(*arg), "items");
      if (items.size() != 1) raise(sqlstate::kInvalidFunctionDefinition, "only one AS item needed for language \"{}\"", f.language);
      f.body = std::string(string_node(items[0]));
    } else if (!apply_function_attribute(f, opt, arg)) {
      unsupported(fmt::format("CREATE FUNCTION ... {}", opt));
    }
  }
  if (f.language.empty()) raise(sqlstate::kInvalidFunctionDefinition, "no language specified");
  for (auto& c : f.language) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (f.language != "sql" && f.language != "plpgsql") {
    if (f.language == "c" || f.language == "internal") unsupported(fmt::format("functions in language {}", f.language));
    raise(sqlstate::kUndefinedObject, "language \"{}\" does not exist", f.language);
  }
  if (procedure && f.language == "sql" && !f.arg_modes.empty()) unsupported("INOUT parameters of SQL procedures");
  if (f.ret_type == kTriggerType && f.language != "plpgsql")
    raise(sqlstate::kInvalidFunctionDefinition, "{} functions cannot return type trigger", f.language == "sql" ? "SQL" : f.language);
  if (f.ret_type == kTriggerType && !f.arg_types.empty())
    raise(sqlstate::kInvalidFunctionDefinition, "trigger functions cannot have declared arguments");
  f.definition = std::string(statement_);
  f.access.owner = s_.current_role_oid();

  // OR REPLACE of the function with these argument types.
  std::shared_ptr<const catalog::FunctionDef> old;
  for (const auto& c : cat.functions(schema, name))
    if (c->arg_types == f.arg_types) old = c;
  if (old) {
    if (!sql::bool_field(n, "replace"))
      raise(sqlstate::kDuplicateFunction, "function \"{}\" already exists with same argument types", name);
    if (old->kind != f.kind && (old->kind == 'p' || f.kind == 'p'))
      throw Error(sqlstate::kWrongObjectType, "cannot change routine kind")
          .with_detail(fmt::format("\"{}\" is a {}.", name, old->kind == 'p' ? "procedure" : old->kind == 'a' ? "aggregate function" : "function"));
    s_.check_owner(old->access, "function", name);
    if (old->ret_type != f.ret_type)
      throw Error(sqlstate::kInvalidFunctionDefinition, "cannot change return type of existing function")
          .with_hint(fmt::format("Use DROP FUNCTION {} first.", signature(name, f.arg_types)));
    f.id = old->id;
    f.access = old->access;
    f.comment = old->comment;
  } else {
    f.id = cat.allocate_id(txn);
  }

  // The body is checked now, as check_function_bodies does.
  if (f.language == "plpgsql") {
    PgQueryPlpgsqlParseResult res = pg_query_parse_plpgsql(f.definition.c_str());
    if (res.error) {
      // libpg_query's PL/pgSQL parser knows no OUT parameters: RETURN NEXT without an expression
      // (RETURNS TABLE) does not parse.
      bool out_params = f.returns_set && !f.table_columns.empty() && std::string_view(res.error->message).starts_with("missing expression");
      Error e(out_params ? sqlstate::kFeatureNotSupported : sqlstate::kSyntaxError,
              out_params ? std::string("RETURN NEXT without an expression in a function with output columns is not supported") : res.error->message);
      pg_query_free_plpgsql_parse_result(res);
      throw e;
    }
    pg_query_free_plpgsql_parse_result(res);
  }
  uint32_t id = f.id;
  catalog::FunctionDef checked = f;
  cat.put_function(txn, std::move(f));
  if (checked.language == "sql") {
    auto parsed = sql::parse(checked.body);
    if (parsed->statements.empty() && checked.ret_type != oid::kVoid)
      throw Error(sqlstate::kInvalidFunctionDefinition,
                  fmt::format("return type mismatch in function declared to return {}", types::format_type(checked.ret_type, -1)))
          .with_detail("Function's final statement must be SELECT or INSERT/UPDATE/DELETE RETURNING.");
    for (size_t i = 0; i < parsed->statements.size(); ++i) {
      std::string_view type = parsed->statements[i].node->begin()->key();
      if (type != "SelectStmt" && type != "InsertStmt" && type != "UpdateStmt" && type != "DeleteStmt")
        unsupported(fmt::format("{} in a SQL function", type));
    }
    // Bound with the arguments as parameters: missing tables and columns show now; the final
    // statement's result must fit the return type.
    const auto& last = parsed->statements.back();
    std::string_view last_type = last.node->begin()->key();
    if (checked.ret_type != oid::kVoid) {
      json::value tree = *last.node;
      auto r = s_.function_check_plan(id, tree);
      bool returns = last_type == "SelectStmt" || !r.empty();
      if (!returns)
        throw Error(sqlstate::kInvalidFunctionDefinition,
                    fmt::format("return type mismatch in function declared to return {}", types::format_type(checked.ret_type, -1)))
            .with_detail("Function's final statement must be SELECT or INSERT/UPDATE/DELETE RETURNING.");
      // SETOF a composite type (a table's row type) returns its columns, as RETURNS TABLE does.
      const record::Shape* shape = checked.returns_set && checked.table_columns.empty() ? record::shape_of(checked.ret_type, -1) : nullptr;
      size_t columns = checked.table_columns.size() > 1 ? checked.table_columns.size() : shape ? shape->size() : 1;
      if (checked.returns_set && columns > 1) {
        if (r.size() != columns)
          throw Error(sqlstate::kInvalidFunctionDefinition,
                      fmt::format("return type mismatch in function declared to return {}", shape ? types::format_type(checked.ret_type, -1) : "record"))
              .with_detail(r.size() < columns ? "Final statement returns too few columns." : "Final statement returns too many columns.");
      } else if (r.size() != 1)
        throw Error(sqlstate::kInvalidFunctionDefinition,
                    fmt::format("return type mismatch in function declared to return {}", types::format_type(checked.ret_type, -1)))
            .with_detail("Final statement must return exactly one column.");
      uint32_t got = r[0];
      if (checked.returns_set && columns > 1) got = checked.ret_type;
      bool fits = got == checked.ret_type || got == oid::kUnknownType || exec::can_coerce_implicit(got, checked.ret_type) ||
                  (types::is_numeric_family(got) && types::is_numeric_family(checked.ret_type));
      if (!fits)
        throw Error(sqlstate::kInvalidFunctionDefinition,
                    fmt::format("return type mismatch in function declared to return {}", types::format_type(checked.ret_type, -1)))
            .with_detail(fmt::format("Actual return type is {}.", types::format_type(got, -1)));
    }
    for (size_t i = 0; i + 1 < parsed->statements.size(); ++i) {
      json::value tree = *parsed->statements[i].node;
      s_.function_check_plan(id, tree);
    }
  }
  sink.complete(procedure ? "CREATE PROCEDURE" : "CREATE FUNCTION", 0);
}

// ALTER FUNCTION name(args) action...: strictness and volatility (what the executor honours);
// the planner hints are taken and have no effect, as at CREATE.
void DdlExecutor::alter_function(const json::object& n, ResultSink& sink) {
  if (str_field(n, "objtype") == "OBJECT_PROCEDURE") unsupported("ALTER PROCEDURE");
  catalog::Catalog& cat = s_.writable_catalog();
  auto old = find_function(field(n, "func")->as_object(), false, sink, "function");
  if (old->kind == 'a')
    raise(sqlstate::kWrongObjectType, "\"{}\" is an aggregate function", old->name);
  s_.check_owner(old->access, "function", old->name);
  catalog::FunctionDef f = *old;
  for (const auto& a : list_field(n, "actions")) {
    const auto& d = node_body(a);
    std::string opt(str_field(d, "defname"));
    const json::value* arg = field(d, "arg");
    if (!apply_function_attribute(f, opt, arg)) unsupported(fmt::format("ALTER FUNCTION ... {}", opt == "set" ? "SET / RESET" : opt));
  }
  cat.put_function(*s_.txn_, std::move(f));
  sink.complete("ALTER FUNCTION", 0);
}

// The functions DROP FUNCTION's ObjectWithArgs names (empty: none, after a NOTICE when missing_ok).
std::shared_ptr<const catalog::FunctionDef> DdlExecutor::find_function(const json::object& owa, bool missing_ok, ResultSink& sink,
                                                                       const char* what) {
  catalog::Catalog& cat = s_.writable_catalog();
  auto [schema, name] = qualified_name(list_field(owa, "objname"));
  if (!schema.empty()) catalog::check_schema(schema, &cat);
  auto all = cat.functions(schema, name);
  if (sql::bool_field(owa, "args_unspecified")) {
    if (all.size() > 1)
      throw Error(sqlstate::kAmbiguousFunction, fmt::format("function name \"{}\" is not unique", name))
          .with_hint("Specify the argument list to select the function unambiguously.");
    if (all.empty()) {
      if (!missing_ok) raise(sqlstate::kUndefinedFunction, "could not find a function named \"{}\"", name);
      send_notice(sink, sqlstate::kSuccessfulCompletion, fmt::format("function {}() does not exist, skipping", name));
      return nullptr;
    }
    return all[0];
  }
  planner::Binder binder(cat, sql_, {}, &s_.text_context());
  std::vector<uint32_t> types;
  for (const auto& a : list_field(owa, "objargs")) {
    uint32_t domain = 0;
    types.push_back(binder.resolve_type(node_body(a), &domain).first);
  }
  for (const auto& f : all)
    if (f->arg_types == types) return f;
  if (!missing_ok) raise(sqlstate::kUndefinedFunction, "{} {} does not exist", what, signature(name, types));
  send_notice(sink, sqlstate::kSuccessfulCompletion, fmt::format("{} {} does not exist, skipping", what, signature(name, types)));
  return nullptr;
}

void DdlExecutor::drop_functions(const json::object& n, ResultSink& sink) {
  bool missing_ok = sql::bool_field(n, "missing_ok");
  bool cascade = str_field(n, "behavior") == "DROP_CASCADE";
  catalog::Catalog& cat = s_.writable_catalog();
  std::string_view kind = str_field(n, "removeType");
  bool aggregate = kind == "OBJECT_AGGREGATE", procedure = kind == "OBJECT_PROCEDURE";
  for (const auto& obj : list_field(n, "objects")) {
    auto f = find_function(node_body(obj), missing_ok, sink, aggregate ? "aggregate" : procedure ? "procedure" : "function");
    if (!f) continue;
    if (procedure && f->kind != 'p')
      raise(sqlstate::kWrongObjectType, "{} is not a procedure", signature(f->name, f->arg_types));
    if (kind == "OBJECT_FUNCTION" && f->kind == 'p')
      raise(sqlstate::kWrongObjectType, "{} is not a function", signature(f->name, f->arg_types));
    if (aggregate && f->kind != 'a')
      raise(sqlstate::kWrongObjectType, "function {} is not an aggregate", signature(f->name, f->arg_types));
    if (!aggregate && kind != "OBJECT_ROUTINE" && f->kind == 'a')
      throw Error(sqlstate::kWrongObjectType, fmt::format("\"{}\" is an aggregate function", f->name))
          .with_hint("Use DROP AGGREGATE to drop aggregate functions.");
    s_.check_owner(f->access, "function", f->name);
    std::vector<std::string> deps;
    std::vector<uint32_t> aggregates;  // of CREATE AGGREGATE calling it
    for (const auto& [aid, a] : cat.functions())
      if (a->kind == 'a' && (a->agg.sfunc_id == f->id || a->agg.finalfunc_id == f->id)) {
        deps.push_back("function " + compact_signature(a->name, a->arg_types));
        aggregates.push_back(aid);
      }
    std::vector<std::pair<uint32_t, std::string>> triggers;
    for (const auto& [tid, t] : cat.tables())
      for (const auto& g : t->triggers)
        if (g.function == f->id) {
          deps.push_back(fmt::format("trigger {} on table {}", g.name, t->name));
          triggers.emplace_back(tid, g.name);
        }
    std::string sig = signature(f->name, f->arg_types);
    if (!aggregates.empty()) sig = compact_signature(f->name, f->arg_types);  // as PostgreSQL describes dependencies
    if (!deps.empty() && !cascade) {
      std::string detail;
      for (const auto& d : deps) detail += (detail.empty() ? "" : "\n") + d + " depends on function " + sig;
      throw Error(sqlstate::kDependentObjectsStillExist, fmt::format("cannot drop function {} because other objects depend on it", sig))
          .with_detail(detail)
          .with_hint("Use DROP ... CASCADE to drop the dependent objects too.");
    }
    if (!deps.empty()) send_cascade_notice(sink, deps);
    for (uint32_t aid : aggregates) cat.drop_function(*s_.txn_, aid);
    for (const auto& trigger : triggers) {  // (table, trigger name)
      catalog::TableDef t = *cat.table(trigger.first);
      std::erase_if(t.triggers, [&](const catalog::TriggerDef& g) { return g.name == trigger.second; });
      cat.put_table(*s_.txn_, std::move(t));
    }
    cat.drop_function(*s_.txn_, f->id);
  }
  sink.complete(aggregate ? "DROP AGGREGATE" : procedure ? "DROP PROCEDURE" : kind == "OBJECT_ROUTINE" ? "DROP ROUTINE" : "DROP FUNCTION", 0);
}

void DdlExecutor::create_trigger(const json::object& n, ResultSink& sink) {
  if (sql::bool_field(n, "isconstraint")) unsupported("CREATE CONSTRAINT TRIGGER");
  if (!list_field(n, "transitionRels").empty()) unsupported("REFERENCING (transition tables) in triggers");
  catalog::Catalog& cat = s_.writable_catalog();
  const auto& rv = field(n, "relation")->as_object();
  std::string schema = schema_of(rv, cat);
  std::string tname(str_field(rv, "relname"));
  auto table = cat.table(schema, tname);
  if (!table) raise(sqlstate::kUndefinedTable, "relation \"{}\" does not exist", tname);
  if (table->is_view()) unsupported("triggers on views");
  s_.check_owner(table->access, "table", table->name);
  catalog::TriggerDef g;
  g.name = std::string(str_field(n, "trigname"));
  int64_t timing = sql::int_field(n, "timing");
  if (timing & 64) unsupported("INSTEAD OF triggers");
  g.before = (timing & 2) != 0;
  g.row = sql::bool_field(n, "row");
  int64_t events = sql::int_field(n, "events");
  if (events & 32) unsupported("TRUNCATE triggers");
  g.events = static_cast<int>(events);
  for (const auto& c : list_field(n, "columns")) {
    std::string col(string_node(c));
    int i = table->column_index(col);
    if (i < 0) raise(sqlstate::kUndefinedColumn, "column \"{}\" of relation \"{}\" does not exist", col, table->name);
    g.columns.push_back(table->columns[static_cast<size_t>(i)].id);
  }
  for (const auto& a : list_field(n, "args")) g.args.emplace_back(string_node(a));
  if (const auto* w = field(n, "whenClause")) {
    // NEW and OLD as the events have them.
    std::function<void(const json::value&)> check = [&](const json::value& v) {
      if (v.is_array()) {
        for (const auto& x : v.as_array()) check(x);
      } else if (v.is_object()) {
        const auto& o = v.as_object();
        if (const auto* cr = o.if_contains("ColumnRef")) {
          const auto& fields = list_field(cr->as_object(), "fields");
          std::string rec = fields.size() == 2 && node_type(fields[0]) == "String" ? std::string(string_node(fields[0])) : "";
          if (!g.row) raise(sqlstate::kInvalidObjectDefinition, "statement trigger's WHEN condition cannot reference column values");
          if (rec == "old" && g.events == catalog::kTriggerInsert)
            raise(sqlstate::kInvalidObjectDefinition, "INSERT trigger's WHEN condition cannot reference OLD values");
          if (rec == "new" && g.events == catalog::kTriggerDelete)
            raise(sqlstate::kInvalidObjectDefinition, "DELETE trigger's WHEN condition cannot reference NEW values");
          if (rec != "old" && rec != "new") raise(sqlstate::kUndefinedColumn, "column reference in WHEN must be NEW.column or OLD.column");
          return;
        }
        for (const auto& kv : o) check(kv.value());
      }
    };
    check(*w);
    g.when = json::serialize(*w);
  }
  auto [fschema, fname] = qualified_name(list_field(n, "funcname"));
  std::shared_ptr<const catalog::FunctionDef> fn;
  for (const auto& c : cat.functions(fschema, fname))
    if (c->arg_types.empty()) fn = c;
  if (!fn) raise(sqlstate::kUndefinedFunction, "function {}() does not exist", fname);
  if (fn->ret_type != kTriggerType) raise(sqlstate::kInvalidObjectDefinition, "function {} must return type trigger", fname);
  g.function = fn->id;
  catalog::TableDef t = *table;
  auto same = std::ranges::find_if(t.triggers, [&](const catalog::TriggerDef& x) { return x.name == g.name; });
  if (same != t.triggers.end()) {
    if (!sql::bool_field(n, "replace"))
      raise(sqlstate::kDuplicateObject, "trigger \"{}\" for relation \"{}\" already exists", g.name, t.name);
    g.id = same->id;
    t.triggers.erase(same);
  } else {
    g.id = cat.allocate_id(*s_.txn_);
  }
  t.triggers.push_back(std::move(g));
  std::ranges::sort(t.triggers, {}, &catalog::TriggerDef::name);  // they fire in name order
  cat.put_table(*s_.txn_, std::move(t));
  sink.complete("CREATE TRIGGER", 0);
}

std::shared_ptr<const catalog::TableDef> DdlExecutor::member_target(const json::value& object, bool missing_ok,
                                                                    ResultSink& sink, std::string& name) {
  const auto& items = list_field(node_body(object), "items");
  name = std::string(string_node(items.back()));
  std::string tname(string_node(items[items.size() - 2]));
  std::string schema = items.size() > 2 ? std::string(string_node(items[items.size() - 3])) : "";
  auto table = s_.writable_catalog().table(schema, tname);
  if (!table) {
    if (!missing_ok) raise(sqlstate::kUndefinedTable, "relation \"{}\" does not exist", tname);
    send_notice(sink, sqlstate::kSuccessfulCompletion, fmt::format("relation \"{}\" does not exist, skipping", tname));
  }
  return table;
}

void DdlExecutor::drop_triggers(const json::object& n, ResultSink& sink) {
  bool missing_ok = sql::bool_field(n, "missing_ok");
  catalog::Catalog& cat = s_.writable_catalog();
  for (const auto& obj : list_field(n, "objects")) {
    std::string trig;
    auto table = member_target(obj, missing_ok, sink, trig);
    if (!table) continue;
    catalog::TableDef t = *table;
    auto it = std::ranges::find_if(t.triggers, [&](const catalog::TriggerDef& x) { return x.name == trig; });
    if (it == t.triggers.end()) {
      if (!missing_ok) raise(sqlstate::kUndefinedObject, "trigger \"{}\" for table \"{}\" does not exist", trig, t.name);
      send_notice(sink, sqlstate::kSuccessfulCompletion,
                  fmt::format("trigger \"{}\" for relation \"{}\" does not exist, skipping", trig, t.name));
      continue;
    }
    s_.check_owner(t.access, "table", t.name);
    t.triggers.erase(it);
    cat.put_table(*s_.txn_, std::move(t));
  }
  sink.complete("DROP TRIGGER", 0);
}

// ALTER TABLE ... ENABLE / DISABLE TRIGGER name | ALL | USER.
void DdlExecutor::enable_trigger(catalog::TableDef& t, std::string_view subtype, const std::string& name) {
  bool enable = subtype.starts_with("AT_EnableTrig");
  bool all = subtype.ends_with("All") || subtype.ends_with("User");
  bool found = false;
  for (auto& g : t.triggers)
    if (all || g.name == name) {
      g.enabled = enable;
      found = true;
    }
  if (!found && !all) raise(sqlstate::kUndefinedObject, "trigger \"{}\" for table \"{}\" does not exist", name, t.name);
}

}  // namespace heliosdb::engine
