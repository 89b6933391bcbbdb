#include "engine/ddl.h"

#include <algorithm>
#include <cctype>
#include <boost/json.hpp>
#include <functional>

#include "common/errors.h"
#include "common/key_codec.h"
#include "common/types.h"
#include "engine/session_impl.h"
#include "executor/operator.h"
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
using sql::string_node;

void send_notice(ResultSink& sink, const char* state, std::string message) {
  Error notice(state, std::move(message));
  notice.with_severity("NOTICE");
  sink.notice(notice);
}

void send_cascade_notice(ResultSink& sink, const std::vector<std::string>& objects) {
  if (objects.size() == 1) return send_notice(sink, sqlstate::kSuccessfulCompletion, "drop cascades to " + objects[0]);
  std::string lines;
  for (const auto& o : objects) lines += (lines.empty() ? "" : "\n") + ("drop cascades to " + o);
  Error notice(sqlstate::kSuccessfulCompletion, fmt::format("drop cascades to {} other objects", objects.size()));
  notice.with_severity("NOTICE");
  notice.with_detail(lines);
  sink.notice(notice);
}

namespace {

int64_t def_int(const json::object& d);

}  // namespace

namespace ddl {

std::string schema_of(const json::object& rv, const catalog::Catalog& cat) {
  std::string s(str_field(rv, "schemaname"));
  if (s.empty() || s == "pg_temp" || s == catalog::temp_schema()) return s;
  if (s == "pg_catalog" || s == "information_schema")
    raise(sqlstate::kInsufficientPrivilege, "permission denied to create \"{}.{}\"", s, str_field(rv, "relname"));
  if (cat.schema_oid(s)) return s;
  raise(sqlstate::kInvalidSchemaName, "schema \"{}\" does not exist", s);
}

std::string choose_name(const catalog::Catalog& cat, const std::string& schema, std::string base) {
  if (base.size() > 63) base.resize(63);
  if (!cat.relation_exists(schema, base)) return base;
  for (int i = 1;; ++i) {
    std::string n = base + std::to_string(i);
    if (!cat.relation_exists(schema, n)) return n;
  }
}

}  // namespace ddl

namespace {

int64_t def_int(const json::object& d) {
  const json::value* a = field(d, "arg");
  if (!a) raise(sqlstate::kSyntaxError, "{} requires a numeric value", str_field(d, "defname"));
  std::string_view t = node_type(*a);
  if (t == "Integer") return sql::int_field(node_body(*a), "ival");
  if (t == "Float") {
    std::string s(str_field(node_body(*a), "fval"));
    try {
      return std::stoll(s);
    } catch (...) {
      raise(sqlstate::kNumericValueOutOfRange, "value \"{}\" is out of range for type bigint", s);
    }
  }
  raise(sqlstate::kSyntaxError, "{} requires a numeric value", str_field(d, "defname"));
}

}  // namespace

