// Views: CREATE [OR REPLACE] VIEW and what depends on them.
//
// A view is a catalog table entry with a query and no rows: its columns come from binding the
// query when it is made, its relation names are qualified then (so the search path of a later
// session does not change what it reads), and each use binds the query again in its place.
#include <algorithm>
#include <boost/json.hpp>
#include <functional>
#include <set>

#include "common/errors.h"
#include "common/types.h"
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
using namespace ddl;

namespace {

// Qualifies the query's references to tables and views with their schemas and collects their
// ids; names of CTEs (anywhere in the query) are left alone.
void qualify(json::value& query, const catalog::Catalog& cat, const std::set<std::string>& ctes, std::vector<uint32_t>& depends) {
  for_each_range_var(query, [&](json::object& r) {
    std::string schema(str_field(r, "schemaname")), name(str_field(r, "relname"));
    if (schema.empty() && ctes.count(name)) return;
    if (auto t = cat.table(schema, name)) {
      r["schemaname"] = t->schema;
      if (std::ranges::find(depends, t->id) == depends.end()) depends.push_back(t->id);
    }
  });
}

void collect_ctes(const json::value& v, std::set<std::string>& out) {
  if (v.is_array()) {
    for (const auto& x : v.as_array()) collect_ctes(x, out);
  } else if (v.is_object()) {
    if (const auto* c = v.as_object().if_contains("CommonTableExpr")) out.insert(std::string(str_field(c->as_object(), "ctename")));
    for (const auto& kv : v.as_object()) collect_ctes(kv.value(), out);
  }
}

// "CREATE [OR REPLACE] [TEMP] VIEW name [(columns)] AS query": the query's text as deparsed.
std::string definition_of(std::string_view statement) {
  std::string d = sql::deparse(statement);
  size_t view = d.find(" VIEW ");
  size_t as = d.find(" AS ", view == std::string::npos ? 0 : view);
  std::string q = as == std::string::npos ? d : d.substr(as + 4);
  while (!q.empty() && (q.back() == ';' || q.back() == ' ')) q.pop_back();
  return q;
}

}  // namespace

void ddl::qualify_query(json::value& query, const catalog::Catalog& cat, std::vector<uint32_t>& depends) {
  std::set<std::string> ctes;
  collect_ctes(query, ctes);
  qualify(query, cat, ctes, depends);
}

std::string ddl::view_definition(std::string_view statement) {
  std::string q = definition_of(statement);
  for (const char* tail : {" WITH NO DATA", " WITH DATA"})
    if (q.ends_with(tail)) q.resize(q.size() - std::string_view(tail).size());
  return q;
}

