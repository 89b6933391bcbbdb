// heliosdb/value.h — one SQL value: a PostgreSQL type OID and its datum.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace heliosdb {

// PostgreSQL type OIDs of the built-in types (pg_type.oid), used everywhere a type is named.
namespace oid {
inline constexpr uint32_t kUnknownType = 705;
inline constexpr uint32_t kBool = 16;
inline constexpr uint32_t kBytea = 17;
inline constexpr uint32_t kChar = 18;  // "char", the one-byte type
inline constexpr uint32_t kName = 19;
inline constexpr uint32_t kInt8 = 20;
inline constexpr uint32_t kInt2 = 21;
inline constexpr uint32_t kInt4 = 23;
inline constexpr uint32_t kRegproc = 24;
inline constexpr uint32_t kText = 25;
inline constexpr uint32_t kOid = 26;
inline constexpr uint32_t kJson = 114;
inline constexpr uint32_t kFloat4 = 700;
inline constexpr uint32_t kFloat8 = 701;
inline constexpr uint32_t kBpchar = 1042;
inline constexpr uint32_t kVarchar = 1043;
inline constexpr uint32_t kDate = 1082;
inline constexpr uint32_t kTime = 1083;
inline constexpr uint32_t kTimestamp = 1114;
inline constexpr uint32_t kTimestamptz = 1184;
inline constexpr uint32_t kInterval = 1186;
inline constexpr uint32_t kTimetz = 1266;
inline constexpr uint32_t kNumeric = 1700;
inline constexpr uint32_t kRegclass = 2205;
inline constexpr uint32_t kRecord = 2249;
inline constexpr uint32_t kVoid = 2278;
inline constexpr uint32_t kUuid = 2950;
inline constexpr uint32_t kJsonb = 3802;
// Types of the system catalogs (pg_catalog), and the polymorphic pseudo-types.
inline constexpr uint32_t kInt2Vector = 22;
inline constexpr uint32_t kTid = 27;
inline constexpr uint32_t kXid = 28;
inline constexpr uint32_t kCid = 29;
inline constexpr uint32_t kOidVector = 30;
inline constexpr uint32_t kPgNodeTree = 194;
inline constexpr uint32_t kAclitem = 1033;
inline constexpr uint32_t kRegprocedure = 2202;
inline constexpr uint32_t kRegtype = 2206;
inline constexpr uint32_t kAnyArray = 2277;
inline constexpr uint32_t kAnyElement = 2283;
inline constexpr uint32_t kRegnamespace = 4089;
inline constexpr uint32_t kRegrole = 4096;
}  // namespace oid

// An interval as PostgreSQL stores it: months, days and microseconds kept apart.
struct Interval {
  int32_t months = 0;
  int32_t days = 0;
  int64_t micros = 0;
  friend bool operator==(const Interval&, const Interval&) = default;
};

// A value of a SQL type. The datum's representation depends on the type:
//   bool                          -> bool
//   int2, int4, int8, oid         -> int64_t
//   float4, float8                -> double
//   numeric                       -> canonical decimal text ("12.50", "NaN", "-Infinity")
//   text, varchar, bpchar, name, json, jsonb (normalised text)  -> std::string
//   bytea                         -> raw bytes in std::string
//   uuid                          -> 16 raw bytes in std::string
//   date                          -> int64_t days since 2000-01-01 (PostgreSQL's epoch)
//   time                          -> int64_t microseconds since midnight
//   timestamp, timestamptz        -> int64_t microseconds since 2000-01-01 00:00 (UTC for tz)
//   interval                      -> Interval
//   arrays (int4[], text[], ...)  -> the elements, encoded (lib/common/array.h)
// A NULL keeps its type. Values are cheap to copy for scalars; strings are copied.
class Value {
 public:
  Value() = default;  // NULL of unknown type

  static Value null(uint32_t type_oid) { Value v; v.type_ = type_oid; return v; }
  static Value boolean(bool b) { return Value(oid::kBool, b); }
  static Value int2(int16_t i) { return Value(oid::kInt2, int64_t{i}); }
  static Value int4(int32_t i) { return Value(oid::kInt4, int64_t{i}); }
  static Value int8(int64_t i) { return Value(oid::kInt8, i); }
  static Value float4(float f) { return Value(oid::kFloat4, double{f}); }
  static Value float8(double d) { return Value(oid::kFloat8, d); }
  static Value text(std::string s) { return Value(oid::kText, std::move(s)); }
  // Any type from its internal datum (see the table above).
  static Value of(uint32_t type_oid, int64_t i) { return Value(type_oid, i); }
  static Value of(uint32_t type_oid, double d) { return Value(type_oid, d); }
  static Value of(uint32_t type_oid, std::string s) { return Value(type_oid, std::move(s)); }
  static Value of(uint32_t type_oid, Interval iv) { return Value(type_oid, iv); }

  uint32_t type() const noexcept { return type_; }
  bool is_null() const noexcept { return std::holds_alternative<std::monostate>(datum_); }

  // Accessors; calling the wrong one for the type throws heliosdb::Error (XX000).
  bool as_bool() const;
  int64_t as_int() const;
  double as_double() const;
  const std::string& as_string() const;
  Interval as_interval() const;

  // PostgreSQL's text output of the value (DateStyle ISO, TimeZone UTC, extra_float_digits 1).
  // NULL gives "" — check is_null() first.
  std::string to_text() const;

  // Same type and same datum (NULL equals NULL here; this is not SQL equality).
  friend bool operator==(const Value& a, const Value& b) {
    return a.type_ == b.type_ && a.datum_ == b.datum_;
  }

  using Datum = std::variant<std::monostate, bool, int64_t, double, std::string, Interval>;
  const Datum& datum() const noexcept { return datum_; }

 private:
  template <class T>
  Value(uint32_t t, T d) : type_(t), datum_(std::move(d)) {}
  uint32_t type_ = oid::kUnknownType;
  Datum datum_;
};

}  // namespace heliosdb
