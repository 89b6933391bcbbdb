// Tables: CREATE TABLE, ALTER TABLE and RENAME.
//
// ALTER TABLE works like PostgreSQL's: its subcommands change a copy of the table's definition;
// then, once, the rows are checked against the new definition (SET NOT NULL, ADD CHECK, ADD
// COLUMN ... NOT NULL) or rewritten (ALTER COLUMN TYPE, ADD COLUMN with a volatile default, a
// changed primary key, which keys the rows), and new indexes are built. ADD COLUMN with a
// constant default rewrites nothing: rows stored before it read the column's `missing` value.
#include <boost/json.hpp>
#include <algorithm>
#include <functional>

#include "catalog/system_views.h"
#include "common/errors.h"
#include "common/key_codec.h"
#include "common/types.h"
#include "engine/ddl.h"
#include "engine/session_impl.h"
#include "executor/functions.h"
#include "executor/table_access.h"
#include "planner/agg_context.h"
#include "planner/binder.h"
#include "storage/row_codec.h"
#include "storage/store.h"

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

// Whether a value of the type holds a row of table `table_id` (itself, an array of it, or a row
// of a table with such a column).
bool contains_row_of(const catalog::Catalog& cat, uint32_t type, uint32_t table_id, int depth = 0) {
  if (type == catalog::row_type_oid(table_id) || type == catalog::row_array_type_oid(table_id)) return true;
  auto [other, is_array] = catalog::decode_row_type_oid(type);
  if (!other || depth > 8) return false;
  if (auto o = cat.table(other))
    for (const auto& c : o->columns)
      if (contains_row_of(cat, c.type, table_id, depth + 1)) return true;
  return false;
}

// Calls f on every ColumnRef's last name in a parse tree (stored CHECK expressions name their
// table's columns so).
void for_each_column_ref(json::value& v, const std::function<void(json::string&)>& f) {
  if (v.is_array()) {
    for (auto& x : v.as_array()) for_each_column_ref(x, f);
  } else if (v.is_object()) {
    auto& o = v.as_object();
    if (auto* cr = o.if_contains("ColumnRef")) {
      auto* fields = cr->as_object().if_contains("fields");
      if (fields && !fields->as_array().empty()) {
        auto& last = fields->as_array().back();
        if (auto* s = last.as_object().if_contains("String")) f(s->as_object()["sval"].as_string());
      }
      return;
    }
    for (auto& kv : o) for_each_column_ref(kv.value(), f);
  }
}

bool mentions_column(const std::string& expr_json, const std::string& column) {
  json::value v = json::parse(expr_json);
  bool found = false;
  for_each_column_ref(v, [&](json::string& s) { found |= s == column; });
  return found;
}

// Whether a partitioned table's key (TableDef::partition_key) uses the column, by name or in an expression.
bool partition_key_uses(const std::string& key, const std::string& column) {
  json::value spec = json::parse(key);
  for (const auto& p : list_field(spec.as_object(), "partParams")) {
    const auto& pe = node_body(p);
    if (str_field(pe, "name") == column) return true;
    if (const auto* expr = field(pe, "expr"); expr && mentions_column(json::serialize(*expr), column)) return true;
  }
  return false;
}

// Whether a view's query may read a column of that name (by name, or through a *).
bool view_reads_column(const catalog::TableDef& view, const std::string& column) {
  return mentions_column(view.view_query, column) || view.view_query.find("\"A_Star\"") != std::string::npos;
}

std::string rename_column_refs(const std::string& expr_json, const std::string& from, const std::string& to) {
  json::value v = json::parse(expr_json);
  for_each_column_ref(v, [&](json::string& s) {
    if (s == from) s = to;
  });
  return json::serialize(v);
}

// Binds a DEFAULT expression for its column, as PostgreSQL does when it is defined: a wrong
// type or a literal its type does not read fails now, one too long for the column's length
// only when it is used.
void validate_default(planner::Binder& binder, const json::value& expr, const catalog::ColumnDef& col) {
  ddl::check_constant_expression(expr, "DEFAULT expression");
  try {
    binder.bind_for_column(expr, col.type, col.typmod, col.name);
  } catch (const Error& e) {
    if (e.sqlstate() != std::string_view(sqlstate::kStringDataRightTruncation)) throw;
  }
}

const char* relation_kind_name(std::string_view object_type) {
  if (object_type == "OBJECT_INDEX") return "an index";
  if (object_type == "OBJECT_SEQUENCE") return "a sequence";
  if (object_type == "OBJECT_VIEW") return "a view";
  return "a table";
}

}  // namespace

void DdlExecutor::read_constraint(const json::object& c, const std::string* column, TableElements& el) {
  std::string ct(str_field(c, "contype"));
  std::string cname(str_field(c, "conname"));
  if (ct == "CONSTR_PRIMARY" || ct == "CONSTR_UNIQUE") {
    TableElements::Key k{{}, ct == "CONSTR_PRIMARY", cname};
    k.deferrable = sql::bool_field(c, "deferrable");
    k.deferred = sql::bool_field(c, "initdeferred");
    k.nulls_not_distinct = sql::bool_field(c, "nulls_not_distinct");
    if (column) k.columns.push_back(*column);
    for (const auto& key : list_field(c, "keys")) k.columns.emplace_back(string_node(key));
    if (!list_field(c, "including").empty()) unsupported("INCLUDE columns");
    if (field(c, "indexname")) unsupported("ADD CONSTRAINT ... USING INDEX");
    el.keys.push_back(std::move(k));
  } else if (ct == "CONSTR_CHECK") {
    el.checks.push_back({cname, json::serialize(*field(c, "raw_expr")), !sql::bool_field(c, "skip_validation"),
                         sql::bool_field(c, "is_no_inherit")});
  } else if (ct == "CONSTR_FOREIGN") {
    el.foreign_keys.push_back({c, column ? *column : std::string()});
  } else if (ct == "CONSTR_EXCLUSION") {
    unsupported("EXCLUDE constraints");
  } else {
    unsupported(fmt::format("constraint {}", ct));
  }
}

void DdlExecutor::read_column(catalog::TableDef& t, const json::object& e, planner::Binder& binder, TableElements& el) {
  catalog::ColumnDef col;
  col.name = std::string(str_field(e, "colname"));
  const auto& tn = field(e, "typeName")->as_object();
  std::string tname;
  const auto& names = list_field(tn, "names");
  if (names.size() == 1) tname = std::string(string_node(names[0]));
  bool serial = tname == "serial" || tname == "serial4" || tname == "bigserial" || tname == "serial8" ||
                tname == "smallserial" || tname == "serial2";
  col.id = t.next_column_id++;
  if (serial) {
    col.type = tname == "bigserial" || tname == "serial8" ? oid::kInt8
               : tname == "smallserial" || tname == "serial2" ? oid::kInt2 : oid::kInt4;
    col.not_null = true;
    el.serials.push_back({col.id, false, {}});
  } else {
    std::tie(col.type, col.typmod) = binder.resolve_type(tn, &col.domain);
    ddl::check_column_type(col.name, col.type);
  }
  if (const auto* coll = field(e, "collClause")) {
    std::string cn;
    for (const auto& x : list_field(coll->as_object(), "collname")) cn = std::string(string_node(x));
    if (cn != "C" && cn != "POSIX" && cn != "default") unsupported(fmt::format("collation \"{}\"", cn));
  }
  col.missing = Value::null(col.type);
  enum class Last { kNone, kForeignKey, kKey, kOther } last = Last::kNone;  // the constraint before
  bool saw_deferrability = false, saw_initially = false;  // its attributes so far
  for (const auto& cv : list_field(e, "constraints")) {
    const auto& c = node_body(cv);
    std::string ct(str_field(c, "contype"));
    if (ct == "CONSTR_NOTNULL") col.not_null = true;
    else if (ct == "CONSTR_NULL") {
    } else if (ct == "CONSTR_DEFAULT") {
      if (col.generated)
        raise(sqlstate::kSyntaxError, "both default and generation expression specified for column \"{}\" of table \"{}\"",
              col.name, t.name);
      if (serial || !col.default_expr.empty())
        raise(sqlstate::kSyntaxError, "multiple default values specified for column \"{}\" of table \"{}\"", col.name, t.name);
      const json::value* raw = field(c, "raw_expr");
      validate_default(binder, *raw, col);
      col.default_expr = ddl::stored_default(*raw, s_.writable_catalog());
    } else if (ct == "CONSTR_IDENTITY") {
      if (col.type != oid::kInt2 && col.type != oid::kInt4 && col.type != oid::kInt8)
        raise(sqlstate::kInvalidParameterValue, "identity column type must be smallint, integer, or bigint");
      col.identity = str_field(c, "generated_when") == "a" ? 'a' : 'd';
      col.not_null = true;
      el.serials.push_back({col.id, true, list_field(c, "options")});
    } else if (ct == "CONSTR_GENERATED") {
      if (str_field(c, "generated_when") != "a") unsupported("GENERATED BY DEFAULT AS (expression)");
      if (!col.default_expr.empty() || col.identity)
        raise(sqlstate::kSyntaxError, "both default and generation expression specified for column \"{}\" of table \"{}\"",
              col.name, t.name);
      col.default_expr = json::serialize(*field(c, "raw_expr"));
      col.generated = true;
    } else if (ct.starts_with("CONSTR_ATTR_")) {
      // [NOT] DEFERRABLE, INITIALLY DEFERRED / IMMEDIATE of the constraint before it, which must
      // be a foreign key, a primary key or a unique constraint.
      bool deferrable = ct == "CONSTR_ATTR_DEFERRABLE", not_deferrable = ct == "CONSTR_ATTR_NOT_DEFERRABLE";
      bool deferred = ct == "CONSTR_ATTR_DEFERRED";
      auto fail = [&](const std::string& message) {
        throw Error(sqlstate::kSyntaxError, message).with_position(static_cast<int>(sql::int_field(c, "location", -1)) + 1);
      };
      bool about_deferrability = deferrable || not_deferrable;
      if (last != Last::kForeignKey && last != Last::kKey)
        fail(fmt::format("misplaced {} clause", deferrable ? "DEFERRABLE" : not_deferrable ? "NOT DEFERRABLE"
                                                : deferred ? "INITIALLY DEFERRED" : "INITIALLY IMMEDIATE"));
      bool& seen = about_deferrability ? saw_deferrability : saw_initially;
      if (seen)
        fail(about_deferrability ? "multiple DEFERRABLE/NOT DEFERRABLE clauses not allowed"
                                 : "multiple INITIALLY IMMEDIATE/DEFERRED clauses not allowed");
      seen = true;
      bool is_deferrable = last == Last::kForeignKey ? sql::bool_field(el.foreign_keys.back().constraint, "deferrable")
                                                     : el.keys.back().deferrable;
      bool is_deferred = last == Last::kForeignKey ? sql::bool_field(el.foreign_keys.back().constraint, "initdeferred")
                                                   : el.keys.back().deferred;
      if ((not_deferrable && is_deferred) || (deferred && saw_deferrability && !is_deferrable))
        fail("constraint declared INITIALLY DEFERRED must be DEFERRABLE");
      // INITIALLY DEFERRED alone implies DEFERRABLE.
      if (deferrable || (deferred && !saw_deferrability)) is_deferrable = true;
      if (not_deferrable) is_deferrable = false;
      if (deferred || ct == "CONSTR_ATTR_IMMEDIATE") is_deferred = deferred;
      if (last == Last::kForeignKey) {
        auto& fk = el.foreign_keys.back().constraint;
        fk["deferrable"] = is_deferrable;
        fk["initdeferred"] = is_deferred;
      } else {
        el.keys.back().deferrable = is_deferrable;
        el.keys.back().deferred = is_deferred;
      }
      continue;
    } else {
      read_constraint(c, &col.name, el);
      if (ct == "CONSTR_PRIMARY") col.not_null = true;
      last = ct == "CONSTR_FOREIGN" ? Last::kForeignKey : ct == "CONSTR_PRIMARY" || ct == "CONSTR_UNIQUE" ? Last::kKey : Last::kOther;
      saw_deferrability = saw_initially = false;
      continue;
    }
    last = Last::kOther;
  }
  t.columns.push_back(std::move(col));
  if (t.columns.size() > 1600) raise(sqlstate::kTooManyColumns, "tables can have at most 1600 columns");
}

