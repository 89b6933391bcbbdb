// ALTER TABLE and inheritance: INHERIT / NO INHERIT, and what a parent's ALTER TABLE means to its
// children (pg_attribute.attinhcount / attislocal, pg_constraint.coninhcount / conislocal), as
// PostgreSQL's tablecmds.c keeps them.
#include <boost/json.hpp>
#include <algorithm>
#include <deque>
#include <map>

#include "common/errors.h"
#include "common/types.h"
#include "engine/ddl.h"
#include "engine/session_impl.h"
#include "planner/binder.h"

namespace heliosdb::engine {

namespace json = boost::json;
using sql::field;
using sql::node_body;
using sql::str_field;

namespace ddl {

namespace {
void strip_locations(json::value& v) {
  if (auto* o = v.if_object()) {
    o->erase("location");
    for (auto& [k, x] : *o) strip_locations(x);
  } else if (auto* a = v.if_array()) {
    for (auto& x : *a) strip_locations(x);
  }
}
}  // namespace

bool same_expression(const std::string& a, const std::string& b) {
  if (a == b) return true;
  json::value x = json::parse(a), y = json::parse(b);
  strip_locations(x);
  strip_locations(y);
  return x == y;
}

void merge_parent_checks(catalog::TableDef& t, const catalog::TableDef& parent, bool partition) {
  for (const auto& pk : parent.checks) {
    if (pk.noinherit) continue;
    auto ck = std::ranges::find_if(t.checks, [&](const catalog::CheckDef& k) { return k.name == pk.name; });
    if (ck == t.checks.end()) raise(sqlstate::kDatatypeMismatch, "child table is missing constraint \"{}\"", pk.name);
    if (!same_expression(ck->expr, pk.expr))
      raise(sqlstate::kDatatypeMismatch, "child table \"{}\" has different definition for check constraint \"{}\"", t.name, pk.name);
    if (ck->noinherit)
      raise(sqlstate::kInvalidObjectDefinition, "constraint \"{}\" conflicts with non-inherited constraint on child table \"{}\"",
            pk.name, t.name);
    if (pk.validated && !ck->validated)
      raise(sqlstate::kInvalidObjectDefinition, "constraint \"{}\" conflicts with NOT VALID constraint on child table \"{}\"",
            pk.name, t.name);
    ++ck->inhcount;
    if (partition) ck->islocal = false;
  }
}

std::vector<std::pair<uint32_t, int>> all_inheritors(const catalog::Catalog& cat, uint32_t id) {
  std::vector<uint32_t> order{id};
  std::map<uint32_t, int> parents;
  for (size_t i = 0; i < order.size(); ++i)
    for (const auto& c : cat.children(order[i])) {
      if (!parents.contains(c->id)) order.push_back(c->id);
      ++parents[c->id];
    }
  std::vector<std::pair<uint32_t, int>> out;
  for (size_t i = 1; i < order.size(); ++i) out.emplace_back(order[i], parents[order[i]]);
  return out;
}

}  // namespace ddl

void DdlExecutor::alter_inherit(const catalog::TableDef& table, const json::object& cmd, ResultSink& sink) {
  catalog::Catalog& cat = s_.writable_catalog();
  bool drop = str_field(cmd, "subtype") == "AT_DropInherit";
  s_.check_owner(table.access, "table", table.name);
  if (!drop && table.is_partitioned()) raise(sqlstate::kWrongObjectType, "cannot change inheritance of partitioned table");
  if (table.is_partition()) raise(sqlstate::kWrongObjectType, "cannot change inheritance of a partition");
  planner::Binder binder(cat, sql_, {}, &s_.text_context());
  auto parent = binder.lookup_table(node_body(*field(cmd, "def")), planner::Binder::Use::kRead);
  catalog::TableDef t = *cat.table(table.id);
  if (drop) {
    if (!std::ranges::count(t.parents, parent->id))
      raise(sqlstate::kUndefinedTable, "relation \"{}\" is not a {} of relation \"{}\"", parent->name,
            parent->is_partitioned() ? "partition" : "parent", t.name);
    std::erase(t.parents, parent->id);
    for (auto& c : t.columns)
      if (parent->column_index(c.name) >= 0 && c.inhcount > 0 && --c.inhcount == 0) c.islocal = true;
    for (auto& ck : t.checks)
      if (std::ranges::any_of(parent->checks, [&](const catalog::CheckDef& p) { return p.name == ck.name; }) &&
          ck.inhcount > 0 && --ck.inhcount == 0)
        ck.islocal = true;
    cat.put_table(*s_.txn_, std::move(t));
    return sink.complete("ALTER TABLE", 0);
  }
  if (parent->is_view() || parent->is_matview())
    throw Error(sqlstate::kWrongObjectType, fmt::format("ALTER action INHERIT cannot be performed on relation \"{}\"", parent->name))
        .with_detail(parent->is_view() ? "This operation is not supported for views."
                                       : "This operation is not supported for materialized views.");
  s_.check_owner(parent->access, "table", parent->name);
  if (parent->schema.starts_with("pg_temp") && !t.schema.starts_with("pg_temp"))
    raise(sqlstate::kWrongObjectType, "cannot inherit from temporary relation \"{}\"", parent->name);
  if (parent->is_partitioned()) raise(sqlstate::kWrongObjectType, "cannot inherit from partitioned table \"{}\"", parent->name);
  if (parent->is_partition()) raise(sqlstate::kWrongObjectType, "cannot inherit from a partition");
  if (parent->id == t.id || std::ranges::any_of(ddl::all_inheritors(cat, t.id), [&](auto& d) { return d.first == parent->id; }))
    throw Error(sqlstate::kDuplicateTable, "circular inheritance not allowed")
        .with_detail(fmt::format("\"{}\" is already a child of \"{}\".", parent->name, t.name));
  if (std::ranges::count(t.parents, parent->id))
    raise(sqlstate::kDuplicateTable, "relation \"{}\" would be inherited from more than once", parent->name);
  // The child must have each of the parent's columns (same type, NOT NULL where the parent's is)
  // and each of its inherited CHECK constraints (same expression).
  for (const auto& pc : parent->columns) {
    int i = t.column_index(pc.name);
    if (i < 0) raise(sqlstate::kDatatypeMismatch, "child table is missing column \"{}\"", pc.name);
    auto& c = t.columns[static_cast<size_t>(i)];
    if (c.type != pc.type || c.typmod != pc.typmod)
      raise(sqlstate::kDatatypeMismatch, "child table \"{}\" has different type for column \"{}\"", t.name, pc.name);
    if (pc.not_null && !c.not_null) raise(sqlstate::kDatatypeMismatch, "column \"{}\" in child table must be marked NOT NULL", pc.name);
    if (pc.generated && !c.generated)
      raise(sqlstate::kDatatypeMismatch, "column \"{}\" in child table must be a generated column", pc.name);
    if (pc.generated && !ddl::same_expression(pc.default_expr, c.default_expr))
      raise(sqlstate::kDatatypeMismatch, "column \"{}\" in child table has a conflicting generation expression", pc.name);
    ++c.inhcount;
  }
  ddl::merge_parent_checks(t, *parent, false);
  t.parents.push_back(parent->id);
  cat.put_table(*s_.txn_, std::move(t));
  sink.complete("ALTER TABLE", 0);
}

bool DdlExecutor::child_command(const catalog::TableDef& parent, const catalog::TableDef& child, json::object& cmd,
                                const std::vector<std::string>& check_names, size_t& check_at, ResultSink& sink) {
  catalog::Catalog& cat = s_.writable_catalog();
  std::string_view sub = str_field(cmd, "subtype");
  std::string name(str_field(cmd, "name"));
  auto update = [&](auto&& change) {
    catalog::TableDef t = *cat.table(child.id);
    change(t);
    cat.put_table(*s_.txn_, std::move(t));
  };
  if (sub == "AT_AddColumn") {
    const auto& cd = node_body(*field(cmd, "def"));
    std::string cn(str_field(cd, "colname"));
    int i = child.column_index(cn);
    if (i < 0) return true;
    // The child has the column already: it now inherits it too.
    const auto& mine = parent.columns[static_cast<size_t>(parent.column_index(cn))];
    const auto& theirs = child.columns[static_cast<size_t>(i)];
    if (mine.type != theirs.type || mine.typmod != theirs.typmod)
      raise(sqlstate::kDatatypeMismatch, "child table \"{}\" has different type for column \"{}\"", child.name, cn);
    update([&](catalog::TableDef& t) { ++t.columns[static_cast<size_t>(i)].inhcount; });
    send_notice(sink, "00000", fmt::format("merging definition of column \"{}\" for child \"{}\"", cn, child.name));
    return false;
  }
  if (sub == "AT_DropColumn") {
    int i = child.column_index(name);
    if (i < 0) return false;
    const auto& c = child.columns[static_cast<size_t>(i)];
    if (c.inhcount == 1 && !c.islocal) return true;  // it goes too
    update([&](catalog::TableDef& t) { --t.columns[static_cast<size_t>(i)].inhcount; });
    return false;
  }
  if (sub == "AT_AddConstraint") {
    const auto& con = node_body(*field(cmd, "def"));
    if (str_field(con, "contype") != "CONSTR_CHECK") return false;  // keys and foreign keys are each table's own
    std::string cname = check_at < check_names.size() ? check_names[check_at] : std::string(str_field(con, "conname"));
    ++check_at;
    if (sql::bool_field(con, "is_no_inherit")) return false;
    auto same = std::ranges::find_if(child.checks, [&](const catalog::CheckDef& k) { return k.name == cname; });
    if (same != child.checks.end()) {
      if (!ddl::same_expression(same->expr, json::serialize(*field(con, "raw_expr"))))
        raise(sqlstate::kDuplicateObject, "constraint \"{}\" for relation \"{}\" already exists", cname, child.name);
      if (same->noinherit)
        raise(sqlstate::kInvalidObjectDefinition, "constraint \"{}\" conflicts with non-inherited constraint on relation \"{}\"",
              cname, child.name);
      update([&](catalog::TableDef& t) {
        for (auto& k : t.checks)
          if (k.name == cname) ++k.inhcount;
      });
      send_notice(sink, "00000", fmt::format("merging constraint \"{}\" with inherited definition", cname));
      return false;
    }
    json::object def = node_body(*field(cmd, "def"));
    def["conname"] = cname;
    cmd["def"] = json::object{{"Constraint", std::move(def)}};
    return true;
  }
  if (sub == "AT_DropConstraint") {
    auto ck = std::ranges::find_if(parent.checks, [&](const catalog::CheckDef& k) { return k.name == name; });
    auto mine = std::ranges::find_if(child.checks, [&](const catalog::CheckDef& k) { return k.name == name; });
    // Only CHECK constraints are inherited (the parent's is gone by now: what the child has says).
    if (ck != parent.checks.end() || mine == child.checks.end() || mine->inhcount == 0) return false;
    if (mine->inhcount == 1 && !mine->islocal) return true;
    update([&](catalog::TableDef& t) {
      for (auto& k : t.checks)
        if (k.name == name) --k.inhcount;
    });
    return false;
  }
  if (sub == "AT_ValidateConstraint") {
    auto ck = std::ranges::find_if(parent.checks, [&](const catalog::CheckDef& k) { return k.name == name; });
    return ck != parent.checks.end() && !ck->noinherit;
  }
  return true;
}

void DdlExecutor::keep_in_children(const catalog::TableDef& parent, const json::object& cmd) {
  catalog::Catalog& cat = s_.writable_catalog();
  std::string_view sub = str_field(cmd, "subtype");
  std::string name(str_field(cmd, "name"));
  for (const auto& child : cat.children(parent.id)) {
    catalog::TableDef t = *child;
    bool changed = false;
    if (sub == "AT_DropColumn") {
      if (int i = t.column_index(name); i >= 0) {
        auto& c = t.columns[static_cast<size_t>(i)];
        if (c.inhcount > 0) --c.inhcount;
        c.islocal = true;
        changed = true;
      }
    } else if (sub == "AT_DropConstraint") {
      for (auto& k : t.checks)
        if (k.name == name && k.inhcount > 0) {
          --k.inhcount;
          k.islocal = true;
          changed = true;
        }
    }
    if (changed) cat.put_table(*s_.txn_, std::move(t));
  }
}

}  // namespace heliosdb::engine
