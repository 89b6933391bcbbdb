#include "executor/expr.h"

#include <chrono>

#include "common/array.h"
#include "common/errors.h"
#include "common/record.h"
#include "common/type_io.h"
#include "executor/functions.h"
#include "executor/operator.h"
#include "storage/transaction.h"

namespace heliosdb::exec {

void ExecContext::throw_cancelled() {
  throw Error(sqlstate::kQueryCanceled, "canceling statement due to user request");
}

void ExecContext::check_deadline() const {
  auto now = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch());
  if (now.count() >= deadline) throw Error(sqlstate::kQueryCanceled, "canceling statement due to statement timeout");
}

void OuterColumnExpr::throw_no_outer_row() {
  raise(sqlstate::kInternalError, "outer column reference evaluated without its outer row");
}

bool ExecContext::lock_row(std::string_view key, storage::LockTable::Mode mode, storage::LockTable::Wait wait) const {
  return txn->lock(key, mode, wait, lock_timeout_ms, [this] { check_now(); });
}

namespace {
std::string join_keys(const std::vector<ExprPtr>& v) {
  std::string s;
  for (const auto& e : v) {
    s += e ? e->key() : "null";
    s += ',';
  }
  return s;
}
}  // namespace

std::string ConstExpr::key() const {
  if (value.is_null()) return "NULL::" + std::to_string(type);
  return "'" + types::format_text(value, types::default_text_context()) + "'::" + std::to_string(type);
}

Value ParamExpr::eval(const Row&, ExecContext& ctx) const {
  if (!ctx.params || number < 1 || static_cast<size_t>(number) > ctx.params->size())
    raise(sqlstate::kUndefinedParameter, "there is no parameter ${}", number);
  return (*ctx.params)[static_cast<size_t>(number - 1)];
}

Value FuncExpr::eval(const Row& row, ExecContext& ctx) const {
  if (variadic_array) return eval_variadic_array(row, ctx);
  Value buf[4];
  std::vector<Value> heap;
  Value* a = buf;
  if (args.size() > 4) {
    heap.resize(args.size());
    a = heap.data();
  }
  for (size_t i = 0; i < args.size(); ++i) {
    a[i] = args[i]->eval(row, ctx);
    if (def->strict && a[i].is_null()) return Value::null(type);
  }
  Value r = def->fn(a, args.size(), ctx);
  if (r.is_null() && r.type() != type) return Value::null(type);
  return r;
}

Value FuncExpr::eval_variadic_array(const Row& row, ExecContext& ctx) const {
  std::vector<Value> a;
  for (size_t i = 0; i + 1 < args.size(); ++i) {
    a.push_back(args[i]->eval(row, ctx));
    if (def->strict && a.back().is_null()) return Value::null(type);
  }
  Value arr = args.back()->eval(row, ctx);
  if (arr.is_null()) {
    if (def->name != "format") return Value::null(type);
  } else {
    for (auto& v : array::decode(arr).items) {
      if (def->strict && v.is_null()) return Value::null(type);
      a.push_back(std::move(v));
    }
  }
  Value r = def->fn(a.data(), a.size(), ctx);
  if (r.is_null() && r.type() != type) return Value::null(type);
  return r;
}

std::string FuncExpr::key() const {
  return def->name + "(" + join_keys(args) + (variadic_array ? ",variadic)" : ")");
}

Value SqlValueExpr::eval(const Row& row, ExecContext& ctx) const {
  Value v = call.eval(row, ctx);
  return typmod < 0 ? v : cast_value(v, type, typmod, false, ctx);
}

std::string SqlValueExpr::key() const { return keyword + "(" + std::to_string(typmod) + ")"; }

Value CastExpr::eval(const Row& row, ExecContext& ctx) const {
  return cast_value(arg->eval(row, ctx), type, typmod, explicit_, ctx);
}

std::string CastExpr::key() const { return "cast(" + arg->key() + "," + std::to_string(type) + ")"; }

