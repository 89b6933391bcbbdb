#include "storage/row_codec.h"

#include "common/value_codec.h"

namespace heliosdb::storage {

void put_varint(std::string& out, uint64_t v) { codec::put_varint(out, v); }
uint64_t get_varint(std::string_view in, size_t& pos) { return codec::get_varint(in, pos); }

void encode_row(std::string& out, const std::vector<uint32_t>& ids, const std::vector<Value>& values) {
  put_varint(out, ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    put_varint(out, ids[i]);
    codec::put_value(out, values[i]);
  }
}

void decode_row(std::string_view in, const std::vector<uint32_t>& ids,
                const std::vector<uint32_t>& types, const std::vector<Value>& missing,
                std::vector<Value>& values) {
  values = missing;
  size_t pos = 0;
  uint64_t n = get_varint(in, pos);
  size_t hint = 0;  // columns are usually stored in the order asked for
  for (uint64_t k = 0; k < n; ++k) {
    uint32_t id = static_cast<uint32_t>(get_varint(in, pos));
    size_t slot = SIZE_MAX;
    if (hint < ids.size() && ids[hint] == id) slot = hint;
    else
      for (size_t j = 0; j < ids.size(); ++j)
        if (ids[j] == id) { slot = j; break; }
    Value v = codec::get_value(in, pos, slot == SIZE_MAX ? oid::kUnknownType : types[slot]);
    if (slot != SIZE_MAX) {
      values[slot] = std::move(v);
      hint = slot + 1;
    }
  }
}

}  // namespace heliosdb::storage