void DdlExecutor::create_view(const json::object& n, ResultSink& sink) {
  catalog::Catalog& cat = s_.writable_catalog();
  const auto& rv = field(n, "view")->as_object();
  if (std::string(str_field(n, "withCheckOption")) != "NO_CHECK_OPTION" && !str_field(n, "withCheckOption").empty())
    unsupported("WITH CHECK OPTION (views are read-only here)");
  if (!list_field(n, "options").empty()) unsupported("view options");
  std::string schema = creation_schema(rv);
  std::string name(str_field(rv, "relname"));
  json::value query = *field(n, "query");
  if (node_type(query) != "SelectStmt") unsupported("views of anything but a SELECT");
  if (field(node_body(query), "intoClause")) raise(sqlstate::kFeatureNotSupported, "views must not contain SELECT INTO");

  // The columns: the query's, renamed by the column list; unknown literals are text.
  planner::Binder binder(cat, sql_, {}, &s_.text_context());
  auto plan = binder.bind_statement(query.as_object());
  if (!plan->param_types.empty()) raise(sqlstate::kUndefinedParameter, "there is no parameter $1");
  const auto& aliases = list_field(n, "aliases");
  if (aliases.size() > plan->columns.size()) raise(sqlstate::kSyntaxError, "CREATE VIEW specifies more column names than columns");
  catalog::TableDef t;
  t.schema = schema;
  t.name = name;
  t.access.owner = s_.current_role_oid();
  for (size_t i = 0; i < plan->columns.size(); ++i) {
    const Column& c = plan->columns[i];
    catalog::ColumnDef col;
    col.id = t.next_column_id++;
    col.name = i < aliases.size() ? std::string(string_node(aliases[i])) : c.name;
    if (t.column_index(col.name) >= 0) raise(sqlstate::kDuplicateColumn, "column \"{}\" specified more than once", col.name);
    col.type = c.type_oid == oid::kUnknownType ? oid::kText : c.type_oid;
    col.typmod = c.typmod;
    col.missing = Value::null(col.type);
    t.columns.push_back(std::move(col));
  }
  std::set<std::string> ctes;
  collect_ctes(query, ctes);
  qualify(query, cat, ctes, t.view_depends);
  t.view_query = json::serialize(query);
  t.view_definition = definition_of(statement_.empty() ? sql_ : statement_);

  auto existing = cat.table(schema, name);
  if (existing && existing->schema != schema) existing = nullptr;
  if (existing || cat.relation_exists(schema, name)) {
    if (!sql::bool_field(n, "replace") || !existing || !existing->is_view())
      raise(sqlstate::kDuplicateTable, "relation \"{}\" already exists", name);
    // OR REPLACE keeps the columns there are (names and types) and may add more.
    if (t.columns.size() < existing->columns.size()) raise(sqlstate::kInvalidTableDefinition, "cannot drop columns from view");
    for (size_t i = 0; i < existing->columns.size(); ++i) {
      const auto &was = existing->columns[i], &now = t.columns[i];
      if (was.name != now.name)
        throw Error(sqlstate::kInvalidTableDefinition,
                    fmt::format("cannot change name of view column \"{}\" to \"{}\"", was.name, now.name))
            .with_hint("Use ALTER VIEW ... RENAME COLUMN ... to change name of view column instead.");
      if (was.type != now.type || was.typmod != now.typmod)
        raise(sqlstate::kInvalidTableDefinition, "cannot change data type of view column \"{}\" from {} to {}", was.name,
              types::format_type(was.type, was.typmod), types::format_type(now.type, now.typmod));
    }
    if (std::ranges::count(t.view_depends, existing->id)) raise(sqlstate::kInvalidObjectDefinition, "infinite recursion detected in rules for relation \"{}\"", name);
    t.id = existing->id;
    t.comment = existing->comment;
  } else {
    t.id = cat.allocate_id(*s_.txn_);
  }
  cat.put_table(*s_.txn_, std::move(t));
  sink.complete("CREATE VIEW", 0);
}

void DdlExecutor::drop_dependent_views(uint32_t relation_id, bool cascade, const std::string& what, ResultSink& sink,
                                       const std::vector<uint32_t>& also_dropped) {
  catalog::Catalog& cat = s_.writable_catalog();
  // The views that read it, and (for CASCADE) those reading them, in turn.
  std::vector<std::shared_ptr<const catalog::TableDef>> found;
  std::function<void(uint32_t)> collect = [&](uint32_t id) {
    for (const auto& entry : cat.tables()) {
      uint32_t vid = entry.first;  // not a structured binding: the lambda below uses it
      const auto& v = entry.second;
      if ((!v->is_view() && !v->is_matview()) || !std::ranges::count(v->view_depends, id) || std::ranges::count(also_dropped, vid))
        continue;
      if (std::ranges::any_of(found, [&](const auto& f) { return f->id == vid; })) continue;
      found.push_back(v);
      collect(vid);
    }
  };
  collect(relation_id);
  if (found.empty()) return;
  auto target = cat.table(relation_id);
  if (!cascade) {
    std::string detail;
    for (const auto& v : found)
      if (std::ranges::count(v->view_depends, relation_id))
        detail += fmt::format("{}{} {} depends on {} {}", detail.empty() ? "" : "\n", v->is_matview() ? "materialized view" : "view",
                              v->name, target->is_view() ? "view" : target->is_matview() ? "materialized view" : "table", target->name);
    throw Error(sqlstate::kDependentObjectsStillExist, fmt::format("cannot drop {} because other objects depend on it", what))
        .with_detail(detail)
        .with_hint("Use DROP ... CASCADE to drop the dependent objects too.");
  }
  std::vector<std::string> gone;
  for (const auto& v : found) gone.push_back((v->is_matview() ? "materialized view " : "view ") + v->name);
  send_cascade_notice(sink, gone);
  for (const auto& v : found) drop_relation(*v);
}

}  // namespace heliosdb::engine
