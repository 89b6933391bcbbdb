#include "common/array.h"

#include <unordered_map>

#include "common/errors.h"
#include "common/type_io.h"
#include "common/types.h"
#include "common/value_codec.h"

namespace heliosdb::array {
namespace {

constexpr uint32_t kInt2Vector = 22, kOidVector = 30;

using codec::get_varint;
using codec::put_varint;
using codec::unzigzag;
using codec::zigzag;

[[noreturn]] void corrupt() { raise(sqlstate::kDataCorrupted, "invalid array encoding"); }

const std::unordered_map<uint32_t, uint32_t>& element_types() {
  static const auto* m = [] {
    auto* out = new std::unordered_map<uint32_t, uint32_t>{{kInt2Vector, oid::kInt2}, {kOidVector, oid::kOid}};
    for (uint32_t t : types::all_oids())
      if (const auto* ti = types::find(t); ti && ti->array_oid) (*out)[ti->array_oid] = t;
    return out;
  }();
  return *m;
}

[[noreturn]] void malformed(std::string_view text, std::string detail) {
  throw Error(sqlstate::kInvalidTextRepresentation, fmt::format("malformed array literal: \"{}\"", text))
      .with_detail(std::move(detail));
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

// array_in's parser: the nested braces, their elements as text, and which were unquoted NULLs.
struct Parser {
  std::string_view text;  // the whole literal, for messages
  size_t pos = 0;
  std::vector<int32_t> dims;
  std::vector<std::string> items;
  std::vector<bool> nulls;

  void skip_space() {
    while (pos < text.size() && is_space(text[pos])) ++pos;
  }
  // Parses {...} at nesting depth `depth`: every sub-array of one depth must have the same length.
  void parse_level(size_t depth) {
    // text[pos] == '{'
    ++pos;
    int32_t count = 0;
    skip_space();
    if (pos < text.size() && text[pos] == '}') {
      ++pos;
      if (depth > 0 || !items.empty()) malformed(text, "Multidimensional arrays must have sub-arrays with matching dimensions.");
      return;
    }
    bool children_are_arrays = false;
    for (;;) {
      skip_space();
      if (pos >= text.size()) malformed(text, "Unexpected end of input.");
      if (text[pos] == '{') {
        if (count == 0) children_are_arrays = true;
        else if (!children_are_arrays) malformed(text, "Unexpected \"{\" character.");
        parse_level(depth + 1);
      } else {
        if (children_are_arrays) malformed(text, "Unexpected array element.");
        parse_element();
        if (dims.size() > depth + 1) malformed(text, "Multidimensional arrays must have sub-arrays with matching dimensions.");
      }
      ++count;
      skip_space();
      if (pos >= text.size()) malformed(text, "Unexpected end of input.");
      char c = text[pos];
      if (c == ',') {
        ++pos;
        continue;
      }
      if (c == '}') {
        ++pos;
        break;
      }
      malformed(text, fmt::format("Unexpected \"{}\" character.", c));
    }
    if (dims.size() <= depth) {
      dims.resize(depth + 1, -1);
    }
    if (dims[depth] == -1) dims[depth] = count;
    else if (dims[depth] != count) malformed(text, "Multidimensional arrays must have sub-arrays with matching dimensions.");
  }
  void parse_element() {
    std::string out;
    bool quoted = false, any_escape = false;
    if (text[pos] == '"') {
      quoted = true;
      ++pos;
      for (;;) {
        if (pos >= text.size()) malformed(text, "Unexpected end of input.");
        char c = text[pos++];
        if (c == '"') break;
        if (c == '\\') {
          if (pos >= text.size()) malformed(text, "Unexpected end of input.");
          c = text[pos++];
        }
        out.push_back(c);
      }
    } else {
      size_t trailing_space_from = std::string::npos;
      while (pos < text.size()) {
        char c = text[pos];
        if (c == ',' || c == '}') break;
        if (c == '{' || c == '"') malformed(text, fmt::format("Unexpected \"{}\" character.", c));
        ++pos;
        if (c == '\\') {
          if (pos >= text.size()) malformed(text, "Unexpected end of input.");
          out.push_back(text[pos++]);
          any_escape = true;
          trailing_space_from = std::string::npos;
          continue;
        }
        if (is_space(c)) {
          if (trailing_space_from == std::string::npos) trailing_space_from = out.size();
        } else {
          trailing_space_from = std::string::npos;
        }
        out.push_back(c);
      }
      if (trailing_space_from != std::string::npos) out.resize(trailing_space_from);
      if (out.empty() && !any_escape) malformed(text, "Unexpected \",\" character.");
    }
    bool is_null = !quoted && !any_escape && out.size() == 4 && (out[0] | 0x20) == 'n' && (out[1] | 0x20) == 'u' &&
                   (out[2] | 0x20) == 'l' && (out[3] | 0x20) == 'l';
    items.push_back(std::move(out));
    nulls.push_back(is_null);
  }
};

bool needs_quotes(std::string_view s) {
  if (s.empty()) return true;
  if (s.size() == 4 && (s[0] | 0x20) == 'n' && (s[1] | 0x20) == 'u' && (s[2] | 0x20) == 'l' && (s[3] | 0x20) == 'l')
    return true;
  for (char c : s)
    if (c == '{' || c == '}' || c == ',' || c == '"' || c == '\\' || is_space(c)) return true;
  return false;
}

}  // namespace

bool is_vector(uint32_t t) { return t == kInt2Vector || t == kOidVector; }

uint32_t element_type(uint32_t t) {
  const auto& m = element_types();
  auto it = m.find(t);
  if (it != m.end()) return it->second;
  if (t < types::kFirstUserOid) return 0;
  if (const types::EnumType* e = types::find_enum(t)) return e->array_oid == t ? e->oid : 0;
  const types::CompositeType* c = types::find_composite(t);
  return c && c->array_oid == t ? c->oid : 0;
}

uint32_t array_type_of(uint32_t elem) {
  const auto* ti = types::find(elem);
  return ti ? ti->array_oid : 0;
}

Array Array::of(uint32_t elem, std::vector<Value> items) {
  Array a;
  a.elem = elem;
  if (!items.empty()) {
    a.dims = {static_cast<int32_t>(items.size())};
    a.lbounds = {1};
  }
  a.items = std::move(items);
  return a;
}

std::string encode(const Array& a) {
  std::string out;
  put_varint(out, a.dims.size());
  for (size_t i = 0; i < a.dims.size(); ++i) {
    put_varint(out, static_cast<uint64_t>(a.dims[i]));
    put_varint(out, zigzag(a.lbounds[i]));
  }
  for (const Value& v : a.items) codec::put_value(out, v);
  return out;
}

Array decode(const Value& v) {
  Array a;
  a.elem = element_type(v.type());
  std::string_view in = v.as_string();
  size_t pos = 0;
  size_t ndims = get_varint(in, pos);
  if (ndims > 6) corrupt();
  size_t count = ndims ? 1 : 0;
  for (size_t i = 0; i < ndims; ++i) {
    a.dims.push_back(static_cast<int32_t>(get_varint(in, pos)));
    a.lbounds.push_back(static_cast<int32_t>(unzigzag(get_varint(in, pos))));
    count *= static_cast<size_t>(a.dims.back());
  }
  if (count > in.size()) corrupt();  // every element takes at least one byte
  a.items.reserve(count);
  for (size_t i = 0; i < count; ++i) a.items.push_back(codec::get_value(in, pos, a.elem));
  return a;
}

Value make(uint32_t array_type, const Array& a) { return Value::of(array_type, encode(a)); }

Value parse(uint32_t array_type, std::string_view text, int32_t typmod, const types::TextContext& ctx) {
  uint32_t elem = element_type(array_type);
  Array a;
  a.elem = elem;
  if (is_vector(array_type)) {
    size_t i = 0;
    while (i < text.size()) {
      while (i < text.size() && is_space(text[i])) ++i;
      if (i >= text.size()) break;
      size_t j = i;
      while (j < text.size() && !is_space(text[j])) ++j;
      a.items.push_back(types::parse_text(elem, text.substr(i, j - i), -1, ctx));
      i = j;
    }
    if (!a.items.empty()) {
      a.dims = {static_cast<int32_t>(a.items.size())};
      a.lbounds = {0};
    }
    return make(array_type, a);
  }
  Parser p{text};
  p.skip_space();
  std::vector<int32_t> given_lb, given_ub;
  while (p.pos < text.size() && text[p.pos] == '[') {
    // [lb:ub] or [ub]
    ++p.pos;
    auto read_int = [&]() -> int32_t {
      size_t start = p.pos;
      if (p.pos < text.size() && (text[p.pos] == '-' || text[p.pos] == '+')) ++p.pos;
      while (p.pos < text.size() && std::isdigit(static_cast<unsigned char>(text[p.pos]))) ++p.pos;
      if (start == p.pos) malformed(text, "\"[\" must introduce explicitly-specified array dimensions.");
      return static_cast<int32_t>(std::stol(std::string(text.substr(start, p.pos - start))));
    };
    int32_t lb = 1, ub = read_int();
    if (p.pos < text.size() && text[p.pos] == ':') {
      ++p.pos;
      lb = ub;
      ub = read_int();
    }
    if (p.pos >= text.size() || text[p.pos] != ']') malformed(text, "Missing \"]\" after array dimensions.");
    ++p.pos;
    if (ub < lb)
      raise(sqlstate::kArraySubscriptError, "upper bound cannot be less than lower bound");
    given_lb.push_back(lb);
    given_ub.push_back(ub);
  }
  if (!given_lb.empty()) {
    if (p.pos >= text.size() || text[p.pos] != '=') malformed(text, "Missing \"=\" after array dimensions.");
    ++p.pos;
    p.skip_space();
  }
  if (p.pos >= text.size() || text[p.pos] != '{')
    malformed(text, "Array value must start with \"{\" or dimension information.");
  p.parse_level(0);
  p.skip_space();
  if (p.pos != text.size()) malformed(text, "Junk after closing right brace.");
  if (!p.items.empty()) {
    a.dims = p.dims;
    a.lbounds.assign(a.dims.size(), 1);
    if (!given_lb.empty()) {
      if (given_lb.size() != a.dims.size())
        malformed(text, "Specified array dimensions do not match array contents.");
      for (size_t i = 0; i < a.dims.size(); ++i) {
        if (given_ub[i] - given_lb[i] + 1 != a.dims[i])
          malformed(text, "Specified array dimensions do not match array contents.");
        a.lbounds[i] = given_lb[i];
      }
    }
  }
  a.items.reserve(p.items.size());
  for (size_t i = 0; i < p.items.size(); ++i)
    a.items.push_back(p.nulls[i] ? Value::null(elem) : types::parse_text(elem, p.items[i], typmod, ctx));
  return make(array_type, a);
}

void append_text(std::string& out, const Value& v, const types::TextContext& ctx) {
  Array a = decode(v);
  if (is_vector(v.type())) {
    for (size_t i = 0; i < a.items.size(); ++i) {
      if (i) out.push_back(' ');
      types::append_text(out, a.items[i], ctx);
    }
    return;
  }
  if (a.items.empty()) {
    out += "{}";
    return;
  }
  bool bounds = false;
  for (int32_t lb : a.lbounds) bounds |= lb != 1;
  if (bounds) {
    for (size_t d = 0; d < a.dims.size(); ++d)
      out += fmt::format("[{}:{}]", a.lbounds[d], a.lbounds[d] + a.dims[d] - 1);
    out.push_back('=');
  }
  size_t nd = a.dims.size();
  std::vector<int32_t> idx(nd, 0);
  std::string item;
  for (size_t i = 0; i < a.items.size(); ++i) {
    // Open the braces of every dimension that starts here.
    size_t open = nd;
    while (open > 0 && idx[open - 1] == 0) --open;
    if (i == 0) open = 0;
    for (size_t d = open; d < nd; ++d) out.push_back('{');
    const Value& e = a.items[i];
    if (e.is_null()) {
      out += "NULL";
    } else {
      item.clear();
      types::append_text(item, e, ctx);
      if (needs_quotes(item)) {
        out.push_back('"');
        for (char c : item) {
          if (c == '"' || c == '\\') out.push_back('\\');
          out.push_back(c);
        }
        out.push_back('"');
      } else {
        out += item;
      }
    }
    // Advance the index, closing the dimensions that end here.
    size_t d = nd;
    while (d > 0) {
      if (++idx[d - 1] < a.dims[d - 1]) break;
      idx[d - 1] = 0;
      out.push_back('}');
      --d;
    }
    if (d > 0) out.push_back(',');
  }
}

int compare(const Array& a, const Array& b, int (*cmp)(const Value&, const Value&)) {
  size_t n = std::min(a.items.size(), b.items.size());
  for (size_t i = 0; i < n; ++i) {
    const Value& x = a.items[i];
    const Value& y = b.items[i];
    if (x.is_null() || y.is_null()) {
      if (x.is_null() && y.is_null()) continue;
      return x.is_null() ? 1 : -1;
    }
    if (int c = cmp(x, y)) return c;
  }
  if (a.items.size() != b.items.size()) return a.items.size() < b.items.size() ? -1 : 1;
  if (a.dims.size() != b.dims.size()) return a.dims.size() < b.dims.size() ? -1 : 1;
  for (size_t d = 0; d < a.dims.size(); ++d) {
    if (a.dims[d] != b.dims[d]) return a.dims[d] < b.dims[d] ? -1 : 1;
    if (a.lbounds[d] != b.lbounds[d]) return a.lbounds[d] < b.lbounds[d] ? -1 : 1;
  }
  return 0;
}

}  // namespace heliosdb::array
