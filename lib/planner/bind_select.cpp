// Binding SELECT: FROM (tables, joins, subqueries), WHERE with access-path choice, GROUP BY,
// HAVING, the target list, DISTINCT, ORDER BY, LIMIT/OFFSET, set operations and VALUES.
#include <algorithm>
#include <functional>
#include <boost/json.hpp>

#include "catalog/system_views.h"
#include "common/array.h"
#include "common/record.h"
#include "common/errors.h"
#include "common/types.h"
#include "executor/functions.h"
#include "planner/agg_context.h"
#include "planner/binder.h"
#include "planner/estimate.h"
#include "planner/rules.h"

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

void find_window_calls(const json::value& v, std::vector<const json::object*>& out);

// PostgreSQL's FigureColnameInternal: the default name of a SELECT output column, and how
// strongly it names it (2: a column, function or ARRAY; 1: a type or keyword; 0: nothing), so a
// cast names a column only when its argument does not.
int figure(const json::value& node, std::string& name) {
  std::string_view t = node_type(node);
  const auto& n = node_body(node);
  if (t == "ColumnRef") {
    const auto& f = list_field(n, "fields");
    if (!f.empty() && node_type(f.back()) == "String") {
      name = std::string(string_node(f.back()));
      return 2;
    }
  } else if (t == "A_Indirection") {
    for (const auto& i : list_field(n, "indirection"))
      if (node_type(i) == "String") name = std::string(string_node(i));
    if (!name.empty()) return 2;
    return figure(*field(n, "arg"), name);
  } else if (t == "FuncCall") {
    const auto& f = list_field(n, "funcname");
    if (!f.empty()) {
      name = std::string(string_node(f.back()));
      return 2;
    }
  } else if (t == "TypeCast") {
    int strength = figure(*field(n, "arg"), name);
    if (strength > 1) return strength;
    const auto& names = list_field(field(n, "typeName")->as_object(), "names");
    if (!names.empty()) {
      name = std::string(string_node(names.back()));
      return 1;
    }
    return strength;
  } else if (t == "CaseExpr") {
    if (const auto* d = field(n, "defresult"); d && figure(*d, name) == 2) return 2;
    name = "case";
    return 1;
  } else if (t == "CoalesceExpr") {
    name = "coalesce";
    return 2;
  } else if (t == "RowExpr") {
    name = "row";
    return 2;
  } else if (t == "MinMaxExpr") {
    name = str_field(n, "op") == "IS_GREATEST" ? "greatest" : "least";
    return 2;
  } else if (t == "NullIfExpr" || (t == "A_Expr" && str_field(n, "kind") == "AEXPR_NULLIF")) {
    name = "nullif";
    return 2;
  } else if (t == "SQLValueFunction") {
    std::string op(str_field(n, "op"));
    if (op.rfind("SVFOP_", 0) == 0) op = op.substr(6);
    if (op.size() > 2 && op.substr(op.size() - 2) == "_N") op = op.substr(0, op.size() - 2);
    for (char& c : op) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    name = op;
    return 2;
  } else if (t == "SubLink") {
    std::string kind(str_field(n, "subLinkType"));
    if (kind == "EXISTS_SUBLINK") {
      name = "exists";
      return 2;
    }
    if (kind == "ARRAY_SUBLINK") {
      name = "array";
      return 2;
    }
    if (kind == "EXPR_SUBLINK") {
      const auto& sel = node_body(*field(n, "subselect"));
      const auto& tl = list_field(sel, "targetList");
      if (!tl.empty()) {
        const auto& rt = node_body(tl[0]);
        if (const auto* nm = rt.if_contains("name")) {
          name = std::string(nm->as_string());
          return 2;
        }
        return figure(*field(rt, "val"), name);
      }
    }
  } else if (t == "A_ArrayExpr") {
    name = "array";
    return 2;
  }
  return 0;
}

}  // namespace

std::string figure_colname(const json::value& node) {
  std::string name;
  return figure(node, name) ? name : "?column?";
}

namespace {

// `col = <row-independent>` on one of `scope_width` leading columns: (column, value side).
struct EqTerm {
  size_t column;
  const exec::Expr* value;
  std::string op;
};

bool is_int(uint32_t t) { return types::is_integer(t); }

// Recognises col OP value where the operator compares in the column's own key encoding.
bool key_term(const exec::Expr& e, size_t width, EqTerm& out) {
  auto* f = dynamic_cast<const exec::FuncExpr*>(&e);
  if (!f || f->args.size() != 2) return false;
  const std::string& op = f->def->name;
  if (op != "=" && op != "<" && op != "<=" && op != ">" && op != ">=") return false;
  for (int side = 0; side < 2; ++side) {
    const exec::Expr* a = f->args[side].get();
    const exec::Expr* b = f->args[1 - side].get();
    // Integer widths share one key encoding, so int2 = int4 casts may be looked through.
    if (auto* c = dynamic_cast<const exec::CastExpr*>(a); c && is_int(c->type) && is_int(c->arg->type)) a = c->arg.get();
    auto* col = dynamic_cast<const exec::ColumnExpr*>(a);
    if (!col || col->index >= width || !expr_is_row_independent(*b)) continue;
    if (col->type != f->def->args[side] && !(is_int(col->type) && is_int(f->def->args[side]))) continue;
    out.column = col->index;
    out.value = b;
    out.op = op;
    if (side == 1) {  // value OP col: mirror the operator
      if (op == "<") out.op = ">";
      else if (op == "<=") out.op = ">=";
      else if (op == ">") out.op = "<";
      else if (op == ">=") out.op = "<=";
    }
    return true;
  }
  return false;
}

// Deep copy of a row-independent expression (constants, params, casts, functions of them).
// A copy of an expression made of constants, parameters, outer columns, casts and function
// calls (and, with columns, of this row's columns); nullptr for anything else.
ExprPtr clone_expr(const exec::Expr& e, bool columns) {
  if (auto* c = dynamic_cast<const exec::ConstExpr*>(&e)) return std::make_unique<exec::ConstExpr>(c->value, c->typmod);
  if (auto* p = dynamic_cast<const exec::ParamExpr*>(&e)) return std::make_unique<exec::ParamExpr>(p->number, p->type);
  if (auto* o = dynamic_cast<const exec::OuterColumnExpr*>(&e)) return std::make_unique<exec::OuterColumnExpr>(o->index, o->type, o->typmod, o->depth);
  if (auto* c = dynamic_cast<const exec::ColumnExpr*>(&e); c && columns)
    return std::make_unique<exec::ColumnExpr>(c->index, c->type, c->typmod);
  if (auto* c = dynamic_cast<const exec::CastExpr*>(&e)) {
    ExprPtr arg = clone_expr(*c->arg, columns);
    return arg ? std::make_unique<exec::CastExpr>(std::move(arg), c->type, c->typmod, c->explicit_) : nullptr;
  }
  if (auto* f = dynamic_cast<const exec::FuncExpr*>(&e)) {
    std::vector<ExprPtr> args;
    for (const auto& a : f->args) {
      args.push_back(clone_expr(*a, columns));
      if (!args.back()) return nullptr;
    }
    return std::make_unique<exec::FuncExpr>(f->def, std::move(args), f->type, f->typmod);
  }
  return nullptr;
}

// A copy of a value expression (no columns): an access path's key term.
ExprPtr clone_value(const exec::Expr& e) { return clone_expr(e, false); }

}  // namespace

ExprPtr and_all(std::vector<ExprPtr> parts) {
  if (parts.empty()) return nullptr;
  if (parts.size() == 1) return std::move(parts[0]);
  return std::make_unique<exec::BoolExpr>(exec::BoolOp::kAnd, std::move(parts));
}

void split_conjuncts(const json::value& node, std::vector<const json::value*>& out) {
  if (node_type(node) == "BoolExpr" && str_field(node_body(node), "boolop") == "AND_EXPR") {
    for (const auto& a : list_field(node_body(node), "args")) split_conjuncts(a, out);
    return;
  }
  out.push_back(&node);
}

std::shared_ptr<const catalog::TableDef> Binder::lookup_table(const json::object& rv, Use use) {
  std::string schema(str_field(rv, "schemaname"));
  std::string name(str_field(rv, "relname"));
  if (!str_field(rv, "catalogname").empty()) unsupported("cross-database references");
  auto t = catalog_.table(schema, name);  // unqualified: the search path
  if (!t) {
    Error e = make_error(sqlstate::kUndefinedTable, "relation \"{}\" does not exist",
                         schema.empty() ? name : schema + "." + name);
    int loc = static_cast<int>(int_field(rv, "location", -1));
    if (loc >= 0) e.with_position(loc + 1);
    throw e;
  }
  if (t->is_view() && use == Use::kWrite) unsupported(fmt::format("INSERT, UPDATE and DELETE on views (\"{}\" is one)", name));
  if (t->is_matview() && use == Use::kWrite) raise(sqlstate::kWrongObjectType, "cannot change materialized view \"{}\"", name);
  if (t->is_matview() && !t->populated && use != Use::kWrite)
    throw Error(sqlstate::kObjectNotInPrerequisiteState, fmt::format("materialized view \"{}\" has not been populated", name))
        .with_hint("Use the REFRESH MATERIALIZED VIEW command.");
  if (t->is_view() && use == Use::kTable) raise(sqlstate::kWrongObjectType, "\"{}\" is not a table", name);
  if (use != Use::kWrite) note_access(*t, catalog::kSelect);
  return t;
}

void Binder::note_access(const catalog::TableDef& t, uint32_t privileges) {
  access_.push_back({t.id, privileges, view_owners_.empty() ? 0 : view_owners_.back()});
}

// A view in FROM: its query, bound in its place (as a subquery with the view's column names).
OperatorPtr Binder::bind_view(std::shared_ptr<const catalog::TableDef> view, const std::string& alias,
                              const json::array* colnames, Scope& scope) {
  if (std::ranges::count(expanding_views_, view->id))
    raise(sqlstate::kInvalidObjectDefinition, "infinite recursion detected in rules for relation \"{}\"", view->name);
  expanding_views_.push_back(view->id);
  view_owners_.push_back(view->access.owner);
  json::parse_options deep;
  deep.max_depth = 100000;
  auto query = std::make_shared<json::value>(json::parse(view->view_query, {}, deep));
  view_queries_.push_back(query);  // bound expressions may point into it
  Scope sub;
  auto saved_ctes = std::move(ctes_);  // the view's query does not see the query's WITH
  ctes_.clear();
  OperatorPtr op;
  try {
    op = bind_select(node_body(*query), nullptr, sub);
  } catch (...) {
    ctes_ = std::move(saved_ctes);
    expanding_views_.pop_back();
    view_owners_.pop_back();
    throw;
  }
  ctes_ = std::move(saved_ctes);
  expanding_views_.pop_back();
  view_owners_.pop_back();
  size_t visible = 0;
  for (const auto& c : sub.columns) visible += !c.hidden;
  if (visible != view->columns.size())
    unsupported(fmt::format("view \"{}\": the relations it reads changed shape since it was made (make it again)", view->name));
  size_t i = 0;
  for (auto c : sub.columns) {
    if (c.hidden) continue;
    c.relation = alias;
    c.name = colnames && i < colnames->size() ? std::string(string_node((*colnames)[i])) : view->columns[i].name;
    c.table_oid = view->id;
    c.attnum = static_cast<int16_t>(i + 1);
    ++i;
    scope.columns.push_back(std::move(c));
  }
  return op;
}

OperatorPtr Binder::bind_table_access(std::shared_ptr<const catalog::TableDef> t, const std::string& alias, Scope& scope,
                                      std::vector<ExprPtr>& conjuncts, bool emit_key) {
  size_t base = scope.columns.size();
  int16_t attnum = 0;
  for (const auto& c : t->columns) scope.columns.push_back({alias, c.name, c.type, c.typmod, t->id, ++attnum});
  if (emit_key) scope.columns.push_back({alias, "ctid", oid::kBytea, -1, 0, 0, true});
  // Collect key terms over this table's columns.
  std::vector<EqTerm> terms;
  std::function<void(const exec::Expr&)> collect = [&](const exec::Expr& c) {
    if (auto* b = dynamic_cast<const exec::BoolExpr*>(&c); b && b->op == exec::BoolOp::kAnd) {
      for (const auto& a : b->args) collect(*a);  // BETWEEN
      return;
    }
    EqTerm term;
    if (key_term(c, base + t->columns.size(), term) && term.column >= base) {
      term.column -= base;
      terms.push_back(term);
    }
  };
  for (const auto& c : conjuncts)
    if (c) collect(*c);
  auto find_term = [&](size_t col, const char* op) -> const EqTerm* {
    for (const auto& tm : terms)
      if (tm.column == col && tm.op == op) return &tm;
    return nullptr;
  };
  // A range on a column: its bounds of the column's own type (the key encoding orders the
  // values of one type only).
  struct Range {
    std::vector<ExprPtr> lo, hi;
    bool lo_inc = true, hi_inc = true;
  };
  auto range_on = [&](size_t col) {
    Range r;
    const EqTerm* l = find_term(col, ">=");
    if (!l) { l = find_term(col, ">"); r.lo_inc = false; }
    const EqTerm* h = find_term(col, "<=");
    if (!h) { h = find_term(col, "<"); r.hi_inc = false; }
    if (l && l->value->type == t->columns[col].type) r.lo.push_back(clone_value(*l->value));
    if (h && h->value->type == t->columns[col].type) r.hi.push_back(clone_value(*h->value));
    return r;
  };
  auto column_indexes = [&](const std::vector<uint32_t>& ids) {
    std::vector<size_t> cols;
    for (uint32_t id : ids) cols.push_back(static_cast<size_t>(t->column_index_by_id(id)));
    return cols;
  };
  // Whether rows in `cols` order after `from` equal columns come in the order wished.
  OrderWish wish = std::exchange(order_wish_, {});
  auto gives_order = [&](const std::vector<size_t>& cols, size_t from) {
    return !wish.columns.empty() && cols.size() - from >= wish.columns.size() &&
           std::equal(wish.columns.begin(), wish.columns.end(), cols.begin() + static_cast<long>(from));
  };
  order_provided_ = false;
  // Primary key: equalities on a leading prefix, then an optional range on the next column.
  std::vector<size_t> pk = column_indexes(t->primary_key);
  if (!pk.empty()) {
    std::vector<ExprPtr> eq;
    size_t k = 0;
    for (; k < pk.size(); ++k) {
      const EqTerm* tm = find_term(pk[k], "=");
      if (!tm) break;
      eq.push_back(clone_value(*tm->value));
    }
    Range r = k < pk.size() ? range_on(pk[k]) : Range{};
    if (!eq.empty() || !r.lo.empty() || !r.hi.empty()) {
      order_provided_ = gives_order(pk, k);
      return exec::make_table_scan(t, std::move(eq), std::move(r.lo), r.lo_inc, std::move(r.hi), r.hi_inc, emit_key);
    }
  }
  // Secondary index: the one with the most leading equality columns, then a range on the next.
  std::shared_ptr<const catalog::IndexDef> best;
  size_t best_n = 0;
  for (uint32_t iid : t->indexes) {
    auto idx = catalog_.index(iid);
    if (!idx || (idx->primary && !idx->deferrable) || !idx->plain()) continue;
    size_t n = 0;
    for (size_t col : column_indexes(idx->columns)) {
      if (!find_term(col, "=")) break;
      ++n;
    }
    if (n > best_n || (n == best_n && n > 0 && best && idx->columns.size() < best->columns.size())) {
      best = idx;
      best_n = n;
    }
  }
  // Without an order to give, an index scan of an analyzed table is taken when the cost model
  // finds it cheaper than reading the table (a lookup for a join's outer row always takes its
  // index). Without statistics PostgreSQL's defaults make an equality or a range bounded on
  // both sides selective, a one-sided range not: the rules below, without estimating.
  auto st = catalog_.statistics(t->id);
  bool by_cost = wish.columns.empty() && st && !st->columns.empty() &&
                 std::ranges::none_of(conjuncts, [](const ExprPtr& c) { return c && c->key().find("$outer") != std::string::npos; });
  // Each path's rows are filtered by the WHERE clause (all of it) afterwards: that costs for
  // each row it reads.
  double seq_cost = -1, filter = 0;
  for (const auto& c : conjuncts) filter += qual_cost(c.get());
  auto cheaper_than_seq = [&](const exec::Operator& op) {
    if (seq_cost < 0) {
      OperatorPtr seq = exec::make_table_scan(t, {}, {}, true, {}, true, emit_key);
      estimate(catalog_, *seq);
      seq_cost = seq->estimate.total + filter * seq->estimate.rows;
    }
    estimate(catalog_, op);
    op.estimate.total += filter * op.estimate.rows;
    return op.estimate.total < seq_cost;
  };
  if (best) {
    std::vector<size_t> cols = column_indexes(best->columns);
    std::vector<ExprPtr> prefix;
    for (size_t i = 0; i < best_n; ++i) prefix.push_back(clone_value(*find_term(cols[i], "=")->value));
    Range r = best_n < cols.size() ? range_on(cols[best_n]) : Range{};
    OperatorPtr op = exec::make_index_scan(t, best, std::move(prefix), emit_key, std::move(r.lo), r.lo_inc, std::move(r.hi), r.hi_inc);
    if (!by_cost || cheaper_than_seq(*op)) {
      order_provided_ = gives_order(cols, best_n);
      return op;
    }
  } else if (pk.empty() || !wish.limit || !gives_order(pk, 0)) {
    // No equality: an index whose first column is bounded, or (for ORDER BY ... LIMIT) one that
    // reads the rows in the order wished. Without costs to tell, a one-sided range is taken to
    // hold much of the table, which a sequential scan reads faster.
    OperatorPtr chosen;
    double chosen_cost = 0;
    for (uint32_t iid : t->indexes) {
      auto idx = catalog_.index(iid);
      if (!idx || (idx->primary && !idx->deferrable) || !idx->plain()) continue;
      std::vector<size_t> cols = column_indexes(idx->columns);
      Range r = range_on(cols[0]);
      bool ordered = wish.limit && gives_order(cols, 0);
      if ((r.lo.empty() && r.hi.empty()) && !ordered) continue;
      if ((r.lo.empty() || r.hi.empty()) && !ordered && !by_cost) continue;
      OperatorPtr op = exec::make_index_scan(t, idx, {}, emit_key, std::move(r.lo), r.lo_inc, std::move(r.hi), r.hi_inc);
      if (!by_cost) {
        order_provided_ = gives_order(cols, 0);
        return op;
      }
      if (cheaper_than_seq(*op) && (!chosen || op->estimate.total < chosen_cost)) {
        chosen_cost = op->estimate.total;
        chosen = std::move(op);
      }
    }
    if (chosen) return chosen;
  }
  order_provided_ = gives_order(pk, 0);  // a sequential scan reads in primary-key order
  return exec::make_table_scan(t, {}, {}, true, {}, true, emit_key);
}

