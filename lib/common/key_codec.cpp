#include "common/key_codec.h"

#include <bit>
#include <cstring>

#include "common/errors.h"
#include "common/record.h"
#include "common/types.h"
#include "common/numeric.h"

namespace heliosdb::keys {
namespace {

constexpr char kNotNull = 0x01;
constexpr char kNull = 0x02;

void append_be64(std::string& out, uint64_t v) {
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((v >> (i * 8)) & 0xff));
}

void append_signed(std::string& out, int64_t v) {
  append_be64(out, static_cast<uint64_t>(v) ^ (uint64_t{1} << 63));
}

void append_double(std::string& out, double d) {
  if (d == 0) d = 0;          // -0 and +0 are equal
  if (d != d) {               // NaN sorts above everything, as in PostgreSQL
    append_be64(out, ~uint64_t{0});
    return;
  }
  uint64_t bits = std::bit_cast<uint64_t>(d);
  bits = (bits & (uint64_t{1} << 63)) ? ~bits : bits | (uint64_t{1} << 63);
  append_be64(out, bits);
}

// Strings: 0x00 escaped as 0x00 0xff, terminated by 0x00 0x01, so prefixes sort first.
void append_bytes(std::string& out, std::string_view s) {
  for (char c : s) {
    out.push_back(c);
    if (c == '\0') out.push_back(static_cast<char>(0xff));
  }
  out.push_back('\0');
  out.push_back('\x01');
}

}  // namespace

void append_value(std::string& out, const Value& v) {
  if (v.is_null()) {
    out.push_back(kNull);
    return;
  }
  out.push_back(kNotNull);
  switch (v.type()) {
    case oid::kBool: out.push_back(v.as_bool() ? 1 : 0); return;
    case oid::kInt2: case oid::kInt4: case oid::kInt8: case oid::kOid: case oid::kRegclass:
    case oid::kRegproc: case oid::kDate: case oid::kTime: case oid::kTimestamp:
    case oid::kTimestamptz:
      append_signed(out, v.as_int());
      return;
    case oid::kFloat4: case oid::kFloat8: append_double(out, v.as_double()); return;
    case oid::kNumeric: numeric::key_encode(v.as_string(), out); return;
    case oid::kInterval: {
      // interval_cmp orders by the total span with 30-day months and 24-hour days.
      Interval iv = v.as_interval();
      __int128 span = (static_cast<__int128>(iv.months) * 30 + iv.days) * 86400000000LL + iv.micros;
      append_signed(out, static_cast<int64_t>(span >> 64));
      append_be64(out, static_cast<uint64_t>(span));
      return;
    }
    case oid::kBpchar: {
      // bpchar compares without trailing blanks.
      std::string_view s = v.as_string();
      while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
      append_bytes(out, s);
      return;
    }
    default:
      if (record::is_record(v.type())) {
        // Field by field (NULL after any value, as record_cmp); a shorter record first.
        for (const auto& f : record::decode(v).values) append_value(out, f);
        out.push_back('\0');
        return;
      }
      if (const types::EnumType* e = types::enum_of(v.type())) {
        // An enum orders by its labels' sort order, which a label keeps for good.
        int i = e->label_index(v.as_string());
        if (i < 0) raise(sqlstate::kInvalidTextRepresentation, "invalid input value for enum {}: \"{}\"", e->name, v.as_string());
        append_double(out, e->sortorders[i]);
        return;
      }
      if (std::holds_alternative<std::string>(v.datum())) {
        append_bytes(out, v.as_string());
        return;
      }
      raise(sqlstate::kFeatureNotSupported, "type {} cannot be used in a key", v.type());
  }
}

void append_u32(std::string& out, uint32_t v) {
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>((v >> (i * 8)) & 0xff));
}

void append_u64(std::string& out, uint64_t v) { append_be64(out, v); }

uint32_t read_u32(std::string_view in, size_t pos) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>(in[pos + i]);
  return v;
}

uint64_t read_u64(std::string_view in, size_t pos) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(in[pos + i]);
  return v;
}

std::string prefix_successor(std::string_view prefix) {
  std::string s(prefix);
  while (!s.empty()) {
    if (static_cast<uint8_t>(s.back()) != 0xff) {
      s.back() = static_cast<char>(static_cast<uint8_t>(s.back()) + 1);
      return s;
    }
    s.pop_back();
  }
  return s;
}

}  // namespace heliosdb::keys
