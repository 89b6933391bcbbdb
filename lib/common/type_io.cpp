#include "common/type_io.h"

#include <algorithm>

#include <boost/json.hpp>

#include "common/array.h"
#include "common/record.h"
#include "common/datetime_io.h"
#include "common/errors.h"
#include "common/float_text.h"
#include "common/int_text.h"
#include "common/jsonb.h"
#include "common/numeric.h"
#include "common/types.h"

namespace heliosdb::types {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool prefix_ci(std::string_view s, std::string_view word) {
  if (s.empty() || s.size() > word.size()) return false;
  for (size_t i = 0; i < s.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != word[i]) return false;
  return true;
}

// boolin: unique prefixes of true/false/yes/no, on/off (at least "of"), 1/0.
bool parse_bool(std::string_view text) {
  std::string_view s = trim(text);
  if (prefix_ci(s, "true") || prefix_ci(s, "yes") || (s.size() >= 2 && prefix_ci(s, "on")) || s == "1")
    return true;
  if (prefix_ci(s, "false") || prefix_ci(s, "no") || (s.size() >= 2 && prefix_ci(s, "off")) || s == "0")
    return false;
  raise(sqlstate::kInvalidTextRepresentation, "invalid input syntax for type boolean: \"{}\"", text);
}

std::string parse_bytea(std::string_view s) {
  std::string out;
  if (s.size() >= 2 && s[0] == '\\' && s[1] == 'x') {
    for (size_t i = 2; i < s.size();) {
      if (std::isspace(static_cast<unsigned char>(s[i]))) { ++i; continue; }
      int hi = hex_digit(s[i]);
      if (hi < 0)
        raise(sqlstate::kInvalidTextRepresentation, "invalid hexadecimal digit: \"{}\"", s.substr(i, 1));
      if (i + 1 >= s.size())
        raise(sqlstate::kInvalidTextRepresentation, "invalid hexadecimal data: odd number of digits");
      int lo = hex_digit(s[i + 1]);
      if (lo < 0)
        raise(sqlstate::kInvalidTextRepresentation, "invalid hexadecimal digit: \"{}\"", s.substr(i + 1, 1));
      out.push_back(static_cast<char>(hi << 4 | lo));
      i += 2;
    }
    return out;
  }
  // Escape format: \\ and \ooo octal.
  for (size_t i = 0; i < s.size();) {
    if (s[i] != '\\') { out.push_back(s[i++]); continue; }
    if (i + 1 < s.size() && s[i + 1] == '\\') { out.push_back('\\'); i += 2; continue; }
    if (i + 3 < s.size() + 0 && i + 3 <= s.size() - 1 + 1 && s[i + 1] >= '0' && s[i + 1] <= '3' &&
        s[i + 2] >= '0' && s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
      out.push_back(static_cast<char>((s[i + 1] - '0') << 6 | (s[i + 2] - '0') << 3 | (s[i + 3] - '0')));
      i += 4;
      continue;
    }
    raise(sqlstate::kInvalidTextRepresentation, "invalid input syntax for type bytea");
  }
  return out;
}

std::string parse_uuid(std::string_view text) {
  std::string_view s = trim(text);
  bool braces = !s.empty() && s.front() == '{';
  if (braces) {
    if (s.back() != '}') goto bad;
    s = s.substr(1, s.size() - 2);
  }
  {
    std::string out;
    size_t i = 0;
    while (i < s.size() && out.size() < 16) {
      int hi = hex_digit(s[i]);
      if (hi < 0 || i + 1 >= s.size()) goto bad;
      int lo = hex_digit(s[i + 1]);
      if (lo < 0) goto bad;
      out.push_back(static_cast<char>(hi << 4 | lo));
      i += 2;
      // PostgreSQL accepts a hyphen after any group of four hex digits.
      if (i < s.size() && s[i] == '-' && out.size() % 2 == 0 && out.size() < 16) ++i;
    }
    if (out.size() == 16 && i == s.size()) return out;
  }
bad:
  raise(sqlstate::kInvalidTextRepresentation, "invalid input syntax for type uuid: \"{}\"", text);
}

size_t utf8_length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Byte offset of the first `chars` characters of s.
size_t utf8_prefix(std::string_view s, size_t chars) {
  size_t i = 0, n = 0;
  while (i < s.size()) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (n == chars) break;
      ++n;
    }
    ++i;
  }
  return i;
}

}  // namespace

const TextContext& default_text_context() {
  static const TextContext ctx;
  return ctx;
}