namespace {
void find_window_calls(const json::value& v, std::vector<const json::object*>& out) {
  if (v.is_array()) {
    for (const auto& x : v.as_array()) find_window_calls(x, out);
  } else if (v.is_object()) {
    const auto& o = v.as_object();
    if (o.contains("SubLink")) return;  // a subquery has its own
    if (const auto* fc = o.if_contains("FuncCall"); fc && fc->as_object().contains("over")) {
      out.push_back(&fc->as_object());
      return;
    }
    for (const auto& kv : o) find_window_calls(kv.value(), out);
  }
}
}  // namespace

OperatorPtr Binder::bind_windows(const json::object& s, OperatorPtr op, Scope& scope) {
  std::vector<exec::WindowFunction> fns = bind_window_calls(s, scope);
  if (fns.empty()) return op;
  return exec::make_window(std::move(op), std::move(fns));
}

std::vector<exec::WindowFunction> Binder::bind_window_calls(const json::object& s, Scope& scope) {
  std::vector<const json::object*> calls;
  for (const auto& t : list_field(s, "targetList")) find_window_calls(t, calls);
  for (const auto& o : list_field(s, "sortClause")) find_window_calls(o, calls);
  std::vector<exec::WindowFunction> fns;
  for (const json::object* call : calls) {
    std::string name;
    for (const auto& part : list_field(*call, "funcname")) name = std::string(string_node(part));
    int loc = static_cast<int>(int_field(*call, "location", -1));
    const json::object* spec = &field(*call, "over")->as_object();
    if (std::string_view ref = str_field(*spec, "name"); !ref.empty()) {  // OVER w: WINDOW w AS (...)
      const json::object* named = nullptr;
      for (const auto& w : list_field(s, "windowClause"))
        if (str_field(node_body(w), "name") == ref) named = &node_body(w);
      if (!named) {
        Error e = make_error(sqlstate::kUndefinedObject, "window \"{}\" does not exist", ref);
        throw at(e, loc);
      }
      spec = named;
    }
    if (!str_field(*spec, "refname").empty()) unsupported("window definitions based on another window");
    exec::WindowFunction f;
    f.name = name;
    // The frame: ROWS with any bounds; RANGE only with UNBOUNDED and CURRENT ROW bounds.
    f.frame_options = static_cast<int>(int_field(*spec, "frameOptions", 1058));
    if (f.frame_options & 0x8) unsupported("GROUPS frames");
    if (f.frame_options & 0x38000) unsupported("frame EXCLUDE clauses");
    if ((f.frame_options & 0x2) && (f.frame_options & (0x800 | 0x1000 | 0x2000 | 0x4000)))
      unsupported("RANGE frames with an offset");
    auto offset = [&](const char* key, bool start) -> int64_t {
      const json::value* o = field(*spec, key);
      if (!o) return 0;
      Scope none;
      ExprPtr e = coerce(bind_expr(*o, none), oid::kInt8, -1, false, loc);
      exec::ExecContext ctx;
      Row empty;
      Value v = e->eval(empty, ctx);
      if (v.is_null()) raise(sqlstate::kNullValueNotAllowed, "frame {} offset must not be null", start ? "starting" : "ending");
      if (v.as_int() < 0) raise(sqlstate::kInvalidPrecedingOrFollowingSize, "frame {} offset must not be negative", start ? "starting" : "ending");
      return v.as_int();
    };
    f.start_offset = offset("startOffset", true);
    f.end_offset = offset("endOffset", false);
    for (const auto& p : list_field(*spec, "partitionClause")) f.partition.push_back(bind_expr(p, scope));
    for (const auto& o : list_field(*spec, "orderClause")) {
      const auto& sb = node_body(o);
      exec::AggDef::Order ord;
      ord.expr = bind_expr(*field(sb, "node"), scope);
      std::string dir(str_field(sb, "sortby_dir")), nulls(str_field(sb, "sortby_nulls"));
      ord.descending = dir == "SORTBY_DESC";
      ord.nulls_first = nulls == "SORTBY_NULLS_FIRST" || (nulls != "SORTBY_NULLS_LAST" && ord.descending);
      f.order.push_back(std::move(ord));
    }
    json::object plain = *call;
    plain.erase("over");
    if (sql::bool_field(*call, "agg_within_group") || exec::is_ordered_set_aggregate(name)) {
      Error e = exec::is_ordered_set_aggregate(name) || exec::is_hypothetical_aggregate(name)
                    ? make_error(sqlstate::kFeatureNotSupported, "OVER is not supported for ordered-set aggregate {}", name)
                    : make_error(sqlstate::kWrongObjectType, "{} is not an ordered-set aggregate, so it cannot have WITHIN GROUP", name);
      throw at(e, loc);
    }
    if (is_aggregate_call(plain)) {
      if (sql::bool_field(plain, "agg_distinct") || !list_field(plain, "agg_order").empty()) {
        Error e(sqlstate::kFeatureNotSupported, sql::bool_field(plain, "agg_distinct")
                                                    ? "DISTINCT is not implemented for window functions"
                                                    : "aggregate ORDER BY is not implemented for window functions");
        throw at(e, loc);
      }
      // An aggregate over the window: bound as the aggregate it is (its arguments, in an
      // aggregate query, over the groups: sum(count(*)) OVER ()).
      AggContext agg;
      AggContext* saved = agg_;
      agg_ = nullptr;
      agg.bind_aggregate(*this, plain, name, scope, saved);
      agg_ = saved;
      f.type = agg.aggs[0].type;
      f.aggregate = std::make_unique<exec::RunningAggregate>(std::move(agg.aggs[0]));
    } else {
      for (const auto& a : list_field(*call, "args")) f.args.push_back(bind_expr(a, scope));
      size_t n = f.args.size();
      auto no_such = [&]() {
        std::string sig;
        for (size_t k = 0; k < n; ++k) sig += (k ? ", " : "") + types::format_type(f.args[k]->type, -1);
        Error e = make_error(sqlstate::kUndefinedFunction, "function {}({}) does not exist", name, sig);
        e.with_hint("No function matches the given name and argument types. You might need to add explicit type casts.");
        throw at(e, loc);
      };
      if (name == "row_number" || name == "rank" || name == "dense_rank") {
        if (n) no_such();
        f.type = oid::kInt8;
      } else if (name == "percent_rank" || name == "cume_dist") {
        if (n) no_such();
        f.type = oid::kFloat8;
      } else if (name == "ntile") {
        if (n != 1) no_such();
        f.args[0] = coerce(std::move(f.args[0]), oid::kInt4, -1, false, loc);
        f.type = oid::kInt4;
      } else if (name == "lag" || name == "lead" || name == "first_value" || name == "last_value" || name == "nth_value") {
        bool shift = name == "lag" || name == "lead";
        if (n < 1 || (shift && n > 3) || (!shift && name != "nth_value" && n != 1) || (name == "nth_value" && n != 2)) no_such();
        if (f.args[0]->type == oid::kUnknownType) f.args[0] = coerce(std::move(f.args[0]), oid::kText, -1, false, loc);
        f.type = f.args[0]->type;
        if (n > 1) f.args[1] = coerce(std::move(f.args[1]), oid::kInt4, -1, false, loc);
        if (n > 2) f.args[2] = coerce(std::move(f.args[2]), f.type, -1, false, loc);
      } else if (exec::function_exists(name)) {
        Error e = make_error(sqlstate::kWrongObjectType, "OVER specified, but {} is not a window function nor an aggregate function", name);
        throw at(e, loc);
      } else {
        no_such();
      }
    }
    if (agg_) {
      window_columns_[call] = {fns.size(), f.type, true};
    } else {
      window_columns_[call] = {scope.columns.size(), f.type};
      scope.columns.push_back({"", name, f.type, -1, 0, 0});
      scope.columns.back().hidden = true;
    }
    fns.push_back(std::move(f));
  }
  return fns;
}

// The set-returning json functions as unnests: their columns, and the function making the array
// each unnests ("" names a column as unnest's is named).
const std::vector<std::pair<const char*, const char*>>* json_set_function(std::string_view fname) {
  static const std::map<std::string, std::vector<std::pair<const char*, const char*>>, std::less<>> kFunctions = {
      {"json_each", {{"key", "?json_each_keys"}, {"value", "?json_values"}}},
      {"jsonb_each", {{"key", "?json_each_keys"}, {"value", "?json_values"}}},
      {"json_each_text", {{"key", "?json_each_keys"}, {"value", "?json_values_text"}}},
      {"jsonb_each_text", {{"key", "?json_each_keys"}, {"value", "?json_values_text"}}},
      {"json_array_elements", {{"value", "?json_elements"}}},
      {"jsonb_array_elements", {{"value", "?json_elements"}}},
      {"json_array_elements_text", {{"value", "?json_elements_text"}}},
      {"jsonb_array_elements_text", {{"value", "?json_elements_text"}}},
      {"json_object_keys", {{"", "?json_keys"}}},
      {"jsonb_object_keys", {{"", "?json_keys"}}},
  };
  auto it = kFunctions.find(fname);
  return it == kFunctions.end() ? nullptr : &it->second;
}

// The set-returning functions that are unnests of an array function's result
// (string_to_table(s, sep) is unnest(string_to_array(s, sep))): that function's name.
const char* array_set_function(std::string_view fname) {
  if (fname == "regexp_split_to_table") return "regexp_split_to_array";
  if (fname == "string_to_table") return "string_to_array";
  return nullptr;
}

// The call `call` with another function's name.
json::value renamed_call(const json::object& call, const char* name) {
  json::object c = call;
  c["funcname"] = json::array{json::object{{"String", json::object{{"sval", name}}}}};
  return json::object{{"FuncCall", std::move(c)}};
}

// unnest(array), generate_series(int, int [, int]) and generate_subscripts(array, dim) called
// directly in the SELECT list become columns of a ProjectSet under the projection.
OperatorPtr Binder::bind_set_functions(const json::array& targets, OperatorPtr op, Scope& scope,
                                       std::map<size_t, size_t>& columns) {
  std::vector<exec::SetFunction> fns;
  for (size_t i = 0; i < targets.size(); ++i) {
    const json::value* val = field(node_body(targets[i]), "val");
    // (f(...)).field: the function's records, a field of each taken by the projection.
    if (node_type(*val) == "A_Indirection") val = field(node_body(*val), "arg");
    if (node_type(*val) != "FuncCall") continue;
    const auto& call = node_body(*val);
    std::string fname;
    for (const auto& part : list_field(call, "funcname")) fname = std::string(string_node(part));
    const auto* json_parts = json_set_function(fname);
    if (fname != "unnest" && fname != "generate_series" && fname != "generate_subscripts" && fname != "pg_partition_ancestors" &&
        fname != "_pg_expandarray" && fname != "regexp_matches" && !json_parts && !array_set_function(fname))
      continue;
    int loc = static_cast<int>(int_field(call, "location", -1));
    std::vector<ExprPtr> args;
    for (const auto& a : list_field(call, "args")) args.push_back(bind_expr(a, scope));
    exec::SetFunction f{exec::SetFunction::kUnnest, {}, 0};
    int32_t typmod = -1;
    if (const char* maker = array_set_function(fname)) {
      args.clear();
      args.push_back(bind_expr(renamed_call(call, maker), scope));
      f.type = array::element_type(args[0]->type);
    } else if (fname == "regexp_matches") {  // its matches as the rows of a 2-D array
      args.clear();
      args.push_back(bind_expr(renamed_call(call, "?regexp_matches"), scope));
      f.kind = exec::SetFunction::kArrayRows;
      f.type = args[0]->type;
    } else if (fname == "_pg_expandarray" && args.size() == 1 && array::is_array(args[0]->type)) {
      f.kind = exec::SetFunction::kExpandArray;
      f.type = oid::kRecord;
      typmod = record::bless({{"x", "n"}, {array::element_type(args[0]->type), oid::kInt4}, {-1, -1}});
    } else if (json_parts) {
      if (json_parts->size() > 1) unsupported(fmt::format("{} in the select list (its rows are records)", fname));
      if (args.size() != 1) unsupported(fmt::format("{} with these arguments", fname));
      uint32_t doc_type = fname.starts_with("jsonb") ? oid::kJsonb : oid::kJson;
      std::vector<ExprPtr> arg;
      arg.push_back(coerce(std::move(args[0]), doc_type, -1, false, loc));
      args.clear();
      args.push_back(make_call(exec::resolve_function((*json_parts)[0].second, {doc_type}), std::move(arg), loc));
      f.type = array::element_type(args[0]->type);
    } else if (fname == "pg_partition_ancestors" && args.size() == 1) {
      coerce(std::move(args[0]), oid::kRegclass, -1, false, loc);  // no table has partition ancestors
      args[0] = std::make_unique<exec::ArrayExpr>(2210, std::vector<ExprPtr>{});
      f.type = oid::kRegclass;
    } else if (fname == "unnest" && args.size() == 1 && array::is_array(args[0]->type)) {
      f.type = array::element_type(args[0]->type);
    } else if (fname == "generate_subscripts" && (args.size() == 2 || args.size() == 3) && array::is_array(args[0]->type)) {
      f.kind = exec::SetFunction::kSubscripts;
      f.type = oid::kInt4;
      args[1] = coerce(std::move(args[1]), oid::kInt4, -1, false, loc);
      if (args.size() == 3) args[2] = coerce(std::move(args[2]), oid::kBool, -1, false, loc);
    } else if (fname == "generate_series" && (args.size() == 2 || args.size() == 3)) {
      std::vector<uint32_t> ts;
      for (const auto& a : args) ts.push_back(a->type);
      bool temporal = ts.size() == 3 && ts[2] == oid::kInterval;  // (timestamps, interval)
      uint32_t t = exec::common_type(temporal ? std::vector<uint32_t>{ts[0], ts[1]} : ts, "generate_series");
      if (t == oid::kInt4 || t == oid::kInt8 || t == oid::kInt2) {
        if (t == oid::kInt2) t = oid::kInt4;
        for (auto& a : args) a = coerce(std::move(a), t, -1, false, loc);
        f.kind = exec::SetFunction::kIntSeries;
        f.type = t;
      } else {
        // Other series (numeric, timestamps) unnest ARRAY(SELECT g FROM generate_series(...) g),
        // FROM's generate_series over this row's values.
        static const std::string kTemplate[] = {"SELECT ARRAY(SELECT g FROM generate_series($1, $2) g)",
                                                "SELECT ARRAY(SELECT g FROM generate_series($1, $2, $3) g)"};
        auto parsed = sql::parse(kTemplate[args.size() - 2]);
        auto held = std::make_shared<json::value>(*parsed->statements[0].node);  // lives as long as the plan's bindings
        view_queries_.push_back(held);
        json::value& tree = *held;
        const auto& call_args = list_field(call, "args");
        std::function<void(json::value&)> put_args = [&](json::value& v) {
          if (v.is_array()) {
            for (auto& x : v.as_array()) put_args(x);
          } else if (v.is_object()) {
            if (auto* p = v.as_object().if_contains("ParamRef")) {
              v = call_args[static_cast<size_t>(int_field(p->as_object(), "number")) - 1];
              return;
            }
            for (auto& kv : v.as_object()) put_args(kv.value());
          }
        };
        put_args(tree);
        const auto& select = node_body(tree);
        args.clear();
        args.push_back(bind_expr(*field(node_body(list_field(select, "targetList")[0]), "val"), scope));
        f.type = array::element_type(args[0]->type);
      }
    } else {
      std::string sig;
      for (size_t k = 0; k < args.size(); ++k) sig += (k ? ", " : "") + types::format_type(args[k]->type, -1);
      Error e(sqlstate::kUndefinedFunction, fmt::format("function {}({}) does not exist", fname, sig));
      e.with_hint("No function matches the given name and argument types. You might need to add explicit type casts.");
      throw at(e, loc);
    }
    f.args = std::move(args);
    columns[i] = scope.columns.size();
    scope.columns.push_back({"", "?set?", f.type, typmod, 0, 0});
    scope.columns.back().hidden = true;
    fns.push_back(std::move(f));
  }
  if (fns.empty()) return op;
  return exec::make_project_set(std::move(op), std::move(fns));
}

