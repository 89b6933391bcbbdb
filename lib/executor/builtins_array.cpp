// Array functions and operators: comparison, containment, concatenation, array_length and
// friends, array_to_string, string_to_array, array_position.
#include "common/array.h"
#include "common/errors.h"
#include "common/type_io.h"
#include "executor/builtins.h"

namespace heliosdb::exec {
namespace {

using array::Array;
constexpr uint32_t kArr = oid::kAnyArray, kElem = oid::kAnyElement;

int cmp_arrays(const Value* a) { return compare_values(a[0], a[1]); }
Value f_eq(const Value* a, size_t, ExecContext&) { return Value::boolean(cmp_arrays(a) == 0); }
Value f_ne(const Value* a, size_t, ExecContext&) { return Value::boolean(cmp_arrays(a) != 0); }
Value f_lt(const Value* a, size_t, ExecContext&) { return Value::boolean(cmp_arrays(a) < 0); }
Value f_le(const Value* a, size_t, ExecContext&) { return Value::boolean(cmp_arrays(a) <= 0); }
Value f_gt(const Value* a, size_t, ExecContext&) { return Value::boolean(cmp_arrays(a) > 0); }
Value f_ge(const Value* a, size_t, ExecContext&) { return Value::boolean(cmp_arrays(a) >= 0); }

bool contains(const Array& big, const Array& small) {
  for (const Value& s : small.items) {
    if (s.is_null()) return false;  // NULL elements never match
    bool found = false;
    for (const Value& b : big.items)
      if (!b.is_null() && compare_values(b, s) == 0) { found = true; break; }
    if (!found) return false;
  }
  return true;
}
Value f_contains(const Value* a, size_t, ExecContext&) { return Value::boolean(contains(array::decode(a[0]), array::decode(a[1]))); }
Value f_contained(const Value* a, size_t, ExecContext&) { return Value::boolean(contains(array::decode(a[1]), array::decode(a[0]))); }
Value f_overlap(const Value* a, size_t, ExecContext&) {
  Array x = array::decode(a[0]), y = array::decode(a[1]);
  for (const Value& p : x.items)
    for (const Value& q : y.items)
      if (!p.is_null() && !q.is_null() && compare_values(p, q) == 0) return Value::boolean(true);
  return Value::boolean(false);
}

Array decode_or_empty(const Value& v) {
  if (v.is_null()) return Array{array::element_type(v.type()), {}, {}, {}};
  return array::decode(v);
}

// array_cat: the second array's elements (or rows) after the first's.
Value f_cat(const Value* a, size_t, ExecContext&) {
  if (a[0].is_null()) return a[1];
  if (a[1].is_null()) return a[0];
  Array x = array::decode(a[0]), y = array::decode(a[1]);
  if (x.empty()) return a[1];
  if (y.empty()) return a[0];
  if (x.dims.size() == y.dims.size()) {
    for (size_t d = 1; d < x.dims.size(); ++d)
      if (x.dims[d] != y.dims[d])
        throw Error(sqlstate::kArraySubscriptError, "cannot concatenate incompatible arrays")
            .with_detail("Arrays with differing element dimensions are not compatible for concatenation.");
    x.dims[0] += y.dims[0];
  } else if (x.dims.size() == y.dims.size() + 1) {
    x.dims[0] += 1;
  } else if (y.dims.size() == x.dims.size() + 1) {
    y.dims[0] += 1;
    for (auto& e : y.items) x.items.push_back(std::move(e));
    y.items = std::move(x.items);
    return array::make(a[0].type(), y);
  } else {
    throw Error(sqlstate::kArraySubscriptError, "cannot concatenate incompatible arrays");
  }
  for (auto& e : y.items) x.items.push_back(std::move(e));
  return array::make(a[0].type(), x);
}

Value f_append(const Value* a, size_t, ExecContext&) {
  Array x = decode_or_empty(a[0]);
  if (x.dims.size() > 1) raise(sqlstate::kDataException, "argument must be empty or one-dimensional array");
  x.items.push_back(a[1]);
  if (x.dims.empty()) x.dims = {0}, x.lbounds = {1};
  ++x.dims[0];
  return array::make(a[0].type(), x);
}

Value f_prepend(const Value* a, size_t, ExecContext&) {
  Array x = decode_or_empty(a[1]);
  if (x.dims.size() > 1) raise(sqlstate::kDataException, "argument must be empty or one-dimensional array");
  x.items.insert(x.items.begin(), a[0]);
  if (x.dims.empty()) x.dims = {0}, x.lbounds = {1};
  ++x.dims[0];
  return array::make(a[1].type(), x);
}

// array_length(a, dim) and friends: NULL for a dimension the array does not have.
Value dim_info(const Value* a, int what) {
  Array x = array::decode(a[0]);
  int64_t d = a[1].as_int();
  if (d < 1 || d > static_cast<int64_t>(x.dims.size())) return Value::null(oid::kInt4);
  auto i = static_cast<size_t>(d - 1);
  int32_t v = what == 0 ? x.dims[i] : what == 1 ? x.lbounds[i] : x.lbounds[i] + x.dims[i] - 1;
  return Value::int4(v);
}
Value f_length(const Value* a, size_t, ExecContext&) { return dim_info(a, 0); }
Value f_lower(const Value* a, size_t, ExecContext&) { return dim_info(a, 1); }
Value f_upper(const Value* a, size_t, ExecContext&) { return dim_info(a, 2); }
Value f_ndims(const Value* a, size_t, ExecContext&) {
  Array x = array::decode(a[0]);
  return x.dims.empty() ? Value::null(oid::kInt4) : Value::int4(static_cast<int32_t>(x.dims.size()));
}
Value f_cardinality(const Value* a, size_t, ExecContext&) {
  return Value::int4(static_cast<int32_t>(array::decode(a[0]).items.size()));
}
Value f_dims(const Value* a, size_t, ExecContext&) {
  Array x = array::decode(a[0]);
  if (x.dims.empty()) return Value::null(oid::kText);
  std::string out;
  for (size_t d = 0; d < x.dims.size(); ++d) out += fmt::format("[{}:{}]", x.lbounds[d], x.lbounds[d] + x.dims[d] - 1);
  return Value::text(out);
}

// array_to_string(a, delimiter [, null_string]): NULL elements are skipped unless null_string.
Value f_to_string(const Value* a, size_t n, ExecContext& ctx) {
  if (a[0].is_null() || a[1].is_null()) return Value::null(oid::kText);
  Array x = array::decode(a[0]);
  bool null_text = n > 2 && !a[2].is_null();
  std::string out;
  bool first = true;
  for (const Value& e : x.items) {
    if (e.is_null() && !null_text) continue;
    if (!first) out += a[1].as_string();
    first = false;
    if (e.is_null()) out += a[2].as_string();
    else types::append_text(out, e, ctx.text);
  }
  return Value::text(std::move(out));
}

// string_to_array(s, delimiter [, null_string]): a NULL delimiter splits into characters.
Value f_string_to_array(const Value* a, size_t n, ExecContext&) {
  constexpr uint32_t kTextArray = 1009;
  if (a[0].is_null()) return Value::null(kTextArray);
  const std::string& s = a[0].as_string();
  std::vector<Value> items;
  auto add = [&](std::string piece) {
    if (n > 2 && !a[2].is_null() && piece == a[2].as_string()) items.push_back(Value::null(oid::kText));
    else items.push_back(Value::text(std::move(piece)));
  };
  if (!s.empty()) {
    if (a[1].is_null()) {
      for (size_t i = 0; i < s.size();) {
        size_t len = 1;
        auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0xf0) len = 4;
        else if (c >= 0xe0) len = 3;
        else if (c >= 0xc0) len = 2;
        add(s.substr(i, len));
        i += len;
      }
    } else if (a[1].as_string().empty()) {
      add(s);
    } else {
      const std::string& d = a[1].as_string();
      size_t start = 0;
      for (;;) {
        size_t at = s.find(d, start);
        if (at == std::string::npos) {
          add(s.substr(start));
          break;
        }
        add(s.substr(start, at - start));
        start = at + d.size();
      }
    }
  }
  return array::make(kTextArray, Array::of(oid::kText, std::move(items)));
}

bool same(const Value& e, const Value& x) {
  if (e.is_null() || x.is_null()) return e.is_null() && x.is_null();  // IS NOT DISTINCT FROM
  return compare_values(e, x) == 0;
}

Value f_position(const Value* a, size_t n, ExecContext&) {
  if (a[0].is_null()) return Value::null(oid::kInt4);
  Array x = array::decode(a[0]);
  if (x.dims.size() > 1) raise(sqlstate::kFeatureNotSupported, "searching for elements in multidimensional arrays is not supported");
  size_t start = 0;
  if (n > 2) {
    if (a[2].is_null()) raise(sqlstate::kNullValueNotAllowed, "initial position must not be null");
    int64_t s = a[2].as_int() - (x.lbounds.empty() ? 1 : x.lbounds[0]);
    start = s < 0 ? 0 : static_cast<size_t>(s);
  }
  for (size_t i = start; i < x.items.size(); ++i)
    if (same(x.items[i], a[1])) return Value::int4(static_cast<int32_t>(i) + x.lbounds[0]);
  return Value::null(oid::kInt4);
}

Value f_positions(const Value* a, size_t, ExecContext&) {
  constexpr uint32_t kIntArray = 1007;
  if (a[0].is_null()) return Value::null(kIntArray);
  Array x = array::decode(a[0]);
  if (x.dims.size() > 1) raise(sqlstate::kFeatureNotSupported, "searching for elements in multidimensional arrays is not supported");
  std::vector<Value> out;
  for (size_t i = 0; i < x.items.size(); ++i)
    if (same(x.items[i], a[1])) out.push_back(Value::int4(static_cast<int32_t>(i) + x.lbounds[0]));
  return array::make(kIntArray, Array::of(oid::kInt4, std::move(out)));
}

Value f_remove(const Value* a, size_t, ExecContext&) {
  if (a[0].is_null()) return a[0];
  Array x = array::decode(a[0]);
  if (x.dims.size() > 1) raise(sqlstate::kFeatureNotSupported, "removing elements from multidimensional arrays is not supported");
  std::vector<Value> kept;
  for (auto& e : x.items)
    if (!same(e, a[1])) kept.push_back(std::move(e));
  return array::make(a[0].type(), Array::of(x.elem, std::move(kept)));
}

Value f_replace(const Value* a, size_t, ExecContext&) {
  if (a[0].is_null()) return a[0];
  Array x = array::decode(a[0]);
  for (auto& e : x.items)
    if (same(e, a[1])) e = a[2];
  return array::make(a[0].type(), x);
}

// array_fill(value, dims [, lower bounds]): an array of those dimensions holding value everywhere.
Value f_fill(const Value* a, size_t n, ExecContext&) {
  if (a[1].is_null() || (n > 2 && a[2].is_null()))
    raise(sqlstate::kNullValueNotAllowed, "dimension array or low bound array cannot be null");
  auto subscripts = [](const Value& v, const char* detail) {
    Array x = array::decode(v);
    if (x.dims.size() > 1) throw Error(sqlstate::kArraySubscriptError, "wrong number of array subscripts").with_detail(detail);
    std::vector<int32_t> out;
    for (const auto& e : x.items) {
      if (e.is_null()) raise(sqlstate::kNullValueNotAllowed, "dimension values cannot be null");
      out.push_back(static_cast<int32_t>(e.as_int()));
    }
    return out;
  };
  std::vector<int32_t> dims = subscripts(a[1], "Dimension array must be one dimensional.");
  std::vector<int32_t> lbounds = n > 2 ? subscripts(a[2], "Low bound array must be one dimensional.") : std::vector<int32_t>(dims.size(), 1);
  if (lbounds.size() != dims.size())
    throw Error(sqlstate::kArraySubscriptError, "wrong number of array subscripts").with_detail("Low bound array has different size than dimensions array.");
  uint32_t elem = a[0].type();
  Array out;
  out.elem = elem;
  int64_t count = 1;
  for (int32_t d : dims) count *= std::max(d, 0);
  if (dims.empty() || count == 0) return array::make(array::array_type_of(elem), out);
  out.dims = dims;
  out.lbounds = lbounds;
  out.items.assign(static_cast<size_t>(count), a[0]);
  return array::make(array::array_type_of(elem), out);
}

// trim_array(array, n): the array without its last n elements (of the first dimension), as the
// slice array[:len - n].
Value f_trim_array(const Value* a, size_t, ExecContext&) {
  Array x = array::decode(a[0]);
  int64_t n = a[1].as_int(), len = x.dims.empty() ? 0 : x.dims[0];
  if (n < 0 || n > len) raise(sqlstate::kArraySubscriptError, "number of elements to trim must be between 0 and {}", len);
  if (n == len) return array::make(a[0].type(), Array{x.elem, {}, {}, {}});
  size_t slice = x.items.size() / static_cast<size_t>(len);
  x.items.resize(static_cast<size_t>(len - n) * slice);
  x.dims[0] = static_cast<int32_t>(len - n);
  x.lbounds.assign(x.dims.size(), 1);  // a slice, which starts at 1
  return array::make(a[0].type(), x);
}

// width_bucket(operand, thresholds): how many of the sorted thresholds are at most operand.
Value f_width_bucket_array(const Value* a, size_t, ExecContext&) {
  Array t = array::decode(a[1]);
  if (t.dims.size() > 1) raise(sqlstate::kArraySubscriptError, "thresholds must be one-dimensional array");
  for (const auto& v : t.items)
    if (v.is_null()) raise(sqlstate::kNullValueNotAllowed, "thresholds array must not contain NULLs");
  size_t left = 0, right = t.items.size();
  while (left < right) {
    size_t mid = (left + right) / 2;
    if (compare_values(a[0], t.items[mid]) < 0) right = mid;
    else left = mid + 1;
  }
  return Value::int4(static_cast<int32_t>(left));
}

}  // namespace