std::vector<uint32_t> DdlExecutor::add_elements(catalog::TableDef& t, TableElements& el, planner::Binder& binder) {
  catalog::Catalog& cat = s_.writable_catalog();
  storage::Transaction& txn = *s_.txn_;
  // Sequences behind SERIAL and IDENTITY columns.
  for (auto& s : el.serials) {
    auto& col = t.columns[static_cast<size_t>(t.column_index_by_id(s.column_id))];
    catalog::SequenceDef seq;
    seq.id = cat.allocate_id(txn);
    s_.db().reset_sequence(seq.id);
    seq.schema = t.schema;
    seq.access.owner = t.access.owner;
    seq.name = choose_name(cat, t.schema, t.name + "_" + col.name + "_seq");
    for (const auto& o : s.options) {  // SEQUENCE NAME [schema.]name
      const auto& d = node_body(o);
      if (str_field(d, "defname") != "sequence_name") continue;
      const auto& items = list_field(node_body(*field(d, "arg")), "items");
      std::string named(string_node(items.back()));
      if (cat.sequence(t.schema, named) || cat.table(t.schema, named))
        raise(sqlstate::kDuplicateTable, "relation \"{}\" already exists", named);
      seq.name = named;
    }
    seq.type = col.type;
    apply_sequence_options(seq, s.options, true, binder, nullptr, nullptr);
    seq.owner_table = t.id;
    seq.owner_column = col.id;
    col.identity_seq = seq.id;
    col.default_expr = nextval_json(seq.id);
    cat.put_sequence(txn, seq);
  }
  // Primary key and unique constraints.
  int primaries = 0;
  for (uint32_t iid : t.indexes)
    if (auto idx = cat.index(iid); idx && idx->primary) primaries = 1;
  std::vector<uint32_t> made;
  bool altering = cat.table(t.id) != nullptr;
  for (auto& k : el.keys) {
    std::vector<uint32_t> ids;
    std::string joined;
    for (const auto& cn : k.columns) {
      int i = t.column_index(cn);
      if (i < 0 && altering) raise(sqlstate::kUndefinedColumn, "column \"{}\" of relation \"{}\" does not exist", cn, t.name);
      if (i < 0) raise(sqlstate::kUndefinedColumn, "column \"{}\" named in key does not exist", cn);
      auto& col = t.columns[static_cast<size_t>(i)];
      if (col.type == oid::kJson)
        raise(sqlstate::kUndefinedObject, "data type json has no default operator class for access method \"btree\"");
      if (k.primary) col.not_null = true;
      for (uint32_t x : ids)
        if (x == col.id)
          raise(sqlstate::kDuplicateColumn, "column \"{}\" appears twice in {} constraint", cn, k.primary ? "primary key" : "unique");
      ids.push_back(col.id);
      joined += "_" + cn;
    }
    if (k.primary && ++primaries > 1)
      raise(sqlstate::kInvalidTableDefinition, "multiple primary keys for table \"{}\" are not allowed", t.name);
    catalog::IndexDef idx;
    idx.id = cat.allocate_id(txn);
    idx.table_id = t.id;
    idx.columns = ids;
    idx.unique = true;
    idx.primary = k.primary;
    idx.is_constraint = true;
    idx.deferrable = k.deferrable;
    idx.deferred = k.deferred;
    idx.nulls_not_distinct = k.nulls_not_distinct;
    if (!k.name.empty()) {
      if (cat.relation_exists(t.schema, k.name)) raise(sqlstate::kDuplicateTable, "relation \"{}\" already exists", k.name);
      if (std::ranges::any_of(t.checks, [&](const catalog::CheckDef& c) { return c.name == k.name; }) ||
          std::ranges::any_of(t.foreign_keys, [&](const catalog::ForeignKeyDef& f) { return f.name == k.name; }))
        raise(sqlstate::kDuplicateObject, "constraint \"{}\" for relation \"{}\" already exists", k.name, t.name);
      idx.name = k.name;
    } else {
      idx.name = choose_name(cat, t.schema, k.primary ? t.name + "_pkey" : t.name + joined + "_key");
    }
    if (k.primary && !k.deferrable) t.primary_key = ids;  // a deferrable one's rows keep hidden row ids
    t.indexes.push_back(idx.id);
    made.push_back(idx.id);
    cat.put_index(txn, idx);
  }
  // CHECK constraints: bound now to validate, stored as parse trees.
  for (auto& check : el.checks) {
    const std::string& expr = check.expr;
    json::value v = json::parse(expr);
    if (check.noinherit && t.is_partitioned())
      raise(sqlstate::kInvalidTableDefinition, "cannot add NO INHERIT constraint to partitioned table \"{}\"", t.name);
    if (planner::contains_aggregate(v)) raise(sqlstate::kGroupingError, "aggregate functions are not allowed in check constraints");
    binder.make_condition(binder.bind_stored(expr, &t), "CHECK");
    auto taken = [&](const std::string& name) {
      for (const auto& c : t.checks)
        if (c.name == name) return true;
      return false;
    };
    std::string name = check.name;
    if (!name.empty() && !taken(name)) {
      bool other = std::ranges::any_of(t.foreign_keys, [&](const catalog::ForeignKeyDef& f) { return f.name == name; });
      for (uint32_t iid : t.indexes)
        if (auto ix = cat.index(iid); ix && ix->is_constraint && ix->name == name) other = true;
      if (other) raise(sqlstate::kDuplicateObject, "constraint \"{}\" for relation \"{}\" already exists", name, t.name);
    }
    if (name.empty()) {
      // PostgreSQL names it after the table and the first column it mentions.
      std::string first;
      for_each_column_ref(v, [&](json::string& s) {
        if (first.empty()) first = std::string(s);
      });
      std::string base = first.empty() ? t.name + "_check" : t.name + "_" + first + "_check";
      name = base;
      for (int i = 1; taken(name); ++i) name = base + std::to_string(i);
    } else if (taken(name)) {
      // CREATE TABLE: the same constraint as an inherited one is merged with it.
      auto same = std::ranges::find_if(t.checks, [&](const catalog::CheckDef& c) { return c.name == name; });
      if (!el.merge_checks || same->islocal || !ddl::same_expression(same->expr, expr))
        raise(sqlstate::kDuplicateObject, "constraint \"{}\" for relation \"{}\" already exists", name, t.name);
      if (check.noinherit)
        raise(sqlstate::kInvalidObjectDefinition, "constraint \"{}\" conflicts with inherited constraint on relation \"{}\"", name, t.name);
      if (el.notices) send_notice(*el.notices, "00000", fmt::format("merging constraint \"{}\" with inherited definition", name));
      same->islocal = true;
      same->validated &= check.validate;
      check.name = name;
      continue;
    }
    check.name = name;
    t.checks.push_back({name, expr, check.validate});
    t.checks.back().noinherit = check.noinherit;
  }
  // Generation expressions: over the row's other (not generated) columns, immutable.
  for (const auto& c : t.columns) {
    if (!c.generated) continue;
    json::value e = json::parse(c.default_expr);
    if (planner::contains_aggregate(e)) raise(sqlstate::kGroupingError, "aggregate functions are not allowed in column generation expressions");
    if (c.default_expr.find("\"SubLink\"") != std::string::npos)
      raise(sqlstate::kFeatureNotSupported, "cannot use subquery in column generation expression");
    for_each_column_ref(e, [&](json::string& ref) {
      int i = t.column_index(std::string_view(ref));
      if (i >= 0 && t.columns[static_cast<size_t>(i)].generated)
        throw Error(sqlstate::kInvalidObjectDefinition,
                    fmt::format("cannot use generated column \"{}\" in column generation expression", std::string_view(ref)))
            .with_detail("A generated column cannot reference another generated column.");
    });
    // Not immutable: volatile functions, those of the time and the session (now(), CURRENT_USER).
    bool immutable = c.default_expr.find("\"SQLValueFunction\"") == std::string::npos;
    std::function<void(const json::value&)> scan = [&](const json::value& x) {
      if (x.is_array()) {
        for (const auto& y : x.as_array()) scan(y);
      } else if (x.is_object()) {
        if (const auto* fc = x.as_object().if_contains("FuncCall")) {
          std::string fname;
          for (const auto& part : list_field(fc->as_object(), "funcname")) fname = std::string(string_node(part));
          static const char* kStable[] = {"now", "statement_timestamp", "transaction_timestamp", "timeofday", "current_setting"};
          if (exec::function_volatile(fname) || std::ranges::count(kStable, fname)) immutable = false;
        }
        for (const auto& kv : x.as_object()) scan(kv.value());
      }
    };
    scan(e);
    if (!immutable) raise(sqlstate::kInvalidObjectDefinition, "generation expression is not immutable");
    binder.coerce_assignment(binder.bind_stored(c.default_expr, &t), c.type, c.typmod, c.name);
  }
  for (const auto& fk : el.foreign_keys) t.foreign_keys.push_back(make_foreign_key(t, fk));
  return made;
}

