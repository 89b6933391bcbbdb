#include "common/value_codec.h"

#include <cstring>

#include "common/errors.h"

namespace heliosdb::codec {
namespace {

enum Tag : uint8_t { kNull = 0, kFalse = 1, kTrue = 2, kInt = 3, kDouble = 4, kString = 5, kInterval = 6 };

[[noreturn]] void corrupt() { raise(sqlstate::kDataCorrupted, "invalid value encoding"); }

}  // namespace

void put_varint(std::string& out, uint64_t v) {
  char b[10];
  size_t n = 0;
  while (v >= 0x80) {
    b[n++] = static_cast<char>(v | 0x80);
    v >>= 7;
  }
  b[n++] = static_cast<char>(v);
  out.append(b, n);
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

void put_value(std::string& out, const Value& v) {
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
          char b[8];
          std::memcpy(b, &d, 8);
          out.append(b, 8);
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

Value get_value(std::string_view in, size_t& pos, uint32_t type) {
  if (pos >= in.size()) corrupt();
  switch (static_cast<uint8_t>(in[pos++])) {
    case kNull: return Value::null(type);
    case kFalse: return Value::boolean(false);
    case kTrue: return Value::boolean(true);
    case kInt: return Value::of(type, unzigzag(get_varint(in, pos)));
    case kDouble: {
      if (pos + 8 > in.size()) corrupt();
      double d;
      std::memcpy(&d, in.data() + pos, 8);
      pos += 8;
      return Value::of(type, d);
    }
    case kString: {
      uint64_t len = get_varint(in, pos);
      if (len > in.size() - pos) corrupt();
      Value v = Value::of(type, std::string(in.substr(pos, len)));
      pos += len;
      return v;
    }
    case kInterval: {
      Interval iv;
      iv.months = static_cast<int32_t>(unzigzag(get_varint(in, pos)));
      iv.days = static_cast<int32_t>(unzigzag(get_varint(in, pos)));
      iv.micros = unzigzag(get_varint(in, pos));
      return Value::of(type, iv);
    }
    default: corrupt();
  }
}

}  // namespace heliosdb::codec
