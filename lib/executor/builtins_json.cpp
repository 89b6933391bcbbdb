// json and jsonb functions: to_json(b), json(b)_build_object/array, -> ->> #> #>>, ? ?| ?&,
// @> <@, || and - on jsonb, jsonb_set, jsonb_strip_nulls, jsonb_pretty, json(b)_extract_path(_text),
// json(b)_typeof, json(b)_array_length, and the arrays behind the set-returning json(b)_each,
// json(b)_array_elements and json(b)_object_keys (the planner unnests them).
#include <algorithm>
#include <cmath>
#include <functional>

#include "common/array.h"
#include "common/datetime_io.h"
#include "common/errors.h"
#include "common/jsonb.h"
#include "common/numeric.h"
#include "common/record.h"
#include "common/type_io.h"
#include "common/types.h"
#include "executor/builtins.h"

namespace heliosdb::exec {
namespace {

void append_json(std::string& out, const Value& v, const types::TextContext& text);

// A record as a JSON object of its fields ({"a":1,"b":"x"}); line_feeds: one field per line, as
// row_to_json(r, true) prints.
void append_record_json(std::string& out, const Value& v, const types::TextContext& text, bool line_feeds) {
  record::Record r = record::decode(v);
  out.push_back('{');
  for (size_t i = 0; i < r.values.size(); ++i) {
    if (i) out += line_feeds ? ",\n " : ",";
    jsonb::append_string(out, r.names[i]);
    out.push_back(':');
    append_json(out, r.values[i], text);
  }
  out.push_back('}');
}

// array_to_json(a [, pretty]): to_json of the array; pretty puts each top-level element after the
// first on a line of its own.
Value f_array_to_json(const Value* a, size_t n, ExecContext& ctx);

Value f_row_to_json(const Value* a, size_t n, ExecContext& ctx) {
  std::string out;
  append_record_json(out, a[0], ctx.text, n > 1 && !a[1].is_null() && a[1].as_bool());
  return Value::of(oid::kJson, std::move(out));
}

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
  if (record::is_record(t)) {
    append_record_json(out, v, text, false);
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

Value f_array_to_json(const Value* a, size_t n, ExecContext& ctx) {
  std::string text = to_json_text(a[0], ctx);
  if (n < 2 || a[1].is_null() || !a[1].as_bool()) return Value::of(oid::kJson, std::move(text));
  std::string out = "[";
  bool first = true;
  for (auto e : jsonb::elements(text)) {
    if (!first) out += ",\n ";
    out += e;
    first = false;
  }
  out += "]";
  return Value::of(oid::kJson, std::move(out));
}
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
    uint32_t kt = a[i].type();
    if (array::is_array(kt) || record::is_record(kt) || kt == oid::kJson || kt == oid::kJsonb)
      raise(sqlstate::kInvalidParameterValue, "key value must be scalar, not array, composite, or json");
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
// json_object(text[]): {k1,v1,k2,v2} or {{k1,v1},{k2,v2}}; json_object(keys, values).
std::string object_from_arrays(const Value* a, size_t n, ExecContext& ctx) {
  std::vector<Value> pairs;
  array::Array first = array::decode(a[0]);
  if (n == 1) {
    if (first.dims.size() > 2) raise(sqlstate::kArraySubscriptError, "wrong number of array subscripts");
    if (first.dims.size() == 1 && first.items.size() % 2)
      raise(sqlstate::kArraySubscriptError, "array must have even number of elements");
    if (first.dims.size() == 2 && first.dims[1] != 2) raise(sqlstate::kArraySubscriptError, "array must have two columns");
    pairs = std::move(first.items);
  } else {
    array::Array values = array::decode(a[1]);
    if (first.dims.size() > 1 || values.dims.size() > 1) raise(sqlstate::kArraySubscriptError, "wrong number of array subscripts");
    if (first.items.size() != values.items.size()) raise(sqlstate::kArraySubscriptError, "mismatched array dimensions");
    for (size_t i = 0; i < first.items.size(); ++i) {
      pairs.push_back(std::move(first.items[i]));
      pairs.push_back(std::move(values.items[i]));
    }
  }
  for (size_t i = 0; i < pairs.size(); i += 2)  // values are text: NULL stays null
    if (pairs[i + 1].is_null()) pairs[i + 1] = Value::null(oid::kText);
  return build_object(pairs.data(), pairs.size(), ctx);
}
Value f_json_object(const Value* a, size_t n, ExecContext& ctx) { return Value::of(oid::kJson, object_from_arrays(a, n, ctx)); }
Value f_jsonb_object(const Value* a, size_t n, ExecContext& ctx) {
  return Value::of(oid::kJsonb, jsonb::normalize(object_from_arrays(a, n, ctx)));
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



// ?| and ?&: any / all of the keys (array strings count too, as for ?).
bool has_key(std::string_view doc, const std::string& key) {
  std::string_view t = jsonb::type_of(doc);
  if (t == "object") return jsonb::member(doc, key).has_value();
  if (t == "array")
    for (auto e : jsonb::elements(doc))
      if (std::string_view(jsonb::type_of(e)) == "string" && jsonb::as_text(e) == key) return true;
  return t == "string" && jsonb::as_text(doc) == key;
}
Value f_exists(const Value* a, size_t, ExecContext&) { return Value::boolean(has_key(a[0].as_string(), a[1].as_string())); }
template <bool All>
Value f_exists_keys(const Value* a, size_t, ExecContext&) {
  std::string_view doc = a[0].as_string();
  for (const Value& k : array::decode(a[1]).items) {
    if (k.is_null()) continue;
    bool found = has_key(doc, k.as_string());
    if (All && !found) return Value::boolean(false);
    if (!All && found) return Value::boolean(true);
  }
  return Value::boolean(All);
}

// jsonb containment (PostgreSQL's JsonbDeepContains): an object contains each member of the
// other with a contained value; an array contains each element of the other somewhere (a
// top-level array also contains a lone scalar); scalars are equal.
bool scalar_equal(std::string_view a, std::string_view b) {
  if (std::string_view(jsonb::type_of(a)) == "number" && std::string_view(jsonb::type_of(b)) == "number")
    return numeric::cmp(a, b) == 0;
  return a == b;
}
bool contains(std::string_view a, std::string_view b, bool top) {
  std::string_view ta = jsonb::type_of(a), tb = jsonb::type_of(b);
  if (ta == "object") {
    if (tb != "object") return false;
    for (const auto& [k, v] : jsonb::members(b)) {
      auto mine = jsonb::member(a, k);
      if (!mine) return false;
      std::string_view tm = jsonb::type_of(*mine), tv = jsonb::type_of(v);
      if (tm != tv) return false;
      if (tv == "object" || tv == "array") {
        if (!contains(*mine, v, false)) return false;
      } else if (!scalar_equal(*mine, v)) {
        return false;
      }
    }
    return true;
  }
  if (ta == "array") {
    if (tb != "array") return top && tb != "object" && contains(a, "[" + std::string(b) + "]", false);
    auto mine = jsonb::elements(a);
    for (auto e : jsonb::elements(b)) {
      std::string_view te = jsonb::type_of(e);
      bool found = false;
      for (auto m : mine) {
        std::string_view tm = jsonb::type_of(m);
        if (te == "object" || te == "array") found = tm == te && contains(m, e, false);
        else found = tm == te && scalar_equal(m, e);
        if (found) break;
      }
      if (!found) return false;
    }
    return true;
  }
  return ta == tb && scalar_equal(a, b);
}
Value f_contains(const Value* a, size_t, ExecContext&) { return Value::boolean(contains(a[0].as_string(), a[1].as_string(), true)); }
Value f_contained(const Value* a, size_t, ExecContext&) { return Value::boolean(contains(a[1].as_string(), a[0].as_string(), true)); }

// compact: json's output of these functions (no spaces), else jsonb's.
std::string join_array(const std::vector<std::string>& items, bool compact = false) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? (compact ? "," : ", ") : "") + items[i];
  return out + "]";
}
std::string join_object(const std::vector<std::pair<std::string, std::string>>& members, bool compact = false) {
  std::string out = "{";
  for (size_t i = 0; i < members.size(); ++i) {
    if (i) out += compact ? "," : ", ";
    jsonb::append_string(out, members[i].first);
    out += (compact ? ":" : ": ") + members[i].second;
  }
  return out + "}";
}
std::vector<std::string> element_texts(std::string_view doc) {
  std::vector<std::string> out;
  for (auto e : jsonb::elements(doc)) out.emplace_back(e);
  return out;
}
std::vector<std::pair<std::string, std::string>> member_texts(std::string_view doc) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [k, v] : jsonb::members(doc)) out.emplace_back(k, std::string(v));
  return out;
}