catalog::ForeignKeyDef DdlExecutor::make_foreign_key(catalog::TableDef& t, const TableElements::ForeignKey& in) {
  const auto& c = in.constraint;
  catalog::Catalog& cat = s_.writable_catalog();
  // The referenced table: t itself when it names t (also while t is being created).
  const auto& pkrv = field(c, "pktable")->as_object();
  std::string pschema(str_field(pkrv, "schemaname")), pname(str_field(pkrv, "relname"));
  auto found = cat.table(pschema, pname);
  std::shared_ptr<const catalog::TableDef> holder;
  const catalog::TableDef* parent = nullptr;
  if ((found && found->id == t.id) || (!found && pname == t.name && (pschema.empty() || pschema == t.schema))) {
    parent = &t;
  } else {
    planner::Binder binder(cat, sql_, {}, &s_.text_context());
    holder = binder.lookup_table(pkrv);
    parent = holder.get();
  }
  // PostgreSQL: permanent tables reference permanent ones, unlogged ones permanent or unlogged
  // ones, temporary ones temporary ones.
  char mine = t.persistence(), theirs = parent->persistence();
  if (mine == 'p' && theirs != 'p')
    raise(sqlstate::kInvalidTableDefinition, "constraints on permanent tables may reference only permanent tables");
  if (mine == 'u' && theirs == 't')
    raise(sqlstate::kInvalidTableDefinition, "constraints on unlogged tables may reference only permanent or unlogged tables");
  if (mine == 't' && theirs != 't')
    raise(sqlstate::kInvalidTableDefinition, "constraints on temporary tables may reference only temporary tables");
  catalog::ForeignKeyDef fk;
  auto column_id = [](const catalog::TableDef& tab, std::string_view name) {
    int i = tab.column_index(name);
    if (i < 0) raise(sqlstate::kUndefinedColumn, "column \"{}\" referenced in foreign key constraint does not exist", name);
    return tab.columns[static_cast<size_t>(i)].id;
  };
  std::vector<std::string> names;
  if (!in.column.empty()) names.push_back(in.column);
  for (const auto& a : list_field(c, "fk_attrs")) names.emplace_back(string_node(a));
  for (const auto& n : names) fk.columns.push_back(column_id(t, n));
  const auto& pk_attrs = list_field(c, "pk_attrs");
  if (pk_attrs.empty()) {
    if (parent->primary_key.empty()) {
      for (uint32_t iid : parent->indexes)
        if (auto idx = cat.index(iid); idx && idx->primary && idx->deferrable)
          raise(sqlstate::kObjectNotInPrerequisiteState, "cannot use a deferrable primary key for referenced table \"{}\"",
                parent->name);
      raise(sqlstate::kUndefinedObject, "there is no primary key for referenced table \"{}\"", parent->name);
    }
    fk.ref_columns = parent->primary_key;
  } else {
    for (const auto& a : pk_attrs) fk.ref_columns.push_back(column_id(*parent, string_node(a)));
  }
  // The unique index (the primary key's first) on exactly the referenced columns.
  std::vector<uint32_t> want = fk.ref_columns;
  std::ranges::sort(want);
  bool found_deferrable = false;
  for (uint32_t iid : parent->indexes) {
    auto idx = cat.index(iid);
    std::vector<uint32_t> have = idx->columns;
    std::ranges::sort(have);
    if (!idx->unique || !idx->plain() || have != want) continue;
    if (idx->deferrable) found_deferrable = true;
    else if (!fk.ref_index || idx->primary) fk.ref_index = iid;
  }
  if (!fk.ref_index && found_deferrable)
    raise(sqlstate::kObjectNotInPrerequisiteState, "cannot use a deferrable unique constraint for referenced table \"{}\"",
          parent->name);
  if (!fk.ref_index)
    raise(sqlstate::kInvalidForeignKey, "there is no unique constraint matching given keys for referenced table \"{}\"", parent->name);
  if (fk.columns.size() != fk.ref_columns.size())
    raise(sqlstate::kInvalidForeignKey, "number of referencing and referenced columns for foreign key disagree");
  // The name: given, or the table's and the columns' (PostgreSQL's ChooseConstraintName).
  auto taken = [&](const std::string& n) {
    for (const auto& k : t.foreign_keys) if (k.name == n) return true;
    for (const auto& k : t.checks) if (k.name == n) return true;
    for (uint32_t iid : t.indexes) if (auto idx = cat.index(iid); idx && idx->is_constraint && idx->name == n) return true;
    return false;
  };
  fk.name = std::string(str_field(c, "conname"));
  if (!fk.name.empty() && taken(fk.name))
    raise(sqlstate::kDuplicateObject, "constraint \"{}\" for relation \"{}\" already exists", fk.name, t.name);
  if (fk.name.empty()) {
    std::string base = t.name;
    for (const auto& n : names) base += "_" + n;
    if (base.size() > 58) base.resize(58);
    base += "_fkey";
    fk.name = base;
    for (int i = 1; taken(fk.name); ++i) fk.name = base + std::to_string(i);
  }
  // Key types: equal, or both integers, or both text/varchar (they compare, and index, alike).
  auto family = [](uint32_t type) {
    if (type == oid::kInt2 || type == oid::kInt4 || type == oid::kInt8) return 1;
    if (type == oid::kText || type == oid::kVarchar) return 2;
    return 0;
  };
  for (size_t i = 0; i < fk.columns.size(); ++i) {
    const auto& a = t.columns[static_cast<size_t>(t.column_index_by_id(fk.columns[i]))];
    const auto& b = parent->columns[static_cast<size_t>(parent->column_index_by_id(fk.ref_columns[i]))];
    if (a.type == b.type || (family(a.type) && family(a.type) == family(b.type))) continue;
    if (types::is_numeric_family(a.type) && types::is_numeric_family(b.type))
      unsupported(fmt::format("foreign keys between {} and {} columns", types::format_type(a.type, -1), types::format_type(b.type, -1)));
    throw Error(sqlstate::kDatatypeMismatch, fmt::format("foreign key constraint \"{}\" cannot be implemented", fk.name))
        .with_detail(fmt::format("Key columns \"{}\" and \"{}\" are of incompatible types: {} and {}.", a.name, b.name,
                                 types::format_type(a.type, -1), types::format_type(b.type, -1)));
  }
  // The keys of a partitioned table are its partitions', which these checks do not look into.
  if (parent->is_partitioned()) unsupported("foreign keys referencing partitioned tables");
  if (t.is_partitioned()) unsupported("foreign keys on partitioned tables");
  fk.ref_table = parent->id;
  std::string match(str_field(c, "fk_matchtype"));
  if (match == "p") unsupported("MATCH PARTIAL");
  fk.match = match == "f" ? 'f' : 's';
  auto action = [](std::string_view a) { return a.empty() ? 'a' : a[0]; };
  fk.on_update = action(str_field(c, "fk_upd_action"));
  fk.on_delete = action(str_field(c, "fk_del_action"));
  if (!list_field(c, "fk_del_set_cols").empty()) unsupported("ON DELETE SET NULL / SET DEFAULT with a column list");
  fk.deferrable = sql::bool_field(c, "deferrable");
  fk.deferred = sql::bool_field(c, "initdeferred");
  fk.validated = !sql::bool_field(c, "skip_validation");
  return fk;
}

