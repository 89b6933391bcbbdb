#include "storage/row_codec.h"

#include "common/errors.h"
#include "common/types.h"
#include "common/value_codec.h"

namespace heliosdb::storage {

void put_varint(std::string& out, uint64_t v) { codec::put_varint(out, v); }
uint64_t get_varint(std::string_view in, size_t& pos) { return codec::get_varint(in, pos); }

void encode_row(std::string& out, const std::vector<uint32_t>& ids, const std::vector<Value>& values) {
  put_varint(out, ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    put_varint(out, ids[i]);
    if (const types::EnumType* e = types::enum_of(values[i].type()); e && !values[i].is_null()) {
      // An enum value is stored as its label's OID (pg_enum.oid), so RENAME VALUE rewrites nothing.
      int at = e->label_index(values[i].as_string());
      if (at < 0) raise(sqlstate::kInvalidTextRepresentation, "invalid input value for enum {}: \"{}\"", e->name, values[i].as_string());
      codec::put_value(out, Value::of(oid::kOid, int64_t{e->label_oids[at]}));
      continue;
    }
    codec::put_value(out, values[i]);
  }
}

namespace {
Value enum_label(const Value& stored) {
  const types::EnumType* e = types::enum_of(stored.type());
  if (!e || !std::holds_alternative<int64_t>(stored.datum())) return stored;
  for (size_t i = 0; i < e->label_oids.size(); ++i)
    if (e->label_oids[i] == static_cast<uint32_t>(stored.as_int())) return Value::of(e->oid, e->labels[i]);
  raise(sqlstate::kInternalError, "invalid internal value for enum: {}", stored.as_int());
}
}  // namespace

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
      if (v.type() >= heliosdb::types::kFirstUserOid) v = enum_label(v);
      values[slot] = std::move(v);
      hint = slot + 1;
    }
  }
}

}  // namespace heliosdb::storage