// A function in FROM: generate_series(...) yields its rows; any other (scalar) function one row.
namespace {

// The TypeName of a type, as the grammar writes one.
json::object type_name_node(uint32_t type) {
  json::array names;
  if (const auto* e = types::enum_of(type)) {
    names.push_back(json::object{{"String", json::object{{"sval", e->schema}}}});
    names.push_back(json::object{{"String", json::object{{"sval", e->name}}}});
  } else {
    names.push_back(json::object{{"String", json::object{{"sval", "pg_catalog"}}}});
    names.push_back(json::object{{"String", json::object{{"sval", types::info(type).name}}}});
  }
  return json::object{{"names", std::move(names)}, {"typemod", -1}, {"location", -1}};
}

bool mentions_columns(const json::value& v) {
  if (v.is_array()) return std::ranges::any_of(v.as_array(), mentions_columns);
  if (!v.is_object()) return false;
  if (v.as_object().contains("ColumnRef")) return true;
  return std::ranges::any_of(v.as_object(), [](const auto& kv) { return mentions_columns(kv.value()); });
}

// Puts the call's argument expressions where the body names its parameters.
void substitute_args(json::value& v, const catalog::FunctionDef& f, const std::vector<json::value>& args) {
  if (v.is_array()) {
    for (auto& x : v.as_array()) substitute_args(x, f, args);
    return;
  }
  if (!v.is_object()) return;
  auto& o = v.as_object();
  if (auto* pr = o.if_contains("ParamRef")) {
    auto k = static_cast<size_t>(sql::int_field(pr->as_object(), "number"));
    if (k >= 1 && k <= args.size()) v = args[k - 1];
    return;
  }
  if (auto* cr = o.if_contains("ColumnRef")) {
    const auto& fields = list_field(cr->as_object(), "fields");
    std::string name;
    if (fields.size() == 1 && node_type(fields[0]) == "String") name = std::string(string_node(fields[0]));
    if (fields.size() == 2 && node_type(fields[1]) == "String" && string_node(fields[0]) == f.name) name = std::string(string_node(fields[1]));
    if (name.empty()) return;
    auto it = std::ranges::find(f.arg_names, name);
    if (it != f.arg_names.end()) v = args[static_cast<size_t>(it - f.arg_names.begin())];
    return;
  }
  for (auto& kv : o) substitute_args(kv.value(), f, args);
}

}  // namespace

// A set-returning LANGUAGE sql function (SETOF / RETURNS TABLE) in FROM: its SELECT with the
// call's arguments in place of its parameters, read as a subquery (PostgreSQL inlines it too).
OperatorPtr Binder::bind_set_function(const json::object& call, const std::string& fname, const std::string& alias,
                                      const json::array* colnames, const Scope* parent, Scope& scope) {
  const auto& funcname = list_field(call, "funcname");
  std::string schema = funcname.size() >= 2 ? std::string(string_node(funcname[funcname.size() - 2])) : "";
  if (schema == "pg_catalog") return nullptr;
  const auto& call_args = list_field(call, "args");
  std::shared_ptr<const catalog::FunctionDef> fn;
  for (const auto& f : catalog_.functions(schema, fname))
    if (f->returns_set && f->arg_types.size() >= call_args.size()) fn = f;
  if (!fn) return nullptr;
  if (fn->language == "plpgsql") {  // run when the scan opens: its rows
    Scope none;
    std::vector<ExprPtr> args;
    for (size_t i = 0; i < call_args.size(); ++i) {
      if (node_type(call_args[i]) == "NamedArgExpr") unsupported("named arguments of a set-returning function");
      if (mentions_columns(call_args[i])) unsupported("column references in the arguments of a set-returning function of CREATE FUNCTION");
      args.push_back(coerce(bind_expr(call_args[i], none), fn->arg_types[i], -1, false, static_cast<int>(int_field(call, "location", -1))));
    }
    for (size_t i = args.size(); i < fn->arg_types.size(); ++i) {
      if (i >= fn->arg_defaults.size() || fn->arg_defaults[i].empty())
        raise(sqlstate::kUndefinedFunction, "function {}() does not exist", fname);
      args.push_back(coerce(bind_expr(json::parse(fn->arg_defaults[i]), none), fn->arg_types[i], -1, false));
    }
    std::vector<Column> cols;
    auto fields = catalog::result_columns(*fn);
    for (size_t i = 0; i < fields.size(); ++i) {
      std::string n = colnames && i < colnames->size() ? std::string(string_node((*colnames)[i])) : fields.size() == 1 ? alias : fields[i].first;
      cols.push_back({n, fields[i].second, -1, 0, 0});
      scope.columns.push_back({alias, n, fields[i].second, -1, 0, 0});
    }
    return exec::make_function_rows(fn->id, fname, std::move(args), std::move(cols));
  }
  if (fn->language != "sql") unsupported("set-returning functions in this language");
  std::vector<json::value> args;
  for (const auto& a : call_args) {
    if (node_type(a) == "NamedArgExpr") unsupported("named arguments of a set-returning function");
    if (mentions_columns(a)) unsupported("column references in the arguments of a set-returning function of CREATE FUNCTION");
    args.push_back(a);
  }
  for (size_t i = args.size(); i < fn->arg_types.size(); ++i) {
    if (i >= fn->arg_defaults.size() || fn->arg_defaults[i].empty())
      raise(sqlstate::kUndefinedFunction, "function {}() does not exist", fname);
    args.push_back(json::parse(fn->arg_defaults[i]));
  }
  // Each argument as its parameter's type.
  for (size_t i = 0; i < args.size(); ++i)
    args[i] = json::object{{"TypeCast", json::object{{"arg", args[i]}, {"typeName", type_name_node(fn->arg_types[i])}, {"location", -1}}}};
  auto parsed = sql::parse(fn->body);
  if (parsed->statements.size() != 1 || parsed->statements[0].node->begin()->key() != "SelectStmt")
    unsupported("set-returning SQL functions other than one SELECT");
  json::value body = *parsed->statements[0].node;
  substitute_args(body, *fn, args);
  auto& select = body.as_object().begin()->value().as_object();
  if (!list_field(select, "targetList").empty() || !select.contains("larg")) {
    // The result columns as declared: RETURNS TABLE's names and types, or SETOF type named after the function.
    auto& targets = select["targetList"].as_array();
    std::vector<std::pair<std::string, uint32_t>> cols = catalog::result_columns(*fn);
    // SELECT * of a row type's function: its columns are the table's (checked at CREATE FUNCTION).
    bool star = std::ranges::any_of(targets, [](const json::value& t) {
      const json::value* v = field(node_body(t), "val");
      return v && node_type(*v) == "ColumnRef" && !list_field(node_body(*v), "fields").empty() &&
             node_type(list_field(node_body(*v), "fields").back()) == "A_Star";
    });
    if (!star || cols.size() == 1) {
      if (targets.size() != cols.size())
        raise(sqlstate::kDatatypeMismatch, "function return row and query-specified return row do not match");
      for (size_t i = 0; i < targets.size(); ++i) {
        auto& rt = targets[i].as_object().begin()->value().as_object();
        json::value val = rt["val"];
        rt["val"] = json::object{{"TypeCast", json::object{{"arg", val}, {"typeName", type_name_node(cols[i].second)}, {"location", -1}}}};
        rt["name"] = cols[i].first;
      }
    }
  } else {
    unsupported("set-returning SQL functions whose SELECT is a UNION, INTERSECT or EXCEPT");
  }
  json::object alias_node{{"aliasname", alias}};
  if (colnames) alias_node["colnames"] = *colnames;
  json::object sub{{"RangeSubselect", json::object{{"subquery", body}, {"alias", alias_node}}}};
  keep_json_.emplace_back(std::move(sub));  // the tree outlives the binding, as a statement's does
  return bind_from_item(keep_json_.back(), parent, scope);
}

// A function in FROM whose result is a record, or records: json(b)_populate_record(set),
// json(b)_to_record(set) with their column definition list, and any function returning a
// composite type. Its rows have a column per field. nullptr when fname is none of them.
OperatorPtr Binder::bind_record_function(const json::object& call, const std::string& fname, const json::array* coldefs,
                                         bool ordinality, const std::string& alias, const json::array* colnames,
                                         const Scope& args_scope, Scope& scope) {
  int loc = static_cast<int>(int_field(call, "location", -1));
  const auto& args = list_field(call, "args");
  bool jsonb = fname.starts_with("jsonb_");
  std::string base = jsonb ? "json" + fname.substr(5) : fname;  // json_...
  bool set = base.ends_with("set");
  uint32_t doc_type = jsonb ? oid::kJsonb : oid::kJson;
  ExprPtr e;
  if (base == "json_to_record" || base == "json_to_recordset") {
    if (!coldefs) {
      Error err(sqlstate::kSyntaxError, "a column definition list is required for functions returning \"record\"");
      throw at(err, loc);
    }
    if (args.size() != 1) return nullptr;
    record::Shape shape;
    for (const auto& d : *coldefs) {
      const auto& cd = node_body(d);
      auto [type, typmod] = resolve_type(field(cd, "typeName")->as_object());
      shape.names.emplace_back(str_field(cd, "colname"));
      shape.types.push_back(type);
      shape.typmods.push_back(typmod);
    }
    int32_t typmod = record::bless(shape);
    std::vector<ExprPtr> a;
    a.push_back(coerce(bind_expr(args[0], args_scope), doc_type, -1, false, loc));
    a.push_back(std::make_unique<exec::ConstExpr>(Value::int4(typmod)));
    const auto* f = exec::resolve_function("?" + fname, {doc_type, oid::kInt4});
    e = std::make_unique<exec::FuncExpr>(f, std::move(a), set ? array::array_type_of(oid::kRecord) : oid::kRecord, typmod);
  } else if (base == "json_populate_record" || base == "json_populate_recordset") {
    if (args.size() != 2) return nullptr;
    std::vector<ExprPtr> a;
    a.push_back(bind_expr(args[0], args_scope));
    a.push_back(coerce(bind_expr(args[1], args_scope), doc_type, -1, false, loc));
    uint32_t type = a[0]->type;
    if (!record::shape_of(type, a[0]->typmod) || type == oid::kRecord) {
      Error err(sqlstate::kDatatypeMismatch, fmt::format("first argument of {} must be a row type", fname));
      throw at(err, loc);
    }
    const auto* f = exec::resolve_function(set ? "?" + fname : fname, {type, doc_type});
    e = std::make_unique<exec::FuncExpr>(f, std::move(a), set ? array::array_type_of(type) : type);
  } else {
    return nullptr;
  }
  // The record (or each record of the array) in column 0, then its fields.
  uint32_t rec_type = set ? array::element_type(e->type) : e->type;
  int32_t rec_typmod = e->typmod;
  const record::Shape* shape = record::shape_of(rec_type, rec_typmod);
  OperatorPtr op;
  std::vector<Column> inner{{"?record?", rec_type, rec_typmod, 0, 0}};
  if (set) {
    std::vector<ExprPtr> arrays;
    arrays.push_back(std::move(e));
    if (ordinality) inner.push_back({"ordinality", oid::kInt8, -1, 0, 0});
    op = exec::make_unnest(std::move(arrays), ordinality, inner);
  } else {
    if (ordinality) unsupported("WITH ORDINALITY on this function");
    std::vector<std::vector<ExprPtr>> rows(1);
    rows[0].push_back(std::move(e));
    op = exec::make_values(std::move(rows), inner);
  }
  std::vector<ExprPtr> exprs;
  std::vector<Column> cols;
  for (size_t i = 0; i < shape->size() + (ordinality ? 1 : 0); ++i) {
    bool counter = i == shape->size();
    std::string n = colnames && i < colnames->size() ? std::string(string_node((*colnames)[i]))
                    : counter                        ? "ordinality"
                                                     : shape->names[i];
    uint32_t type = counter ? oid::kInt8 : shape->types[i];
    int32_t typmod = counter ? -1 : shape->typmods[i];
    if (counter) exprs.push_back(std::make_unique<exec::ColumnExpr>(1, type, -1));
    else exprs.push_back(std::make_unique<exec::FieldSelectExpr>(std::make_unique<exec::ColumnExpr>(0, rec_type, rec_typmod), i, type, typmod));
    cols.push_back({n, type, typmod, 0, 0});
    scope.columns.push_back({alias, n, type, typmod, 0, 0});
  }
  return exec::make_project(std::move(op), std::move(exprs), std::move(cols));
}