Value BoolExpr::eval(const Row& row, ExecContext& ctx) const {
  if (op == BoolOp::kNot) {
    Value v = args[0]->eval(row, ctx);
    return v.is_null() ? Value::null(oid::kBool) : Value::boolean(!v.as_bool());
  }
  bool saw_null = false;
  bool stop_on = op == BoolOp::kOr;  // OR stops at true, AND at false
  for (const auto& a : args) {
    Value v = a->eval(row, ctx);
    if (v.is_null()) saw_null = true;
    else if (v.as_bool() == stop_on) return Value::boolean(stop_on);
  }
  return saw_null ? Value::null(oid::kBool) : Value::boolean(!stop_on);
}

std::string BoolExpr::key() const { return "bool" + std::to_string(static_cast<int>(op)) + "(" + join_keys(args) + ")"; }

Value TestExpr::eval(const Row& row, ExecContext& ctx) const {
  Value v = arg->eval(row, ctx);
  if ((kind == TestKind::kIsNull || kind == TestKind::kIsNotNull) && !v.is_null() && record::is_record(v.type())) {
    // A row IS NULL when every field is, IS NOT NULL when none is.
    bool want_null = kind == TestKind::kIsNull;
    for (const Value& f : record::decode(v).values)
      if (f.is_null() != want_null) return Value::boolean(false);
    return Value::boolean(true);
  }
  switch (kind) {
    case TestKind::kIsNull: return Value::boolean(v.is_null());
    case TestKind::kIsNotNull: return Value::boolean(!v.is_null());
    case TestKind::kIsTrue: return Value::boolean(!v.is_null() && v.as_bool());
    case TestKind::kIsNotTrue: return Value::boolean(v.is_null() || !v.as_bool());
    case TestKind::kIsFalse: return Value::boolean(!v.is_null() && !v.as_bool());
    case TestKind::kIsNotFalse: return Value::boolean(v.is_null() || v.as_bool());
    case TestKind::kIsUnknown: return Value::boolean(v.is_null());
    case TestKind::kIsNotUnknown: return Value::boolean(!v.is_null());
  }
  return Value::null(oid::kBool);
}

std::string TestExpr::key() const { return "test" + std::to_string(static_cast<int>(kind)) + "(" + arg->key() + ")"; }

Value DistinctExpr::eval(const Row& row, ExecContext& ctx) const {
  Value a = left->eval(row, ctx), b = right->eval(row, ctx);
  bool distinct;
  if (a.is_null() || b.is_null()) distinct = a.is_null() != b.is_null();
  else distinct = !is_true(equal->eval(Row{a, b}, ctx));
  return Value::boolean(distinct != negate);
}

std::string DistinctExpr::key() const { return "distinct(" + left->key() + "," + right->key() + ")"; }

Value CaseExpr::eval(const Row& row, ExecContext& ctx) const {
  for (size_t i = 0; i < conds.size(); ++i)
    if (is_true(conds[i]->eval(row, ctx))) return results[i]->eval(row, ctx);
  return otherwise ? otherwise->eval(row, ctx) : Value::null(type);
}

std::string CaseExpr::key() const {
  return "case(" + join_keys(conds) + ";" + join_keys(results) + ";" + (otherwise ? otherwise->key() : "") + ")";
}

Value CoalesceExpr::eval(const Row& row, ExecContext& ctx) const {
  if (mode == 0) {
    for (const auto& a : args) {
      Value v = a->eval(row, ctx);
      if (!v.is_null()) return v;
    }
    return Value::null(type);
  }
  Value best = Value::null(type);
  for (const auto& a : args) {
    Value v = a->eval(row, ctx);
    if (v.is_null()) continue;
    if (best.is_null()) { best = std::move(v); continue; }
    int c = compare_values(v, best);
    if ((mode == 1 && c > 0) || (mode == 2 && c < 0)) best = std::move(v);
  }
  return best;
}

std::string CoalesceExpr::key() const { return "coalesce" + std::to_string(mode) + "(" + join_keys(args) + ")"; }