void DdlExecutor::drop_referencing_keys(uint32_t table_id, const std::vector<uint32_t>& index_ids, bool cascade,
                                        const std::string& what, ResultSink& sink, const std::vector<uint32_t>& also_dropped) {
  catalog::Catalog& cat = s_.writable_catalog();
  auto target = cat.table(table_id);
  std::vector<std::pair<uint32_t, std::string>> found;  // table, constraint
  std::string detail;
  for (const auto& [id, t] : cat.tables()) {
    if ((id == table_id && index_ids.empty()) || std::ranges::count(also_dropped, id)) continue;  // they go with their table
    for (const auto& fk : t->foreign_keys) {
      if (fk.ref_table != table_id || (!index_ids.empty() && !std::ranges::count(index_ids, fk.ref_index))) continue;
      found.emplace_back(id, fk.name);
      std::string on = index_ids.empty() ? "table " + target->name : "index " + cat.index(fk.ref_index)->name;
      detail += fmt::format("{}constraint {} on table {} depends on {}", detail.empty() ? "" : "\n", fk.name, t->name, on);
    }
  }
  if (found.empty()) return;
  if (!cascade)
    throw Error(sqlstate::kDependentObjectsStillExist, fmt::format("cannot drop {} because other objects depend on it", what))
        .with_detail(detail)
        .with_hint("Use DROP ... CASCADE to drop the dependent objects too.");
  std::vector<std::string> gone;
  for (const auto& f : found) {
    const std::string& name = f.second;  // not a structured binding: the lambda below uses it
    catalog::TableDef t = *cat.table(f.first);
    gone.push_back(fmt::format("constraint {} on table {}", name, t.name));
    std::erase_if(t.foreign_keys, [&](const catalog::ForeignKeyDef& k) { return k.name == name; });
    cat.put_table(*s_.txn_, std::move(t));
  }
  send_cascade_notice(sink, gone);
}

void DdlExecutor::create_table(const json::object& n, ResultSink& sink) {
  const auto& rv = field(n, "relation")->as_object();
  std::string on_commit(str_field(n, "oncommit"));
  if (field(n, "ofTypename")) unsupported("typed tables");
  std::string schema = creation_schema(rv);
  check_on_commit(on_commit, schema);
  std::string name(str_field(rv, "relname"));
  catalog::Catalog& cat = s_.writable_catalog();
  if (skip_existing(cat, schema, name, sql::bool_field(n, "if_not_exists"), "CREATE TABLE", sink)) return;
  catalog::TableDef t;
  t.id = cat.allocate_id(*s_.txn_);
  t.schema = schema;
  t.name = name;
  t.access.owner = s_.current_role_oid();
  t.unlogged = str_field(rv, "relpersistence") == "u";
  ddl::check_table_options(list_field(n, "options"));
  planner::Binder binder(cat, sql_, {}, &s_.text_context());
  TableElements el;
  std::vector<std::shared_ptr<const catalog::IndexDef>> like_indexes;
  bool partition_of = field(n, "partbound") != nullptr;
  inherit(t, n, binder, el, sink);
  el.merge_checks = true;
  el.notices = &sink;
  size_t inherited = t.columns.size();
  for (const auto& elt : list_field(n, "tableElts")) {
    std::string_view et = node_type(elt);
    const auto& e = node_body(elt);
    if (et == "Constraint") {
      read_constraint(e, nullptr, el);
    } else if (et == "ColumnDef") {
      int at = t.column_index(str_field(e, "colname"));
      if (at >= 0 && static_cast<size_t>(at) < inherited) {
        merge_column(t, e, binder, el, partition_of, sink);
        continue;
      }
      if (at >= 0) raise(sqlstate::kDuplicateColumn, "column \"{}\" specified more than once", str_field(e, "colname"));
      if (partition_of) raise(sqlstate::kUndefinedColumn, "column \"{}\" does not exist", str_field(e, "colname"));
      read_column(t, e, binder, el);
    } else if (et == "TableLikeClause") {
      read_like(t, e, binder, el, like_indexes);
    } else {
      unsupported(std::string(et));
    }
  }
  if (const auto* spec = field(n, "partspec")) set_partition_key(t, spec->as_object(), el, binder);
  if (const auto* bound = field(n, "partbound")) set_partition_bound(t, bound->as_object(), binder);
  add_elements(t, el, binder);
  // LIKE ... INCLUDING INDEXES: the source's other indexes, on the same columns (and
  // expressions, and predicates), named as CREATE INDEX would name them.
  for (const auto& src : like_indexes) {
    catalog::IndexDef idx;
    idx.id = cat.allocate_id(*s_.txn_);
    idx.table_id = t.id;
    idx.unique = src->unique;
    idx.nulls_not_distinct = src->nulls_not_distinct;
    idx.exprs = src->exprs;
    idx.predicate = src->predicate;
    std::string joined;
    auto source = cat.table(src->table_id);
    for (size_t k = 0; k < src->columns.size(); ++k) {
      if (!src->columns[k]) {
        idx.columns.push_back(0);
        joined += "_" + index_expression_name(json::parse(src->exprs[k]));
        continue;
      }
      const std::string& cn = source->columns[static_cast<size_t>(source->column_index_by_id(src->columns[k]))].name;
      idx.columns.push_back(t.columns[static_cast<size_t>(t.column_index(cn))].id);
      joined += "_" + cn;
    }
    idx.name = choose_name(cat, t.schema, t.name + joined + "_idx");
    t.indexes.push_back(idx.id);
    cat.put_index(*s_.txn_, std::move(idx));
  }
  add_on_commit(on_commit, t);
  cat.put_table(*s_.txn_, std::move(t));
  sink.complete("CREATE TABLE", 0);
}

// LIKE source [INCLUDING ...]: the source's columns (names, types, NOT NULL) and what the
// options ask for: DEFAULTS, GENERATED, IDENTITY, CONSTRAINTS (CHECKs), INDEXES, COMMENTS.
void DdlExecutor::read_like(catalog::TableDef& t, const json::object& like, planner::Binder& binder, TableElements& el,
                            std::vector<std::shared_ptr<const catalog::IndexDef>>& indexes) {
  auto src = binder.lookup_table(field(like, "relation")->as_object(), planner::Binder::Use::kRead);
  int64_t opts = sql::int_field(like, "options");
  constexpr int64_t kComments = 1, kConstraints = 4, kDefaults = 8, kGenerated = 16, kIdentity = 32, kIndexes = 64;
  for (const auto& sc : src->columns) {
    if (t.column_index(sc.name) >= 0) raise(sqlstate::kDuplicateColumn, "column \"{}\" specified more than once", sc.name);
    catalog::ColumnDef col;
    col.id = t.next_column_id++;
    col.name = sc.name;
    col.type = sc.type;
    col.typmod = sc.typmod;
    col.not_null = sc.not_null;
    col.missing = Value::null(col.type);
    if (sc.generated) {
      if (opts & kGenerated) {
        col.default_expr = sc.default_expr;
        col.generated = true;
      }
    } else if (sc.identity) {
      if (opts & kIdentity) {
        col.identity = sc.identity;
        el.serials.push_back({col.id, true, {}});
      }
    } else if (opts & kDefaults) {
      col.default_expr = sc.default_expr;
    }
    if (opts & kComments) col.comment = sc.comment;
    t.columns.push_back(std::move(col));
  }
  if (opts & kConstraints)
    for (const auto& ck : src->checks) el.checks.push_back({ck.name, ck.expr, true});
  if (opts & kIndexes) {
    auto& cat = s_.writable_catalog();
    for (uint32_t iid : src->indexes) {
      auto idx = cat.index(iid);
      if (!idx->is_constraint) {
        indexes.push_back(idx);
        continue;
      }
      TableElements::Key k{{}, idx->primary, "", idx->deferrable, idx->deferred, idx->nulls_not_distinct};
      for (uint32_t cid : idx->columns) k.columns.push_back(src->columns[static_cast<size_t>(src->column_index_by_id(cid))].name);
      el.keys.push_back(std::move(k));
    }
  }
}

