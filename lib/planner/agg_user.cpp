// Aggregates of CREATE AGGREGATE: their calls (transition and final functions bound over a row
// of the state and the aggregated arguments), and the lookups CREATE AGGREGATE makes.
#include <boost/json.hpp>

#include "common/array.h"
#include "common/errors.h"
#include "common/types.h"
#include "executor/functions.h"
#include "planner/agg_context.h"

namespace heliosdb::planner {

namespace {

bool is_poly_array(uint32_t t) { return t == oid::kAnyArray || t == 5078; }            // anyarray, anycompatiblearray
bool is_poly_element(uint32_t t) { return t == oid::kAnyElement || t == 5077 || t == 2776; }  // anyelement, anycompatible, anynonarray

}  // namespace

uint32_t polymorphic_instance(uint32_t t, uint32_t elem) {
  if (is_poly_element(t)) return elem;
  if (is_poly_array(t)) return array::array_type_of(elem);
  return t;
}

exec::ExprPtr Binder::bind_support_call(const std::string& name, uint32_t fn_id, const std::vector<uint32_t>& arg_types,
                                        bool* strict, int location) {
  std::vector<exec::ExprPtr> args;
  for (size_t i = 0; i < arg_types.size(); ++i) args.push_back(std::make_unique<exec::ColumnExpr>(i, arg_types[i], -1));
  if (fn_id) {
    auto fn = catalog_.function(fn_id);
    if (!fn || fn->arg_types.size() != args.size()) return nullptr;
    for (size_t i = 0; i < args.size(); ++i) {
      if (fn->arg_types[i] == exec::kAnyType) continue;
      if (arg_types[i] != fn->arg_types[i] && !exec::can_coerce_implicit(arg_types[i], fn->arg_types[i])) return nullptr;
      args[i] = coerce(std::move(args[i]), fn->arg_types[i], -1, false, location);
    }
    if (strict) *strict = fn->strict;
    return std::make_unique<exec::UserFuncExpr>(fn->id, std::move(args), fn->ret_type, fn->strict);
  }
  const exec::FuncDef* f = exec::resolve_function(name, arg_types);
  if (!f) return nullptr;
  if (strict) *strict = f->strict;
  return make_call(f, std::move(args), location);
}

// The CREATE FUNCTION function or built-in that `name` with these argument types calls: its id
// (0 for a built-in), or nullopt when there is none.
std::optional<uint32_t> Binder::find_support_function(const std::string& schema, const std::string& name,
                                                      const std::vector<uint32_t>& arg_types) {
  if (schema != "pg_catalog") {
    std::shared_ptr<const catalog::FunctionDef> best;
    int best_exact = -1;
    for (const auto& fn : catalog_.functions(schema, name)) {
      if (fn->kind == 'a' || fn->arg_types.size() != arg_types.size()) continue;
      int exact = 0;
      bool ok = true;
      for (size_t i = 0; i < arg_types.size() && ok; ++i) {
        if (fn->arg_types[i] == arg_types[i] || fn->arg_types[i] == exec::kAnyType) ++exact;
        else ok = exec::can_coerce_implicit(arg_types[i], fn->arg_types[i]);
      }
      if (ok && exact > best_exact) {
        best = fn;
        best_exact = exact;
      }
    }
    if (best) return best->id;
  }
  if ((schema.empty() || schema == "pg_catalog") && exec::resolve_function(name, arg_types)) return 0;
  return std::nullopt;
}

std::shared_ptr<const catalog::FunctionDef> Binder::AggContext::find_user_aggregate(Binder& b, const json::object& n,
                                                                                    const std::vector<uint32_t>& types) {
  const auto& funcname = sql::list_field(n, "funcname");
  std::string name(sql::string_node(funcname.back()));
  std::string schema = funcname.size() >= 2 ? std::string(sql::string_node(funcname[funcname.size() - 2])) : "";
  if (schema == "pg_catalog") return nullptr;
  std::shared_ptr<const catalog::FunctionDef> best;
  int best_exact = -1;
  for (const auto& fn : b.catalog_.functions(schema, name)) {
    if (fn->kind != 'a' || fn->arg_types.size() != types.size()) continue;
    int exact = 0;
    bool ok = true;
    for (size_t i = 0; i < types.size() && ok; ++i) {
      uint32_t want = fn->arg_types[i];
      if (want == types[i] || want == exec::kAnyType) ++exact;
      else if (is_poly_array(want)) ok = array::is_array(types[i]) || types[i] == oid::kUnknownType;
      else if (is_poly_element(want)) ok = want != 2776 || !array::is_array(types[i]);
      else ok = exec::can_coerce_implicit(types[i], want);
    }
    if (ok && exact > best_exact) {
      best = fn;
      best_exact = exact;
    }
  }
  return best;
}

void Binder::AggContext::bind_user_aggregate(Binder& b, exec::AggDef& def, const catalog::FunctionDef& fn, int location) {
  auto user = std::make_shared<exec::AggDef::UserAggregate>();
  const auto& ag = fn.agg;
  // A polymorphic aggregate: its element type from the arguments given for polymorphic ones.
  std::vector<uint32_t> elems;
  for (size_t i = 0; i < def.args.size(); ++i) {
    uint32_t t = def.args[i]->type;
    if (is_poly_array(fn.arg_types[i]) && t != oid::kUnknownType) elems.push_back(array::element_type(t));
    else if (is_poly_element(fn.arg_types[i])) elems.push_back(t);
  }
  uint32_t elem = elems.empty() ? oid::kText : exec::common_type(elems, "polymorphic aggregate arguments");
  if (elem == oid::kUnknownType) elem = oid::kText;
  uint32_t stype = polymorphic_instance(ag.stype, elem);
  std::vector<uint32_t> row_types{stype};
  for (size_t i = 0; i < def.args.size(); ++i) {
    if (fn.arg_types[i] != exec::kAnyType) {
      def.args[i] = b.coerce(std::move(def.args[i]), polymorphic_instance(fn.arg_types[i], elem), -1, false, location);
    } else if (def.args[i]->type == oid::kUnknownType) {
      def.args[i] = b.coerce(std::move(def.args[i]), oid::kText, -1, false, location);
    }
    row_types.push_back(def.args[i]->type);
  }
  user->sfunc = b.bind_support_call(ag.sfunc, ag.sfunc_id, row_types, &user->sfunc_strict, location);
  if (!user->sfunc) raise(sqlstate::kUndefinedFunction, "function {} does not exist", ag.sfunc);
  if (!ag.finalfunc.empty()) {
    user->finalfunc = b.bind_support_call(ag.finalfunc, ag.finalfunc_id, {stype}, &user->final_strict, location);
    if (!user->finalfunc) raise(sqlstate::kUndefinedFunction, "function {} does not exist", ag.finalfunc);
  }
  if (ag.has_initcond)
    user->init = b.coerce(std::make_unique<exec::ConstExpr>(Value::of(oid::kUnknownType, ag.initcond)), stype, -1, true, location);
  user->stype = stype;
  user->id = fn.id;
  auto finalfunc_type = user->finalfunc ? user->finalfunc->type : 0;
  def.user = std::move(user);
  def.type = finalfunc_type ? finalfunc_type : polymorphic_instance(fn.ret_type, elem);
  def.arg_type = def.args.empty() ? 0 : def.args[0]->type;
}

}  // namespace heliosdb::planner