namespace ddl {

void apply_sequence_options(catalog::SequenceDef& seq, const json::array& options, bool creating,
                            planner::Binder& binder, std::string* owned_by_table, std::string* owned_by_col) {
  bool have_min = false, have_max = false, have_start = false;
  bool min_option = false, max_option = false;  // given, perhaps as NO MINVALUE / NO MAXVALUE
  const uint32_t old_type = seq.type;
  bool restart = false;
  int64_t restart_value = 0;
  (void)restart_value;
  for (const auto& o : options) {
    const auto& d = node_body(o);
    std::string name(str_field(d, "defname"));
    if (name == "increment") seq.increment = def_int(d);
    else if (name == "minvalue") {
      min_option = true;
      if (field(d, "arg")) { seq.min = def_int(d); have_min = true; }
    } else if (name == "maxvalue") {
      max_option = true;
      if (field(d, "arg")) { seq.max = def_int(d); have_max = true; }
    } else if (name == "start") { seq.start = def_int(d); have_start = true; }
    else if (name == "restart") { restart = true; }
    else if (name == "cache") {
      seq.cache = def_int(d);
      if (seq.cache <= 0) raise(sqlstate::kInvalidParameterValue, "CACHE ({}) must be greater than zero", seq.cache);
    } else if (name == "cycle") {
      // CYCLE is {"Boolean":{"boolval":true}}; NO CYCLE an empty Boolean.
      seq.cycle = !field(d, "arg") || sql::bool_field(node_body(*field(d, "arg")), "boolval");
    } else if (name == "as") {
      uint32_t t = binder.resolve_type(node_body(*field(d, "arg"))).first;
      if (t != oid::kInt2 && t != oid::kInt4 && t != oid::kInt8)
        raise(sqlstate::kInvalidParameterValue, "sequence type must be smallint, integer, or bigint");
      seq.type = t;
    } else if (name == "owned_by") {
      const auto& items = list_field(node_body(*field(d, "arg")), "items");
      if (items.size() == 1 && string_node(items[0]) == "none") continue;
      if (items.size() < 2) raise(sqlstate::kSyntaxError, "invalid OWNED BY option");
      if (owned_by_table) *owned_by_table = std::string(string_node(items[items.size() - 2]));
      if (owned_by_col) *owned_by_col = std::string(string_node(items.back()));
    } else if (name == "sequence_name") {
    } else {
      unsupported(fmt::format("sequence option {}", name));
    }
  }
  if (seq.increment == 0) raise(sqlstate::kInvalidParameterValue, "INCREMENT must not be zero");
  auto type_max = [](uint32_t t) -> int64_t { return t == oid::kInt2 ? INT16_MAX : t == oid::kInt4 ? INT32_MAX : INT64_MAX; };
  auto type_min = [](uint32_t t) -> int64_t { return t == oid::kInt2 ? INT16_MIN : t == oid::kInt4 ? INT32_MIN : INT64_MIN; };
  // As sequence.c's init_params: a new type moves a bound that was the old type's limit to the
  // new type's; NO MINVALUE / NO MAXVALUE go back to the default; then both must fit the type.
  bool reset_max = !creating && seq.type != old_type && seq.max == type_max(old_type);
  bool reset_min = !creating && seq.type != old_type && seq.min == type_min(old_type);
  if (!have_max && (creating || max_option || reset_max)) seq.max = seq.increment > 0 || reset_max ? type_max(seq.type) : -1;
  if (seq.max < type_min(seq.type) || seq.max > type_max(seq.type))
    raise(sqlstate::kInvalidParameterValue, "MAXVALUE ({}) is out of range for sequence data type {}", seq.max, types::format_type(seq.type, -1));
  if (!have_min && (creating || min_option || reset_min)) seq.min = seq.increment < 0 || reset_min ? type_min(seq.type) : 1;
  if (seq.min < type_min(seq.type) || seq.min > type_max(seq.type))
    raise(sqlstate::kInvalidParameterValue, "MINVALUE ({}) is out of range for sequence data type {}", seq.min, types::format_type(seq.type, -1));
  if (creating && !have_start) seq.start = seq.increment > 0 ? seq.min : seq.max;
  if (seq.min >= seq.max)
    raise(sqlstate::kInvalidParameterValue, "MINVALUE ({}) must be less than MAXVALUE ({})", seq.min, seq.max);
  if (seq.start < seq.min)
    raise(sqlstate::kInvalidParameterValue, "START value ({}) cannot be less than MINVALUE ({})", seq.start, seq.min);
  if (seq.start > seq.max)
    raise(sqlstate::kInvalidParameterValue, "START value ({}) cannot be greater than MAXVALUE ({})", seq.start, seq.max);
  (void)restart;
}

// By id, so neither the search path nor the case of the name can make it reach another sequence.
std::string stored_default(const json::value& expr, const catalog::Catalog& cat) {
  json::value out = expr;
  std::function<void(json::value&)> walk = [&](json::value& v) {
    if (v.is_array()) {
      for (auto& x : v.as_array()) walk(x);
      return;
    }
    if (!v.is_object()) return;
    if (auto* fc = v.as_object().if_contains("FuncCall")) {
      auto& f = fc->as_object();
      std::string fn;
      for (const auto& s : sql::list_field(f, "funcname")) fn = std::string(sql::string_node(s));
      auto* args = f.if_contains("args");
      if ((fn == "nextval" || fn == "currval" || fn == "setval") && args && args->is_array() && !args->as_array().empty()) {
        json::value& first = args->as_array()[0];
        const json::value* lit = &first;
        if (node_type(first) == "TypeCast") {  // 'sq'::regclass
          const auto& tc = node_body(first);
          std::string type;
          for (const auto& s : sql::list_field(field(tc, "typeName")->as_object(), "names")) type = std::string(sql::string_node(s));
          lit = type == "regclass" ? field(tc, "arg") : nullptr;
        }
        const json::value* sval = lit && node_type(*lit) == "A_Const" ? field(node_body(*lit), "sval") : nullptr;
        if (sval) {
          // regclassin's name syntax: dot-separated parts, "quoted" kept as written, others lower-cased.
          std::string text(str_field(sval->as_object(), "sval"));
          std::vector<std::string> parts(1);
          bool quoted = false;
          for (size_t i = 0; i < text.size(); ++i) {
            char c = text[i];
            if (c == '"') {
              if (quoted && i + 1 < text.size() && text[i + 1] == '"') parts.back() += text[++i];
              else quoted = !quoted;
            } else if (c == '.' && !quoted) {
              parts.emplace_back();
            } else {
              parts.back() += quoted ? c : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            }
          }
          if (parts.size() <= 2) {
            std::string schema = parts.size() == 2 ? parts[0] : "", name = parts.back();
            auto seq = cat.sequence(schema, name);
            if (!seq && cat.table(schema, name)) return;  // not a sequence: nextval's own error when it runs
            if (!seq) raise(sqlstate::kUndefinedTable, "relation \"{}\" does not exist", text);
            json::value bound = json::parse(nextval_json(seq->id));
            first = bound.as_object()["FuncCall"].as_object()["args"].as_array()[0];
          }
        }
      }
    }
    for (auto& kv : v.as_object()) walk(kv.value());
  };
  walk(out);
  return json::serialize(out);
}

void check_column_type(const std::string& column, uint32_t type) {
  if (types::is_pseudo(type))
    raise(sqlstate::kInvalidTableDefinition, "column \"{}\" has pseudo-type {}", column, types::format_type(type, -1));
}

bool default_uses_sequence(const std::string& default_expr, uint32_t seq_id) {
  if (default_expr.find("regclass") == std::string::npos) return false;
  std::function<bool(const json::value&)> uses = [&](const json::value& v) {
    if (v.is_array()) return std::ranges::any_of(v.as_array(), uses);
    if (!v.is_object()) return false;
    if (const auto* tc = v.as_object().if_contains("TypeCast"); tc && tc->is_object()) {
      std::string type;
      for (const auto& s : sql::list_field(field(tc->as_object(), "typeName")->as_object(), "names")) type = std::string(sql::string_node(s));
      const json::value* arg = tc->as_object().if_contains("arg");
      if (type == "regclass" && arg && node_type(*arg) == "A_Const")
        if (const auto* i = node_body(*arg).if_contains("ival"))
          return i->is_object() && i->as_object().contains("ival") && i->as_object().at("ival").to_number<int64_t>() == seq_id;
    }
    return std::ranges::any_of(v.as_object(), [&](const auto& kv) { return uses(kv.value()); });
  };
  return uses(json::parse(default_expr));
}

std::string nextval_json(uint32_t seq_id) {
  json::value oid_arg = {{"TypeCast",
                          {{"arg", {{"A_Const", {{"ival", {{"ival", seq_id}}}, {"location", -1}}}}},
                           {"typeName", {{"names", json::array{json::value{{"String", {{"sval", "regclass"}}}}}},
                                         {"typemod", -1},
                                         {"location", -1}}},
                           {"location", -1}}}};
  json::value v = {{"FuncCall",
                    {{"funcname", json::array{json::value{{"String", {{"sval", "nextval"}}}}}},
                     {"args", json::array{oid_arg}},
                     {"location", -1}}}};
  return json::serialize(v);
}

void for_each_range_var(json::value& v, const std::function<void(json::object&)>& f) {
  if (v.is_array()) {
    for (auto& x : v.as_array()) for_each_range_var(x, f);
  } else if (v.is_object()) {
    if (auto* rv = v.as_object().if_contains("RangeVar")) return f(rv->as_object());
    for (auto& kv : v.as_object()) for_each_range_var(kv.value(), f);
  }
}

void repoint_views(catalog::Catalog& cat, storage::Transaction& txn, uint32_t table_id, const std::string& schema,
                   const std::string& name, const std::string& new_schema, const std::string& new_name) {
  for (const auto& [vid, v] : cat.tables()) {
    if (!v->is_view() || !std::ranges::count(v->view_depends, table_id)) continue;
    json::value q = json::parse(v->view_query);
    for_each_range_var(q, [&](json::object& r) {
      if (str_field(r, "schemaname") != schema || str_field(r, "relname") != name) return;
      r["schemaname"] = new_schema;
      r["relname"] = new_name;
    });
    catalog::TableDef vd = *v;
    vd.view_query = json::serialize(q);
    cat.put_table(txn, std::move(vd));
  }
}

void check_constant_expression(const json::value& expr, std::string_view where) {
  bool is_default = where == "DEFAULT expression";
  std::string plural = is_default ? "DEFAULT expressions" : std::string(where);
  std::function<void(const json::value&)> walk = [&](const json::value& v) {
    if (v.is_array()) {
      for (const auto& x : v.as_array()) walk(x);
      return;
    }
    if (!v.is_object()) return;
    const auto& o = v.as_object();
    if (o.contains("ColumnRef"))
      raise(sqlstate::kFeatureNotSupported, "cannot use column reference in {}", is_default ? where : "partition bound expression");
    if (o.contains("SubLink")) raise(sqlstate::kFeatureNotSupported, "cannot use subquery in {}", where);
    if (const auto* fc = o.if_contains("FuncCall")) {
      const auto& f = fc->as_object();
      walk(f.contains("args") ? f.at("args") : json::value());
      std::string name;
      for (const auto& s : sql::list_field(f, "funcname")) name = std::string(sql::string_node(s));
      if (f.contains("over")) raise(sqlstate::kWindowingError, "window functions are not allowed in {}", plural);
      if (exec::is_aggregate(name) || sql::bool_field(f, "agg_star"))
        raise(sqlstate::kGroupingError, "aggregate functions are not allowed in {}", plural);
      static constexpr std::string_view kSets[] = {"generate_series", "generate_subscripts", "unnest", "regexp_matches",
                                                   "regexp_split_to_table", "json_each", "jsonb_each", "json_array_elements",
                                                   "jsonb_array_elements", "json_object_keys", "jsonb_object_keys"};
      if (std::ranges::find(kSets, name) != std::end(kSets))
        raise(sqlstate::kFeatureNotSupported, "set-returning functions are not allowed in {}", plural);
      return;
    }
    for (const auto& kv : o) walk(kv.value());
  };
  // A bare MINVALUE / MAXVALUE (a range bound) parses as a column reference.
  if (!is_default && sql::node_type(expr) == "ColumnRef") {
    const auto& fields = sql::list_field(sql::node_body(expr), "fields");
    if (fields.size() == 1 && sql::node_type(fields[0]) == "String") {
      std::string_view s = sql::string_node(fields[0]);
      if (s == "minvalue" || s == "maxvalue") return;
    }
  }
  walk(expr);
}

// FigureIndexColname: the expression's output-column name, "expr" when it has none.
std::string index_expression_name(const json::value& expr) {
  std::string name = planner::figure_colname(expr);
  return name == "?column?" ? "expr" : name;
}

}  // namespace ddl

