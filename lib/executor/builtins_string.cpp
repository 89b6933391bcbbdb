// String functions: lower, upper, length, substr, trim, replace, position, concat, ...
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <optional>

#include "common/errors.h"
#include "common/type_io.h"
#include "common/types.h"
#include "executor/builtins.h"
#include "sql/parser.h"

namespace heliosdb::exec {
namespace {

size_t char_len(unsigned char c) {
  return c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
}
size_t utf8_count(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}
// Byte offset of character index i (0-based), clamped to the end.
size_t byte_offset(std::string_view s, int64_t i) {
  size_t p = 0;
  while (i > 0 && p < s.size()) {
    p += char_len(static_cast<unsigned char>(s[p]));
    --i;
  }
  return std::min(p, s.size());
}

// Appends code point u as UTF-8.
void append_utf8(std::string& out, uint32_t u) {
  if (u < 0x80) {
    out.push_back(static_cast<char>(u));
  } else if (u < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (u >> 6)));
    out.push_back(static_cast<char>(0x80 | (u & 0x3F)));
  } else if (u < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (u >> 12)));
    out.push_back(static_cast<char>(0x80 | ((u >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (u & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (u >> 18)));
    out.push_back(static_cast<char>(0x80 | ((u >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((u >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (u & 0x3F)));
  }
}

std::string str(const Value& v) {
  if (v.type() == oid::kBpchar) {
    std::string s = v.as_string();
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s;
  }
  return v.as_string();
}

Value f_lower(const Value* a, size_t, ExecContext&) {
  std::string s = a[0].as_string();
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return Value::text(std::move(s));
}
Value f_upper(const Value* a, size_t, ExecContext&) {
  std::string s = a[0].as_string();
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return Value::text(std::move(s));
}
Value f_initcap(const Value* a, size_t, ExecContext&) {
  std::string s = a[0].as_string();
  bool word = false;
  for (char& c : s) {
    auto u = static_cast<unsigned char>(c);
    c = static_cast<char>(word ? std::tolower(u) : std::toupper(u));
    word = std::isalnum(u);
  }
  return Value::text(std::move(s));
}
Value f_length(const Value* a, size_t, ExecContext&) {
  return Value::int4(static_cast<int32_t>(utf8_count(str(a[0]))));
}
Value f_octet_length(const Value* a, size_t, ExecContext&) {
  return Value::int4(static_cast<int32_t>(a[0].as_string().size()));
}
Value f_bit_length(const Value* a, size_t, ExecContext&) {
  return Value::int4(static_cast<int32_t>(a[0].as_string().size() * 8));
}
Value f_bytea_length(const Value* a, size_t, ExecContext&) {
  return Value::int4(static_cast<int32_t>(a[0].as_string().size()));
}

// substr(s, start [, count]) with SQL's 1-based start that may be <= 0; characters of text,
// bytes of bytea.
template <bool Bytes>
std::string substring_of(const std::string& s, int64_t start, std::optional<int64_t> count) {
  auto offset = [&](int64_t k) { return Bytes ? std::min(static_cast<size_t>(k), s.size()) : byte_offset(s, k); };
  if (!count) return s.substr(offset(std::max<int64_t>(start, 1) - 1));
  if (*count < 0) raise(sqlstate::kSubstringError, "negative substring length not allowed");
  int64_t end = start + *count;  // exclusive, 1-based
  if (start < 1) start = 1;
  if (end <= start) return "";
  size_t b = offset(start - 1), e = offset(end - 1);
  return s.substr(b, e - b);
}
template <bool Bytes>
Value f_substr(const Value* a, size_t n, ExecContext&) {
  std::optional<int64_t> count;
  if (n > 2) count = a[2].as_int();
  return Value::of(Bytes ? oid::kBytea : oid::kText, substring_of<Bytes>(a[0].as_string(), a[1].as_int(), count));
}

// overlay(s PLACING r FROM start [FOR count]): s with count characters (bytes of bytea; r's
// length by default) from start replaced by r.
template <bool Bytes>
Value f_overlay(const Value* a, size_t n, ExecContext&) {
  const std::string &s = a[0].as_string(), &r = a[1].as_string();
  int64_t start = a[2].as_int();
  int64_t count = n > 3 ? a[3].as_int() : static_cast<int64_t>(Bytes ? r.size() : utf8_count(r));
  if (start < 1) raise(sqlstate::kSubstringError, "negative substring length not allowed");
  std::string out = substring_of<Bytes>(s, 1, start - 1) + r + substring_of<Bytes>(s, start + count, std::nullopt);
  return Value::of(Bytes ? oid::kBytea : oid::kText, std::move(out));
}

enum TrimSide { kBoth, kLeading, kTrailing };
template <TrimSide Side, bool Bytes = false>
Value f_trim(const Value* a, size_t n, ExecContext&) {
  std::string s = Bytes ? a[0].as_string() : str(a[0]);
  std::string chars = n > 1 ? a[1].as_string() : std::string(" ");
  size_t b = 0, e = s.size();
  if (Side != kTrailing)
    while (b < e && chars.find(s[b]) != std::string::npos) ++b;
  if (Side != kLeading)
    while (e > b && chars.find(s[e - 1]) != std::string::npos) --e;
  return Value::of(Bytes ? oid::kBytea : oid::kText, s.substr(b, e - b));
}

Value f_replace(const Value* a, size_t, ExecContext&) {
  std::string s = a[0].as_string();
  const std::string &from = a[1].as_string(), &to = a[2].as_string();
  if (from.empty()) return Value::text(s);
  std::string out;
  size_t p = 0;
  for (size_t q; (q = s.find(from, p)) != std::string::npos; p = q + from.size()) {
    out.append(s, p, q - p);
    out += to;
  }
  out.append(s, p);
  return Value::text(std::move(out));
}

Value f_strpos(const Value* a, size_t, ExecContext&) {
  const std::string &s = a[0].as_string(), &sub = a[1].as_string();
  size_t p = s.find(sub);
  if (p == std::string::npos) return Value::int4(0);
  return Value::int4(static_cast<int32_t>(utf8_count(std::string_view(s).substr(0, p)) + 1));
}

Value f_left(const Value* a, size_t, ExecContext&) {
  const std::string& s = a[0].as_string();
  int64_t n = a[1].as_int(), len = static_cast<int64_t>(utf8_count(s));
  int64_t k = n >= 0 ? std::min(n, len) : std::max<int64_t>(0, len + n);
  return Value::text(s.substr(0, byte_offset(s, k)));
}
Value f_right(const Value* a, size_t, ExecContext&) {
  const std::string& s = a[0].as_string();
  int64_t n = a[1].as_int(), len = static_cast<int64_t>(utf8_count(s));
  int64_t k = n >= 0 ? std::min(n, len) : std::max<int64_t>(0, len + n);
  return Value::text(s.substr(byte_offset(s, len - k)));
}

Value f_concat(const Value* a, size_t n, ExecContext& ctx) {
  std::string out;
  for (size_t i = 0; i < n; ++i)
    if (!a[i].is_null()) {
      if (a[i].type() == oid::kBool) out += a[i].as_bool() ? "t" : "f";
      else types::append_text(out, a[i], ctx.text);
    }
  return Value::text(std::move(out));
}
Value f_num_nulls(const Value* a, size_t n, ExecContext&) {
  return Value::int4(static_cast<int32_t>(std::count_if(a, a + n, [](const Value& v) { return v.is_null(); })));
}
Value f_num_nonnulls(const Value* a, size_t n, ExecContext&) {
  return Value::int4(static_cast<int32_t>(std::count_if(a, a + n, [](const Value& v) { return !v.is_null(); })));
}
Value f_concat_ws(const Value* a, size_t n, ExecContext& ctx) {
  if (a[0].is_null()) return Value::null(oid::kText);
  std::string out;
  bool first = true;
  for (size_t i = 1; i < n; ++i) {
    if (a[i].is_null()) continue;
    if (!first) out += a[0].as_string();
    first = false;
    types::append_text(out, a[i], ctx.text);
  }
  return Value::text(std::move(out));
}

Value f_repeat(const Value* a, size_t, ExecContext&) {
  int64_t n = a[1].as_int();
  std::string out;
  const std::string& s = a[0].as_string();
  if (n > 0 && s.size() * static_cast<uint64_t>(n) > (1u << 30))
    raise(sqlstate::kProgramLimitExceeded, "requested length too large");
  for (int64_t i = 0; i < n; ++i) out += s;
  return Value::text(std::move(out));
}

Value f_reverse(const Value* a, size_t, ExecContext&) {
  const std::string& s = a[0].as_string();
  std::string out;
  for (size_t p = s.size(); p > 0;) {
    size_t q = p - 1;
    while (q > 0 && (static_cast<unsigned char>(s[q]) & 0xC0) == 0x80) --q;
    out.append(s, q, p - q);
    p = q;
  }
  return Value::text(std::move(out));
}

template <bool Left>
Value f_pad(const Value* a, size_t n, ExecContext&) {
  std::string s = a[0].as_string();
  int64_t len = a[1].as_int();
  std::string fill = n > 2 ? a[2].as_string() : std::string(" ");
  if (len <= 0) return Value::text("");
  int64_t cur = static_cast<int64_t>(utf8_count(s));
  if (cur >= len) return Value::text(s.substr(0, byte_offset(s, len)));
  if (fill.empty()) return Value::text(s);
  std::string pad;
  std::vector<std::string> fc;
  for (size_t p = 0; p < fill.size();) {
    size_t l = char_len(static_cast<unsigned char>(fill[p]));
    fc.push_back(fill.substr(p, l));
    p += l;
  }
  for (int64_t i = 0; i < len - cur; ++i) pad += fc[static_cast<size_t>(i) % fc.size()];
  return Value::text(Left ? pad + s : s + pad);
}

Value f_split_part(const Value* a, size_t, ExecContext&) {
  const std::string &s = a[0].as_string(), &d = a[1].as_string();
  int64_t k = a[2].as_int();
  if (k == 0) raise(sqlstate::kInvalidParameterValue, "field position must not be zero");
  std::vector<std::string> parts;
  if (d.empty()) parts.push_back(s);
  else {
    size_t p = 0;
    for (size_t q; (q = s.find(d, p)) != std::string::npos; p = q + d.size()) parts.push_back(s.substr(p, q - p));
    parts.push_back(s.substr(p));
  }
  if (s.empty()) return Value::text("");
  int64_t idx = k > 0 ? k - 1 : static_cast<int64_t>(parts.size()) + k;
  if (idx < 0 || idx >= static_cast<int64_t>(parts.size())) return Value::text("");
  return Value::text(parts[static_cast<size_t>(idx)]);
}

Value f_starts_with(const Value* a, size_t, ExecContext&) {
  return Value::boolean(a[0].as_string().starts_with(a[1].as_string()));
}

Value f_ascii(const Value* a, size_t, ExecContext&) {
  const std::string& s = a[0].as_string();
  if (s.empty()) return Value::int4(0);
  auto c = static_cast<unsigned char>(s[0]);
  if (c < 0x80) return Value::int4(c);
  size_t l = char_len(c);
  uint32_t cp = c & (0xFF >> (l + 1));
  for (size_t i = 1; i < l && i < s.size(); ++i) cp = cp << 6 | (static_cast<unsigned char>(s[i]) & 0x3F);
  return Value::int4(static_cast<int32_t>(cp));
}

Value f_chr(const Value* a, size_t, ExecContext&) {
  int64_t cp = a[0].as_int();
  if (cp == 0) raise(sqlstate::kProgramLimitExceeded, "null character not permitted");
  if (cp < 0 || cp > 0x10FFFF) raise(sqlstate::kProgramLimitExceeded, "requested character too large for encoding: {}", cp);
  std::string out;
  append_utf8(out, static_cast<uint32_t>(cp));
  return Value::text(std::move(out));
}

// unistr(s): s with its Unicode escapes \XXXX, \+XXXXXX, \uXXXX and \UXXXXXXXX decoded (a
// UTF-16 surrogate pair as one character) and \\ as a backslash.
Value f_unistr(const Value* a, size_t, ExecContext&) {
  const std::string& s = a[0].as_string();
  auto syntax = [](const std::string& message) {
    if (!message.empty()) throw Error(sqlstate::kSyntaxError, message);
    Error e(sqlstate::kSyntaxError, "invalid Unicode escape");
    e.with_hint("Unicode escapes must be \\XXXX, \\+XXXXXX, \\uXXXX, or \\UXXXXXXXX.");
    throw e;
  };
  // The code point of the n hex digits at s[i], or nullopt when they are not all there.
  auto hex = [&](size_t i, size_t n) -> std::optional<uint32_t> {
    if (i + n > s.size()) return std::nullopt;
    uint32_t v = 0;
    for (size_t k = i; k < i + n; ++k) {
      if (!std::isxdigit(static_cast<unsigned char>(s[k]))) return std::nullopt;
      v = v * 16 + static_cast<uint32_t>(std::isdigit(static_cast<unsigned char>(s[k])) ? s[k] - '0' : std::tolower(s[k]) - 'a' + 10);
    }
    return v;
  };
  std::string out;
  uint32_t high = 0;  // a pending high surrogate
  for (size_t i = 0; i < s.size();) {
    if (s[i] != '\\') {
      if (high) syntax("invalid Unicode surrogate pair");
      out += s[i++];
      continue;
    }
    if (i + 1 < s.size() && s[i + 1] == '\\') {
      if (high) syntax("invalid Unicode surrogate pair");
      out += '\\';
      i += 2;
      continue;
    }
    std::optional<uint32_t> cp;
    size_t skip = 0;
    if (i + 1 < s.size() && s[i + 1] == '+') cp = hex(i + 2, 6), skip = 8;
    else if (i + 1 < s.size() && s[i + 1] == 'u') cp = hex(i + 2, 4), skip = 6;
    else if (i + 1 < s.size() && s[i + 1] == 'U') cp = hex(i + 2, 8), skip = 10;
    else cp = hex(i + 1, 4), skip = 5;
    if (!cp) syntax("");
    i += skip;
    if (*cp > 0x10FFFF) raise(sqlstate::kInvalidParameterValue, "invalid Unicode code point: {:04X}", *cp);
    bool is_high = *cp >= 0xD800 && *cp <= 0xDBFF, is_low = *cp >= 0xDC00 && *cp <= 0xDFFF;
    if (high) {
      if (!is_low) syntax("invalid Unicode surrogate pair");
      append_utf8(out, ((high & 0x3FF) << 10 | (*cp & 0x3FF)) + 0x10000);
      high = 0;
    } else if (is_high) {
      high = *cp;
    } else if (is_low) {
      syntax("invalid Unicode surrogate pair");
    } else {
      if (*cp == 0) syntax(fmt::format("invalid Unicode code point: {:04X}", *cp));
      append_utf8(out, *cp);
    }
  }
  if (high) syntax("invalid Unicode surrogate pair");
  return Value::text(std::move(out));
}

// translate(s, from, to): each character of s found in from becomes the character at the same
// place in to, or is dropped when to is shorter.
Value f_translate(const Value* a, size_t, ExecContext&) {
  auto chars = [](const std::string& s) {
    std::vector<std::string_view> out;
    for (size_t i = 0; i < s.size();) {
      size_t n = std::min(char_len(static_cast<unsigned char>(s[i])), s.size() - i);
      out.emplace_back(s.data() + i, n);
      i += n;
    }
    return out;
  };
  auto from = chars(a[1].as_string()), to = chars(a[2].as_string());
  std::string out;
  for (std::string_view c : chars(a[0].as_string())) {
    auto it = std::find(from.begin(), from.end(), c);
    if (it == from.end()) out += c;
    else if (auto k = static_cast<size_t>(it - from.begin()); k < to.size()) out += to[k];
  }
  return Value::text(std::move(out));
}

// pgcrypto's digest(data, type) and hmac(data, key, type).
const EVP_MD* hash_named(const std::string& name) {
  std::string n;
  for (char c : name) n.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  const EVP_MD* md = n == "md5" ? EVP_md5() : n == "sha1" ? EVP_sha1() : n == "sha224" ? EVP_sha224()
                     : n == "sha256" ? EVP_sha256() : n == "sha384" ? EVP_sha384() : n == "sha512" ? EVP_sha512() : nullptr;
  if (!md) raise(sqlstate::kInvalidParameterValue, "Cannot use \"{}\": No such hash algorithm", name);
  return md;
}
Value f_digest(const Value* a, size_t, ExecContext&) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  const std::string& s = a[0].as_string();
  EVP_Digest(s.data(), s.size(), md, &len, hash_named(a[1].as_string()), nullptr);
  return Value::of(oid::kBytea, std::string(reinterpret_cast<char*>(md), len));
}
Value f_hmac(const Value* a, size_t, ExecContext&) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  const std::string& data = a[0].as_string();
  const std::string& key = a[1].as_string();
  HMAC(hash_named(a[2].as_string()), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), md, &len);
  return Value::of(oid::kBytea, std::string(reinterpret_cast<char*>(md), len));
}

Value f_md5(const Value* a, size_t, ExecContext&) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  const std::string& s = a[0].as_string();
  EVP_Digest(s.data(), s.size(), md, &len, EVP_md5(), nullptr);
  static const char* d = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) { out.push_back(d[md[i] >> 4]); out.push_back(d[md[i] & 15]); }
  return Value::text(std::move(out));
}

