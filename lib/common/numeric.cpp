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

// Schoolbook multiplication on base-10^9 limbs (nine decimal digits per step).
std::string mul_mag(const std::string& a, const std::string& b) {
  if (a == "0" || b == "0") return "0";
  auto limbs = [](const std::string& s) {  // least significant first
    std::vector<uint64_t> out;
    for (size_t end = s.size(); end > 0;) {
      size_t begin = end >= 9 ? end - 9 : 0;
      uint64_t v = 0;
      for (size_t i = begin; i < end; ++i) v = v * 10 + static_cast<uint64_t>(s[i] - '0');
      out.push_back(v);
      end = begin;
    }
    return out;
  };
  std::vector<uint64_t> x = limbs(a), y = limbs(b);
  // Zero limbs of the outer operand cost nothing (as PostgreSQL's mul_var skips zero digits):
  // 9e131071 + 1 squared is two rows of the schoolbook product, not fourteen thousand.
  if (std::ranges::count(x, 0u) < std::ranges::count(y, 0u)) std::swap(x, y);
  constexpr uint64_t kBase = 1000000000;
  std::vector<uint64_t> acc(x.size() + y.size() + 1, 0);
  for (size_t i = 0; i < x.size(); ++i) {
    if (x[i] == 0) continue;
    uint64_t carry = 0;
    for (size_t j = 0; j < y.size(); ++j) {
      uint64_t cur = acc[i + j] + x[i] * y[j] + carry;  // < 2^64: 10^18 + 2 * 10^9
      acc[i + j] = cur % kBase;
      carry = cur / kBase;
    }
    for (size_t k = i + y.size(); carry; ++k) {
      uint64_t cur = acc[k] + carry;
      acc[k] = cur % kBase;
      carry = cur / kBase;
    }
  }
  std::string r;
  size_t top = acc.size();
  while (top > 1 && acc[top - 1] == 0) --top;
  r = std::to_string(acc[top - 1]);
  char buf[16];
  for (size_t k = top - 1; k-- > 0;) {
    std::snprintf(buf, sizeof buf, "%09llu", static_cast<unsigned long long>(acc[k]));
    r += buf;
  }
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

namespace {

// Whether v is already what apply_typmod would make of it: canonical text (no leading zeros,
// no "-0") with exactly `scale` fraction digits and at most precision - scale integer digits.
// A loaded column's values mostly are, and need no parse and re-print.
bool fits_typmod(std::string_view v, int precision, int scale) {
  if (scale < 0 || v.empty()) return false;
  bool neg = v[0] == '-';
  size_t i = neg ? 1 : 0;
  size_t dot = v.find('.', i);
  size_t int_end = dot == std::string_view::npos ? v.size() : dot;
  size_t frac = dot == std::string_view::npos ? 0 : v.size() - dot - 1;
  if (int_end == i || frac != static_cast<size_t>(scale) || (int_end - i > 1 && v[i] == '0')) return false;
  bool nonzero = false;
  for (size_t k = i; k < v.size(); ++k) {
    if (k == dot) continue;
    if (v[k] < '0' || v[k] > '9') return false;
    nonzero |= v[k] != '0';
  }
  if (neg && !nonzero) return false;
  size_t intdigits = int_end - i == 1 && v[i] == '0' ? 0 : int_end - i;
  return static_cast<int>(intdigits) <= precision - scale;
}

}  // namespace

std::string apply_typmod(std::string_view v, int32_t typmod) {
  if (typmod >= 4) {
    int32_t tm = typmod - 4;
    if (fits_typmod(v, (tm >> 16) & 0xffff, static_cast<int16_t>(tm & 0xffff))) return std::string(v);
  }
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

std::string div_trunc(std::string_view as, std::string_view bs) {
  Num a = from_text(as), b = from_text(bs);
  if (a.kind == Num::kNaN || b.kind == Num::kNaN) return "NaN";
  if (a.special()) {
    if (b.special()) return "NaN";
    if (b.is_zero()) raise(sqlstate::kDivisionByZero, "division by zero");
    return (a.kind == Num::kPosInf) != b.neg ? "Infinity" : "-Infinity";
  }
  if (b.special()) return "0";
  if (b.is_zero()) raise(sqlstate::kDivisionByZero, "division by zero");
  return to_text(div_num(a, b, 0, true));
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

namespace {

// sqrt(a) for a >= 0, rounded to rscale digits (rscale >= 0).
Num sqrt_num(const Num& a, int rscale) {
  // isqrt(A * 10^(2*(rscale+1) - sa)) gives sqrt with one guard digit.
  int shift = 2 * (rscale + 1) - a.scale;
  std::string n = a.digits;
  if (shift >= 0) n.append(static_cast<size_t>(shift), '0');
  else n = n.substr(0, n.size() > static_cast<size_t>(-shift) ? n.size() - static_cast<size_t>(-shift) : 1);
  strip_leading(n);
  if (n == "0") return finite(false, "0", rscale);
  // Newton's method on magnitudes, from above.
  std::string x = "1";
  x.append((n.size() + 1) / 2, '0');
  for (;;) {
    std::string y = divmod_mag(add_mag(x, divmod_mag(n, x).first), "2").first;
    if (cmp_mag(y, x) >= 0) break;
    x = y;
  }
  return round_to(finite(false, x, rscale + 1), rscale, false);
}

Num mul_num(const Num& a, const Num& b) { return finite(a.neg != b.neg, mul_mag(a.digits, b.digits), a.scale + b.scale); }
Num mul_round(const Num& a, const Num& b, int rscale) { return round_to(mul_num(a, b), rscale, false); }
Num from_int(int64_t v) { return from_text(std::to_string(v)); }
double to_double_num(const Num& n) { return std::strtod(to_text(n).c_str(), nullptr); }  // +-HUGE_VAL when too large

// The power of ten of n's leading digit (n nonzero).
int dweight(const Num& n) { return static_cast<int>(n.digits.size()) - n.scale - 1; }

// PostgreSQL's estimate of the decimal weight of ln(n), from its first base-10000 digits (or,
// near 1, from n - 1): it decides the result scale of ln, log and power.
int estimate_ln_dweight(const Num& n) {
  if (n.neg || n.is_zero()) return 0;
  if (cmp_num(n, from_text("0.9")) >= 0 && cmp_num(n, from_text("1.1")) <= 0) {
    Num x = add_num(n, from_int(1), true);
    return x.is_zero() ? 0 : dweight(x);
  }
  int weight, first;
  weight_and_first(n, weight, first);
  double digits = first;
  int dw = weight * 4;
  // The second base-10000 digit, when n has one that is not zero past the last.
  int p = dweight(n);
  int lead = p - 4 * weight + 1;                       // decimal digits in the first group
  std::string rest = n.digits.size() > static_cast<size_t>(lead) ? n.digits.substr(static_cast<size_t>(lead)) : "";
  while (!rest.empty() && rest.back() == '0') rest.pop_back();
  if (!rest.empty()) {
    std::string g = rest.substr(0, 4);
    while (g.size() < 4) g.push_back('0');
    digits = digits * 10000 + std::stoi(g);
    dw -= 4;
  }
  double ln = std::log(digits) + dw * 2.302585092994046;
  return static_cast<int>(std::log10(std::fabs(ln)));
}

// ln(x) for x > 0, correctly rounded to rscale: square roots bring x near 1, then the series
// of 2 atanh((x-1)/(x+1)) runs with guard digits for the factor the roots put back.
Num ln_num(const Num& arg, int rscale) {
  if (arg.is_zero()) raise(sqlstate::kInvalidArgumentForLog, "cannot take logarithm of zero");
  if (arg.neg) raise(sqlstate::kInvalidArgumentForLog, "cannot take logarithm of a negative number");
  int ws = std::max(rscale, 0) + 24;
  Num x = arg, lo = from_text("0.9"), hi = from_text("1.1");
  int nsqrt = 0;
  while (cmp_num(x, lo) <= 0 || cmp_num(x, hi) >= 0) {
    x = sqrt_num(x, ws + std::max(0, -dweight(x) / 2));
    ++nsqrt;
  }
  Num one = from_int(1);
  Num z = div_num(add_num(x, one, true), add_num(x, one, false), ws, false);
  Num z2 = mul_round(z, z, ws);
  Num sum = z, power = z;
  for (int k = 3;; k += 2) {
    power = mul_round(power, z2, ws);
    Num term = div_num(power, from_int(k), ws, false);
    if (term.is_zero()) break;
    sum = add_num(sum, term, false);
  }
  Num fact = from_int(1);
  for (int i = 0; i <= nsqrt; ++i) fact = mul_num(fact, from_int(2));
  return mul_round(sum, fact, rscale);
}

[[noreturn]] void overflow() { raise(sqlstate::kNumericValueOutOfRange, "value overflows numeric format"); }

// This arithmetic works on decimal digit strings; results that need more than this many
// significant digits through series or long division would take seconds to minutes, so they
// say 0A000 instead (PostgreSQL computes them).
constexpr int kMaxSeriesDigits = 1100;
void too_many_digits(int sig) {
  if (sig > kMaxSeriesDigits)
    unsupported(fmt::format("numeric exp, ln and power results of more than {} significant digits", kMaxSeriesDigits - 100));
}

// exp(x) rounded to rscale: the Taylor series on x / 2^k (|x / 2^k| <= 0.01), squared k times,
// each step keeping enough significant digits.
Num exp_num(const Num& arg, int rscale) {
  double val = to_double_num(arg);
  if (std::fabs(val) >= 6000) {  // NUMERIC_MAX_RESULT_SCALE * 3
    if (val > 0) overflow();
    return finite(false, "0", rscale);
  }
  int dw = static_cast<int>(val * 0.434294481903252);
  int ndiv2 = 0;
  for (double v = std::fabs(val); v > 0.01; v /= 2) ++ndiv2;
  // Below the result's scale (e^x < 10^(dw + 1) <= 10^-(rscale + 1)): it rounds to zero, as
  // PostgreSQL's result does, without working at thousands of digits to find that out.
  if (dw + rscale < -2) return finite(false, "0", rscale);
  int sig = std::max(1 + dw + rscale + static_cast<int>(ndiv2 * 0.301029995663981), 0) + 12;
  too_many_digits(sig);
  Num x = arg;
  int ws = sig + std::max(0, -dw);
  if (ndiv2) x = div_num(x, from_int(int64_t{1} << ndiv2), ws + ndiv2, false);
  Num one = from_int(1);
  Num result = add_num(one, x, false), term = x;
  for (int k = 2;; ++k) {
    term = div_num(mul_round(term, x, ws), from_int(k), ws, false);
    if (term.is_zero()) break;
    result = add_num(result, term, false);
  }
  while (ndiv2-- > 0) {
    int scale = std::max(sig - 2 * (result.is_zero() ? 0 : dweight(result)), 0);
    result = mul_round(result, result, scale);
  }
  return round_to(result, rscale, false);
}

int clamp_scale(int rscale) { return std::clamp(rscale, 0, kMaxDisplayScale); }

// base ^ n for an integer n (PostgreSQL's power_var_int): binary powering keeping enough
// significant digits, exactly when the digits are few.
Num power_int(const Num& base, int64_t n, int rscale) {
  if (n == 0) return round_to(from_int(1), rscale, false);
  if (n == 1) return round_to(base, rscale, false);
  if (n == -1) return div_num(from_int(1), base, rscale, false);
  if (n == 2) return mul_round(base, base, rscale);
  if (base.is_zero()) {
    if (n < 0) raise(sqlstate::kDivisionByZero, "division by zero");
    return finite(false, "0", rscale);
  }
  int weight, first;
  weight_and_first(base, weight, first);
  double f = static_cast<double>(n) * (std::log10(std::fabs(to_double_num(base))));
  if (!std::isfinite(f)) {  // beyond double's range: from the digits
    Num b = base;
    b.neg = false;
    f = static_cast<double>(n) * (dweight(b) + std::log10(std::stod("0." + b.digits.substr(0, 15))) + 1);
  }
  if (f > 3 * 32767 * 4) overflow();
  if (f + 1 < -rscale || f + 1 < -kMaxDisplayScale) return finite(false, "0", rscale);
  int sig = 1 + rscale + static_cast<int>(f) + static_cast<int>(std::log(std::fabs(static_cast<double>(n)))) + 12;
  if (n < 0) too_many_digits(sig);  // the reciprocal is a long division
  auto keep = [&](Num v) {  // round to sig significant digits unless exact is shorter
    int target = std::max(sig - (v.is_zero() ? 0 : dweight(v)), 0);
    return v.scale > target ? round_to(v, target, false) : v;
  };
  bool neg = n < 0;
  uint64_t mask = neg ? static_cast<uint64_t>(-(n + 1)) + 1 : static_cast<uint64_t>(n);
  Num prod = base, result = (mask & 1) ? base : from_int(1);
  while ((mask >>= 1) > 0) {
    prod = keep(mul_num(prod, prod));
    if (mask & 1) result = keep(mul_num(prod, result));
    if (dweight(prod) > 4 * 32767 || (!result.is_zero() && dweight(result) > 4 * 32767)) {
      if (!neg) overflow();
      return finite(false, "0", rscale);
    }
  }
  return neg ? div_num(from_int(1), result, rscale, false) : round_to(result, rscale, false);
}

bool is_integral(const Num& n) {
  if (n.special()) return false;
  Num t = round_to(n, 0, true);
  return cmp_num(t, n) == 0;
}

// log_var: ln(num) / ln(base), each logarithm with more digits than the result needs.
Num log_num(const Num& base, const Num& num) {
  int base_dw = estimate_ln_dweight(base), num_dw = estimate_ln_dweight(num);
  int result_dw = num_dw - base_dw;
  int rscale = clamp_scale(std::max({kMinSigDigits - result_dw, base.scale, num.scale, 0}));
  Num ln_base = ln_num(base, std::max(rscale + result_dw - base_dw + 8, 0));
  Num ln_n = ln_num(num, std::max(rscale + result_dw - num_dw + 8, 0));
  if (ln_base.is_zero()) raise(sqlstate::kDivisionByZero, "division by zero");
  return div_num(ln_n, ln_base, rscale, false);
}

}  // namespace

std::string sqrt(std::string_view as) {
  Num a = from_text(as);
  if (a.kind == Num::kNaN || a.kind == Num::kPosInf) return to_text(a);
  if (a.kind == Num::kNegInf || a.neg)
    raise(sqlstate::kInvalidArgumentForPowerFunction, "cannot take square root of a negative number");
  int weight, first;
  weight_and_first(a, weight, first);
  int sweight = (weight + 1) * 4 / 2 - 1;
  int rscale = std::clamp(std::max({kMinSigDigits - sweight, a.scale, 0}), 0, kMaxDisplayScale);
  return to_text(sqrt_num(a, rscale));
}

std::string sqrt(std::string_view as, int rscale) { return to_text(sqrt_num(from_text(as), std::clamp(rscale, 0, kMaxDisplayScale))); }

std::string exp(std::string_view as) {
  Num a = from_text(as);
  if (a.kind == Num::kNegInf) return "0";
  if (a.special()) return to_text(a);
  double val = std::clamp(to_double_num(a) * 0.434294481903252, -2000.0, 2000.0);
  int rscale = clamp_scale(std::max(kMinSigDigits - static_cast<int>(val), a.scale));
  return to_text(exp_num(a, rscale));
}

std::string ln(std::string_view as) {
  Num a = from_text(as);
  if (a.kind == Num::kNegInf) raise(sqlstate::kInvalidArgumentForLog, "cannot take logarithm of a negative number");
  if (a.special()) return to_text(a);
  int rscale = clamp_scale(std::max(kMinSigDigits - estimate_ln_dweight(a), a.scale));
  return to_text(ln_num(a, rscale));
}

std::string log(std::string_view bs, std::string_view xs) {
  Num b = from_text(bs), x = from_text(xs);
  if (b.special() || x.special()) {
    if (b.kind == Num::kNaN || x.kind == Num::kNaN) return "NaN";
    auto sign = [](const Num& n) { return n.kind == Num::kNegInf || n.neg ? -1 : n.is_zero() ? 0 : 1; };
    if (sign(b) < 0 || sign(x) < 0) raise(sqlstate::kInvalidArgumentForLog, "cannot take logarithm of a negative number");
    if (sign(b) == 0 || sign(x) == 0) raise(sqlstate::kInvalidArgumentForLog, "cannot take logarithm of zero");
    if (b.kind == Num::kPosInf) return x.kind == Num::kPosInf ? "NaN" : "0";
    return "Infinity";
  }
  return to_text(log_num(b, x));
}

std::string log10(std::string_view a) { return log("10", a); }

std::string power(std::string_view as, std::string_view bs) {
  Num a = from_text(as), b = from_text(bs);
  auto sign = [](const Num& n) { return n.kind == Num::kNegInf || (n.kind == Num::kFinite && n.neg) ? -1 : n.is_zero() ? 0 : 1; };
  Num one = from_int(1);
  if (a.special() || b.special()) {
    // POSIX pow(3): NaN ^ 0 = 1 and 1 ^ NaN = 1; other NaN inputs give NaN.
    if (a.kind == Num::kNaN) return !b.special() && b.is_zero() ? "1" : "NaN";
    if (b.kind == Num::kNaN) return !a.special() && cmp_num(a, one) == 0 ? "1" : "NaN";
    if (sign(a) == 0 && sign(b) < 0)
      raise(sqlstate::kInvalidArgumentForPowerFunction, "zero raised to a negative power is undefined");
    if (sign(a) < 0 && !is_integral(b) && !b.special())  // infinities count as integers here
      raise(sqlstate::kInvalidArgumentForPowerFunction, "a negative number raised to a non-integer power yields a complex result");
    if (!a.special() && cmp_num(a, one) == 0) return "1";
    if (sign(b) == 0) return "1";
    if (sign(a) == 0 && sign(b) > 0) return "0";
    if (b.special()) {
      bool gt_one = true;
      if (!a.special()) {
        if (cmp_num(a, from_int(-1)) == 0) return "1";
        Num m = a;
        m.neg = false;
        gt_one = cmp_num(m, one) > 0;
      }
      return gt_one == (sign(b) > 0) ? "Infinity" : "0";
    }
    if (a.kind == Num::kPosInf) return sign(b) > 0 ? "Infinity" : "0";
    if (sign(b) < 0) return "0";  // -Infinity ^ negative
    bool odd = is_integral(b) && (b.digits[b.digits.size() - 1 - static_cast<size_t>(b.scale)] - '0') % 2 == 1;
    return odd ? "-Infinity" : "Infinity";
  }
  if (a.is_zero() && b.neg) raise(sqlstate::kInvalidArgumentForPowerFunction, "zero raised to a negative power is undefined");
  // An integer exponent that fits in int32: repeated multiplication.
  if (is_integral(b)) {
    Num t = round_to(b, 0, true);
    if (t.digits.size() <= 10) {
      int64_t n = std::stoll(t.digits) * (t.neg ? -1 : 1);
      if (n >= INT32_MIN && n <= INT32_MAX)
        return to_text(power_int(a, n, clamp_scale(std::max(kMinSigDigits, a.scale))));
    }
  }
  if (a.is_zero()) return to_text(finite(false, "0", kMinSigDigits));
  bool negative = false;
  if (a.neg) {
    if (!is_integral(b))
      raise(sqlstate::kInvalidArgumentForPowerFunction, "a negative number raised to a non-integer power yields a complex result");
    Num t = round_to(b, 0, true);
    negative = (t.digits.back() - '0') % 2 == 1;
    a.neg = false;
  }
  // e ^ (b * ln(a)): a first low-precision pass estimates the result's weight.
  int ln_dw = estimate_ln_dweight(a);
  int local = std::max(8 - ln_dw, 0);
  Num ln_num_ = mul_round(ln_num(a, local), b, local);
  double val = to_double_num(ln_num_);
  if (std::fabs(val) > 6000 * 1.0033) {
    if (val > 0) overflow();
    return to_text(finite(false, "0", kMaxDisplayScale));
  }
  val *= 0.434294481903252;
  int rscale = clamp_scale(std::max({kMinSigDigits - static_cast<int>(val), a.scale, b.scale}));
  int sig = std::max(rscale + static_cast<int>(val), 0);
  too_many_digits(sig);
  local = std::max(sig - ln_dw + 8, 0);
  Num r = exp_num(mul_round(ln_num(a, local), b, local), rscale);
  r.neg = negative && !r.is_zero();
  return to_text(r);
}

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