using namespace ddl;

void DdlExecutor::run(std::string_view type, const json::object& n, ResultSink& sink) {
  if (type == "CreateStmt") return create_table(n, sink);
  if (type == "CreateTableAsStmt") return create_table_as(n, sink);
  if (type == "IndexStmt") return create_index(n, sink);
  if (type == "CreateSeqStmt") return create_sequence(n, sink);
  if (type == "AlterSeqStmt") return alter_sequence(n, sink);
  if (type == "DropStmt") return drop(n, sink);
  if (type == "TruncateStmt") return truncate(n, sink);
  if ((type == "AlterTableStmt" && str_field(n, "objtype") == "OBJECT_TYPE") ||
      (type == "RenameStmt" && str_field(n, "renameType") == "OBJECT_ATTRIBUTE"))
    return alter_composite(n, sink);
  if (type == "AlterTableStmt") return alter_table(n, sink);
  if (type == "RenameStmt" && str_field(n, "renameType") == "OBJECT_ROLE") return rename_role(n, sink);
  if (type == "RenameStmt" && (str_field(n, "renameType") == "OBJECT_TYPE" || str_field(n, "renameType") == "OBJECT_DOMAIN"))
    return rename_type(n, sink);
  if (type == "RenameStmt" && str_field(n, "renameType") == "OBJECT_RULE") return rename_rule(n, sink);
  if (type == "RenameStmt") return rename(n, sink);
  if (type == "CreateRoleStmt") return create_role(n, sink);
  if (type == "AlterRoleStmt") return alter_role(n, sink);
  if (type == "AlterRoleSetStmt") return alter_role_set(n, sink);
  if (type == "DropRoleStmt") return drop_roles(n, sink);
  if (type == "GrantRoleStmt") return grant_role(n, sink);
  if (type == "GrantStmt") return grant(n, sink);
  if (type == "DropOwnedStmt") return owned(n, false, sink);
  if (type == "ReassignOwnedStmt") return owned(n, true, sink);
  if (type == "CreateSchemaStmt") return create_schema(n, sink);
  if (type == "CreateExtensionStmt") return create_extension(n, sink);
  if (type == "CommentStmt") return comment(n, sink);
  if (type == "ViewStmt") return create_view(n, sink);
  if (type == "CreateEnumStmt") return create_enum(n, sink);
  if (type == "CompositeTypeStmt") return create_composite(n, sink);
  if (type == "CreateFunctionStmt") return create_function(n, sink);
  if (type == "AlterFunctionStmt") return alter_function(n, sink);
  if (type == "DefineStmt" && str_field(n, "kind") == "OBJECT_AGGREGATE") return create_aggregate(n, sink);
  if (type == "RefreshMatViewStmt") return refresh_matview(n, sink);
  if (type == "CreateTrigStmt") return create_trigger(n, sink);
  if (type == "RuleStmt") return create_rule(n, sink);
  if (type == "AlterEnumStmt") return alter_enum(n, sink);
  if (type == "CreateDomainStmt") return create_domain(n, sink);
  if (type == "AlterDomainStmt") return alter_domain(n, sink);
  if (type == "AlterOwnerStmt") return alter_type_owner(n, sink);
  if (type == "AlterObjectSchemaStmt") return alter_object_schema(n, sink);
  unsupported(fmt::format("statement {}", type));
}

