#include "common/int_text.h"

#include <charconv>

#include "common/errors.h"

namespace heliosdb {
namespace {

int64_t parse_int(std::string_view text, int64_t lo, int64_t hi, const char* name) {
  std::string_view s = text;
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) raise(sqlstate::kInvalidTextRepresentation, "invalid input syntax for type {}: \"{}\"", name, text);
  __int128 v = 0;
  bool overflow = false;
  for (char c : s) {
    if (c < '0' || c > '9') raise(sqlstate::kInvalidTextRepresentation, "invalid input syntax for type {}: \"{}\"", name, text);
    if (!overflow) {
      v = v * 10 + (c - '0');
      if (v > static_cast<__int128>(hi) + 1) overflow = true;
    }
  }
  if (neg) v = -v;
  if (overflow || v < lo || v > hi)
    raise(sqlstate::kNumericValueOutOfRange, "value \"{}\" is out of range for type {}", text, name);
  return static_cast<int64_t>(v);
}

}  // namespace

int64_t parse_int2(std::string_view t) { return parse_int(t, INT16_MIN, INT16_MAX, "smallint"); }
int64_t parse_int4(std::string_view t) { return parse_int(t, INT32_MIN, INT32_MAX, "integer"); }
int64_t parse_int8(std::string_view t) { return parse_int(t, INT64_MIN, INT64_MAX, "bigint"); }

std::optional<uint64_t> parse_count(std::string_view text, uint64_t max) {
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || n > max) return std::nullopt;
  return n;
}

}  // namespace heliosdb