void DdlExecutor::check_rows(const std::shared_ptr<const catalog::TableDef>& old,
                             const std::shared_ptr<const catalog::TableDef>& now, const std::vector<exec::ExprPtr>& exprs,
                             bool rewrite) {
  exec::TableLayout from(old), to(now);
  exec::ExecContext ctx = s_.make_context(nullptr);
  planner::Binder binder(s_.writable_catalog(), sql_, {}, &s_.text_context());
  std::vector<exec::ExprPtr> checks, generated;
  for (const auto& c : now->checks) checks.push_back(binder.make_condition(binder.bind_stored(c.expr, now.get()), "CHECK"));
  for (const auto& c : now->columns)
    generated.push_back(c.generated ? binder.coerce_assignment(binder.bind_stored(c.default_expr, now.get()), c.type, c.typmod, c.name)
                                    : nullptr);
  // Where each column of the new definition was in the old one (-1: a new column).
  std::vector<int> source;
  for (const auto& c : now->columns) source.push_back(old->column_index_by_id(c.id));
  bool rekey = old->primary_key != now->primary_key;

  std::vector<std::pair<std::string, std::string>> rows;  // read before any is written
  for (auto it = s_.txn_->scan(from.prefix, keys::prefix_successor(from.prefix)); it->valid(); it->next()) {
    ctx.check_cancel();
    rows.emplace_back(std::string(it->key()), std::string(it->value()));
  }
  if (rewrite) {
    for (const auto& [key, value] : rows) s_.txn_->del(key);
    for (uint32_t id : old->indexes) delete_range(exec::index_prefix(id));
  }
  std::string pkey_name = now->name + "_pkey";
  for (uint32_t id : now->indexes)
    if (auto idx = s_.writable_catalog().index(id); idx && idx->primary) pkey_name = idx->name;
  Row before, row;
  for (const auto& [key, value] : rows) {
    ctx.check_cancel();
    from.decode(value, before);
    if (rewrite) {
      row.assign(now->columns.size(), Value());
      for (size_t i = 0; i < row.size(); ++i) {
        if (i < exprs.size() && exprs[i]) row[i] = exprs[i]->eval(before, ctx);
        else if (source[i] >= 0) row[i] = before[static_cast<size_t>(source[i])];
        else row[i] = to.missing[i];
      }
      for (size_t i = 0; i < row.size(); ++i)
        if (generated[i]) row[i] = generated[i]->eval(row, ctx);
    } else {
      to.decode(value, row);
    }
    for (size_t i = 0; i < row.size(); ++i)
      if (now->columns[i].not_null && row[i].is_null())
        throw make_error(sqlstate::kNotNullViolation, "column \"{}\" of relation \"{}\" contains null values",
                         now->columns[i].name, now->name)
            .with_table(now->schema, now->name)
            .with_column(now->columns[i].name);
    for (size_t i = 0; i < checks.size(); ++i) {
      Value ok = checks[i]->eval(row, ctx);
      if (!ok.is_null() && !ok.as_bool())
        throw make_error(sqlstate::kCheckViolation,
                         "check constraint \"{}\" of relation \"{}\" is violated by some row", now->checks[i].name,
                         now->name)
            .with_table(now->schema, now->name)
            .with_constraint(now->checks[i].name);
    }
    if (!rewrite) continue;
    std::string k = key;
    if (rekey && to.pk.empty()) {
      k = to.prefix;
      keys::append_u64(k, s_.next_row_id(now->id));
    } else if (rekey) {
      k = to.key_for(row);
      if (s_.txn_->get(k))
        throw Error(sqlstate::kUniqueViolation, fmt::format("could not create unique index \"{}\"", pkey_name))
            .with_detail(exec::key_detail(*now, to.pk, row, ctx, "is duplicated."))
            .with_table(now->schema, now->name)
            .with_constraint(pkey_name);
    }
    std::string encoded;
    storage::encode_row(encoded, to.ids, row);
    s_.txn_->put(k, encoded);
  }
  if (rewrite)
    for (uint32_t id : now->indexes)
      if (!s_.writable_catalog().index(id)->primary) build_index(id);
}