// md5(bytea) is text like md5(text); sha224 .. sha512(bytea) are bytea.
template <const EVP_MD* (*Md)()>
Value f_sha(const Value* a, size_t, ExecContext&) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  const std::string& s = a[0].as_string();
  EVP_Digest(s.data(), s.size(), md, &len, Md(), nullptr);
  return Value::of(oid::kBytea, std::string(reinterpret_cast<char*>(md), len));
}

Value f_to_hex(const Value* a, size_t, ExecContext&) {
  uint64_t v = static_cast<uint64_t>(a[0].as_int());
  if (a[0].type() == oid::kInt4) v &= 0xffffffffu;
  static const char* d = "0123456789abcdef";
  std::string out;
  do { out.insert(out.begin(), d[v & 15]); v >>= 4; } while (v);
  return Value::text(std::move(out));
}

// name[i]: its i-th byte as "char" (0-based), NULL outside the name.
Value f_name_subscript(const Value* a, size_t, ExecContext&) {
  const std::string& s = a[0].as_string();
  int64_t i = a[1].as_int();
  if (i < 0 || i >= 64) return Value::null(oid::kChar);
  return Value::of(oid::kChar, i < static_cast<int64_t>(s.size()) ? s.substr(static_cast<size_t>(i), 1) : std::string());
}