OperatorPtr Binder::bind_range_function(const json::object& n, const Scope* parent, Scope& scope) {
  const auto& functions = list_field(n, "functions");
  if (functions.size() != 1) unsupported("ROWS FROM with several functions");
  const auto& items = list_field(node_body(functions[0]), "items");
  if (items.empty() || node_type(items[0]) != "FuncCall") unsupported("this expression in FROM");
  const json::array* coldefs = nullptr;  // AS x(a int, b text)
  if (!list_field(n, "coldeflist").empty()) coldefs = &list_field(n, "coldeflist");
  if (items.size() > 1 && items[1].is_object() && !items[1].as_object().empty()) unsupported("column definition lists in ROWS FROM");
  const auto& call = node_body(items[0]);
  std::string fname;
  for (const auto& part : list_field(call, "funcname")) fname = std::string(string_node(part));
  bool ordinality = sql::bool_field(n, "ordinality");
  std::string alias = fname;
  const json::array* colnames = nullptr;
  if (const auto* a = field(n, "alias")) {
    alias = std::string(str_field(a->as_object(), "aliasname"));
    colnames = &list_field(a->as_object(), "colnames");
  }
  // The column is named by the alias's column list, else the alias, else the function.
  std::string colname = colnames && !colnames->empty() ? std::string(string_node((*colnames)[0]))
                        : field(n, "alias")                ? alias
                                                           : fname;
  Scope args_scope;
  args_scope.parent = parent;
  // The function's columns, named by the alias's column list where it gives names, then WITH
  // ORDINALITY's counter.
  auto output = [&](std::vector<std::pair<std::string, uint32_t>> fields) {
    if (ordinality) fields.emplace_back("ordinality", oid::kInt8);
    std::vector<Column> cols;
    for (size_t i = 0; i < fields.size(); ++i) {
      std::string n = colnames && i < colnames->size() ? std::string(string_node((*colnames)[i])) : fields[i].first;
      cols.push_back({n, fields[i].second, -1, 0, 0});
      scope.columns.push_back({alias, n, fields[i].second, -1, 0, 0});
    }
    return cols;
  };
  if (OperatorPtr inlined = bind_set_function(call, fname, alias, colnames, parent, scope)) return inlined;
  if (fname == "pg_show_all_settings" && list_field(call, "args").empty() && !ordinality)  // what pg_settings shows
    return bind_system_scan(*catalog::find_system_view("pg_catalog", "pg_settings"), alias, colnames, scope);
  if (fname == "pg_options_to_table") {
    const auto& args = list_field(call, "args");
    int loc = static_cast<int>(int_field(call, "location", -1));
    if (args.size() != 1) unsupported("pg_options_to_table with these arguments");
    std::vector<ExprPtr> a;
    a.push_back(coerce(bind_expr(args[0], args_scope), 1009, -1, false, loc));
    return exec::make_unnest(std::move(a), ordinality, output({{"option_name", oid::kText}, {"option_value", oid::kText}}), true);
  }
  if (fname == "regexp_matches") unsupported("regexp_matches in FROM");
  if (const char* maker = array_set_function(fname)) {
    std::vector<ExprPtr> arrays;
    arrays.push_back(bind_expr(renamed_call(call, maker), args_scope));
    uint32_t elem = array::element_type(arrays[0]->type);
    return exec::make_unnest(std::move(arrays), ordinality, output({{colname, elem}}));
  }
  if (auto parts = json_set_function(fname)) {
    // json(b)_each & co.: unnests of the parts of their argument (keys, values, elements).
    const auto& args = list_field(call, "args");
    int loc = static_cast<int>(int_field(call, "location", -1));
    if (args.size() != 1) unsupported(fmt::format("{} with these arguments", fname));
    uint32_t doc_type = fname.starts_with("jsonb") ? oid::kJsonb : oid::kJson;
    std::vector<ExprPtr> arrays;
    std::vector<std::pair<std::string, uint32_t>> fields;
    for (const auto& [column, part] : *parts) {
      std::vector<ExprPtr> arg;
      arg.push_back(coerce(bind_expr(args[0], args_scope), doc_type, -1, false, loc));
      const auto* f = exec::resolve_function(part, {doc_type});
      ExprPtr e = make_call(f, std::move(arg), loc);
      // A function without OUT parameters names its column like unnest's.
      fields.emplace_back(parts->size() == 1 && std::string_view(column).empty() ? colname : column,
                          array::element_type(e->type));
      arrays.push_back(std::move(e));
    }
    return exec::make_unnest(std::move(arrays), ordinality, output(fields));
  }
  if (fname == "unnest" || fname == "pg_partition_ancestors") {
    const auto& args = list_field(call, "args");
    if (args.empty()) unsupported("unnest without arguments");
    int loc = static_cast<int>(int_field(call, "location", -1));
    std::vector<ExprPtr> arrays;
    std::vector<std::pair<std::string, uint32_t>> fields;
    for (const auto& arg : args) {
      ExprPtr a = bind_expr(arg, args_scope);
      if (fname == "pg_partition_ancestors") {
        // No table is a partition (nor partitioned): none has ancestors.
        coerce(std::move(a), oid::kRegclass, -1, false, loc);
        a = std::make_unique<exec::ArrayExpr>(2210, std::vector<ExprPtr>{});
        if (colname == fname) colname = "relid";
      }
      uint32_t elem = array::element_type(a->type);
      if (!elem) {
        Error e(sqlstate::kUndefinedFunction, fmt::format("function unnest({}) does not exist", types::format_type(a->type, -1)));
        e.with_hint("No function matches the given name and argument types. You might need to add explicit type casts.");
        throw at(e, loc);
      }
      // unnest(a, b) names its columns unnest, unnest (as ROWS FROM does), unless aliased.
      fields.emplace_back(args.size() == 1 ? colname : fname, elem);
      arrays.push_back(std::move(a));
    }
    return exec::make_unnest(std::move(arrays), ordinality, output(fields));
  }
  if (OperatorPtr op = bind_record_function(call, fname, coldefs, ordinality, alias, colnames, args_scope, scope)) return op;
  if (coldefs) {
    Error e(sqlstate::kSyntaxError, "a column definition list is only allowed for functions returning \"record\"");
    throw at(e, static_cast<int>(int_field(call, "location", -1)));
  }
  if (fname != "generate_series") {
    if (ordinality) unsupported("WITH ORDINALITY on this function");
    ExprPtr e = bind_expr(items[0], args_scope);
    std::vector<Column> cols{{colname, e->type, e->typmod, 0, 0}};
    scope.columns.push_back({alias, colname, e->type, e->typmod, 0, 0});
    std::vector<std::vector<ExprPtr>> rows(1);
    rows[0].push_back(std::move(e));
    return exec::make_values(std::move(rows), std::move(cols));
  }
  const auto& args = list_field(call, "args");
  int loc = static_cast<int>(int_field(call, "location", -1));
  if (args.size() != 2 && args.size() != 3) {
    Error e(sqlstate::kUndefinedFunction, fmt::format("function generate_series with {} arguments does not exist", args.size()));
    throw at(e, loc);
  }
  ExprPtr start = bind_expr(args[0], args_scope), stop = bind_expr(args[1], args_scope);
  uint32_t t = exec::common_type({start->type, stop->type}, "generate_series");
  if (t == oid::kUnknownType) t = oid::kInt4;
  if (t == oid::kDate) t = oid::kTimestamptz;  // dates read as timestamptz, the preferred datetime type
  bool temporal = t == oid::kTimestamp || t == oid::kTimestamptz;
  bool numeric = t == oid::kInt4 || t == oid::kInt8 || t == oid::kNumeric || t == oid::kInt2;
  if (t == oid::kInt2) t = oid::kInt4;
  if (!temporal && !numeric) {
    Error e(sqlstate::kUndefinedFunction, fmt::format("function generate_series({}, {}) does not exist", types::format_type(start->type, -1),
                                                      types::format_type(stop->type, -1)));
    e.with_hint("No function matches the given name and argument types. You might need to add explicit type casts.");
    throw at(e, loc);
  }
  if (temporal && args.size() != 3) {
    Error e(sqlstate::kUndefinedFunction, fmt::format("function generate_series({}, {}) does not exist", types::format_type(t, -1), types::format_type(t, -1)));
    throw at(e, loc);
  }
  start = coerce(std::move(start), t, -1, false, loc);
  stop = coerce(std::move(stop), t, -1, false, loc);
  uint32_t step_type = temporal ? oid::kInterval : t;
  ExprPtr step = args.size() == 3 ? coerce(bind_expr(args[2], args_scope), step_type, -1, false, loc)
                                  : std::make_unique<exec::ConstExpr>(Value::of(t, int64_t{1}));
  if (t == oid::kNumeric && args.size() == 2) step = coerce(std::make_unique<exec::ConstExpr>(Value::int4(1)), t, -1, false);
  auto col = [](size_t i, uint32_t ty) { return std::make_unique<exec::ColumnExpr>(i, ty, -1); };
  ExprPtr advance = make_operator("+", col(0, t), col(1, step_type), loc);
  ExprPtr up = make_operator("<=", col(0, t), col(1, t), loc);
  ExprPtr down = make_operator(">=", col(0, t), col(1, t), loc);
  return exec::make_series(std::move(start), std::move(stop), std::move(step), std::move(advance), std::move(up),
                           std::move(down), ordinality, output({{colname, t}}));
}

// The system relation a RangeVar names: pg_catalog.x or information_schema.x, or x when no
// table of that name is on the search path (pg_catalog comes first in PostgreSQL's, but a table
// here never has a pg_ name).
const catalog::SystemView* Binder::system_view(const json::object& rv) const {
  std::string schema(str_field(rv, "schemaname")), relname(str_field(rv, "relname"));
  if (schema == "pg_catalog" || schema == "information_schema") return catalog::find_system_view(schema, relname);
  if (schema.empty() && !catalog_.table("", relname)) return catalog::find_system_view("pg_catalog", relname);
  return nullptr;
}

// An equality of a left column (before lw) and a right one of the same type: a hash join key
// (left position, right position counted from lw).
bool hash_key(const exec::Expr& c, size_t lw, size_t& left, size_t& right) {
  auto* f = dynamic_cast<const exec::FuncExpr*>(&c);
  if (!f || f->def->name != "=" || f->args.size() != 2) return false;
  auto* a = dynamic_cast<const exec::ColumnExpr*>(f->args[0].get());
  auto* b = dynamic_cast<const exec::ColumnExpr*>(f->args[1].get());
  if (!a || !b || a->type != b->type || (a->index < lw) == (b->index < lw)) return false;
  if (a->index > b->index) std::swap(a, b);
  left = a->index;
  right = b->index - lw;
  return true;
}

// FROM items that may refer to the items before them: functions, and LATERAL subqueries, also
// inside a JOIN (FROM a, unnest(a.x) k JOIN b ON ...).
bool is_lateral(const json::value& item) {
  std::string_view t = node_type(item);
  if (t == "JoinExpr") {
    const auto& n = node_body(item);
    return is_lateral(*field(n, "larg")) || is_lateral(*field(n, "rarg"));
  }
  return t == "RangeFunction" || (t == "RangeSubselect" && sql::bool_field(node_body(item), "lateral"));
}

OperatorPtr Binder::bind_lateral(const json::value& item, const Scope& left, const Scope* parent, Scope& scope) {
  Scope lateral;
  lateral.columns = left.columns;
  lateral.parent = parent;
  size_t refs = outer_refs_;
  try {
    OperatorPtr op = bind_from_item(item, &lateral, scope);
    if (outer_refs_ != refs) return op;
  } catch (const Error& e) {
    // It refers to the enclosing query two levels up from here: it does not use the left side.
    if (e.sqlstate() != std::string_view(sqlstate::kFeatureNotSupported)) throw;
  }
  scope.columns.clear();
  outer_refs_ = refs;
  return nullptr;
}

// A system relation's rows, with its columns (renamed by colnames where given) and the system
// column tableoid (pg_dump reads it).
OperatorPtr Binder::bind_system_scan(const catalog::SystemView& view, const std::string& alias, const json::array* colnames,
                                     Scope& scope) {
  std::vector<Column> cols;
  for (const auto& [column, type] : view.columns) {
    std::string name = colnames && cols.size() < colnames->size() ? std::string(string_node((*colnames)[cols.size()])) : column;
    scope.columns.push_back({alias, name, type, -1, 0, 0});
    cols.push_back({name, type, -1, 0, 0});
  }
  scope.columns.push_back({alias, "tableoid", oid::kOid, -1, 0, 0});
  scope.columns.back().hidden = true;
  scope.columns.back().system = true;
  cols.push_back({"tableoid", oid::kOid, -1, 0, 0});
  return exec::make_system_scan(&view, std::move(cols));
}

namespace {
// FROM x AS a(c1, c2, ...): no more names than x has columns.
void check_alias_columns(const char* what, const std::string& alias, const json::array* colnames, size_t available) {
  if (colnames && colnames->size() > available)
    raise(sqlstate::kInvalidColumnReference, "{} \"{}\" has {} columns available but {} columns specified", what, alias,
          available, colnames->size());
}
}  // namespace