void DdlExecutor::alter_table(const json::object& n, ResultSink& sink) {
  std::string_view objtype = str_field(n, "objtype");
  const auto& cmds = list_field(n, "cmds");
  if (objtype != "OBJECT_TABLE" && cmds.size() == 1 && str_field(node_body(cmds[0]), "subtype") == "AT_ChangeOwner") {
    // ALTER VIEW / SEQUENCE ... OWNER TO
    catalog::Catalog& cat = s_.writable_catalog();
    const auto& rv = field(n, "relation")->as_object();
    std::string schema = schema_of(rv, cat), name(str_field(rv, "relname"));
    const auto& newowner = field(node_body(cmds[0]), "newowner")->as_object();
    if (auto v = cat.table(schema, name); v && objtype == "OBJECT_VIEW" && v->is_view()) {
      catalog::TableDef t = *v;
      change_owner(t.access, newowner, "view", t.name);
      cat.put_table(*s_.txn_, std::move(t));
      return sink.complete("ALTER VIEW", 0);
    }
    if (auto sq = cat.sequence(schema, name); sq && objtype == "OBJECT_SEQUENCE") {
      catalog::SequenceDef s = *sq;
      change_owner(s.access, newowner, "sequence", s.name);
      cat.put_sequence(*s_.txn_, std::move(s));
      return sink.complete("ALTER SEQUENCE", 0);
    }
    if (!sql::bool_field(n, "missing_ok"))
      raise(sqlstate::kUndefinedTable, "relation \"{}\" does not exist", schema.empty() ? name : schema + "." + name);
    send_notice(sink, sqlstate::kSuccessfulCompletion, fmt::format("relation \"{}\" does not exist, skipping", name));
    return sink.complete(objtype == "OBJECT_VIEW" ? "ALTER VIEW" : "ALTER SEQUENCE", 0);
  }
  if (objtype != "OBJECT_TABLE") unsupported("this form of ALTER " + std::string(objtype == "OBJECT_INDEX" ? "INDEX" : objtype == "OBJECT_VIEW" ? "VIEW" : "SEQUENCE"));
  catalog::Catalog& cat = s_.writable_catalog();
  storage::Transaction& txn = *s_.txn_;
  planner::Binder binder(cat, sql_, {}, &s_.text_context());
  const auto& rv = field(n, "relation")->as_object();
  std::shared_ptr<const catalog::TableDef> old;
  try {
    old = binder.lookup_table(rv);
  } catch (const Error& e) {
    if (e.sqlstate() != sqlstate::kUndefinedTable || !sql::bool_field(n, "missing_ok")) throw;
    send_notice(sink, sqlstate::kSuccessfulCompletion, fmt::format("relation \"{}\" does not exist, skipping", str_field(rv, "relname")));
    sink.complete("ALTER TABLE", 0);
    return;
  }
  s_.check_not_in_use(old->id, "ALTER TABLE", old->name);
  if (cmds.size() == 1 && (str_field(node_body(cmds[0]), "subtype") == "AT_AttachPartition" ||
                           str_field(node_body(cmds[0]), "subtype") == "AT_DetachPartition")) {
    s_.check_owner(old->access, "table", old->name);
    return attach_partition(*old, node_body(cmds[0]), binder, sink);
  }
  if (std::ranges::any_of(cmds, [](const json::value& c) {
        std::string_view sub = str_field(node_body(c), "subtype");
        return sub == "AT_AddInherit" || sub == "AT_DropInherit";
      })) {
    if (cmds.size() != 1) unsupported("INHERIT / NO INHERIT with other ALTER TABLE actions");
    return alter_inherit(*old, node_body(cmds[0]), sink);
  }
  bool has_children = !cat.children(old->id).empty();
  if (has_children || !old->parents.empty() || old->is_partitioned()) check_hierarchy_alter(*old, n);
  catalog::TableDef t = *old;
  bool only_owner = std::ranges::all_of(cmds, [](const json::value& c) { return str_field(node_body(c), "subtype") == "AT_ChangeOwner"; });
  if (!only_owner || !s_.is_superuser(s_.current_role_oid())) s_.check_owner(t.access, "table", t.name);
  TableElements el;
  std::vector<exec::ExprPtr> exprs;  // per column of t: its value over the old row, when rewritten
  std::vector<uint32_t> added;       // columns added, in order
  std::vector<std::string> validate_keys;  // foreign keys VALIDATE CONSTRAINT checks
  std::vector<size_t> check_cmds;          // the elements of ADD CONSTRAINT ... CHECK, in order
  // The change of a parent reaching this table: what it adds is inherited.
  bool recursing = !cmds.empty() && sql::bool_field(node_body(cmds[0]), "recurse");
  bool altered_type = false;  // ALTER COLUMN TYPE: no other table may store this table's rows
  bool rewrite = false, verify = false;
  auto column = [&](std::string_view name) -> catalog::ColumnDef& {
    int i = t.column_index(name);
    if (i < 0) raise(sqlstate::kUndefinedColumn, "column \"{}\" of relation \"{}\" does not exist", name, t.name);
    return t.columns[static_cast<size_t>(i)];
  };
  auto drop_index = [&](uint32_t id) {
    std::erase(t.indexes, id);
    delete_range(exec::index_prefix(id));
    cat.drop_index(txn, id);
  };

  for (const auto& c : list_field(n, "cmds")) {
    const auto& cmd = node_body(c);
    std::string_view sub = str_field(cmd, "subtype");
    std::string name(str_field(cmd, "name"));
    const json::value* def = field(cmd, "def");
    bool missing_ok = sql::bool_field(cmd, "missing_ok");
    bool cascade = str_field(cmd, "behavior") == "DROP_CASCADE";
    if (sub == "AT_AddColumn") {
      const auto& cd = node_body(*def);
      std::string cn(str_field(cd, "colname"));
      if (t.column_index(cn) >= 0) {
        if (!missing_ok) raise(sqlstate::kDuplicateColumn, "column \"{}\" of relation \"{}\" already exists", cn, t.name);
        send_notice(sink, sqlstate::kDuplicateColumn, fmt::format("column \"{}\" of relation \"{}\" already exists, skipping", cn, t.name));
        continue;
      }
      read_column(t, cd, binder, el);
      if (contains_row_of(cat, t.columns.back().type, t.id))
        raise(sqlstate::kInvalidTableDefinition, "composite type {} cannot be made a member of itself", t.name);
      added.push_back(t.columns.back().id);
      verify |= t.columns.back().not_null;
    } else if (sub == "AT_DropColumn") {
      int i = t.column_index(name);
      if (i < 0) {
        if (!missing_ok) raise(sqlstate::kUndefinedColumn, "column \"{}\" of relation \"{}\" does not exist", name, t.name);
        send_notice(sink, sqlstate::kSuccessfulCompletion, fmt::format("column \"{}\" of relation \"{}\" does not exist, skipping", name, t.name));
        continue;
      }
      uint32_t id = t.columns[static_cast<size_t>(i)].id;
      if (t.is_partitioned() && partition_key_uses(t.partition_key, name))
        raise(sqlstate::kInvalidTableDefinition, "cannot drop column \"{}\" because it is part of the partition key of relation \"{}\"", name, t.name);
      for (const auto& [vid, v] : cat.tables())
        if (v->is_view() && std::ranges::count(v->view_depends, t.id) && view_reads_column(*v, name))
          throw Error(sqlstate::kDependentObjectsStillExist,
                      fmt::format("cannot drop column {} of table {} because other objects depend on it", name, t.name))
              .with_detail(fmt::format("view {} depends on column {} of table {}", v->name, name, t.name))
              .with_hint("Use DROP ... CASCADE to drop the dependent objects too.");
      for (const auto& other : t.columns)
        if (other.generated && other.id != id && mentions_column(other.default_expr, name))
          throw Error(sqlstate::kDependentObjectsStillExist,
                      fmt::format("cannot drop column {} of table {} because other objects depend on it", name, t.name))
              .with_detail(fmt::format("column {} of table {} depends on column {} of table {}", other.name, t.name, name, t.name))
              .with_hint("Use DROP ... CASCADE to drop the dependent objects too.");
      // Indexes and constraints on the column go with it, and so does a sequence it owns.
      std::vector<uint32_t> gone;
      for (uint32_t iid : t.indexes) {
        auto ix = cat.index(iid);
        bool uses = std::ranges::count(ix->columns, id) || (!ix->predicate.empty() && mentions_column(ix->predicate, name));
        for (const auto& e : ix->exprs) uses |= !e.empty() && mentions_column(e, name);
        if (uses) gone.push_back(iid);
      }
      drop_referencing_keys(t.id, gone, cascade, fmt::format("column {} of table {}", name, t.name), sink);
      for (uint32_t iid : gone) {
        if (cat.index(iid)->primary) {
          t.primary_key.clear();
          rewrite = true;
        }
        drop_index(iid);
      }
      std::erase_if(t.checks, [&](const catalog::CheckDef& ck) { return mentions_column(ck.expr, name); });
      std::erase_if(t.foreign_keys, [&](const catalog::ForeignKeyDef& fk) {
        return std::ranges::count(fk.columns, id) || (fk.ref_table == t.id && std::ranges::count(gone, fk.ref_index));
      });
      std::vector<uint32_t> owned;
      for (const auto& [sid, s] : cat.sequences())
        if (s->owner_table == t.id && s->owner_column == id) owned.push_back(sid);
      for (uint32_t sid : owned) cat.drop_sequence(txn, sid);
      t.columns.erase(t.columns.begin() + i);
      if (!exprs.empty()) exprs.erase(exprs.begin() + i);
    } else if (sub == "AT_ColumnDefault") {
      auto& col = column(name);
      if (col.generated)
        throw Error(sqlstate::kSyntaxError, fmt::format("column \"{}\" of relation \"{}\" is a generated column", name, t.name))
            .with_hint(def ? "Use ALTER TABLE ... ALTER COLUMN ... SET EXPRESSION instead." : "Use ALTER TABLE ... ALTER COLUMN ... DROP EXPRESSION instead.");
      if (col.identity) {
        Error e(sqlstate::kSyntaxError, fmt::format("column \"{}\" of relation \"{}\" is an identity column", name, t.name));
        if (!def) e.with_hint("Use ALTER TABLE ... ALTER COLUMN ... DROP IDENTITY instead.");
        throw e;
      }
      if (def) {
        validate_default(binder, *def, col);
        col.default_expr = ddl::stored_default(*def, s_.writable_catalog());
      } else {
        col.default_expr.clear();
      }
    } else if (sub == "AT_AddIdentity") {
      // ALTER COLUMN ... ADD GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY [(sequence options)],
      // as pg_dump writes identity columns.
      auto& col = column(name);
      const auto& c = node_body(*def);
      if (col.type != oid::kInt2 && col.type != oid::kInt4 && col.type != oid::kInt8)
        raise(sqlstate::kInvalidParameterValue, "identity column type must be smallint, integer, or bigint");
      if (col.identity)
        raise(sqlstate::kObjectNotInPrerequisiteState, "column \"{}\" of relation \"{}\" is already an identity column", name, t.name);
      if (!col.not_null)
        raise(sqlstate::kObjectNotInPrerequisiteState,
              "column \"{}\" of relation \"{}\" must be declared NOT NULL before identity can be added", name, t.name);
      if (!col.default_expr.empty())
        raise(sqlstate::kObjectNotInPrerequisiteState, "column \"{}\" of relation \"{}\" already has a default value", name, t.name);
      col.identity = str_field(c, "generated_when") == "a" ? 'a' : 'd';
      el.serials.push_back({col.id, true, list_field(c, "options")});
    } else if (sub == "AT_SetIdentity" || sub == "AT_DropIdentity") {
      // ALTER COLUMN ... SET GENERATED { ALWAYS | BY DEFAULT } / RESTART / SET sequence option,
      // and DROP IDENTITY [IF EXISTS], which drops the column's sequence.
      auto& col = column(name);
      if (!col.identity) {
        std::string msg = fmt::format("column \"{}\" of relation \"{}\" is not an identity column", name, t.name);
        if (sub == "AT_DropIdentity" && missing_ok) {
          send_notice(sink, sqlstate::kSuccessfulCompletion, msg + ", skipping");
          continue;
        }
        raise(sqlstate::kObjectNotInPrerequisiteState, "{}", msg);
      }
      auto seq = cat.sequence(col.identity_seq);
      if (sub == "AT_DropIdentity") {
        col.identity = 0;
        col.identity_seq = 0;
        col.default_expr.clear();
        if (seq) cat.drop_sequence(txn, seq->id);
        continue;
      }
      json::array options;
      for (const auto& o : list_field(node_body(*def), "items")) {
        const auto& d = node_body(o);
        if (str_field(d, "defname") == "generated")
          col.identity = sql::int_field(node_body(*field(d, "arg")), "ival") == 'a' ? 'a' : 'd';
        else
          options.push_back(o);
      }
      if (seq && !options.empty()) alter_sequence_options(*seq, options);
    } else if (sub == "AT_SetNotNull") {
      auto& col = column(name);
      verify |= !col.not_null;
      col.not_null = true;
    } else if (sub == "AT_DropNotNull") {
      auto& col = column(name);
      for (uint32_t iid : t.indexes)
        if (auto idx = cat.index(iid); idx && idx->primary && std::ranges::count(idx->columns, col.id))
          raise(sqlstate::kInvalidTableDefinition, "column \"{}\" is in a primary key", name);
      if (col.identity)
        raise(sqlstate::kSyntaxError, "column \"{}\" of relation \"{}\" is an identity column", name, t.name);
      col.not_null = false;
    } else if (sub == "AT_AlterColumnType") {
      auto& col = column(name);
      altered_type = true;
      for (const auto& [vid, v] : cat.tables())
        if (v->is_view() && std::ranges::count(v->view_depends, t.id) && view_reads_column(*v, name))
          throw Error(sqlstate::kFeatureNotSupported, "cannot alter type of a column used by a view or rule")
              .with_detail(fmt::format("rule _RETURN on view {} depends on column \"{}\"", v->name, name));
      size_t pos = static_cast<size_t>(t.column_index(name));
      const auto& cd = node_body(*def);
      uint32_t domain = 0;
      auto [type, typmod] = binder.resolve_type(field(cd, "typeName")->as_object(), &domain);
      ddl::check_column_type(name, type);
      if (contains_row_of(cat, type, t.id))
        raise(sqlstate::kInvalidTableDefinition, "composite type {} cannot be made a member of itself", t.name);
      if (field(cd, "collClause")) {
        std::string cn;
        for (const auto& x : list_field(field(cd, "collClause")->as_object(), "collname")) cn = std::string(string_node(x));
        if (cn != "C" && cn != "POSIX" && cn != "default") unsupported(fmt::format("collation \"{}\"", cn));
      }
      if (old->column_index_by_id(col.id) < 0 || (!exprs.empty() && exprs.size() > pos && exprs[pos]))
        unsupported("ALTER COLUMN TYPE of a column added or altered in the same statement");
      const json::value* using_expr = field(cd, "raw_default");
      exec::ExprPtr e;
      std::string type_name = types::format_type(type, typmod);
      try {
        if (using_expr) {
          if (planner::contains_aggregate(*using_expr)) raise(sqlstate::kGroupingError, "aggregate functions are not allowed in transform expressions");
          e = binder.bind_stored(json::serialize(*using_expr), old.get());
        } else {
          int oi = old->column_index_by_id(col.id);
          e = std::make_unique<exec::ColumnExpr>(static_cast<size_t>(oi), col.type, col.typmod);
        }
        e = binder.domain_check(binder.coerce_assignment(std::move(e), type, typmod, col.name), domain);
      } catch (const Error& err) {
        if (err.sqlstate() != sqlstate::kDatatypeMismatch) throw;
        if (using_expr)
          throw Error(sqlstate::kDatatypeMismatch,
                      fmt::format("result of USING clause for column \"{}\" cannot be cast automatically to type {}", name, type_name))
              .with_hint("You might need to add an explicit cast.");
        throw Error(sqlstate::kDatatypeMismatch, fmt::format("column \"{}\" cannot be cast automatically to type {}", name, type_name))
            .with_hint(fmt::format("You might need to specify \"USING {}::{}\".", sql::quote_ident(name), type_name));
      }
      if (!col.default_expr.empty()) {
        try {
          binder.bind_for_column(json::parse(col.default_expr), type, typmod, col.name);
        } catch (const Error& err) {
          if (err.sqlstate() != sqlstate::kDatatypeMismatch) throw;
          throw Error(sqlstate::kDatatypeMismatch,
                      fmt::format("default for column \"{}\" cannot be cast automatically to type {}", name, type_name));
        }
      }
      col.type = type;
      col.typmod = typmod;
      col.domain = domain;
      col.missing = Value::null(type);
      cat.drop_column_statistics(*s_.txn_, t.id, col.id);  // its values' statistics no longer hold
      exprs.resize(t.columns.size());
      exprs[pos] = std::move(e);
      rewrite = true;
    } else if (sub == "AT_AddConstraint") {
      read_constraint(node_body(*def), nullptr, el);
      if (str_field(node_body(*def), "contype") == "CONSTR_CHECK") check_cmds.push_back(el.checks.size() - 1);
    } else if (sub == "AT_DropConstraint") {
      bool found = false;
      for (uint32_t iid : t.indexes) {
        auto idx = cat.index(iid);
        if (!idx->is_constraint || idx->name != name) continue;
        drop_referencing_keys(t.id, {iid}, cascade, fmt::format("constraint {} on table {}", name, t.name), sink);
        std::erase_if(t.foreign_keys, [&](const catalog::ForeignKeyDef& fk) { return fk.ref_table == t.id && fk.ref_index == iid; });
        if (idx->primary) {
          t.primary_key.clear();
          rewrite = true;
        }
        drop_index(iid);
        found = true;
        break;
      }
      if (!found) found = std::erase_if(t.checks, [&](const catalog::CheckDef& ck) { return ck.name == name; }) > 0;
      if (!found) found = std::erase_if(t.foreign_keys, [&](const catalog::ForeignKeyDef& fk) { return fk.name == name; }) > 0;
      if (!found) {
        if (!missing_ok) raise(sqlstate::kUndefinedObject, "constraint \"{}\" of relation \"{}\" does not exist", name, t.name);
        send_notice(sink, sqlstate::kSuccessfulCompletion, fmt::format("constraint \"{}\" of relation \"{}\" does not exist, skipping", name, t.name));
      }
    } else if (sub == "AT_ValidateConstraint") {
      // A NOT VALID check or foreign key: the rows there are must hold now.
      bool found = false;
      for (auto& fk : t.foreign_keys)
        if (fk.name == name) {
          found = true;
          if (!fk.validated) validate_keys.push_back(name);
          fk.validated = true;
        }
      for (auto& ck : t.checks)
        if (ck.name == name) {
          found = true;
          verify |= !ck.validated;
          ck.validated = true;
        }
      if (!found) {
        for (uint32_t iid : t.indexes)
          if (auto ix = cat.index(iid); ix && ix->is_constraint && ix->name == name)
            raise(sqlstate::kWrongObjectType, "constraint \"{}\" of relation \"{}\" is not a foreign key or check constraint", name, t.name);
        raise(sqlstate::kUndefinedObject, "constraint \"{}\" of relation \"{}\" does not exist", name, t.name);
      }
    } else if (sub == "AT_AlterConstraint") {
      // ALTER CONSTRAINT name [NOT] DEFERRABLE [INITIALLY DEFERRED | IMMEDIATE]: of a foreign key.
      const auto& con = node_body(*def);
      std::string cname(str_field(con, "conname"));
      auto fk = std::ranges::find_if(t.foreign_keys, [&](const catalog::ForeignKeyDef& k) { return k.name == cname; });
      if (fk == t.foreign_keys.end()) {
        bool other = std::ranges::any_of(t.checks, [&](const catalog::CheckDef& k) { return k.name == cname; });
        for (uint32_t iid : t.indexes)
          if (auto ix = cat.index(iid); ix && ix->is_constraint && ix->name == cname) other = true;
        if (other)
          raise(sqlstate::kWrongObjectType, "constraint \"{}\" of relation \"{}\" is not a foreign key constraint", cname, t.name);
        raise(sqlstate::kUndefinedObject, "constraint \"{}\" of relation \"{}\" does not exist", cname, t.name);
      }
      fk->deferrable = sql::bool_field(con, "deferrable");
      fk->deferred = sql::bool_field(con, "initdeferred");
    } else if (sub == "AT_ChangeOwner") {
      // The table's sequences (SERIAL, IDENTITY) pass to the new owner with it.
      change_owner(t.access, field(cmd, "newowner")->as_object(), "table", t.name);
      std::vector<catalog::SequenceDef> owned;
      for (const auto& [sid, sq] : cat.sequences())
        if (sq->owner_table == t.id) owned.push_back(*sq);
      for (auto& sq : owned) {
        pass_ownership(sq.access, t.access.owner);
        cat.put_sequence(txn, std::move(sq));
      }
    } else if (sub == "AT_SetStatistics" || sub == "AT_SetStorage" || sub == "AT_SetRelOptions" ||
               sub == "AT_ResetRelOptions" || sub == "AT_SetOptions" || sub == "AT_ResetOptions") {
      // Planner and storage hints: checked, then nothing here uses them.
      if (sub == "AT_SetRelOptions") ddl::check_table_options(list_field(node_body(*field(cmd, "def")), "items"));
    } else if (sub.starts_with("AT_EnableTrig") || sub.starts_with("AT_DisableTrig")) {
      enable_trigger(t, sub, name);
    } else if (sub == "AT_SetLogged" || sub == "AT_SetUnLogged") {
      set_logged(t, sub == "AT_SetLogged");
    } else {
      unsupported("this form of ALTER TABLE");
    }
  }

  // A column of another table storing this table's rows (PostgreSQL's
  // find_composite_type_dependencies).
  if (altered_type)
    for (const auto& [uid, user] : cat.tables())
      for (const auto& uc : user->columns)
        if (uc.type == catalog::row_type_oid(t.id) || uc.type == catalog::row_array_type_oid(t.id))
          raise(sqlstate::kFeatureNotSupported, "cannot alter table \"{}\" because column \"{}.{}\" uses its row type", t.name,
                user->name, uc.name);
  size_t old_keys = t.foreign_keys.size();
  std::vector<uint32_t> made = add_elements(t, el, binder);
  std::vector<std::string> check_names;
  for (size_t i : check_cmds) check_names.push_back(el.checks[i].name);
  if (recursing) {
    for (uint32_t id : added) {
      auto& col = t.columns[static_cast<size_t>(t.column_index_by_id(id))];
      col.inhcount = 1;
      col.islocal = false;
    }
    for (auto& ck : t.checks)
      if (std::ranges::count(check_names, ck.name) && ck.islocal && ck.inhcount == 0) {
        ck.inhcount = 1;
        ck.islocal = false;
      }
  }
  for (const auto& ck : el.checks) verify |= ck.validate;
  rewrite |= t.primary_key != old->primary_key;
  // New columns get their default: a constant once, as the value rows stored before read; a
  // volatile one (nextval, random()) per row, by rewriting them.
  for (uint32_t id : added) {
    size_t pos = static_cast<size_t>(t.column_index_by_id(id));
    auto& col = t.columns[pos];
    if (col.generated) rewrite = true;  // computed for each row by check_rows
    if (col.default_expr.empty() || col.generated) continue;
    exec::ExprPtr e = binder.bind_for_column(json::parse(col.default_expr), col.type, col.typmod, col.name);
    if (auto* k = dynamic_cast<exec::ConstExpr*>(e.get())) {
      col.missing = k->value;
      continue;
    }
    exprs.resize(t.columns.size());
    exprs[pos] = std::move(e);
    rewrite = true;
  }
  cat.put_table(txn, t);
  auto now = cat.table(t.id);
  if (rewrite || verify) check_rows(old, now, exprs, rewrite);
  if (!rewrite)
    for (uint32_t id : made)
      if (!cat.index(id)->primary) build_index(id);
  // New foreign keys hold for the rows there are (unless NOT VALID).
  exec::ExecContext ctx = s_.make_context(nullptr);
  for (size_t i = 0; i < now->foreign_keys.size(); ++i)
    if ((i >= old_keys && now->foreign_keys[i].validated) || std::ranges::count(validate_keys, now->foreign_keys[i].name))
      exec::validate_foreign_key(ctx, now, now->foreign_keys[i]);
  if (has_children && !sql::bool_field(rv, "inh"))
    for (const auto& c : cmds) keep_in_children(*now, node_body(c));
  if (has_children && sql::bool_field(rv, "inh")) {
    // The same change in every child (which may have the column or constraint already).
    for (const auto& child : cat.children(now->id)) {
      json::object stmt = n;
      json::object crv{{"schemaname", child->schema}, {"relname", child->name}, {"inh", true}, {"relpersistence", "p"}};
      stmt["relation"] = std::move(crv);
      json::array child_cmds;
      size_t check_at = 0;
      for (const auto& c : cmds) {
        json::object cmd = node_body(c);
        if (!child_command(*now, *child, cmd, check_names, check_at, sink)) continue;
        std::string_view sub = str_field(cmd, "subtype");
        if (sub == "AT_DropColumn" || sub == "AT_DropConstraint") cmd["missing_ok"] = true;
        cmd["recurse"] = true;  // PostgreSQL's recursing: the child's column is its parent's
        child_cmds.push_back(json::object{{"AlterTableCmd", std::move(cmd)}});
      }
      if (child_cmds.empty()) continue;
      stmt["cmds"] = std::move(child_cmds);
      DiscardSink quiet(&sink);
      alter_table(stmt, quiet);
    }
  }
  sink.complete("ALTER TABLE", 0);
}

