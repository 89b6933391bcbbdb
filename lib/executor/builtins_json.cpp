// json and jsonb functions: to_json(b), json(b)_build_object/array, -> ->> #> #>>, ?,
// json(b)_typeof, json(b)_array_length.
#include <cmath>
#include <functional>

#include "common/array.h"
#include "common/datetime_io.h"
#include "common/errors.h"
#include "common/jsonb.h"
#include "common/type_io.h"
#include "common/types.h"
#include "executor/builtins.h"

namespace heliosdb::exec {
namespace {

// to_json: numbers and booleans bare, json as is, arrays as JSON arrays, date/time values in
// ISO 8601 with a T, everything else as a JSON string of its text output.
void append_json(std::string& out, const Value& v, const types::TextContext& text) {
  if (v.is_null()) {
    out += "null";
    return;
  }
  uint32_t t = v.type();
  if (array::is_array(t)) {
    array::Array a = array::decode(v);
    // Multi-dimensional arrays nest, as PostgreSQL's array_to_json does.
    size_t nd = a.dims.size(), pos = 0;
    std::function<void(size_t)> dim = [&](size_t d) {
      out.push_back('[');
      for (int32_t i = 0; i < (nd ? a.dims[d] : 0); ++i) {
        if (i) out.push_back(',');
        if (d + 1 < nd) dim(d + 1);
        else append_json(out, a.items[pos++], text);
      }
      out.push_back(']');
    };
    dim(0);
    return;
  }
  switch (t) {
    case oid::kBool: out += v.as_bool() ? "true" : "false"; return;
    case oid::kInt2: case oid::kInt4: case oid::kInt8: case oid::kOid: out += std::to_string(v.as_int()); return;
    case oid::kFloat4: case oid::kFloat8: case oid::kNumeric: {
      std::string s = types::format_text(v, text);
      if (s == "NaN" || s == "Infinity" || s == "-Infinity") jsonb::append_string(out, s);
      else out += s;
      return;
    }
    case oid::kJson: case oid::kJsonb: out += v.as_string(); return;
    case oid::kDate: case oid::kTimestamp: case oid::kTimestamptz: case oid::kTime: case oid::kTimetz: {
      types::TextContext iso = text;
      iso.datestyle = 0;  // ISO
      std::string s = types::format_text(v, iso);
      if (t != oid::kDate && t != oid::kTime && t != oid::kTimetz) {
        if (auto sp = s.find(' '); sp != std::string::npos && s.find("infinity") == std::string::npos) s[sp] = 'T';
        // timestamptz prints its offset as +00:00 in JSON.
        if (t == oid::kTimestamptz && s.size() >= 3 && (s[s.size() - 3] == '+' || s[s.size() - 3] == '-')) s += ":00";
      }
      jsonb::append_string(out, s);
      return;
    }
    default: jsonb::append_string(out, types::format_text(v, text));
  }
}

std::string to_json_text(const Value& v, ExecContext& ctx) { return exec::to_json_text(v, ctx.text); }

Value f_to_json(const Value* a, size_t, ExecContext& ctx) { return Value::of(oid::kJson, to_json_text(a[0], ctx)); }
Value f_to_jsonb(const Value* a, size_t, ExecContext& ctx) {
  return Value::of(oid::kJsonb, jsonb::normalize(to_json_text(a[0], ctx)));
}

// json_build_object(k1, v1, ...): PostgreSQL's json spacing ({"a" : 1, "b" : 2}).
std::string build_object(const Value* a, size_t n, ExecContext& ctx) {
  if (n % 2)
    throw Error(sqlstate::kInvalidParameterValue, "argument list must have even number of elements")
        .with_hint("The arguments of json_build_object() must consist of alternating keys and values.");
  std::string out = "{";
  for (size_t i = 0; i < n; i += 2) {
    if (a[i].is_null()) raise(sqlstate::kNullValueNotAllowed, "null value not allowed for object key");
    if (i) out += ", ";
    jsonb::append_string(out, a[i].type() == oid::kText ? a[i].as_string() : types::format_text(a[i], ctx.text));
    out += " : ";
    append_json(out, a[i + 1], ctx.text);
  }
  return out + "}";
}
std::string build_array(const Value* a, size_t n, ExecContext& ctx) {
  std::string out = "[";
  for (size_t i = 0; i < n; ++i) {
    if (i) out += ", ";
    append_json(out, a[i], ctx.text);
  }
  return out + "]";
}
Value f_json_build_object(const Value* a, size_t n, ExecContext& ctx) { return Value::of(oid::kJson, build_object(a, n, ctx)); }
Value f_jsonb_build_object(const Value* a, size_t n, ExecContext& ctx) {
  return Value::of(oid::kJsonb, jsonb::normalize(build_object(a, n, ctx)));
}
Value f_json_build_array(const Value* a, size_t n, ExecContext& ctx) { return Value::of(oid::kJson, build_array(a, n, ctx)); }
Value f_jsonb_build_array(const Value* a, size_t n, ExecContext& ctx) {
  return Value::of(oid::kJsonb, jsonb::normalize(build_array(a, n, ctx)));
}

// -> and ->> with a key or an index; the result keeps the operand's type (json or jsonb).
std::optional<std::string_view> step(std::string_view doc, const Value& k) {
  if (k.type() == oid::kInt4) return jsonb::element(doc, static_cast<long>(k.as_int()));
  return jsonb::member(doc, k.as_string());
}
Value f_arrow(const Value* a, size_t, ExecContext&) {
  auto r = step(a[0].as_string(), a[1]);
  return r ? Value::of(a[0].type(), std::string(*r)) : Value::null(a[0].type());
}
Value f_arrow_text(const Value* a, size_t, ExecContext&) {
  auto r = step(a[0].as_string(), a[1]);
  auto t = r ? jsonb::as_text(*r) : std::nullopt;
  return t ? Value::text(std::move(*t)) : Value::null(oid::kText);
}
// #> and #>>: a path of keys (array elements by their number).
std::optional<std::string_view> walk(const Value* a) {
  std::string_view doc = a[0].as_string();
  for (const Value& p : array::decode(a[1]).items) {
    if (p.is_null()) return std::nullopt;
    std::optional<std::string_view> next;
    if (std::string_view(jsonb::type_of(doc)) == "array") {
      try {
        next = jsonb::element(doc, std::stol(p.as_string()));
      } catch (...) {
        return std::nullopt;
      }
    } else {
      next = jsonb::member(doc, p.as_string());
    }
    if (!next) return std::nullopt;
    doc = *next;
  }
  return doc;
}
Value f_path(const Value* a, size_t, ExecContext&) {
  auto r = walk(a);
  return r ? Value::of(a[0].type(), std::string(*r)) : Value::null(a[0].type());
}
Value f_path_text(const Value* a, size_t, ExecContext&) {
  auto r = walk(a);
  auto t = r ? jsonb::as_text(*r) : std::nullopt;
  return t ? Value::text(std::move(*t)) : Value::null(oid::kText);
}

Value f_exists(const Value* a, size_t, ExecContext&) {
  std::string_view doc = a[0].as_string();
  std::string_view t = jsonb::type_of(doc);
  if (t == "object") return Value::boolean(jsonb::member(doc, a[1].as_string()).has_value());
  if (t == "array")
    for (auto e : jsonb::elements(doc))
      if (std::string_view(jsonb::type_of(e)) == "string" && jsonb::as_text(e) == a[1].as_string()) return Value::boolean(true);
  return Value::boolean(false);
}

Value f_typeof(const Value* a, size_t, ExecContext&) { return Value::text(jsonb::type_of(a[0].as_string())); }

Value f_array_length(const Value* a, size_t, ExecContext&) {
  std::string_view doc = a[0].as_string();
  std::string_view t = jsonb::type_of(doc);
  if (t != "array") {
    if (t == "object" || a[0].type() == oid::kJsonb)
      raise(sqlstate::kInvalidParameterValue, "cannot get array length of a {}", t == "object" ? "non-array" : "scalar");
    raise(sqlstate::kInvalidParameterValue, "cannot get array length of a scalar");
  }
  return Value::int4(static_cast<int32_t>(jsonb::elements(doc).size()));
}

}  // namespace

std::string to_json_text(const Value& v, const types::TextContext& text) {
  std::string out;
  append_json(out, v, text);
  return out;
}

void register_json_functions(std::vector<FuncDef>& out) {
  using namespace oid;
  auto add = [&](const char* name, std::vector<uint32_t> args, uint32_t ret, FnPtr fn, bool strict = true,
                 bool variadic = false) {
    FuncDef f{name, std::move(args), ret, fn};
    f.strict = strict;
    f.variadic = variadic;
    out.push_back(std::move(f));
  };
  add("to_json", {kAnyType}, kJson, f_to_json);
  add("to_jsonb", {kAnyType}, kJsonb, f_to_jsonb);
  add("json_build_object", {kAnyType}, kJson, f_json_build_object, false, true);
  add("jsonb_build_object", {kAnyType}, kJsonb, f_jsonb_build_object, false, true);
  add("json_build_array", {kAnyType}, kJson, f_json_build_array, false, true);
  add("jsonb_build_array", {kAnyType}, kJsonb, f_jsonb_build_array, false, true);
  for (uint32_t t : {kJson, kJsonb}) {
    add("->", {t, kText}, t, f_arrow);
    add("->", {t, kInt4}, t, f_arrow);
    add("->>", {t, kText}, kText, f_arrow_text);
    add("->>", {t, kInt4}, kText, f_arrow_text);
    add("#>", {t, 1009}, t, f_path);
    add("#>>", {t, 1009}, kText, f_path_text);
  }
  add("?", {kJsonb, kText}, kBool, f_exists);
  add("json_typeof", {kJson}, kText, f_typeof);
  add("jsonb_typeof", {kJsonb}, kText, f_typeof);
  add("json_array_length", {kJson}, kInt4, f_array_length);
  add("jsonb_array_length", {kJsonb}, kInt4, f_array_length);
}

}  // namespace heliosdb::exec