// Where CREATE puts a relation: the session's temporary schema for TEMP (or pg_temp.x), else the
// schema named, else the first schema of the search path.
std::string DdlExecutor::creation_schema(const json::object& rv) {
  std::string s = schema_of(rv, s_.writable_catalog());
  bool temp = str_field(rv, "relpersistence") == "t";
  if (temp && !s.empty() && s != "pg_temp" && s != catalog::temp_schema())
    raise(sqlstate::kInvalidTableDefinition, "cannot create temporary relation in non-temporary schema");
  if (str_field(rv, "relpersistence") == "u" && (s == "pg_temp" || (!s.empty() && s == catalog::temp_schema())))
    raise(sqlstate::kInvalidTableDefinition, "only temporary relations may be created in temporary schemas");
  if (temp || s == "pg_temp" || (!s.empty() && s == catalog::temp_schema())) return s_.temp_schema();
  if (s.empty()) s = s_.writable_catalog().creation_schema();
  if (s.empty()) raise(sqlstate::kInvalidSchemaName, "no schema has been selected to create in");
  if (s_.writable_catalog().schema_oid(s)) s_.check_schema_privilege(s, catalog::kCreate);
  return s;
}

bool DdlExecutor::skip_existing(const catalog::Catalog& cat, const std::string& schema, const std::string& name,
                                bool if_not_exists, const char* tag, ResultSink& sink) {
  if (!cat.relation_exists(schema, name)) return false;
  if (!if_not_exists) raise(sqlstate::kDuplicateTable, "relation \"{}\" already exists", name);
  send_notice(sink, sqlstate::kDuplicateTable, fmt::format("relation \"{}\" already exists, skipping", name));
  sink.complete(tag, 0);
  return true;
}

void DdlExecutor::build_index(uint32_t index_id) {
  catalog::Catalog& cat = s_.writable_catalog();
  auto table = cat.table(cat.index(index_id)->table_id);
  exec::TableWriter writer(table, cat);
  planner::Binder(cat, sql_, {}, &s_.text_context()).prepare_writer(writer, *table);
  exec::ExecContext ctx = s_.make_context(nullptr);
  writer.build_index(ctx, index_id);
}

