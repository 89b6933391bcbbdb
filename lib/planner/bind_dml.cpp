// Binding INSERT, UPDATE and DELETE.
#include <boost/json.hpp>
#include <algorithm>
#include <functional>
#include <set>

#include "common/errors.h"
#include "common/types.h"
#include "executor/functions.h"
#include "planner/agg_context.h"
#include "planner/binder.h"
#include "planner/deparse.h"

namespace heliosdb::planner {

using exec::ExprPtr;
using exec::OperatorPtr;
using sql::field;
using sql::list_field;
using sql::node_body;
using sql::node_type;
using sql::str_field;
using sql::string_node;

namespace {

Scope table_scope(const catalog::TableDef& t, const std::string& alias, bool with_key) {
  Scope s;
  int16_t n = 0;
  for (const auto& c : t.columns) s.columns.push_back({alias, c.name, c.type, c.typmod, t.id, ++n});
  if (with_key) s.columns.push_back({alias, "ctid", oid::kBytea, -1, 0, 0, true});
  return s;
}

std::string alias_of(const json::object& rv) {
  if (const auto* a = rv.if_contains("alias")) return std::string(str_field(a->as_object(), "aliasname"));
  return std::string(str_field(rv, "relname"));
}

// What RETURNING sees: scope (the target's columns; UPDATE and DELETE: then its key and the
// joined items' columns), then tableoid, the table the row is in.
Scope with_tableoid(Scope scope, const std::string& alias) {
  ScopeColumn toid{alias, "tableoid", oid::kOid, -1, 0, 0};
  toid.hidden = toid.system = true;
  scope.columns.push_back(toid);
  return scope;
}

}  // namespace

void Binder::bind_returning(Plan& plan, const json::object& n, const Scope& scope) {
  for (const auto& t : list_field(n, "returningList")) {
    const auto& rt = node_body(t);
    const json::value* val = field(rt, "val");
    if (node_type(*val) == "ColumnRef") {
      const auto& f = list_field(node_body(*val), "fields");
      if (!f.empty() && node_type(f.back()) == "A_Star") {
        std::string relation = f.size() > 1 ? std::string(string_node(f[f.size() - 2])) : "";
        bool any = false;
        for (const auto& c : scope.columns) any |= c.relation == relation;
        if (!relation.empty() && !any) raise(sqlstate::kUndefinedTable, "missing FROM-clause entry for table \"{}\"", relation);
        for (size_t i = 0; i < scope.columns.size(); ++i) {
          const auto& c = scope.columns[i];
          if (c.hidden || (!relation.empty() && c.relation != relation)) continue;
          plan.returning.push_back(std::make_unique<exec::ColumnExpr>(i, c.type, c.typmod));
          plan.columns.push_back({c.name, c.type, c.typmod, c.table_oid, c.attnum});
        }
        continue;
      }
    }
    if (contains_aggregate(*val)) raise(sqlstate::kGroupingError, "aggregate functions are not allowed in RETURNING");
    ExprPtr e = bind_expr(*val, scope);
    if (e->type == oid::kUnknownType) e = coerce(std::move(e), oid::kText, -1, false);
    std::string name = rt.contains("name") ? std::string(str_field(rt, "name")) : figure_colname(*val);
    Column col{name, e->type, e->typmod, 0, 0};
    if (auto* c = dynamic_cast<exec::ColumnExpr*>(e.get())) {
      col.table_oid = scope.columns[c->index].table_oid;
      col.column_number = scope.columns[c->index].attnum;
    }
    plan.columns.push_back(col);
    plan.returning.push_back(std::move(e));
  }
}

// ON CONFLICT [(keys) [WHERE predicate] | ON CONSTRAINT name] DO NOTHING | DO UPDATE SET ...
// [WHERE ...]: the arbiter indexes are the unique ones (or the primary key) on exactly the named
// columns and expressions whose predicate, if partial, the ON CONFLICT's WHERE implies.
void Binder::bind_on_conflict(const json::object& oc, const catalog::TableDef& table, const std::string& alias, Plan& plan) {
  Plan::OnConflict out;
  out.update = str_field(oc, "action") == "ONCONFLICT_UPDATE";
  const json::value* infer = field(oc, "infer");
  if (!infer && out.update)
    throw Error(sqlstate::kSyntaxError, "ON CONFLICT DO UPDATE requires inference specification or constraint name")
        .with_hint("For example, ON CONFLICT (column_name).")
        .with_position(static_cast<int>(sql::int_field(oc, "location", -1)) + 1);
  if (infer) {
    const auto& inf = infer->as_object();
    if (std::string conname(str_field(inf, "conname")); !conname.empty()) {
      for (uint32_t iid : table.indexes)
        if (auto idx = catalog_.index(iid); idx->is_constraint && idx->name == conname) out.arbiters.push_back(iid);
      if (out.arbiters.empty()) {
        for (const auto& ck : table.checks)
          if (ck.name == conname) raise(sqlstate::kWrongObjectType, "constraint in ON CONFLICT clause has no associated index");
        raise(sqlstate::kUndefinedObject, "constraint \"{}\" for table \"{}\" does not exist", conname, table.name);
      }
    } else {
      // PostgreSQL's infer_arbiter_indexes: a unique index qualifies when its plain columns are
      // the named ones (as sets), its expressions are the named expressions, and its predicate is
      // implied by the WHERE (here: each of its conjuncts is one of the WHERE's).
      Scope scope = table_scope(table, alias, false);
      std::set<uint32_t> cols;
      std::set<std::string> exprs;
      for (const auto& e : list_field(inf, "indexElems")) {
        const auto& elem = node_body(e);
        if (const auto* expr = field(elem, "expr")) {
          ExprPtr x = bind_expr(*expr, scope);
          if (const auto* c = dynamic_cast<const exec::ColumnExpr*>(x.get()))
            cols.insert(table.columns[c->index].id);
          else
            exprs.insert(x->key());
          continue;
        }
        std::string cn(str_field(elem, "name"));
        int i = table.column_index(cn);
        if (i < 0) {
          Error err(sqlstate::kUndefinedColumn, fmt::format("column \"{}\" does not exist", cn));
          err.with_position(static_cast<int>(sql::int_field(inf, "location", -1)) + 1);
          throw err;
        }
        cols.insert(table.columns[static_cast<size_t>(i)].id);
      }
      // The conjuncts of a WHERE, bound, by key.
      auto conjunct_keys = [&](const json::value& where) {
        std::vector<const json::value*> conjuncts;
        split_conjuncts(where, conjuncts);
        std::set<std::string> keys;
        for (const auto* c : conjuncts) keys.insert(make_condition(bind_expr(*c, scope), "WHERE")->key());
        return keys;
      };
      std::set<std::string> implied;
      if (const auto* w = field(inf, "whereClause")) implied = conjunct_keys(*w);
      for (uint32_t iid : table.indexes) {
        auto idx = catalog_.index(iid);
        if (!idx->unique) continue;
        std::set<uint32_t> ic;
        std::set<std::string> ie, ip;
        for (size_t k = 0; k < idx->columns.size(); ++k) {
          if (idx->columns[k])
            ic.insert(idx->columns[k]);
          else
            ie.insert(bind_stored(idx->exprs[k], &table)->key());
        }
        if (!idx->predicate.empty()) ip = conjunct_keys(json::parse(idx->predicate));
        if (ic == cols && ie == exprs && std::ranges::includes(implied, ip)) out.arbiters.push_back(iid);
      }
      if (out.arbiters.empty())
        raise(sqlstate::kInvalidColumnReference, "there is no unique or exclusion constraint matching the ON CONFLICT specification");
    }
  }
  if (out.update) {
    // The target's columns and key, then EXCLUDED's.
    Scope scope = table_scope(table, alias, true);
    Scope excluded = table_scope(table, "excluded", false);
    scope.columns.insert(scope.columns.end(), excluded.columns.begin(), excluded.columns.end());
    bind_assignments(list_field(oc, "targetList"), table, scope, out.assignments);
    if (const auto* w = field(oc, "whereClause")) {
      if (contains_aggregate(*w)) raise(sqlstate::kGroupingError, "aggregate functions are not allowed in WHERE");
      out.where = make_condition(bind_expr(*w, scope), "WHERE");
    }
  }
  plan.on_conflict = std::move(out);
}

namespace {
// Whether a parse tree refers to a column (UPDATE's SET a = a + 1 reads the row: SELECT privilege).
bool refers_to_columns(const json::value& v) {
  if (v.is_object()) {
    for (const auto& [k, x] : v.as_object())
      if (k == "ColumnRef" || refers_to_columns(x)) return true;
  } else if (v.is_array()) {
    for (const auto& x : v.as_array())
      if (refers_to_columns(x)) return true;
  }
  return false;
}

// Whether a statement's RETURNING reads the row (RETURNING a does, RETURNING 1 does not).
bool returning_reads(const json::object& n) {
  const json::value* r = field(n, "returningList");
  return r && refers_to_columns(*r);
}
}  // namespace

std::unique_ptr<Plan> Binder::bind_dml(const json::value& stmt) {
  std::string_view type = node_type(stmt);
  const auto& n = node_body(stmt);
  ++dml_depth_;
  struct Depth {
    int& d;
    ~Depth() { --d; }
  } depth{dml_depth_};
  if (type == "InsertStmt") return bind_insert(n);
  if (type == "UpdateStmt") return bind_update(n);
  if (type == "DeleteStmt") return bind_delete(n);
  unsupported(std::string(type) + " in WITH");
}

std::unique_ptr<Plan> Binder::bind_insert(const json::object& n) {
  if (auto onto_table = rewrite_view_dml("INSERT", n)) {
    auto kept = std::make_shared<json::value>(std::move(*onto_table));  // bound expressions point into it
    view_queries_.push_back(kept);
    return bind_insert(kept->as_object());
  }
  WithScope with(*this, n);
  const auto& rv = field(n, "relation")->as_object();
  auto table = lookup_table(rv, Use::kWrite);
  const auto* oc_clause = field(n, "onConflictClause");
  note_access(
      *table,
      catalog::kInsert | (returning_reads(n) ? catalog::kSelect : 0) |
          (oc_clause && str_field(oc_clause->as_object(), "action") == "ONCONFLICT_UPDATE" ? catalog::kUpdate : 0));
  auto plan = std::make_unique<Plan>();
  plan->kind = Plan::Kind::kInsert;
  plan->tag = "INSERT";
  plan->table = table;
  bool overriding_system = str_field(n, "override") == "OVERRIDING_SYSTEM_VALUE";
  bool overriding_user = str_field(n, "override") == "OVERRIDING_USER_VALUE";
  if (const auto* oc = field(n, "onConflictClause")) bind_on_conflict(oc->as_object(), *table, alias_of(rv), *plan);
  if (table->is_partitioned()) partition_routes(*table, *plan);
  // Target columns: explicit list or all, in table order. Parts of one column (INSERT INTO t
  // (c.f, c.g) or (a[1], a[2])) may be named several times; a whole column once.
  struct Target {
    int column;
    const json::object* partial = nullptr;  // the ResTarget naming part of the column
  };
  std::vector<Target> targets;
  for (const auto& c : list_field(n, "cols")) {
    const auto& rt = node_body(c);
    std::string name(str_field(rt, "name"));
    bool partial = !list_field(rt, "indirection").empty();
    int idx = table->column_index(name);
    if (idx < 0) {
      Error e(sqlstate::kUndefinedColumn, fmt::format("column \"{}\" of relation \"{}\" does not exist", name, table->name));
      e.with_position(static_cast<int>(sql::int_field(rt, "location", -1)) + 1);
      throw e;
    }
    for (const auto& t : targets)
      if (t.column == idx && (!partial || !t.partial)) {
        Error e(sqlstate::kDuplicateColumn, fmt::format("column \"{}\" specified more than once", name));
        throw at(e, static_cast<int>(sql::int_field(rt, "location", -1)));
      }
    targets.push_back({idx, partial ? &rt : nullptr});
  }
  bool explicit_cols = !targets.empty();
  if (!explicit_cols)
    for (size_t i = 0; i < table->columns.size(); ++i) targets.push_back({static_cast<int>(i)});
  // A value for the target: the column's, or one more part of it (the column starting NULL, not
  // at its default, as PostgreSQL does).
  Scope empty;
  auto assign = [&](std::vector<ExprPtr>& row, const Target& t, ExprPtr value) {
    size_t col = static_cast<size_t>(t.column);
    const auto& c = table->columns[col];
    if (!t.partial) {
      row[col] = coerce_assignment(std::move(value), c.type, c.typmod, c.name);
      return;
    }
    bind_assignment_parts(row[col], std::make_unique<exec::ConstExpr>(Value::null(c.type), c.typmod), c, *t.partial,
                          std::move(value), empty);
  };

  auto default_for = [&](size_t col) -> ExprPtr {
    const auto& c = table->columns[col];
    const std::string& def = column_default(c);
    if (def.empty() || c.generated) return std::make_unique<exec::ConstExpr>(Value::null(c.type), c.typmod);
    return bind_for_column(json::parse(def), c.type, c.typmod, c.name);
  };
  auto check_identity = [&](size_t col) {
    const auto& c = table->columns[col];
    if (c.generated)
      throw Error(sqlstate::kGeneratedAlways, fmt::format("cannot insert a non-DEFAULT value into column \"{}\"", c.name))
          .with_detail(fmt::format("Column \"{}\" is a generated column.", c.name));
    if (c.identity == 'a' && !overriding_system)
      throw Error(sqlstate::kGeneratedAlways, fmt::format("cannot insert a non-DEFAULT value into column \"{}\"", c.name))
          .with_detail(fmt::format("Column \"{}\" is an identity column defined as GENERATED ALWAYS.", c.name))
          .with_hint("Use OVERRIDING SYSTEM VALUE to override.");
  };

  const json::value* sel = field(n, "selectStmt");
  if (!sel) {
    // DEFAULT VALUES
    std::vector<std::vector<ExprPtr>> rows(1);
    for (size_t i = 0; i < table->columns.size(); ++i) rows[0].push_back(default_for(i));
    plan->root = exec::make_values(std::move(rows), {});
  } else {
    const auto& s = node_body(*sel);
    const auto& values = list_field(s, "valuesLists");
    bool simple_values = !values.empty() && list_field(s, "sortClause").empty() && !field(s, "limitCount");
    if (simple_values) {
      std::vector<std::vector<ExprPtr>> rows;
      for (const auto& v : values) {
        const auto& items = list_field(node_body(v), "items");
        if (items.size() != list_field(node_body(values[0]), "items").size())
          raise(sqlstate::kSyntaxError, "VALUES lists must all be the same length");
        if (items.size() > targets.size())
          raise(sqlstate::kSyntaxError, "INSERT has more expressions than target columns");
        if (items.size() < targets.size() && explicit_cols)
          raise(sqlstate::kSyntaxError, "INSERT has more target columns than expressions");
        std::vector<ExprPtr> row(table->columns.size());
        for (size_t k = 0; k < items.size(); ++k) {  // columns without a value get their default
          size_t col = static_cast<size_t>(targets[k].column);
          const auto& c = table->columns[col];
          bool is_default = node_type(items[k]) == "SetToDefault";
          if (targets[k].partial && is_default) refuse_default_part(*targets[k].partial);
          if (!targets[k].partial && (is_default || (overriding_user && c.identity))) {
            row[col] = default_for(col);
          } else {
            check_identity(col);
            if (contains_aggregate(items[k])) raise(sqlstate::kGroupingError, "aggregate functions are not allowed in VALUES");
            assign(row, targets[k], bind_expr(items[k], empty));
          }
        }
        for (size_t i = 0; i < row.size(); ++i)
          if (!row[i]) row[i] = default_for(i);
        rows.push_back(std::move(row));
      }
      plan->root = exec::make_values(std::move(rows), {});
    } else {
      Scope sub;
      keep_unknown_outputs_ = true;  // its untyped literals are read as the target columns' types
      OperatorPtr src = bind_select(s, nullptr, sub);
      size_t width = 0;
      for (const auto& c : sub.columns) width += !c.hidden;
      if (width > targets.size()) raise(sqlstate::kSyntaxError, "INSERT has more expressions than target columns");
      if (width < targets.size() && explicit_cols) raise(sqlstate::kSyntaxError, "INSERT has more target columns than expressions");
      std::vector<ExprPtr> row(table->columns.size());
      for (size_t k = 0; k < width; ++k) {
        check_identity(static_cast<size_t>(targets[k].column));
        assign(row, targets[k], std::make_unique<exec::ColumnExpr>(k, sub.columns[k].type, sub.columns[k].typmod));
      }
      for (size_t i = 0; i < row.size(); ++i)
        if (!row[i]) row[i] = default_for(i);
      plan->root = exec::make_project(std::move(src), std::move(row), {});
    }
  }
  plan->writer = std::make_unique<exec::TableWriter>(table, catalog_);
  prepare_writer(*plan->writer, *table);
  bind_returning(*plan, n, with_tableoid(table_scope(*table, alias_of(rv), false), alias_of(rv)));
  return plan;
}

OperatorPtr Binder::bind_targets(const json::object& n, const json::array& from, std::shared_ptr<const catalog::TableDef> table,
                                 const std::string& alias, Scope& scope, Plan& plan) {
  const json::value* w = field(n, "whereClause");
  std::vector<const json::value*> parts;
  if (w) {
    if (contains_aggregate(*w)) raise(sqlstate::kGroupingError, "aggregate functions are not allowed in WHERE");
    split_conjuncts(*w, parts);
  }
  // Access path terms: the WHERE terms on the target's own columns.
  std::vector<ExprPtr> conjuncts;
  for (const auto* p : parts) {
    try {
      conjuncts.push_back(bind_expr(*p, scope));
    } catch (const Error&) {
      if (from.empty()) throw;
    }
  }
  Scope scan_scope;
  OperatorPtr op = bind_table_access(table, alias, scan_scope, conjuncts, true);
  if (!from.empty()) {
    Scope from_scope;
    OperatorPtr other = bind_from(from, nullptr, from_scope, parts);
    for (const auto& c : from_scope.columns)
      if (c.relation == alias) raise(sqlstate::kDuplicateAlias, "table name \"{}\" specified more than once", alias);
    op = comma_join(std::move(op), scope, std::move(other), from_scope, from.size() == 1 ? &from[0] : nullptr, parts);
    plan.joined = true;
  }
  if (w) {
    op = exec::make_filter(std::move(op), make_condition(bind_expr(*w, scope), "WHERE"));
    plan.recheck = make_condition(bind_expr(*w, scope), "WHERE");
  }
  return op;
}

// UPDATE / DELETE's RETURNING: over the target's new or old row, its key and the joined items'
// columns (scope), then tableoid. A member of an UPDATE / DELETE of a table with children
// returns its rows as that table's (Plan::as_table): the table's columns, by name, in place of
// its own.
Scope Binder::returning_scope(const Scope& scope, const catalog::TableDef& table, const std::string& alias) {
  if (!member_of_) return with_tableoid(scope, alias);
  Scope out = table_scope(*member_of_, alias, true);
  out.columns.insert(out.columns.end(), scope.columns.begin() + static_cast<long>(table.columns.size()) + 1,
                     scope.columns.end());
  out.parent = scope.parent;
  return with_tableoid(std::move(out), alias);
}

std::unique_ptr<Plan> Binder::bind_update(const json::object& n) {
  if (auto onto_table = rewrite_view_dml("UPDATE", n)) {
    auto kept = std::make_shared<json::value>(std::move(*onto_table));  // bound expressions point into it
    view_queries_.push_back(kept);
    return bind_update(kept->as_object());
  }
  WithScope with(*this, n);
  const auto& rv = field(n, "relation")->as_object();
  auto table = lookup_table(rv, Use::kWrite);
  bool reads = field(n, "whereClause") || returning_reads(n) || !list_field(n, "fromClause").empty() ||
               refers_to_columns(*field(n, "targetList"));
  if (!member_of_) note_access(*table, catalog::kUpdate | (reads ? catalog::kSelect : 0));
  auto plan = std::make_unique<Plan>();
  plan->kind = Plan::Kind::kUpdate;
  plan->tag = "UPDATE";
  plan->table = table;
  std::string alias = alias_of(rv);
  Scope scope = table_scope(*table, alias, true);
  plan->root = bind_targets(n, list_field(n, "fromClause"), table, alias, scope, *plan);
  bind_assignments(list_field(n, "targetList"), *table, scope, plan->assignments);
  plan->writer = std::make_unique<exec::TableWriter>(table, catalog_);
  prepare_writer(*plan->writer, *table);
  bind_returning(*plan, n, returning_scope(scope, *table, alias));
  if (table->is_partitioned()) partition_routes(*table, *plan);  // where rows leaving their partition go
  bind_members(n, *table, *plan);
  return plan;
}

std::unique_ptr<Plan> Binder::bind_delete(const json::object& n) {
  if (auto onto_table = rewrite_view_dml("DELETE", n)) {
    auto kept = std::make_shared<json::value>(std::move(*onto_table));  // bound expressions point into it
    view_queries_.push_back(kept);
    return bind_delete(kept->as_object());
  }
  WithScope with(*this, n);
  const auto& rv = field(n, "relation")->as_object();
  auto table = lookup_table(rv, Use::kWrite);
  bool reads = field(n, "whereClause") || returning_reads(n) || !list_field(n, "usingClause").empty();
  if (!member_of_) note_access(*table, catalog::kDelete | (reads ? catalog::kSelect : 0));
  auto plan = std::make_unique<Plan>();
  plan->kind = Plan::Kind::kDelete;
  plan->tag = "DELETE";
  plan->table = table;
  std::string alias = alias_of(rv);
  Scope scope = table_scope(*table, alias, true);
  plan->root = bind_targets(n, list_field(n, "usingClause"), table, alias, scope, *plan);
  plan->writer = std::make_unique<exec::TableWriter>(table, catalog_);
  prepare_writer(*plan->writer, *table);  // expression and partial indexes find their entries
  bind_returning(*plan, n, returning_scope(scope, *table, alias));
  bind_members(n, *table, *plan);
  return plan;
}

void Binder::prepare_writer(exec::TableWriter& w, const catalog::TableDef& t, bool with_defaults) {
  for (const auto& ck : t.checks) w.checks.push_back(make_condition(bind_stored(ck.expr, &t), "CHECK"));
  if (t.is_partition()) w.partition = partition_check(t, t);
  std::vector<std::string> column_names;
  for (const auto& c : t.columns) column_names.push_back(c.name);
  for (uint32_t iid : t.indexes) {
    auto idx = catalog_.index(iid);
    if (!idx || idx->plain()) continue;
    std::vector<ExprPtr> exprs;
    std::vector<std::string> names;
    for (size_t k = 0; k < idx->columns.size(); ++k) {
      if (idx->columns[k]) {
        exprs.emplace_back();
        names.push_back(t.columns[static_cast<size_t>(t.column_index_by_id(idx->columns[k]))].name);
      } else {
        exprs.push_back(bind_stored(idx->exprs[k], &t));
        names.push_back(deparse(*exprs.back(), column_names, text_ ? *text_ : types::TextContext{}, false));
      }
    }
    ExprPtr predicate = idx->predicate.empty() ? nullptr : make_condition(bind_stored(idx->predicate, &t), "WHERE");
    w.set_index_expressions(iid, std::move(exprs), std::move(predicate), std::move(names));
  }
  for (const auto& c : t.columns) {
    w.generated.push_back(c.generated ? coerce_assignment(bind_stored(c.default_expr, &t), c.type, c.typmod, c.name) : nullptr);
    if (with_defaults)
      w.defaults.push_back(column_default(c).empty() || c.generated ? nullptr
                                                                    : bind_for_column(json::parse(column_default(c)), c.type, c.typmod, c.name));
    // A column of a domain: its value is checked against the domain's constraints.
    if (c.domain) {
      auto col = std::make_unique<exec::ColumnExpr>(w.domain_checks.size(), c.type, c.typmod);
      w.domain_checks.push_back(domain_check(std::move(col), c.domain));
    } else {
      w.domain_checks.push_back(nullptr);
    }
  }
}

// A statement's WITH clause in scope while it is bound.
Binder::WithScope::WithScope(Binder& b, const json::object& n) : b_(b), mark_(b.ctes_.size()) {
  if (const auto* w = field(n, "withClause")) b.push_ctes(w->as_object(), nullptr, b.dml_depth_ == 0 && b.select_depth_ == 0);
}
Binder::WithScope::~WithScope() { b_.ctes_.resize(mark_); }

// The statement's plan gets the data-modifying WITH statements to run first. They and the
// statement all read the database as it was before any of them (PostgreSQL's one snapshot);
// here each would see the changes of those before it, so a table one of them changes may not
// be read by another: 0A000 rather than an answer PostgreSQL would not give.
void Binder::finish_plan(Plan& plan) {
  auto refuse = [&](uint32_t table) {
    auto t = catalog_.table(table);
    unsupported(fmt::format("a WITH statement that changes \"{}\" with another part of the statement using it", t ? t->name : "?"));
  };
  for (const auto& w : dml_writes_) {
    for (size_t a = 0; a < access_.size(); ++a)
      if (access_[a].relation == w.table && (a < w.access_begin || a >= w.access_end)) refuse(w.table);
    if (main_write_) {  // the statement's own table, used by a WITH statement
      for (size_t a = w.access_begin; a < w.access_end; ++a)
        if (access_[a].relation == *main_write_) refuse(*main_write_);
    }
  }
  plan.before = std::move(before_);
  plan.param_types = param_types_;
  plan.plan_error = plan_error_;
  plan.access = std::move(access_);
}

std::unique_ptr<Plan> Binder::bind_statement(const json::object& stmt) {
  AggregateCatalogScope aggregates(&catalog_);
  std::string_view type = stmt.begin()->key();
  const auto& n = stmt.begin()->value().as_object();
  if (type == "SelectStmt") {
    top_select_ = true;
    auto plan = std::make_unique<Plan>();
    Scope out;
    plan->root = bind_select(n, nullptr, out);
    plan->columns = plan->root->columns;
    plan->tag = "SELECT";
    finish_plan(*plan);
    return plan;
  }
  std::unique_ptr<Plan> plan;
  if (type == "InsertStmt") plan = bind_insert(n);
  else if (type == "UpdateStmt") plan = bind_update(n);
  else if (type == "DeleteStmt") plan = bind_delete(n);
  else unsupported(std::string(type));
  main_write_ = plan->table->id;
  finish_plan(*plan);
  return plan;
}

}  // namespace heliosdb::planner
