// CREATE TABLE ... INHERITS (parents), PARTITION BY and PARTITION OF: the columns and
// constraints a table takes from its parents, a partitioned table's key, and a partition's
// bounds (checked against its siblings').
#include <boost/json.hpp>
#include <algorithm>
#include <functional>
#include <tuple>

#include "common/errors.h"
#include "common/key_codec.h"
#include "common/type_io.h"
#include "common/types.h"
#include "engine/ddl.h"
#include "engine/session_impl.h"
#include "executor/functions.h"
#include "executor/table_access.h"
#include "planner/agg_context.h"
#include "planner/binder.h"
#include "storage/store.h"

namespace heliosdb::engine {

namespace json = boost::json;
using sql::field;
using sql::list_field;
using sql::node_body;
using sql::node_type;
using sql::str_field;

namespace {
// A temporary table's partitions are temporary, a permanent one's are not (42809).
void check_partition_persistence(const catalog::TableDef& parent, const catalog::TableDef& part, const char* verb) {
  bool parent_temp = parent.persistence() == 't', part_temp = part.persistence() == 't';
  if (parent_temp != part_temp)
    raise(sqlstate::kWrongObjectType, "cannot {} a {} relation as partition of {} relation \"{}\"", verb,
          part_temp ? "temporary" : "permanent", parent_temp ? "temporary" : "permanent", parent.name);
}

}  // namespace

void DdlExecutor::inherit(catalog::TableDef& t, const json::object& n, planner::Binder& binder, TableElements& el,
                          ResultSink& sink) {
  bool partition_of = field(n, "partbound") != nullptr;
  for (const auto& pv : list_field(n, "inhRelations")) {
    auto parent = binder.lookup_table(node_body(pv), planner::Binder::Use::kRead);
    if (parent->is_view() || parent->is_matview())
      raise(sqlstate::kWrongObjectType, "inherited relation \"{}\" is not a table or foreign table", parent->name);
    if (partition_of && !parent->is_partitioned()) raise(sqlstate::kInvalidObjectDefinition, "\"{}\" is not partitioned", parent->name);
    if (partition_of) check_partition_persistence(*parent, t, "create");
    if (!partition_of && parent->is_partitioned())
      raise(sqlstate::kWrongObjectType, "cannot inherit from partitioned table \"{}\"", parent->name);
    if (!partition_of && parent->is_partition()) raise(sqlstate::kWrongObjectType, "cannot inherit from partition \"{}\"", parent->name);
    if (std::ranges::count(t.parents, parent->id))
      raise(sqlstate::kDuplicateTable, "relation \"{}\" would be inherited from more than once", parent->name);
    t.parents.push_back(parent->id);
    for (const auto& pc : parent->columns) {
      if (int i = t.column_index(pc.name); i >= 0) {
        auto& c = t.columns[static_cast<size_t>(i)];
        send_notice(sink, "00000", fmt::format("merging multiple inherited definitions of column \"{}\"", pc.name));
        if (c.type != pc.type || c.typmod != pc.typmod)
          throw Error(sqlstate::kDatatypeMismatch, fmt::format("inherited column \"{}\" has a type conflict", pc.name))
              .with_detail(fmt::format("{} versus {}", types::format_type(c.type, c.typmod), types::format_type(pc.type, pc.typmod)));
        c.not_null |= pc.not_null;
        ++c.inhcount;
        continue;
      }
      catalog::ColumnDef c;
      c.id = t.next_column_id++;
      c.name = pc.name;
      c.type = pc.type;
      c.typmod = pc.typmod;
      c.domain = pc.domain;
      c.not_null = pc.not_null;
      if (!pc.identity_seq) c.default_expr = pc.default_expr;  // a serial's sequence stays the parent's
      else if (!pc.identity) c.default_expr = pc.default_expr;
      c.generated = pc.generated;
      c.missing = Value::null(c.type);
      c.inhcount = 1;
      c.islocal = false;
      t.columns.push_back(std::move(c));
    }
    for (const auto& ck : parent->checks) {
      if (ck.noinherit) continue;
      auto same = std::ranges::find_if(t.checks, [&](const catalog::CheckDef& k) { return k.name == ck.name; });
      if (same != t.checks.end()) {
        if (!ddl::same_expression(same->expr, ck.expr))
          raise(sqlstate::kDuplicateObject, "check constraint name \"{}\" appears multiple times but with different expressions",
                ck.name);
        ++same->inhcount;
        continue;
      }
      catalog::CheckDef inherited{ck.name, ck.expr, ck.validated};
      inherited.inhcount = 1;
      inherited.islocal = false;
      t.checks.push_back(std::move(inherited));
    }
    if (partition_of) {
      // A partitioned table's primary key and unique constraints hold in each partition.
      for (uint32_t iid : parent->indexes) {
        auto idx = s_.writable_catalog().index(iid);
        if (!idx || !idx->unique || !idx->plain()) continue;
        el.keys.push_back(TableElements::Key{parent->column_names(idx->columns), idx->primary, "", idx->deferrable,
                                             idx->deferred, idx->nulls_not_distinct});
      }
    }
  }
}

// A column definition of CREATE TABLE naming an inherited column: its constraints and default
// join the inherited definition.
void DdlExecutor::merge_column(catalog::TableDef& t, const json::object& e, planner::Binder& binder, TableElements& el,
                               bool partition_of, ResultSink& sink) {
  auto& c = t.columns[static_cast<size_t>(t.column_index(str_field(e, "colname")))];
  if (field(e, "typeName")) {
    if (partition_of) raise(sqlstate::kDuplicateColumn, "column \"{}\" specified more than once", c.name);
    catalog::TableDef scratch;
    scratch.name = t.name;
    scratch.next_column_id = t.next_column_id;
    read_column(scratch, e, binder, el);
    const auto& own = scratch.columns.back();
    send_notice(sink, "00000", fmt::format("merging column \"{}\" with inherited definition", c.name));
    if (own.type != c.type || own.typmod != c.typmod)
      throw Error(sqlstate::kDatatypeMismatch, fmt::format("column \"{}\" has a type conflict", c.name))
          .with_detail(fmt::format("{} versus {}", types::format_type(c.type, c.typmod), types::format_type(own.type, own.typmod)));
    c.not_null |= own.not_null;
    c.islocal = true;
    if (!own.default_expr.empty()) {
      c.default_expr = own.default_expr;
      c.generated = own.generated;
    }
    if (own.identity) unsupported("identity on an inherited column");
    return;
  }
  // PARTITION OF: (name WITH OPTIONS constraints)
  for (const auto& cv : list_field(e, "constraints")) {
    const auto& k = node_body(cv);
    std::string ct(str_field(k, "contype"));
    if (ct == "CONSTR_NOTNULL") c.not_null = true;
    else if (ct == "CONSTR_DEFAULT") c.default_expr = json::serialize(*field(k, "raw_expr"));
    else if (ct == "CONSTR_NULL") {
    } else read_constraint(k, &c.name, el);
  }
}

namespace {

bool is_builtin_hash_opclass(std::string_view name) {
  for (std::string_view n : {"array_ops", "bpchar_ops", "char_ops", "date_ops", "float4_ops", "float8_ops", "inet_ops",
                             "int2_ops", "int4_ops", "int8_ops", "interval_ops", "macaddr_ops", "macaddr8_ops", "name_ops",
                             "numeric_ops", "oid_ops", "oidvector_ops", "record_ops", "text_ops", "time_ops",
                             "timestamptz_ops", "timetz_ops", "timestamp_ops", "bool_ops", "bytea_ops", "xid_ops",
                             "xid8_ops", "cid_ops", "tid_ops", "aclitem_ops", "uuid_ops", "pg_lsn_ops", "enum_ops",
                             "range_ops", "multirange_ops", "jsonb_ops", "bpchar_pattern_ops", "text_pattern_ops",
                             "varchar_ops", "varchar_pattern_ops"})
    if (n == name) return true;
  return false;
}

// A HASH partition key's type needs a default hash operator class (PostgreSQL's 42704 when it has
// none) whose support function is ported (exec::hash_value_extended), or rows would land in other
// partitions than PostgreSQL's.
void check_hash_key_type(uint32_t type) {
  switch (exec::hash_support(type)) {
    case exec::HashSupport::kPorted: return;
    case exec::HashSupport::kNotPorted: unsupported(fmt::format("hash partitioning on type {}", types::format_type(type, -1)));
    case exec::HashSupport::kNone:
      throw Error(sqlstate::kUndefinedObject,
                  fmt::format("data type {} has no default operator class for access method \"hash\"", types::format_type(type, -1)))
          .with_hint("You must specify a hash operator class or define a default hash operator class for the data type.");
  }
}

}  // namespace

void DdlExecutor::set_partition_key(catalog::TableDef& t, const json::object& spec, const TableElements& el,
                                    planner::Binder& binder) {
  std::string strategy(str_field(spec, "strategy"));
  if (strategy != "list" && strategy != "range" && strategy != "hash")
    raise(sqlstate::kInvalidParameterValue, "unrecognized partitioning strategy \"{}\"", strategy);
  const auto& params = list_field(spec, "partParams");
  if (strategy == "list" && params.size() > 1)
    raise(sqlstate::kInvalidObjectDefinition, "cannot use \"list\" partition strategy with more than one column");
  std::vector<std::string> cols;
  for (const auto& p : params) {
    const auto& pe = node_body(p);
    if (strategy == "hash" && !list_field(pe, "opclass").empty()) {
      // Only the built-in operator classes exist (there is no CREATE OPERATOR CLASS).
      std::string opclass(sql::string_node(list_field(pe, "opclass").back()));
      if (!is_builtin_hash_opclass(opclass))
        raise(sqlstate::kUndefinedObject, "operator class \"{}\" does not exist for access method \"hash\"", opclass);
    }
    if (!list_field(pe, "collation").empty() || !list_field(pe, "opclass").empty()) unsupported("partition key collations and operator classes");
    if (const auto* expr = field(pe, "expr")) {
      auto e = binder.bind_stored(json::serialize(*expr), &t);  // 42703 for a column that is not there
      if (planner::expr_is_row_independent(*e)) raise(sqlstate::kInvalidObjectDefinition, "cannot use constant expression as partition key");
      if (strategy == "hash") check_hash_key_type(e->type);
      if (!el.keys.empty())
        raise(sqlstate::kFeatureNotSupported, "unsupported {} constraint with partition key definition",
              el.keys.front().primary ? "PRIMARY KEY" : "UNIQUE");
      continue;
    }
    std::string name(str_field(pe, "name"));
    int i = t.column_index(name);
    if (i < 0) raise(sqlstate::kUndefinedColumn, "column \"{}\" named in partition key does not exist", name);
    uint32_t type = t.columns[static_cast<size_t>(i)].type;
    if (strategy == "hash") check_hash_key_type(type);
    else if (type == oid::kJson)
      raise(sqlstate::kUndefinedObject, "data type {} has no default operator class for access method \"btree\"", types::format_type(type, -1));
    cols.push_back(std::move(name));
  }
  // A unique key must hold across partitions: each partition enforces it only on its rows.
  for (const auto& k : el.keys)
    for (const auto& c : cols)
      if (!std::ranges::count(k.columns, c))
        throw Error(sqlstate::kFeatureNotSupported, "unique constraint on partitioned table must include all partitioning columns")
            .with_detail(fmt::format("{} constraint on table \"{}\" lacks column \"{}\" which is part of the partition key.",
                                     k.primary ? "PRIMARY KEY" : "UNIQUE", t.name, c));
  t.partition_key = json::serialize(spec);
}

namespace {

std::string bound_text(const std::vector<int>& kinds, const std::vector<Value>& values, const types::TextContext& text) {
  std::string out;
  for (size_t i = 0; i < kinds.size(); ++i) {
    if (i) out += ", ";
    out += kinds[i] < 0 ? "MINVALUE" : kinds[i] > 0 ? "MAXVALUE" : values[i].is_null() ? "NULL" : types::format_text(values[i], text);
  }
  return out;
}

struct HashBound {
  int64_t modulus, remainder;
  std::string name;
};

// partbounds.c's check_new_partition_bound for HASH: the moduli, in order, each divide the next;
// and no remainder modulo the greatest modulus is the new partition's and a sibling's both.
void check_hash_bound(const std::string& name, int64_t modulus, int64_t remainder, std::vector<HashBound> siblings) {
  if (siblings.empty()) return;
  std::ranges::sort(siblings, [](const HashBound& x, const HashBound& y) {
    return std::tie(x.modulus, x.remainder) < std::tie(y.modulus, y.remainder);
  });
  auto factor_error = [&](const char* relation, int64_t other, const std::string& holder) {
    throw Error(sqlstate::kInvalidObjectDefinition, "every hash partition modulus must be a factor of the next larger modulus")
        .with_detail(fmt::format("The new modulus {} is {} {}, the modulus of existing partition \"{}\".", modulus, relation,
                                 other, holder));
  };
  // The last sibling whose (modulus, remainder) is at most the new one's.
  auto after = std::ranges::upper_bound(siblings, std::pair{modulus, remainder}, {},
                                        [](const HashBound& x) { return std::pair{x.modulus, x.remainder}; });
  if (after == siblings.begin()) {
    if (siblings.front().modulus % modulus != 0) factor_error("not a factor of", siblings.front().modulus, siblings.front().name);
  } else {
    const auto& prev = *(after - 1);
    if (modulus % prev.modulus != 0) factor_error("not divisible by", prev.modulus, prev.name);
    if (after != siblings.end() && after->modulus % modulus != 0) factor_error("not a factor of", after->modulus, after->name);
  }
  int64_t greatest = siblings.back().modulus;
  std::vector<const HashBound*> holder(static_cast<size_t>(greatest), nullptr);
  for (const auto& sib : siblings)
    for (int64_t r = sib.remainder; r < greatest; r += sib.modulus) holder[static_cast<size_t>(r)] = &sib;
  for (int64_t r = remainder % greatest; r < greatest; r += modulus)
    if (holder[static_cast<size_t>(r)])
      raise(sqlstate::kInvalidObjectDefinition, "partition \"{}\" would overlap partition \"{}\"", name, holder[static_cast<size_t>(r)]->name);
}

}  // namespace

void DdlExecutor::set_partition_bound(catalog::TableDef& t, const json::object& bound, planner::Binder& binder) {
  const auto& parent = *s_.writable_catalog().table(t.parents.at(0));
  json::value key = json::parse(parent.partition_key);
  std::string strategy(str_field(key.as_object(), "strategy"));
  size_t nkeys = list_field(key.as_object(), "partParams").size();
  bool is_default = sql::bool_field(bound, "is_default");
  // Hash partitions cover every row between them: a default partition would have none.
  if (is_default && strategy == "hash")
    raise(sqlstate::kInvalidTableDefinition, "a hash-partitioned table may not have a default partition");
  if (!is_default) {
    std::string_view s = str_field(bound, "strategy");
    if (s.empty() || s[0] != (strategy == "list" ? 'l' : strategy == "hash" ? 'h' : 'r'))
      raise(sqlstate::kInvalidTableDefinition, "invalid bound specification for a {} partition", strategy);
    if (s == "h") {
      if (sql::int_field(bound, "modulus") <= 0)
        raise(sqlstate::kInvalidTableDefinition, "modulus for hash partition must be an integer value greater than zero");
      if (sql::int_field(bound, "remainder") >= sql::int_field(bound, "modulus"))
        raise(sqlstate::kInvalidTableDefinition, "remainder for hash partition must be less than modulus");
    }
    if (s == "r") {
      for (const char* side : {"lowerdatums", "upperdatums"})
        for (const auto& d : list_field(bound, side))
          if (sql::node_type(d) == "A_Const" && sql::bool_field(node_body(d), "isnull"))
            raise(sqlstate::kInvalidObjectDefinition, "cannot specify NULL in range bound");
      if (list_field(bound, "lowerdatums").size() != nkeys)
        raise(sqlstate::kInvalidTableDefinition, "FROM must specify exactly one value per partitioning column");
      if (list_field(bound, "upperdatums").size() != nkeys)
        raise(sqlstate::kInvalidTableDefinition, "TO must specify exactly one value per partitioning column");
    }
  }
  for (const char* datums : {"listdatums", "lowerdatums", "upperdatums"})
    for (const auto& d : list_field(bound, datums)) ddl::check_constant_expression(d, "partition bound");
  t.partition_bound = json::serialize(bound);
  exec::PartitionBound b = binder.partition_bound(t, t);
  const types::TextContext& text = s_.text_context();
  if (b.strategy == 'r') {
    for (const auto* kinds : {&b.lower_kind, &b.upper_kind})
      for (size_t i = 1; i < kinds->size(); ++i)
        if ((*kinds)[i - 1] != 0 && (*kinds)[i] != (*kinds)[i - 1])
          raise(sqlstate::kInvalidTableDefinition, "every bound following {} must also be {}",
                (*kinds)[i - 1] < 0 ? "MINVALUE" : "MAXVALUE", (*kinds)[i - 1] < 0 ? "MINVALUE" : "MAXVALUE");
    if (exec::compare_range_bounds(b.lower_kind, b.lower, b.upper_kind, b.upper) >= 0)
      throw Error(sqlstate::kInvalidObjectDefinition, fmt::format("empty range bound specified for partition \"{}\"", t.name))
          .with_detail(fmt::format("Specified lower bound ({}) is greater than or equal to upper bound ({}).",
                                   bound_text(b.lower_kind, b.lower, text), bound_text(b.upper_kind, b.upper, text)));
  }
  if (b.strategy == 'h') {
    std::vector<HashBound> siblings;
    for (const auto& sib : s_.writable_catalog().children(parent.id)) {
      exec::PartitionBound o = binder.partition_bound(*sib, t);
      siblings.push_back({o.modulus, o.remainder, sib->name});
    }
    check_hash_bound(t.name, b.modulus, b.remainder, siblings);
    return;
  }
  std::shared_ptr<const catalog::TableDef> default_partition;
  for (const auto& sib : s_.writable_catalog().children(parent.id)) {
    exec::PartitionBound o = binder.partition_bound(*sib, t);
    if (!o.strategy) {
      if (is_default)
        raise(sqlstate::kInvalidObjectDefinition, "partition \"{}\" conflicts with existing default partition \"{}\"", t.name, sib->name);
      default_partition = sib;
      continue;
    }
    if (is_default) continue;
    bool overlap = false;
    if (b.strategy == 'l') {
      overlap = b.accepts_null && o.accepts_null;
      for (const auto& v : b.values)
        for (const auto& w : o.values) overlap |= exec::compare_values(v, w) == 0;
    } else {
      overlap = exec::compare_range_bounds(b.lower_kind, b.lower, o.upper_kind, o.upper) < 0 &&
                exec::compare_range_bounds(o.lower_kind, o.lower, b.upper_kind, b.upper) < 0;
    }
    if (overlap) raise(sqlstate::kInvalidObjectDefinition, "partition \"{}\" would overlap partition \"{}\"", t.name, sib->name);
  }
  // Rows of the default partition that the new partition's bounds hold would be in the wrong one.
  if (default_partition && row_bounds(t, default_partition, true, binder))
    throw make_error(sqlstate::kCheckViolation,
                     "updated partition constraint for default partition \"{}\" would be violated by some row",
                     default_partition->name)
        .with_table(default_partition->schema, default_partition->name);
}

std::shared_ptr<const catalog::TableDef> DdlExecutor::row_bounds(const catalog::TableDef& t,
                                                                 std::shared_ptr<const catalog::TableDef> holder,
                                                                 bool held, planner::Binder& binder) {
  if (holder->is_partitioned()) {
    for (auto& c : s_.writable_catalog().children(holder->id))
      if (auto leaf = row_bounds(t, c, held, binder)) return leaf;
    return nullptr;
  }
  exec::PartitionBound bound = binder.partition_bound(t, *holder);
  exec::TableLayout layout(holder);
  Row row;
  for (auto it = s_.txn_->scan(layout.prefix, keys::prefix_successor(layout.prefix)); it->valid(); it->next()) {
    layout.decode(it->value(), row);
    if (bound.holds(row) == held) return holder;
  }
  return nullptr;
}

void DdlExecutor::check_hierarchy_alter(const catalog::TableDef& t, const json::object& alter) {
  catalog::Catalog& cat = s_.writable_catalog();
  bool only = !sql::bool_field(field(alter, "relation")->as_object(), "inh");
  bool has_children = !cat.children(t.id).empty();
  auto inherited = [&](const std::string& col) {
    int i = t.column_index(col);
    return i >= 0 && t.columns[static_cast<size_t>(i)].inhcount > 0;
  };
  auto check = [&](const std::string& con) -> const catalog::CheckDef* {
    for (const auto& k : t.checks)
      if (k.name == con) return &k;
    return nullptr;
  };
  bool has_partitions = t.is_partitioned() && has_children;
  auto only_partitioned = [&](const char* message) {
    throw Error(sqlstate::kInvalidTableDefinition, message).with_hint("Do not specify the ONLY keyword.");
  };
  // The columns partition keys name: of this table's key, and of the keys above it.
  auto key_of = [&](const std::string& col) -> const catalog::TableDef* {
    for (auto p = cat.table(t.id); p; p = p->parents.empty() || !p->is_partition() ? nullptr : cat.table(p->parents[0])) {
      if (!p->is_partitioned()) continue;
      json::value spec = json::parse(p->partition_key);
      for (const auto& e : list_field(spec.as_object(), "partParams"))
        if (str_field(node_body(e), "name") == col) return p.get();
    }
    return nullptr;
  };
  for (const auto& c : list_field(alter, "cmds")) {
    const auto& cmd = node_body(c);
    std::string_view sub = str_field(cmd, "subtype");
    std::string name(str_field(cmd, "name"));
    bool recursing = sql::bool_field(cmd, "recurse");  // the change of a parent, reaching this table
    if (sub == "AT_DropColumn" || sub == "AT_AlterColumnType")
      if (const auto* p = key_of(name))
        raise(sqlstate::kInvalidTableDefinition, "cannot {} column \"{}\" because it is part of the partition key of relation \"{}\"",
              sub == "AT_DropColumn" ? "drop" : "alter", name, p->name);
    if (sub == "AT_AddColumn") {
      if (t.is_partition() && !recursing) raise(sqlstate::kWrongObjectType, "cannot add column to a partition");
      if (only && has_children) raise(sqlstate::kInvalidTableDefinition, "column must be added to child tables too");
    } else if (sub == "AT_DropColumn") {
      if (inherited(name) && !recursing)
        raise(sqlstate::kInvalidTableDefinition, "cannot drop inherited column \"{}\"", name);
      if (only && has_partitions) only_partitioned("cannot drop column from only the partitioned table when partitions exist");
    } else if (sub == "AT_AlterColumnType") {
      if (inherited(name) && !recursing)
        raise(sqlstate::kInvalidTableDefinition, "cannot alter inherited column \"{}\"", name);
      if (only && has_children) raise(sqlstate::kInvalidTableDefinition, "type of inherited column \"{}\" must be changed in child tables too", name);
    } else if (sub == "AT_AddConstraint") {
      // Keys and foreign keys are each table's own (they do not reach the children). A
      // partitioned table's primary key or unique constraint is accepted when every partition
      // already enforces it (what pg_dump's output does: the partitions' keys come first).
      const auto& con = node_body(*field(cmd, "def"));
      std::string_view contype = str_field(con, "contype");
      if (contype == "CONSTR_CHECK" && !sql::bool_field(con, "is_no_inherit") && only && has_children && !recursing) {
        raise(sqlstate::kInvalidTableDefinition, "constraint must be added to child tables too");
      }
      if (contype != "CONSTR_CHECK" && t.is_partitioned()) {
        if (contype != "CONSTR_PRIMARY" && contype != "CONSTR_UNIQUE") unsupported("constraints other than CHECK, PRIMARY KEY and UNIQUE on partitioned tables");
        std::vector<std::string> cols;
        for (const auto& k : list_field(con, "keys")) cols.emplace_back(sql::string_node(k));
        json::value spec = json::parse(t.partition_key);
        for (const auto& e : list_field(spec.as_object(), "partParams"))
          if (!std::ranges::count(cols, std::string(str_field(node_body(e), "name"))))
            raise(sqlstate::kFeatureNotSupported, "unique constraint on partitioned table must include all partitioning columns");
        std::function<bool(const catalog::TableDef&)> enforced = [&](const catalog::TableDef& p) {
          for (const auto& c : cat.children(p.id)) {
            if (c->is_partitioned()) {
              if (!enforced(*c)) return false;
              continue;
            }
            bool found = false;
            for (uint32_t iid : c->indexes)
              if (auto idx = cat.index(iid); idx && idx->unique && idx->plain())
                found |= c->column_names(idx->columns) == cols;
            if (!found) return false;
          }
          return true;
        };
        if (!enforced(t)) unsupported("a primary key or unique constraint on a partitioned table whose partitions lack it");
      }
    } else if (sub == "AT_DropConstraint") {
      const auto* k = check(name);
      if (k && k->inhcount > 0 && !recursing)
        raise(sqlstate::kInvalidTableDefinition, "cannot drop inherited constraint \"{}\" of relation \"{}\"", name, t.name);
      if (k && !k->noinherit && only && has_partitions)
        only_partitioned("cannot remove constraint from only the partitioned table when partitions exist");
    } else if (sub == "AT_ValidateConstraint") {
      const auto* k = check(name);
      if (k && !k->noinherit && only && has_children && !k->validated)
        raise(sqlstate::kInvalidTableDefinition, "constraint must be validated on child tables too");
    } else if (sub == "AT_SetNotNull") {
      if (only && has_partitions && !recursing)
        for (const auto& below : ddl::all_inheritors(cat, t.id)) {
          auto d = cat.table(below.first);
          int i = d->column_index(name);
          if (i >= 0 && !d->columns[static_cast<size_t>(i)].not_null)
            throw Error(sqlstate::kInvalidTableDefinition, "constraint must be added to child tables too")
                .with_detail(fmt::format("Column \"{}\" of relation \"{}\" is not already NOT NULL.", name, d->name))
                .with_hint("Do not specify the ONLY keyword.");
        }
    } else if (sub == "AT_DropNotNull") {
      if (only && has_partitions && !recursing)
        only_partitioned("cannot remove constraint from only the partitioned table when partitions exist");
      if (t.is_partition())
        if (auto p = cat.table(t.parents[0]); p && p->column_index(name) >= 0 &&
                                              p->columns[static_cast<size_t>(p->column_index(name))].not_null)
          raise(sqlstate::kInvalidTableDefinition, "column \"{}\" is marked NOT NULL in parent table", name);
    } else if (sub != "AT_ColumnDefault" && sub != "AT_ChangeOwner" && sub != "AT_AlterConstraint") {
      unsupported("this form of ALTER TABLE on a table with inheritance parents or children");
    }
  }
}

// ALTER TABLE parent ATTACH PARTITION t FOR VALUES ... / DETACH PARTITION t.
void DdlExecutor::attach_partition(const catalog::TableDef& parent, const json::object& cmd, planner::Binder& binder,
                                   ResultSink& sink) {
  catalog::Catalog& cat = s_.writable_catalog();
  const auto& pc = node_body(*field(cmd, "def"));
  auto part = binder.lookup_table(field(pc, "name")->as_object(), planner::Binder::Use::kTable);
  s_.check_owner(part->access, "table", part->name);
  if (!parent.is_partitioned()) raise(sqlstate::kWrongObjectType, "table \"{}\" is not partitioned", parent.name);
  catalog::TableDef t = *part;
  if (str_field(cmd, "subtype") == "AT_DetachPartition") {
    if (sql::bool_field(pc, "concurrent")) {  // here the same as a plain DETACH, but for PostgreSQL's conditions
      if (s_.in_block_ || s_.implicit_block_)
        raise(sqlstate::kActiveSqlTransaction, "ALTER TABLE ... DETACH CONCURRENTLY cannot run inside a transaction block");
      for (const auto& sib : cat.children(parent.id))
        if (sql::bool_field(json::parse(sib->partition_bound).as_object(), "is_default"))
          raise(sqlstate::kObjectNotInPrerequisiteState, "cannot detach partitions concurrently when a default partition exists");
    }
    if (!std::ranges::count(t.parents, parent.id) || !t.is_partition())
      raise(sqlstate::kUndefinedTable, "relation \"{}\" is not a partition of relation \"{}\"", t.name, parent.name);
    t.parents.clear();
    t.partition_bound.clear();
    for (auto& c : t.columns)
      if (parent.column_index(c.name) >= 0 && c.inhcount > 0 && --c.inhcount == 0) c.islocal = true;
    for (auto& ck : t.checks)
      if (std::ranges::any_of(parent.checks, [&](const catalog::CheckDef& p) { return p.name == ck.name; }) && ck.inhcount > 0 &&
          --ck.inhcount == 0)
        ck.islocal = true;
    cat.put_table(*s_.txn_, std::move(t));
    return sink.complete("ALTER TABLE", 0);
  }
  if (t.is_partition()) raise(sqlstate::kWrongObjectType, "\"{}\" is already a partition", t.name);
  if (!t.parents.empty()) raise(sqlstate::kWrongObjectType, "cannot attach inheritance child as partition");
  // A partitioned table with partitions may become a partition (multi-level partitioning).
  if (!t.is_partitioned() && !cat.children(t.id).empty())
    raise(sqlstate::kWrongObjectType, "cannot attach inheritance parent as partition");
  for (auto p = cat.table(parent.id); p; p = p->parents.empty() ? nullptr : cat.table(p->parents[0]))
    if (p->id == t.id)
      throw Error(sqlstate::kDuplicateTable, "circular inheritance not allowed")
          .with_detail(fmt::format("\"{}\" is already a child of \"{}\".", parent.name, t.name));
  for (const auto& pc2 : parent.columns)
    if (t.column_index(pc2.name) < 0)
      raise(sqlstate::kDatatypeMismatch, "child table is missing column \"{}\"", pc2.name);
  for (const auto& c : t.columns) {
    int i = parent.column_index(c.name);
    if (i < 0)
      throw Error(sqlstate::kDatatypeMismatch, fmt::format("table \"{}\" contains column \"{}\" not found in parent \"{}\"", t.name, c.name, parent.name))
          .with_detail("The new partition may contain only the columns present in parent.");
    const auto& p = parent.columns[static_cast<size_t>(i)];
    if (p.type != c.type || p.typmod != c.typmod)
      raise(sqlstate::kDatatypeMismatch, "child table \"{}\" has different type for column \"{}\"", t.name, c.name);
    if (p.not_null && !c.not_null)
      raise(sqlstate::kDatatypeMismatch, "column \"{}\" in child table must be marked NOT NULL", c.name);
  }
  ddl::merge_parent_checks(t, parent, true);
  for (auto& c : t.columns) {
    c.inhcount = 1;
    c.islocal = false;
  }
  // Its columns may be in any order (rows are matched to the parent's by name).
  t.parents = {parent.id};
  check_partition_persistence(parent, t, "attach");
  set_partition_bound(t, field(pc, "bound")->as_object(), binder);
  // Its rows (its leaf partitions', when it is partitioned) must be within the bounds.
  if (auto leaf = row_bounds(t, part, false, binder))
    throw make_error(sqlstate::kCheckViolation, "partition constraint of relation \"{}\" is violated by some row",
                     leaf->name)
        .with_table(leaf->schema, leaf->name);
  cat.put_table(*s_.txn_, std::move(t));
  sink.complete("ALTER TABLE", 0);
}

void DdlExecutor::drop_children(const catalog::TableDef& t, bool cascade, ResultSink& sink, std::vector<uint32_t>& dropping) {
  catalog::Catalog& cat = s_.writable_catalog();
  auto children = cat.children(t.id);
  std::vector<std::string> deps;
  for (const auto& c : children)
    if (!c->is_partition() && !std::ranges::count(dropping, c->id)) deps.push_back("table " + c->name);
  if (!deps.empty() && !cascade) {
    std::string detail;
    for (const auto& d : deps) detail += (detail.empty() ? "" : "\n") + d + " depends on table " + t.name;
    throw Error(sqlstate::kDependentObjectsStillExist, fmt::format("cannot drop table {} because other objects depend on it", t.name))
        .with_detail(detail)
        .with_hint("Use DROP ... CASCADE to drop the dependent objects too.");
  }
  if (!deps.empty()) send_cascade_notice(sink, deps);
  for (const auto& c : children) {
    if (!cat.table(c->id)) continue;
    dropping.push_back(c->id);
    drop_dependent_views(c->id, cascade, "table " + c->name, sink, dropping);
    drop_referencing_keys(c->id, {}, cascade, "table " + c->name, sink, dropping);
    drop_children(*cat.table(c->id), cascade, sink, dropping);
    drop_relation(*cat.table(c->id));
  }
}

}  // namespace heliosdb::engine