// encode(bytea, format) / decode(text, format): hex, base64 (76-character lines) and escape.
Value f_encode(const Value* a, size_t, ExecContext&) {
  const std::string& b = a[0].as_string();
  std::string f = a[1].as_string(), out;
  static const char* hex = "0123456789abcdef";
  static const char* b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  if (f == "hex") {
    for (unsigned char c : b) { out.push_back(hex[c >> 4]); out.push_back(hex[c & 15]); }
  } else if (f == "base64") {
    size_t line = 0;
    for (size_t i = 0; i < b.size(); i += 3) {
      uint32_t v = static_cast<uint32_t>(static_cast<unsigned char>(b[i])) << 16;
      if (i + 1 < b.size()) v |= static_cast<uint32_t>(static_cast<unsigned char>(b[i + 1])) << 8;
      if (i + 2 < b.size()) v |= static_cast<unsigned char>(b[i + 2]);
      if (line == 76) { out.push_back('\n'); line = 0; }
      out.push_back(b64[(v >> 18) & 63]);
      out.push_back(b64[(v >> 12) & 63]);
      out.push_back(i + 1 < b.size() ? b64[(v >> 6) & 63] : '=');
      out.push_back(i + 2 < b.size() ? b64[v & 63] : '=');
      line += 4;
    }
  } else if (f == "escape") {
    for (unsigned char c : b) {
      if (c == '\\') out += "\\\\";
      else if (c == 0 || c >= 0x80) { out.push_back('\\'); out += fmt::format("{:03o}", c); }
      else out.push_back(static_cast<char>(c));
    }
  } else {
    raise(sqlstate::kInvalidParameterValue, "unrecognized encoding: \"{}\"", f);
  }
  return Value::text(std::move(out));
}