Value apply_typmod(Value v, int32_t typmod, bool explicit_cast) {
  if (typmod < 0 || v.is_null()) return v;
  switch (v.type()) {
    case oid::kVarchar:
    case oid::kBpchar: {
      size_t max = static_cast<size_t>(typmod - 4);
      const std::string& s = v.as_string();
      size_t len = utf8_length(s);
      if (len > max) {
        size_t cut = utf8_prefix(s, max);
        // PostgreSQL: excess characters that are all spaces are truncated silently.
        if (!explicit_cast && s.find_first_not_of(' ', cut) != std::string::npos)
          raise(sqlstate::kStringDataRightTruncation, "value too long for type {}",
                format_type(v.type(), typmod));
        return Value::of(v.type(), s.substr(0, cut));
      }
      if (v.type() == oid::kBpchar && len < max) return Value::of(v.type(), s + std::string(max - len, ' '));
      return v;
    }
    case oid::kNumeric: return Value::of(oid::kNumeric, numeric::apply_typmod(v.as_string(), typmod));
    case oid::kTimestamp:
    case oid::kTimestamptz:
    case oid::kTime:
    case oid::kInterval:
      return datetime_io::apply_typmod(v, typmod);
    default: return v;
  }
}

// regtypein: a type as SQL writes it ("integer", "character varying", "int4[]", "pg_catalog.text").
uint32_t parse_type_name(std::string_view text, const OidNames* names) {
  std::string name;
  for (char c : text) name.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (name.rfind("pg_catalog.", 0) == 0) name = name.substr(11);
  int arrays = 0;
  while (name.size() > 2 && name.compare(name.size() - 2, 2, "[]") == 0) {
    name.resize(name.size() - 2);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    ++arrays;
  }
  if (auto paren = name.find('('); paren != std::string::npos) {  // varchar(10): the type only
    name.resize(paren);
    while (!name.empty() && name.back() == ' ') name.pop_back();
  }
  if (name.rfind("interval ", 0) == 0) name = "interval";  // "interval day to second": its fields
  auto t = lookup(name);
  // Not built in: an enum or domain of the catalog ("mood", "s.mood").
  if (!t && names) t = names->lookup(oid::kRegtype, name);
  if (t && arrays) t = arrays == 1 && find(*t) ? std::optional<uint32_t>(find(*t)->array_oid) : std::nullopt;
  if (!t || !*t) raise(sqlstate::kUndefinedObject, "type \"{}\" does not exist", text);
  return *t;
}

