// CREATE [OR REPLACE] AGGREGATE (PostgreSQL's DefineAggregate / AggregateCreate, the common
// forms: SFUNC, STYPE, FINALFUNC, INITCOND; the old BASETYPE form) and DROP AGGREGATE.
#include <boost/json.hpp>

#include "catalog/system_views.h"
#include "common/array.h"
#include "common/errors.h"
#include "engine/ddl.h"
#include "engine/session_impl.h"
#include "executor/functions.h"
#include "heliosdb/result.h"
#include "planner/binder.h"
#include "sql/parser.h"

namespace heliosdb::engine {

namespace json = boost::json;
using namespace ddl;
using sql::field;
using sql::list_field;
using sql::node_body;
using sql::node_type;
using sql::str_field;
using sql::string_node;

namespace {

// A definition item's value as text (defGetString).
std::string def_string(const json::value* arg) {
  if (!arg) return "";
  std::string_view t = node_type(*arg);
  const auto& b = node_body(*arg);
  if (t == "String") return std::string(str_field(b, "sval"));
  if (t == "Integer") return std::to_string(sql::int_field(b, "ival", 0));
  if (t == "Float") return std::string(str_field(b, "fval"));
  if (t == "Boolean") return sql::bool_field(b, "boolval") ? "true" : "false";
  if (t == "TypeName") {
    std::string s;
    for (const auto& p : list_field(b, "names")) s += (s.empty() ? "" : ".") + std::string(string_node(p));
    return s;
  }
  if (t == "List") {
    std::string s;
    for (const auto& p : list_field(b, "items")) s += (s.empty() ? "" : ".") + std::string(string_node(p));
    return s;
  }
  return "";
}

// A function name of a definition item: (schema, name).
std::pair<std::string, std::string> def_qualified_name(const json::value* arg) {
  std::string s = def_string(arg);
  size_t dot = s.rfind('.');
  if (dot == std::string::npos) return {"", s};
  return {s.substr(0, dot), s.substr(dot + 1)};
}

bool is_polymorphic(uint32_t t) {
  return t == 2283 || t == 2277 || t == 2776 || t == 3500 || t == 3831 || t == 5077 || t == 5078 || t == 5079 || t == 5080 ||
         t == 4537 || t == 4538;
}

// PostgreSQL calls SFUNC and FINALFUNC with the state and the inputs as they are: a function
// whose parameters would need a conversion is refused.
void check_binary_coercible(const catalog::Catalog& cat, const std::string& name, uint32_t fn_id, const std::vector<uint32_t>& have) {
  std::vector<uint32_t> params;
  if (fn_id) {
    if (auto fn = cat.function(fn_id)) params = fn->arg_types;
  } else if (const exec::FuncDef* f = exec::resolve_function(name, have)) {
    params = f->args;
  }
  if (params.size() != have.size()) return;
  for (size_t i = 0; i < have.size(); ++i)
    if (params[i] != have[i] && params[i] != exec::kAnyType && !is_polymorphic(params[i]) &&
        !(types::is_string(params[i]) && types::is_string(have[i])))
      raise(sqlstate::kDatatypeMismatch, "function {} requires run-time type coercion", signature(name, params));
}

}  // namespace

void DdlExecutor::create_aggregate(const json::object& n, ResultSink& sink) {
  catalog::Catalog& cat = s_.writable_catalog();
  storage::Transaction& txn = *s_.txn_;
  planner::Binder binder(cat, sql_, {}, &s_.text_context());
  const auto& names = list_field(n, "defnames");
  if (names.size() > 2) unsupported("cross-database references");
  std::string schema = names.size() == 2 ? std::string(string_node(names[0])) : "";
  std::string name(string_node(names.back()));
  if (schema.empty()) schema = cat.creation_schema();
  if (schema.empty()) raise(sqlstate::kInvalidSchemaName, "no schema has been selected to create in");
  catalog::check_schema(schema, &cat);
  if (cat.schema_oid(schema)) s_.check_schema_privilege(schema, catalog::kCreate);

  bool oldstyle = sql::bool_field(n, "oldstyle");
  catalog::FunctionDef f;
  f.schema = schema;
  f.name = name;
  if (!oldstyle) {
    const auto& args = list_field(n, "args");
    // args[1] is the number of direct arguments of an ordered-set aggregate (-1 for a plain one;
    // the parse tree omits both -1 and 0, so ORDER BY is looked for in the text before the
    // definition list too).
    int ndirect = args.size() > 1 ? static_cast<int>(sql::int_field(node_body(args[1]), "ival", -1)) : -1;
    std::string head(statement_.substr(0, std::min<size_t>(statement_.size(), static_cast<size_t>(std::max<int64_t>(
        0, list_field(n, "definition").empty() ? 0 : sql::int_field(node_body(list_field(n, "definition")[0]), "location", 0))))));
    for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ndirect > 0 || head.find("order") != std::string::npos) unsupported("ordered-set aggregates of CREATE AGGREGATE");
    if (!args.empty() && node_type(args[0]) == "List") {
      for (const auto& p : list_field(node_body(args[0]), "items")) {
        const auto& fp = node_body(p);
        std::string mode(str_field(fp, "mode"));
        if (mode == "FUNC_PARAM_VARIADIC") unsupported("VARIADIC aggregates");
        if (mode != "FUNC_PARAM_DEFAULT" && mode != "FUNC_PARAM_IN")
          raise(sqlstate::kInvalidFunctionDefinition, "aggregates cannot have output arguments");
        uint32_t domain = 0;
        f.arg_types.push_back(binder.resolve_type(field(fp, "argType")->as_object(), &domain).first);
        f.arg_names.emplace_back(str_field(fp, "name"));
      }
    }
  }

