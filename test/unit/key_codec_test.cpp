// Order-preserving key encoding: memcmp order must equal SQL order.
#include <catch2/catch.hpp>

#include <algorithm>
#include <limits>

#include "common/key_codec.h"

using heliosdb::Value;
namespace keys = heliosdb::keys;

static std::string enc(const Value& v) {
  std::string s;
  keys::append_value(s, v);
  return s;
}

TEST_CASE("integer keys sort numerically, NULL last") {
  std::vector<int64_t> ints = {std::numeric_limits<int64_t>::min(), -1000, -1, 0, 1, 255, 256, 70000,
                               std::numeric_limits<int64_t>::max()};
  for (size_t i = 0; i + 1 < ints.size(); ++i)
    REQUIRE(enc(Value::int8(ints[i])) < enc(Value::int8(ints[i + 1])));
  REQUIRE(enc(Value::int8(std::numeric_limits<int64_t>::max())) < enc(Value::null(heliosdb::oid::kInt8)));
  // Widths share one encoding, so an int2 key finds an int8 probe.
  REQUIRE(enc(Value::int2(7)) == enc(Value::int8(7)));
}

TEST_CASE("float keys sort numerically with -0 == 0 and NaN last") {
  std::vector<double> ds = {-std::numeric_limits<double>::infinity(), -1e300, -1.5, -1e-300, 0.0, 1e-300, 2.0,
                            std::numeric_limits<double>::infinity()};
  for (size_t i = 0; i + 1 < ds.size(); ++i) REQUIRE(enc(Value::float8(ds[i])) < enc(Value::float8(ds[i + 1])));
  REQUIRE(enc(Value::float8(-0.0)) == enc(Value::float8(0.0)));
  REQUIRE(enc(Value::float8(std::numeric_limits<double>::infinity())) < enc(Value::float8(std::nan(""))));
}

TEST_CASE("string keys sort bytewise and prefixes first, embedded NUL kept") {
  std::vector<std::string> ss = {"", std::string("a\0", 2), "a", "ab", "b"};
  std::sort(ss.begin(), ss.end());
  for (size_t i = 0; i + 1 < ss.size(); ++i) REQUIRE(enc(Value::text(ss[i])) < enc(Value::text(ss[i + 1])));
  // Composite keys: ("a", 2) < ("ab", 1) because "a" is a prefix of "ab".
  std::string k1 = enc(Value::text("a")) + enc(Value::int4(2));
  std::string k2 = enc(Value::text("ab")) + enc(Value::int4(1));
  REQUIRE(k1 < k2);
}

TEST_CASE("bpchar keys ignore trailing blanks") {
  REQUIRE(enc(Value::of(heliosdb::oid::kBpchar, std::string("ab  "))) == enc(Value::of(heliosdb::oid::kBpchar, std::string("ab"))));
}

TEST_CASE("prefix_successor bounds a prefix scan") {
  REQUIRE(keys::prefix_successor("ab") == "ac");
  REQUIRE(keys::prefix_successor(std::string("a\xff", 2)) == "b");
  REQUIRE(keys::prefix_successor(std::string("\xff\xff", 2)).empty());
}
