// Binary wire formats of the supported types (PostgreSQL's typsend / typreceive).
#pragma once

#include <string>
#include <string_view>

#include "heliosdb/value.h"

namespace heliosdb::binary {

// Big-endian integers of `bytes` bytes, as the wire and COPY's binary format write them.
void put_be(std::string& out, uint64_t v, int bytes);
uint64_t get_be(std::string_view data, size_t pos, int bytes);

// Appends v in binary format. Throws 0A000 for a type without binary support yet.
void encode(std::string& out, const Value& v);
// Decodes a binary parameter of type `type`. Throws 22P03 on malformed data.
Value decode(uint32_t type, std::string_view data);

}  // namespace heliosdb::binary