Value NullIfExpr::eval(const Row& row, ExecContext& ctx) const {
  Value a = arg->eval(row, ctx);
  Value b = other->eval(row, ctx);
  if (!a.is_null() && !b.is_null() && is_true(equal->eval(Row{a, b}, ctx))) return Value::null(type);
  return a;
}

std::string NullIfExpr::key() const { return "nullif(" + arg->key() + "," + other->key() + ")"; }

Value InListExpr::eval(const Row& row, ExecContext& ctx) const {
  bool saw_null = false;
  for (const auto& t : tests) {
    Value v = t->eval(row, ctx);
    if (v.is_null()) saw_null = true;
    else if (v.as_bool()) return Value::boolean(!negate);
  }
  return saw_null ? Value::null(oid::kBool) : Value::boolean(negate);
}

std::string InListExpr::key() const { return std::string(negate ? "notin(" : "in(") + join_keys(tests) + ")"; }

SubqueryExpr::~SubqueryExpr() = default;

// x = ANY / op ALL (uncorrelated subquery): the subquery runs once per statement execution; an
// equality over integers or text probes a hash set, anything else scans the kept values.
Value SubqueryExpr::eval_any_all(const Row& row, ExecContext& ctx) const {
  bool ints = lhs->type == oid::kInt2 || lhs->type == oid::kInt4 || lhs->type == oid::kInt8;
  bool any = kind == SubqueryKind::kAny;
  bool hashed = hashable && any;
  if (rows_run != ctx.run_id || ctx.run_id == 0) {
    row_count = 0;
    rows.clear();
    int_set.clear();
    text_set.clear();
    rows_have_null = false;
    plan->open(ctx);
    Row r;
    while (plan->next(r)) {
      ++row_count;
      if (!hashed) rows.push_back(r[0]);
      else if (r[0].is_null()) rows_have_null = true;
      else if (ints) int_set.insert(r[0].as_int());
      else text_set.insert(r[0].as_string());
    }
    plan->close();
    rows_run = ctx.run_id;
  }
  if (row_count == 0) return Value::boolean(!any);
  Value left = lhs->eval(row, ctx);
  if (left.is_null()) return Value::null(oid::kBool);
  if (hashed) {
    bool found = ints ? int_set.count(left.as_int()) > 0 : text_set.count(left.as_string()) > 0;
    if (found) return Value::boolean(true);
    return rows_have_null ? Value::null(oid::kBool) : Value::boolean(false);
  }
  bool saw_null = false;
  for (const Value& v : rows) {
    Value t = test->eval(Row{left, v}, ctx);
    if (t.is_null()) {
      saw_null = true;
      continue;
    }
    if (t.as_bool() == any) return Value::boolean(any);
  }
  return saw_null ? Value::null(oid::kBool) : Value::boolean(!any);
}

Value SubqueryExpr::eval(const Row& row, ExecContext& ctx) const {
  if (!correlated && (kind == SubqueryKind::kAny || kind == SubqueryKind::kAll)) return eval_any_all(row, ctx);
  Value result = run(row, ctx);
  if (kind != SubqueryKind::kRowCompare) return result;
  if (result.is_null()) return Value::null(oid::kBool);
  return test->eval(Row{lhs->eval(row, ctx), std::move(result)}, ctx);
}

Value SubqueryExpr::run(const Row& row, ExecContext& ctx) const {
  if (!correlated && cached_run == ctx.run_id && ctx.run_id != 0) return cache;
  ExecContext::WithOuter with_outer(ctx, &row);
  plan->open(ctx);
  Row r;
  Value result;
  switch (kind) {
    case SubqueryKind::kExists:
      result = Value::boolean(plan->next(r));
      break;
    case SubqueryKind::kScalar:
    case SubqueryKind::kRowCompare: {
      result = Value::null(type);
      if (plan->next(r)) {
        result = r[0];
        Row extra;
        if (plan->next(extra))
          raise(sqlstate::kCardinalityViolation, "more than one row returned by a subquery used as an expression");
      }
      break;
    }
    case SubqueryKind::kArray: {
      std::vector<Value> items;
      while (plan->next(r)) items.push_back(r[0]);
      result = array::make(type, array::Array::of(array::element_type(type), std::move(items)));
      break;
    }
    case SubqueryKind::kAny:
    case SubqueryKind::kAll: {
      Value left = lhs->eval(row, ctx);
      bool any = kind == SubqueryKind::kAny;
      bool saw_null = false, decided = false;
      while (plan->next(r)) {
        Value t = left.is_null() ? Value::null(oid::kBool) : test->eval(Row{left, r[0]}, ctx);
        if (t.is_null()) { saw_null = true; continue; }
        if (t.as_bool() == any) { decided = true; break; }
      }
      if (decided) result = Value::boolean(any);
      else result = saw_null ? Value::null(oid::kBool) : Value::boolean(!any);
      break;
    }
  }
  plan->close();
  if (!correlated) {
    cached_run = ctx.run_id;
    cache = result;
  }
  return result;
}