void DdlExecutor::create_index(const json::object& n, ResultSink& sink) {
  const auto& rv = field(n, "relation")->as_object();
  catalog::Catalog& cat = s_.writable_catalog();
  planner::Binder binder(cat, sql_, {}, &s_.text_context());
  auto table = binder.lookup_table(rv);
  s_.check_owner(table->access, "table", table->name);
  std::string am(str_field(n, "accessMethod"));
  if (am != "btree" && am != "hash") unsupported(fmt::format("access method \"{}\"", am));
  if (!list_field(n, "indexIncludingParams").empty()) unsupported("INCLUDE columns");
  // CONCURRENTLY builds the index as a plain CREATE INDEX does, but only where PostgreSQL allows it.
  if (sql::bool_field(n, "concurrent") && (s_.in_block_ || s_.implicit_block_))
    raise(sqlstate::kActiveSqlTransaction, "CREATE INDEX CONCURRENTLY cannot run inside a transaction block");
  std::vector<uint32_t> ids;
  std::vector<std::string> exprs;
  std::string joined;
  // An expression key or WHERE: over the table's columns, immutable, no aggregates or subqueries.
  auto check_expression = [&](const json::value& e, const char* what) {
    if (planner::contains_aggregate(e)) raise(sqlstate::kGroupingError, "aggregate functions are not allowed in {}", what);
    std::string text = json::serialize(e);
    if (text.find("\"SubLink\"") != std::string::npos) raise(sqlstate::kFeatureNotSupported, "cannot use subquery in {}", what);
    auto bound = binder.bind_stored(text, table.get());
    if (what == std::string_view("index expressions")) ddl::check_column_type(index_expression_name(e), bound->type);
    return text;
  };
  std::vector<int16_t> options;
  for (const auto& p : list_field(n, "indexParams")) {
    const auto& e = node_body(p);
    // DESC (NULLS FIRST unless said otherwise), NULLS FIRST / LAST: kept for the catalog.
    bool desc = str_field(e, "ordering") == "SORTBY_DESC";
    std::string_view nulls = str_field(e, "nulls_ordering");
    bool nulls_first = nulls == "SORTBY_NULLS_FIRST" || (desc && nulls != "SORTBY_NULLS_LAST");
    options.push_back(static_cast<int16_t>((desc ? catalog::kIndexDesc : 0) | (nulls_first ? catalog::kIndexNullsFirst : 0)));
    if (const auto* x = field(e, "expr")) {
      ids.push_back(0);
      exprs.resize(ids.size());
      exprs.back() = check_expression(*x, "index expressions");
      joined += "_" + index_expression_name(*x);
      continue;
    }
    std::string cn(str_field(e, "name"));
    int idx = table->column_index(cn);
    if (idx < 0) raise(sqlstate::kUndefinedColumn, "column \"{}\" does not exist", cn);
    // The pattern operator classes (Django's indexes for LIKE 'x%') order text bytewise, as
    // every text index here does; other operator classes are not there.
    for (const auto& oc : list_field(e, "opclass")) {
      std::string_view name = string_node(oc);
      if (!name.ends_with("_pattern_ops") && name != "text_ops" && name != "varchar_ops" && name != "int4_ops" &&
          name != "int8_ops")
        unsupported(fmt::format("operator class \"{}\"", name));
    }
    ids.push_back(table->columns[static_cast<size_t>(idx)].id);
    joined += "_" + cn;
  }
  // A unique index of a partitioned table holds across partitions only with the partition key in it.
  if (table->is_partitioned() && sql::bool_field(n, "unique")) {
    json::value spec = json::parse(table->partition_key);
    for (const auto& pe : list_field(spec.as_object(), "partParams")) {
      const auto& key = node_body(pe);
      if (field(key, "expr")) unsupported("unsupported UNIQUE constraint with partition key definition");
      int col = table->column_index(str_field(key, "name"));
      if (col >= 0 && !std::ranges::count(ids, table->columns[static_cast<size_t>(col)].id))
        throw Error(sqlstate::kFeatureNotSupported, "unique constraint on partitioned table must include all partitioning columns")
            .with_detail(fmt::format("UNIQUE constraint on table \"{}\" lacks column \"{}\" which is part of the partition key.",
                                     table->name, str_field(key, "name")));
    }
  }
  std::string name(str_field(n, "idxname"));
  if (!name.empty() && skip_existing(cat, table->schema, name, sql::bool_field(n, "if_not_exists"), "CREATE INDEX", sink)) return;
  catalog::IndexDef idx;
  idx.id = cat.allocate_id(*s_.txn_);
  idx.name = name.empty() ? choose_name(cat, table->schema, table->name + joined + "_idx") : name;
  idx.table_id = table->id;
  idx.columns = ids;
  if (!exprs.empty()) {
    exprs.resize(ids.size());
    idx.exprs = exprs;
  }
  if (const auto* w = field(n, "whereClause")) idx.predicate = check_expression(*w, "index predicates");
  idx.unique = sql::bool_field(n, "unique");
  idx.nulls_not_distinct = sql::bool_field(n, "nulls_not_distinct");
  if (std::ranges::any_of(options, [](int16_t o) { return o != 0; })) idx.options = options;
  catalog::TableDef t = *table;
  t.indexes.push_back(idx.id);
  cat.put_index(*s_.txn_, idx);
  cat.put_table(*s_.txn_, std::move(t));
  build_index(idx.id);
  // A partitioned table stores no rows: each of its partitions gets the index too (named after
  // the partition), as PostgreSQL's DefineIndex does.
  if (table->is_partitioned())
    for (const auto& part : cat.children(table->id)) {
      if (!part->is_partition()) continue;
      json::object child = n;
      json::object crv = rv;
      crv["schemaname"] = part->schema;
      crv["relname"] = part->name;
      child["relation"] = crv;
      child.erase("idxname");
      child.erase("if_not_exists");
      DiscardSink quiet(&sink);
      create_index(child, quiet);
    }
  sink.complete("CREATE INDEX", 0);
}

