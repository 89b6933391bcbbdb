// Arrays: PostgreSQL's multi-dimensional arrays of one element type, with lower bounds.
// An array Value has the array type's OID (int4[] is 1007) and keeps its elements encoded in its
// string datum (see encode), so rows, keys and copies handle it like any other string datum.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
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

// Assignment into arrays (array_assign.cpp), as PostgreSQL's array_set_element and
// array_set_slice; each raises PostgreSQL's errors (2202E for subscripts, 54000 for sizes).
//
// The element at `subscripts` (one per dimension), a NULL of a's element type when there is none.
Value element_at(const Array& a, std::span<const int32_t> subscripts);
// Sets the element at `subscripts`. An empty array becomes a one-element array at them; a
// one-dimensional array grows to reach them (the gap filled with NULLs); a multi-dimensional
// one does not grow (2202E array subscript out of range).
void assign_element(Array& a, std::span<const int32_t> subscripts, Value v);
// Sets the slice [lower:upper] (per dimension, nullopt for an omitted bound: the array's own)
// to the items of src in order, its shape ignored; the dimensions not subscripted are taken
// whole. Grows as assign_element does.
void assign_slice(Array& a, std::span<const std::optional<int32_t>> lower,
                  std::span<const std::optional<int32_t>> upper, const Array& src);

// Orders arrays as PostgreSQL's btree does: element by element, then by dimensions. `cmp`
// compares two non-NULL elements; a NULL element sorts after every other.
int compare(const Array& a, const Array& b, int (*cmp)(const Value&, const Value&));

}  // namespace heliosdb::array