Value ArrayExpr::eval(const Row& row, ExecContext& ctx) const {
  uint32_t elem = array::element_type(type);
  std::vector<Value> values;
  values.reserve(items.size());
  for (const auto& i : items) values.push_back(i->eval(row, ctx));
  if (items.empty() || !array::is_array(items[0]->type)) return array::make(type, array::Array::of(elem, std::move(values)));
  // ARRAY[ARRAY[1,2], ARRAY[3,4]]: the sub-arrays become the rows of one more dimension.
  array::Array out;
  out.elem = elem;
  bool first = true;
  for (const Value& v : values) {
    if (v.is_null()) raise(sqlstate::kArraySubscriptError, "multidimensional arrays must have array expressions with matching dimensions");
    array::Array a = array::decode(v);
    if (first) {
      out.dims = a.dims;
      out.lbounds = a.lbounds;
      first = false;
    } else if (a.dims != out.dims || a.lbounds != out.lbounds) {
      raise(sqlstate::kArraySubscriptError, "multidimensional arrays must have array expressions with matching dimensions");
    }
    for (auto& e : a.items) out.items.push_back(std::move(e));
  }
  if (!out.items.empty()) {
    out.dims.insert(out.dims.begin(), static_cast<int32_t>(values.size()));
    out.lbounds.insert(out.lbounds.begin(), 1);
  } else {
    out.dims.clear();
    out.lbounds.clear();
  }
  return array::make(type, out);
}

std::string ArrayExpr::key() const { return "array[" + join_keys(items) + "]"; }

Value RowExpr::eval(const Row& row, ExecContext& ctx) const {
  record::Record r;
  r.names = names;
  r.values.reserve(items.size());
  for (const auto& i : items) r.values.push_back(i->eval(row, ctx));
  return record::make(type, r);
}

std::string RowExpr::key() const { return "row(" + std::to_string(type) + ":" + join_keys(items) + ")"; }

Value FieldSelectExpr::eval(const Row& row, ExecContext& ctx) const {
  Value v = arg->eval(row, ctx);
  if (v.is_null()) return Value::null(type);
  record::Record r = record::decode(v);
  if (index >= r.values.size())
    raise(sqlstate::kDatatypeMismatch, "record has {} fields, field {} asked for", r.values.size(), index + 1);
  return std::move(r.values[index]);
}