Value f_decode(const Value* a, size_t, ExecContext&) {
  const std::string& t = a[0].as_string();
  std::string f = a[1].as_string(), out;
  if (f == "hex") {
    for (size_t i = 0; i < t.size();) {
      if (std::isspace(static_cast<unsigned char>(t[i]))) { ++i; continue; }
      int hi = types::hex_digit(t[i]);
      if (hi < 0) raise(sqlstate::kInvalidParameterValue, "invalid hexadecimal digit: \"{}\"", t.substr(i, 1));
      if (i + 1 >= t.size()) raise(sqlstate::kInvalidParameterValue, "invalid hexadecimal data: odd number of digits");
      int lo = types::hex_digit(t[i + 1]);
      if (lo < 0) raise(sqlstate::kInvalidParameterValue, "invalid hexadecimal digit: \"{}\"", t.substr(i + 1, 1));
      out.push_back(static_cast<char>(hi << 4 | lo));
      i += 2;
    }
  } else if (f == "base64") {
    uint32_t acc = 0;
    int bits = 0, pad = 0;
    for (char c : t) {
      int v;
      if (c >= 'A' && c <= 'Z') v = c - 'A';
      else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
      else if (c >= '0' && c <= '9') v = c - '0' + 52;
      else if (c == '+') v = 62;
      else if (c == '/') v = 63;
      else if (c == '=') { ++pad; continue; }
      else if (std::isspace(static_cast<unsigned char>(c))) continue;
      else raise(sqlstate::kInvalidParameterValue, "invalid symbol \"{}\" found while decoding base64 sequence", c);
      if (pad) raise(sqlstate::kInvalidParameterValue, "unexpected \"=\" while decoding base64 sequence");
      acc = (acc << 6) | static_cast<uint32_t>(v);
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out.push_back(static_cast<char>((acc >> bits) & 0xff));
      }
    }
  } else if (f == "escape") {
    for (size_t i = 0; i < t.size(); ++i) {
      if (t[i] != '\\') { out.push_back(t[i]); continue; }
      if (i + 1 < t.size() && t[i + 1] == '\\') { out.push_back('\\'); ++i; continue; }
      if (i + 3 < t.size() + 0 && t[i + 1] >= '0' && t[i + 1] <= '3' && t[i + 2] >= '0' && t[i + 2] <= '7' && t[i + 3] >= '0' && t[i + 3] <= '7') {
        out.push_back(static_cast<char>(((t[i + 1] - '0') << 6) | ((t[i + 2] - '0') << 3) | (t[i + 3] - '0')));
        i += 3;
        continue;
      }
      raise(sqlstate::kInvalidTextRepresentation, "invalid input syntax for type bytea");
    }
  } else {
    raise(sqlstate::kInvalidParameterValue, "unrecognized encoding: \"{}\"", f);
  }
  return Value::of(oid::kBytea, std::move(out));
}

