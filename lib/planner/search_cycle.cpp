// WITH RECURSIVE ... SEARCH / CYCLE: the clauses become ordinary expressions on the two sides
// of the CTE's UNION, as PostgreSQL's rewriteSearchCycle.c rewrites them. For
//
//   WITH RECURSIVE c (c1, c2, c3) AS (query1 UNION [ALL] SELECT trosl FROM c ...)
//     SEARCH DEPTH FIRST BY c1, c2 SET sqc  CYCLE c1, c2 SET cmc TO cmv DEFAULT cmd USING cpa
//
// the non-recursive side yields c1, c2, c3, ARRAY[ROW(c1, c2)], cmd, ARRAY[ROW(c1, c2)], and
// the recursive side (its SELECT list extended by c.sqc, c.cmc, c.cpa, read from the working
// table) yields, for rows where cmc <> cmv,
//   c1, c2, c3, sqc || ARRAY[ROW(c1, c2)],
//   CASE WHEN ROW(c1, c2) = ANY (cpa) THEN cmv ELSE cmd END, cpa || ARRAY[ROW(c1, c2)].
// SEARCH BREADTH FIRST makes sqc ROW(0, c1, c2), then ROW(sqc.depth + 1, c1, c2).
// The added columns of the working table are found by name but not expanded by *.
#include <boost/json.hpp>
#include <algorithm>
#include <functional>
#include <string>

#include "common/array.h"
#include "common/errors.h"
#include "common/types.h"
#include "executor/functions.h"
#include "planner/binder.h"