OperatorPtr Binder::bind_from_item(const json::value& item, const Scope* parent, Scope& scope) {
  std::string_view type = node_type(item);
  const auto& n = node_body(item);
  if (type == "RangeVar") {
    std::string relname(str_field(n, "relname"));
    if (Cte* cte = find_cte(n)) return bind_cte_reference(*cte, n, scope);
    if (std::string schema(str_field(n, "schemaname")); !catalog_.table(schema, relname))
      if (auto seq = catalog_.sequence(schema, relname)) {  // a sequence read as a relation
        std::string alias = relname;
        if (const auto* a = field(n, "alias")) alias = std::string(str_field(a->as_object(), "aliasname"));
        std::vector<Column> cols{{"last_value", oid::kInt8, -1, seq->id, 1}, {"log_cnt", oid::kInt8, -1, seq->id, 2},
                                 {"is_called", oid::kBool, -1, seq->id, 3}};
        for (const auto& c : cols) scope.columns.push_back({alias, c.name, c.type_oid, -1, seq->id, c.column_number});
        return exec::make_sequence_scan(seq->id, std::move(cols));
      }
    if (const catalog::SystemView* view = system_view(n)) {
      std::string alias = relname;
      const json::array* colnames = nullptr;
      if (const auto* a = field(n, "alias")) {
        alias = std::string(str_field(a->as_object(), "aliasname"));
        colnames = &list_field(a->as_object(), "colnames");
      }
      return bind_system_scan(*view, alias, colnames, scope);
    }
    auto t = lookup_table(n, Use::kRead);
    std::string alias(str_field(n, "relname"));
    const json::array* colnames = nullptr;
    if (const auto* a = field(n, "alias")) {
      alias = std::string(str_field(a->as_object(), "aliasname"));
      colnames = &list_field(a->as_object(), "colnames");
    }
    if (!t->is_view()) check_alias_columns("table", alias, colnames, t->columns.size());
    if (t->is_view()) return bind_view(t, alias, colnames, scope);
    if (sql::bool_field(n, "inh") && (t->is_partitioned() || !catalog_.children(t->id).empty())) {
      if (locking_) unsupported("FOR UPDATE / FOR SHARE of a table with inheritance children");
      return bind_inheritance_scan(t, n, parent, alias, colnames, scope);
    }
    std::vector<ExprPtr> conjuncts;
    if (from_where_) conjuncts = table_conjuncts(*t, n, parent, *from_where_);
    OperatorPtr op = bind_table_access(t, alias, scope, conjuncts, locking_ != nullptr);
    if (locking_) locking_->tables[alias] = t;
    if (colnames)
      for (size_t i = 0; i < colnames->size() && i < t->columns.size(); ++i)
        scope.columns[scope.columns.size() - t->columns.size() + i].name = std::string(string_node((*colnames)[i]));
    return op;
  }
  if (type == "RangeFunction") return bind_range_function(n, parent, scope);
  if (type == "RangeSubselect") {
    Scope sub;
    OperatorPtr op = bind_select(node_body(*field(n, "subquery")), parent, sub);
    std::string alias;
    const json::array* colnames = nullptr;
    if (const auto* a = field(n, "alias")) {
      alias = std::string(str_field(a->as_object(), "aliasname"));
      colnames = &list_field(a->as_object(), "colnames");
    }
    size_t i = 0;
    for (auto c : sub.columns) {
      if (c.hidden) continue;
      c.relation = alias;
      c.table_oid = 0;
      c.attnum = 0;
      if (colnames && i < colnames->size()) c.name = std::string(string_node((*colnames)[i]));
      ++i;
      scope.columns.push_back(std::move(c));
    }
    check_alias_columns("table", alias, colnames, i);
    return op;
  }
  if (type == "JoinExpr") {
    std::string jt(str_field(n, "jointype"));
    exec::JoinType kind = jt == "JOIN_LEFT" ? exec::JoinType::kLeft : jt == "JOIN_RIGHT" ? exec::JoinType::kRight
                          : jt == "JOIN_FULL" ? exec::JoinType::kFull : exec::JoinType::kInner;
    bool natural = sql::bool_field(n, "isNatural");
    Scope left_scope, right_scope;
    // WHERE may choose the access path of the sides whose rows it filters unchanged.
    const auto* where = from_where_;
    Restore restore(from_where_);
    from_where_ = kind == exec::JoinType::kInner || kind == exec::JoinType::kLeft ? where : nullptr;
    OperatorPtr left = bind_from_item(*field(n, "larg"), parent, left_scope);
    from_where_ = kind == exec::JoinType::kInner || kind == exec::JoinType::kRight ? where : nullptr;
    if (is_lateral(*field(n, "rarg"))) {
      // JOIN LATERAL: the right side sees the left one's columns (as outer references).
      size_t refs = outer_refs_;
      OperatorPtr right = bind_lateral(*field(n, "rarg"), left_scope, parent, right_scope);
      if (!right) right = bind_from_item(*field(n, "rarg"), parent, right_scope);
      if (outer_refs_ != refs && kind != exec::JoinType::kInner && kind != exec::JoinType::kLeft)
        throw Error(sqlstate::kInvalidColumnReference,
                    fmt::format("invalid reference to FROM-clause entry for table \"{}\"",
                                left_scope.columns.empty() ? "" : left_scope.columns[0].relation))
            .with_detail("The combining JOIN type must be INNER or LEFT for a LATERAL reference.");
      if (kind != exec::JoinType::kInner && kind != exec::JoinType::kLeft) unsupported("LATERAL in a RIGHT or FULL join");
      if (natural || !list_field(n, "usingClause").empty()) unsupported("LATERAL with NATURAL or USING");
      Scope both;
      both.parent = parent;
      both.columns = left_scope.columns;
      both.columns.insert(both.columns.end(), right_scope.columns.begin(), right_scope.columns.end());
      ExprPtr cond;
      if (const auto* q = field(n, "quals")) cond = make_condition(bind_expr(*q, both), "JOIN/ON");
      for (auto& c : both.columns) scope.columns.push_back(c);
      return exec::make_lateral_join(std::move(left), std::move(right), std::move(cond), kind == exec::JoinType::kLeft);
    }
    OperatorPtr right = bind_from_item(*field(n, "rarg"), parent, right_scope);
    size_t lw = left_scope.columns.size();
    Scope both;
    both.parent = parent;
    both.columns = left_scope.columns;
    both.columns.insert(both.columns.end(), right_scope.columns.begin(), right_scope.columns.end());
    std::vector<ExprPtr> conds;
    size_t refs = outer_refs_;
    // NATURAL: USING the columns both sides have, in the left side's order.
    json::array natural_cols;
    if (natural) {
      for (size_t i = 0; i < lw; ++i) {
        const auto& name = both.columns[i].name;
        if (both.columns[i].hidden || name.empty()) continue;
        bool in_right = false, seen = false;
        for (size_t k = lw; k < both.columns.size(); ++k) in_right |= !both.columns[k].hidden && both.columns[k].name == name;
        for (const auto& c : natural_cols) seen |= string_node(c) == name;
        if (in_right && !seen) natural_cols.push_back(json::object{{"String", json::object{{"sval", name}}}});
      }
    }
    const auto& using_cols = natural ? natural_cols : list_field(n, "usingClause");
    for (const auto& u : using_cols) {
      std::string name(string_node(u));
      int li = -1, ri = -1;
      for (size_t i = 0; i < lw; ++i) if (both.columns[i].name == name && !both.columns[i].hidden) li = static_cast<int>(i);
      for (size_t i = lw; i < both.columns.size(); ++i) if (both.columns[i].name == name && !both.columns[i].hidden) ri = static_cast<int>(i);
      if (li < 0) raise(sqlstate::kUndefinedColumn, "column \"{}\" specified in USING clause does not exist in left table", name);
      if (ri < 0) raise(sqlstate::kUndefinedColumn, "column \"{}\" specified in USING clause does not exist in right table", name);
      const auto &lc = both.columns[static_cast<size_t>(li)], &rc = both.columns[static_cast<size_t>(ri)];
      conds.push_back(make_operator("=", std::make_unique<exec::ColumnExpr>(li, lc.type, lc.typmod),
                                    std::make_unique<exec::ColumnExpr>(ri, rc.type, rc.typmod), -1));
      if (locking_) locking_->usings.push_back({lc.relation, rc.relation, name});
    }
    if (locking_) {
      if (kind != exec::JoinType::kInner) locking_->outer = true;
      if (const auto* q = field(n, "quals")) locking_->quals.push_back(q);
    }
    if (const auto* q = field(n, "quals")) {
      std::vector<const json::value*> parts;
      split_conjuncts(*q, parts);
      for (const auto* p : parts) conds.push_back(make_condition(bind_expr(*p, both), "JOIN/ON"));
    }
    bool quals_read_outer = outer_refs_ != refs;
    // Equi-join terms between the two sides: index lookups into the right table for each left
    // row, or hash keys.
    std::vector<std::pair<size_t, size_t>> keys;
    for (auto& c : conds)
      if (size_t l, r; hash_key(*c, lw, l, r)) keys.emplace_back(l, r);
    OperatorPtr op;
    if (!keys.empty() && !quals_read_outer && (kind == exec::JoinType::kInner || kind == exec::JoinType::kLeft)) {
      std::vector<const json::value*> filters;
      if (const auto* q = field(n, "quals")) split_conjuncts(*q, filters);
      if (kind == exec::JoinType::kInner && where) filters.insert(filters.end(), where->begin(), where->end());
      const json::value* larg = field(n, "larg");
      const json::value* rarg = field(n, "rarg");
      op = equijoin(std::move(left), plain_table(*larg) ? larg : nullptr, std::move(right), plain_table(*rarg) ? rarg : nullptr,
                    keys, std::move(conds), filters, kind);
      conds.clear();
    }
    std::vector<size_t> lk, rk;
    std::vector<ExprPtr> residual;
    for (auto& c : conds) {
      size_t l, r;
      if (hash_key(*c, lw, l, r)) {
        lk.push_back(l);
        rk.push_back(r);
        continue;
      }
      residual.push_back(std::move(c));
    }
    if (op) {
    } else if (!lk.empty())
      op = exec::make_hash_join(std::move(left), std::move(right), std::move(lk), std::move(rk), and_all(std::move(residual)), kind);
    else
      op = exec::make_nested_loop_join(std::move(left), std::move(right), and_all(std::move(residual)),
                                       conds.empty() && using_cols.empty() && !field(n, "quals") && !natural ? exec::JoinType::kCross : kind);
    if (!using_cols.empty()) {
      // USING / NATURAL: the merged columns first (the left's value, the right's for RIGHT JOIN,
      // COALESCE of both for FULL JOIN), then the other columns of each side. The sides' own
      // USING columns stay reachable by their relation's name only.
      std::vector<ExprPtr> exprs;
      std::vector<ScopeColumn> out;
      for (const auto& u : using_cols) {
        std::string name(string_node(u));
        size_t li = 0, ri = 0;
        for (size_t i = 0; i < lw; ++i) if (both.columns[i].name == name && !both.columns[i].hidden) li = i;
        for (size_t i = lw; i < both.columns.size(); ++i) if (both.columns[i].name == name && !both.columns[i].hidden) ri = i;
        const auto &lc = both.columns[li], &rc = both.columns[ri];
        ExprPtr merged;
        ScopeColumn m{"", name, lc.type, lc.typmod, 0, 0};
        if (kind == exec::JoinType::kFull) {
          uint32_t t = exec::common_type({lc.type, rc.type}, "JOIN/USING");
          std::vector<ExprPtr> args;
          args.push_back(coerce(std::make_unique<exec::ColumnExpr>(li, lc.type, lc.typmod), t, -1, false, -1));
          args.push_back(coerce(std::make_unique<exec::ColumnExpr>(ri, rc.type, rc.typmod), t, -1, false, -1));
          merged = std::make_unique<exec::CoalesceExpr>(t, -1, std::move(args));
          m.type = t;
          m.typmod = -1;
        } else if (kind == exec::JoinType::kRight) {
          merged = std::make_unique<exec::ColumnExpr>(ri, rc.type, rc.typmod);
          m = {"", name, rc.type, rc.typmod, 0, 0};
        } else {
          merged = std::make_unique<exec::ColumnExpr>(li, lc.type, lc.typmod);
          m = {"", name, lc.type, lc.typmod, lc.table_oid, lc.attnum};
        }
        exprs.push_back(std::move(merged));
        out.push_back(std::move(m));
        for (size_t i : {li, ri}) {
          both.columns[i].hidden = true;
          both.columns[i].qualified = true;
        }
      }
      for (size_t i = 0; i < both.columns.size(); ++i) {
        const auto& c = both.columns[i];
        exprs.push_back(std::make_unique<exec::ColumnExpr>(i, c.type, c.typmod));
        out.push_back(c);
      }
      std::vector<Column> cols;
      for (const auto& c : out) cols.push_back({c.name, c.type, c.typmod, c.table_oid, c.attnum});
      op = exec::make_project(std::move(op), std::move(exprs), std::move(cols));
      both.columns = std::move(out);
      // JOIN ... USING (a) AS x: x names the merged columns only.
      if (const auto* ua = field(n, "join_using_alias")) {
        std::string alias(str_field(ua->as_object(), "aliasname"));
        for (const auto& c : left_scope.columns)
          if (c.relation == alias) raise(sqlstate::kDuplicateAlias, "table name \"{}\" specified more than once", alias);
        for (const auto& c : right_scope.columns)
          if (c.relation == alias) raise(sqlstate::kDuplicateAlias, "table name \"{}\" specified more than once", alias);
        for (size_t i = 0; i < using_cols.size(); ++i) both.columns[i].relation = alias;
      }
    }
    if (const auto* a = field(n, "alias")) {
      std::string alias(str_field(a->as_object(), "aliasname"));
      const json::array& colnames = list_field(a->as_object(), "colnames");
      size_t visible = 0;
      for (auto& c : both.columns) {
        c.relation = alias;
        c.qualified = false;  // alias.name is the merged column
        if (c.hidden) continue;
        if (visible < colnames.size()) c.name = std::string(string_node(colnames[visible]));
        ++visible;
      }
      check_alias_columns("join expression", alias, &colnames, visible);
    }
    for (auto& c : both.columns) scope.columns.push_back(c);
    return op;
  }
  if (type == "RangeFunction") unsupported("functions in FROM");
  unsupported(fmt::format("FROM item {}", type));
}

std::shared_ptr<const catalog::TableDef> Binder::plain_table(const json::value& item) {
  if (node_type(item) != "RangeVar") return nullptr;
  const auto& n = node_body(item);
  if (system_view(n) || find_cte(n)) return nullptr;
  auto t = catalog_.table(std::string(str_field(n, "schemaname")), std::string(str_field(n, "relname")));
  if (t && sql::bool_field(n, "inh") && (t->is_partitioned() || !catalog_.children(t->id).empty())) return nullptr;  // its children too
  return t && !t->is_view() ? t : nullptr;
}

std::vector<ExprPtr> Binder::table_conjuncts(const catalog::TableDef& t, const json::object& rv, const Scope* parent,
                                             const std::vector<const json::value*>& where) {
  std::string alias(str_field(rv, "relname"));
  const json::array* colnames = nullptr;
  if (const auto* a = field(rv, "alias")) {
    alias = std::string(str_field(a->as_object(), "aliasname"));
    colnames = &list_field(a->as_object(), "colnames");
  }
  Scope probe;
  probe.parent = parent;
  int16_t attnum = 0;
  for (const auto& c : t.columns) {
    probe.columns.push_back({alias, c.name, c.type, c.typmod, t.id, ++attnum});
    if (colnames && static_cast<size_t>(attnum) <= colnames->size())
      probe.columns.back().name = std::string(string_node((*colnames)[static_cast<size_t>(attnum - 1)]));
  }
  std::vector<ExprPtr> out;
  for (const auto* w : where) {
    try {
      out.push_back(bind_expr(*w, probe));
    } catch (const Error&) {
      // Refers to other FROM items.
    }
  }
  return out;
}

OperatorPtr Binder::bind_from(const json::array& from, const Scope* parent, Scope& scope,
                              std::vector<const json::value*>& where, bool emit_key) {
  scope.parent = parent;
  OperatorPtr op;
  const json::value* left_item = nullptr;  // the FROM item op reads, while it is one plain table
  for (const auto& item : from) {
    Scope item_scope;
    item_scope.parent = parent;
    OperatorPtr right;
    if (auto t = plain_table(item)) {
      // A plain table: WHERE terms on its own columns may choose its access path.
      const auto& n = node_body(item);
      t = lookup_table(n);
      std::string alias(str_field(n, "relname"));
      if (const auto* a = field(n, "alias")) alias = std::string(str_field(a->as_object(), "aliasname"));
      std::vector<ExprPtr> conjuncts = table_conjuncts(*t, n, parent, where);
      right = bind_table_access(t, alias, item_scope, conjuncts, emit_key || locking_);
      if (locking_) locking_->tables[alias] = t;
      if (const auto* a = field(n, "alias"))
        if (const auto& cn = list_field(a->as_object(), "colnames"); !cn.empty()) {
          check_alias_columns("table", alias, &cn, t->columns.size());
          for (size_t i = 0; i < cn.size(); ++i) item_scope.columns[i].name = std::string(string_node(cn[i]));
        }
    } else if (op && is_lateral(item)) {
      // A function (implicitly) or LATERAL subquery after other items sees their columns.
      if (OperatorPtr lateral = bind_lateral(item, scope, parent, item_scope)) {
        scope.columns.insert(scope.columns.end(), item_scope.columns.begin(), item_scope.columns.end());
        op = exec::make_lateral_join(std::move(op), std::move(lateral), nullptr, false);
        continue;
      }
      right = bind_from_item(item, parent, item_scope);
    } else {
      Restore restore(from_where_);
      from_where_ = &where;
      right = bind_from_item(item, parent, item_scope);
    }
    if (!op) {
      op = std::move(right);
      scope.columns = std::move(item_scope.columns);
      left_item = plain_table(item) ? &item : nullptr;
      continue;
    }
    op = comma_join(std::move(op), scope, std::move(right), item_scope, &item, where, left_item);
    left_item = nullptr;
  }
  return op;
}

OperatorPtr Binder::comma_join(OperatorPtr op, Scope& scope, OperatorPtr right, const Scope& right_scope,
                               const json::value* right_item, const std::vector<const json::value*>& where,
                               const json::value* left_item) {
  size_t lw = scope.columns.size();
  Scope both;
  both.parent = scope.parent;
  both.columns = scope.columns;
  both.columns.insert(both.columns.end(), right_scope.columns.begin(), right_scope.columns.end());
  std::vector<size_t> lk, rk;
  for (const auto* w : where) {
    ExprPtr c;
    try {
      c = bind_expr(*w, both);
    } catch (const Error&) {
      continue;
    }
    size_t l, r;
    if (hash_key(*c, lw, l, r)) {
      lk.push_back(l);
      rk.push_back(r);
    }
  }
  scope.columns = std::move(both.columns);
  if (lk.empty()) return exec::make_nested_loop_join(std::move(op), std::move(right), nullptr, exec::JoinType::kCross);
  std::vector<std::pair<size_t, size_t>> keys;
  for (size_t i = 0; i < lk.size(); ++i) keys.emplace_back(lk[i], rk[i]);
  // WHERE is applied to the joined rows: no join conditions of its own.
  return equijoin(std::move(op), left_item, std::move(right), right_item, keys, {}, where, exec::JoinType::kInner);
}

namespace {
// The FROM items of a query (through JOINs) by name, and whether each is a plain table reference.
void from_items(const json::value& item, std::vector<std::pair<std::string, bool>>& out) {
  std::string_view type = node_type(item);
  const auto& n = node_body(item);
  if (type == "JoinExpr") {
    from_items(*field(n, "larg"), out);
    from_items(*field(n, "rarg"), out);
    return;
  }
  std::string alias = type == "RangeVar" ? std::string(str_field(n, "relname")) : "";
  if (const auto* a = field(n, "alias")) alias = std::string(str_field(a->as_object(), "aliasname"));
  out.emplace_back(alias, type == "RangeVar");
}
}  // namespace

