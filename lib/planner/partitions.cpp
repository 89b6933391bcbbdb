// Inheritance and partitioning in plans: a table with children read as the union of its rows
// and theirs, the bounds of partitions, and where INSERT puts a row of a partitioned table.
#include <boost/json.hpp>

#include "common/errors.h"
#include "common/type_io.h"
#include "executor/functions.h"
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

Plan::Route& Plan::route_for(const Row& row, const types::TextContext& text) {
  for (auto& r : routes)
    if (r.bounds.holds(row)) return r;
  // A row outside the table's own bounds (the table is a partition too) goes nowhere under it.
  exec::check_partition(writer->partition, *table, row, text);
  // The partitioned table where the row found no way down: the deepest whose bounds hold it.
  const exec::PartitionBound* failed = nullptr;
  size_t best = 0;
  for (auto& r : routes) {
    const auto& chain = r.bounds.bounds;  // the leaf's bound first, the top level's last
    size_t k = 0;
    while (k < chain.size() && chain[chain.size() - 1 - k].holds(row)) ++k;
    if (k < chain.size() && (!failed || k > best)) {
      failed = &chain[chain.size() - 1 - k];
      best = k;
    }
  }
  std::shared_ptr<const catalog::TableDef> at = failed ? failed->parent : table;
  std::string names, values;
  json::value spec = json::parse(at->partition_key);
  std::vector<std::string> columns;
  for (const auto& c : table->columns) columns.push_back(c.name);
  size_t k = 0;
  for (const auto& p : list_field(spec.as_object(), "partParams")) {
    std::string name(str_field(node_body(p), "name"));
    Value v;
    if (failed && k < failed->key_exprs.size() && failed->key_exprs[k]) {
      name = deparse(*failed->key_exprs[k], columns, text, false);
      v = failed->key_value(k, row);
    } else if (int i = table->column_index(name); i >= 0) {
      v = row[static_cast<size_t>(i)];
    }
    ++k;
    if (!names.empty()) {
      names += ", ";
      values += ", ";
    }
    names += name;
    values += v.is_null() ? "null" : types::format_text(v, text);
  }
  throw Error(sqlstate::kCheckViolation, fmt::format("no partition of relation \"{}\" found for row", at->name))
      .with_detail(fmt::format("Partition key of the failing row contains ({}) = ({}).", names, values))
      .with_table(at->schema, at->name);
}

std::vector<std::shared_ptr<const catalog::TableDef>> Binder::descendants(uint32_t id) const {
  std::vector<std::shared_ptr<const catalog::TableDef>> out;
  for (auto& c : catalog_.children(id)) {
    out.push_back(c);
    for (auto& d : descendants(c->id)) out.push_back(std::move(d));
  }
  return out;
}

std::vector<std::string> partition_key_columns(const catalog::TableDef& parent) {
  std::vector<std::string> out;
  json::value spec = json::parse(parent.partition_key);
  for (const auto& p : list_field(spec.as_object(), "partParams")) out.emplace_back(str_field(node_body(p), "name"));
  return out;
}

