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

namespace {

}  // namespace

void DdlExecutor::create_table_as(const json::object& n, ResultSink& sink) {
  if (sql::str_field(n, "objtype") == "OBJECT_MATVIEW") unsupported("materialized views");
  const auto& into = sql::field(n, "into")->as_object();
  const auto& rv = sql::field(into, "rel")->as_object();
  std::string on_commit(sql::str_field(into, "onCommit"));
  if (on_commit == "ONCOMMIT_DROP" || on_commit == "ONCOMMIT_DELETE_ROWS") unsupported("ON COMMIT DROP / DELETE ROWS");
  const json::value* query = sql::field(n, "query");
  if (!query || sql::node_type(*query) != "SelectStmt") unsupported("CREATE TABLE AS of anything but a SELECT");

  catalog::Catalog& cat = s_.writable_catalog();
  std::string schema = creation_schema(rv);
  std::string name(sql::str_field(rv, "relname"));
  if (sql::bool_field(n, "if_not_exists") && skip_existing(cat, schema, name, true, "CREATE TABLE AS", sink)) return;
  planner::Binder binder(cat, sql_, {}, &s_.text_context());
  auto plan = binder.bind_statement(query->as_object());
  s_.check_access(plan->access);
  if (plan->plan_error) throw *plan->plan_error;

  // The table: the query's column names (or the given ones) and types; unknown literals are text.
  const auto& names = sql::list_field(into, "colNames");
  if (names.size() > plan->columns.size()) raise(sqlstate::kSyntaxError, "too many column names were specified");
  std::string ddl = "CREATE TABLE " + sql::quote_identifier(schema) + "." + sql::quote_identifier(name) + " (";
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
  if (sql::bool_field(into, "skipData")) {
    sink.complete("CREATE TABLE AS", 0);
    return;
  }

  // The rows: computed first, then written through the table's writer (constraints, indexes).
  auto table = s_.writable_catalog().table(schema, name);
  exec::ExecContext ctx = s_.make_context(nullptr);
  std::vector<Row> rows;
  Row row;
  plan->root->open(ctx);
  while (plan->root->next(row)) rows.push_back(row);
  plan->root->close();
  exec::TableWriter writer(table, s_.writable_catalog());
  for (Row& r : rows) {
    for (size_t i = 0; i < r.size(); ++i)
      if (r[i].type() == oid::kUnknownType) r[i] = r[i].is_null() ? Value::null(oid::kText) : Value::text(r[i].as_string());
    writer.insert(ctx, r);
  }
  sink.complete("SELECT " + std::to_string(rows.size()), rows.size());
}

}  // namespace heliosdb::engine