void DdlExecutor::create_sequence(const json::object& n, ResultSink& sink) {
  const auto& rv = field(n, "sequence")->as_object();
  std::string schema = creation_schema(rv);
  std::string name(str_field(rv, "relname"));
  catalog::Catalog& cat = s_.writable_catalog();
  if (skip_existing(cat, schema, name, sql::bool_field(n, "if_not_exists"), "CREATE SEQUENCE", sink)) return;
  planner::Binder binder(cat, sql_, {}, &s_.text_context());
  catalog::SequenceDef seq;
  seq.schema = schema;
  seq.name = name;
  seq.access.owner = s_.current_role_oid();
  std::string owner_table, owner_col;
  apply_sequence_options(seq, list_field(n, "options"), true, binder, &owner_table, &owner_col);
  if (!owner_table.empty()) {
    auto t = cat.table(schema, owner_table);
    if (!t) raise(sqlstate::kUndefinedTable, "relation \"{}\" does not exist", owner_table);
    int ci = t->column_index(owner_col);
    if (ci < 0) raise(sqlstate::kUndefinedColumn, "column \"{}\" of relation \"{}\" does not exist", owner_col, owner_table);
    seq.owner_table = t->id;
    seq.owner_column = t->columns[static_cast<size_t>(ci)].id;
  }
  seq.id = cat.allocate_id(*s_.txn_);
  s_.db().reset_sequence(seq.id);
  cat.put_sequence(*s_.txn_, seq);
  sink.complete("CREATE SEQUENCE", 0);
}

void DdlExecutor::check_on_commit(std::string_view on_commit, const std::string& schema) {
  if (!on_commit.empty() && on_commit != "ONCOMMIT_NOOP" && !schema.starts_with("pg_temp"))
    raise(sqlstate::kInvalidTableDefinition, "ON COMMIT can only be used on temporary tables");
}

void DdlExecutor::add_on_commit(std::string_view on_commit, const catalog::TableDef& t) {
  if (on_commit == "ONCOMMIT_DROP" || on_commit == "ONCOMMIT_DELETE_ROWS") s_.add_on_commit_action(t, on_commit == "ONCOMMIT_DROP");
}

void DdlExecutor::alter_sequence(const json::object& n, ResultSink& sink) {
  const auto& rv = field(n, "sequence")->as_object();
  catalog::Catalog& cat = s_.writable_catalog();
  auto existing = cat.sequence(schema_of(rv, cat), std::string(str_field(rv, "relname")));
  if (!existing) {
    if (sql::bool_field(n, "missing_ok")) {
      sink.complete("ALTER SEQUENCE", 0);
      return;
    }
    raise(sqlstate::kUndefinedTable, "relation \"{}\" does not exist", str_field(rv, "relname"));
  }
  s_.check_owner(existing->access, "sequence", existing->name);
  alter_sequence_options(*existing, list_field(n, "options"));
  sink.complete("ALTER SEQUENCE", 0);
}

void DdlExecutor::alter_sequence_options(catalog::SequenceDef seq, const json::array& options) {
  catalog::Catalog& cat = s_.writable_catalog();
  planner::Binder binder(cat, sql_, {}, &s_.text_context());
  std::string owner_table, owner_col;
  apply_sequence_options(seq, options, false, binder, &owner_table, &owner_col);
  for (const auto& o : options) {
    const auto& d = node_body(o);
    if (str_field(d, "defname") == "restart") {
      int64_t v = field(d, "arg") ? def_int(d) : seq.start;
      s_.db().setval(seq, v, false);
    }
  }
  cat.put_sequence(*s_.txn_, seq);
}

void DdlExecutor::delete_range(const std::string& prefix) {
  auto it = s_.txn_->scan(prefix, keys::prefix_successor(prefix));
  std::vector<std::string> keys;
  for (; it->valid(); it->next()) keys.emplace_back(it->key());
  for (const auto& k : keys) s_.txn_->del(k);
}