Value f_quote_ident(const Value* a, size_t, ExecContext&) { return Value::text(sql::quote_ident(a[0].as_string())); }

Value f_quote_literal(const Value* a, size_t, ExecContext&) {
  const std::string& s = a[0].as_string();
  std::string out = s.find('\\') != std::string::npos ? "E'" : "'";
  for (char c : s) { if (c == '\'' || c == '\\') out += c; out += c; }
  return Value::text(out + "'");
}

Value f_quote_nullable(const Value* a, size_t n, ExecContext& ctx) {
  return a[0].is_null() ? Value::text("NULL") : f_quote_literal(a, n, ctx);
}

// like_escape(pattern, escape): the pattern with backslash as its escape character (LIKE ...
// ESCAPE); an empty escape means none.
template <uint32_t Type = oid::kText>
Value f_like_escape(const Value* a, size_t, ExecContext&) {
  const std::string& p = a[0].as_string();
  const std::string& e = a[1].as_string();
  size_t chars = 0;
  for (unsigned char c : e) chars += (c & 0xC0) != 0x80;
  if (chars > 1)
    throw Error(sqlstate::kInvalidEscapeSequence, "invalid escape string").with_hint("Escape string must be empty or one character.");
  std::string out;
  for (size_t i = 0; i < p.size(); ++i) {
    if (e.empty()) {
      if (p[i] == '\\') out += '\\';
      out += p[i];
    } else if (p.compare(i, e.size(), e) == 0) {
      out += '\\';
      i += e.size();
      if (i < p.size()) out += p[i];
      else raise(sqlstate::kInvalidEscapeSequence, "LIKE pattern must not end with escape character");
    } else {
      if (p[i] == '\\' && e != "\\") out += '\\';
      out += p[i];
    }
  }
  return Value::of(Type, std::move(out));
}