Value parse_text(uint32_t type, std::string_view text, int32_t typmod, const TextContext& ctx) {
  switch (type) {
    case oid::kBool: return Value::boolean(parse_bool(text));
    case oid::kInt2: return Value::of(type, parse_int2(text));
    case oid::kInt4: return Value::of(type, parse_int4(text));
    case oid::kInt8: return Value::of(type, parse_int8(text));
    case oid::kXid:
    case oid::kCid:
    case oid::kOid: {
      int64_t v = parse_int8(text);
      if (v < -2147483648LL || v > 4294967295LL)
        raise(sqlstate::kNumericValueOutOfRange, "value \"{}\" is out of range for type oid", text);
      return Value::of(type, static_cast<int64_t>(v < 0 ? v + 4294967296LL : v));
    }
    case oid::kFloat4: return Value::of(type, double{parse_float4(text)});
    case oid::kFloat8: return Value::of(type, parse_float8(text));
    case oid::kNumeric: return Value::of(type, numeric::apply_typmod(text, typmod));
    case oid::kText:
    case oid::kName:
    case oid::kUnknownType:
      return Value::of(type == oid::kUnknownType ? oid::kText : type, std::string(text));
    case oid::kVarchar:
    case oid::kBpchar:
      return apply_typmod(Value::of(type, std::string(text)), typmod, false);
    case oid::kChar: return Value::of(type, char_in(text));
    case oid::kBytea: return Value::of(type, parse_bytea(text));
    case oid::kUuid: return Value::of(type, parse_uuid(text));
    case oid::kJson:
      jsonb::validate(text);
      return Value::of(type, std::string(text));
    case oid::kJsonb: return Value::of(type, jsonb::normalize(text));
    case oid::kDate:
    case oid::kTime:
    case oid::kTimestamp:
    case oid::kTimestamptz:
    case oid::kInterval:
      return apply_typmod(datetime_io::parse(type, text, typmod, ctx), typmod, false);
    case oid::kRegclass: case oid::kRegtype: case oid::kRegproc: case oid::kRegnamespace:
    case oid::kRegrole: case oid::kRegprocedure: {
      // A number is the OID itself; a name is looked up in the catalog.
      std::string_view t = trim(text);
      if (!t.empty() && std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return Value::of(type, parse_int8(t));
      if (type == oid::kRegtype) return Value::of(type, int64_t{parse_type_name(t, ctx.names)});
      if (ctx.names) return Value::of(type, int64_t{ctx.names->lookup(type, t)});
      raise(sqlstate::kFeatureNotSupported, "input of type {} by name is not supported here", find(type)->name);
    }
    case oid::kPgNodeTree:
    case oid::kAclitem:
    case oid::kTid:
      return Value::of(type, std::string(text));
    default:
      if (array::is_array(type)) return array::parse(type, text, typmod, ctx);
      if (type == oid::kRecord) raise(sqlstate::kFeatureNotSupported, "input of anonymous composite types is not implemented");
      if (const CompositeType* c = composite_of(type)) {
        Value v = record::parse(type, c->shape, text, ctx);
        if (!c->domains.empty()) record::check_domains(*c, record::decode(v));
        return v;
      }
      if (const EnumType* e = enum_of(type)) {
        if (e->label_index(text) < 0)
          raise(sqlstate::kInvalidTextRepresentation, "invalid input value for enum {}: \"{}\"", format_type(type, -1), text);
        return Value::of(type, std::string(text));
      }
      raise(sqlstate::kFeatureNotSupported, "input of type {} is not supported",
            find(type) ? find(type)->name : std::to_string(type));
  }
}

void append_text(std::string& out, const Value& v, const TextContext& ctx) {
  switch (v.type()) {
    case oid::kBool: out.push_back(v.as_bool() ? 't' : 'f'); return;
    case oid::kInt2: case oid::kInt4: case oid::kInt8: case oid::kOid: case oid::kXid: case oid::kCid:
      out += std::to_string(v.as_int());
      return;
    case oid::kRegclass: case oid::kRegtype: case oid::kRegproc: case oid::kRegnamespace:
    case oid::kRegrole: case oid::kRegprocedure: {
      // The name of what the OID identifies ("-" for 0, the number when there is none).
      auto id = static_cast<uint32_t>(v.as_int());
      if (id == 0) out.push_back('-');
      else if (v.type() == oid::kRegtype && find(id)) out += format_type(id, -1);
      else if (auto name = ctx.names ? ctx.names->name(v.type(), id) : std::nullopt) out += *name;
      else out += std::to_string(id);
      return;
    }
    case oid::kFloat4: out += format_float4(static_cast<float>(v.as_double()), ctx.extra_float_digits); return;
    case oid::kFloat8: out += format_float8(v.as_double(), ctx.extra_float_digits); return;
    case oid::kBytea: {
      if (ctx.bytea_escape) {  // printable ASCII as is, a backslash doubled, other bytes \ooo
        for (unsigned char c : v.as_string()) {
          if (c == '\\') out += "\\\\";
          else if (c < 0x20 || c > 0x7e) out += fmt::format("\\{:03o}", c);
          else out.push_back(static_cast<char>(c));
        }
        return;
      }
      static const char* d = "0123456789abcdef";
      out += "\\x";
      for (unsigned char c : v.as_string()) { out.push_back(d[c >> 4]); out.push_back(d[c & 15]); }
      return;
    }
    case oid::kChar: out += char_out(v.as_string()); return;
    case oid::kUuid: {
      static const char* d = "0123456789abcdef";
      const std::string& s = v.as_string();
      for (size_t i = 0; i < s.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
        auto c = static_cast<unsigned char>(s[i]);
        out.push_back(d[c >> 4]);
        out.push_back(d[c & 15]);
      }
      return;
    }
    case oid::kDate: case oid::kTime: case oid::kTimestamp: case oid::kTimestamptz:
    case oid::kInterval:
      out += datetime_io::format(v, ctx);
      return;
    default:
      if (array::is_array(v.type())) {
        array::append_text(out, v, ctx);
        return;
      }
      if (record::is_record(v.type())) {
        record::append_text(out, v, ctx);
        return;
      }
      if (std::holds_alternative<std::string>(v.datum())) {
        out += v.as_string();
        return;
      }
      raise(sqlstate::kFeatureNotSupported, "output of type {} is not supported", v.type());
  }
}

std::string char_in(std::string_view text) {
  auto octal = [](char c) { return c >= '0' && c <= '7'; };
  if (text.size() == 4 && text[0] == '\\' && octal(text[1]) && octal(text[2]) && octal(text[3])) {
    auto byte = static_cast<char>(((text[1] - '0') << 6) + ((text[2] - '0') << 3) + (text[3] - '0'));
    return byte ? std::string(1, byte) : std::string();
  }
  return text.empty() || text[0] == '\0' ? std::string() : std::string(1, text[0]);
}

std::string char_out(std::string_view stored) {
  if (stored.empty()) return {};
  auto c = static_cast<unsigned char>(stored[0]);
  return c & 0x80 ? fmt::format("\\{:03o}", c) : std::string(1, static_cast<char>(c));
}

std::string format_text(const Value& v, const TextContext& ctx) {
  std::string out;
  append_text(out, v, ctx);
  return out;
}

}  // namespace heliosdb::types