Value SubscriptExpr::eval(const Row& row, ExecContext& ctx) const {
  Value v = arg->eval(row, ctx);
  if (v.is_null()) return Value::null(type);
  std::vector<int64_t> lo(upper.size()), hi(upper.size());
  for (size_t i = 0; i < upper.size(); ++i) {
    if (upper[i]) {
      Value u = upper[i]->eval(row, ctx);
      if (u.is_null()) return Value::null(type);
      hi[i] = u.as_int();
    } else {
      hi[i] = INT64_MAX;
    }
    if (lower[i]) {
      Value l = lower[i]->eval(row, ctx);
      if (l.is_null()) return Value::null(type);
      lo[i] = l.as_int();
    } else {
      lo[i] = is_slice_dim[i] ? INT64_MIN : 1;  // a[n] inside a slice means a[1:n]
    }
  }
  array::Array a = array::decode(v);
  size_t nd = a.dims.size();
  if (!slice) {
    if (upper.size() != nd) return Value::null(type);
    size_t offset = 0;
    for (size_t d = 0; d < nd; ++d) {
      int64_t k = hi[d] - a.lbounds[d];
      if (k < 0 || k >= a.dims[d]) return Value::null(type);
      offset = offset * static_cast<size_t>(a.dims[d]) + static_cast<size_t>(k);
    }
    Value e = a.items[offset];
    return e;
  }
  // A slice: the dimensions not subscripted are taken whole.
  array::Array out;
  out.elem = a.elem;
  if (upper.size() > nd || nd == 0) return array::make(type, out);
  std::vector<int64_t> from(nd), to(nd);
  for (size_t d = 0; d < nd; ++d) {
    int64_t first = a.lbounds[d], last = a.lbounds[d] + a.dims[d] - 1;
    from[d] = d < upper.size() ? std::max(lo[d], first) : first;
    to[d] = d < upper.size() ? std::min(hi[d], last) : last;
    if (from[d] > to[d]) return array::make(type, out);  // empty
  }
  for (size_t d = 0; d < nd; ++d) {
    out.dims.push_back(static_cast<int32_t>(to[d] - from[d] + 1));
    out.lbounds.push_back(1);
  }
  std::vector<int64_t> idx(from);
  for (;;) {
    size_t offset = 0;
    for (size_t d = 0; d < nd; ++d) offset = offset * static_cast<size_t>(a.dims[d]) + static_cast<size_t>(idx[d] - a.lbounds[d]);
    out.items.push_back(a.items[offset]);
    size_t d = nd;
    while (d > 0 && ++idx[d - 1] > to[d - 1]) {
      idx[d - 1] = from[d - 1];
      --d;
    }
    if (d == 0) break;
  }
  return array::make(type, out);
}

std::string SubscriptExpr::key() const {
  std::string k = arg->key();
  for (size_t i = 0; i < upper.size(); ++i)
    k += "[" + (lower[i] ? lower[i]->key() : "") + (is_slice_dim[i] ? ":" : "") + (upper[i] ? upper[i]->key() : "") + "]";
  return k;
}

Value AssignPartsExpr::eval(const Row& row, ExecContext& ctx) const {
  Value v = base->eval(row, ctx);
  for (const auto& t : targets) v = assign(std::move(v), t, 0, row, ctx);
  return v;
}

// old with target's part from path step `step` on replaced. A NULL record becomes one of NULL
// fields, a NULL array an empty one: the result is never NULL (but a NULL slice changes nothing).
Value AssignPartsExpr::assign(Value old, const Target& target, size_t step, const Row& row, ExecContext& ctx) const {
  if (step == target.path.size()) return target.value->eval(row, ctx);
  const Step& s = target.path[step];
  if (s.field >= 0) {
    record::Record r;
    if (!old.is_null()) r = record::decode(old);
    for (size_t k = r.values.size(); k < s.shape.size(); ++k) {
      r.names.push_back(s.shape.names[k]);
      r.values.push_back(Value::null(s.shape.types[k]));
    }
    auto k = static_cast<size_t>(s.field);
    r.values[k] = assign(std::move(r.values[k]), target, step + 1, row, ctx);
    return record::make(s.type, r);
  }
  // The subscripts first: NULL is an error here (a NULL subscript reads NULL elsewhere).
  auto subscript = [&](const ExprPtr& e) -> std::optional<int32_t> {
    if (!e) return std::nullopt;
    Value v = e->eval(row, ctx);
    if (v.is_null()) raise(sqlstate::kNullValueNotAllowed, "array subscript in assignment must not be null");
    return static_cast<int32_t>(v.as_int());
  };
  std::vector<std::optional<int32_t>> upper, lower;
  for (const auto& e : s.upper) upper.push_back(subscript(e));
  for (const auto& e : s.lower) lower.push_back(subscript(e));
  array::Array a;
  a.elem = array::element_type(s.type);
  if (!old.is_null()) a = array::decode(old);
  if (!s.slice) {
    std::vector<int32_t> at;
    for (const auto& u : upper) at.push_back(*u);
    Value inner = step + 1 < target.path.size() ? array::element_at(a, at) : Value::null(a.elem);
    array::assign_element(a, at, assign(std::move(inner), target, step + 1, row, ctx));
    return array::make(s.type, a);
  }
  Value src = assign(Value::null(s.type), target, step + 1, row, ctx);
  if (!src.is_null()) array::assign_slice(a, lower, upper, array::decode(src));
  return array::make(s.type, a);
}

