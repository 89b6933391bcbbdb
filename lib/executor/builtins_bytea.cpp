// Functions and operators over bytea: bits and bytes by position, LIKE.
#include "common/errors.h"
#include "executor/builtins.h"
#include "executor/like.h"

namespace heliosdb::exec {
namespace {

// The byte index of position n in a value of `size` bytes, or 2202E "index n out of valid range,
// 0..last" (last = size * per_byte - 1).
size_t checked_index(int64_t n, size_t size, int64_t per_byte) {
  int64_t last = static_cast<int64_t>(size) * per_byte - 1;
  if (n < 0 || n > last) raise(sqlstate::kArraySubscriptError, "index {} out of valid range, 0..{}", n, last);
  return static_cast<size_t>(n / per_byte);
}

Value f_get_bit(const Value* a, size_t, ExecContext&) {
  const std::string& s = a[0].as_string();
  int64_t n = a[1].as_int();
  auto byte = static_cast<unsigned char>(s[checked_index(n, s.size(), 8)]);
  return Value::int4((byte >> (n % 8)) & 1);
}
Value f_set_bit(const Value* a, size_t, ExecContext&) {
  std::string s = a[0].as_string();
  int64_t n = a[1].as_int(), bit = a[2].as_int();
  size_t at = checked_index(n, s.size(), 8);
  if (bit != 0 && bit != 1) raise(sqlstate::kInvalidParameterValue, "new bit must be 0 or 1");
  auto mask = static_cast<unsigned char>(1u << (n % 8));
  auto byte = static_cast<unsigned char>(s[at]);
  s[at] = static_cast<char>(bit ? byte | mask : byte & ~mask);
  return Value::of(oid::kBytea, std::move(s));
}
Value f_get_byte(const Value* a, size_t, ExecContext&) {
  const std::string& s = a[0].as_string();
  return Value::int4(static_cast<unsigned char>(s[checked_index(a[1].as_int(), s.size(), 1)]));
}
Value f_set_byte(const Value* a, size_t, ExecContext&) {
  std::string s = a[0].as_string();
  s[checked_index(a[1].as_int(), s.size(), 1)] = static_cast<char>(a[2].as_int());
  return Value::of(oid::kBytea, std::move(s));
}

template <bool Negate>
Value f_like(const Value* a, size_t, ExecContext&) {
  return Value::boolean(like_match(a[0].as_string(), a[1].as_string(), false, '\\') != Negate);
}

}  // namespace

namespace {
// The encodings convert_to / convert_from know: PostgreSQL's name for one of UTF8, LATIN1 and
// SQL_ASCII (with their aliases), or "" for another.
std::string encoding_name(std::string_view name) {
  std::string n;
  for (char c : name)
    if (c != '_' && c != '-') n.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (n == "utf8" || n == "unicode") return "UTF8";
  if (n == "latin1" || n == "iso88591") return "LATIN1";
  if (n == "sqlascii") return "SQL_ASCII";
  return "";
}

std::string known_encoding(const Value& name, const char* which) {
  std::string e = encoding_name(name.as_string());
  if (e.empty()) unsupported(fmt::format("the {} encoding \"{}\" (UTF8, LATIN1 and SQL_ASCII are there)", which, name.as_string()));
  return e;
}

std::string hex_bytes(std::string_view s) {
  std::string out;
  for (unsigned char c : s) out += fmt::format("{}0x{:02x}", out.empty() ? "" : " ", c);
  return out;
}

// The bytes of the UTF-8 sequence a lead byte starts (1 for a byte that starts none).
size_t utf8_length(unsigned char c) { return c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1; }

// 22021 unless s is well-formed UTF-8 (no NUL, no surrogates, no overlong forms).
void check_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t len = utf8_length(c);
    bool ok = c != 0 && (c < 0x80 || (len > 1 && i + len <= s.size()));
    uint32_t cp = len == 1 ? c : c & (0xFF >> (len + 1));
    for (size_t k = 1; ok && k < len; ++k) {
      auto b = static_cast<unsigned char>(s[i + k]);
      ok = (b & 0xC0) == 0x80;
      cp = cp << 6 | (b & 0x3F);
    }
    if (ok && len > 1)
      ok = !(cp < (len == 2 ? 0x80u : len == 3 ? 0x800u : 0x10000u)) && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    if (!ok) raise("22021", "invalid byte sequence for encoding \"UTF8\": {}", hex_bytes(s.substr(i, std::min(len, s.size() - i))));
    i += len;
  }
}

// convert_from(bytes, encoding): the text they encode.
Value f_convert_from(const Value* a, size_t, ExecContext&) {
  const std::string& b = a[0].as_string();
  if (known_encoding(a[1], "source") != "LATIN1") {
    check_utf8(b);
    return Value::text(b);
  }
  std::string out;
  for (unsigned char c : b) {
    if (c == 0) raise("22021", "invalid byte sequence for encoding \"LATIN1\": 0x00");
    if (c < 0x80) out.push_back(static_cast<char>(c));
    else out += {static_cast<char>(0xC0 | (c >> 6)), static_cast<char>(0x80 | (c & 0x3F))};
  }
  return Value::text(std::move(out));
}

// convert_to(text, encoding): its bytes in that encoding.
Value f_convert_to(const Value* a, size_t, ExecContext&) {
  const std::string& t = a[0].as_string();
  if (known_encoding(a[1], "destination") != "LATIN1") return Value::of(oid::kBytea, t);
  std::string out;
  for (size_t i = 0; i < t.size();) {
    auto c = static_cast<unsigned char>(t[i]);
    size_t len = utf8_length(c);  // text is valid UTF-8
    if (len == 2 && c <= 0xC3) {
      out.push_back(static_cast<char>(((c & 0x1F) << 6) | (static_cast<unsigned char>(t[i + 1]) & 0x3F)));
    } else if (len == 1) {
      out.push_back(static_cast<char>(c));
    } else {
      raise("22P05", "character with byte sequence {} in encoding \"UTF8\" has no equivalent in encoding \"LATIN1\"",
            hex_bytes(std::string_view(t).substr(i, len)));
    }
    i += len;
  }
  return Value::of(oid::kBytea, std::move(out));
}
}  // namespace

void register_bytea_functions(std::vector<FuncDef>& out) {
  using namespace oid;
  out.push_back({"convert_from", {kBytea, kText}, kText, f_convert_from});
  out.push_back({"convert_to", {kText, kText}, kBytea, f_convert_to});
  out.push_back({"get_bit", {kBytea, kInt8}, kInt4, f_get_bit});
  out.push_back({"set_bit", {kBytea, kInt8, kInt4}, kBytea, f_set_bit});
  out.push_back({"get_byte", {kBytea, kInt4}, kInt4, f_get_byte});
  out.push_back({"set_byte", {kBytea, kInt4, kInt4}, kBytea, f_set_byte});
  out.push_back({"~~", {kBytea, kBytea}, kBool, f_like<false>});
  out.push_back({"!~~", {kBytea, kBytea}, kBool, f_like<true>});
}

}  // namespace heliosdb::exec