// ALTER TABLE/INDEX/SEQUENCE ... RENAME [TO | COLUMN | CONSTRAINT].
// ALTER TABLE SET LOGGED / UNLOGGED, with PostgreSQL's checks: a logged table may not reference
// an unlogged one, nor an unlogged one be referenced by a logged one (a table's own keys aside).
void DdlExecutor::set_logged(catalog::TableDef& t, bool logged) {
  const char* action = logged ? "SET LOGGED" : "SET UNLOGGED";
  if (t.is_partitioned())
    throw Error(sqlstate::kWrongObjectType, fmt::format("ALTER action {} cannot be performed on relation \"{}\"", action, t.name))
        .with_detail("This operation is not supported for partitioned tables.");
  if (t.schema.starts_with("pg_temp"))
    raise(sqlstate::kInvalidTableDefinition, "cannot change logged status of table \"{}\" because it is temporary", t.name);
  if (t.unlogged != logged) return;  // already so
  const catalog::Catalog& cat = s_.writable_catalog();
  if (logged) {
    for (const auto& fk : t.foreign_keys)
      if (auto ref = cat.table(fk.ref_table); ref && ref->id != t.id && ref->unlogged)
        raise(sqlstate::kInvalidTableDefinition, "could not change table \"{}\" to logged because it references unlogged table \"{}\"",
              t.name, ref->name);
  } else {
    for (const auto& [id, other] : cat.tables())
      if (id != t.id && !other->unlogged)
        for (const auto& fk : other->foreign_keys)
          if (fk.ref_table == t.id)
            raise(sqlstate::kInvalidTableDefinition,
                  "could not change table \"{}\" to unlogged because it references logged table \"{}\"", t.name, other->name);
  }
  t.unlogged = !logged;
}