exec::PartitionBound Binder::partition_bound(const catalog::TableDef& part, const catalog::TableDef& row_table) {
  exec::PartitionBound b;
  auto parent = catalog_.table(part.parents.at(0));
  if (!parent) raise(sqlstate::kInternalError, "partition \"{}\" has no parent", part.name);
  b.parent = parent;
  std::vector<std::string> key = partition_key_columns(*parent);
  std::vector<std::pair<uint32_t, int32_t>> key_types;  // what the bound values are read as
  json::value pspec = json::parse(parent->partition_key);
  const auto& params = list_field(pspec.as_object(), "partParams");
  for (size_t k = 0; k < key.size(); ++k) {
    if (key[k].empty()) {  // an expression over the row
      ExprPtr e = bind_stored(json::serialize(*field(node_body(params[k]), "expr")), &row_table);
      key_types.emplace_back(e->type, e->typmod);
      b.key.push_back(0);
      b.key_exprs.resize(k + 1);
      b.key_exprs[k] = std::shared_ptr<const exec::Expr>(std::move(e));
      continue;
    }
    int i = row_table.column_index(key[k]);
    if (i < 0) raise(sqlstate::kInternalError, "partition key column \"{}\" is missing in \"{}\"", key[k], row_table.name);
    b.key.push_back(static_cast<size_t>(i));
    key_types.emplace_back(row_table.columns[static_cast<size_t>(i)].type, row_table.columns[static_cast<size_t>(i)].typmod);
  }
  json::value spec = json::parse(part.partition_bound);
  const auto& s = spec.as_object();
  if (sql::bool_field(s, "is_default")) {
    for (const auto& sib : catalog_.children(parent->id))
      if (sib->id != part.id && !json::parse(sib->partition_bound).as_object().contains("is_default"))
        b.siblings.push_back(partition_bound(*sib, row_table));
    return b;
  }
  auto value = [&](const json::value& node, size_t k) {
    ExprPtr e = bind_for_column(node, key_types[k].first, key_types[k].second, key[k].empty() ? "expression" : key[k]);
    exec::ExecContext ctx;
    if (text_) ctx.text = *text_;
    return e->eval({}, ctx);
  };
  b.strategy = str_field(s, "strategy")[0];
  if (b.strategy == 'h') {
    b.modulus = sql::int_field(s, "modulus");
    b.remainder = sql::int_field(s, "remainder");
    return b;
  }
  if (b.strategy == 'l') {
    for (const auto& d : list_field(s, "listdatums")) {
      Value v = value(d, 0);
      if (v.is_null()) b.accepts_null = true;
      else b.values.push_back(std::move(v));
    }
    return b;
  }
  auto range = [&](const char* name, std::vector<int>& kinds, std::vector<Value>& values) {
    for (const auto& d : list_field(s, name)) {
      size_t k = values.size();
      int kind = 0;
      if (node_type(d) == "ColumnRef") {
        const auto& f = list_field(node_body(d), "fields");
        std::string_view w = f.size() == 1 ? string_node(f[0]) : "";
        kind = w == "minvalue" ? -1 : w == "maxvalue" ? 1 : 0;
      }
      kinds.push_back(kind);
      values.push_back(kind ? Value() : value(d, k));
    }
  };
  range("lowerdatums", b.lower_kind, b.lower);
  range("upperdatums", b.upper_kind, b.upper);
  return b;
}

exec::PartitionCheck Binder::partition_check(const catalog::TableDef& t, const catalog::TableDef& row_table) {
  exec::PartitionCheck check;
  for (auto p = catalog_.table(t.id); p && p->is_partition(); p = catalog_.table(p->parents.at(0)))
    check.bounds.push_back(partition_bound(*p, row_table));
  return check;
}

void Binder::partition_routes(const catalog::TableDef& t, Plan& plan) {
  for (const auto& c : catalog_.children(t.id)) {
    if (c->is_partitioned()) {
      partition_routes(*c, plan);
      continue;
    }
    Plan::Route r;
    r.writer = std::make_unique<exec::TableWriter>(c, catalog_);
    prepare_writer(*r.writer, *c);
    r.to_leaf = exec::ColumnMap(*plan.table, *c);
    r.from_leaf = exec::ColumnMap(*c, *plan.table);
    // Bound over the table's rows once more only when the leaf's columns are in another order.
    r.bounds = r.to_leaf.identity() ? r.writer->partition : partition_check(*c, *plan.table);
    // ON CONFLICT's arbiters are indexes of the table: the leaf's own plain ones on the same columns
    // stand for its plain ones (a leaf without one keeps the table's, which none of its rows
    // collides in).
    if (plan.on_conflict)
      for (uint32_t iid : plan.on_conflict->arbiters) {
        auto idx = catalog_.index(iid);
        auto names = plan.table->column_names(idx->columns);
        size_t found = r.arbiters.size();
        for (uint32_t lid : c->indexes)
          if (auto li = catalog_.index(lid); li && li->unique && li->plain() && idx->plain() && c->column_names(li->columns) == names)
            r.arbiters.push_back(lid);
        if (r.arbiters.size() == found) r.arbiters.push_back(iid);
      }
    plan.routes.push_back(std::move(r));
  }
}

