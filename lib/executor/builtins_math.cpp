// Mathematical functions over integers, numeric and floats.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <random>
#include <utility>

#include "common/array.h"
#include "common/errors.h"
#include "common/numeric.h"
#include "executor/builtins.h"
#include "executor/float_stats.h"

namespace heliosdb::exec {
namespace {

Value abs_int(const Value* a, size_t, ExecContext&) {
  return Value::of(a[0].type(), int_result(a[0].as_int() < 0 ? -static_cast<__int128>(a[0].as_int()) : a[0].as_int(), a[0].type()));
}
Value abs_float(const Value* a, size_t, ExecContext&) { return Value::of(a[0].type(), std::fabs(a[0].as_double())); }
Value abs_numeric(const Value* a, size_t, ExecContext&) { return Value::of(oid::kNumeric, numeric::abs(a[0].as_string())); }

Value round_numeric(const Value* a, size_t n, ExecContext&) {
  return Value::of(oid::kNumeric, numeric::round(a[0].as_string(), n > 1 ? static_cast<int>(a[1].as_int()) : 0));
}
Value trunc_numeric(const Value* a, size_t n, ExecContext&) {
  return Value::of(oid::kNumeric, numeric::trunc(a[0].as_string(), n > 1 ? static_cast<int>(a[1].as_int()) : 0));
}
Value ceil_numeric(const Value* a, size_t, ExecContext&) { return Value::of(oid::kNumeric, numeric::ceil(a[0].as_string())); }
Value floor_numeric(const Value* a, size_t, ExecContext&) { return Value::of(oid::kNumeric, numeric::floor(a[0].as_string())); }
Value sign_numeric(const Value* a, size_t, ExecContext&) { return Value::of(oid::kNumeric, numeric::sign(a[0].as_string())); }
Value sqrt_numeric(const Value* a, size_t, ExecContext&) { return Value::of(oid::kNumeric, numeric::sqrt(a[0].as_string())); }
// scale, min_scale and trim_scale: the digits after the point, as shown and as needed (NULL
// for NaN and infinities).
std::string_view fraction(const std::string& v) {
  size_t dot = v.find('.');
  return dot == std::string::npos ? std::string_view() : std::string_view(v).substr(dot + 1);
}
bool finite_numeric(const std::string& v) { return !v.empty() && (std::isdigit(static_cast<unsigned char>(v.back()))); }
Value scale_numeric(const Value* a, size_t, ExecContext&) {
  const std::string& v = a[0].as_string();
  return finite_numeric(v) ? Value::int4(static_cast<int32_t>(fraction(v).size())) : Value::null(oid::kInt4);
}
Value min_scale_numeric(const Value* a, size_t, ExecContext&) {
  const std::string& v = a[0].as_string();
  if (!finite_numeric(v)) return Value::null(oid::kInt4);
  std::string_view f = fraction(v);
  size_t last = f.find_last_not_of('0');
  return Value::int4(last == std::string_view::npos ? 0 : static_cast<int32_t>(last + 1));
}
Value trim_scale_numeric(const Value* a, size_t, ExecContext&) {
  std::string v = a[0].as_string();
  if (finite_numeric(v) && v.find('.') != std::string::npos) {
    v.erase(v.find_last_not_of('0') + 1);
    if (v.back() == '.') v.pop_back();
    if (v == "-0") v = "0";
  }
  return Value::of(oid::kNumeric, std::move(v));
}
Value exp_numeric(const Value* a, size_t, ExecContext&) { return Value::of(oid::kNumeric, numeric::exp(a[0].as_string())); }
Value ln_numeric(const Value* a, size_t, ExecContext&) { return Value::of(oid::kNumeric, numeric::ln(a[0].as_string())); }
Value log10_numeric(const Value* a, size_t, ExecContext&) { return Value::of(oid::kNumeric, numeric::log10(a[0].as_string())); }
Value log_numeric(const Value* a, size_t, ExecContext&) {
  return Value::of(oid::kNumeric, numeric::log(a[0].as_string(), a[1].as_string()));
}
Value power_numeric(const Value* a, size_t, ExecContext&) {
  return Value::of(oid::kNumeric, numeric::power(a[0].as_string(), a[1].as_string()));
}
Value mod_numeric(const Value* a, size_t, ExecContext&) { return Value::of(oid::kNumeric, numeric::mod(a[0].as_string(), a[1].as_string())); }
Value div_numeric(const Value* a, size_t, ExecContext&) {
  return Value::of(oid::kNumeric, numeric::div_trunc(a[0].as_string(), a[1].as_string()));
}

Value mod_int(const Value* a, size_t, ExecContext&) {
  if (a[1].as_int() == 0) raise(sqlstate::kDivisionByZero, "division by zero");
  if (a[1].as_int() == -1) return Value::of(a[0].type(), int64_t{0});
  return Value::of(a[0].type(), a[0].as_int() % a[1].as_int());
}

template <double (*F)(double)>
Value float_fn(const Value* a, size_t, ExecContext&) { return Value::float8(F(a[0].as_double())); }

// Trigonometric and hyperbolic functions: "input is out of range" (22003) outside their domain
// (and for infinite arguments of the periodic ones), NaN for NaN, as PostgreSQL's float.c.
[[noreturn]] void out_of_range() { raise(sqlstate::kNumericValueOutOfRange, "input is out of range"); }
template <double (*F)(double), int Domain>  // 0: all reals, 1: finite, 2: [-1, 1], 3: [1, inf), 4: [-1, 1] with poles
Value trig_fn(const Value* a, size_t, ExecContext&) {
  double x = a[0].as_double();
  if (std::isnan(x)) return Value::float8(x);
  if ((Domain == 1 && std::isinf(x)) || ((Domain == 2 || Domain == 4) && (x < -1 || x > 1)) || (Domain == 3 && x < 1))
    out_of_range();
  if (Domain == 4 && (x == 1 || x == -1)) return Value::float8(x > 0 ? HUGE_VAL : -HUGE_VAL);
  return Value::float8(F(x));
}
double cot(double x) { return 1.0 / std::tan(x); }
constexpr double kRadiansPerDegree = 0.0174532925199432957692;
double degrees(double x) { return x / kRadiansPerDegree; }
double radians(double x) { return x * kRadiansPerDegree; }
Value atan2_float(const Value* a, size_t, ExecContext&) { return Value::float8(std::atan2(a[0].as_double(), a[1].as_double())); }

// factorial(n): n! as numeric.
Value factorial(const Value* a, size_t, ExecContext&) {
  int64_t n = a[0].as_int();
  if (n < 0) raise(sqlstate::kNumericValueOutOfRange, "factorial of a negative number is undefined");
  if (n > 32177) raise(sqlstate::kNumericValueOutOfRange, "value overflows numeric format");
  std::string r = "1";
  for (int64_t i = 2; i <= n; ++i) r = numeric::mul(r, numeric::from_int64(i));
  return Value::of(oid::kNumeric, r);
}

Value round_float(const Value* a, size_t, ExecContext&) { return Value::float8(std::nearbyint(a[0].as_double())); }
Value sqrt_float(const Value* a, size_t, ExecContext&) {
  double d = a[0].as_double();
  if (d < 0) raise(sqlstate::kInvalidArgumentForPowerFunction, "cannot take square root of a negative number");
  return Value::float8(std::sqrt(d));
}
Value ln_float(const Value* a, size_t, ExecContext&) {
  double d = a[0].as_double();
  if (d == 0) raise(sqlstate::kInvalidArgumentForLog, "cannot take logarithm of zero");
  if (d < 0) raise(sqlstate::kInvalidArgumentForLog, "cannot take logarithm of a negative number");
  return Value::float8(std::log(d));
}
Value log10_float(const Value* a, size_t, ExecContext&) {
  double d = a[0].as_double();
  if (d == 0) raise(sqlstate::kInvalidArgumentForLog, "cannot take logarithm of zero");
  if (d < 0) raise(sqlstate::kInvalidArgumentForLog, "cannot take logarithm of a negative number");
  return Value::float8(std::log10(d));
}
Value power_float(const Value* a, size_t, ExecContext&) {
  double x = a[0].as_double(), y = a[1].as_double();
  if (x == 0 && y < 0)
    raise(sqlstate::kInvalidArgumentForPowerFunction, "zero raised to a negative power is undefined");
  if (x < 0 && std::floor(y) != y)
    raise(sqlstate::kInvalidArgumentForPowerFunction, "a negative number raised to a non-integer power yields a complex result");
  double r = std::pow(x, y);
  if (std::isinf(r) && !std::isinf(x) && !std::isinf(y)) raise(sqlstate::kNumericValueOutOfRange, "value out of range: overflow");
  return Value::float8(r);
}
Value sign_float(const Value* a, size_t, ExecContext&) {
  double d = a[0].as_double();
  return Value::float8(d > 0 ? 1 : d < 0 ? -1 : 0);
}
Value pi_fn(const Value*, size_t, ExecContext&) { return Value::float8(M_PI); }
Value random_fn(const Value*, size_t, ExecContext&) {
  thread_local std::mt19937_64 gen{std::random_device{}()};
  return Value::float8(std::uniform_real_distribution<double>(0.0, 1.0)(gen));
}

// gcd and lcm of integers: computed wide, "integer out of range" when the result does not fit
// (gcd(-2147483648, 0) is 2^31).
__int128 gcd_wide(__int128 a, __int128 b) {
  if (a < 0) a = -a;
  if (b < 0) b = -b;
  while (b != 0) a = std::exchange(b, a % b);
  return a;
}
Value gcd_int(const Value* a, size_t, ExecContext&) {
  uint32_t t = a[0].type();
  return Value::of(t, int_result(gcd_wide(a[0].as_int(), a[1].as_int()), t));
}
Value lcm_int(const Value* a, size_t, ExecContext&) {
  uint32_t t = a[0].type();
  __int128 x = a[0].as_int(), y = a[1].as_int();
  if (x == 0 || y == 0) return Value::of(t, int64_t{0});
  __int128 r = x / gcd_wide(x, y) * y;
  return Value::of(t, int_result(r < 0 ? -r : r, t));
}

// gcd and lcm of numerics: Euclid's algorithm on exact values; the result has the larger of
// the two scales; NaN when either is NaN or infinite.
int numeric_scale(const std::string& v) { return static_cast<int>(fraction(v).size()); }
std::string gcd_numeric_text(std::string a, std::string b) {
  a = numeric::abs(a);
  b = numeric::abs(b);
  while (numeric::cmp(b, "0") != 0) a = std::exchange(b, numeric::mod(a, b));
  return a;
}
template <bool Lcm>
Value gcd_lcm_numeric(const Value* a, size_t, ExecContext&) {
  const std::string &x = a[0].as_string(), &y = a[1].as_string();
  if (!finite_numeric(x) || !finite_numeric(y)) return Value::of(oid::kNumeric, std::string("NaN"));
  int scale = std::max(numeric_scale(x), numeric_scale(y));
  std::string r;
  if (!Lcm) {
    r = gcd_numeric_text(x, y);
  } else if (numeric::cmp(x, "0") == 0 || numeric::cmp(y, "0") == 0) {
    r = "0";
  } else {
    r = numeric::abs(numeric::mul(numeric::trunc(numeric::div(x, gcd_numeric_text(x, y)), 0), y));
    size_t integer_digits = std::min(r.find('.'), r.size());
    if (integer_digits > 131072) raise(sqlstate::kNumericValueOutOfRange, "value overflows numeric format");
  }
  return Value::of(oid::kNumeric, numeric::round(r, scale));
}

// width_bucket(operand, low, high, count): the bucket of count equal-width buckets between the
// bounds (either order), 0 below them and count + 1 above, as PostgreSQL's width_bucket_float8
// and width_bucket_numeric.
[[noreturn]] void bucket_error(const char* message) { raise(sqlstate::kInvalidArgumentForWidthBucketFunction, "{}", message); }
int32_t past_last_bucket(int64_t count) { return static_cast<int32_t>(int_result(count + 1, oid::kInt4)); }
Value width_bucket_float(const Value* a, size_t, ExecContext&) {
  double x = a[0].as_double(), lo = a[1].as_double(), hi = a[2].as_double();
  int64_t count = a[3].as_int();
  if (count <= 0) bucket_error("count must be greater than zero");
  if (std::isnan(x) || std::isnan(lo) || std::isnan(hi)) bucket_error("operand, lower bound, and upper bound cannot be NaN");
  if (std::isinf(lo) || std::isinf(hi)) bucket_error("lower and upper bounds must be finite");
  if (lo == hi) bucket_error("lower bound cannot equal upper bound");
  bool reversed = lo > hi;
  if (reversed ? x > lo : x < lo) return Value::int4(0);
  if (reversed ? x <= hi : x >= hi) return Value::int4(past_last_bucket(count));
  double from = reversed ? lo - x : x - lo, width = reversed ? lo - hi : hi - lo;
  if (std::isinf(width)) {  // halve everything so the width fits
    from = reversed ? lo / 2 - x / 2 : x / 2 - lo / 2;
    width = reversed ? lo / 2 - hi / 2 : hi / 2 - lo / 2;
  }
  auto r = static_cast<int64_t>(static_cast<double>(count) * (from / width));
  return Value::int4(static_cast<int32_t>(std::min(r, count - 1) + 1));  // the quotient may round up to 1
}
Value width_bucket_numeric(const Value* a, size_t, ExecContext&) {
  const std::string &x = a[0].as_string(), &lo = a[1].as_string(), &hi = a[2].as_string();
  int64_t count = a[3].as_int();
  if (count <= 0) bucket_error("count must be greater than zero");
  if (x == "NaN" || lo == "NaN" || hi == "NaN") bucket_error("operand, lower bound, and upper bound cannot be NaN");
  if (!finite_numeric(lo) || !finite_numeric(hi)) bucket_error("lower and upper bounds must be finite");
  int c = numeric::cmp(lo, hi);
  if (c == 0) bucket_error("lower bound cannot equal upper bound");
  bool reversed = c > 0;
  if (reversed ? numeric::cmp(x, lo) > 0 : numeric::cmp(x, lo) < 0) return Value::int4(0);
  if (reversed ? numeric::cmp(x, hi) <= 0 : numeric::cmp(x, hi) >= 0) return Value::int4(past_last_bucket(count));
  std::string from = reversed ? numeric::sub(lo, x) : numeric::sub(x, lo);
  std::string width = reversed ? numeric::sub(lo, hi) : numeric::sub(hi, lo);
  std::string q = numeric::floor(numeric::div(numeric::mul(from, numeric::from_int64(count)), width));
  return Value::int4(static_cast<int32_t>(std::min(numeric::to_int64(q, "integer"), count - 1) + 1));
}

// float8_accum and float8_regr_accum, float8_combine and float8_regr_combine: the transition
// and combine functions of the float8 statistics aggregates, on their float8[] states.
constexpr uint32_t kFloat8Array = 1022;
FloatStats stats_of(const Value& v, size_t n, const char* fn) {
  array::Array arr = array::decode(v);
  bool ok = arr.dims.size() == 1 && arr.items.size() == n;
  for (const auto& item : arr.items) ok = ok && !item.is_null();
  if (!ok) raise(sqlstate::kInternalError, "{}: expected {}-element float8 array", fn, n);
  FloatStats s;
  for (size_t i = 0; i < n; ++i) s.v[i] = arr.items[i].as_double();
  return s;
}
Value stats_value(const FloatStats& s, size_t n) {
  std::vector<Value> items;
  for (size_t i = 0; i < n; ++i) items.push_back(Value::float8(s.v[i]));
  return array::make(kFloat8Array, array::Array::of(oid::kFloat8, std::move(items)));
}
Value float8_accum_fn(const Value* a, size_t, ExecContext&) {
  FloatStats s = stats_of(a[0], 3, "float8_accum");
  accum(s, a[1].as_double());
  return stats_value(s, 3);
}
Value float8_regr_accum_fn(const Value* a, size_t, ExecContext&) {
  FloatStats s = stats_of(a[0], 6, "float8_regr_accum");
  regr_accum(s, a[1].as_double(), a[2].as_double());
  return stats_value(s, 6);
}
template <bool Regr>
Value float8_combine_fn(const Value* a, size_t, ExecContext&) {
  const char* fn = Regr ? "float8_regr_combine" : "float8_combine";
  size_t n = Regr ? 6 : 3;
  FloatStats s = stats_of(a[0], n, fn);
  combine(s, stats_of(a[1], n, fn), Regr);
  return stats_value(s, n);
}

}  // namespace

void register_math_functions(std::vector<FuncDef>& out) {
  using namespace oid;
  // The prefix operators: @ (absolute value), |/ (square root), ||/ (cube root).
  for (uint32_t t : {kInt2, kInt4, kInt8}) out.push_back({"@", {t}, t, abs_int});
  for (uint32_t t : {kFloat4, kFloat8}) out.push_back({"@", {t}, t, abs_float});
  out.push_back({"@", {kNumeric}, kNumeric, abs_numeric});
  out.push_back({"|/", {kFloat8}, kFloat8, sqrt_float});
  out.push_back({"||/", {kFloat8}, kFloat8, trig_fn<static_cast<double (*)(double)>(std::cbrt), 0>});
  for (uint32_t t : {kInt2, kInt4, kInt8}) {
    out.push_back({"abs", {t}, t, abs_int});
    out.push_back({"mod", {t, t}, t, mod_int});
  }
  for (uint32_t t : {kFloat4, kFloat8}) out.push_back({"abs", {t}, t, abs_float});
  out.push_back({"abs", {kNumeric}, kNumeric, abs_numeric});
  out.push_back({"round", {kNumeric}, kNumeric, round_numeric});
  out.push_back({"round", {kNumeric, kInt4}, kNumeric, round_numeric});
  out.push_back({"round", {kFloat8}, kFloat8, round_float});
  out.push_back({"trunc", {kNumeric}, kNumeric, trunc_numeric});
  out.push_back({"trunc", {kNumeric, kInt4}, kNumeric, trunc_numeric});
  out.push_back({"trunc", {kFloat8}, kFloat8, float_fn<std::trunc>});
  for (const char* n : {"ceil", "ceiling"}) {
    out.push_back({n, {kNumeric}, kNumeric, ceil_numeric});
    out.push_back({n, {kFloat8}, kFloat8, float_fn<std::ceil>});
  }
  out.push_back({"floor", {kNumeric}, kNumeric, floor_numeric});
  out.push_back({"floor", {kFloat8}, kFloat8, float_fn<std::floor>});
  out.push_back({"sign", {kNumeric}, kNumeric, sign_numeric});
  out.push_back({"scale", {kNumeric}, kInt4, scale_numeric});
  out.push_back({"min_scale", {kNumeric}, kInt4, min_scale_numeric});
  out.push_back({"trim_scale", {kNumeric}, kNumeric, trim_scale_numeric});
  out.push_back({"sign", {kFloat8}, kFloat8, sign_float});
  out.push_back({"sqrt", {kNumeric}, kNumeric, sqrt_numeric});
  out.push_back({"sqrt", {kFloat8}, kFloat8, sqrt_float});
  out.push_back({"exp", {kNumeric}, kNumeric, exp_numeric});
  out.push_back({"exp", {kFloat8}, kFloat8, float_fn<std::exp>});
  out.push_back({"ln", {kNumeric}, kNumeric, ln_numeric});
  out.push_back({"ln", {kFloat8}, kFloat8, ln_float});
  out.push_back({"log", {kNumeric}, kNumeric, log10_numeric});
  out.push_back({"log", {kNumeric, kNumeric}, kNumeric, log_numeric});
  out.push_back({"log", {kFloat8}, kFloat8, log10_float});
  out.push_back({"log10", {kNumeric}, kNumeric, log10_numeric});
  out.push_back({"log10", {kFloat8}, kFloat8, log10_float});
  for (const char* n : {"power", "pow"}) {
    out.push_back({n, {kNumeric, kNumeric}, kNumeric, power_numeric});
    out.push_back({n, {kFloat8, kFloat8}, kFloat8, power_float});
  }
  out.push_back({"^", {kNumeric, kNumeric}, kNumeric, power_numeric});
  out.push_back({"^", {kFloat8, kFloat8}, kFloat8, power_float});
  out.push_back({"mod", {kNumeric, kNumeric}, kNumeric, mod_numeric});
  out.push_back({"div", {kNumeric, kNumeric}, kNumeric, div_numeric});
  out.push_back({"pi", {}, kFloat8, pi_fn});
  out.push_back({"sin", {kFloat8}, kFloat8, trig_fn<static_cast<double (*)(double)>(std::sin), 1>});
  out.push_back({"cos", {kFloat8}, kFloat8, trig_fn<static_cast<double (*)(double)>(std::cos), 1>});
  out.push_back({"tan", {kFloat8}, kFloat8, trig_fn<static_cast<double (*)(double)>(std::tan), 1>});
  out.push_back({"cot", {kFloat8}, kFloat8, trig_fn<cot, 1>});
  out.push_back({"asin", {kFloat8}, kFloat8, trig_fn<static_cast<double (*)(double)>(std::asin), 2>});
  out.push_back({"acos", {kFloat8}, kFloat8, trig_fn<static_cast<double (*)(double)>(std::acos), 2>});
  out.push_back({"atan", {kFloat8}, kFloat8, trig_fn<static_cast<double (*)(double)>(std::atan), 0>});
  out.push_back({"atan2", {kFloat8, kFloat8}, kFloat8, atan2_float});
  out.push_back({"sinh", {kFloat8}, kFloat8, trig_fn<static_cast<double (*)(double)>(std::sinh), 0>});
  out.push_back({"cosh", {kFloat8}, kFloat8, trig_fn<static_cast<double (*)(double)>(std::cosh), 0>});
  out.push_back({"tanh", {kFloat8}, kFloat8, trig_fn<static_cast<double (*)(double)>(std::tanh), 0>});
  out.push_back({"asinh", {kFloat8}, kFloat8, trig_fn<static_cast<double (*)(double)>(std::asinh), 0>});
  out.push_back({"acosh", {kFloat8}, kFloat8, trig_fn<static_cast<double (*)(double)>(std::acosh), 3>});
  out.push_back({"atanh", {kFloat8}, kFloat8, trig_fn<static_cast<double (*)(double)>(std::atanh), 4>});
  out.push_back({"degrees", {kFloat8}, kFloat8, trig_fn<degrees, 0>});
  out.push_back({"radians", {kFloat8}, kFloat8, trig_fn<radians, 0>});
  out.push_back({"cbrt", {kFloat8}, kFloat8, trig_fn<static_cast<double (*)(double)>(std::cbrt), 0>});
  out.push_back({"factorial", {kInt8}, kNumeric, factorial});
  out.push_back({"random", {}, kFloat8, random_fn, true, true});
  for (uint32_t t : {kInt4, kInt8}) {
    out.push_back({"gcd", {t, t}, t, gcd_int});
    out.push_back({"lcm", {t, t}, t, lcm_int});
  }
  out.push_back({"gcd", {kNumeric, kNumeric}, kNumeric, gcd_lcm_numeric<false>});
  out.push_back({"lcm", {kNumeric, kNumeric}, kNumeric, gcd_lcm_numeric<true>});
  out.push_back({"width_bucket", {kFloat8, kFloat8, kFloat8, kInt4}, kInt4, width_bucket_float});
  out.push_back({"width_bucket", {kNumeric, kNumeric, kNumeric, kInt4}, kInt4, width_bucket_numeric});
  out.push_back({"float8_accum", {kFloat8Array, kFloat8}, kFloat8Array, float8_accum_fn});
  out.push_back({"float8_regr_accum", {kFloat8Array, kFloat8, kFloat8}, kFloat8Array, float8_regr_accum_fn});
  out.push_back({"float8_combine", {kFloat8Array, kFloat8Array}, kFloat8Array, float8_combine_fn<false>});
  out.push_back({"float8_regr_combine", {kFloat8Array, kFloat8Array}, kFloat8Array, float8_combine_fn<true>});
}

}  // namespace heliosdb::exec
