// CREATE TABLE ... AS SELECT: a table shaped like the query's columns, filled with its rows.
#include <boost/json.hpp>

#include "common/errors.h"
#include "common/types.h"
#include "engine/ddl.h"
#include "engine/session_impl.h"
#include "executor/table_access.h"
#include "planner/binder.h"

namespace heliosdb::engine {

namespace json = boost::json;
using namespace ddl;

namespace {

std::string_view str_field_persistence(const json::object& rv) { return sql::str_field(rv, "relpersistence"); }

}  // namespace

// REFRESH MATERIALIZED VIEW [CONCURRENTLY] name [WITH [NO] DATA].
void DdlExecutor::refresh_matview(const json::object& n, ResultSink& sink) {
  catalog::Catalog& cat = s_.writable_catalog();
  const auto& rv = sql::field(n, "relation")->as_object();
  std::string name(sql::str_field(rv, "relname"));
  auto t = cat.table(schema_of(rv, cat), name);
  if (!t) raise(sqlstate::kUndefinedTable, "relation \"{}\" does not exist", name);
  if (!t->is_matview()) raise(sqlstate::kFeatureNotSupported, "\"{}\" is not a materialized view", name);
  s_.check_owner(t->access, "materialized view", name);
  bool skip = sql::bool_field(n, "skipData");
  if (sql::bool_field(n, "concurrent")) {
    if (skip) raise(sqlstate::kSyntaxError, "CONCURRENTLY and WITH NO DATA options cannot be used together");
    if (!t->populated) raise(sqlstate::kFeatureNotSupported, "CONCURRENTLY cannot be used when the materialized view is not populated");
    bool unique = false;
    for (uint32_t iid : t->indexes)
      if (auto ix = cat.index(iid); ix && ix->unique && ix->predicate.empty()) unique = true;
    if (!unique)
      throw Error(sqlstate::kObjectNotInPrerequisiteState, fmt::format("cannot refresh materialized view \"{}.{}\" concurrently", t->schema, name))
          .with_hint("Create a unique index with no WHERE clause on one or more columns of the materialized view.");
  }
  fill_matview(*t, !skip);
  sink.complete("REFRESH MATERIALIZED VIEW", 0);
}

// The query's rows, computed first, then written through the table's writer (constraints,
// indexes); unknown literals are text. Returns how many.
uint64_t DdlExecutor::insert_query_rows(planner::Plan& plan, uint32_t table_id) {
  auto table = s_.writable_catalog().table(table_id);
  s_.run_before(plan, nullptr, nullptr);
  exec::ExecContext ctx = s_.make_context(nullptr);
  std::vector<Row> rows;
  Row row;
  plan.root->open(ctx);
  while (plan.root->next(row)) rows.push_back(row);
  plan.root->close();
  exec::TableWriter writer(table, s_.writable_catalog());
  planner::Binder(s_.writable_catalog(), "", {}, &s_.text_context()).prepare_writer(writer, *table);
  for (Row& r : rows) {
    for (auto& v : r)
      if (v.type() == oid::kUnknownType) v = v.is_null() ? Value::null(oid::kText) : Value::text(v.as_string());
    writer.insert(ctx, r);
  }
  return rows.size();
}

void DdlExecutor::fill_matview(const catalog::TableDef& mv, bool populate) {
  catalog::Catalog& cat = s_.writable_catalog();
  exec::TableLayout layout(cat.table(mv.id));
  delete_range(layout.prefix);
  for (uint32_t iid : mv.indexes) delete_range(exec::index_prefix(iid));
  catalog::TableDef t = *cat.table(mv.id);
  t.populated = populate;
  cat.put_table(*s_.txn_, std::move(t));
  if (!populate) return;
  planner::Binder binder(cat, "", {}, &s_.text_context());
  auto plan = binder.bind_statement(json::parse(mv.matview_query).as_object());
  if (plan->plan_error) throw *plan->plan_error;
  insert_query_rows(*plan, mv.id);
}

void DdlExecutor::create_table_as(const json::object& n, ResultSink& sink) {
  bool matview = sql::str_field(n, "objtype") == "OBJECT_MATVIEW";
  const char* tag = matview ? "CREATE MATERIALIZED VIEW" : "CREATE TABLE AS";
  const auto& into = sql::field(n, "into")->as_object();
  const auto& rv = sql::field(into, "rel")->as_object();
  std::string on_commit(sql::str_field(into, "onCommit"));
  const json::value* query = sql::field(n, "query");
  if (!query || sql::node_type(*query) != "SelectStmt") unsupported("CREATE TABLE AS of anything but a SELECT");

  catalog::Catalog& cat = s_.writable_catalog();
  std::string schema = creation_schema(rv);
  std::string name(sql::str_field(rv, "relname"));
  check_on_commit(on_commit, schema);
  if (matview && str_field_persistence(rv) == "t") raise(sqlstate::kFeatureNotSupported, "materialized views must not use temporary tables or views");
  if (sql::bool_field(n, "if_not_exists") && skip_existing(cat, schema, name, true, tag, sink)) return;
  planner::Binder binder(cat, sql_, {}, &s_.text_context());
  auto plan = binder.bind_statement(query->as_object());
  s_.check_access(plan->access);
  if (plan->plan_error) throw *plan->plan_error;

  // The table: the query's column names (or the given ones) and types; unknown literals are text.
  ddl::check_table_options(sql::list_field(into, "options"));
  const auto& names = sql::list_field(into, "colNames");
  if (names.size() > plan->columns.size()) raise(sqlstate::kSyntaxError, "too many column names were specified");
  std::string ddl = (str_field_persistence(rv) == "u" ? "CREATE UNLOGGED TABLE " : "CREATE TABLE ") + sql::quote_identifier(schema) + "." + sql::quote_identifier(name) + " (";
  std::vector<uint32_t> types;
  for (size_t i = 0; i < plan->columns.size(); ++i) {
    const Column& c = plan->columns[i];
    std::string col = i < names.size() ? std::string(sql::str_field(sql::node_body(names[i]), "sval")) : c.name;
    uint32_t type = c.type_oid == oid::kUnknownType ? oid::kText : c.type_oid;
    types.push_back(type);
    ddl += (i ? ", " : "") + sql::quote_identifier(col) + " " + types::format_type(type, c.typmod);
  }
  ddl += ")";
  auto parsed = sql::parse(ddl);
  DiscardSink quiet(&sink);
  DdlExecutor(s_, parsed->sql).create_table(parsed->statements[0].node->begin()->value().as_object(), quiet);
  if (matview) {
    // The query kept (qualified, as a view's) for REFRESH.
    catalog::TableDef t = *s_.writable_catalog().table(schema, name);
    json::value q = *query;
    qualify_query(q, s_.writable_catalog(), t.view_depends);
    t.matview_query = json::serialize(q);
    t.view_definition = view_definition(statement_.empty() ? sql_ : statement_);
    t.populated = !sql::bool_field(into, "skipData");
    s_.writable_catalog().put_table(*s_.txn_, std::move(t));
  }
  add_on_commit(on_commit, *s_.writable_catalog().table(schema, name));
  if (sql::bool_field(into, "skipData")) {
    sink.complete(tag, 0);
    return;
  }

  uint64_t count = insert_query_rows(*plan, s_.writable_catalog().table(schema, name)->id);
  sink.complete("SELECT " + std::to_string(count), count);
}


}  // namespace heliosdb::engine