// jsonb || jsonb: objects merge (the right one wins), anything else concatenates as arrays.
Value f_concat(const Value* a, size_t, ExecContext&) {
  std::string_view l = a[0].as_string(), r = a[1].as_string();
  std::string_view tl = jsonb::type_of(l), tr = jsonb::type_of(r);
  if (tl == "object" && tr == "object") {
    auto m = member_texts(l);
    for (auto& [k, v] : member_texts(r)) m.emplace_back(k, v);  // normalize keeps the last of a key
    return Value::of(oid::kJsonb, jsonb::normalize(join_object(m)));
  }
  std::vector<std::string> items = tl == "array" ? element_texts(l) : std::vector<std::string>{std::string(l)};
  if (tr == "array") {
    for (auto& e : element_texts(r)) items.push_back(std::move(e));
  } else {
    items.emplace_back(r);
  }
  return Value::of(oid::kJsonb, jsonb::normalize(join_array(items)));
}

// jsonb - text (a key, or array strings equal to it), jsonb - text[], jsonb - int (an element).
Value delete_keys(std::string_view doc, const std::vector<std::string>& keys) {
  std::string_view t = jsonb::type_of(doc);
  auto gone = [&](const std::string& k) { return std::find(keys.begin(), keys.end(), k) != keys.end(); };
  if (t == "object") {
    std::vector<std::pair<std::string, std::string>> kept;
    for (auto& [k, v] : member_texts(doc))
      if (!gone(k)) kept.emplace_back(k, v);
    return Value::of(oid::kJsonb, jsonb::normalize(join_object(kept)));
  }
  if (t == "array") {
    std::vector<std::string> kept;
    for (auto e : jsonb::elements(doc)) {
      auto s = std::string_view(jsonb::type_of(e)) == "string" ? jsonb::as_text(e) : std::nullopt;
      if (!s || !gone(*s)) kept.emplace_back(e);
    }
    return Value::of(oid::kJsonb, jsonb::normalize(join_array(kept)));
  }
  raise(sqlstate::kInvalidParameterValue, "cannot delete from scalar");
}
Value f_delete_key(const Value* a, size_t, ExecContext&) { return delete_keys(a[0].as_string(), {a[1].as_string()}); }
Value f_delete_keys(const Value* a, size_t, ExecContext&) {
  std::vector<std::string> keys;
  for (const Value& k : array::decode(a[1]).items)
    if (!k.is_null()) keys.push_back(k.as_string());
  return delete_keys(a[0].as_string(), keys);
}
Value f_delete_index(const Value* a, size_t, ExecContext&) {
  std::string_view doc = a[0].as_string();
  std::string_view t = jsonb::type_of(doc);
  if (t == "object") raise(sqlstate::kInvalidParameterValue, "cannot delete from object using integer index");
  if (t != "array") raise(sqlstate::kInvalidParameterValue, "cannot delete from scalar");
  auto items = element_texts(doc);
  int64_t i = a[1].as_int(), n = static_cast<int64_t>(items.size());
  if (i < 0) i += n;
  if (i >= 0 && i < n) items.erase(items.begin() + i);
  return Value::of(oid::kJsonb, jsonb::normalize(join_array(items)));
}

