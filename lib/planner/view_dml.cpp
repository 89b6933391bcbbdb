// INSERT, UPDATE and DELETE on automatically updatable views (PostgreSQL's rules): a view that
// reads one table or updatable view, without WITH, DISTINCT, GROUP BY, HAVING, LIMIT/OFFSET,
// set operations, aggregates or window functions. The statement is rewritten onto the view's
// table: its columns become the table's (or the view's expressions, where only read), and the
// view's WHERE joins the statement's.
#include <boost/json.hpp>

#include "common/errors.h"
#include "planner/agg_context.h"
#include "planner/binder.h"

namespace heliosdb::planner {

using sql::field;
using sql::list_field;
using sql::node_body;
using sql::node_type;
using sql::str_field;
using sql::string_node;

namespace {

json::value column_ref(const std::string& relation, const std::string& name) {
  json::array fields;
  fields.push_back(json::object{{"String", json::object{{"sval", relation}}}});
  fields.push_back(json::object{{"String", json::object{{"sval", name}}}});
  return json::object{{"ColumnRef", json::object{{"fields", std::move(fields)}, {"location", -1}}}};
}

bool has_window(const json::value& v) {
  if (v.is_array()) {
    for (const auto& x : v.as_array())
      if (has_window(x)) return true;
  } else if (v.is_object()) {
    const auto& o = v.as_object();
    if (const auto* f = o.if_contains("FuncCall"); f && f->as_object().contains("over")) return true;
    if (o.contains("SubLink")) return false;
    for (const auto& kv : o)
      if (has_window(kv.value())) return true;
  }
  return false;
}

}  // namespace

const char* view_not_updatable(const json::object& q) {
  if (field(q, "withClause")) return "Views containing WITH are not automatically updatable.";
  if (!list_field(q, "distinctClause").empty()) return "Views containing DISTINCT are not automatically updatable.";
  if (!list_field(q, "groupClause").empty()) return "Views containing GROUP BY are not automatically updatable.";
  if (field(q, "havingClause")) return "Views containing HAVING are not automatically updatable.";
  if (field(q, "limitCount") || field(q, "limitOffset")) return "Views containing LIMIT or OFFSET are not automatically updatable.";
  if (!str_field(q, "op").empty() && str_field(q, "op") != "SETOP_NONE")
    return "Views containing UNION, INTERSECT, or EXCEPT are not automatically updatable.";
  const auto& from = list_field(q, "fromClause");
  if (from.size() != 1 || node_type(from[0]) != "RangeVar")
    return "Views that do not select from a single table or view are not automatically updatable.";
  for (const auto& t : list_field(q, "targetList")) {
    if (contains_aggregate(t)) return "Views that return aggregate functions are not automatically updatable.";
    if (has_window(t)) return "Views that return window functions are not automatically updatable.";
  }
  return nullptr;
}

std::vector<bool> view_updatable_columns(const json::object& q) {
  std::vector<bool> out;
  if (view_not_updatable(q)) return out;
  for (const auto& t : list_field(q, "targetList")) {
    const json::value* val = field(node_body(t), "val");
    bool plain = node_type(*val) == "ColumnRef";
    if (plain && node_type(list_field(node_body(*val), "fields").back()) == "A_Star") return {};  // expanded: all columns
    out.push_back(plain);
  }
  return out;
}

std::optional<json::object> Binder::rewrite_view_dml(std::string_view verb, const json::object& n) {
  const auto& rv = field(n, "relation")->as_object();
  auto view = catalog_.table(std::string(str_field(rv, "schemaname")), std::string(str_field(rv, "relname")));
  if (!view || !view->is_view()) return std::nullopt;
  const std::string& vname = view->name;
  std::string what = verb == "INSERT" ? "insert into" : verb == "UPDATE" ? "update" : "delete from";
  auto not_updatable = [&](const char* detail) {
    throw Error(sqlstate::kObjectNotInPrerequisiteState, fmt::format("cannot {} view \"{}\"", what, vname))
        .with_detail(detail)
        .with_hint(fmt::format("To enable {} the view, provide an INSTEAD OF {} trigger or an unconditional ON {} DO INSTEAD rule.",
                               verb == "INSERT" ? "inserting into" : verb == "UPDATE" ? "updating" : "deleting from", verb, verb));
  };
  json::parse_options deep;
  deep.max_depth = 100000;
  auto parsed = std::make_shared<json::value>(json::parse(view->view_query, {}, deep));
  view_queries_.push_back(parsed);
  const auto& q = node_body(*parsed);
  const auto& from = list_field(q, "fromClause");
  if (const char* why = view_not_updatable(q)) not_updatable(why);
  if (field(n, "onConflictClause")) unsupported("INSERT ... ON CONFLICT on a view");
  if (field(n, "withClause")) unsupported("WITH on INSERT, UPDATE or DELETE of a view");

  // The table the view reads, under the name the view's own clauses use for it.
  json::object base = from[0].as_object();
  const auto& brv = node_body(from[0]);
  std::string base_alias(str_field(brv, "relname"));
  if (const auto* a = field(brv, "alias")) base_alias = std::string(str_field(a->as_object(), "aliasname"));
  // Each view column: its expression over the table, and the table column when it is one.
  std::vector<json::value> exprs;
  std::vector<std::string> columns;
  const auto& targets = list_field(q, "targetList");
  for (const auto& t : targets) {
    const json::value* val = field(node_body(t), "val");
    if (node_type(*val) == "ColumnRef" && node_type(list_field(node_body(*val), "fields").back()) == "A_Star") {
      auto table = catalog_.table(std::string(str_field(brv, "schemaname")), std::string(str_field(brv, "relname")));
      if (!table) not_updatable("Views that do not select from a single table or view are not automatically updatable.");
      for (const auto& c : table->columns) {
        exprs.push_back(column_ref(base_alias, c.name));
        columns.push_back(c.name);
      }
      continue;
    }
    exprs.push_back(*val);
    const auto& fields = node_type(*val) == "ColumnRef" ? list_field(node_body(*val), "fields") : json::array{};
    columns.push_back(!fields.empty() && node_type(fields.back()) == "String" ? std::string(string_node(fields.back())) : "");
  }
  auto index_of = [&](std::string_view name) -> int {
    for (size_t i = 0; i < view->columns.size() && i < exprs.size(); ++i)
      if (view->columns[i].name == name) return static_cast<int>(i);
    return -1;
  };
  auto base_column = [&](std::string_view name, const char* verb_lower) {
    int i = index_of(name);
    if (i < 0) raise(sqlstate::kUndefinedColumn, "column \"{}\" of relation \"{}\" does not exist", name, vname);
    if (columns[static_cast<size_t>(i)].empty())
      throw Error(sqlstate::kFeatureNotSupported, fmt::format("cannot {} column \"{}\" of view \"{}\"", verb_lower, name, vname))
          .with_detail("View columns that are not columns of their base relation are not updatable.");
    return columns[static_cast<size_t>(i)];
  };
  // The statement's references to view columns read the view's expressions (not inside
  // subqueries, whose names are their own).
  std::string alias = std::string(str_field(rv, "relname"));
  if (const auto* a = field(rv, "alias")) alias = std::string(str_field(a->as_object(), "aliasname"));
  std::function<void(json::value&)> rewrite = [&](json::value& v) {
    if (v.is_array()) {
      for (auto& x : v.as_array()) rewrite(x);
      return;
    }
    if (!v.is_object()) return;
    auto& o = v.as_object();
    if (o.contains("SubLink")) return;
    if (auto* c = o.if_contains("ColumnRef")) {
      const auto& fields = c->as_object().at("fields").as_array();
      if (fields.empty() || node_type(fields.back()) != "String" || fields.size() > 2) return;
      if (fields.size() == 2 && string_node(fields[0]) != alias) return;
      int i = index_of(string_node(fields.back()));
      if (i >= 0) v = exprs[static_cast<size_t>(i)];
      return;
    }
    for (auto& kv : o) rewrite(kv.value());
  };
  json::object out = n;
  out["relation"] = base.at("RangeVar");
  // RETURNING: the view's columns (as named in the view for * and bare references).
  if (const auto* ret = field(n, "returningList")) {
    json::array list;
    for (const auto& t : ret->as_array()) {
      const auto& rt = node_body(t);
      const json::value* val = field(rt, "val");
      if (node_type(*val) == "ColumnRef" && node_type(list_field(node_body(*val), "fields").back()) == "A_Star") {
        for (size_t i = 0; i < view->columns.size() && i < exprs.size(); ++i)
          list.push_back(json::object{{"ResTarget", json::object{{"name", view->columns[i].name}, {"val", exprs[i]}, {"location", -1}}}});
        continue;
      }
      json::object r = rt;
      if (!r.contains("name") && node_type(*val) == "ColumnRef") r["name"] = string_node(list_field(node_body(*val), "fields").back());
      rewrite(r["val"]);
      list.push_back(json::object{{"ResTarget", std::move(r)}});
    }
    out["returningList"] = std::move(list);
  }
  const json::value* view_where = field(q, "whereClause");
  auto and_where = [&](json::object& stmt) {
    json::value* w = stmt.if_contains("whereClause");
    if (w) rewrite(*w);
    if (!view_where) return;
    if (!w) {
      stmt["whereClause"] = *view_where;
      return;
    }
    json::array args{*w, *view_where};
    stmt["whereClause"] = json::object{{"BoolExpr", json::object{{"boolop", "AND_EXPR"}, {"args", std::move(args)}, {"location", -1}}}};
  };
  if (verb == "INSERT") {
    json::array cols;
    if (const auto* given = field(n, "cols")) {
      for (const auto& c : given->as_array()) {
        json::object rt = node_body(c);
        rt["name"] = base_column(str_field(rt, "name"), "insert into");
        cols.push_back(json::object{{"ResTarget", std::move(rt)}});
      }
    } else {
      for (size_t i = 0; i < view->columns.size() && i < exprs.size(); ++i)
        cols.push_back(json::object{{"ResTarget", json::object{{"name", base_column(view->columns[i].name, "insert into")}, {"location", -1}}}});
    }
    out["cols"] = std::move(cols);
  } else if (verb == "UPDATE") {
    json::array sets;
    for (const auto& t : list_field(n, "targetList")) {
      json::object rt = node_body(t);
      rt["name"] = base_column(str_field(rt, "name"), "update");
      rewrite(rt["val"]);
      if (auto* ind = rt.if_contains("indirection")) rewrite(*ind);  // subscripts may read columns
      sets.push_back(json::object{{"ResTarget", std::move(rt)}});
    }
    out["targetList"] = std::move(sets);
    and_where(out);
  } else {
    and_where(out);
  }
  // The view's name (or the statement's alias) now names the table.
  return out;
}

}  // namespace heliosdb::planner
