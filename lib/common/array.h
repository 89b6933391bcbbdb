// Arrays: PostgreSQL's multi-dimensional arrays of one element type, with lower bounds.
// An array Value has the array type's OID (int4[] is 1007) and keeps its elements encoded in its
// string datum (see encode), so rows, keys and copies handle it like any other string datum.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "heliosdb/value.h"

namespace heliosdb::types { struct TextContext; }

namespace heliosdb::array {

// The element type of array type t (int4[] -> int4; int2vector -> int2, oidvector -> oid), or 0
// when t is not an array type.
uint32_t element_type(uint32_t t);
// The array type whose elements are of type elem (typarray), or 0.
uint32_t array_type_of(uint32_t elem);
inline bool is_array(uint32_t t) { return element_type(t) != 0; }
// int2vector or oidvector: arrays of the catalogs, subscripted from 0.
bool is_vector(uint32_t t);

struct Array {
  uint32_t elem = 0;
  std::vector<int32_t> dims;     // length of each dimension; empty for an empty array
  std::vector<int32_t> lbounds;  // lower bound of each dimension (1 unless written otherwise)
  std::vector<Value> items;      // row-major; NULL items are NULL Values of type elem

  // A one-dimensional array from 1.
  static Array of(uint32_t elem, std::vector<Value> items);
  bool empty() const { return items.empty(); }
};

// The datum of an array Value, and back (array_type is the Value's type).
std::string encode(const Array& a);
Array decode(const Value& v);
Value make(uint32_t array_type, const Array& a);

// array_in / array_out (int2vector and oidvector: space-separated, from 0).
Value parse(uint32_t array_type, std::string_view text, int32_t typmod, const types::TextContext& ctx);
void append_text(std::string& out, const Value& v, const types::TextContext& ctx);

// Orders arrays as PostgreSQL's btree does: element by element, then by dimensions. `cmp`
// compares two non-NULL elements; a NULL element sorts after every other.
int compare(const Array& a, const Array& b, int (*cmp)(const Value&, const Value&));

}  // namespace heliosdb::array