OperatorPtr Binder::bind_locking(const json::object& s, OperatorPtr op, const Scope& scope, const Locking& locking) {
  // The strongest of the clauses, PostgreSQL's spelling of it, and how to wait.
  using storage::LockTable;
  LockTable::Mode mode = LockTable::Mode::kShared;
  LockTable::Wait wait = LockTable::Wait::kBlock;
  std::string what = "FOR KEY SHARE";
  std::vector<std::string> named;
  for (const auto& lc : list_field(s, "lockingClause")) {
    const auto& c = node_body(lc);
    std::string_view strength = str_field(c, "strength");
    if (strength == "LCS_FORUPDATE" || strength == "LCS_FORNOKEYUPDATE") mode = LockTable::Mode::kExclusive;
    if (strength == "LCS_FORUPDATE") what = "FOR UPDATE";
    else if (strength == "LCS_FORNOKEYUPDATE" && what != "FOR UPDATE") what = "FOR NO KEY UPDATE";
    else if (strength == "LCS_FORSHARE" && what == "FOR KEY SHARE") what = "FOR SHARE";
    std::string_view policy = str_field(c, "waitPolicy");
    if (policy == "LockWaitError") wait = LockTable::Wait::kNoWait;
    else if (policy == "LockWaitSkip" && wait == LockTable::Wait::kBlock) wait = LockTable::Wait::kSkip;
    for (const auto& r : list_field(c, "lockedRels")) named.emplace_back(str_field(node_body(r), "relname"));
  }
  auto refuse = [&](const char* with) { raise(sqlstate::kFeatureNotSupported, "{} is not allowed with {}", what, with); };
  if (!list_field(s, "distinctClause").empty()) refuse("DISTINCT clause");
  if (!list_field(s, "groupClause").empty()) refuse("GROUP BY clause");
  if (field(s, "havingClause")) refuse("HAVING clause");
  for (const auto& t : list_field(s, "targetList"))
    if (contains_aggregate(t)) refuse("aggregate functions");

  // Which relations: those named after OF, else every one in FROM. Only plain tables' rows
  // can be locked here.
  std::vector<std::pair<std::string, bool>> items;
  for (const auto& f : list_field(s, "fromClause")) from_items(f, items);
  std::vector<std::string> locked;
  for (const auto& [alias, plain] : items) {
    bool wanted = named.empty() || std::find(named.begin(), named.end(), alias) != named.end();
    if (!wanted) continue;
    if (!plain || !locking.tables.count(alias)) unsupported(what + " of subqueries, functions, views or system views");
    locked.push_back(alias);
  }
  for (const auto& n : named)
    if (std::none_of(items.begin(), items.end(), [&](const auto& i) { return i.first == n; }))
      raise(sqlstate::kUndefinedTable, "relation \"{}\" in {} clause not found in FROM clause", n, what);
  if (locking.outer) unsupported(what + " with outer joins");

  std::vector<exec::LockTarget> targets;
  for (const auto& alias : locked) {
    const auto& table = locking.tables.at(alias);
    for (size_t k = 0; k < scope.columns.size(); ++k) {
      const auto& c = scope.columns[k];
      if (c.hidden && c.name == "ctid" && c.relation == alias) targets.push_back({table, k, k - table->columns.size()});
    }
  }
  // The READ COMMITTED re-check of a row that changed: the WHERE clause and the JOIN conditions,
  // over the whole joined row.
  std::vector<ExprPtr> conds;
  if (const auto* w = field(s, "whereClause")) conds.push_back(make_condition(bind_expr(*w, scope), "WHERE"));
  for (const auto* q : locking.quals) conds.push_back(make_condition(bind_expr(*q, scope), "JOIN/ON"));
  for (const auto& u : locking.usings) {
    auto find = [&](const std::string& rel) -> int {
      for (size_t i = 0; i < scope.columns.size(); ++i)
        if (scope.columns[i].relation == rel && scope.columns[i].name == u.column) return static_cast<int>(i);
      unsupported(what + " with this JOIN ... USING");
    };
    int l = find(u.left), r = find(u.right);
    const auto &lc = scope.columns[static_cast<size_t>(l)], &rc = scope.columns[static_cast<size_t>(r)];
    conds.push_back(make_operator("=", std::make_unique<exec::ColumnExpr>(l, lc.type, lc.typmod),
                                  std::make_unique<exec::ColumnExpr>(r, rc.type, rc.typmod), -1));
  }
  return exec::make_lock_rows(std::move(op), std::move(targets), and_all(std::move(conds)), mode, wait);
}

namespace {
bool refers_to(const json::value& v, const std::string& name) {
  if (v.is_array()) {
    for (const auto& x : v.as_array())
      if (refers_to(x, name)) return true;
  } else if (v.is_object()) {
    const auto& o = v.as_object();
    if (const auto* rv = o.if_contains("RangeVar")) {
      const auto& b = rv->as_object();
      return str_field(b, "relname") == name && str_field(b, "schemaname").empty();
    }
    for (const auto& kv : o)
      if (refers_to(kv.value(), name)) return true;
  }
  return false;
}
// How many times a query names `name` as a relation (not counting what an inner WITH query of
// that name hides).
int count_references(const json::value& v, const std::string& name) {
  int n = 0;
  if (v.is_array()) {
    for (const auto& x : v.as_array()) n += count_references(x, name);
  } else if (v.is_object()) {
    const auto& o = v.as_object();
    if (const auto* rv = o.if_contains("RangeVar")) {
      const auto& b = rv->as_object();
      return str_field(b, "relname") == name && str_field(b, "schemaname").empty() ? 1 : 0;
    }
    // A statement with a WITH (its body, or one wrapped as a node)
    const auto* sel = o.if_contains("SelectStmt");
    if (const json::object* with_body = o.contains("withClause") ? &o : sel ? &sel->as_object() : nullptr;
        with_body && with_body->contains("withClause")) {
      const auto& body = *with_body;
      const auto& w = field(body, "withClause")->as_object();
      const auto& ctes = list_field(w, "ctes");
      auto named = [&](const json::value& c) { return str_field(node_body(c), "ctename") == name; };
      // WITH RECURSIVE's names are seen by all its queries; a plain WITH's by the later ones.
      bool hidden = sql::bool_field(w, "recursive") && std::any_of(ctes.begin(), ctes.end(), named);
      for (const auto& c : ctes) {
        if (!hidden)
          if (const auto* q = field(node_body(c), "ctequery")) n += count_references(*q, name);
        hidden |= named(c);
      }
      if (hidden) return n;
      for (const auto& kv : body)
        if (kv.key() != "withClause") n += count_references(kv.value(), name);
      return n;
    }
    for (const auto& kv : o) n += count_references(kv.value(), name);
  }
  return n;
}
}  // namespace

Binder::Cte* Binder::find_cte(const json::object& rv) {
  if (!str_field(rv, "schemaname").empty()) return nullptr;
  std::string_view name = str_field(rv, "relname");
  for (auto it = ctes_.rbegin(); it != ctes_.rend(); ++it)
    if (it->name == name && (!it->binding || it->worktable)) return &*it;
  return nullptr;
}

OperatorPtr Binder::bind_cte_reference(Cte& cte, const json::object& rv, Scope& scope) {
  std::string alias = cte.name;
  if (const auto* a = field(rv, "alias")) alias = std::string(str_field(a->as_object(), "aliasname"));
  if (cte.dml && !cte.has_returning) {
    Error e = make_error(sqlstate::kFeatureNotSupported, "WITH query \"{}\" does not have a RETURNING clause", cte.name);
    throw at(e, static_cast<int>(int_field(rv, "location", -1)));
  }
  const json::array* aliascols = nullptr;  // FROM cte AS a(x, y)
  if (const auto* a = field(rv, "alias")) aliascols = &list_field(a->as_object(), "colnames");
  auto rename = [&](size_t first) {
    for (size_t k = 0; aliascols && k < aliascols->size() && first + k < scope.columns.size(); ++k)
      scope.columns[first + k].name = std::string(string_node((*aliascols)[k]));
    check_alias_columns("table", alias, aliascols, scope.columns.size() - first);
  };
  size_t first = scope.columns.size();
  if (cte.worktable) {  // the recursive term reading the previous round, or a data-modifying statement's rows
    std::vector<Column> cols;
    for (auto c : cte.columns) {
      cols.push_back({c.name, c.type, c.typmod, 0, 0});
      c.relation = alias;
      scope.columns.push_back(std::move(c));
    }
    rename(first);
    return exec::make_rows(cte.worktable, std::move(cols));
  }
  Scope sub;
  OperatorPtr op;
  {
    // While its query is bound, the CTE's name refers to whatever it named outside the WITH
    // (a recursive CTE's own name reaches its working table).
    cte.binding = true;
    cte.referenced = true;
    struct Done {
      Cte& c;
      ~Done() { c.binding = false; }
    } done{cte};
    size_t refs = outer_refs_;
    op = cte.recursive ? bind_recursive_cte(cte, sub) : bind_select(*cte.query, cte.parent, sub);
    // Its outer references name the query around its WITH; read from a deeper subquery they
    // would reach another row (only the next level out is at hand while a subquery runs).
    if (outer_refs_ != refs && subquery_depth_ != cte.depth)
      unsupported("a WITH query that reads columns of an outer query, used in a subquery below it");
  }
  size_t i = 0;
  for (auto c : sub.columns) {
    if (c.hidden) continue;
    c.relation = alias;
    c.table_oid = 0;
    c.attnum = 0;
    if (cte.colnames && i < cte.colnames->size()) c.name = std::string(string_node((*cte.colnames)[i]));
    ++i;
    scope.columns.push_back(std::move(c));
  }
  if (cte.colnames && cte.colnames->size() > i) {
    Error e = make_error(sqlstate::kInvalidColumnReference, "WITH query \"{}\" has {} columns available but {} columns specified",
                         cte.name, i, cte.colnames->size());
    throw at(e, cte.location);
  }
  rename(first);
  return op;
}

void Binder::push_ctes(const json::object& w, const Scope* parent, bool top_level) {
  bool recursive = sql::bool_field(w, "recursive");
  for (const auto& c : list_field(w, "ctes")) {
    const auto& cb = node_body(c);
    const json::value* q = field(cb, "ctequery");
    Cte cte{std::string(str_field(cb, "ctename")), &node_body(*q), nullptr, parent, nullptr, {}, false, false,
            static_cast<int>(int_field(cb, "location", -1))};
    if (const auto* s = field(cb, "search_clause")) cte.search = &s->as_object();
    if (const auto* c = field(cb, "cycle_clause")) cte.cycle = &c->as_object();
    bind_cycle_mark(cte);
    if (const auto* names = field(cb, "aliascolnames")) cte.colnames = &names->as_array();
    cte.depth = subquery_depth_;
    if (node_type(*q) != "SelectStmt") {
      // INSERT/UPDATE/DELETE ... [RETURNING]: bound now, run before the statement; references
      // read the rows it returned.
      if (!top_level) {
        Error e = make_error(sqlstate::kFeatureNotSupported, "WITH clause containing a data-modifying statement must be at the top level");
        throw at(e, cte.location);
      }
      // Rules on its relation: PostgreSQL's restrictions (one statement, from an unconditional
      // INSTEAD rule, may replace it; that replacement is not done here yet).
      if (auto rewritten = rewrite_rules(catalog_, q->as_object(), true); rewritten && (*rewritten)[0].source != 'o')
        unsupported("DO INSTEAD rules on a data-modifying statement in WITH");
      size_t access_begin = access_.size();
      auto plan = bind_dml(*q);
      dml_writes_.push_back({plan->table->id, access_begin, access_.size()});
      cte.worktable = std::make_shared<std::vector<exec::Row>>();
      cte.dml = true;
      cte.has_returning = !plan->returning.empty();
      for (const auto& col : plan->columns) cte.columns.push_back({cte.name, col.name, col.type_oid, col.typmod, 0, 0});
      if (cte.colnames)
        for (size_t i = 0; i < cte.colnames->size() && i < cte.columns.size(); ++i)
          cte.columns[i].name = std::string(string_node((*cte.colnames)[i]));
      before_.push_back({std::move(plan), cte.worktable});
    } else {
      cte.recursive = recursive && refers_to(*q, cte.name);
    }
    if ((cte.search || cte.cycle) && !cte.recursive) {
      Error e = make_error(sqlstate::kSyntaxError, "WITH query is not recursive");
      throw at(e, cte.location);
    }
    ctes_.push_back(std::move(cte));
  }
}

// WITH RECURSIVE name AS (base UNION [ALL] recursive): the recursive term is bound with the
// name reading the working table, typed by the base term.
OperatorPtr Binder::bind_recursive_cte(Cte& cte, Scope& out) {
  const json::object& q = *cte.query;
  if (str_field(q, "op") != "SETOP_UNION") {
    Error e = make_error(sqlstate::kInvalidRecursion,
                         "recursive query \"{}\" does not have the form non-recursive-term UNION [ALL] recursive-term", cte.name);
    throw at(e, cte.location);
  }
  Scope ls;
  OperatorPtr base = bind_select(field(q, "larg")->as_object(), cte.parent, ls);
  std::vector<ScopeColumn> cols;
  size_t i = 0;
  for (auto c : ls.columns) {
    if (c.hidden) continue;
    if (c.type == oid::kUnknownType) c.type = oid::kText;
    if (cte.colnames && i < cte.colnames->size()) c.name = std::string(string_node((*cte.colnames)[i]));
    c.table_oid = 0;
    c.attnum = 0;
    ++i;
    cols.push_back(std::move(c));
  }
  // What PostgreSQL refuses in a recursive term (each would also recurse without end here).
  const json::object& rterm = field(q, "rarg")->as_object();
  auto refuse = [&](const char* state, std::string msg) {
    Error e(state, std::move(msg));
    throw at(e, cte.location);
  };
  for (const json::object* part : {&q, &rterm}) {  // the UNION's own clauses, and the recursive term's
    if (!list_field(*part, "sortClause").empty()) refuse(sqlstate::kFeatureNotSupported, "ORDER BY in a recursive query is not implemented");
    if (field(*part, "limitOffset")) refuse(sqlstate::kFeatureNotSupported, "OFFSET in a recursive query is not implemented");
    if (field(*part, "limitCount")) refuse(sqlstate::kFeatureNotSupported, "LIMIT in a recursive query is not implemented");
    if (!list_field(*part, "lockingClause").empty())
      refuse(sqlstate::kFeatureNotSupported, "FOR UPDATE/SHARE in a recursive query is not implemented");
  }
  for (const auto& t : list_field(rterm, "targetList"))
    if (contains_aggregate(t))
      refuse(sqlstate::kInvalidRecursion, "aggregate functions are not allowed in a recursive query's recursive term");
  if (count_references(field(q, "rarg") ? *field(q, "rarg") : json::value(), cte.name) > 1)
    refuse(sqlstate::kInvalidRecursion, fmt::format("recursive reference to query \"{}\" must not appear more than once", cte.name));
  // On the nullable side of an outer join the working table would be read as if empty.
  std::function<void(const json::value&)> outer_joins = [&](const json::value& v) {
    if (v.is_array()) {
      for (const auto& x : v.as_array()) outer_joins(x);
      return;
    }
    if (!v.is_object()) return;
    if (const auto* j = v.as_object().if_contains("JoinExpr")) {
      const auto& jb = j->as_object();
      std::string_view jt = str_field(jb, "jointype");
      bool left_nullable = jt == "JOIN_RIGHT" || jt == "JOIN_FULL", right_nullable = jt == "JOIN_LEFT" || jt == "JOIN_FULL";
      if ((left_nullable && count_references(*field(jb, "larg"), cte.name)) ||
          (right_nullable && count_references(*field(jb, "rarg"), cte.name)))
        refuse(sqlstate::kInvalidRecursion, fmt::format("recursive reference to query \"{}\" must not appear within an outer join", cte.name));
    }
    for (const auto& kv : v.as_object()) outer_joins(kv.value());
  };
  outer_joins(rterm.contains("fromClause") ? rterm.at("fromClause") : json::value());
  bool search_cycle = cte.search || cte.cycle;
  const json::object* rarg = &rterm;
  if (search_cycle) {
    check_search_cycle_form(cte);
    if (cte.colnames && cte.colnames->size() > cols.size()) {
      Error e = make_error(sqlstate::kInvalidColumnReference, "WITH query \"{}\" has {} columns available but {} columns specified",
                           cte.name, cols.size(), cte.colnames->size());
      throw at(e, cte.location);
    }
    // Two added columns of one name would be ambiguous in the recursive term: the name checks
    // tell why first.
    auto added = search_cycle_columns(cte);
    for (size_t i = 0; i < added.size(); ++i)
      for (size_t j = i + 1; j < added.size(); ++j)
        if (added[i].name == added[j].name) check_search_cycle_names(cte, cols);
    // One named as a column of the CTE: the recursive term is bound as written (a reference to
    // that name is ambiguous there, as in PostgreSQL), then the name checks fail.
    bool clash = false;
    for (const auto& a : added)
      for (const auto& c : cols) clash |= a.name == c.name;
    if (!clash) rarg = search_cycle_rterm(cte, rterm);
  }
  auto work = std::make_shared<std::vector<exec::Row>>();
  cte.columns = cols;
  if (search_cycle)
    for (auto& c : search_cycle_columns(cte)) cte.columns.push_back(std::move(c));
  cte.worktable = work;
  Scope rs;
  OperatorPtr rec;
  try {
    rec = bind_select(rarg ? *rarg : rterm, cte.parent, rs);
  } catch (...) {
    cte.worktable.reset();
    throw;
  }
  cte.worktable.reset();
  std::vector<ScopeColumn> rcols;
  for (const auto& c : rs.columns)
    if (!c.hidden) rcols.push_back(c);
  if (search_cycle) {
    check_search_cycle_names(cte, cols);
    if (!rarg)
      raise(sqlstate::kFeatureNotSupported,
            "with a SEARCH or CYCLE clause, the recursive reference to WITH query \"{}\" must be at the top level of its right-hand SELECT",
            cte.name);
    if (rcols.size() != cols.size() + search_cycle_columns(cte).size())
      raise(sqlstate::kSyntaxError, "each UNION query must have the same number of columns");
    std::vector<ScopeColumn> added, lcols;
    for (const auto& c : ls.columns)
      if (!c.hidden) lcols.push_back(c);
    base = search_cycle_project(cte, std::move(base), lcols, cols, false, added);
    rec = search_cycle_project(cte, std::move(rec), rcols, cols, true, added);
    std::vector<Column> out_cols;
    std::vector<ScopeColumn> all = cols;
    all.insert(all.end(), added.begin(), added.end());
    for (const auto& c : all) {
      out_cols.push_back({c.name, c.type, c.typmod, 0, 0});
      out.columns.push_back(c);
    }
    return exec::make_recursive_union(std::move(base), std::move(rec), std::move(work), sql::bool_field(q, "all"), out_cols);
  }
  if (rcols.size() != cols.size())
    raise(sqlstate::kSyntaxError, "each UNION query must have the same number of columns");
  std::vector<ExprPtr> rp;
  bool cast = false;
  std::vector<Column> out_cols;
  for (size_t k = 0; k < cols.size(); ++k) {
    // The non-recursive term fixes each column's type: the UNION's own may not differ from it.
    uint32_t overall = exec::common_type({cols[k].type, rcols[k].type}, "UNION");
    int32_t overall_typmod = cols[k].typmod == rcols[k].typmod ? cols[k].typmod : -1;
    if (overall != cols[k].type || overall_typmod != cols[k].typmod) {
      Error e(sqlstate::kDatatypeMismatch,
              fmt::format("recursive query \"{}\" column {} has type {} in non-recursive term but type {} overall", cte.name,
                          k + 1, types::format_type(cols[k].type, cols[k].typmod), types::format_type(overall, overall_typmod)));
      e.with_hint("Cast the output of the non-recursive term to the correct type.");
      throw at(e, cte.location);
    }
    rp.push_back(coerce(std::make_unique<exec::ColumnExpr>(k, rcols[k].type, rcols[k].typmod), cols[k].type, -1, false));
    cast |= rcols[k].type != cols[k].type;
    out_cols.push_back({cols[k].name, cols[k].type, cols[k].typmod, 0, 0});
    out.columns.push_back(cols[k]);
  }
  if (cast) rec = exec::make_project(std::move(rec), std::move(rp), out_cols);
  return exec::make_recursive_union(std::move(base), std::move(rec), std::move(work), sql::bool_field(q, "all"), out_cols);
}

