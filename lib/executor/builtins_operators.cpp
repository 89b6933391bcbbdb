// Arithmetic, comparison, concatenation and pattern-matching operators.
#include <cmath>

#include "common/array.h"
#include "common/errors.h"
#include "common/float_text.h"
#include "common/numeric.h"
#include "common/types.h"
#include "common/type_io.h"
#include "executor/builtins.h"
#include "executor/like.h"

namespace heliosdb::exec {

int64_t int_result(__int128 v, uint32_t type) {
  bool bad = type == oid::kInt2 ? (v < INT16_MIN || v > INT16_MAX)
             : type == oid::kInt4 ? (v < INT32_MIN || v > INT32_MAX)
                                  : (v < INT64_MIN || v > INT64_MAX);
  if (bad)
    raise(sqlstate::kNumericValueOutOfRange, "{} out of range",
          type == oid::kInt2 ? "smallint" : type == oid::kInt4 ? "integer" : "bigint");
  return static_cast<int64_t>(v);
}

namespace {

constexpr uint32_t kInts[] = {oid::kInt2, oid::kInt4, oid::kInt8};
constexpr uint32_t kFloats[] = {oid::kFloat4, oid::kFloat8};

template <uint32_t T, char Op>
Value int_op(const Value* a, size_t, ExecContext&) {
  __int128 x = a[0].as_int(), y = a[1].as_int();
  switch (Op) {
    case '+': return Value::of(T, int_result(x + y, T));
    case '-': return Value::of(T, int_result(x - y, T));
    case '*': return Value::of(T, int_result(x * y, T));
    case '/':
      if (y == 0) raise(sqlstate::kDivisionByZero, "division by zero");
      return Value::of(T, int_result(x / y, T));
    default:  // '%'
      if (y == 0) raise(sqlstate::kDivisionByZero, "division by zero");
      return Value::of(T, static_cast<int64_t>(x % y));
  }
}

// Bitwise operators on integers: & | # (xor), ~, and shifts by an int4 count.
template <uint32_t T, char Op>
Value bit_op(const Value* a, size_t, ExecContext&) {
  int64_t x = a[0].as_int(), y = a[1].as_int();
  int bits = T == oid::kInt2 ? 16 : T == oid::kInt4 ? 32 : 64;
  auto wrap = [&](int64_t v) {  // keep the type's width, as PostgreSQL's C types do
    if (bits == 16) return static_cast<int64_t>(static_cast<int16_t>(v));
    if (bits == 32) return static_cast<int64_t>(static_cast<int32_t>(v));
    return v;
  };
  switch (Op) {
    case '&': return Value::of(T, x & y);
    case '|': return Value::of(T, x | y);
    case '#': return Value::of(T, x ^ y);
    case '<': return Value::of(T, wrap(y >= bits || y <= -bits ? 0 : y >= 0 ? static_cast<int64_t>(static_cast<uint64_t>(x) << y) : x >> -y));
    default: return Value::of(T, wrap(y >= bits ? (x < 0 ? -1 : 0) : y >= 0 ? x >> y : static_cast<int64_t>(static_cast<uint64_t>(x) << -y)));
  }
}
template <uint32_t T>
Value bit_not(const Value* a, size_t, ExecContext&) { return Value::of(T, ~a[0].as_int()); }

double check_float(double r, bool inf_ok, bool zero_ok) {
  if (std::isinf(r) && !inf_ok) raise(sqlstate::kNumericValueOutOfRange, "value out of range: overflow");
  if (r == 0 && !zero_ok) raise(sqlstate::kNumericValueOutOfRange, "value out of range: underflow");
  return r;
}

template <uint32_t T, char Op>
Value float_op(const Value* a, size_t, ExecContext&) {
  double x = a[0].as_double(), y = a[1].as_double();
  bool inf = std::isinf(x) || std::isinf(y);
  double r;
  switch (Op) {
    case '+': r = check_float(x + y, inf, true); break;
    case '-': r = check_float(x - y, inf, true); break;
    case '*': r = check_float(x * y, inf, x == 0 || y == 0); break;
    default:
      if (y == 0 && !std::isnan(x)) raise(sqlstate::kDivisionByZero, "division by zero");  // NaN / 0 is NaN
      r = check_float(x / y, std::isinf(x) || std::isnan(x), x == 0 || std::isinf(y) || std::isnan(x));
  }
  if (T == oid::kFloat4) {
    float f = static_cast<float>(r);
    if (std::isinf(f) && !inf) raise(sqlstate::kNumericValueOutOfRange, "value out of range: overflow");
    r = f;
  }
  return Value::of(T, r);
}

template <char Op>
Value numeric_op(const Value* a, size_t, ExecContext&) {
  const std::string &x = a[0].as_string(), &y = a[1].as_string();
  switch (Op) {
    case '+': return Value::of(oid::kNumeric, numeric::add(x, y));
    case '-': return Value::of(oid::kNumeric, numeric::sub(x, y));
    case '*': return Value::of(oid::kNumeric, numeric::mul(x, y));
    case '/': return Value::of(oid::kNumeric, numeric::div(x, y));
    default: return Value::of(oid::kNumeric, numeric::mod(x, y));
  }
}

template <int Cmp>  // 0 =, 1 <>, 2 <, 3 <=, 4 >, 5 >=
Value cmp_op(const Value* a, size_t, ExecContext&) {
  int c = compare_values(a[0], a[1]);
  bool r = Cmp == 0 ? c == 0 : Cmp == 1 ? c != 0 : Cmp == 2 ? c < 0 : Cmp == 3 ? c <= 0 : Cmp == 4 ? c > 0 : c >= 0;
  return Value::boolean(r);
}

Value neg_int(const Value* a, size_t, ExecContext&) {
  return Value::of(a[0].type(), int_result(-static_cast<__int128>(a[0].as_int()), a[0].type()));
}
Value neg_float(const Value* a, size_t, ExecContext&) { return Value::of(a[0].type(), -a[0].as_double()); }
Value neg_numeric(const Value* a, size_t, ExecContext&) { return Value::of(oid::kNumeric, numeric::neg(a[0].as_string())); }
Value pos_any(const Value* a, size_t, ExecContext&) { return a[0]; }

Value concat_text(const Value* a, size_t, ExecContext& ctx) {
  auto text = [&](const Value& v) {
    if (types::is_string(v.type())) {
      if (v.type() == oid::kBpchar) {
        std::string s = v.as_string();
        while (!s.empty() && s.back() == ' ') s.pop_back();
        return s;
      }
      return v.as_string();
    }
    return types::format_text(v, ctx.text);
  };
  return Value::text(text(a[0]) + text(a[1]));
}

Value concat_bytea(const Value* a, size_t, ExecContext&) {
  return Value::of(oid::kBytea, a[0].as_string() + a[1].as_string());
}

template <bool CaseInsensitive, bool Negate>
Value like_op(const Value* a, size_t, ExecContext&) {
  bool m = like_match(a[0].as_string(), a[1].as_string(), CaseInsensitive, '\\');
  return Value::boolean(m != Negate);
}

Value bool_and_op(const Value* a, size_t, ExecContext&) { return Value::boolean(a[0].as_bool() && a[1].as_bool()); }

const types::EnumType& enum_arg(const Value& v) {
  const types::EnumType* e = types::enum_of(v.type());
  if (!e) raise(sqlstate::kInternalError, "cache lookup failed for type {}", v.type());
  return *e;
}

template <bool First>
Value enum_first_last(const Value* a, size_t, ExecContext&) {
  const auto& e = enum_arg(a[0]);
  if (e.labels.empty()) return Value::null(e.oid);
  return Value::of(e.oid, First ? e.labels.front() : e.labels.back());
}

// enum_range(anyenum): every label; enum_range(lo, hi): those between (NULL: open end).
Value enum_range(const Value* a, size_t n, ExecContext&) {
  const auto& e = enum_arg(a[0]);
  size_t lo = 0, hi = e.labels.size();
  if (n == 2) {
    if (!a[0].is_null()) lo = static_cast<size_t>(e.label_index(a[0].as_string()));
    if (!a[1].is_null()) hi = static_cast<size_t>(e.label_index(a[1].as_string())) + 1;
  }
  std::vector<Value> items;
  for (size_t i = lo; i < hi; ++i) items.push_back(Value::of(e.oid, e.labels[i]));
  return array::make(e.array_oid, array::Array::of(e.oid, std::move(items)));
}

void add_cmp(std::vector<FuncDef>& out, uint32_t t) {
  out.push_back({"=", {t, t}, oid::kBool, cmp_op<0>});
  out.push_back({"<>", {t, t}, oid::kBool, cmp_op<1>});
  out.push_back({"<", {t, t}, oid::kBool, cmp_op<2>});
  out.push_back({"<=", {t, t}, oid::kBool, cmp_op<3>});
  out.push_back({">", {t, t}, oid::kBool, cmp_op<4>});
  out.push_back({">=", {t, t}, oid::kBool, cmp_op<5>});
}

template <uint32_t T>
void add_int_arith(std::vector<FuncDef>& out) {
  out.push_back({"+", {T, T}, T, int_op<T, '+'>});
  out.push_back({"-", {T, T}, T, int_op<T, '-'>});
  out.push_back({"*", {T, T}, T, int_op<T, '*'>});
  out.push_back({"/", {T, T}, T, int_op<T, '/'>});
  out.push_back({"%", {T, T}, T, int_op<T, '%'>});
  out.push_back({"&", {T, T}, T, bit_op<T, '&'>});
  out.push_back({"|", {T, T}, T, bit_op<T, '|'>});
  out.push_back({"#", {T, T}, T, bit_op<T, '#'>});
  out.push_back({"<<", {T, oid::kInt4}, T, bit_op<T, '<'>});
  out.push_back({">>", {T, oid::kInt4}, T, bit_op<T, '>'>});
  out.push_back({"~", {T}, T, bit_not<T>});
  out.push_back({"-", {T}, T, neg_int});
  out.push_back({"+", {T}, T, pos_any});
}

template <uint32_t T>
void add_float_arith(std::vector<FuncDef>& out) {
  out.push_back({"+", {T, T}, T, float_op<T, '+'>});
  out.push_back({"-", {T, T}, T, float_op<T, '-'>});
  out.push_back({"*", {T, T}, T, float_op<T, '*'>});
  out.push_back({"/", {T, T}, T, float_op<T, '/'>});
  out.push_back({"-", {T}, T, neg_float});
  out.push_back({"+", {T}, T, pos_any});
}

}  // namespace

void register_operators(std::vector<FuncDef>& out) {
  add_int_arith<oid::kInt2>(out);
  add_int_arith<oid::kInt4>(out);
  add_int_arith<oid::kInt8>(out);
  add_float_arith<oid::kFloat4>(out);
  add_float_arith<oid::kFloat8>(out);
  // float4 with float8 computes in float8 (PostgreSQL's float48 and float84 operators).
  for (auto [l, r] : {std::pair{oid::kFloat4, oid::kFloat8}, std::pair{oid::kFloat8, oid::kFloat4}}) {
    out.push_back({"+", {l, r}, oid::kFloat8, float_op<oid::kFloat8, '+'>});
    out.push_back({"-", {l, r}, oid::kFloat8, float_op<oid::kFloat8, '-'>});
    out.push_back({"*", {l, r}, oid::kFloat8, float_op<oid::kFloat8, '*'>});
    out.push_back({"/", {l, r}, oid::kFloat8, float_op<oid::kFloat8, '/'>});
  }
  out.push_back({"+", {oid::kNumeric, oid::kNumeric}, oid::kNumeric, numeric_op<'+'>});
  out.push_back({"-", {oid::kNumeric, oid::kNumeric}, oid::kNumeric, numeric_op<'-'>});
  out.push_back({"*", {oid::kNumeric, oid::kNumeric}, oid::kNumeric, numeric_op<'*'>});
  out.push_back({"/", {oid::kNumeric, oid::kNumeric}, oid::kNumeric, numeric_op<'/'>});
  out.push_back({"%", {oid::kNumeric, oid::kNumeric}, oid::kNumeric, numeric_op<'%'>});
  out.push_back({"-", {oid::kNumeric}, oid::kNumeric, neg_numeric});
  out.push_back({"+", {oid::kNumeric}, oid::kNumeric, pos_any});
  for (uint32_t t : {oid::kInt2, oid::kInt4, oid::kInt8, oid::kFloat4, oid::kFloat8, oid::kNumeric,
                     oid::kBool, oid::kText, oid::kBpchar, oid::kName, oid::kBytea, oid::kUuid,
                     oid::kDate, oid::kTime, oid::kTimestamp, oid::kTimestamptz, oid::kInterval,
                     oid::kOid, oid::kJsonb, oid::kChar})
    add_cmp(out, t);
  add_cmp(out, types::kAnyEnum);
  add_cmp(out, oid::kRecord);  // record_eq & co.: any two records, field by field
  out.push_back({"enum_first", {types::kAnyEnum}, types::kAnyEnum, enum_first_last<true>, false});
  out.push_back({"enum_last", {types::kAnyEnum}, types::kAnyEnum, enum_first_last<false>, false});
  out.push_back({"enum_range", {types::kAnyEnum}, oid::kAnyArray, enum_range, false});
  out.push_back({"enum_range", {types::kAnyEnum, types::kAnyEnum}, oid::kAnyArray, enum_range, false});
  out.push_back({"||", {oid::kText, oid::kText}, oid::kText, concat_text});
  out.push_back({"textcat", {oid::kText, oid::kText}, oid::kText, concat_text});  // the function behind text || text
  out.push_back({"byteacat", {oid::kBytea, oid::kBytea}, oid::kBytea, concat_bytea});
  out.push_back({"||", {oid::kText, kAnyNonArray}, oid::kText, concat_text});
  out.push_back({"||", {kAnyNonArray, oid::kText}, oid::kText, concat_text});
  out.push_back({"||", {oid::kBytea, oid::kBytea}, oid::kBytea, concat_bytea});
  out.push_back({"~~", {oid::kText, oid::kText}, oid::kBool, like_op<false, false>});
  out.push_back({"!~~", {oid::kText, oid::kText}, oid::kBool, like_op<false, true>});
  out.push_back({"~~*", {oid::kText, oid::kText}, oid::kBool, like_op<true, false>});
  out.push_back({"!~~*", {oid::kText, oid::kText}, oid::kBool, like_op<true, true>});
  (void)bool_and_op;
  (void)kInts;
  (void)kFloats;
}

}  // namespace heliosdb::exec
