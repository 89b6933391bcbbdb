// HASH partitioning's hash of a row's key, bit for bit PostgreSQL's: Bob Jenkins' lookup3 as
// src/common/hashfn.c has it (hash_bytes_extended, hash_bytes_uint32_extended), the extended
// hash support function of each type's default hash operator class, and partbounds.c's
// compute_partition_hash_value (HASH_PARTITION_SEED, hash_combine64). A row lands in the
// partition PostgreSQL would put it in.
#include <cmath>
#include <cstring>
#include <limits>

#include "common/array.h"
#include "common/errors.h"
#include "common/types.h"
#include "executor/partition.h"

namespace heliosdb::exec {

namespace {

constexpr uint64_t kHashPartitionSeed = 0x7A5B22367996DCFDULL;  // partition.h's HASH_PARTITION_SEED

constexpr uint32_t rot(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

// lookup3's rounds, laid out as in hashfn.c.
// clang-format off
void mix(uint32_t& a, uint32_t& b, uint32_t& c) {
  a -= c; a ^= rot(c, 4);  c += b;
  b -= a; b ^= rot(a, 6);  a += c;
  c -= b; c ^= rot(b, 8);  b += a;
  a -= c; a ^= rot(c, 16); c += b;
  b -= a; b ^= rot(a, 19); a += c;
  c -= b; c ^= rot(b, 4);  b += a;
}

void final_mix(uint32_t& a, uint32_t& b, uint32_t& c) {
  c ^= b; c -= rot(b, 14);
  a ^= c; a -= rot(c, 11);
  b ^= a; b -= rot(a, 25);
  c ^= b; c -= rot(b, 16);
  a ^= c; a -= rot(c, 4);
  b ^= a; b -= rot(a, 14);
  c ^= b; c -= rot(b, 24);
}
// clang-format on

// Up to four bytes as a little-endian word (what PostgreSQL reads on x86 and ARM).
uint32_t word(const unsigned char* k, size_t n) {
  uint32_t w = 0;
  for (size_t i = 0; i < n && i < 4; ++i) w |= static_cast<uint32_t>(k[i]) << (8 * i);
  return w;
}

void seed_state(uint32_t& a, uint32_t& b, uint32_t& c, uint64_t seed) {
  if (seed == 0) return;
  // The seed counts as a 12-byte chunk of data: its two halves and four zero bytes.
  a += static_cast<uint32_t>(seed >> 32);
  b += static_cast<uint32_t>(seed);
  mix(a, b, c);
}

}  // namespace

uint64_t hash_bytes_extended(const unsigned char* k, size_t length, uint64_t seed) {
  uint32_t len = static_cast<uint32_t>(length);
  uint32_t a = 0x9e3779b9 + len + 3923095, b = a, c = a;
  seed_state(a, b, c, seed);
  while (len >= 12) {
    a += word(k, 4);
    b += word(k + 4, 4);
    c += word(k + 8, 4);
    mix(a, b, c);
    k += 12;
    len -= 12;
  }
  // The last 11 bytes; the lowest byte of c is the length's (hashfn.c keeps it free).
  if (len > 8) c += word(k + 8, len - 8) << 8;
  if (len > 4) b += word(k + 4, len - 4);
  if (len > 0) a += word(k, len);
  final_mix(a, b, c);
  return (static_cast<uint64_t>(b) << 32) | c;
}

uint64_t hash_uint32_extended(uint32_t k, uint64_t seed) {
  uint32_t a = 0x9e3779b9 + 4 + 3923095, b = a, c = a;
  seed_state(a, b, c, seed);
  a += k;
  final_mix(a, b, c);
  return (static_cast<uint64_t>(b) << 32) | c;
}

namespace {

uint64_t hash_bytes(std::string_view s, uint64_t seed) {
  return hash_bytes_extended(reinterpret_cast<const unsigned char*>(s.data()), s.size(), seed);
}

// hashint8extended: an int8 that fits in an int4 hashes as that int4 (int2/int4/int8 are one
// hash opfamily).
uint64_t hash_int8(int64_t v, uint64_t seed) {
  uint32_t lo = static_cast<uint32_t>(v);
  uint32_t hi = static_cast<uint32_t>(static_cast<uint64_t>(v) >> 32);
  lo ^= v >= 0 ? hi : ~hi;
  return hash_uint32_extended(lo, seed);
}

// hashfloat8extended: zero (either sign) hashes as the seed, every NaN as the one NaN.
uint64_t hash_float8(double d, uint64_t seed) {
  if (d == 0) return seed;
  if (std::isnan(d)) d = std::numeric_limits<double>::quiet_NaN();
  unsigned char bytes[sizeof d];
  std::memcpy(bytes, &d, sizeof d);
  return hash_bytes_extended(bytes, sizeof bytes, seed);
}

// hash_numeric_extended over PostgreSQL's base-10000 digits (int16 each, native byte order), the
// zero digits at either end left out, XOR the weight of the first digit kept. The sign is not
// hashed; NaN and the infinities hash as the seed, zero as seed - 1.
uint64_t hash_numeric(const std::string& text, uint64_t seed) {
  if (text.find_first_of("NI") != std::string::npos) return seed;  // NaN, Infinity, -Infinity
  size_t p = text.find_first_not_of("+-");
  if (p == std::string::npos) return seed - 1;
  std::string digits = text.substr(p);
  size_t e = digits.find_first_of("eE");
  if (e != std::string::npos) unsupported("hashing a numeric written with an exponent");
  size_t dot = digits.find('.');
  std::string int_part = digits.substr(0, dot), frac = dot == std::string::npos ? "" : digits.substr(dot + 1);
  int_part.insert(0, (4 - int_part.size() % 4) % 4, '0');
  frac.append((4 - frac.size() % 4) % 4, '0');
  std::vector<int16_t> groups;
  for (size_t i = 0; i < int_part.size(); i += 4)
    groups.push_back(static_cast<int16_t>(std::stoi(int_part.substr(i, 4))));
  for (size_t i = 0; i < frac.size(); i += 4) groups.push_back(static_cast<int16_t>(std::stoi(frac.substr(i, 4))));
  int weight = static_cast<int>(int_part.size() / 4) - 1;
  size_t first = 0;
  while (first < groups.size() && groups[first] == 0) {
    ++first;
    --weight;
  }
  if (first == groups.size()) return seed - 1;
  size_t last = groups.size();
  while (groups[last - 1] == 0) --last;
  uint64_t h = hash_bytes_extended(reinterpret_cast<const unsigned char*>(groups.data() + first),
                                   (last - first) * sizeof(int16_t), seed);
  return h ^ static_cast<uint64_t>(static_cast<int64_t>(weight));
}

// interval_hash_extended: the interval as interval_cmp_value's microseconds (a month is 30
// days), cut to 64 bits, hashed as an int8.
uint64_t hash_interval(const Interval& iv, uint64_t seed) {
  constexpr int64_t kUsecsPerDay = 86400000000LL;
  int64_t fraction = iv.micros % kUsecsPerDay;
  int64_t days = iv.micros / kUsecsPerDay + int64_t{iv.months} * 30 + iv.days;
  __int128 span = static_cast<__int128>(days) * kUsecsPerDay + fraction;
  return hash_int8(static_cast<int64_t>(static_cast<uint64_t>(static_cast<unsigned __int128>(span))), seed);
}

}  // namespace

HashSupport hash_support(uint32_t type) {
  switch (type) {
    case oid::kBool:
    case oid::kChar:
    case oid::kName:
    case oid::kInt2:
    case oid::kInt4:
    case oid::kInt8:
    case oid::kOid:
    case oid::kText:
    case oid::kVarchar:
    case oid::kBpchar:
    case oid::kBytea:
    case oid::kFloat4:
    case oid::kFloat8:
    case oid::kNumeric:
    case oid::kDate:
    case oid::kTime:
    case oid::kTimestamp:
    case oid::kTimestamptz:
    case oid::kInterval:
    case oid::kUuid:
      return HashSupport::kPorted;
    // Types with a default hash operator class whose support function is not ported here
    // (enums and reg* hash their OIDs, which are not PostgreSQL's).
    case oid::kTimetz:
    case oid::kJsonb:
    case oid::kXid:
    case oid::kCid:
    case oid::kTid:
    case oid::kAclitem:
    case oid::kOidVector:
    case oid::kRecord:
    case oid::kRegproc:
    case oid::kRegclass:
    case oid::kRegtype:
    case oid::kRegnamespace:
    case oid::kRegrole:
    case oid::kRegprocedure:
      return HashSupport::kNotPorted;
    default:
      break;
  }
  if (types::enum_of(type) || array::is_array(type)) return HashSupport::kNotPorted;
  return HashSupport::kNone;
}

uint64_t hash_value_extended(const Value& v, uint64_t seed) {
  switch (v.type()) {
    case oid::kInt2:
    case oid::kInt4:
    case oid::kDate:
      return hash_uint32_extended(static_cast<uint32_t>(static_cast<int32_t>(v.as_int())), seed);
    case oid::kOid:
      return hash_uint32_extended(static_cast<uint32_t>(v.as_int()), seed);
    case oid::kInt8:
    case oid::kTime:
    case oid::kTimestamp:
    case oid::kTimestamptz:
      return hash_int8(v.as_int(), seed);
    case oid::kBool:  // bool_ops uses hashcharextended
      return hash_uint32_extended(v.as_bool() ? 1 : 0, seed);
    case oid::kChar: {
      const std::string& s = v.as_string();
      auto c = static_cast<int32_t>(static_cast<signed char>(s.empty() ? 0 : s[0]));
      return hash_uint32_extended(static_cast<uint32_t>(c), seed);
    }
    case oid::kFloat4: {  // hashfloat4extended widens to float8 first
      auto f = static_cast<float>(v.as_double());
      return f == 0 ? seed : hash_float8(static_cast<double>(f), seed);
    }
    case oid::kFloat8:
      return hash_float8(v.as_double(), seed);
    case oid::kNumeric:
      return hash_numeric(v.as_string(), seed);
    case oid::kText:
    case oid::kVarchar:
    case oid::kName:
    case oid::kBytea:
    case oid::kUuid:
      // Deterministic collations hash the bytes (hashtextextended, hashvarlenaextended).
      return hash_bytes(v.as_string(), seed);
    case oid::kBpchar: {  // hashbpcharextended: the trailing spaces do not count
      std::string_view s = v.as_string();
      while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
      return hash_bytes(s, seed);
    }
    case oid::kInterval:
      return hash_interval(v.as_interval(), seed);
    default:
      unsupported(fmt::format("hash partitioning on type {}", types::format_type(v.type(), -1)));
  }
}

uint64_t partition_hash(const std::vector<Value>& keys) {
  uint64_t h = 0;
  for (const auto& v : keys) {
    if (v.is_null()) continue;  // NULLs are left out: an all-NULL key hashes as 0
    uint64_t b = hash_value_extended(v, kHashPartitionSeed);
    h ^= b + 0x49a0f4dd15e5a8e3ULL + (h << 54) + (h >> 7);  // hash_combine64
  }
  return h;
}

}  // namespace heliosdb::exec
