// Casts between types, and the implicit-coercion table used by operator resolution.
#include <cmath>

#include "common/array.h"
#include "common/datetime_io.h"
#include "common/errors.h"
#include "common/float_text.h"
#include "common/jsonb.h"
#include "common/numeric.h"
#include "common/type_io.h"
#include "common/types.h"
#include "executor/functions.h"

namespace heliosdb::exec {
namespace {

int numeric_rank(uint32_t t) {
  switch (t) {
    case oid::kInt2: return 1;
    case oid::kInt4: return 2;
    case oid::kInt8: return 3;
    case oid::kNumeric: return 4;
    case oid::kFloat4: return 5;
    case oid::kFloat8: return 6;
    default: return 0;
  }
}

const char* int_name(uint32_t t) {
  return t == oid::kInt2 ? "smallint" : t == oid::kInt4 ? "integer" : "bigint";
}

int64_t check_int_range(int64_t v, uint32_t to) {
  if ((to == oid::kInt2 && (v < INT16_MIN || v > INT16_MAX)) ||
      (to == oid::kInt4 && (v < INT32_MIN || v > INT32_MAX)))
    raise(sqlstate::kNumericValueOutOfRange, "{} out of range", int_name(to));
  return v;
}

int64_t float_to_int(double d, uint32_t to) {
  d = std::nearbyint(d);  // PostgreSQL rounds with rint(): half to even
  if (std::isnan(d) || d < -9223372036854775808.0 || d >= 9223372036854775808.0)
    raise(sqlstate::kNumericValueOutOfRange, "{} out of range", int_name(to));
  return check_int_range(static_cast<int64_t>(d), to);
}

}  // namespace

bool can_coerce_implicit(uint32_t from, uint32_t to) {
  if (from == to || from == oid::kUnknownType || to == kAnyType) return true;
  // oid and the reg* types convert to each other freely; integers to them.
  if ((from == oid::kOid || types::is_reg(from)) && (to == oid::kOid || types::is_reg(to))) return true;
  if (types::is_reg(to) && types::is_integer(from)) return true;
  // An array converts when its elements do; int2vector and oidvector are int2[] and oid[].
  if (uint32_t fe = array::element_type(from), te = array::element_type(to); fe && te) {
    if (to == oid::kInt2Vector || to == oid::kOidVector) return false;
    return can_coerce_implicit(fe, te);
  }
  int rf = numeric_rank(from), rt = numeric_rank(to);
  if (rf && rt) return rf < rt;
  if ((from == oid::kInt2 || from == oid::kInt4 || from == oid::kInt8) &&
      (to == oid::kOid || to == oid::kRegclass))
    return true;
  bool sf = types::is_string(from) || from == oid::kChar, st = types::is_string(to);
  if (sf && st) return to == oid::kText || from == oid::kText || from == oid::kVarchar || from == oid::kName;
  if (from == oid::kDate) return to == oid::kTimestamp || to == oid::kTimestamptz;
  if (from == oid::kTimestamp) return to == oid::kTimestamptz;
  if (from == oid::kTime) return to == oid::kInterval;
  return false;
}

bool can_cast(uint32_t from, uint32_t to) {
  if (can_coerce_implicit(from, to)) return true;
  if (uint32_t fe = array::element_type(from), te = array::element_type(to); fe && te) return can_cast(fe, te);
  if (types::is_string(from) || types::is_string(to)) return true;  // via text I/O
  if (numeric_rank(from) && numeric_rank(to)) return true;
  if ((from == oid::kBool && to == oid::kInt4) || (from == oid::kInt4 && to == oid::kBool)) return true;
  if ((from == oid::kJson && to == oid::kJsonb) || (from == oid::kJsonb && to == oid::kJson)) return true;
  if (from == oid::kJsonb && (to == oid::kBool || numeric_rank(to))) return true;
  if (from == oid::kTimestamptz && (to == oid::kTimestamp || to == oid::kDate || to == oid::kTime)) return true;
  if (from == oid::kTimestamp && (to == oid::kDate || to == oid::kTime)) return true;
  if (from == oid::kInterval && to == oid::kTime) return true;
  if ((from == oid::kOid || types::is_reg(from)) && numeric_rank(to) && numeric_rank(to) <= 3) return true;
  return false;
}

Value cast_value(const Value& v, uint32_t to, int32_t typmod, bool explicit_cast, ExecContext& ctx) {
  uint32_t from = v.type();
  if (v.is_null()) return Value::null(to);
  if (from == to) {
    if (typmod < 0 || !array::is_array(to)) return types::apply_typmod(v, typmod, explicit_cast);
  }
  if (uint32_t fe = array::element_type(from), te = array::element_type(to); fe && te) {
    // Element by element (varchar(2)[] applies the typmod to each); the bounds stay.
    array::Array a = array::decode(v);
    for (auto& e : a.items) e = cast_value(e, te, typmod, explicit_cast, ctx);
    a.elem = te;
    return array::make(to, a);
  }
  bool to_str = types::is_string(to) && to != oid::kUnknownType;
  if (to_str || to == oid::kChar) {
    std::string s;
    if (from == oid::kBool) s = v.as_bool() ? "true" : "false";
    else if (from == oid::kChar) s = types::char_out(v.as_string());
    else if (types::is_string(from)) {
      s = v.as_string();
      // char(n) -> text drops the trailing blanks (rtrim in bpchar's conversion).
      if (from == oid::kBpchar) { while (!s.empty() && s.back() == ' ') s.pop_back(); }
    } else s = types::format_text(v, ctx.text);
    if (to == oid::kChar) return Value::of(to, types::char_in(s));
    return types::apply_typmod(Value::of(to, std::move(s)), typmod, explicit_cast);
  }
  if (types::is_string(from) || from == oid::kChar) {
    std::string_view s = v.as_string();
    if (from == oid::kBpchar) {
      while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    }
    return types::parse_text(to, s, typmod, ctx.text);
  }
  int rf = numeric_rank(from), rt = numeric_rank(to);
  bool from_oid = from == oid::kOid || types::is_reg(from), to_oid = to == oid::kOid || types::is_reg(to);
  if (from_oid && (rt || to_oid)) rf = 3;
  if (rf && (rt || to_oid)) {
    Value out;
    if (rf <= 3) {
      int64_t i = v.as_int();
      if (rt <= 3 && rt) out = Value::of(to, check_int_range(i, to));
      else if (to_oid) {
        if (i < 0 || i > 4294967295LL) raise(sqlstate::kNumericValueOutOfRange, "OID out of range");
        out = Value::of(to, i);
      } else if (to == oid::kNumeric) out = Value::of(to, numeric::from_int64(i));
      else if (to == oid::kFloat4) out = Value::of(to, static_cast<double>(static_cast<float>(i)));
      else out = Value::of(to, static_cast<double>(i));
    } else if (rf == 4) {
      const std::string& n = v.as_string();
      if (rt <= 3) out = Value::of(to, check_int_range(numeric::to_int64(n, int_name(to)), to));
      else if (to == oid::kFloat4) out = Value::of(to, static_cast<double>(static_cast<float>(numeric::to_double(n))));
      else out = Value::of(to, numeric::to_double(n));
    } else {
      double d = v.as_double();
      if (rt <= 3) out = Value::of(to, float_to_int(d, to));
      else if (to == oid::kNumeric) out = Value::of(to, from == oid::kFloat4 ? numeric::from_float4(static_cast<float>(d)) : numeric::from_double(d));
      else if (to == oid::kFloat4) {
        float f = static_cast<float>(d);
        if (std::isinf(f) && !std::isinf(d)) raise(sqlstate::kNumericValueOutOfRange, "value out of range: overflow");
        if (f == 0 && d != 0) raise(sqlstate::kNumericValueOutOfRange, "value out of range: underflow");
        out = Value::of(to, static_cast<double>(f));
      } else out = Value::of(to, d);
    }
    return types::apply_typmod(std::move(out), typmod, explicit_cast);
  }
  if (from == oid::kBool && to == oid::kInt4) return Value::int4(v.as_bool() ? 1 : 0);
  if (from == oid::kInt4 && to == oid::kBool) return Value::boolean(v.as_int() != 0);
  if (from == oid::kJson && to == oid::kJsonb) return Value::of(to, jsonb::normalize(v.as_string()));
  if (from == oid::kJsonb && to == oid::kJson) return Value::of(to, v.as_string());
  if (from == oid::kJsonb && (to == oid::kBool || numeric_rank(to))) {
    // A jsonb scalar to boolean or a number type (PostgreSQL's jsonb_int4 and the like).
    std::string_view j = v.as_string();
    while (!j.empty() && j.front() == ' ') j.remove_prefix(1);
    char c = j.empty() ? 'n' : j.front();
    const char* kind = c == '{' ? "object" : c == '[' ? "array" : c == '"' ? "string" : c == 'n' ? "null"
                       : c == 't' || c == 'f' ? "boolean" : "numeric";
    if (to == oid::kBool ? c != 't' && c != 'f' : std::string_view(kind) != "numeric")
      raise(sqlstate::kInvalidParameterValue, "cannot cast jsonb {} to type {}", kind, types::format_type(to, -1));
    if (to == oid::kBool) return Value::boolean(c == 't');
    return cast_value(types::parse_text(oid::kNumeric, j, -1, ctx.text), to, typmod, explicit_cast, ctx);
  }
  if (can_cast(from, to)) return types::apply_typmod(datetime_io::convert(v, to, ctx.text), typmod, explicit_cast);
  raise(sqlstate::kCannotCoerce, "cannot cast type {} to {}", types::format_type(from, -1),
        types::format_type(to, -1));
}

uint32_t common_type(const std::vector<uint32_t>& ts, const char* context) {
  uint32_t result = oid::kUnknownType;
  for (uint32_t t : ts) {
    if (t == oid::kUnknownType || t == result) continue;
    if (result == oid::kUnknownType) { result = t; continue; }
    const auto* ri = types::find(result);
    const auto* ti = types::find(t);
    if (ri && ti && ri->category != ti->category)
      raise(sqlstate::kDatatypeMismatch, "{} types {} and {} cannot be matched", context,
            types::format_type(result, -1), types::format_type(t, -1));
    // PostgreSQL's select_common_type: move to t when result converts to it implicitly and not
    // the other way round, unless result is its category's preferred type.
    if (!(ri && ri->preferred) && can_coerce_implicit(result, t) && !can_coerce_implicit(t, result))
      result = t;
    else if (!can_coerce_implicit(t, result))
      raise(sqlstate::kDatatypeMismatch, "{} types {} and {} cannot be matched", context,
            types::format_type(result, -1), types::format_type(t, -1));
  }
  return result == oid::kUnknownType ? oid::kText : result;
}

}  // namespace heliosdb::exec
