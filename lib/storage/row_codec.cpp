#include "storage/row_codec.h"

#include <cstring>

#include "common/errors.h"

namespace heliosdb::storage {
namespace {
enum Tag : uint8_t { kNull = 0, kFalse = 1, kTrue = 2, kInt = 3, kDouble = 4, kString = 5, kInterval = 6 };

uint64_t zigzag(int64_t v) { return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63); }
int64_t unzigzag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

[[noreturn]] void corrupt() { raise(sqlstate::kDataCorrupted, "invalid row encoding"); }

void put_fixed64(std::string& out, uint64_t v) {
  char b[8];
  std::memcpy(b, &v, 8);
  out.append(b, 8);
}
uint64_t get_fixed64(std::string_view in, size_t& pos) {
  if (pos + 8 > in.size()) corrupt();
  uint64_t v;
  std::memcpy(&v, in.data() + pos, 8);
  pos += 8;
  return v;
}
}  // namespace

void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

uint64_t get_varint(std::string_view in, size_t& pos) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos >= in.size()) corrupt();
    uint8_t b = static_cast<uint8_t>(in[pos++]);
    v |= uint64_t{b & 0x7fu} << shift;
    if (!(b & 0x80)) return v;
  }
  corrupt();
}

void encode_row(std::string& out, const std::vector<uint32_t>& ids, const std::vector<Value>& values) {
  put_varint(out, ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    put_varint(out, ids[i]);
    const Value& v = values[i];
    std::visit(
        [&](const auto& d) {
          using T = std::decay_t<decltype(d)>;
          if constexpr (std::is_same_v<T, std::monostate>) {
            out.push_back(kNull);
          } else if constexpr (std::is_same_v<T, bool>) {
            out.push_back(d ? kTrue : kFalse);
          } else if constexpr (std::is_same_v<T, int64_t>) {
            out.push_back(kInt);
            put_varint(out, zigzag(d));
          } else if constexpr (std::is_same_v<T, double>) {
            out.push_back(kDouble);
            uint64_t bits;
            std::memcpy(&bits, &d, 8);
            put_fixed64(out, bits);
          } else if constexpr (std::is_same_v<T, std::string>) {
            out.push_back(kString);
            put_varint(out, d.size());
            out.append(d);
          } else {
            out.push_back(kInterval);
            put_varint(out, zigzag(d.months));
            put_varint(out, zigzag(d.days));
            put_varint(out, zigzag(d.micros));
          }
        },
        v.datum());
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
    if (pos >= in.size()) corrupt();
    uint8_t tag = static_cast<uint8_t>(in[pos++]);
    size_t slot = SIZE_MAX;
    if (hint < ids.size() && ids[hint] == id) slot = hint;
    else
      for (size_t j = 0; j < ids.size(); ++j)
        if (ids[j] == id) { slot = j; break; }
    Value v;
    uint32_t t = slot == SIZE_MAX ? oid::kUnknownType : types[slot];
    switch (tag) {
      case kNull: v = Value::null(t); break;
      case kFalse: v = Value::boolean(false); break;
      case kTrue: v = Value::boolean(true); break;
      case kInt: v = Value::of(t, unzigzag(get_varint(in, pos))); break;
      case kDouble: {
        uint64_t bits = get_fixed64(in, pos);
        double d;
        std::memcpy(&d, &bits, 8);
        v = Value::of(t, d);
        break;
      }
      case kString: {
        uint64_t len = get_varint(in, pos);
        if (pos + len > in.size()) corrupt();
        v = Value::of(t, std::string(in.substr(pos, len)));
        pos += len;
        break;
      }
      case kInterval: {
        Interval iv;
        iv.months = static_cast<int32_t>(unzigzag(get_varint(in, pos)));
        iv.days = static_cast<int32_t>(unzigzag(get_varint(in, pos)));
        iv.micros = unzigzag(get_varint(in, pos));
        v = Value::of(t, iv);
        break;
      }
      default: corrupt();
    }
    if (slot != SIZE_MAX) {
      values[slot] = std::move(v);
      hint = slot + 1;
    }
  }
}

}  // namespace heliosdb::storage