void DdlExecutor::drop(const json::object& n, ResultSink& sink) {
  std::string kind(str_field(n, "removeType"));
  bool missing_ok = sql::bool_field(n, "missing_ok");
  catalog::Catalog& cat = s_.writable_catalog();
  if (kind == "OBJECT_SCHEMA") return drop_schemas(n, sink);
  if (kind == "OBJECT_EXTENSION") return drop_extensions(n, sink);
  if (kind == "OBJECT_TYPE" || kind == "OBJECT_DOMAIN") return drop_types(n, sink);
  if (kind == "OBJECT_FUNCTION" || kind == "OBJECT_AGGREGATE" || kind == "OBJECT_PROCEDURE" || kind == "OBJECT_ROUTINE")
    return drop_functions(n, sink);
  if (kind == "OBJECT_TRIGGER") return drop_triggers(n, sink);
  if (kind == "OBJECT_RULE") return drop_rules(n, sink);
  const char* tag = kind == "OBJECT_TABLE" ? "DROP TABLE" : kind == "OBJECT_INDEX" ? "DROP INDEX"
                    : kind == "OBJECT_SEQUENCE" ? "DROP SEQUENCE" : kind == "OBJECT_VIEW" ? "DROP VIEW"
                    : kind == "OBJECT_MATVIEW" ? "DROP MATERIALIZED VIEW" : nullptr;
  if (!tag) unsupported(fmt::format("DROP of {}", kind));
  const char* what = kind == "OBJECT_TABLE" ? "table" : kind == "OBJECT_INDEX" ? "index" : kind == "OBJECT_VIEW" ? "view"
                     : kind == "OBJECT_MATVIEW" ? "materialized view" : "sequence";
  bool cascade = str_field(n, "behavior") == "DROP_CASCADE";
  if (sql::bool_field(n, "concurrent")) {  // DROP INDEX CONCURRENTLY: a plain DROP INDEX, where PostgreSQL allows it
    if (list_field(n, "objects").size() > 1) raise(sqlstate::kFeatureNotSupported, "DROP INDEX CONCURRENTLY does not support dropping multiple objects");
    if (cascade) raise(sqlstate::kFeatureNotSupported, "DROP INDEX CONCURRENTLY does not support CASCADE");
    if (s_.in_block_ || s_.implicit_block_)
      raise(sqlstate::kActiveSqlTransaction, "DROP INDEX CONCURRENTLY cannot run inside a transaction block");
  }
  std::vector<uint32_t> dropping;  // the relations this statement drops: what depends on them goes with them
  bool relation = kind == "OBJECT_TABLE" || kind == "OBJECT_VIEW" || kind == "OBJECT_MATVIEW";
  // Which of table, view and materialized view a relation is, as DROP names them.
  auto kind_of = [](const catalog::TableDef& t) {
    return t.is_view() ? std::string("OBJECT_VIEW") : t.is_matview() ? std::string("OBJECT_MATVIEW") : std::string("OBJECT_TABLE");
  };
  if (relation)
    for (const auto& obj : list_field(n, "objects")) {
      const auto& items = list_field(node_body(obj), "items");
      auto t = cat.table(items.size() > 1 ? std::string(string_node(items[items.size() - 2])) : "", std::string(string_node(items.back())));
      if (!t) continue;
      s_.check_not_in_use(t->id, tag, t->name);
      dropping.push_back(t->id);
    }
  for (const auto& obj : list_field(n, "objects")) {
    const auto& items = list_field(node_body(obj), "items");
    std::string name(string_node(items.back()));
    std::string schema = items.size() > 1 ? std::string(string_node(items[items.size() - 2])) : "";
    auto report_missing = [&] {
      if (!missing_ok)
        raise(kind == "OBJECT_INDEX" ? sqlstate::kUndefinedObject : sqlstate::kUndefinedTable, "{} \"{}\" does not exist", what, name);
      send_notice(sink, sqlstate::kSuccessfulCompletion, fmt::format("{} \"{}\" does not exist, skipping", what, name));
    };
    if (relation) {
      auto t = cat.table(schema, name);
      bool view = kind == "OBJECT_VIEW";
      if (!t || kind_of(*t) != kind) {
        if (t || cat.relation_exists(schema, name)) {
          Error e(sqlstate::kWrongObjectType, fmt::format("\"{}\" is not a {}", name, what));
          if (t) {
            std::string k = kind_of(*t);
            const char* is = k == "OBJECT_VIEW" ? "view" : k == "OBJECT_MATVIEW" ? "materialized view" : "table";
            const char* cmd = k == "OBJECT_VIEW" ? "VIEW" : k == "OBJECT_MATVIEW" ? "MATERIALIZED VIEW" : "TABLE";
            e.with_hint(fmt::format("Use DROP {} to remove a {}.", cmd, is));
          }
          throw e;
        }
        report_missing();
        continue;
      }
      if (!cat.table(t->id)) continue;  // went with an earlier one (CASCADE)
      s_.check_owner(t->access, what, t->name);
      drop_dependent_views(t->id, cascade, std::string(what) + " " + t->name, sink, dropping);
      if (!view) drop_referencing_keys(t->id, {}, cascade, "table " + t->name, sink, dropping);
      if (!view) drop_children(*cat.table(t->id), cascade, sink, dropping);
      drop_relation(*cat.table(t->id));
    } else if (kind == "OBJECT_INDEX") {
      auto idx = cat.index(schema, name);
      if (!idx) {
        if (cat.relation_exists(schema, name)) raise(sqlstate::kWrongObjectType, "\"{}\" is not an index", name);
        report_missing();
        continue;
      }
      s_.check_owner(cat.table(idx->table_id)->access, "index", idx->name);
      if (idx->is_constraint)
        throw Error(sqlstate::kDependentObjectsStillExist,
                    fmt::format("cannot drop index {} because constraint {} on table {} requires it", name, name,
                                cat.table(idx->table_id)->name))
            .with_hint(fmt::format("You can drop constraint {} on table {} instead.", name, cat.table(idx->table_id)->name));
      drop_referencing_keys(idx->table_id, {idx->id}, cascade, "index " + idx->name, sink);
      auto t = cat.table(idx->table_id);
      catalog::TableDef td = *t;
      std::erase(td.indexes, idx->id);
      std::erase_if(td.foreign_keys, [&](const catalog::ForeignKeyDef& fk) { return fk.ref_table == td.id && fk.ref_index == idx->id; });
      delete_range(exec::index_prefix(idx->id));
      cat.drop_index(*s_.txn_, idx->id);
      cat.put_table(*s_.txn_, std::move(td));
    } else {
      auto seq = cat.sequence(schema, name);
      if (!seq) {
        if (cat.relation_exists(schema, name)) raise(sqlstate::kWrongObjectType, "\"{}\" is not a sequence", name);
        report_missing();
        continue;
      }
      s_.check_owner(seq->access, "sequence", seq->name);
      // The column defaults that name it (serial's among them): refused, or dropped by CASCADE.
      std::vector<std::pair<uint32_t, size_t>> defaults;
      std::vector<std::string> dependents;
      for (const auto& [tid, t] : cat.tables())
        for (size_t c = 0; c < t->columns.size(); ++c) {
          const catalog::ColumnDef& col = t->columns[c];
          if (col.identity && col.identity_seq == seq->id)
            throw Error(sqlstate::kDependentObjectsStillExist,
                        fmt::format("cannot drop sequence {} because column {} of table {} requires it", name, col.name, t->name))
                .with_hint(fmt::format("You can drop column {} of table {} instead.", col.name, t->name));
          if (col.generated || !ddl::default_uses_sequence(col.default_expr, seq->id)) continue;
          defaults.emplace_back(tid, c);
          dependents.push_back(fmt::format("default value for column {} of table {}", col.name, t->name));
        }
      if (!dependents.empty() && !cascade) {
        std::string detail;
        for (const auto& d : dependents) detail += (detail.empty() ? "" : "\n") + d + " depends on sequence " + name;
        throw Error(sqlstate::kDependentObjectsStillExist, fmt::format("cannot drop sequence {} because other objects depend on it", name))
            .with_detail(detail)
            .with_hint("Use DROP ... CASCADE to drop the dependent objects too.");
      }
      if (!dependents.empty()) send_cascade_notice(sink, dependents);
      for (const auto& [tid, c] : defaults) {
        catalog::TableDef td = *cat.table(tid);
        td.columns[c].default_expr.clear();
        cat.put_table(*s_.txn_, std::move(td));
      }
      cat.drop_sequence(*s_.txn_, seq->id);
    }
  }
  sink.complete(tag, 0);
}

