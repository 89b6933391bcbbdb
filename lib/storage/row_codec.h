// Row values as stored in LevelDB. Each value is stored with its column id, so ADD/DROP COLUMN
// never rewrites old rows: a column missing from a stored row reads as its missing value.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "heliosdb/value.h"

namespace heliosdb::storage {

// Encodes values[i] under column id ids[i].
void encode_row(std::string& out, const std::vector<uint32_t>& ids, const std::vector<Value>& values);

// Decodes into values (sized like ids/types); a column absent from the row gets missing[i].
void decode_row(std::string_view in, const std::vector<uint32_t>& ids,
                const std::vector<uint32_t>& types, const std::vector<Value>& missing,
                std::vector<Value>& values);

void put_varint(std::string& out, uint64_t v);
uint64_t get_varint(std::string_view in, size_t& pos);

}  // namespace heliosdb::storage
