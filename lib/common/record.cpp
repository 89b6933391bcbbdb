#include "common/record.h"

#include <deque>
#include <mutex>

#include "common/errors.h"
#include "common/type_io.h"
#include "common/types.h"
#include "common/value_codec.h"

namespace heliosdb::record {
namespace {

using codec::get_varint;
using codec::put_varint;

[[noreturn]] void corrupt() { raise(sqlstate::kDataCorrupted, "invalid record encoding"); }

[[noreturn]] void malformed(std::string_view text, const char* detail) {
  throw Error(sqlstate::kInvalidTextRepresentation, fmt::format("malformed record literal: \"{}\"", text))
      .with_detail(detail);
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

// The anonymous shapes of bless, in typmod order; a deque keeps their addresses.
struct Blessed {
  std::mutex mu;
  std::deque<Shape> shapes;
};
Blessed& blessed() {
  static auto* b = new Blessed();
  return *b;
}

}  // namespace

bool is_record(uint32_t t) { return t == oid::kRecord || types::composite_of(t) != nullptr; }

int32_t bless(const Shape& shape) {
  auto& b = blessed();
  std::lock_guard lock(b.mu);
  for (size_t i = 0; i < b.shapes.size(); ++i)
    if (b.shapes[i] == shape) return static_cast<int32_t>(i);
  b.shapes.push_back(shape);
  return static_cast<int32_t>(b.shapes.size() - 1);
}

const Shape* shape_of(uint32_t type, int32_t typmod) {
  if (type == oid::kRecord) {
    if (typmod < 0) return nullptr;
    auto& b = blessed();
    std::lock_guard lock(b.mu);
    return static_cast<size_t>(typmod) < b.shapes.size() ? &b.shapes[static_cast<size_t>(typmod)] : nullptr;
  }
  const types::CompositeType* c = types::composite_of(type);
  return c ? &c->shape : nullptr;
}

void check_domains(const types::CompositeType& c, const Record& rec) {
  for (size_t i = 0; i < c.domains.size() && i < rec.values.size(); ++i)
    if (c.domains[i]) types::check_domain(c.domains[i], rec.values[i]);
}

std::string encode(const Record& r) {
  std::string out;
  put_varint(out, r.values.size());
  for (size_t i = 0; i < r.values.size(); ++i) {
    const std::string& name = i < r.names.size() ? r.names[i] : std::string();
    put_varint(out, name.size());
    out += name;
    put_varint(out, r.values[i].type());
    codec::put_value(out, r.values[i]);
  }
  return out;
}

Record decode(const Value& v) {
  Record r;
  std::string_view in = v.as_string();
  size_t pos = 0;
  size_t n = get_varint(in, pos);
  if (n > in.size()) corrupt();
  r.names.reserve(n);
  r.values.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    size_t len = get_varint(in, pos);
    if (len > in.size() - pos) corrupt();
    r.names.emplace_back(in.substr(pos, len));
    pos += len;
    auto type = static_cast<uint32_t>(get_varint(in, pos));
    r.values.push_back(codec::get_value(in, pos, type));
  }
  return r;
}

Value make(uint32_t type, const Record& r) { return Value::of(type, encode(r)); }

Value field(const Value& v, size_t i) {
  Record r = decode(v);
  if (i >= r.values.size()) corrupt();
  return std::move(r.values[i]);
}

Value parse(uint32_t type, const Shape& shape, std::string_view text, const types::TextContext& ctx) {
  size_t pos = 0;
  while (pos < text.size() && is_space(text[pos])) ++pos;
  if (pos >= text.size() || text[pos] != '(') malformed(text, "Missing left parenthesis.");
  ++pos;
  Record r;
  r.names = shape.names;
  std::string item;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) {
      // The previous field ended at a comma.
      if (pos >= text.size() || text[pos] != ',') malformed(text, "Too few columns.");
      ++pos;
    }
    if (pos < text.size() && (text[pos] == ',' || text[pos] == ')')) {
      if (text[pos] == ')' && i + 1 < shape.size()) malformed(text, "Too few columns.");
      r.values.push_back(Value::null(shape.types[i]));
      continue;
    }
    item.clear();
    bool quoted = false;
    for (;;) {
      if (pos >= text.size()) malformed(text, "Unexpected end of input.");
      char c = text[pos];
      if (!quoted && (c == ',' || c == ')')) break;
      ++pos;
      if (c == '\\') {
        if (pos >= text.size()) malformed(text, "Unexpected end of input.");
        item.push_back(text[pos++]);
      } else if (c == '"') {
        if (!quoted) quoted = true;
        else if (pos < text.size() && text[pos] == '"') item.push_back(text[pos++]);
        else quoted = false;
      } else {
        item.push_back(c);
      }
    }
    r.values.push_back(types::parse_text(shape.types[i], item, shape.typmods[i], ctx));
  }
  if (pos >= text.size() || text[pos] != ')') malformed(text, "Too many columns.");
  ++pos;
  while (pos < text.size() && is_space(text[pos])) ++pos;
  if (pos < text.size()) malformed(text, "Junk after right parenthesis.");
  return make(type, r);
}

void append_text(std::string& out, const Value& v, const types::TextContext& ctx) {
  Record r = decode(v);
  out.push_back('(');
  std::string item;
  for (size_t i = 0; i < r.values.size(); ++i) {
    if (i) out.push_back(',');
    if (r.values[i].is_null()) continue;
    item.clear();
    types::append_text(item, r.values[i], ctx);
    bool quote = item.empty();
    for (char c : item)
      quote |= c == '"' || c == '\\' || c == '(' || c == ')' || c == ',' || is_space(c);
    if (!quote) {
      out += item;
      continue;
    }
    out.push_back('"');
    for (char c : item) {
      if (c == '"' || c == '\\') out.push_back(c);
      out.push_back(c);
    }
    out.push_back('"');
  }
  out.push_back(')');
}

int compare(const Record& a, const Record& b, int (*cmp)(const Value&, const Value&)) {
  size_t n = std::min(a.values.size(), b.values.size());
  for (size_t i = 0; i < n; ++i) {
    const Value& x = a.values[i];
    const Value& y = b.values[i];
    if (x.type() != y.type() && x.type() != oid::kUnknownType && y.type() != oid::kUnknownType)
      raise(sqlstate::kDatatypeMismatch, "cannot compare dissimilar column types {} and {} at record column {}",
            types::format_type(x.type(), -1), types::format_type(y.type(), -1), i + 1);
    if (x.is_null() || y.is_null()) {
      if (x.is_null() && y.is_null()) continue;
      return x.is_null() ? 1 : -1;
    }
    if (int c = cmp(x, y)) return c;
  }
  if (a.values.size() != b.values.size()) return a.values.size() < b.values.size() ? -1 : 1;
  return 0;
}

}  // namespace heliosdb::record