// jsonb_set(target, path, new_value [, create_missing]): replaces (or adds) the value at path.
std::optional<std::string> set_path(std::string_view doc, const std::vector<Value>& path, size_t level,
                                    const std::string& value, bool create) {
  if (level == path.size()) return value;
  if (path[level].is_null())
    raise(sqlstate::kNullValueNotAllowed, "path element at position {} is null", level + 1);
  const std::string& key = path[level].as_string();
  std::string_view t = jsonb::type_of(doc);
  if (t == "object") {
    auto members = member_texts(doc);
    bool found = false;
    for (auto& [k, v] : members)
      if (k == key) {
        found = true;
        if (auto nv = set_path(v, path, level + 1, value, create)) v = *nv;
      }
    if (!found && create && level + 1 == path.size()) members.emplace_back(key, value);
    return join_object(members);
  }
  if (t == "array") {
    auto items = element_texts(doc);
    int64_t i = 0;
    try {
      size_t used = 0;
      i = std::stoll(key, &used);
      if (used != key.size()) throw std::invalid_argument(key);
    } catch (...) {
      throw Error(sqlstate::kInvalidTextRepresentation, fmt::format("path element at position {} is not an integer: \"{}\"", level + 1, key));
    }
    int64_t n = static_cast<int64_t>(items.size());
    if (i < 0) i += n;
    if (i >= 0 && i < n) {
      if (auto nv = set_path(items[static_cast<size_t>(i)], path, level + 1, value, create)) items[static_cast<size_t>(i)] = *nv;
    } else if (create && level + 1 == path.size()) {
      if (i < 0) items.insert(items.begin(), value);
      else items.push_back(value);
    }
    return join_array(items);
  }
  return std::string(doc);  // a scalar on the way: unchanged
}
Value f_jsonb_set(const Value* a, size_t n, ExecContext&) {
  std::string_view doc = a[0].as_string();
  std::string_view t = jsonb::type_of(doc);
  if (t != "object" && t != "array") raise(sqlstate::kInvalidParameterValue, "cannot set path in scalar");
  auto path = array::decode(a[1]).items;
  if (path.empty()) return a[0];
  bool create = n < 4 || a[3].as_bool();
  return Value::of(oid::kJsonb, jsonb::normalize(*set_path(doc, path, 0, a[2].as_string(), create)));
}