void register_array_functions(std::vector<FuncDef>& out) {
  auto add = [&](const char* name, std::vector<uint32_t> args, uint32_t ret, FnPtr fn, bool strict = true) {
    FuncDef f{name, std::move(args), ret, fn};
    f.strict = strict;
    out.push_back(std::move(f));
  };
  add("=", {kArr, kArr}, oid::kBool, f_eq);
  add("<>", {kArr, kArr}, oid::kBool, f_ne);
  add("<", {kArr, kArr}, oid::kBool, f_lt);
  add("<=", {kArr, kArr}, oid::kBool, f_le);
  add(">", {kArr, kArr}, oid::kBool, f_gt);
  add(">=", {kArr, kArr}, oid::kBool, f_ge);
  add("@>", {kArr, kArr}, oid::kBool, f_contains);
  add("<@", {kArr, kArr}, oid::kBool, f_contained);
  add("&&", {kArr, kArr}, oid::kBool, f_overlap);
  add("||", {kArr, kArr}, kArr, f_cat, false);
  add("||", {kArr, kElem}, kArr, f_append, false);
  add("||", {kElem, kArr}, kArr, f_prepend, false);
  add("array_cat", {kArr, kArr}, kArr, f_cat, false);
  add("array_append", {kArr, kElem}, kArr, f_append, false);
  add("array_prepend", {kElem, kArr}, kArr, f_prepend, false);
  add("array_length", {kArr, oid::kInt4}, oid::kInt4, f_length);
  add("array_lower", {kArr, oid::kInt4}, oid::kInt4, f_lower);
  add("array_upper", {kArr, oid::kInt4}, oid::kInt4, f_upper);
  add("array_ndims", {kArr}, oid::kInt4, f_ndims);
  add("array_dims", {kArr}, oid::kText, f_dims);
  add("cardinality", {kArr}, oid::kInt4, f_cardinality);
  add("array_to_string", {kArr, oid::kText}, oid::kText, f_to_string, false);
  add("array_to_string", {kArr, oid::kText, oid::kText}, oid::kText, f_to_string, false);
  add("string_to_array", {oid::kText, oid::kText}, 1009, f_string_to_array, false);
  add("string_to_array", {oid::kText, oid::kText, oid::kText}, 1009, f_string_to_array, false);
  add("array_position", {kArr, kElem}, oid::kInt4, f_position, false);
  add("array_position", {kArr, kElem, oid::kInt4}, oid::kInt4, f_position, false);
  add("array_positions", {kArr, kElem}, 1007, f_positions, false);
  add("array_remove", {kArr, kElem}, kArr, f_remove, false);
  add("array_replace", {kArr, kElem, kElem}, kArr, f_replace, false);
  add("array_fill", {kElem, 1007}, kArr, f_fill, false);
  add("array_fill", {kElem, 1007, 1007}, kArr, f_fill, false);
  add("trim_array", {kArr, oid::kInt4}, kArr, f_trim_array);
  add("width_bucket", {kElem, kArr}, oid::kInt4, f_width_bucket_array);
}

}  // namespace heliosdb::exec