OperatorPtr Binder::bind_select(const json::object& s, const Scope* parent, Scope& out) {
  // A subquery's tables are not the locking query's, nor its WHERE the FROM's being bound.
  Restore restore_locking(locking_);
  locking_ = nullptr;
  Restore restore_where(from_where_);
  from_where_ = nullptr;
  Locking locking;
  Restore depth(select_depth_);
  ++select_depth_;
  // INSERT ... SELECT 'literal': the literal keeps type unknown for the target column to read
  // it (PostgreSQL's p_resolve_unknowns = false), unless this query sorts, groups or
  // deduplicates by it. Never for the queries inside.
  bool keep_unknown = std::exchange(keep_unknown_outputs_, false) && list_field(s, "distinctClause").empty() &&
                      list_field(s, "sortClause").empty() && list_field(s, "groupClause").empty();
  if (const auto* with = field(s, "withClause")) {
    // The CTEs are in scope for the query (and one another) while it is bound.
    struct Pop {
      std::deque<Cte>& v;
      size_t n;
      ~Pop() { v.resize(n); }
    } pop{ctes_, ctes_.size()};
    push_ctes(with->as_object(), parent, select_depth_ == 1 && top_select_);
    json::object rest = s;
    rest.erase("withClause");
    keep_unknown_outputs_ = keep_unknown;
    OperatorPtr result = bind_select(rest, parent, out);
    check_unreferenced_search_cycle(pop.n);
    return result;
  }
  if (field(s, "intoClause")) unsupported("SELECT INTO");
  if (json::object sets; expand_grouping_sets(s, sets)) return bind_select(sets, parent, out);
  // DISTINCT ON (...) lists expressions; plain DISTINCT is a list holding one empty node.
  const auto& distinct_clause = list_field(s, "distinctClause");
  bool distinct_on = !distinct_clause.empty() && !distinct_clause[0].as_object().empty();
  std::string setop(str_field(s, "op"));
  OperatorPtr op;
  Scope scope;
  scope.parent = parent;
  std::vector<ExprPtr> projections;
  std::vector<Column> out_cols;
  size_t visible = 0;
  bool distinct = !distinct_clause.empty() && !distinct_on;
  std::vector<size_t> order_cols;  // the ORDER BY values' columns, for FETCH ... WITH TIES

  if (setop != "SETOP_NONE" && !setop.empty()) {
    if (const auto& lc = list_field(s, "lockingClause"); !lc.empty()) {
      std::string_view strength = str_field(node_body(lc[0]), "strength");
      raise(sqlstate::kFeatureNotSupported, "{} is not allowed with UNION/INTERSECT/EXCEPT",
            strength == "LCS_FORUPDATE" ? "FOR UPDATE" : strength == "LCS_FORNOKEYUPDATE" ? "FOR NO KEY UPDATE"
            : strength == "LCS_FORSHARE" ? "FOR SHARE" : "FOR KEY SHARE");
    }
    // An untyped literal of a branch takes the type the branches resolve to (SELECT NULL UNION
    // SELECT 1 is integer), as in PostgreSQL's transformSetOperationTree.
    Scope ls, rs;
    keep_unknown_outputs_ = true;
    OperatorPtr l = bind_select(field(s, "larg")->as_object(), parent, ls);
    keep_unknown_outputs_ = true;
    OperatorPtr r = bind_select(field(s, "rarg")->as_object(), parent, rs);
    const char* opname = setop == "SETOP_UNION" ? "UNION" : setop == "SETOP_INTERSECT" ? "INTERSECT" : "EXCEPT";
    if (ls.columns.size() != rs.columns.size())
      raise(sqlstate::kSyntaxError, "each {} query must have the same number of columns", opname);
    std::vector<ExprPtr> lp, rp;
    std::vector<Column> cols;
    bool lcast = false, rcast = false;
    for (size_t i = 0; i < ls.columns.size(); ++i) {
      uint32_t t = exec::common_type({ls.columns[i].type, rs.columns[i].type}, opname);
      int32_t tm = ls.columns[i].type == rs.columns[i].type && ls.columns[i].typmod == rs.columns[i].typmod ? ls.columns[i].typmod : -1;
      lp.push_back(coerce(std::make_unique<exec::ColumnExpr>(i, ls.columns[i].type, ls.columns[i].typmod), t, -1, false));
      rp.push_back(coerce(std::make_unique<exec::ColumnExpr>(i, rs.columns[i].type, rs.columns[i].typmod), t, -1, false));
      lcast |= t != ls.columns[i].type;
      rcast |= t != rs.columns[i].type;
      cols.push_back({ls.columns[i].name, t, tm, 0, 0});
      scope.columns.push_back({"", ls.columns[i].name, t, tm, 0, 0});
    }
    if (lcast) l = exec::make_project(std::move(l), std::move(lp), cols);
    if (rcast) r = exec::make_project(std::move(r), std::move(rp), cols);
    op = exec::make_set_op(std::move(l), std::move(r),
                           setop == "SETOP_UNION" ? exec::SetOpKind::kUnion : setop == "SETOP_INTERSECT" ? exec::SetOpKind::kIntersect : exec::SetOpKind::kExcept,
                           sql::bool_field(s, "all"));
    op->columns = cols;
    for (size_t i = 0; i < cols.size(); ++i) projections.push_back(std::make_unique<exec::ColumnExpr>(i, cols[i].type_oid, cols[i].typmod));
    out_cols = cols;
    visible = cols.size();
    distinct = false;
  } else if (const auto& values = list_field(s, "valuesLists"); !values.empty()) {
    std::vector<std::vector<ExprPtr>> rows;
    size_t width = list_field(node_body(values[0]), "items").size();
    for (const auto& v : values) {
      const auto& items = list_field(node_body(v), "items");
      if (items.size() != width) raise(sqlstate::kSyntaxError, "VALUES lists must all be the same length");
      std::vector<ExprPtr> row;
      for (const auto& it : items) row.push_back(bind_expr(it, scope));
      rows.push_back(std::move(row));
    }
    for (size_t c = 0; c < width; ++c) {
      std::vector<uint32_t> ts;
      for (auto& r : rows) ts.push_back(r[c]->type);
      uint32_t t = exec::common_type(ts, "VALUES");
      for (auto& r : rows) r[c] = coerce(std::move(r[c]), t, -1, false);
      out_cols.push_back({"column" + std::to_string(c + 1), t, -1, 0, 0});
      projections.push_back(std::make_unique<exec::ColumnExpr>(c, t, -1));
      scope.columns.push_back({"", out_cols.back().name, t, -1, 0, 0});
    }
    op = exec::make_values(std::move(rows), out_cols);
    visible = width;
  } else {
    // FROM and WHERE.
    OrderWish wish;  // the order the table's access path gives, if it gives the ORDER BY's
    std::vector<const json::value*> where;
    if (const auto* w = field(s, "whereClause")) split_conjuncts(*w, where);
    const auto& from = list_field(s, "fromClause");
    if (from.empty()) {
      std::vector<std::vector<ExprPtr>> one(1);
      op = exec::make_values(std::move(one), {});
    } else {
      if (!list_field(s, "lockingClause").empty()) locking_ = &locking;
      wish = order_wish(s);
      order_wish_ = wish;
      order_provided_ = false;
      op = bind_from(from, parent, scope, where);
      order_wish_ = {};
      if (!std::exchange(order_provided_, false)) wish = {};
      locking_ = nullptr;
    }
    if (const auto* w = field(s, "whereClause")) {
      if (contains_aggregate(*w)) raise(sqlstate::kGroupingError, "aggregate functions are not allowed in WHERE");
      std::vector<const json::object*> windows;
      find_window_calls(*w, windows);
      if (!windows.empty()) {
        Error e(sqlstate::kWindowingError, "window functions are not allowed in WHERE");
        throw at(e, static_cast<int>(int_field(*windows[0], "location", -1)));
      }
      op = exec::make_filter(std::move(op), make_condition(bind_expr(*w, scope), "WHERE"));
    }
    const auto& targets = list_field(s, "targetList");
    const auto& group_by = list_field(s, "groupClause");
    const json::value* having = field(s, "havingClause");
    bool aggregate = !group_by.empty() || (having != nullptr);
    for (const auto& t : targets) aggregate |= contains_aggregate(t);
    for (const auto& o : list_field(s, "sortClause")) aggregate |= contains_aggregate(o);
    // Set-returning functions in the target list run before the projection, each as a column.
    std::map<size_t, size_t> srf_columns;  // target index -> scope column
    if (!aggregate) op = bind_windows(s, std::move(op), scope);
    if (!aggregate) op = bind_set_functions(targets, std::move(op), scope, srf_columns);

    AggContext agg;
    if (aggregate) {
      for (const auto& g : group_by) {
        const json::value* gnode = &g;
        if (node_type(g) == "A_Const" && field(node_body(g), "ival")) {
          int64_t pos = sql::const_ival(node_body(g), sql_);
          if (pos < 1 || pos > static_cast<int64_t>(targets.size()))
            raise(sqlstate::kInvalidColumnReference, "GROUP BY position {} is not in select list", pos);
          gnode = field(node_body(targets[static_cast<size_t>(pos - 1)]), "val");
        } else if (node_type(g) == "ColumnRef" && list_field(node_body(g), "fields").size() == 1) {
          // A bare name that is no input column may name an output column.
          std::string name(string_node(list_field(node_body(g), "fields")[0]));
          bool input = false;
          for (const auto& c : scope.columns) input |= c.name == name;
          if (!input)
            for (const auto& t : targets)
              if (str_field(node_body(t), "name") == name) gnode = field(node_body(t), "val");
        } else if (node_type(g) == "GroupingSet") {
          unsupported("GROUPING SETS, CUBE and ROLLUP");
        }
        if (contains_aggregate(*gnode)) raise(sqlstate::kGroupingError, "aggregate functions are not allowed in GROUP BY");
        ExprPtr e = bind_expr(*gnode, scope);
        if (e->type == oid::kUnknownType) e = coerce(std::move(e), oid::kText, -1, false);
        agg.group_keys.push_back(e->key());
        agg.groups.push_back(std::move(e));
      }
      add_dependent_groups(agg, scope);
      agg_ = &agg;
    }
    // Window functions over the groups run after grouping (and HAVING), before the projection.
    std::vector<exec::WindowFunction> group_windows;
    if (aggregate) {
      window_base_ = std::make_shared<size_t>(0);
      group_windows = bind_window_calls(s, scope);
    }
    // Target list.
    for (const auto& t : targets) {
      const auto& rt = node_body(t);
      const json::value* val = field(rt, "val");
      if (node_type(*val) == "ColumnRef") {
        const auto& fields = list_field(node_body(*val), "fields");
        if (!fields.empty() && node_type(fields.back()) == "A_Star") {
          std::string rel = fields.size() == 2 ? std::string(string_node(fields[0])) : "";
          bool any = false;
          for (size_t i = 0; i < scope.columns.size(); ++i) {
            const auto& c = scope.columns[i];
            if ((c.hidden && !(c.qualified && !rel.empty())) || (!rel.empty() && c.relation != rel)) continue;
            any = true;
            ExprPtr e;
            if (aggregate) {
              json::value ref = {{"ColumnRef", {{"fields", json::array{json::value{{"String", {{"sval", c.relation}}}}, json::value{{"String", {{"sval", c.name}}}}}}, {"location", -1}}}};
              if (c.relation.empty()) ref = {{"ColumnRef", {{"fields", json::array{json::value{{"String", {{"sval", c.name}}}}}}, {"location", -1}}}};
              e = bind_expr(ref, scope);
            } else {
              e = std::make_unique<exec::ColumnExpr>(i, c.type, c.typmod);
            }
            out_cols.push_back({c.name, c.type, c.typmod, c.table_oid, c.attnum});
            projections.push_back(std::move(e));
          }
          if (!any && !rel.empty()) raise(sqlstate::kUndefinedTable, "missing FROM-clause entry for table \"{}\"", rel);
          if (!any && rel.empty() && from.empty()) raise(sqlstate::kSyntaxError, "SELECT * with no tables specified is not valid");
          continue;
        }
      }
      if (node_type(*val) == "A_Indirection") {
        const auto& ind = list_field(node_body(*val), "indirection");
        if (!ind.empty() && node_type(ind.back()) == "A_Star") {
          // (x).*: a column per field of the record x, each selected from x as (x).field.
          json::object arg = node_body(*val);
          json::array prefix(ind.begin(), ind.end() - 1);
          arg["indirection"] = prefix;
          ExprPtr whole = bind_expr(json::value{{"A_Indirection", arg}}, scope);
          const record::Shape* shape = record::shape_of(whole->type, whole->typmod);
          if (!shape && !record::is_record(whole->type))
            raise(sqlstate::kWrongObjectType, "type {} is not composite", types::format_type(whole->type, -1));
          if (!shape) raise(sqlstate::kWrongObjectType, "record type has not been registered");
          for (size_t k = 0; k < shape->size(); ++k) {
            json::array path = prefix;
            path.push_back(json::object{{"String", json::object{{"sval", shape->names[k]}}}});
            json::object sel = arg;
            sel["indirection"] = std::move(path);
            ExprPtr e = bind_expr(json::value{{"A_Indirection", sel}}, scope);
            out_cols.push_back({shape->names[k], e->type, e->typmod, 0, 0});
            projections.push_back(std::move(e));
          }
          continue;
        }
      }
      ExprPtr e;
      if (auto srf = srf_columns.find(static_cast<size_t>(&t - targets.data())); srf != srf_columns.end()) {
        e = std::make_unique<exec::ColumnExpr>(srf->second, scope.columns[srf->second].type, scope.columns[srf->second].typmod);
        if (node_type(*val) == "A_Indirection")
          for (const auto& ind : list_field(node_body(*val), "indirection")) {
            if (node_type(ind) != "String") unsupported("subscripts of a set-returning function's result");
            e = select_field(std::move(e), std::string(string_node(ind)), static_cast<int>(int_field(node_body(*val), "location", -1)));
          }
      } else

        e = bind_expr(*val, scope);
      if (e->type == oid::kUnknownType && !(keep_unknown && dynamic_cast<exec::ConstExpr*>(e.get())))
        e = coerce(std::move(e), oid::kText, -1, false);
      std::string name = rt.contains("name") ? std::string(str_field(rt, "name")) : figure_colname(*val);
      Column col{name, e->type, e->typmod, 0, 0};
      if (auto* c = dynamic_cast<exec::ColumnExpr*>(e.get()); c && !aggregate) {
        col.table_oid = scope.columns[c->index].table_oid;
        col.column_number = scope.columns[c->index].attnum;
      }
      out_cols.push_back(col);
      projections.push_back(std::move(e));
    }
    visible = projections.size();
    ExprPtr having_expr;
    if (aggregate && having) having_expr = make_condition(bind_expr(*having, scope), "HAVING");
    // ORDER BY expressions that are not output columns become hidden outputs (bound now, while
    // the aggregate context can still add aggregates).
    std::vector<exec::SortKey> sort_keys;
    for (const auto& o : list_field(s, "sortClause")) {
      const auto& sb = node_body(o);
      const json::value* node = field(sb, "node");
      exec::SortKey key;
      std::string dir(str_field(sb, "sortby_dir"));
      std::string nulls(str_field(sb, "sortby_nulls"));
      key.descending = dir == "SORTBY_DESC";
      if (dir == "SORTBY_USING") {
        // ORDER BY x USING op: only a btree "<" or ">" orders (PostgreSQL checks the opfamily).
        const auto& op = list_field(sb, "useOp");
        std::string name(op.empty() ? "" : string_node(op.back()));
        if (name != "<" && name != ">") {
          Error e(sqlstate::kWrongObjectType, fmt::format("operator {} is not a valid ordering operator", name));
          e.with_position(static_cast<int>(int_field(sb, "location", -1)) + 1);
          e.with_hint("Ordering operators must be \"<\" or \">\" members of btree operator families.");
          throw e;
        }
        key.descending = name == ">";
      }
      key.nulls_first = nulls == "SORTBY_NULLS_FIRST" || (nulls != "SORTBY_NULLS_LAST" && key.descending);
      bool found = false;
      if (node_type(*node) == "A_Const" && field(node_body(*node), "ival")) {
        int64_t pos = sql::const_ival(node_body(*node), sql_);
        if (pos < 1 || pos > static_cast<int64_t>(visible)) {
          Error e(sqlstate::kInvalidColumnReference, fmt::format("ORDER BY position {} is not in select list", pos));
          e.with_position(static_cast<int>(int_field(node_body(*node), "location", -1)) + 1);
          throw e;
        }
        key.column = static_cast<size_t>(pos - 1);
        found = true;
      } else if (node_type(*node) == "ColumnRef" && list_field(node_body(*node), "fields").size() == 1 &&
                 node_type(list_field(node_body(*node), "fields")[0]) == "String") {
        std::string name(string_node(list_field(node_body(*node), "fields")[0]));
        int match = -1;
        for (size_t i = 0; i < visible; ++i)
          if (out_cols[i].name == name) {
            if (match >= 0 && projections[static_cast<size_t>(match)]->key() != projections[i]->key()) {
              raise(sqlstate::kAmbiguousColumn, "ORDER BY \"{}\" is ambiguous", name);
            }
            if (match < 0) match = static_cast<int>(i);
          }
        if (match >= 0) {
          key.column = static_cast<size_t>(match);
          found = true;
        }
      }
      if (!found) {
        ExprPtr e = bind_expr(*node, scope);
        if (e->type == oid::kUnknownType) e = coerce(std::move(e), oid::kText, -1, false);
        std::string k = e->key();
        for (size_t i = 0; i < projections.size() && !found; ++i)
          if (projections[i]->key() == k) {
            key.column = i;
            found = true;
          }
        if (!found) {
          if (distinct)
            raise(sqlstate::kInvalidColumnReference, "for SELECT DISTINCT, ORDER BY expressions must appear in select list");
          key.column = projections.size();
          out_cols.push_back({"?sort?", e->type, e->typmod, 0, 0});
          projections.push_back(std::move(e));
        }
      }
      sort_keys.push_back(std::move(key));
    }
    // DISTINCT ON (exprs): the first row of each run of equal values, in ORDER BY order (which
    // must begin with those expressions; without ORDER BY the rows are sorted by them).
    std::vector<size_t> on_cols;
    if (distinct_on) {
      for (const auto& d : distinct_clause) {
        size_t col = projections.size();
        if (node_type(d) == "A_Const" && field(node_body(d), "ival")) {
          int64_t pos = sql::const_ival(node_body(d), sql_);
          if (pos < 1 || pos > static_cast<int64_t>(visible))
            raise(sqlstate::kInvalidColumnReference, "SELECT DISTINCT ON position {} is not in select list", pos);
          col = static_cast<size_t>(pos - 1);
        } else {
          if (node_type(d) == "ColumnRef" && list_field(node_body(d), "fields").size() == 1) {
            std::string name(string_node(list_field(node_body(d), "fields")[0]));
            for (size_t i = 0; i < visible && col == projections.size(); ++i)
              if (out_cols[i].name == name) col = i;
          }
          if (col == projections.size()) {
            ExprPtr e = bind_expr(d, scope);
            if (e->type == oid::kUnknownType) e = coerce(std::move(e), oid::kText, -1, false);
            std::string k = e->key();
            for (size_t i = 0; i < projections.size() && col == projections.size(); ++i)
              if (projections[i]->key() == k) col = i;
            if (col == projections.size()) {
              out_cols.push_back({"?distinct?", e->type, e->typmod, 0, 0});
              projections.push_back(std::move(e));
            }
          }
        }
        on_cols.push_back(col);
      }
      if (sort_keys.empty()) {
        for (size_t c : on_cols) sort_keys.push_back(exec::SortKey{c});
      } else {
        for (size_t i = 0; i < on_cols.size(); ++i)
          if (i >= sort_keys.size() || std::find(on_cols.begin(), on_cols.end(), sort_keys[i].column) == on_cols.end())
            raise(sqlstate::kInvalidColumnReference, "SELECT DISTINCT ON expressions must match initial ORDER BY expressions");
      }
    }
    agg_ = nullptr;
    if (!list_field(s, "lockingClause").empty()) {
      // FOR UPDATE / FOR SHARE, as PostgreSQL plans it: rows are locked after sorting and before
      // LIMIT takes them (so SKIP LOCKED skips to the next row), and the select list is computed
      // from the row as locked. So the sort runs over the table's rows (and key) with the sort
      // values beside them, and the select list comes last.
      size_t width = scope.columns.size();  // the table's columns, then its key
      if (!sort_keys.empty()) {
        std::vector<ExprPtr> pre;
        std::vector<Column> pre_cols;
        for (size_t i = 0; i < width; ++i) {
          const auto& c = scope.columns[i];
          pre.push_back(std::make_unique<exec::ColumnExpr>(i, c.type, c.typmod));
          pre_cols.push_back({c.name, c.type, c.typmod, 0, 0});
        }
        for (auto& k : sort_keys) {
          const exec::Expr& e = *projections[k.column];
          ExprPtr copy = clone_expr(e, true);
          if (!copy) unsupported("ORDER BY on this expression with FOR UPDATE / FOR SHARE");
          k.column = pre.size();
          pre_cols.push_back({"?sort?", e.type, e.typmod, 0, 0});
          pre.push_back(std::move(copy));
        }
        op = exec::make_project(std::move(op), std::move(pre), pre_cols);
        op = exec::make_sort(std::move(op), std::move(sort_keys));
      }
      op = bind_locking(s, std::move(op), scope, locking);
      op = bind_limit(s, std::move(op));
      projections.resize(visible);
      out_cols.resize(visible);
      op = exec::make_project(std::move(op), std::move(projections), out_cols);
      goto done;
    }
    // Rows already in ORDER BY order (the table's key or index order) need no sort.
    bool presorted = !aggregate && srf_columns.empty() && sort_keys.size() <= wish.columns.size();
    for (size_t i = 0; presorted && i < sort_keys.size(); ++i) {
      const auto& k = sort_keys[i];
      auto* c = dynamic_cast<const exec::ColumnExpr*>(projections[k.column].get());
      presorted = !k.descending && !k.nulls_first && !k.less && c && c->index == wish.columns[i];
    }
    if (aggregate) {
      *window_base_ = agg.groups.size() + agg.aggs.size();
      op = exec::make_aggregate(std::move(op), std::move(agg.groups), std::move(agg.aggs), !group_by.empty());
      if (having_expr) op = exec::make_filter(std::move(op), std::move(having_expr));
      if (!group_windows.empty()) op = exec::make_window(std::move(op), std::move(group_windows));
    }
    op = exec::make_project(std::move(op), std::move(projections), out_cols);
    if (distinct) op = exec::make_distinct(std::move(op), visible);
    for (const auto& k : sort_keys) order_cols.push_back(k.column);
    if (!sort_keys.empty() && !presorted) op = exec::make_sort(std::move(op), std::move(sort_keys));
    if (distinct_on) op = exec::make_distinct_on(std::move(op), std::move(on_cols));
    goto limit;
  }
  // Set operations and VALUES: ORDER BY refers to output columns by name or position.
  {
    std::vector<exec::SortKey> sort_keys;
    for (const auto& o : list_field(s, "sortClause")) {
      const auto& sb = node_body(o);
      const json::value* node = field(sb, "node");
      exec::SortKey key;
      std::string dir(str_field(sb, "sortby_dir"));
      std::string nulls(str_field(sb, "sortby_nulls"));
      key.descending = dir == "SORTBY_DESC";
      key.nulls_first = nulls == "SORTBY_NULLS_FIRST" || (nulls != "SORTBY_NULLS_LAST" && key.descending);
      if (node_type(*node) == "A_Const" && field(node_body(*node), "ival")) {
        int64_t pos = sql::const_ival(node_body(*node), sql_);
        if (pos < 1 || pos > static_cast<int64_t>(visible))
          raise(sqlstate::kInvalidColumnReference, "ORDER BY position {} is not in select list", pos);
        key.column = static_cast<size_t>(pos - 1);
      } else {
        ExprPtr e = bind_expr(*node, scope);
        auto* c = dynamic_cast<exec::ColumnExpr*>(e.get());
        if (!c) unsupported("ORDER BY expressions on UNION/INTERSECT/EXCEPT results");
        key.column = c->index;
      }
      sort_keys.push_back(std::move(key));
    }
    for (const auto& k : sort_keys) order_cols.push_back(k.column);
    if (!sort_keys.empty()) op = exec::make_sort(std::move(op), std::move(sort_keys));
  }
limit:
  op = bind_limit(s, std::move(op), &order_cols);
  // Drop hidden sort columns.
  if (out_cols.size() > visible) {
    std::vector<ExprPtr> keep;
    std::vector<Column> cols(out_cols.begin(), out_cols.begin() + static_cast<long>(visible));
    for (size_t i = 0; i < visible; ++i) keep.push_back(std::make_unique<exec::ColumnExpr>(i, cols[i].type_oid, cols[i].typmod));
    op = exec::make_project(std::move(op), std::move(keep), cols);
    out_cols = cols;
  }
done:
  out.columns.clear();
  for (const auto& c : out_cols) out.columns.push_back({"", c.name, c.type_oid, c.typmod, c.table_oid, c.column_number});
  op->columns = out_cols;
  return op;
}