  const json::value *sfunc = nullptr, *stype = nullptr, *finalfunc = nullptr, *basetype = nullptr;
  std::optional<std::string> initcond;
  for (const auto& d : list_field(n, "definition")) {
    const auto& de = node_body(d);
    std::string opt(str_field(de, "defname"));
    const json::value* arg = field(de, "arg");
    if (opt == "sfunc" || opt == "sfunc1") sfunc = arg;
    else if (opt == "stype" || opt == "stype1") stype = arg;
    else if (opt == "finalfunc") finalfunc = arg;
    else if (opt == "initcond" || opt == "initcond1") initcond = def_string(arg);
    else if (opt == "basetype") basetype = arg;
    else if (opt == "sspace" || opt == "parallel" || opt == "combinefunc" || opt == "serialfunc" || opt == "deserialfunc" ||
             opt == "sortop" || opt == "finalfunc_modify") {
      // planner and parallelism hints: every aggregate here runs serially
    } else if (opt == "finalfunc_extra") {
      unsupported("FINALFUNC_EXTRA");
    } else if (opt == "msfunc" || opt == "minvfunc" || opt == "mstype" || opt == "msspace" || opt == "mfinalfunc" ||
               opt == "mfinalfunc_extra" || opt == "mfinalfunc_modify" || opt == "minitcond") {
      unsupported("moving-aggregate mode (MSFUNC, MINVFUNC, MSTYPE, ...)");
    } else if (opt == "hypothetical") {
      unsupported("HYPOTHETICAL aggregates");
    } else {
      Error w(sqlstate::kSyntaxError, fmt::format("aggregate attribute \"{}\" not recognized", opt));
      w.with_severity("WARNING");
      sink.notice(w);
    }
  }
  if (!sfunc) raise(sqlstate::kInvalidFunctionDefinition, "aggregate sfunc must be specified");
  if (!stype) raise(sqlstate::kInvalidFunctionDefinition, "aggregate stype must be specified");
  if (oldstyle) {
    if (!basetype) raise(sqlstate::kInvalidFunctionDefinition, "aggregate input type must be specified");
    std::string bt = def_string(basetype);
    std::string lower = bt;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower != "any") {  // 'ANY': no arguments, as name(*)
      uint32_t domain = 0;
      if (node_type(*basetype) != "TypeName") unsupported("BASETYPE given as a string other than 'ANY'");
      f.arg_types.push_back(binder.resolve_type(node_body(*basetype), &domain).first);
      f.arg_names.emplace_back();
    }
  } else if (basetype) {
    raise(sqlstate::kInvalidFunctionDefinition, "basetype is redundant with aggregate input type specification");
  }
  uint32_t state_type = 0;
  {
    uint32_t domain = 0;
    if (node_type(*stype) == "TypeName") state_type = binder.resolve_type(node_body(*stype), &domain).first;
    else unsupported("STYPE given as a string");
  }
  // Polymorphic aggregates: anyelement / anyarray / anycompatible(array) / anynonarray, checked
  // here with integer standing for the element type (built-in support functions are resolved
  // again for each call).
  auto simple_poly = [](uint32_t t) { return t == 2283 || t == 2277 || t == 2776 || t == 5077 || t == 5078; };
  for (uint32_t t : f.arg_types)
    if (is_polymorphic(t) && !simple_poly(t)) unsupported("aggregates over this polymorphic type");
  if (is_polymorphic(state_type) && !simple_poly(state_type)) unsupported("aggregates over this polymorphic type");
  bool poly_args = std::ranges::any_of(f.arg_types, is_polymorphic);
  if (is_polymorphic(state_type) && !poly_args)
    throw Error(sqlstate::kInvalidFunctionDefinition, "cannot determine transition data type")
        .with_detail(state_type == 5077 || state_type == 5078
                         ? fmt::format("A result of type {} requires at least one input of type anycompatible, anycompatiblearray, "
                                       "anycompatiblenonarray, anycompatiblerange, or anycompatiblemultirange.",
                                       types::format_type(state_type, -1))
                         : fmt::format("A result of type {} requires at least one input of type anyelement, anyarray, "
                                       "anynonarray, anyenum, anyrange, or anymultirange.",
                                       types::format_type(state_type, -1)));
  auto concrete = [&](std::vector<uint32_t> ts) {
    for (auto& t : ts) t = planner::polymorphic_instance(t, oid::kInt4);
    return ts;
  };
  if (state_type == exec::kAnyType) raise(sqlstate::kInvalidFunctionDefinition, "aggregate transition data type cannot be \"any\"");

  // The transition function: (stype, arguments...) returning stype.
  std::vector<uint32_t> sargs{state_type};
  sargs.insert(sargs.end(), f.arg_types.begin(), f.arg_types.end());
  auto [sschema, sname] = def_qualified_name(sfunc);
  auto sid = binder.find_support_function(sschema, sname, sargs);
  // PostgreSQL 15's array_append, array_prepend and array_cat take anycompatible(array); the
  // other polymorphic built-ins anyelement / anyarray.
  bool compatible_family = std::ranges::any_of(sargs, [](uint32_t t) { return t == 5077 || t == 5078; });
  bool element_family = std::ranges::any_of(sargs, [](uint32_t t) { return t == 2283 || t == 2277 || t == 2776; });
  bool compatible_builtin = sname == "array_append" || sname == "array_prepend" || sname == "array_cat";
  if (!sid && poly_args && (compatible_builtin ? !element_family : !compatible_family))
    sid = binder.find_support_function(sschema, sname, concrete(sargs));
  if (!sid) raise(sqlstate::kUndefinedFunction, "function {} does not exist", signature(sname, sargs));
  check_binary_coercible(cat, sname, *sid, sargs);
  bool sstrict = false;
  auto scall = binder.bind_support_call(sname, *sid, concrete(sargs), &sstrict, -1);
  if (!scall) raise(sqlstate::kUndefinedFunction, "function {} does not exist", signature(sname, sargs));
  if (scall->type != planner::polymorphic_instance(state_type, oid::kInt4))
    raise(sqlstate::kDatatypeMismatch, "return type of transition function {} is not {}", sname, types::format_type(state_type, -1));
  if (sstrict && !initcond && (f.arg_types.empty() || f.arg_types[0] != state_type))
    raise(sqlstate::kInvalidFunctionDefinition,
          "must not omit initial value when transition function is strict and transition type is not compatible with input type");
  f.agg.sfunc = sname;
  f.agg.sfunc_id = *sid;
  f.agg.stype = state_type;
  f.ret_type = state_type;
  if (finalfunc) {
    auto [fschema, fname] = def_qualified_name(finalfunc);
    auto fid = binder.find_support_function(fschema, fname, {state_type});
    if (!fid && poly_args) fid = binder.find_support_function(fschema, fname, concrete({state_type}));
    if (!fid) raise(sqlstate::kUndefinedFunction, "function {} does not exist", signature(fname, {state_type}));
    check_binary_coercible(cat, fname, *fid, {state_type});
    auto fcall = binder.bind_support_call(fname, *fid, concrete({state_type}), nullptr, -1);
    if (!fcall) raise(sqlstate::kUndefinedFunction, "function {} does not exist", signature(fname, {state_type}));
    f.agg.finalfunc = fname;
    f.agg.finalfunc_id = *fid;
    f.ret_type = fcall->type;
    if (poly_args && f.ret_type == oid::kInt4) f.ret_type = oid::kAnyElement;
    if (poly_args && f.ret_type == array::array_type_of(oid::kInt4)) f.ret_type = oid::kAnyArray;
  }
  if (initcond && !is_polymorphic(state_type)) {
    // It must read as the state type now.
    auto init = binder.bind_for_column(json::value{{"A_Const", json::object{{"sval", json::object{{"sval", *initcond}}}}}},
                                       state_type, -1, "initcond");
    exec::ExecContext ctx;
    ctx.text = s_.text_context();
    init->eval(Row{}, ctx);
  }
  if (initcond) {
    f.agg.has_initcond = true;
    f.agg.initcond = *initcond;
  }
  f.kind = 'a';
  f.language = "internal";
  f.body = "aggregate_dummy";
  f.definition = std::string(statement_);
  f.access.owner = s_.current_role_oid();

  std::shared_ptr<const catalog::FunctionDef> old;
  for (const auto& c : cat.functions(schema, name))
    if (c->arg_types == f.arg_types) old = c;
  if (old) {
    if (!sql::bool_field(n, "replace"))
      raise(sqlstate::kDuplicateFunction, "function \"{}\" already exists with same argument types", name);
    if (old->kind != 'a') raise(sqlstate::kWrongObjectType, "cannot change routine kind");
    s_.check_owner(old->access, "function", name);
    if (old->ret_type != f.ret_type)
      throw Error(sqlstate::kInvalidFunctionDefinition, "cannot change return type of existing function")
          .with_hint(fmt::format("Use DROP AGGREGATE {} first.", signature(name, f.arg_types)));
    f.id = old->id;
    f.access = old->access;
    f.comment = old->comment;
  } else {
    f.id = cat.allocate_id(txn);
  }
  cat.put_function(txn, std::move(f));
  sink.complete("CREATE AGGREGATE", 0);
}

}  // namespace heliosdb::engine
