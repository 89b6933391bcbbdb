#include "common/binary_format.h"

#include <cstring>
#include <vector>

#include "common/array.h"
#include "common/record.h"
#include "common/errors.h"
#include "common/jsonb.h"
#include "common/numeric.h"
#include "common/type_io.h"
#include "common/types.h"

namespace heliosdb::binary {

void put_be(std::string& out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

uint64_t get_be(std::string_view d, size_t pos, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<uint8_t>(d[pos + i]);
  return v;
}

namespace {

[[noreturn]] void bad() { raise(sqlstate::kInvalidBinaryRepresentation, "incorrect binary data format in bind parameter"); }

void need(std::string_view d, size_t n) {
  if (d.size() != n) bad();
}
// At least n bytes (a prefix of a longer value).
void need_prefix(std::string_view d, size_t n) {
  if (d.size() < n) bad();
}

// numeric_send: ndigits, weight, sign, dscale, base-10000 digits.
void encode_numeric(std::string& out, const std::string& text) {
  if (text == "NaN" || text == "Infinity" || text == "-Infinity") {
    put_be(out, 0, 2);
    put_be(out, 0, 2);
    put_be(out, text == "NaN" ? 0xC000 : text == "Infinity" ? 0xD000 : 0xF000, 2);
    put_be(out, 0, 2);
    return;
  }
  bool neg = !text.empty() && text[0] == '-';
  std::string_view s = text;
  if (neg) s.remove_prefix(1);
  size_t dot = s.find('.');
  std::string ip(s.substr(0, dot)), fp(dot == std::string_view::npos ? "" : s.substr(dot + 1));
  int dscale = static_cast<int>(fp.size());
  while (ip.size() % 4) ip.insert(ip.begin(), '0');
  while (fp.size() % 4) fp.push_back('0');
  std::vector<int> digits;
  for (size_t i = 0; i < ip.size(); i += 4) digits.push_back(std::stoi(ip.substr(i, 4)));
  int weight = static_cast<int>(digits.size()) - 1;
  for (size_t i = 0; i < fp.size(); i += 4) digits.push_back(std::stoi(fp.substr(i, 4)));
  // Strip leading and trailing zero groups.
  size_t first = 0;
  while (first < digits.size() && digits[first] == 0) {
    ++first;
    --weight;
  }
  size_t last = digits.size();
  while (last > first && digits[last - 1] == 0) --last;
  if (first == last) weight = 0;
  put_be(out, last - first, 2);
  put_be(out, static_cast<uint16_t>(weight), 2);
  put_be(out, neg && first != last ? 0x4000 : 0, 2);
  put_be(out, static_cast<uint16_t>(dscale), 2);
  for (size_t i = first; i < last; ++i) put_be(out, static_cast<uint16_t>(digits[i]), 2);
}

std::string decode_numeric(std::string_view d) {
  if (d.size() < 8) bad();
  int n = static_cast<int>(get_be(d, 0, 2));
  int weight = static_cast<int16_t>(get_be(d, 2, 2));
  int sign = static_cast<int>(get_be(d, 4, 2));
  int dscale = static_cast<int>(get_be(d, 6, 2));
  if (d.size() != 8 + 2 * static_cast<size_t>(n)) bad();
  if (sign == 0xC000) return "NaN";
  if (sign == 0xD000) return "Infinity";
  if (sign == 0xF000) return "-Infinity";
  std::string ip, fp;
  for (int i = 0; i < n; ++i) {
    int digit = static_cast<int>(get_be(d, 8 + 2 * static_cast<size_t>(i), 2));
    if (digit > 9999) bad();
    char buf[16];
    snprintf(buf, sizeof buf, "%04d", digit);
    int pos = weight - i;  // power of 10000 of this digit
    if (pos >= 0) ip += buf;
    else {
      while (static_cast<int>(fp.size()) < (-pos - 1) * 4) fp += "0000";
      fp += buf;
    }
  }
  for (int pos = weight - n; pos >= 0; --pos) ip += "0000";
  size_t nz = ip.find_first_not_of('0');
  ip = nz == std::string::npos ? "0" : ip.substr(nz);
  while (static_cast<int>(fp.size()) < dscale) fp.push_back('0');
  fp.resize(static_cast<size_t>(dscale));
  std::string s = (sign == 0x4000 ? "-" : "") + ip + (dscale ? "." + fp : "");
  return numeric::parse(s);
}

}  // namespace

void encode(std::string& out, const Value& v) {
  switch (v.type()) {
    case oid::kBool: out.push_back(v.as_bool() ? 1 : 0); return;
    case oid::kInt2: put_be(out, static_cast<uint16_t>(v.as_int()), 2); return;
    case oid::kInt4: case oid::kOid: case oid::kRegclass: case oid::kDate: case oid::kXid:
    case oid::kRegtype: case oid::kRegproc: case oid::kRegnamespace: case oid::kRegrole: case oid::kRegprocedure:
      put_be(out, static_cast<uint32_t>(v.as_int()), 4);
      return;
    case oid::kInt8: case oid::kTime: case oid::kTimestamp: case oid::kTimestamptz:
      put_be(out, static_cast<uint64_t>(v.as_int()), 8);
      return;
    case oid::kFloat4: {
      float f = static_cast<float>(v.as_double());
      uint32_t bits;
      std::memcpy(&bits, &f, 4);
      put_be(out, bits, 4);
      return;
    }
    case oid::kFloat8: {
      double d = v.as_double();
      uint64_t bits;
      std::memcpy(&bits, &d, 8);
      put_be(out, bits, 8);
      return;
    }
    case oid::kInterval: {
      Interval iv = v.as_interval();
      put_be(out, static_cast<uint64_t>(iv.micros), 8);
      put_be(out, static_cast<uint32_t>(iv.days), 4);
      put_be(out, static_cast<uint32_t>(iv.months), 4);
      return;
    }
    case oid::kNumeric: encode_numeric(out, v.as_string()); return;
    case oid::kJsonb:
      out.push_back(1);
      out += v.as_string();
      return;
    case oid::kBpchar: case oid::kVarchar: case oid::kText: case oid::kName: case oid::kJson: case oid::kBytea:
    case oid::kUuid: case oid::kChar: case oid::kUnknownType: case oid::kPgNodeTree: case oid::kAclitem:
      out += v.as_string();
      return;
    default:
      if (array::is_array(v.type())) {
        // array_send: ndim, has-nulls, element type, (length, lower bound) per dimension, then
        // each element as length + bytes (-1 for NULL).
        array::Array a = array::decode(v);
        bool nulls = false;
        for (const auto& e : a.items) nulls |= e.is_null();
        put_be(out, a.dims.size(), 4);
        put_be(out, nulls ? 1 : 0, 4);
        put_be(out, a.elem, 4);
        for (size_t d = 0; d < a.dims.size(); ++d) {
          put_be(out, static_cast<uint32_t>(a.dims[d]), 4);
          put_be(out, static_cast<uint32_t>(a.lbounds[d]), 4);
        }
        for (const auto& e : a.items) {
          if (e.is_null()) {
            put_be(out, 0xffffffffu, 4);
            continue;
          }
          size_t at = out.size();
          put_be(out, 0, 4);
          encode(out, e);
          uint32_t len = static_cast<uint32_t>(out.size() - at - 4);
          for (int i = 0; i < 4; ++i) out[at + i] = static_cast<char>(len >> (24 - 8 * i));
        }
        return;
      }
      if (record::is_record(v.type())) {
        // record_send: the field count, then each field's type, length and bytes (-1: NULL).
        record::Record r = record::decode(v);
        put_be(out, r.values.size(), 4);
        for (const auto& f : r.values) {
          put_be(out, f.type(), 4);
          if (f.is_null()) {
            put_be(out, 0xffffffffu, 4);
            continue;
          }
          size_t at = out.size();
          put_be(out, 0, 4);
          encode(out, f);
          uint32_t len = static_cast<uint32_t>(out.size() - at - 4);
          for (int i = 0; i < 4; ++i) out[at + i] = static_cast<char>(len >> (24 - 8 * i));
        }
        return;
      }
      if (types::enum_of(v.type())) {  // enum_send: the label
        out += v.as_string();
        return;
      }
      raise(sqlstate::kFeatureNotSupported, "binary output of type {} is not supported", v.type());
  }
}

Value decode(uint32_t type, std::string_view d) {
  switch (type) {
    case oid::kBool: need(d, 1); return Value::boolean(d[0] != 0);
    case oid::kInt2: need(d, 2); return Value::of(type, static_cast<int64_t>(static_cast<int16_t>(get_be(d, 0, 2))));
    case oid::kInt4: case oid::kDate: need(d, 4); return Value::of(type, static_cast<int64_t>(static_cast<int32_t>(get_be(d, 0, 4))));
    case oid::kOid: case oid::kRegclass: case oid::kXid: case oid::kRegtype: case oid::kRegproc:
    case oid::kRegnamespace: case oid::kRegrole: case oid::kRegprocedure:
      need(d, 4); return Value::of(type, static_cast<int64_t>(get_be(d, 0, 4)));
    case oid::kInt8: case oid::kTime: case oid::kTimestamp: case oid::kTimestamptz:
      need(d, 8);
      return Value::of(type, static_cast<int64_t>(get_be(d, 0, 8)));
    case oid::kFloat4: {
      need(d, 4);
      uint32_t bits = static_cast<uint32_t>(get_be(d, 0, 4));
      float f;
      std::memcpy(&f, &bits, 4);
      return Value::of(type, static_cast<double>(f));
    }
    case oid::kFloat8: {
      need(d, 8);
      uint64_t bits = get_be(d, 0, 8);
      double x;
      std::memcpy(&x, &bits, 8);
      return Value::of(type, x);
    }
    case oid::kInterval: {
      need(d, 16);
      Interval iv{static_cast<int32_t>(get_be(d, 12, 4)), static_cast<int32_t>(get_be(d, 8, 4)), static_cast<int64_t>(get_be(d, 0, 8))};
      return Value::of(type, iv);
    }
    case oid::kNumeric: return Value::of(type, decode_numeric(d));
    case oid::kUuid: need(d, 16); return Value::of(type, std::string(d));
    case oid::kJsonb:
      if (d.empty() || d[0] != 1) raise(sqlstate::kInvalidBinaryRepresentation, "unsupported jsonb version number");
      return Value::of(type, jsonb::normalize(d.substr(1)));
    case oid::kJson:
      jsonb::validate(d);
      return Value::of(type, std::string(d));
    case oid::kBpchar: case oid::kVarchar: case oid::kText: case oid::kName: case oid::kBytea: case oid::kChar:
      return Value::of(type, std::string(d));
    default:
      if (uint32_t elem = array::element_type(type)) {
        need_prefix(d, 12);
        uint32_t ndim = static_cast<uint32_t>(get_be(d, 0, 4));
        uint32_t elem_in = static_cast<uint32_t>(get_be(d, 8, 4));
        if (ndim > 6) raise(sqlstate::kProgramLimitExceeded, "number of array dimensions ({}) exceeds the maximum allowed (6)", ndim);
        if (elem_in != elem) raise(sqlstate::kDatatypeMismatch, "binary data has array element type {} instead of expected {}", elem_in, elem);
        array::Array a;
        a.elem = elem;
        size_t pos = 12, count = ndim ? 1 : 0;
        need_prefix(d, pos + 8 * ndim);
        for (uint32_t i = 0; i < ndim; ++i) {
          a.dims.push_back(static_cast<int32_t>(get_be(d, pos, 4)));
          a.lbounds.push_back(static_cast<int32_t>(get_be(d, pos + 4, 4)));
          if (a.dims.back() < 0 || count * static_cast<size_t>(a.dims.back()) > d.size())
            raise(sqlstate::kInvalidBinaryRepresentation, "insufficient data left in message");
          count *= static_cast<size_t>(a.dims.back());
          pos += 8;
        }
        for (size_t i = 0; i < count; ++i) {
          need_prefix(d, pos + 4);
          auto len = static_cast<int32_t>(get_be(d, pos, 4));
          pos += 4;
          if (len < 0) {
            a.items.push_back(Value::null(elem));
            continue;
          }
          need_prefix(d, pos + static_cast<size_t>(len));
          a.items.push_back(decode(elem, d.substr(pos, static_cast<size_t>(len))));
          pos += static_cast<size_t>(len);
        }
        if (pos != d.size()) raise(sqlstate::kInvalidBinaryRepresentation, "incorrect binary data format");
        return array::make(type, a);
      }
      if (types::enum_of(type)) return types::parse_text(type, d, -1, types::default_text_context());  // enum_recv
      raise(sqlstate::kFeatureNotSupported, "binary input of type {} is not supported", type);
  }
}

}  // namespace heliosdb::binary
