// Exact decimal arithmetic on digit strings, following PostgreSQL's numeric.c for result scales
// (add/sub: max scale; mul: sum of scales; div: select_div_scale; sqrt: its own rule) and for
// rounding (half away from zero).
#include "common/numeric.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "common/errors.h"

namespace heliosdb::numeric {
namespace {

constexpr int kMinSigDigits = 16;     // NUMERIC_MIN_SIG_DIGITS
constexpr int kMaxDisplayScale = 1000;

struct Num {
  enum Kind { kFinite, kNaN, kPosInf, kNegInf } kind = kFinite;
  bool neg = false;
  std::string digits = "0";  // magnitude digits, no leading zeros ("0" for zero)
  int scale = 0;             // digits after the decimal point (display scale)

  bool is_zero() const { return kind == kFinite && digits == "0"; }
  bool special() const { return kind != kFinite; }
};

void strip_leading(std::string& d) {
  size_t p = d.find_first_not_of('0');
  if (p == std::string::npos) d = "0";
  else if (p) d.erase(0, p);
}

Num nan() {
  Num n;
  n.kind = Num::kNaN;
  return n;
}
Num inf(bool negative) {
  Num n;
  n.kind = negative ? Num::kNegInf : Num::kPosInf;
  return n;
}

[[noreturn]] void bad_input(std::string_view text) {
  raise(sqlstate::kInvalidTextRepresentation, "invalid input syntax for type numeric: \"{}\"", text);
}

bool ieq(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
  return true;
}

Num from_text(std::string_view text) {
  std::string_view s = text;
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  if (ieq(s, "nan")) return nan();
  bool neg = false;
  std::string_view body = s;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  if (ieq(body, "infinity") || ieq(body, "inf")) return inf(neg);
  std::string digits;
  int frac = 0;
  bool seen_point = false, any = false;
  size_t i = 0;
  for (; i < body.size(); ++i) {
    char c = body[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
      any = true;
      if (seen_point) ++frac;
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  if (!any) bad_input(text);
  long exp10 = 0;
  if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
    ++i;
    bool eneg = false;
    if (i < body.size() && (body[i] == '+' || body[i] == '-')) eneg = body[i++] == '-';
    if (i >= body.size() || !std::isdigit(static_cast<unsigned char>(body[i]))) bad_input(text);
    for (; i < body.size() && std::isdigit(static_cast<unsigned char>(body[i])); ++i) {
      exp10 = exp10 * 10 + (body[i] - '0');
      if (exp10 > 1000 * 1000) bad_input(text);
    }
    if (eneg) exp10 = -exp10;
  }
  if (i != body.size()) bad_input(text);
  if (exp10 > 131072 || exp10 < -16383)
    raise(sqlstate::kNumericValueOutOfRange, "value overflows numeric format");
  Num n;
  long scale = frac - exp10;
  if (scale < 0) {
    digits.append(static_cast<size_t>(-scale), '0');
    scale = 0;
  }
  if (scale > 16383) raise(sqlstate::kNumericValueOutOfRange, "value overflows numeric format");
  strip_leading(digits);
  n.digits = digits;
  n.scale = static_cast<int>(scale);
  n.neg = neg && digits != "0";
  return n;
}

std::string to_text(const Num& n) {
  switch (n.kind) {
    case Num::kNaN: return "NaN";
    case Num::kPosInf: return "Infinity";
    case Num::kNegInf: return "-Infinity";
    default: break;
  }
  std::string d = n.digits;
  std::string out;
  if (n.neg && d != "0") out.push_back('-');
  if (n.scale == 0) return out + d;
  if (d.size() <= static_cast<size_t>(n.scale)) d.insert(0, static_cast<size_t>(n.scale) + 1 - d.size(), '0');
  out.append(d, 0, d.size() - static_cast<size_t>(n.scale));
  out.push_back('.');
  out.append(d, d.size() - static_cast<size_t>(n.scale), std::string::npos);
  return out;
}

// Digits of n scaled to `scale` (appending zeros; scale >= n.scale).
std::string at_scale(const Num& n, int scale) {
  std::string d = n.digits;
  if (scale > n.scale) d.append(static_cast<size_t>(scale - n.scale), '0');
  strip_leading(d);
  return d;
}

int cmp_mag(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  int c = a.compare(b);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

std::string add_mag(const std::string& a, const std::string& b) {
  std::string r;
  int carry = 0;
  for (size_t i = 0; i < std::max(a.size(), b.size()) || carry; ++i) {
    int x = carry;
    if (i < a.size()) x += a[a.size() - 1 - i] - '0';
    if (i < b.size()) x += b[b.size() - 1 - i] - '0';
    r.push_back(static_cast<char>('0' + x % 10));
    carry = x / 10;
  }
  std::reverse(r.begin(), r.end());
  strip_leading(r);
  return r;
}

// a - b for a >= b.
std::string sub_mag(const std::string& a, const std::string& b) {
  std::string r;
  int borrow = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    int x = (a[a.size() - 1 - i] - '0') - borrow;
    if (i < b.size()) x -= b[b.size() - 1 - i] - '0';
    borrow = x < 0;
    if (x < 0) x += 10;
    r.push_back(static_cast<char>('0' + x));
  }
  std::reverse(r.begin(), r.end());
  strip_leading(r);
  return r;
}

std::string mul_mag(const std::string& a, const std::string& b) {
  if (a == "0" || b == "0") return "0";
  std::vector<uint64_t> acc(a.size() + b.size(), 0);
  for (size_t i = 0; i < a.size(); ++i) {
    uint64_t x = static_cast<uint64_t>(a[a.size() - 1 - i] - '0');
    if (!x) continue;
    for (size_t j = 0; j < b.size(); ++j) acc[i + j] += x * static_cast<uint64_t>(b[b.size() - 1 - j] - '0');
    if ((i & 127) == 127)  // keep the accumulators far from overflow
      for (size_t k = 0; k + 1 < acc.size(); ++k) {
        acc[k + 1] += acc[k] / 10;
        acc[k] %= 10;
      }
  }
  for (size_t k = 0; k + 1 < acc.size(); ++k) {
    acc[k + 1] += acc[k] / 10;
    acc[k] %= 10;
  }
  std::string r;
  for (size_t k = acc.size(); k-- > 0;) r.push_back(static_cast<char>('0' + acc[k]));
  strip_leading(r);
  return r;
}

// Integer division of magnitudes: quotient, remainder.
std::pair<std::string, std::string> divmod_mag(const std::string& a, const std::string& b) {
  std::string q, rem = "0";
  // Multiples of b, to pick each quotient digit with a comparison instead of repeated subtraction.
  std::string multiples[10];
  multiples[0] = "0";
  for (int k = 1; k < 10; ++k) multiples[k] = add_mag(multiples[k - 1], b);
  for (char c : a) {
    if (rem == "0") rem = std::string(1, c);
    else rem.push_back(c);
    strip_leading(rem);
    int digit = 0;
    while (digit < 9 && cmp_mag(multiples[digit + 1], rem) <= 0) ++digit;
    if (digit) rem = sub_mag(rem, multiples[digit]);
    q.push_back(static_cast<char>('0' + digit));
  }
  strip_leading(q);
  return {q, rem};
}

Num finite(bool negative, std::string digits, int scale) {
  Num n;
  strip_leading(digits);
  n.digits = std::move(digits);
  n.scale = scale;
  n.neg = negative && n.digits != "0";
  return n;
}

// Rounds (or truncates) n to `scale` digits after the point; scale may be negative.
Num round_to(const Num& n, int scale, bool truncate) {
  if (n.special()) return n;
  int keep = scale;
  if (keep >= n.scale) {
    Num r = n;
    r.digits = at_scale(n, std::max(keep, 0));
    r.scale = std::max(keep, 0);
    return r;
  }
  // Drop (n.scale - keep) digits.
  size_t drop = static_cast<size_t>(n.scale - keep);
  std::string d = n.digits;
  if (d.size() < drop + 1) d.insert(0, drop + 1 - d.size(), '0');
  std::string kept = d.substr(0, d.size() - drop);
  bool up = !truncate && d[d.size() - drop] >= '5';
  if (up) kept = add_mag(kept, "1");
  if (keep < 0) kept.append(static_cast<size_t>(-keep), '0');
  return finite(n.neg, kept, std::max(keep, 0));
}

// Base-10000 weight and first digit group of a value (PostgreSQL's NumericVar view), for
// select_div_scale and sqrt's result scale.
void weight_and_first(const Num& n, int& weight, int& first) {
  if (n.is_zero()) {
    weight = 0;
    first = 0;
    return;
  }
  int intdigits = static_cast<int>(n.digits.size()) - n.scale;  // power of ten of the leading digit is intdigits - 1
  int p = intdigits - 1;
  weight = p >= 0 ? p / 4 : -((-p + 3) / 4);
  int len = p - 4 * weight + 1;  // digits of the leading group
  std::string g = n.digits.substr(0, std::min<size_t>(static_cast<size_t>(len), n.digits.size()));
  while (static_cast<int>(g.size()) < len) g.push_back('0');
  first = std::stoi(g);
}

int select_div_scale(const Num& a, const Num& b) {
  int w1, f1, w2, f2;
  weight_and_first(a, w1, f1);
  weight_and_first(b, w2, f2);
  int qweight = w1 - w2;
  if (f1 <= f2) --qweight;
  int rscale = kMinSigDigits - qweight * 4;
  rscale = std::max({rscale, a.scale, b.scale, 0});
  return std::min(rscale, kMaxDisplayScale);
}

Num add_num(const Num& a, const Num& b, bool subtract) {
  bool bneg = subtract ? !b.neg : b.neg;
  Num::Kind bk = b.kind;
  if (subtract && b.kind == Num::kPosInf) bk = Num::kNegInf;
  else if (subtract && b.kind == Num::kNegInf) bk = Num::kPosInf;
  if (a.kind == Num::kNaN || b.kind == Num::kNaN) return nan();
  if (a.special() || bk != Num::kFinite) {
    if (a.special() && bk != Num::kFinite) return a.kind == bk ? a : nan();
    return a.special() ? a : inf(bk == Num::kNegInf);
  }
  int scale = std::max(a.scale, b.scale);
  std::string x = at_scale(a, scale), y = at_scale(b, scale);
  if (a.neg == bneg) return finite(a.neg, add_mag(x, y), scale);
  int c = cmp_mag(x, y);
  if (c == 0) return finite(false, "0", scale);
  if (c > 0) return finite(a.neg, sub_mag(x, y), scale);
  return finite(bneg, sub_mag(y, x), scale);
}

// a / b rounded to rscale (or truncated).
Num div_num(const Num& a, const Num& b, int rscale, bool truncate) {
  // a/b = A*10^sb / (B*10^sa); one guard digit decides the rounding.
  std::string num = a.digits;
  num.append(static_cast<size_t>(b.scale + rscale + 1), '0');
  std::string den = b.digits;
  den.append(static_cast<size_t>(a.scale), '0');
  strip_leading(den);
  auto [q, r] = divmod_mag(num, den);
  (void)r;
  Num t = finite(a.neg != b.neg, q, rscale + 1);
  return round_to(t, rscale, truncate);
}

int cmp_num(const Num& a, const Num& b) {
  auto rank = [](const Num& n) { return n.kind == Num::kNaN ? 3 : n.kind == Num::kPosInf ? 2 : n.kind == Num::kNegInf ? 0 : 1; };
  int ra = rank(a), rb = rank(b);
  if (ra != rb || ra != 1) return ra < rb ? -1 : ra > rb ? 1 : 0;
  if (a.neg != b.neg) return a.neg ? -1 : 1;
  int scale = std::max(a.scale, b.scale);
  int c = cmp_mag(at_scale(a, scale), at_scale(b, scale));
  return a.neg ? -c : c;
}

}  // namespace

std::string parse(std::string_view text) { return to_text(from_text(text)); }

std::string apply_typmod(std::string_view v, int32_t typmod) {
  Num n = from_text(v);
  if (typmod < 4) return to_text(n);
  int32_t tm = typmod - 4;
  int precision = (tm >> 16) & 0xffff;
  int scale = static_cast<int16_t>(tm & 0xffff);
  if (n.kind != Num::kFinite) {
    if (n.kind == Num::kNaN) return "NaN";
    throw Error(sqlstate::kNumericValueOutOfRange, "numeric field overflow")
        .with_detail(fmt::format("A field with precision {}, scale {} cannot hold an infinite value.", precision, scale));
  }
  Num r = round_to(n, scale, false);
  if (scale < 0) r.scale = 0;
  int maxdigits = precision - scale;
  int intdigits = r.is_zero() ? 0 : static_cast<int>(r.digits.size()) - r.scale;
  if (intdigits > maxdigits) {
    throw Error(sqlstate::kNumericValueOutOfRange, "numeric field overflow")
        .with_detail(fmt::format("A field with precision {}, scale {} must round to an absolute value less than {}{}.",
                                 precision, scale, maxdigits ? "10^" : "", maxdigits ? maxdigits : 1));
  }
  return to_text(r);
}

std::string add(std::string_view a, std::string_view b) { return to_text(add_num(from_text(a), from_text(b), false)); }
std::string sub(std::string_view a, std::string_view b) { return to_text(add_num(from_text(a), from_text(b), true)); }

std::string mul(std::string_view as, std::string_view bs) {
  Num a = from_text(as), b = from_text(bs);
  if (a.kind == Num::kNaN || b.kind == Num::kNaN) return "NaN";
  if (a.special() || b.special()) {
    if (a.is_zero() || b.is_zero()) return "NaN";
    bool na = a.special() ? a.kind == Num::kNegInf : a.neg;
    bool nb = b.special() ? b.kind == Num::kNegInf : b.neg;
    return to_text(inf(na != nb));
  }
  return to_text(finite(a.neg != b.neg, mul_mag(a.digits, b.digits), a.scale + b.scale));
}

std::string div(std::string_view as, std::string_view bs) {
  Num a = from_text(as), b = from_text(bs);
  if (a.kind == Num::kNaN || b.kind == Num::kNaN) return "NaN";
  if (b.is_zero()) raise(sqlstate::kDivisionByZero, "division by zero");
  if (a.special()) {
    if (b.special()) return "NaN";
    bool neg = (a.kind == Num::kNegInf) != b.neg;
    return to_text(inf(neg));
  }
  if (b.special()) return "0";
  return to_text(div_num(a, b, select_div_scale(a, b), false));
}

std::string mod(std::string_view as, std::string_view bs) {
  Num a = from_text(as), b = from_text(bs);
  if (a.kind == Num::kNaN || b.kind == Num::kNaN) return "NaN";
  if (b.is_zero()) raise(sqlstate::kDivisionByZero, "division by zero");
  if (a.special()) return "NaN";
  if (b.special()) return to_text(a);
  Num q = div_num(a, b, 0, true);
  Num prod = finite(q.neg != b.neg, mul_mag(q.digits, b.digits), b.scale);
  return to_text(add_num(a, prod, true));
}

std::string neg(std::string_view as) {
  Num a = from_text(as);
  if (a.kind == Num::kPosInf) return "-Infinity";
  if (a.kind == Num::kNegInf) return "Infinity";
  if (a.kind == Num::kFinite) a.neg = !a.neg && !a.is_zero();
  return to_text(a);
}

std::string abs(std::string_view as) {
  Num a = from_text(as);
  if (a.kind == Num::kNegInf) return "Infinity";
  a.neg = false;
  return to_text(a);
}

int cmp(std::string_view a, std::string_view b) { return cmp_num(from_text(a), from_text(b)); }

std::string round(std::string_view a, int scale) { return to_text(round_to(from_text(a), std::clamp(scale, -kMaxDisplayScale, kMaxDisplayScale), false)); }
std::string trunc(std::string_view a, int scale) { return to_text(round_to(from_text(a), std::clamp(scale, -kMaxDisplayScale, kMaxDisplayScale), true)); }

std::string ceil(std::string_view as) {
  Num a = from_text(as);
  if (a.special()) return to_text(a);
  Num t = round_to(a, 0, true);
  if (!a.neg && cmp_num(t, a) != 0) t = add_num(t, finite(false, "1", 0), false);
  t.scale = 0;
  return to_text(t);
}

std::string floor(std::string_view as) {
  Num a = from_text(as);
  if (a.special()) return to_text(a);
  Num t = round_to(a, 0, true);
  if (a.neg && cmp_num(t, a) != 0) t = add_num(t, finite(false, "1", 0), true);
  t.scale = 0;
  return to_text(t);
}

std::string sign(std::string_view as) {
  Num a = from_text(as);
  if (a.kind == Num::kNaN) return "NaN";
  if (a.kind == Num::kPosInf) return "1";
  if (a.kind == Num::kNegInf) return "-1";
  return a.is_zero() ? "0" : a.neg ? "-1" : "1";
}

std::string sqrt(std::string_view as) {
  Num a = from_text(as);
  if (a.kind == Num::kNaN || a.kind == Num::kPosInf) return to_text(a);
  if (a.kind == Num::kNegInf || a.neg)
    raise(sqlstate::kInvalidArgumentForPowerFunction, "cannot take square root of a negative number");
  int weight, first;
  weight_and_first(a, weight, first);
  int sweight = (weight + 1) * 4 / 2 - 1;
  int rscale = std::clamp(std::max({kMinSigDigits - sweight, a.scale, 0}), 0, kMaxDisplayScale);
  // isqrt(A * 10^(2*(rscale+1) - sa)) gives sqrt with one guard digit.
  int shift = 2 * (rscale + 1) - a.scale;
  std::string n = a.digits;
  if (shift >= 0) n.append(static_cast<size_t>(shift), '0');
  else n = n.substr(0, n.size() > static_cast<size_t>(-shift) ? n.size() - static_cast<size_t>(-shift) : 1);
  strip_leading(n);
  // Newton's method on magnitudes.
  std::string x = "1";
  x.append((n.size() + 1) / 2, '0');
  for (;;) {
    auto [q, r] = divmod_mag(n, x);
    (void)r;
    std::string y = divmod_mag(add_mag(x, q), "2").first;
    if (cmp_mag(y, x) >= 0) break;
    x = y;
  }
  return to_text(round_to(finite(false, x, rscale + 1), rscale, false));
}

// PostgreSQL's power_var/exp_var/ln_var choose result scales from estimated weights; until
// they are ported these say 0A000 rather than print digits PostgreSQL would not.
std::string power(std::string_view, std::string_view) { unsupported("power(numeric, numeric)"); }
std::string exp(std::string_view) { unsupported("exp(numeric)"); }
std::string ln(std::string_view) { unsupported("ln(numeric)"); }
std::string log10(std::string_view) { unsupported("log(numeric)"); }

std::string from_int64(int64_t v) { return std::to_string(v); }

std::string from_double(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", 15, d);
  return parse(buf);
}

std::string from_float4(float f) {
  if (std::isnan(f)) return "NaN";
  if (std::isinf(f)) return f > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", 6, static_cast<double>(f));
  return parse(buf);
}

int64_t to_int64(std::string_view v, const char* type_name) {
  Num n = from_text(v);
  if (n.kind == Num::kNaN) raise(sqlstate::kFeatureNotSupported, "cannot convert NaN to {}", type_name);
  if (n.special()) raise(sqlstate::kFeatureNotSupported, "cannot convert infinity to {}", type_name);
  Num r = round_to(n, 0, false);
  if (r.digits.size() > 19 || (r.digits.size() == 19 && r.digits > (r.neg ? "9223372036854775808" : "9223372036854775807")))
    raise(sqlstate::kNumericValueOutOfRange, "{} out of range", type_name);
  unsigned long long u = std::stoull(r.digits);
  return r.neg ? static_cast<int64_t>(0 - u) : static_cast<int64_t>(u);
}

double to_double(std::string_view v) {
  Num n = from_text(v);
  if (n.kind == Num::kNaN) return std::nan("");
  if (n.kind == Num::kPosInf) return HUGE_VAL;
  if (n.kind == Num::kNegInf) return -HUGE_VAL;
  return std::strtod(to_text(n).c_str(), nullptr);
}

std::string normalized(std::string_view v) {
  Num n = from_text(v);
  if (n.special() || n.scale == 0) return to_text(n);
  while (n.scale > 0 && n.digits.size() > 1 && n.digits.back() == '0') {
    n.digits.pop_back();
    --n.scale;
  }
  if (n.digits == "0") n.scale = 0;
  return to_text(n);
}

void key_encode(std::string_view v, std::string& out) {
  Num n = from_text(v);
  switch (n.kind) {
    case Num::kNegInf: out.push_back(0x00); return;
    case Num::kPosInf: out.push_back(0x04); return;
    case Num::kNaN: out.push_back(0x05); return;
    default: break;
  }
  if (n.is_zero()) {
    out.push_back(0x02);
    return;
  }
  // Significant digits without trailing zeros, and the power of ten of the first one.
  std::string d = n.digits;
  int32_t exp10 = static_cast<int32_t>(d.size()) - n.scale;
  while (d.size() > 1 && d.back() == '0') d.pop_back();
  uint32_t e = static_cast<uint32_t>(exp10) ^ 0x80000000u;
  if (n.neg) e = ~e;
  out.push_back(n.neg ? 0x01 : 0x03);
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>((e >> (8 * i)) & 0xff));
  for (char c : d) out.push_back(n.neg ? static_cast<char>(0xff - c) : c);
  out.push_back(n.neg ? static_cast<char>(0xff) : '\0');
}

}  // namespace heliosdb::numeric
