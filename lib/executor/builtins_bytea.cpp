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

void register_bytea_functions(std::vector<FuncDef>& out) {
  using namespace oid;
  out.push_back({"get_bit", {kBytea, kInt8}, kInt4, f_get_bit});
  out.push_back({"set_bit", {kBytea, kInt8, kInt4}, kBytea, f_set_bit});
  out.push_back({"get_byte", {kBytea, kInt4}, kInt4, f_get_byte});
  out.push_back({"set_byte", {kBytea, kInt4, kInt4}, kBytea, f_set_byte});
  out.push_back({"~~", {kBytea, kBytea}, kBool, f_like<false>});
  out.push_back({"!~~", {kBytea, kBytea}, kBool, f_like<true>});
}

}  // namespace heliosdb::exec