// A table with children (INHERITS, partitions) in FROM without ONLY: its rows and every
// descendant's, each read as the table's columns (by name), with tableoid telling whose.
OperatorPtr Binder::bind_inheritance_scan(std::shared_ptr<const catalog::TableDef> t, const json::object& rv,
                                          const Scope* parent, const std::string& alias, const json::array* colnames,
                                          Scope& scope) {
  std::vector<std::shared_ptr<const catalog::TableDef>> members;
  if (!t->is_partitioned()) members.push_back(t);
  for (auto& d : descendants(t->id))
    if (!d->is_partitioned()) members.push_back(std::move(d));
  std::vector<Column> cols;
  for (const auto& c : t->columns) cols.push_back({c.name, c.type, c.typmod, t->id, 0});
  cols.push_back({"tableoid", oid::kOid, -1, 0, 0});
  OperatorPtr all;
  for (const auto& m : members) {
    std::vector<ExprPtr> exprs;
    for (const auto& c : t->columns) {
      int i = m->column_index(c.name);
      if (i < 0) raise(sqlstate::kInternalError, "column \"{}\" of \"{}\" is missing in its child \"{}\"", c.name, t->name, m->name);
      exprs.push_back(std::make_unique<exec::ColumnExpr>(static_cast<size_t>(i), c.type, c.typmod));
    }
    exprs.push_back(std::make_unique<exec::ConstExpr>(Value::of(oid::kOid, int64_t{m->id})));
    // Each member's WHERE terms on its own columns may choose its access path (a key, an index);
    // the WHERE clause still filters the union. No member's order is the union's.
    Scope member_scope;
    std::vector<ExprPtr> conjuncts;
    if (from_where_ && !colnames) conjuncts = table_conjuncts(*m, rv, parent, *from_where_);
    order_wish_ = {};
    OperatorPtr scan = bind_table_access(m, alias, member_scope, conjuncts, false);
    OperatorPtr op = exec::make_project(std::move(scan), std::move(exprs), cols);
    all = all ? exec::make_set_op(std::move(all), std::move(op), exec::SetOpKind::kUnion, true) : std::move(op);
  }
  order_provided_ = false;
  if (!all) all = exec::make_values({}, cols);
  all->columns = cols;
  int16_t attnum = 0;
  for (size_t i = 0; i < t->columns.size(); ++i) {
    const auto& c = t->columns[i];
    std::string name = colnames && i < colnames->size() ? std::string(string_node((*colnames)[i])) : c.name;
    scope.columns.push_back({alias, name, c.type, c.typmod, t->id, ++attnum});
  }
  ScopeColumn toid{alias, "tableoid", oid::kOid, -1, 0, 0};
  toid.hidden = toid.system = true;
  scope.columns.push_back(toid);
  return all;
}

// UPDATE / DELETE of a table with children (without ONLY): the statement again for each
// descendant that holds rows, as ONLY on it under the table's name.
void Binder::bind_members(const json::object& n, const catalog::TableDef& table, Plan& plan) {
  const auto& rv = field(n, "relation")->as_object();
  if (!sql::bool_field(rv, "inh")) return;
  std::string alias(rv.contains("alias") ? str_field(rv.at("alias").as_object(), "aliasname") : str_field(rv, "relname"));
  Restore restore(member_of_);
  member_of_ = &table;
  for (const auto& d : descendants(table.id)) {
    if (d->is_partitioned()) continue;
    if (field(n, "withClause")) unsupported("WITH on UPDATE or DELETE of a table with inheritance children");
    json::object member = n;
    json::object r{{"schemaname", d->schema}, {"relname", d->name}, {"inh", false}, {"relpersistence", "p"},
                   {"alias", json::object{{"aliasname", alias}}}};
    if (const auto* loc = field(rv, "location")) r["location"] = *loc;
    member["relation"] = std::move(r);
    auto kept = std::make_shared<json::value>(std::move(member));  // bound expressions point into it
    view_queries_.push_back(kept);
    plan.members.push_back(plan.kind == Plan::Kind::kUpdate ? bind_update(kept->as_object()) : bind_delete(kept->as_object()));
    plan.members.back()->as_table = exec::ColumnMap(*d, table);
  }
}

}  // namespace heliosdb::planner
