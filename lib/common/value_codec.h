// The compact binary form of a Value's datum, shared by stored rows (storage/row_codec) and
// array elements (common/array): a tag byte, then the datum (varints for integers, zigzagged).
// The type is not stored: the reader supplies it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "heliosdb/value.h"

namespace heliosdb::codec {

void put_varint(std::string& out, uint64_t v);
// Reads a varint at pos (advanced past it); throws XX001 on truncated input.
uint64_t get_varint(std::string_view in, size_t& pos);
inline uint64_t zigzag(int64_t v) { return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63); }
inline int64_t unzigzag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

// Appends v's tag and datum.
void put_value(std::string& out, const Value& v);
// Reads a value written by put_value at pos (advanced past it), giving it type `type`.
Value get_value(std::string_view in, size_t& pos, uint32_t type);

}  // namespace heliosdb::codec