namespace heliosdb::planner {

using exec::ExprPtr;
using exec::OperatorPtr;
using sql::field;
using sql::int_field;
using sql::list_field;
using sql::node_body;
using sql::node_type;
using sql::str_field;
using sql::string_node;

namespace {

json::value str_node(std::string_view s) { return json::object{{"String", json::object{{"sval", s}}}}; }

json::value column_ref(std::string_view name) {
  return json::object{{"ColumnRef", json::object{{"fields", json::array{str_node(name)}}, {"location", -1}}}};
}

json::value row_of(json::array args) {
  return json::object{{"RowExpr", json::object{{"args", std::move(args)}, {"row_format", "COERCE_IMPLICIT_CAST"}, {"location", -1}}}};
}

json::value array_of(json::value element) {
  return json::object{{"A_ArrayExpr", json::object{{"elements", json::array{std::move(element)}}, {"location", -1}}}};
}

json::value op_expr(std::string_view kind, std::string_view op, json::value l, json::value r) {
  return json::object{{"A_Expr", json::object{{"kind", kind}, {"name", json::array{str_node(op)}}, {"lexpr", std::move(l)},
                                              {"rexpr", std::move(r)}, {"location", -1}}}};
}

json::value int8_zero() {
  json::object type_name{{"names", json::array{str_node("pg_catalog"), str_node("int8")}}, {"typemod", -1}, {"location", -1}};
  json::object arg{{"A_Const", json::object{{"sval", json::object{{"sval", "0"}}}, {"location", -1}}}};
  return json::object{{"TypeCast", json::object{{"arg", std::move(arg)}, {"typeName", std::move(type_name)}, {"location", -1}}}};
}

// The expression scope's names for the CTE's columns and the added ones: no user spelling
// reaches them, so duplicate column names cannot make them ambiguous.
std::string internal_name(size_t k) { return "*c" + std::to_string(k) + "*"; }
constexpr std::string_view kSeq = "*sqc*", kMark = "*cmc*", kPath = "*cpa*";

std::vector<std::string> names_of(const json::object& clause, std::string_view key) {
  std::vector<std::string> out;
  for (const auto& v : list_field(clause, key)) out.emplace_back(string_node(v));
  return out;
}

// ROW(columns...) of the CTE's columns named in list (each the first of that name).
json::array row_args(const std::vector<std::string>& list, const std::vector<ScopeColumn>& cols) {
  json::array args;
  for (const auto& name : list)
    for (size_t k = 0; k < cols.size(); ++k)
      if (cols[k].name == name) {
        args.push_back(column_ref(internal_name(k)));
        break;
      }
  return args;
}

// Types PostgreSQL's type cache finds no equality operator for (no btree or hash opclass).
bool has_equality(uint32_t type) {
  if (uint32_t e = array::element_type(type)) type = e;
  return type != oid::kJson && type != 142 /* xml */ && type != 4072 /* jsonpath */; }

// The FROM item of rterm that reads the CTE itself (at its top level, joins included): the name
// its columns are qualified by. Empty when there is none (an inner WITH of that name hides it).
std::string self_reference(const json::object& rterm, const std::string& name) {
  if (const auto* w = field(rterm, "withClause"))
    for (const auto& c : list_field(w->as_object(), "ctes"))
      if (str_field(node_body(c), "ctename") == name) return {};
  std::string found;
  std::function<void(const json::value&)> walk = [&](const json::value& item) {
    if (!found.empty()) return;
    std::string_view t = node_type(item);
    const auto& b = node_body(item);
    if (t == "RangeVar") {
      if (str_field(b, "relname") == name && str_field(b, "schemaname").empty()) {
        found = name;
        if (const auto* a = field(b, "alias")) found = std::string(str_field(a->as_object(), "aliasname"));
      }
    } else if (t == "JoinExpr") {
      if (const auto* l = field(b, "larg")) walk(*l);
      if (const auto* r = field(b, "rarg")) walk(*r);
    }
  };
  for (const auto& item : list_field(rterm, "fromClause")) walk(item);
  return found;
}

}  // namespace

// Before the CTE's query: the cycle mark's type, the common type of its TO and DEFAULT values,
// which needs an inequality operator.
void Binder::bind_cycle_mark(Cte& cte) {
  if (!cte.cycle) return;
  Scope none;
  ExprPtr v = bind_expr(*field(*cte.cycle, "cycle_mark_value"), none);
  ExprPtr d = bind_expr(*field(*cte.cycle, "cycle_mark_default"), none);
  cte.mark_type = exec::common_type({v->type, d->type}, "CYCLE");
  if (cte.mark_type == oid::kUnknownType) cte.mark_type = oid::kText;
  cte.mark_typmod = v->type == d->type && v->typmod == d->typmod ? v->typmod : -1;
  if (!has_equality(cte.mark_type))
    raise(sqlstate::kUndefinedFunction, "could not identify an equality operator for type {}", types::format_type(cte.mark_type, -1));
}

// PostgreSQL checks a WITH query's SEARCH and CYCLE clauses even when nothing reads it: bind
// such a query once, for its errors.
void Binder::check_unreferenced_search_cycle(size_t first_cte) {
  for (size_t i = first_cte; i < ctes_.size(); ++i) {
    Cte& cte = ctes_[i];
    if (cte.referenced || !cte.recursive || !(cte.search || cte.cycle)) continue;
    cte.referenced = cte.binding = true;
    size_t refs = outer_refs_;
    Scope unused;
    try {
      bind_recursive_cte(cte, unused);
    } catch (...) {
      cte.binding = false;
      throw;
    }
    cte.binding = false;
    outer_refs_ = refs;
  }
}

// The CTE's query must be "SELECT ... UNION [ALL] SELECT ...".
void Binder::check_search_cycle_form(const Cte& cte) {
  const json::object& q = *cte.query;
  auto is_setop = [&](const char* side) {
    std::string_view op = str_field(field(q, side)->as_object(), "op");
    return !op.empty() && op != "SETOP_NONE";
  };
  if (is_setop("larg"))
    raise(sqlstate::kFeatureNotSupported, "with a SEARCH or CYCLE clause, the left side of the UNION must be a SELECT");
  if (is_setop("rarg")) raise(sqlstate::kSyntaxError, "with a SEARCH or CYCLE clause, the right side of the UNION must be a SELECT");
}

// The columns the clauses add to the working table, as the recursive term sees them.
std::vector<ScopeColumn> Binder::search_cycle_columns(const Cte& cte) {
  std::vector<ScopeColumn> added;
  if (cte.search) {
    bool breadth = sql::bool_field(*cte.search, "search_breadth_first");
    added.push_back({"", std::string(str_field(*cte.search, "search_seq_column")), breadth ? oid::kRecord : array::array_type_of(oid::kRecord)});
  }
  if (cte.cycle) {
    added.push_back({"", std::string(str_field(*cte.cycle, "cycle_mark_column")), cte.mark_type, cte.mark_typmod});
    added.push_back({"", std::string(str_field(*cte.cycle, "cycle_path_column")), array::array_type_of(oid::kRecord)});
  }
  for (auto& c : added) c.hidden = c.system = true;
  return added;
}

// The recursive term with the working table's added columns appended to its SELECT list, or
// nullptr when it does not read the CTE at its top level.
const json::object* Binder::search_cycle_rterm(const Cte& cte, const json::object& rterm) {
  std::string rel = self_reference(rterm, cte.name);
  if (rel.empty()) return nullptr;
  json::object copy = rterm;
  json::array& targets = copy["targetList"].emplace_array();
  targets = list_field(rterm, "targetList");
  for (const auto& c : search_cycle_columns(cte)) {
    json::value ref = json::object{{"ColumnRef", json::object{{"fields", json::array{str_node(rel), str_node(c.name)}}, {"location", -1}}}};
    targets.push_back(json::object{{"ResTarget", json::object{{"name", c.name}, {"val", std::move(ref)}, {"location", -1}}}});
  }
  keep_json_.emplace_back(std::move(copy));
  return &keep_json_.back().as_object();
}

// PostgreSQL's checks of the clauses' column names against the CTE's.
void Binder::check_search_cycle_names(const Cte& cte, const std::vector<ScopeColumn>& cols) {
  auto in_cte = [&](const std::string& name) {
    return std::any_of(cols.begin(), cols.end(), [&](const ScopeColumn& c) { return c.name == name; });
  };
  auto fail = [](const char* state, std::string msg, const json::object& clause) {
    Error e(state, std::move(msg));
    throw at(e, static_cast<int>(int_field(clause, "location", -1)));
  };
  std::string seq;
  if (cte.search) {
    std::vector<std::string> seen;
    for (const auto& name : names_of(*cte.search, "search_col_list")) {
      if (!in_cte(name)) fail(sqlstate::kSyntaxError, fmt::format("search column \"{}\" not in WITH query column list", name), *cte.search);
      if (std::find(seen.begin(), seen.end(), name) != seen.end())
        fail(sqlstate::kDuplicateColumn, fmt::format("search column \"{}\" specified more than once", name), *cte.search);
      seen.push_back(name);
    }
    seq = std::string(str_field(*cte.search, "search_seq_column"));
    if (in_cte(seq))
      fail(sqlstate::kSyntaxError, fmt::format("search sequence column name \"{}\" already used in WITH query column list", seq), *cte.search);
  }
  if (cte.cycle) {
    std::vector<std::string> seen;
    for (const auto& name : names_of(*cte.cycle, "cycle_col_list")) {
      if (!in_cte(name)) fail(sqlstate::kSyntaxError, fmt::format("cycle column \"{}\" not in WITH query column list", name), *cte.cycle);
      if (std::find(seen.begin(), seen.end(), name) != seen.end())
        fail(sqlstate::kDuplicateColumn, fmt::format("cycle column \"{}\" specified more than once", name), *cte.cycle);
      seen.push_back(name);
    }
    std::string mark(str_field(*cte.cycle, "cycle_mark_column")), path(str_field(*cte.cycle, "cycle_path_column"));
    if (in_cte(mark))
      fail(sqlstate::kSyntaxError, fmt::format("cycle mark column name \"{}\" already used in WITH query column list", mark), *cte.cycle);
    if (in_cte(path))
      fail(sqlstate::kSyntaxError, fmt::format("cycle path column name \"{}\" already used in WITH query column list", path), *cte.cycle);
    if (mark == path) fail(sqlstate::kSyntaxError, "cycle mark column name and cycle path column name are the same", *cte.cycle);
    if (cte.search && seq == mark)
      fail(sqlstate::kSyntaxError, "search sequence column name and cycle mark column name are the same", *cte.search);
    if (cte.search && seq == path)
      fail(sqlstate::kSyntaxError, "search sequence column name and cycle path column name are the same", *cte.search);
  }
}

// One side of the UNION with the added columns after the CTE's. in: the side's visible columns
// (the recursive side's end with the added columns it read from the working table, typed as
// `added`). The non-recursive side sets `added` to its added columns; the recursive side reads it.
OperatorPtr Binder::search_cycle_project(const Cte& cte, OperatorPtr op, const std::vector<ScopeColumn>& in,
                                         const std::vector<ScopeColumn>& cols, bool recursive_side, std::vector<ScopeColumn>& added) {
  // First the CTE's columns in its types (then the carried added columns), under internal names.
  Scope scope;
  std::vector<ExprPtr> first;
  std::vector<Column> first_cols;
  for (size_t k = 0; k < in.size(); ++k) {
    bool own = k < cols.size();
    uint32_t type = own ? cols[k].type : added[k - cols.size()].type;
    int32_t typmod = own ? cols[k].typmod : added[k - cols.size()].typmod;
    std::string name = own ? internal_name(k) : std::string();
    first.push_back(coerce(std::make_unique<exec::ColumnExpr>(k, in[k].type, in[k].typmod), type, -1, false));
    first_cols.push_back({in[k].name, type, typmod, 0, 0});
    scope.columns.push_back({"", name, type, typmod, 0, 0});
  }
  if (recursive_side) {
    size_t k = cols.size();
    if (cte.search) scope.columns[k++].name = kSeq;
    if (cte.cycle) {
      scope.columns[k++].name = kMark;
      scope.columns[k++].name = kPath;
    }
  }
  op = exec::make_project(std::move(op), std::move(first), first_cols);

  std::vector<ExprPtr> exprs;
  std::vector<Column> out_cols;
  for (size_t k = 0; k < cols.size(); ++k) {
    exprs.push_back(std::make_unique<exec::ColumnExpr>(k, cols[k].type, cols[k].typmod));
    out_cols.push_back({cols[k].name, cols[k].type, cols[k].typmod, 0, 0});
  }
  std::vector<ExprPtr> extra;
  if (cte.search) {
    json::array args = row_args(names_of(*cte.search, "search_col_list"), cols);
    if (sql::bool_field(*cte.search, "search_breadth_first")) {
      // ROW(depth, columns...): depth 0, then the row read's depth + 1
      json::value depth = recursive_side
                              ? op_expr("AEXPR_OP", "+",
                                        json::object{{"A_Indirection", json::object{{"arg", column_ref(kSeq)}, {"indirection", json::array{str_node("f1")}}}}},
                                        json::object{{"A_Const", json::object{{"ival", json::object{{"ival", 1}}}, {"location", -1}}}})
                              : int8_zero();
      args.insert(args.begin(), std::move(depth));
      extra.push_back(bind_expr(row_of(std::move(args)), scope));
    } else {
      json::value step = array_of(row_of(std::move(args)));
      extra.push_back(bind_expr(recursive_side ? op_expr("AEXPR_OP", "||", column_ref(kSeq), std::move(step)) : std::move(step), scope));
    }
  }
  if (cte.cycle) {
    const json::value& value = *field(*cte.cycle, "cycle_mark_value");
    const json::value& dflt = *field(*cte.cycle, "cycle_mark_default");
    json::array args = row_args(names_of(*cte.cycle, "cycle_col_list"), cols);
    if (recursive_side) {
      // The row read was no cycle row; this one is when its cycle columns are on the path.
      op = exec::make_filter(std::move(op), bind_expr(op_expr("AEXPR_OP", "<>", column_ref(kMark), value), scope));
      json::value when = op_expr("AEXPR_OP_ANY", "=", row_of(args), column_ref(kPath));
      json::object case_when{{"CaseWhen", json::object{{"expr", std::move(when)}, {"result", value}, {"location", -1}}}};
      json::value mark = json::object{{"CaseExpr", json::object{{"args", json::array{std::move(case_when)}}, {"defresult", dflt}, {"location", -1}}}};
      extra.push_back(coerce(bind_expr(mark, scope), cte.mark_type, -1, false));
      extra.push_back(bind_expr(op_expr("AEXPR_OP", "||", column_ref(kPath), array_of(row_of(std::move(args)))), scope));
    } else {
      extra.push_back(coerce(bind_expr(dflt, scope), cte.mark_type, -1, false));
      extra.push_back(bind_expr(array_of(row_of(std::move(args))), scope));
    }
  }
  if (!recursive_side) {
    added = search_cycle_columns(cte);
    for (size_t j = 0; j < added.size(); ++j) {
      added[j].hidden = added[j].system = false;
      added[j].type = extra[j]->type;
      added[j].typmod = extra[j]->typmod;
    }
  }
  for (size_t j = 0; j < extra.size(); ++j) {
    if (extra[j]->type != added[j].type) extra[j] = coerce(std::move(extra[j]), added[j].type, -1, false);
    out_cols.push_back({added[j].name, added[j].type, added[j].typmod, 0, 0});
    exprs.push_back(std::move(extra[j]));
  }
  return exec::make_project(std::move(op), std::move(exprs), out_cols);
}

}  // namespace heliosdb::planner