// format(formatstr, VARIADIC args): %s (NULL as nothing), %I (quote_ident), %L (quote_literal,
// NULL as NULL), %%; each with an optional n$ position and [-]width (or * / *n$).
Value f_format(const Value* a, size_t n, ExecContext& ctx) {
  if (a[0].is_null()) return Value::null(oid::kText);
  const std::string& f = a[0].as_string();
  std::string out;
  size_t next = 1;  // the next argument a plain specifier takes
  auto arg = [&](size_t i) -> const Value& {
    if (i >= n) raise(sqlstate::kInvalidParameterValue, "too few arguments for format()");
    return a[i];
  };
  auto text_of = [&](const Value& v) {
    if (v.type() == oid::kBool) return std::string(v.as_bool() ? "t" : "f");
    std::string t;
    types::append_text(t, v, ctx.text);
    return t;
  };
  auto number = [&](size_t& i) {
    size_t start = i;
    int64_t v = 0;
    while (i < f.size() && std::isdigit(static_cast<unsigned char>(f[i]))) v = v * 10 + (f[i++] - '0');
    return i == start ? int64_t{-1} : v;
  };
  for (size_t i = 0; i < f.size(); ++i) {
    if (f[i] != '%') {
      out += f[i];
      continue;
    }
    if (++i >= f.size()) raise(sqlstate::kInvalidParameterValue, "unterminated format() type specifier");
    if (f[i] == '%') {
      out += '%';
      continue;
    }
    // [n$][flags][width][type]
    size_t save = i;
    int64_t pos = number(i);
    if (pos >= 0 && i < f.size() && f[i] == '$') {
      if (pos == 0) raise(sqlstate::kInvalidParameterValue, "format specifies argument 0, but arguments are numbered from 1");
      ++i;
    } else {
      pos = -1;
      i = save;
    }
    bool left = false;
    if (i < f.size() && f[i] == '-') { left = true; ++i; }
    int64_t width = -1;
    if (i < f.size() && f[i] == '*') {
      ++i;
      size_t wsave = i;
      int64_t wpos = number(i);
      size_t wi;
      if (wpos >= 0 && i < f.size() && f[i] == '$') {
        if (wpos == 0) raise(sqlstate::kInvalidParameterValue, "format specifies argument 0, but arguments are numbered from 1");
        ++i;
        wi = static_cast<size_t>(wpos);
      } else {
        i = wsave;
        wi = next;
      }
      next = wi + 1;  // the value, unless positioned, is the argument after the width's
      const Value& w = arg(wi);
      width = w.is_null() ? 0 : w.as_int();
      if (width < 0) { left = true; width = -width; }
    } else {
      width = number(i);
    }
    if (i >= f.size()) raise(sqlstate::kInvalidParameterValue, "unterminated format() type specifier");
    char type = f[i];
    if (type != 's' && type != 'I' && type != 'L')
      throw Error(sqlstate::kInvalidParameterValue, fmt::format("unrecognized format() type specifier \"{}\"", type))
          .with_hint("For a single \"%\" use \"%%\".");
    size_t ai = pos > 0 ? static_cast<size_t>(pos) : next++;
    if (pos > 0) next = static_cast<size_t>(pos) + 1;
    const Value& v = arg(ai);
    std::string piece;
    if (type == 's') {
      if (!v.is_null()) piece = text_of(v);
    } else if (type == 'I') {
      if (v.is_null()) raise(sqlstate::kNullValueNotAllowed, "null values cannot be formatted as an SQL identifier");
      piece = sql::quote_ident(text_of(v));
    } else {
      if (v.is_null()) {
        piece = "NULL";
      } else {
        Value t = Value::text(text_of(v));
        piece = f_quote_literal(&t, 1, ctx).as_string();
      }
    }
    // Width counts characters, not bytes.
    size_t chars = 0;
    for (unsigned char c : piece) chars += (c & 0xC0) != 0x80;
    std::string pad(width > static_cast<int64_t>(chars) ? static_cast<size_t>(width) - chars : 0, ' ');
    out += left ? piece + pad : pad + piece;
  }
  return Value::text(std::move(out));
}

}  // namespace