std::string strip_nulls(std::string_view doc, bool compact) {
  std::string_view t = jsonb::type_of(doc);
  if (t == "object") {
    std::vector<std::pair<std::string, std::string>> kept;
    for (const auto& [k, v] : jsonb::members(doc))
      if (std::string_view(jsonb::type_of(v)) != "null") kept.emplace_back(k, strip_nulls(v, compact));
    return join_object(kept, compact);
  }
  if (t == "array") {
    std::vector<std::string> items;
    for (auto e : jsonb::elements(doc)) items.push_back(strip_nulls(e, compact));
    return join_array(items, compact);
  }
  return std::string(doc);
}
Value f_strip_nulls(const Value* a, size_t, ExecContext&) {
  std::string out = strip_nulls(a[0].as_string(), a[0].type() == oid::kJson);
  return Value::of(a[0].type(), a[0].type() == oid::kJsonb ? jsonb::normalize(out) : out);
}

// jsonb_pretty: four-space indentation, as PostgreSQL's.
void pretty(std::string& out, std::string_view doc, int depth) {
  std::string_view t = jsonb::type_of(doc);
  auto indent = [&](int d) { out += "\n" + std::string(static_cast<size_t>(d) * 4, ' '); };
  if (t == "object") {
    auto members = jsonb::members(doc);
    if (members.empty()) { out += "{\n" + std::string(static_cast<size_t>(depth) * 4, ' ') + "}"; return; }
    out += "{";
    for (size_t i = 0; i < members.size(); ++i) {
      if (i) out += ",";
      indent(depth + 1);
      jsonb::append_string(out, members[i].first);
      out += ": ";
      pretty(out, members[i].second, depth + 1);
    }
    indent(depth);
    out += "}";
  } else if (t == "array") {
    auto items = jsonb::elements(doc);
    if (items.empty()) { out += "[\n" + std::string(static_cast<size_t>(depth) * 4, ' ') + "]"; return; }
    out += "[";
    for (size_t i = 0; i < items.size(); ++i) {
      if (i) out += ",";
      indent(depth + 1);
      pretty(out, items[i], depth + 1);
    }
    indent(depth);
    out += "]";
  } else {
    out += doc;
  }
}
Value f_pretty(const Value* a, size_t, ExecContext&) {
  std::string out;
  pretty(out, a[0].as_string(), 0);
  return Value::text(std::move(out));
}