std::string AssignPartsExpr::key() const {
  std::string k = "assign(" + base->key();
  for (const auto& t : targets) {
    k += ";";
    for (const auto& s : t.path) {
      if (s.field >= 0) {
        k += "." + std::to_string(s.field);
        continue;
      }
      for (size_t i = 0; i < s.upper.size(); ++i)
        k += "[" + (s.lower.size() > i && s.lower[i] ? s.lower[i]->key() : "") + (s.slice ? ":" : "") +
             (s.upper[i] ? s.upper[i]->key() : "") + "]";
    }
    k += "=" + t.value->key();
  }
  return k + ")";
}

Value ArrayAnyExpr::eval(const Row& row, ExecContext& ctx) const {
  Value left = lhs->eval(row, ctx);
  Value arr = array->eval(row, ctx);
  if (arr.is_null()) return Value::null(oid::kBool);
  array::Array a = array::decode(arr);
  if (a.items.empty()) return Value::boolean(all_);
  if (left.is_null()) return Value::null(oid::kBool);
  bool saw_null = false;
  Row pair{left, Value()};
  for (auto& e : a.items) {
    pair[1] = std::move(e);
    Value t = pair[1].is_null() ? Value::null(oid::kBool) : test->eval(pair, ctx);
    if (t.is_null()) { saw_null = true; continue; }
    if (t.as_bool() != all_) return Value::boolean(!all_);
  }
  return saw_null ? Value::null(oid::kBool) : Value::boolean(all_);
}

std::string ArrayAnyExpr::key() const {
  return lhs->key() + (all_ ? " all(" : " any(") + array->key() + "," + test->key() + ")";
}

std::string SubqueryExpr::key() const { return "subquery@" + std::to_string(reinterpret_cast<uintptr_t>(this)); }

Value DomainCheckExpr::eval(const Row& row, ExecContext& ctx) const {
  Value v = arg->eval(row, ctx);
  if (v.is_null() && not_null)
    throw make_error(sqlstate::kNotNullViolation, "domain {} does not allow null values", domain)
        .with_datatype(schema, type_name);
  if (checks.empty()) return v;
  Row value{v};
  for (size_t i = 0; i < checks.size(); ++i) {
    Value ok = checks[i]->eval(value, ctx);
    if (!ok.is_null() && !ok.as_bool())
      throw make_error(sqlstate::kCheckViolation, "value for domain {} violates check constraint \"{}\"", domain,
                       check_names[i])
          .with_datatype(schema, type_name)
          .with_constraint(check_names[i]);
  }
  return v;
}

Value MultiAssignExpr::eval(const Row& row, ExecContext& ctx) const {
  if (first) source->value = source->row->eval(row, ctx);
  return source->value.is_null() ? Value::null(type) : record::field(source->value, index);
}

Value UserFuncExpr::eval(const Row& row, ExecContext& ctx) const {
  std::vector<Value> values;
  values.reserve(args.size());
  for (const auto& a : args) {
    values.push_back(a->eval(row, ctx));
    if (strict && values.back().is_null()) return Value::null(type);
  }
  if (!ctx.services) raise(sqlstate::kFeatureNotSupported, "functions of CREATE FUNCTION cannot run here");
  return ctx.services->call_function(function, values, ctx);
}

std::string UserFuncExpr::key() const {
  std::string k = "fn" + std::to_string(function) + "(";
  for (const auto& a : args) k += a->key() + ",";
  return k + ")";
}

}  // namespace heliosdb::exec