void DdlExecutor::rename(const json::object& n, ResultSink& sink) {
  std::string_view kind = str_field(n, "renameType");
  if (kind == "OBJECT_VIEW") kind = "OBJECT_TABLE";  // ALTER VIEW ... RENAME: as ALTER TABLE renames any relation
  const char* tag = str_field(n, "renameType") == "OBJECT_VIEW" ? "ALTER VIEW"
                    : kind == "OBJECT_INDEX" ? "ALTER INDEX" : kind == "OBJECT_SEQUENCE" ? "ALTER SEQUENCE" : "ALTER TABLE";
  const json::value* rvv = field(n, "relation");
  if (!rvv || (kind != "OBJECT_TABLE" && kind != "OBJECT_INDEX" && kind != "OBJECT_SEQUENCE" && kind != "OBJECT_COLUMN" &&
               kind != "OBJECT_TABCONSTRAINT"))
    unsupported("ALTER ... RENAME of this object");
  const auto& rv = rvv->as_object();
  catalog::Catalog& cat = s_.writable_catalog();
  storage::Transaction& txn = *s_.txn_;
  std::string schema = schema_of(rv, cat);
  std::string name(str_field(rv, "relname"));
  std::string newname(str_field(n, "newname"));
  if (newname.size() > 63) newname.resize(63);
  std::string_view want = kind == "OBJECT_COLUMN" || kind == "OBJECT_TABCONSTRAINT" ? "OBJECT_TABLE" : kind;
  auto table = cat.table(schema, name);
  auto index = cat.index(schema, name);
  auto sequence = cat.sequence(schema, name);
  // ALTER TABLE and ALTER INDEX rename any relation, as PostgreSQL lets them.
  bool found = want == "OBJECT_SEQUENCE" ? sequence != nullptr : table || index || sequence;
  if (want == "OBJECT_TABLE" && kind != "OBJECT_TABLE") found = table != nullptr;
  if (!found) {
    if (cat.relation_exists(schema, name))
      raise(sqlstate::kWrongObjectType, "\"{}\" is not {}", name, relation_kind_name(want));
    if (!sql::bool_field(n, "missing_ok")) raise(sqlstate::kUndefinedTable, "relation \"{}\" does not exist", name);
    send_notice(sink, sqlstate::kSuccessfulCompletion, fmt::format("relation \"{}\" does not exist, skipping", name));
    sink.complete(tag, 0);
    return;
  }
  std::string rel_schema = table ? table->schema : sequence ? sequence->schema : cat.table(index->table_id)->schema;
  if (table && (want != "OBJECT_SEQUENCE")) s_.check_owner(table->access, table->is_view() ? "view" : "table", table->name);
  else if (sequence) s_.check_owner(sequence->access, "sequence", sequence->name);
  else if (index) s_.check_owner(cat.table(index->table_id)->access, "index", index->name);

  bool recurse = sql::bool_field(rv, "inh");
  if (kind == "OBJECT_COLUMN") {
    std::string from(str_field(n, "subname"));
    // PostgreSQL's renameatt: the column is renamed in every table below too (expected: the
    // number of its parents among them; a column inherited from elsewhere too stays as it is).
    auto rename_in = [&](const catalog::TableDef& table, int expected) {
      catalog::TableDef t = table;
      for (const auto& [vid, v] : cat.tables())
        if (v->is_view() && std::ranges::count(v->view_depends, t.id) && mentions_column(v->view_query, from))
          unsupported(fmt::format("renaming column \"{}\" of \"{}\", which view \"{}\" reads", from, t.name, v->name));
      int i = t.column_index(from);
      if (i < 0) raise(sqlstate::kUndefinedColumn, "column \"{}\" does not exist", from);
      if (t.columns[static_cast<size_t>(i)].inhcount > expected)
        raise(sqlstate::kInvalidTableDefinition, "cannot rename inherited column \"{}\"", from);
      if (t.column_index(newname) >= 0)
        raise(sqlstate::kDuplicateColumn, "column \"{}\" of relation \"{}\" already exists", newname, t.name);
      if (t.is_partitioned()) {  // the key names its columns
        json::value spec = json::parse(t.partition_key);
        for (const auto& e : list_field(spec.as_object(), "partParams")) {
          const auto& pe = node_body(e);
          if (str_field(pe, "name") == from || (field(pe, "expr") && mentions_column(json::serialize(*field(pe, "expr")), from)))
            unsupported("renaming a column of a partition key");
        }
      }
      t.columns[static_cast<size_t>(i)].name = newname;
      for (auto& ck : t.checks) ck.expr = rename_column_refs(ck.expr, from, newname);
      cat.put_table(txn, std::move(t));
    };
    if (recurse) {
      for (const auto& [id, parents] : ddl::all_inheritors(cat, table->id)) rename_in(*cat.table(id), parents);
    } else if (!cat.children(table->id).empty()) {
      raise(sqlstate::kInvalidTableDefinition, "inherited column \"{}\" must be renamed in child tables too", from);
    }
    rename_in(*cat.table(table->id), 0);
  } else if (kind == "OBJECT_TABCONSTRAINT") {
    std::string from(str_field(n, "subname"));
    auto rename_in = [&](const catalog::TableDef& table, int expected) {
      catalog::TableDef t = table;
      bool done = false;
      for (uint32_t iid : t.indexes) {
        auto idx = cat.index(iid);
        if (!idx->is_constraint || idx->name != from) continue;
        if (cat.relation_exists(t.schema, newname)) raise(sqlstate::kDuplicateTable, "relation \"{}\" already exists", newname);
        catalog::IndexDef renamed = *idx;
        renamed.name = newname;
        cat.put_index(txn, std::move(renamed));
        done = true;
      }
      for (auto& ck : t.checks) {
        if (ck.name != from) continue;
        if (ck.inhcount > expected) raise(sqlstate::kInvalidTableDefinition, "cannot rename inherited constraint \"{}\"", from);
        for (const auto& other : t.checks)
          if (other.name == newname)
            raise(sqlstate::kDuplicateObject, "constraint \"{}\" for relation \"{}\" already exists", newname, t.name);
        ck.name = newname;
        done = true;
      }
      if (!done) raise(sqlstate::kUndefinedObject, "constraint \"{}\" for table \"{}\" does not exist", from, t.name);
      cat.put_table(txn, std::move(t));
    };
    // An inherited CHECK constraint is renamed in the tables below too.
    auto ck = std::ranges::find_if(table->checks, [&](const catalog::CheckDef& k) { return k.name == from; });
    if (ck != table->checks.end() && !ck->noinherit) {
      if (recurse) {
        for (const auto& [id, parents] : ddl::all_inheritors(cat, table->id)) rename_in(*cat.table(id), parents);
      } else if (!cat.children(table->id).empty()) {
        raise(sqlstate::kInvalidTableDefinition, "inherited constraint \"{}\" must be renamed in child tables too", from);
      }
    }
    rename_in(*cat.table(table->id), 0);
  } else {
    if (cat.relation_exists(rel_schema, newname)) raise(sqlstate::kDuplicateTable, "relation \"{}\" already exists", newname);
    if (table) {
      catalog::TableDef t = *table;
      t.name = newname;
      cat.put_table(txn, std::move(t));
      repoint_views(cat, txn, table->id, table->schema, table->name, table->schema, newname);
    } else if (index) {
      catalog::IndexDef i = *index;
      i.name = newname;
      cat.put_index(txn, std::move(i));
    } else {
      catalog::SequenceDef s = *sequence;
      s.name = newname;
      cat.put_sequence(txn, std::move(s));
    }
  }
  sink.complete(tag, 0);
}

}  // namespace heliosdb::engine