// json(b)_extract_path(_text)(doc, VARIADIC path)
Value f_extract_path(const Value* a, size_t n, ExecContext&) {
  std::string_view doc = a[0].as_string();
  for (size_t i = 1; i < n; ++i) {
    if (a[i].is_null()) return Value::null(a[0].type());
    std::optional<std::string_view> next;
    if (std::string_view(jsonb::type_of(doc)) == "array") {
      try {
        next = jsonb::element(doc, std::stol(a[i].as_string()));
      } catch (...) {
      }
    } else {
      next = jsonb::member(doc, a[i].as_string());
    }
    if (!next) return Value::null(a[0].type());
    doc = *next;
  }
  return Value::of(a[0].type(), std::string(doc));
}
Value f_extract_path_text(const Value* a, size_t n, ExecContext& ctx) {
  Value v = f_extract_path(a, n, ctx);
  if (v.is_null()) return Value::null(oid::kText);
  auto t = jsonb::as_text(v.as_string());
  return t ? Value::text(std::move(*t)) : Value::null(oid::kText);
}

// The arrays the set-returning functions unnest: keys, values (as json(b) or text) of an
// object; elements (as json(b) or text) of an array. `what` names the function for errors.
template <int Kind>  // 0 keys, 1 values, 2 values as text, 3 elements, 4 elements as text, 5 keys of each
Value f_json_parts(const Value* a, size_t, ExecContext&) {
  std::string_view doc = a[0].as_string();
  std::string_view t = jsonb::type_of(doc);
  bool jb = a[0].type() == oid::kJsonb;
  std::string prefix = jb ? "jsonb" : "json";
  std::vector<Value> items;
  uint32_t elem = Kind == 0 || Kind == 2 || Kind == 4 || Kind == 5 ? oid::kText : a[0].type();
  auto text_of = [&](std::string_view v) {
    auto s = jsonb::as_text(v);
    return s ? Value::text(std::move(*s)) : Value::null(oid::kText);
  };
  if (Kind <= 2 || Kind == 5) {
    if (t != "object") {
      if (Kind == 0) raise(sqlstate::kInvalidParameterValue, "cannot call {}_object_keys on {}", prefix, t == "array" ? "an array" : "a scalar");
      raise(sqlstate::kInvalidParameterValue, "cannot call {}_each{} on a non-object", prefix, Kind == 2 ? "_text" : "");
    }
    for (const auto& [k, v] : jsonb::members(doc)) {
      if (Kind == 0 || Kind == 5) items.push_back(Value::text(k));
      else if (Kind == 1) items.push_back(Value::of(elem, std::string(v)));
      else items.push_back(text_of(v));
    }
  } else {
    if (t != "array")
      raise(sqlstate::kInvalidParameterValue, "cannot extract elements from {}", t == "object" ? "an object" : "a scalar");
    for (auto e : jsonb::elements(doc)) items.push_back(Kind == 3 ? Value::of(elem, std::string(e)) : text_of(e));
  }
  return array::make(array::array_type_of(elem), array::Array::of(elem, std::move(items)));
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

// json(b)_populate_record & co.: a JSON value as a value of a field's type. Arrays and objects
// fill array and composite fields; strings read as the type's text; other JSON as its text.
// key: the field's name, for errors.
Value json_to_value(std::string_view j, uint32_t type, int32_t typmod, ExecContext& ctx, std::string_view key = {});

namespace {
// A JSON array as a SQL array of any number of dimensions, as PostgreSQL's populate_array_json
// reads it: the first element that is not an array fixes the number of dimensions; sub-arrays
// of one dimension must agree in length; an array where an element belongs is an element (read
// as the element type's text).
class JsonArrayReader {
 public:
  JsonArrayReader(uint32_t elem, int32_t typmod, ExecContext& ctx, std::string_view key)
      : elem_(elem), typmod_(typmod), ctx_(ctx), key_(key) {}

  Value read(uint32_t array_type, std::string_view j) {
    std::string_view kind = jsonb::type_of(j);
    if (kind != "array") expected(0);
    walk(j, 0);
    array::Array a;
    a.elem = elem_;
    if (!items_.empty()) {
      a.dims.assign(dims_.begin(), dims_.begin() + ndims_);
      a.lbounds.assign(static_cast<size_t>(ndims_), 1);
      a.items = std::move(items_);
    }
    return array::make(array_type, a);
  }

 private:
  [[noreturn]] void expected(int ndim) const {
    Error e(sqlstate::kInvalidTextRepresentation, "expected JSON array");
    if (ndim <= 0) {
      if (!key_.empty()) e.with_hint(fmt::format("See the value of key \"{}\".", key_));
    } else {
      std::string at;
      for (int i = 0; i < ndim; ++i) at += fmt::format("[{}]", sizes_[static_cast<size_t>(i)]);
      if (!key_.empty()) e.with_hint(fmt::format("See the array element {} of key \"{}\".", at, key_));
    }
    throw e;
  }
  void set_ndims(int n) {
    if (n <= 0) expected(n);
    ndims_ = n;
    dims_.assign(static_cast<size_t>(n), -1);
    sizes_.resize(std::max(sizes_.size(), static_cast<size_t>(n)), 0);
  }
  // j: an array at nesting level `level` (0: the value itself).
  void walk(std::string_view j, int level) {
    if (sizes_.size() <= static_cast<size_t>(level)) sizes_.resize(static_cast<size_t>(level) + 1, 0);
    int inner = level + 1;
    for (auto e : jsonb::elements(j)) {
      if (std::string_view(jsonb::type_of(e)) == "array" && (ndims_ == 0 || inner < ndims_)) {
        walk(e, inner);
        continue;
      }
      if (ndims_ == 0) set_ndims(inner);
      else if (inner < ndims_) expected(inner);
      items_.push_back(json_to_value(e, elem_, typmod_, ctx_, key_));
      ++sizes_[static_cast<size_t>(inner - 1)];
    }
    if (ndims_ == 0) set_ndims(level + 1);
    if (level < ndims_) {
      auto d = static_cast<size_t>(level);
      if (dims_[d] == -1) dims_[d] = sizes_[d];
      else if (dims_[d] != sizes_[d])
        throw Error(sqlstate::kInvalidTextRepresentation, "malformed JSON array")
            .with_detail("Multidimensional arrays must have sub-arrays with matching dimensions.");
      sizes_[d] = 0;
      if (level > 0) ++sizes_[d - 1];
    }
  }

  uint32_t elem_;
  int32_t typmod_;
  ExecContext& ctx_;
  std::string_view key_;
  int ndims_ = 0;  // 0 while not known
  std::vector<int32_t> dims_, sizes_;
  std::vector<Value> items_;
};
}  // namespace

Value populate(uint32_t type, std::string_view object, const Value& base, ExecContext& ctx, const char* fn) {
  const record::Shape* shape = record::shape_of(type, -1);
  if (!shape) raise(sqlstate::kInvalidParameterValue, "first argument of {} must be a row type", fn);
  std::string_view kind = jsonb::type_of(object);
  if (kind != "object")
    raise(sqlstate::kInvalidParameterValue, "cannot call {} on {}", fn, kind == "array" ? "an array" : "a scalar");
  auto members = jsonb::members(object);
  record::Record defaults;
  if (!base.is_null()) defaults = record::decode(base);
  record::Record r;
  r.names = shape->names;
  for (size_t i = 0; i < shape->size(); ++i) {
    const std::string_view* found = nullptr;
    for (const auto& [k, v] : members)
      if (k == shape->names[i]) found = &v;  // the last of a repeated key
    if (found) r.values.push_back(json_to_value(*found, shape->types[i], shape->typmods[i], ctx, shape->names[i]));
    else if (i < defaults.values.size()) r.values.push_back(defaults.values[i]);
    else r.values.push_back(Value::null(shape->types[i]));
  }
  if (const types::CompositeType* c = types::composite_of(type)) record::check_domains(*c, r);
  return record::make(type, r);
}

Value json_to_value(std::string_view j, uint32_t type, int32_t typmod, ExecContext& ctx, std::string_view key) {
  std::string_view kind = jsonb::type_of(j);
  if (kind == "null") return Value::null(type);
  if (type == oid::kJson) return Value::of(type, std::string(j));
  if (type == oid::kJsonb) return Value::of(type, jsonb::normalize(j));
  if (uint32_t elem = array::element_type(type); elem && kind != "string" && !array::is_vector(type))
    return JsonArrayReader(elem, typmod, ctx, key).read(type, j);
  if (record::is_record(type) && kind == "object") return populate(type, j, Value::null(type), ctx, "json_populate_record");
  std::string text = kind == "string" ? *jsonb::as_text(j) : std::string(j);
  return types::parse_text(type, text, typmod, ctx.text);
}

// json(b)_populate_record(base, json): base's type, its fields from the object's keys (base's own
// where a key is missing).
Value f_populate_record(const Value* a, size_t, ExecContext& ctx) {
  if (a[1].is_null()) return a[0];
  return populate(a[0].type(), a[1].as_string(), a[0], ctx, "populate_composite");
}

// json(b)_populate_recordset(base, json): an array of records of base's type, one per object.
Value f_populate_recordset(const Value* a, size_t, ExecContext& ctx) {
  uint32_t type = a[0].type();
  std::vector<Value> items;
  if (!a[1].is_null()) {
    std::string_view doc = a[1].as_string();
    if (std::string_view(jsonb::type_of(doc)) != "array")
      raise(sqlstate::kInvalidParameterValue, "cannot call json_populate_recordset on {}",
            std::string_view(jsonb::type_of(doc)) == "object" ? "an object" : "a scalar");
    for (auto e : jsonb::elements(doc)) {
      if (std::string_view(jsonb::type_of(e)) != "object")
        raise(sqlstate::kInvalidParameterValue, "argument of json_populate_recordset must be an array of objects");
      items.push_back(populate(type, e, a[0], ctx, "json_populate_recordset"));
    }
  }
  return array::make(array::array_type_of(type), array::Array::of(type, std::move(items)));
}

// ?json_to_record(json, typmod) / ?json_to_recordset(json, typmod): records of the anonymous
// shape the column definition list gave (blessed as typmod).
Value to_record(std::string_view doc, int32_t typmod, ExecContext& ctx, const char* fn) {
  const record::Shape* shape = record::shape_of(oid::kRecord, typmod);
  if (!shape) raise(sqlstate::kInternalError, "record type {} is not registered", typmod);
  std::string_view kind = jsonb::type_of(doc);
  if (kind != "object") raise(sqlstate::kInvalidParameterValue, "cannot call {} on {}", fn, kind == "array" ? "an array" : "a scalar");
  auto members = jsonb::members(doc);
  record::Record r;
  r.names = shape->names;
  for (size_t i = 0; i < shape->size(); ++i) {
    const std::string_view* found = nullptr;
    for (const auto& [k, v] : members)
      if (k == shape->names[i]) found = &v;
    r.values.push_back(found ? json_to_value(*found, shape->types[i], shape->typmods[i], ctx, shape->names[i])
                             : Value::null(shape->types[i]));
  }
  return record::make(oid::kRecord, r);
}

Value f_to_record(const Value* a, size_t, ExecContext& ctx) {
  return to_record(a[0].as_string(), static_cast<int32_t>(a[1].as_int()), ctx, "json_to_record");
}

Value f_to_recordset(const Value* a, size_t, ExecContext& ctx) {
  std::string_view doc = a[0].as_string();
  if (std::string_view(jsonb::type_of(doc)) != "array")
    raise(sqlstate::kInvalidParameterValue, "cannot call json_to_recordset on {}",
          std::string_view(jsonb::type_of(doc)) == "object" ? "an object" : "a scalar");
  std::vector<Value> items;
  for (auto e : jsonb::elements(doc)) {
    if (std::string_view(jsonb::type_of(e)) != "object")
      raise(sqlstate::kInvalidParameterValue, "argument of json_to_recordset must be an array of objects");
    items.push_back(to_record(e, static_cast<int32_t>(a[1].as_int()), ctx, "json_to_recordset"));
  }
  return array::make(array::array_type_of(oid::kRecord), array::Array::of(oid::kRecord, std::move(items)));
}

std::string to_json_text(const Value& v, const types::TextContext& text) {
  std::string out;
  append_json(out, v, text);
  return out;
}

void register_json_functions(std::vector<FuncDef>& out) {
  using namespace oid;
  auto add = [&](std::string name, std::vector<uint32_t> args, uint32_t ret, FnPtr fn, bool strict = true,
                 bool variadic = false) {
    FuncDef f{name, std::move(args), ret, fn};
    f.strict = strict;
    f.variadic = variadic;
    out.push_back(std::move(f));
  };
  add("to_json", {kAnyType}, kJson, f_to_json);
  add("row_to_json", {oid::kRecord}, kJson, f_row_to_json);
  add("array_to_json", {kAnyArray}, kJson, f_array_to_json);
  add("array_to_json", {kAnyArray, kBool}, kJson, f_array_to_json);
  for (uint32_t doc : {kJson, kJsonb}) {
    // The result types depend on the arguments: the binder types these calls (Binder::record_function).
    add(doc == kJson ? "json_populate_record" : "jsonb_populate_record", {oid::kRecord, doc}, exec::kAnyType, f_populate_record, false);
    add(doc == kJson ? "?json_populate_recordset" : "?jsonb_populate_recordset", {oid::kRecord, doc}, exec::kAnyType, f_populate_recordset, false);
    add(doc == kJson ? "?json_to_record" : "?jsonb_to_record", {doc, kInt4}, oid::kRecord, f_to_record);
    add(doc == kJson ? "?json_to_recordset" : "?jsonb_to_recordset", {doc, kInt4}, 2287, f_to_recordset);
  }
  add("row_to_json", {oid::kRecord, oid::kBool}, kJson, f_row_to_json);
  add("to_jsonb", {kAnyType}, kJsonb, f_to_jsonb);
  add("json_build_object", {}, kJson, f_json_build_object, false);
  add("jsonb_build_object", {}, kJsonb, f_jsonb_build_object, false);
  add("json_build_array", {}, kJson, f_json_build_array, false);
  add("jsonb_build_array", {}, kJsonb, f_jsonb_build_array, false);
  add("json_build_object", {kAnyType}, kJson, f_json_build_object, false, true);
  add("jsonb_build_object", {kAnyType}, kJsonb, f_jsonb_build_object, false, true);
  add("json_build_array", {kAnyType}, kJson, f_json_build_array, false, true);
  add("json_object", {1009}, kJson, f_json_object);
  add("json_object", {1009, 1009}, kJson, f_json_object);
  add("jsonb_object", {1009}, kJsonb, f_jsonb_object);
  add("jsonb_object", {1009, 1009}, kJsonb, f_jsonb_object);
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
  add("?|", {kJsonb, 1009}, kBool, f_exists_keys<false>);
  add("?&", {kJsonb, 1009}, kBool, f_exists_keys<true>);
  add("@>", {kJsonb, kJsonb}, kBool, f_contains);
  add("<@", {kJsonb, kJsonb}, kBool, f_contained);
  add("||", {kJsonb, kJsonb}, kJsonb, f_concat);
  add("-", {kJsonb, kText}, kJsonb, f_delete_key);
  add("-", {kJsonb, 1009}, kJsonb, f_delete_keys);
  add("-", {kJsonb, kInt4}, kJsonb, f_delete_index);
  add("jsonb_set", {kJsonb, 1009, kJsonb}, kJsonb, f_jsonb_set);
  add("jsonb_set", {kJsonb, 1009, kJsonb, kBool}, kJsonb, f_jsonb_set);
  add("jsonb_strip_nulls", {kJsonb}, kJsonb, f_strip_nulls);
  add("json_strip_nulls", {kJson}, kJson, f_strip_nulls);
  add("jsonb_pretty", {kJsonb}, kText, f_pretty);
  for (uint32_t t : {kJson, kJsonb}) {
    std::string p = t == kJson ? "json" : "jsonb";
    add(p + "_extract_path", {t, kText}, t, f_extract_path, true, true);
    add(p + "_extract_path_text", {t, kText}, kText, f_extract_path_text, true, true);
    add("?json_keys", {t}, 1009, f_json_parts<0>);
    add("?json_each_keys", {t}, 1009, f_json_parts<5>);
    add("?json_values", {t}, t == kJson ? 199 : 3807, f_json_parts<1>);
    add("?json_values_text", {t}, 1009, f_json_parts<2>);
    add("?json_elements", {t}, t == kJson ? 199 : 3807, f_json_parts<3>);
    add("?json_elements_text", {t}, 1009, f_json_parts<4>);
  }
  add("json_typeof", {kJson}, kText, f_typeof);
  add("jsonb_typeof", {kJsonb}, kText, f_typeof);
  add("json_array_length", {kJson}, kInt4, f_array_length);
  add("jsonb_array_length", {kJsonb}, kInt4, f_array_length);
}

}  // namespace heliosdb::exec
