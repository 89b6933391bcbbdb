// Support functions of PostgreSQL's built-in aggregates that CREATE AGGREGATE may name as SFUNC
// or FINALFUNC: int4pl, int8inc, int8inc_any, int4_sum, int4_avg_accum, int8_avg, float8_avg, ...
#include <algorithm>

#include "common/array.h"
#include "common/errors.h"
#include "common/numeric.h"
#include "executor/builtins.h"

namespace heliosdb::exec {
namespace {

constexpr uint32_t kInt8Array = 1016;
constexpr uint32_t kFloat8Array = 1022;

template <uint32_t T, char Op>
Value int_op(const Value* a, size_t, ExecContext&) {
  __int128 x = a[0].as_int(), y = a[1].as_int();
  __int128 r = Op == '+' ? x + y : Op == '-' ? x - y : Op == '*' ? x * y : Op == '>' ? std::max(x, y) : std::min(x, y);
  return Value::of(T, int_result(r, T));
}

template <char Op>
Value float_op(const Value* a, size_t, ExecContext&) {
  double x = a[0].as_double(), y = a[1].as_double();
  double r = Op == '+' ? x + y : Op == '-' ? x - y : Op == '*' ? x * y : Op == '>' ? std::max(x, y) : std::min(x, y);
  return Value::float8(r);
}

Value int8inc(const Value* a, size_t, ExecContext&) { return Value::int8(int_result(__int128{a[0].as_int()} + 1, oid::kInt8)); }

// int2_sum / int4_sum (bigint, int): not strict, a NULL state takes the first value.
Value int_sum(const Value* a, size_t, ExecContext&) {
  if (a[0].is_null()) return a[1].is_null() ? Value::null(oid::kInt8) : Value::int8(a[1].as_int());
  if (a[1].is_null()) return a[0];
  return Value::int8(int_result(__int128{a[0].as_int()} + a[1].as_int(), oid::kInt8));
}

// int8_sum (numeric, bigint): likewise, in numeric.
Value int8_sum(const Value* a, size_t, ExecContext&) {
  if (a[0].is_null()) return a[1].is_null() ? Value::null(oid::kNumeric) : Value::of(oid::kNumeric, numeric::from_int64(a[1].as_int()));
  if (a[1].is_null()) return a[0];
  return Value::of(oid::kNumeric, numeric::add(a[0].as_string(), numeric::from_int64(a[1].as_int())));
}

// int2_avg_accum / int4_avg_accum (bigint[] {count, sum}, int).
Value int_avg_accum(const Value* a, size_t, ExecContext&) {
  array::Array st = array::decode(a[0]);
  if (st.items.size() != 2 || st.items[0].is_null() || st.items[1].is_null())
    raise(sqlstate::kInvalidParameterValue, "expected 2-element int8 array");
  st.items[0] = Value::int8(st.items[0].as_int() + 1);
  st.items[1] = Value::int8(int_result(__int128{st.items[1].as_int()} + a[1].as_int(), oid::kInt8));
  return array::make(kInt8Array, st);
}

// int8_avg (bigint[] {count, sum}): sum / count as numeric, NULL for no rows.
Value int8_avg(const Value* a, size_t, ExecContext&) {
  array::Array st = array::decode(a[0]);
  if (st.items.size() != 2 || st.items[0].is_null() || st.items[1].is_null())
    raise(sqlstate::kInvalidParameterValue, "expected 2-element int8 array");
  if (st.items[0].as_int() == 0) return Value::null(oid::kNumeric);
  return Value::of(oid::kNumeric, numeric::div(numeric::from_int64(st.items[1].as_int()), numeric::from_int64(st.items[0].as_int())));
}

// float8_avg (float8[] {N, Sx, Sxx} of float8_accum).
Value float8_avg(const Value* a, size_t, ExecContext&) {
  array::Array st = array::decode(a[0]);
  if (st.items.size() != 3) raise(sqlstate::kInvalidParameterValue, "float8_avg: expected 3-element float8 array");
  double n = st.items[0].as_double();
  if (n == 0) return Value::null(oid::kFloat8);
  return Value::float8(st.items[1].as_double() / n);
}

Value numeric_add(const Value* a, size_t, ExecContext&) {
  return Value::of(oid::kNumeric, numeric::add(a[0].as_string(), a[1].as_string()));
}

}  // namespace

void register_agg_support_functions(std::vector<FuncDef>& out) {
  using namespace oid;
  out.push_back({"int2pl", {kInt2, kInt2}, kInt2, int_op<kInt2, '+'>});
  out.push_back({"int4pl", {kInt4, kInt4}, kInt4, int_op<kInt4, '+'>});
  out.push_back({"int8pl", {kInt8, kInt8}, kInt8, int_op<kInt8, '+'>});
  out.push_back({"int4mi", {kInt4, kInt4}, kInt4, int_op<kInt4, '-'>});
  out.push_back({"int8mi", {kInt8, kInt8}, kInt8, int_op<kInt8, '-'>});
  out.push_back({"int4mul", {kInt4, kInt4}, kInt4, int_op<kInt4, '*'>});
  out.push_back({"int8mul", {kInt8, kInt8}, kInt8, int_op<kInt8, '*'>});
  out.push_back({"int4larger", {kInt4, kInt4}, kInt4, int_op<kInt4, '>'>});
  out.push_back({"int4smaller", {kInt4, kInt4}, kInt4, int_op<kInt4, '<'>});
  out.push_back({"int8larger", {kInt8, kInt8}, kInt8, int_op<kInt8, '>'>});
  out.push_back({"int8smaller", {kInt8, kInt8}, kInt8, int_op<kInt8, '<'>});
  out.push_back({"float8pl", {kFloat8, kFloat8}, kFloat8, float_op<'+'>});
  out.push_back({"float8mi", {kFloat8, kFloat8}, kFloat8, float_op<'-'>});
  out.push_back({"float8mul", {kFloat8, kFloat8}, kFloat8, float_op<'*'>});
  out.push_back({"float8larger", {kFloat8, kFloat8}, kFloat8, float_op<'>'>});
  out.push_back({"float8smaller", {kFloat8, kFloat8}, kFloat8, float_op<'<'>});
  out.push_back({"numeric_add", {kNumeric, kNumeric}, kNumeric, numeric_add});
  out.push_back({"int8inc", {kInt8}, kInt8, int8inc});
  out.push_back({"int8inc_any", {kInt8, kAnyType}, kInt8, int8inc});
  out.push_back({"int2_sum", {kInt8, kInt2}, kInt8, int_sum, false});
  out.push_back({"int4_sum", {kInt8, kInt4}, kInt8, int_sum, false});
  out.push_back({"int8_sum", {kNumeric, kInt8}, kNumeric, int8_sum, false});
  out.push_back({"int2_avg_accum", {kInt8Array, kInt2}, kInt8Array, int_avg_accum});
  out.push_back({"int4_avg_accum", {kInt8Array, kInt4}, kInt8Array, int_avg_accum});
  out.push_back({"int8_avg", {kInt8Array}, kNumeric, int8_avg});
  out.push_back({"float8_avg", {kFloat8Array}, kFloat8, float8_avg});
}

}  // namespace heliosdb::exec