void DdlExecutor::drop_relation(const catalog::TableDef& table) {
  catalog::Catalog& cat = s_.writable_catalog();
  uint32_t id = table.id;
  for (uint32_t iid : table.indexes) {
    delete_range(exec::index_prefix(iid));
    cat.drop_index(*s_.txn_, iid);
  }
  std::string prefix{storage::space::kTable};
  keys::append_u32(prefix, id);
  delete_range(prefix);
  std::vector<uint32_t> owned;
  for (const auto& [sid, s] : cat.sequences())
    if (s->owner_table == id) owned.push_back(sid);
  for (uint32_t sid : owned) cat.drop_sequence(*s_.txn_, sid);
  cat.drop_table(*s_.txn_, id);
}

void DdlExecutor::truncate(const json::object& n, ResultSink& sink) {
  catalog::Catalog& cat = s_.writable_catalog();
  planner::Binder binder(cat, sql_, {}, &s_.text_context());
  std::vector<std::shared_ptr<const catalog::TableDef>> tables;
  std::function<void(uint32_t)> add_children = [&](uint32_t id) {  // without ONLY: the children too
    for (const auto& c : cat.children(id)) {
      if (std::ranges::none_of(tables, [&](const auto& x) { return x->id == c->id; })) tables.push_back(c);
      add_children(c->id);
    }
  };
  for (const auto& r : list_field(n, "relations")) {
    tables.push_back(binder.lookup_table(node_body(r)));
    if (sql::bool_field(node_body(r), "inh")) add_children(tables.back()->id);
  }
  for (const auto& t : tables) s_.check_not_in_use(t->id, "TRUNCATE", t->name);
  {
    std::vector<planner::AccessCheck> checks;
    for (const auto& t : tables) checks.push_back({t->id, catalog::kTruncate, 0});
    s_.check_access(checks);
  }
  // A table referenced by a foreign key goes only with the referencing table (CASCADE adds it).
  bool cascade = str_field(n, "behavior") == "DROP_CASCADE";
  for (size_t i = 0; i < tables.size(); ++i) {
    for (const auto& entry : cat.tables()) {
      uint32_t id = entry.first;  // not a structured binding: the lambdas below use it
      const auto& t = entry.second;
      bool listed = std::ranges::any_of(tables, [&](const auto& x) { return x->id == id; });
      if (listed || !std::ranges::any_of(t->foreign_keys, [&](const auto& fk) { return fk.ref_table == tables[i]->id; })) continue;
      if (!cascade)
        throw Error(sqlstate::kFeatureNotSupported, "cannot truncate a table referenced in a foreign key constraint")
            .with_detail(fmt::format("Table \"{}\" references \"{}\".", t->name, tables[i]->name))
            .with_hint(fmt::format("Truncate table \"{}\" at the same time, or use TRUNCATE ... CASCADE.", t->name));
      send_notice(sink, sqlstate::kSuccessfulCompletion, fmt::format("truncate cascades to table \"{}\"", t->name));
      tables.push_back(t);
    }
  }
  for (const auto& t : tables) {
    std::string prefix{storage::space::kTable};
    keys::append_u32(prefix, t->id);
    delete_range(prefix);
    for (uint32_t iid : t->indexes) delete_range(exec::index_prefix(iid));
    // As PostgreSQL's new relfilenode: no longer analyzed (reltuples -1), the columns'
    // statistics kept; no rows written since.
    if (auto st = cat.statistics(t->id); st && st->reltuples >= 0) {
      catalog::TableStatistics cleared = *st;
      cleared.reltuples = -1;
      cleared.relpages = 0;
      cat.put_statistics(*s_.txn_, t->id, std::move(cleared));
    }
    s_.db().table_activity().reset(t->id);
    if (sql::bool_field(n, "restart_seqs"))
      for (const auto& [sid, s] : cat.sequences())
        if (s->owner_table == t->id) s_.db().setval(*s, s->start, false);
  }
  sink.complete("TRUNCATE TABLE", 0);
}

}  // namespace heliosdb::engine