void register_string_functions(std::vector<FuncDef>& out) {
  using namespace oid;
  out.push_back({"lower", {kText}, kText, f_lower});
  out.push_back({"upper", {kText}, kText, f_upper});
  out.push_back({"initcap", {kText}, kText, f_initcap});
  for (const char* n : {"length", "char_length", "character_length"}) {
    out.push_back({n, {kText}, kInt4, f_length});
    out.push_back({n, {kBpchar}, kInt4, f_length});
  }
  out.push_back({"length", {kBytea}, kInt4, f_bytea_length});
  out.push_back({"octet_length", {kText}, kInt4, f_octet_length});
  out.push_back({"octet_length", {kBytea}, kInt4, f_octet_length});
  out.push_back({"octet_length", {kBpchar}, kInt4, f_octet_length});  // with the padding
  for (uint32_t t : {kText, kBpchar, kBytea}) out.push_back({"bit_length", {t}, kInt4, f_bit_length});
  for (const char* n : {"substr", "substring"}) {
    out.push_back({n, {kText, kInt4}, kText, f_substr<false>});
    out.push_back({n, {kText, kInt4, kInt4}, kText, f_substr<false>});
    out.push_back({n, {kBytea, kInt4}, kBytea, f_substr<true>});
    out.push_back({n, {kBytea, kInt4, kInt4}, kBytea, f_substr<true>});
  }
  out.push_back({"overlay", {kText, kText, kInt4}, kText, f_overlay<false>});
  out.push_back({"overlay", {kText, kText, kInt4, kInt4}, kText, f_overlay<false>});
  out.push_back({"overlay", {kBytea, kBytea, kInt4}, kBytea, f_overlay<true>});
  out.push_back({"overlay", {kBytea, kBytea, kInt4, kInt4}, kBytea, f_overlay<true>});
  out.push_back({"btrim", {kBytea, kBytea}, kBytea, f_trim<kBoth, true>});
  out.push_back({"ltrim", {kBytea, kBytea}, kBytea, f_trim<kLeading, true>});
  out.push_back({"rtrim", {kBytea, kBytea}, kBytea, f_trim<kTrailing, true>});
  out.push_back({"translate", {kText, kText, kText}, kText, f_translate});
  out.push_back({"unistr", {kText}, kText, f_unistr});
  out.push_back({"btrim", {kText}, kText, f_trim<kBoth>});
  out.push_back({"btrim", {kText, kText}, kText, f_trim<kBoth>});
  out.push_back({"ltrim", {kText}, kText, f_trim<kLeading>});
  out.push_back({"ltrim", {kText, kText}, kText, f_trim<kLeading>});
  out.push_back({"rtrim", {kText}, kText, f_trim<kTrailing>});
  out.push_back({"rtrim", {kText, kText}, kText, f_trim<kTrailing>});
  out.push_back({"replace", {kText, kText, kText}, kText, f_replace});
  out.push_back({"strpos", {kText, kText}, kInt4, f_strpos});
  out.push_back({"position", {kText, kText}, kInt4, f_strpos});
  out.push_back({"left", {kText, kInt4}, kText, f_left});
  out.push_back({"right", {kText, kInt4}, kText, f_right});
  out.push_back({"concat", {kAnyType}, kText, f_concat, false, false, true});
  out.push_back({"concat_ws", {kText, kAnyType}, kText, f_concat_ws, false, false, true});
  out.push_back({"num_nulls", {kAnyType}, kInt4, f_num_nulls, false, false, true});
  out.push_back({"num_nonnulls", {kAnyType}, kInt4, f_num_nonnulls, false, false, true});
  out.push_back({"repeat", {kText, kInt4}, kText, f_repeat});
  out.push_back({"reverse", {kText}, kText, f_reverse});
  out.push_back({"lpad", {kText, kInt4}, kText, f_pad<true>});
  out.push_back({"lpad", {kText, kInt4, kText}, kText, f_pad<true>});
  out.push_back({"rpad", {kText, kInt4}, kText, f_pad<false>});
  out.push_back({"rpad", {kText, kInt4, kText}, kText, f_pad<false>});
  out.push_back({"split_part", {kText, kText, kInt4}, kText, f_split_part});
  out.push_back({"starts_with", {kText, kText}, kBool, f_starts_with});
  out.push_back({"^@", {kText, kText}, kBool, f_starts_with});
  out.push_back({"ascii", {kText}, kInt4, f_ascii});
  out.push_back({"chr", {kInt4}, kText, f_chr});
  out.push_back({"md5", {kText}, kText, f_md5});
  out.push_back({"md5", {kBytea}, kText, f_md5});
  out.push_back({"sha224", {kBytea}, kBytea, f_sha<EVP_sha224>});
  out.push_back({"sha256", {kBytea}, kBytea, f_sha<EVP_sha256>});
  out.push_back({"sha384", {kBytea}, kBytea, f_sha<EVP_sha384>});
  out.push_back({"sha512", {kBytea}, kBytea, f_sha<EVP_sha512>});
  for (uint32_t t : {kText, kBytea}) {
    out.push_back({"digest", {t, kText}, kBytea, f_digest});
    out.push_back({"hmac", {t, t, kText}, kBytea, f_hmac});
  }
  out.push_back({"encode", {kBytea, kText}, kText, f_encode});
  out.push_back({"decode", {kText, kText}, kBytea, f_decode});
  out.push_back({"to_hex", {kInt4}, kText, f_to_hex});
  out.push_back({"to_hex", {kInt8}, kText, f_to_hex});
  out.push_back({"quote_ident", {kText}, kText, f_quote_ident});
  out.push_back({"?name_subscript", {kName, kInt4}, kChar, f_name_subscript});
  out.push_back({"quote_literal", {kText}, kText, f_quote_literal});
  out.push_back({"format", {kText}, kText, f_format, false});
  out.push_back({"like_escape", {kText, kText}, kText, f_like_escape<>});
  out.push_back({"like_escape", {kBytea, kBytea}, kBytea, f_like_escape<kBytea>});
  out.push_back({"format", {kText}, kText, f_format, false});
  out.push_back({"format", {kText, kAnyType}, kText, f_format, false, false, true});
  out.push_back({"quote_nullable", {kText}, kText, f_quote_nullable, false});
}

}  // namespace heliosdb::exec
