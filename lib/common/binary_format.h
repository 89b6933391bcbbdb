// Binary wire formats of the supported types (PostgreSQL's typsend / typreceive).
#pragma once

#include <string>
#include <string_view>

#include "heliosdb/value.h"

namespace heliosdb::binary {

// Appends v in binary format. Throws 0A000 for a type without binary support yet.
void encode(std::string& out, const Value& v);
// Decodes a binary parameter of type `type`. Throws 22P03 on malformed data.
Value decode(uint32_t type, std::string_view data);

}  // namespace heliosdb::binary