// A table grouped by its primary key determines its other columns (PostgreSQL's functional
// dependency): they become group keys too, so the select list may name them ungrouped.
void Binder::add_dependent_groups(AggContext& agg, const Scope& scope) {
  std::vector<std::pair<std::string, uint32_t>> done;  // table instances (alias, table)
  for (size_t g = 0; g < agg.groups.size(); ++g) {
    auto* c = dynamic_cast<const exec::ColumnExpr*>(agg.groups[g].get());
    if (!c || c->index >= scope.columns.size()) continue;
    const ScopeColumn& col = scope.columns[c->index];
    if (!col.table_oid || std::ranges::count(done, std::pair{col.relation, col.table_oid})) continue;
    done.emplace_back(col.relation, col.table_oid);
    auto t = catalog_.table(col.table_oid);
    if (!t || t->primary_key.empty() || t->is_view()) continue;
    // The instance's columns in scope, by attribute number.
    std::map<int16_t, size_t> at;
    for (size_t i = 0; i < scope.columns.size(); ++i)
      if (scope.columns[i].relation == col.relation && scope.columns[i].table_oid == col.table_oid && scope.columns[i].attnum > 0)
        at[scope.columns[i].attnum] = i;
    auto grouped = [&](size_t index) { return std::ranges::count(agg.group_keys, exec::ColumnExpr(index, 0, -1).key()) > 0; };
    bool covered = true;
    for (uint32_t id : t->primary_key) {
      auto it = at.find(static_cast<int16_t>(t->column_index_by_id(id) + 1));
      covered = covered && it != at.end() && grouped(it->second);
    }
    if (!covered) continue;
    for (auto [attnum, index] : at) {
      if (grouped(index) || scope.columns[index].hidden) continue;
      const auto& sc = scope.columns[index];
      agg.groups.push_back(std::make_unique<exec::ColumnExpr>(index, sc.type, sc.typmod));
      agg.group_keys.push_back(agg.groups.back()->key());
    }
  }
}

Binder::OrderWish Binder::order_wish(const json::object& s) const {
  const auto& from = list_field(s, "fromClause");
  if (from.size() != 1 || node_type(from[0]) != "RangeVar" || !list_field(s, "groupClause").empty() ||
      field(s, "havingClause") || !list_field(s, "distinctClause").empty() || !list_field(s, "lockingClause").empty())
    return {};
  const auto& rv = node_body(from[0]);
  if (const auto* a = field(rv, "alias"); a && !list_field(a->as_object(), "colnames").empty()) return {};
  auto t = catalog_.table(std::string(str_field(rv, "schemaname")), std::string(str_field(rv, "relname")));
  if (!t || t->is_view()) return {};
  std::vector<const json::object*> windows;
  for (const auto& target : list_field(s, "targetList")) find_window_calls(target, windows);
  if (!windows.empty()) return {};
  OrderWish w;
  for (const auto& o : list_field(s, "sortClause")) {
    const auto& sb = node_body(o);
    std::string_view dir = str_field(sb, "sortby_dir"), nulls = str_field(sb, "sortby_nulls");
    if (dir == "SORTBY_DESC" || dir == "SORTBY_USING" || nulls == "SORTBY_NULLS_FIRST") return {};
    const json::value* node = field(sb, "node");
    if (!node || node_type(*node) != "ColumnRef") return {};
    const auto* fields = &list_field(node_body(*node), "fields");
    if (fields->empty() || node_type(fields->back()) != "String") return {};
    if (fields->size() == 1)  // a bare name: an output column's first
      for (const auto& target : list_field(s, "targetList")) {
        const auto& rt = node_body(target);
        if (str_field(rt, "name") != string_node(fields->back())) continue;
        const json::value* val = field(rt, "val");
        if (!val || node_type(*val) != "ColumnRef") return {};
        fields = &list_field(node_body(*val), "fields");
        if (fields->empty() || node_type(fields->back()) != "String") return {};
        break;
      }
    int i = t->column_index(std::string(string_node(fields->back())));
    if (i < 0) return {};
    w.columns.push_back(static_cast<size_t>(i));
  }
  w.limit = field(s, "limitCount") != nullptr;
  return w;
}

OperatorPtr Binder::bind_limit(const json::object& s, OperatorPtr op, const std::vector<size_t>* order_cols) {
  ExprPtr limit, offset;
  Scope none;
  std::vector<size_t> ties;
  if (const auto* l = field(s, "limitCount")) {
    if (str_field(s, "limitOption") == "LIMIT_OPTION_WITH_TIES") {
      if (node_type(*l) == "A_Const" && sql::bool_field(node_body(*l), "isnull"))  // transformLimitClause's check
        raise(sqlstate::kInvalidRowCountInLimitClause, "row count cannot be null in FETCH FIRST ... WITH TIES clause");
      if (!order_cols || order_cols->empty()) unsupported("FETCH ... WITH TIES here");
      ties = *order_cols;
    }
    limit = coerce(bind_expr(*l, none), oid::kInt8, -1, false);
  }
  if (const auto* o = field(s, "limitOffset")) offset = coerce(bind_expr(*o, none), oid::kInt8, -1, false);
  if (limit || offset) op = exec::make_limit(std::move(op), std::move(limit), std::move(offset), std::move(ties));
  return op;
}

}  // namespace heliosdb::planner
