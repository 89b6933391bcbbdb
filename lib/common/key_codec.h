// Order-preserving key encoding: memcmp order of the encoded bytes equals SQL order of the
// values (NULLs last, as in an ascending PostgreSQL index), so LevelDB range scans follow the
// primary key and index order.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "heliosdb/value.h"

namespace heliosdb::keys {

// Appends v's encoding to out. Types: bool, integers, floats, numeric, strings, bytea, uuid,
// date/time/timestamp(tz), interval. NULL encodes after every non-NULL value.
void append_value(std::string& out, const Value& v);

// Big-endian fixed-width integers (catalog ids, table ids, hidden row ids).
void append_u32(std::string& out, uint32_t v);
void append_u64(std::string& out, uint64_t v);
uint32_t read_u32(std::string_view in, size_t pos);
uint64_t read_u64(std::string_view in, size_t pos);

// The smallest key greater than every key that starts with prefix ("" when none exists).
std::string prefix_successor(std::string_view prefix);

}  // namespace heliosdb::keys
