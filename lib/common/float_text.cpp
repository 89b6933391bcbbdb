#include "common/float_text.h"

#include <cerrno>
#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "common/errors.h"

namespace heliosdb {
namespace {

// PostgreSQL's shortest-decimal layout (ryu's d2s with its own exponent rule): fixed notation
// when the decimal exponent is in [-4, digits_limit), scientific "d.ddde+XX" otherwise.
template <class F>
std::string shortest(F v, int fixed_limit) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(res.ptr - buf));
  bool neg = sci[0] == '-';
  if (neg) sci.remove_prefix(1);
  size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e))
    if (c != '.') digits.push_back(c);
  int exp10 = std::atoi(std::string(sci.substr(e + 1)).c_str());
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  std::string out = neg ? "-" : "";
  if (exp10 >= -4 && exp10 < fixed_limit) {
    if (exp10 < 0) {
      out += "0.";
      out.append(static_cast<size_t>(-exp10 - 1), '0');
      out += digits;
    } else if (static_cast<int>(digits.size()) <= exp10 + 1) {
      out += digits;
      out.append(static_cast<size_t>(exp10 + 1) - digits.size(), '0');
    } else {
      out += digits.substr(0, static_cast<size_t>(exp10) + 1);
      out += '.';
      out += digits.substr(static_cast<size_t>(exp10) + 1);
    }
    return out;
  }
  out += digits[0];
  if (digits.size() > 1) {
    out += '.';
    out += digits.substr(1);
  }
  char ebuf[16];
  std::snprintf(ebuf, sizeof ebuf, "e%c%02d", exp10 < 0 ? '-' : '+', exp10 < 0 ? -exp10 : exp10);
  return out + ebuf;
}

std::string special(double d) {
  if (std::isnan(d)) return "NaN";
  return d > 0 ? "Infinity" : "-Infinity";
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string format_float8(double d, int extra_float_digits) {
  if (std::isnan(d) || std::isinf(d)) return special(d);
  if (extra_float_digits > 0) return shortest(d, DBL_DIG);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", DBL_DIG + extra_float_digits, d);
  return buf;
}

std::string format_float4(float f, int extra_float_digits) {
  if (std::isnan(f) || std::isinf(f)) return special(static_cast<double>(f));
  if (extra_float_digits > 0) return shortest(f, FLT_DIG);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", FLT_DIG + extra_float_digits, static_cast<double>(f));
  return buf;
}

double parse_float8(std::string_view text) {
  std::string s(trim(text));
  if (s.empty()) raise(sqlstate::kInvalidTextRepresentation, "invalid input syntax for type double precision: \"{}\"", text);
  errno = 0;
  char* end = nullptr;
  double d = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || *end != '\0')
    raise(sqlstate::kInvalidTextRepresentation, "invalid input syntax for type double precision: \"{}\"", text);
  if (errno == ERANGE && (d == 0 || std::isinf(d)))
    raise(sqlstate::kNumericValueOutOfRange, "\"{}\" is out of range for type double precision", s);
  return d;
}

float parse_float4(std::string_view text) {
  std::string s(trim(text));
  if (s.empty()) raise(sqlstate::kInvalidTextRepresentation, "invalid input syntax for type real: \"{}\"", text);
  errno = 0;
  char* end = nullptr;
  float f = std::strtof(s.c_str(), &end);
  if (end == s.c_str() || *end != '\0')
    raise(sqlstate::kInvalidTextRepresentation, "invalid input syntax for type real: \"{}\"", text);
  if (errno == ERANGE && (f == 0 || std::isinf(f)))
    raise(sqlstate::kNumericValueOutOfRange, "\"{}\" is out of range for type real", s);
  return f;
}

}  // namespace heliosdb
