// interval input, as PostgreSQL 15's interval_in: the text is split into fields (ParseDateTime),
// the fields are read right to left so that a unit applies to the number before it
// (DecodeInterval), ISO 8601 "P..." forms are the fallback, and a typmod (INTERVAL DAY TO
// MINUTE, INTERVAL(2), ...) decides what a bare number means and then truncates the value.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "common/datetime.h"
#include "common/datetime_parse.h"
#include "common/errors.h"

namespace heliosdb::datetime {
namespace {

constexpr int64_t kUsecPerSec = 1000000, kUsecPerMinute = 60 * kUsecPerSec, kUsecPerHour = 60 * kUsecPerMinute;


// What a word means in an interval (PostgreSQL's deltatktbl).
enum Unit { kNoUnit, kIgnore, kAgo, kMicrosec, kMillisec, kSecond, kMinute, kHour, kDay, kWeek, kMonth, kQuarter,
            kYear, kDecade, kCentury, kMillennium, kTzUnit };

Unit unit_of(std::string_view word) {
  // Words are compared on their first 10 characters, so "millenniums" is "millennium".
  static const std::pair<const char*, Unit> kUnits[] = {
      {"@", kIgnore}, {"ago", kAgo}, {"c", kCentury}, {"cent", kCentury}, {"centuries", kCentury},
      {"century", kCentury}, {"d", kDay}, {"day", kDay}, {"days", kDay}, {"dec", kDecade}, {"decade", kDecade},
      {"decades", kDecade}, {"decs", kDecade}, {"h", kHour}, {"hour", kHour}, {"hours", kHour}, {"hr", kHour},
      {"hrs", kHour}, {"m", kMinute}, {"microsecon", kMicrosec}, {"mil", kMillennium}, {"millennia", kMillennium},
      {"millennium", kMillennium}, {"millisecon", kMillisec}, {"mils", kMillennium}, {"min", kMinute},
      {"mins", kMinute}, {"minute", kMinute}, {"minutes", kMinute}, {"mon", kMonth}, {"mons", kMonth},
      {"month", kMonth}, {"months", kMonth}, {"ms", kMillisec}, {"msec", kMillisec}, {"mseconds", kMillisec},
      {"msecs", kMillisec}, {"qtr", kQuarter}, {"quarter", kQuarter}, {"s", kSecond}, {"sec", kSecond},
      {"second", kSecond}, {"seconds", kSecond}, {"secs", kSecond}, {"timezone", kTzUnit},
      {"timezone_h", kTzUnit}, {"timezone_m", kTzUnit}, {"us", kMicrosec}, {"usec", kMicrosec},
      {"usecs", kMicrosec}, {"useconds", kMicrosec}, {"w", kWeek}, {"week", kWeek}, {"weeks", kWeek},
      {"y", kYear}, {"year", kYear}, {"years", kYear}, {"yr", kYear}, {"yrs", kYear}};
  std::string_view key = word.substr(0, 10);
  for (const auto& [name, unit] : kUnits)
    if (key == std::string_view(name).substr(0, 10)) return unit;
  return kNoUnit;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The interval being built (pg_itm_in): time in microseconds, days, months, years.
struct Parts {
  int64_t usec = 0;
  int32_t days = 0, months = 0, years = 0;
};

bool add_mul(int64_t value, int64_t scale, int64_t& sum) {
  int64_t product;
  return !__builtin_mul_overflow(value, scale, &product) && !__builtin_add_overflow(sum, product, &sum);
}
// frac (|frac| < 1) × scale microseconds, rounded to the microsecond.
bool add_fract_usec(double frac, int64_t scale, Parts& p) {
  if (frac == 0) return true;
  frac *= static_cast<double>(scale);
  auto usec = static_cast<int64_t>(frac);
  frac -= static_cast<double>(usec);
  if (frac > 0.5) ++usec;
  else if (frac < -0.5) --usec;
  return !__builtin_add_overflow(p.usec, usec, &p.usec);
}
bool add_fract_days(double frac, int scale, Parts& p) {
  if (frac == 0) return true;
  frac *= scale;
  int extra = static_cast<int>(frac);
  if (__builtin_add_overflow(p.days, extra, &p.days)) return false;
  return add_fract_usec(frac - extra, kUsecPerDay, p);
}
bool add_fract_years(double frac, int scale, Parts& p) {
  auto extra = static_cast<int>(std::rint(frac * scale * 12));
  return !__builtin_add_overflow(p.months, extra, &p.months);
}
bool add_usec(int64_t value, double frac, int64_t scale, Parts& p) {
  return add_mul(value, scale, p.usec) && add_fract_usec(frac, scale, p);
}
bool add_days(int64_t value, int scale, Parts& p) {
  int32_t days;
  if (value < INT32_MIN || value > INT32_MAX) return false;
  return !__builtin_mul_overflow(static_cast<int32_t>(value), scale, &days) &&
         !__builtin_add_overflow(p.days, days, &p.days);
}
bool add_months(int64_t value, Parts& p) {
  if (value < INT32_MIN || value > INT32_MAX) return false;
  return !__builtin_add_overflow(p.months, static_cast<int32_t>(value), &p.months);
}
bool add_years(int64_t value, int scale, Parts& p) {
  int32_t years;
  if (value < INT32_MIN || value > INT32_MAX) return false;
  return !__builtin_mul_overflow(static_cast<int32_t>(value), scale, &years) &&
         !__builtin_add_overflow(p.years, years, &p.years);
}

// strtol-like: the integer at text[pos], advancing pos; false on overflow.
bool read_int(std::string_view text, size_t& pos, int64_t& out) {
  size_t b = pos;
  bool neg = false;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) neg = text[pos++] == '-';
  __int128 v = 0;
  size_t digits = pos;
  while (pos < text.size() && is_digit(text[pos])) {
    v = v * 10 + (text[pos++] - '0');
    if (v > static_cast<__int128>(INT64_MAX) + 1) return false;
  }
  if (pos == digits) {  // no digits: strtol reads nothing
    pos = b;
    out = 0;
    return true;
  }
  v = neg ? -v : v;
  if (v > INT64_MAX || v < INT64_MIN) return false;
  out = static_cast<int64_t>(v);
  return true;
}

// ".ddd" to its end: the fraction, or false when more follows.
bool read_fraction(std::string_view text, double& out) {
  if (text.size() == 1) {
    out = 0;
    return true;
  }
  for (char c : text.substr(1))
    if (!is_digit(c)) return false;
  out = std::strtod(std::string(text).c_str(), nullptr);
  return true;
}

// "hh:mm[:ss[.ffffff]]" or "mm:ss.fff" (DecodeTime): sets p.usec to the time it names.
Err decode_time(std::string_view s, int range, Parts& p) {
  size_t pos = 0;
  int64_t hour, min, sec = 0;
  double frac = 0;
  if (!read_int(s, pos, hour)) return Err::kOverflow;
  if (pos >= s.size() || s[pos] != ':') return Err::kBadFormat;
  ++pos;
  if (!read_int(s, pos, min) || min > INT32_MAX || min < INT32_MIN) return Err::kOverflow;
  if (pos == s.size()) {
    if (range == (kMaskMinute | kMaskSecond)) {  // mm:ss in a MINUTE TO SECOND interval
      sec = min;
      min = hour;
      hour = 0;
    }
  } else if (s[pos] == '.') {  // mm:ss.fff whatever the range
    if (!read_fraction(s.substr(pos), frac)) return Err::kBadFormat;
    sec = min;
    min = hour;
    hour = 0;
  } else if (s[pos] == ':') {
    ++pos;
    if (!read_int(s, pos, sec) || sec > INT32_MAX || sec < INT32_MIN) return Err::kOverflow;
    if (pos < s.size()) {
      if (s[pos] != '.' || !read_fraction(s.substr(pos), frac)) return Err::kBadFormat;
    }
  } else {
    return Err::kBadFormat;
  }
  auto fsec = static_cast<int64_t>(std::rint(frac * 1e6));
  if (hour < 0 || min < 0 || min > 59 || sec < 0 || sec > 60 || fsec < 0 || fsec > kUsecPerSec) return Err::kOverflow;
  p.usec = fsec;
  if (!add_mul(hour, kUsecPerHour, p.usec) || !add_mul(min, kUsecPerMinute, p.usec) ||
      !add_mul(sec, kUsecPerSec, p.usec))
    return Err::kOverflow;
  return Err::kNone;
}

// Bits of the fields seen, to reject a field given twice ("1 day 1 day").
enum : int { kSeenSecond = 1, kSeenMillisec = 2, kSeenMicrosec = 4, kSeenMinute = 8, kSeenHour = 16, kSeenDay = 32,
             kSeenWeek = 64, kSeenMonth = 128, kSeenYear = 256, kSeenDecade = 512, kSeenCentury = 1024,
             kSeenMillennium = 2048 };
constexpr int kSeenTime = kSeenSecond | kSeenMillisec | kSeenMicrosec | kSeenMinute | kSeenHour;

Err decode_interval(const std::vector<Field>& fields, int range, int style, Parts& p) {
  bool ago = false;
  int seen = 0;
  Unit unit = kIgnore;  // kIgnore: none yet, the range decides
  // SQL's '-1 1:00:00' is minus one day and one hour: under sql_standard a leading minus applies
  // to all fields unless another field has its own sign.
  bool all_negative = style == kIntervalSqlStandard && !fields.empty() && fields[0].text[0] == '-' &&
                      std::none_of(fields.begin() + 1, fields.end(), [](const Field& f) { return f.text[0] == '-' || f.text[0] == '+'; });
  for (size_t k = fields.size(); k-- > 0;) {
    const Field& f = fields[k];
    bool negate = all_negative && k > 0;
    int mask = 0;
    FieldType type = f.type;
    if (type == kTime || (type == kTz && f.text.find(':', 1) != std::string::npos)) {
      Parts t;
      bool signed_time = type == kTz;
      Err e = decode_time(signed_time ? std::string_view(f.text).substr(1) : std::string_view(f.text), range, t);
      if (e == Err::kNone) {
        p.usec = f.text[0] == '-' || negate ? -t.usec : t.usec;
        mask = kSeenTime;
        unit = kDay;  // "1 02:03": a bare number before a time is days
        if (mask & seen) return Err::kBadFormat;
        seen |= mask;
        continue;
      }
      if (!signed_time) return e;
      // A signed number that is no time: read below as a number.
    }
    switch (type) {
      case kTz:
      case kDate:
      case kNumber:
      case kTime: {
        if (unit == kIgnore) {
          // The rightmost bare number: its unit is the typmod's last field.
          if (range == kMaskYear) unit = kYear;
          else if (range == kMaskMonth || range == (kMaskYear | kMaskMonth)) unit = kMonth;
          else if (range == kMaskDay) unit = kDay;
          else if (range == kMaskHour || range == (kMaskDay | kMaskHour)) unit = kHour;
          else if (range == kMaskMinute || range == (kMaskHour | kMaskMinute) ||
                   range == (kMaskDay | kMaskHour | kMaskMinute))
            unit = kMinute;
          else unit = kSecond;
        }
        std::string_view s = f.text;
        size_t pos = 0;
        int64_t value;
        double frac = 0;
        if (!read_int(s, pos, value)) return Err::kOverflow;
        if (pos < s.size() && s[pos] == '-') {  // "years-months"
          ++pos;
          int64_t months;
          if (!read_int(s, pos, months) || months < 0 || months >= 12) return Err::kOverflow;
          if (pos != s.size()) return Err::kBadFormat;
          unit = kMonth;
          if (s[0] == '-') months = -months;
          if (__builtin_mul_overflow(value, int64_t{12}, &value) || __builtin_add_overflow(value, months, &value))
            return Err::kOverflow;
        } else if (pos < s.size() && s[pos] == '.') {
          if (!read_fraction(s.substr(pos), frac)) return Err::kBadFormat;
          if (s[0] == '-') frac = -frac;
        } else if (pos != s.size()) {
          return Err::kBadFormat;
        }
        if (negate) {
          value = -value;
          frac = -frac;
        }
        bool ok = true;
        switch (unit) {
          case kMicrosec: ok = add_usec(value, frac, 1, p); mask = kSeenMicrosec; break;
          case kMillisec: ok = add_usec(value, frac, 1000, p); mask = kSeenMillisec; break;
          case kSecond:
            ok = add_usec(value, frac, kUsecPerSec, p);
            // With a fraction, milli- and microseconds are given too.
            mask = frac == 0 ? kSeenSecond : kSeenSecond | kSeenMillisec | kSeenMicrosec;
            break;
          case kMinute: ok = add_usec(value, frac, kUsecPerMinute, p); mask = kSeenMinute; break;
          case kHour:
            ok = add_usec(value, frac, kUsecPerHour, p);
            mask = kSeenHour;
            unit = kDay;  // for the next field to the left
            break;
          case kDay: ok = add_days(value, 1, p) && add_fract_usec(frac, kUsecPerDay, p); mask = kSeenDay; break;
          case kWeek: ok = add_days(value, 7, p) && add_fract_days(frac, 7, p); mask = kSeenWeek; break;
          case kMonth: ok = add_months(value, p) && add_fract_days(frac, 30, p); mask = kSeenMonth; break;
          case kYear: ok = add_years(value, 1, p) && add_fract_years(frac, 1, p); mask = kSeenYear; break;
          case kDecade: ok = add_years(value, 10, p) && add_fract_years(frac, 10, p); mask = kSeenDecade; break;
          case kCentury: ok = add_years(value, 100, p) && add_fract_years(frac, 100, p); mask = kSeenCentury; break;
          case kMillennium:
            ok = add_years(value, 1000, p) && add_fract_years(frac, 1000, p);
            mask = kSeenMillennium;
            break;
          default: return Err::kBadFormat;
        }
        if (!ok) return Err::kOverflow;
        break;
      }
      case kString:
      case kSpecial: {
        Unit u = unit_of(f.text);
        if (u == kIgnore) continue;
        if (u == kAgo) {
          ago = true;
          unit = kNoUnit;  // a number before "ago" has no unit
        } else if (u == kNoUnit || u == kTzUnit) {
          return Err::kBadFormat;
        } else {
          unit = u;
        }
        break;
      }
    }
    if (mask & seen) return Err::kBadFormat;
    seen |= mask;
  }
  if (seen == 0) return Err::kBadFormat;
  if (ago) {
    if (p.usec == INT64_MIN || p.days == INT32_MIN || p.months == INT32_MIN || p.years == INT32_MIN)
      return Err::kOverflow;
    p.usec = -p.usec;
    p.days = -p.days;
    p.months = -p.months;
    p.years = -p.years;
  }
  return Err::kNone;
}

// ISO 8601's "number" in a P... field: strtod's syntax, integer and fraction parts.
Err iso_number(std::string_view s, size_t& pos, int64_t& ipart, double& fpart) {
  if (pos >= s.size() || !(is_digit(s[pos]) || s[pos] == '-' || s[pos] == '.')) return Err::kBadFormat;
  std::string rest(s.substr(pos));
  char* end = nullptr;
  double v = std::strtod(rest.c_str(), &end);
  if (end == rest.c_str()) return Err::kBadFormat;
  if (std::isnan(v) || v < -1.0e15 || v > 1.0e15) return Err::kOverflow;
  pos += static_cast<size_t>(end - rest.c_str());
  ipart = v >= 0 ? static_cast<int64_t>(std::floor(v)) : -static_cast<int64_t>(std::floor(-v));
  fpart = v - static_cast<double>(ipart);
  return Err::kNone;
}

// ISO 8601 durations: "P1Y2M3DT4H5M6S", and the alternative formats "P0001-02-03T04:05:06" and
// "P00010203T040506".
Err decode_iso8601(std::string_view s, Parts& p) {
  if (s.size() < 2 || s[0] != 'P') return Err::kBadFormat;
  size_t pos = 1;
  bool date_part = true, have_field = false;
  auto width = [&](size_t start) {  // integer digits of the field at start
    if (start < s.size() && s[start] == '-') ++start;
    size_t n = 0;
    while (start + n < s.size() && is_digit(s[start + n])) ++n;
    return n;
  };
  auto start_time_part = [&] {  // after 'T'
    date_part = false;
    have_field = false;
  };
  while (pos < s.size()) {
    if (s[pos] == 'T') {
      start_time_part();
      ++pos;
      continue;
    }
    size_t start = pos;
    int64_t v;
    double fv;
    if (Err e = iso_number(s, pos, v, fv); e != Err::kNone) return e;
    char u = pos < s.size() ? s[pos++] : '\0';
    if (date_part) {
      switch (u) {
        case 'Y': if (!add_years(v, 1, p) || !add_fract_years(fv, 1, p)) return Err::kOverflow; break;
        case 'M': if (!add_months(v, p) || !add_fract_days(fv, 30, p)) return Err::kOverflow; break;
        case 'W': if (!add_days(v, 7, p) || !add_fract_days(fv, 7, p)) return Err::kOverflow; break;
        case 'D': if (!add_days(v, 1, p) || !add_fract_usec(fv, kUsecPerDay, p)) return Err::kOverflow; break;
        case 'T':
        case '\0':
          if (width(start) == 8 && !have_field) {  // YYYYMMDD
            if (!add_years(v / 10000, 1, p) || !add_months((v / 100) % 100, p) || !add_days(v % 100, 1, p) ||
                !add_fract_usec(fv, kUsecPerDay, p))
              return Err::kOverflow;
            if (u == '\0') return Err::kNone;
            start_time_part();
            continue;
          }
          [[fallthrough]];
        case '-':  // YYYY-MM-DD
          if (have_field) return Err::kBadFormat;
          if (!add_years(v, 1, p) || !add_fract_years(fv, 1, p)) return Err::kOverflow;
          if (u == '\0') return Err::kNone;
          if (u == 'T') {
            start_time_part();
            continue;
          }
          if (Err e = iso_number(s, pos, v, fv); e != Err::kNone) return e;
          if (!add_months(v, p) || !add_fract_days(fv, 30, p)) return Err::kOverflow;
          if (pos == s.size()) return Err::kNone;
          if (s[pos] == 'T') {
            start_time_part();
            ++pos;
            continue;
          }
          if (s[pos] != '-') return Err::kBadFormat;
          ++pos;
          if (Err e = iso_number(s, pos, v, fv); e != Err::kNone) return e;
          if (!add_days(v, 1, p) || !add_fract_usec(fv, kUsecPerDay, p)) return Err::kOverflow;
          if (pos == s.size()) return Err::kNone;
          if (s[pos] == 'T') {
            start_time_part();
            ++pos;
            continue;
          }
          return Err::kBadFormat;
        default: return Err::kBadFormat;
      }
    } else {
      switch (u) {
        case 'H': if (!add_usec(v, fv, kUsecPerHour, p)) return Err::kOverflow; break;
        case 'M': if (!add_usec(v, fv, kUsecPerMinute, p)) return Err::kOverflow; break;
        case 'S': if (!add_usec(v, fv, kUsecPerSec, p)) return Err::kOverflow; break;
        case '\0':
          if (width(start) == 6 && !have_field) {  // HHMMSS
            if (!add_usec(v / 10000, 0, kUsecPerHour, p) || !add_usec((v / 100) % 100, 0, kUsecPerMinute, p) ||
                !add_usec(v % 100, 0, kUsecPerSec, p) || !add_fract_usec(fv, 1, p))
              return Err::kOverflow;
            return Err::kNone;
          }
          [[fallthrough]];
        case ':':  // HH:MM:SS
          if (have_field) return Err::kBadFormat;
          if (!add_usec(v, fv, kUsecPerHour, p)) return Err::kOverflow;
          if (u == '\0') return Err::kNone;
          if (Err e = iso_number(s, pos, v, fv); e != Err::kNone) return e;
          if (!add_usec(v, fv, kUsecPerMinute, p)) return Err::kOverflow;
          if (pos == s.size()) return Err::kNone;
          if (s[pos] != ':') return Err::kBadFormat;
          ++pos;
          if (Err e = iso_number(s, pos, v, fv); e != Err::kNone) return e;
          if (!add_usec(v, fv, kUsecPerSec, p)) return Err::kOverflow;
          if (pos == s.size()) return Err::kNone;
          return Err::kBadFormat;
        default: return Err::kBadFormat;
      }
    }
    have_field = true;
  }
  return Err::kNone;
}

}  // namespace

Interval parse_interval(std::string_view text, int32_t typmod, int style) {
  int range = typmod < 0 ? kFullRange : (typmod >> 16) & 0x7FFF;
  std::vector<Field> fields;
  Parts p;
  Err e = split_fields(text, kIntervalBufLen, fields);
  if (e == Err::kNone) e = decode_interval(fields, range, style, p);
  if (e == Err::kBadFormat) {
    p = Parts{};
    e = decode_iso8601(text, p);
  }
  if (e == Err::kBadFormat) raise(sqlstate::kInvalidDatetimeFormat, "invalid input syntax for type interval: \"{}\"", text);
  if (e == Err::kOverflow) raise(sqlstate::kIntervalFieldOverflow, "interval field value out of range: \"{}\"", text);
  int64_t months = int64_t{p.years} * 12 + p.months;
  if (months > INT32_MAX || months < INT32_MIN) raise(sqlstate::kDatetimeValueOutOfRange, "interval out of range");
  return adjust_interval(Interval{static_cast<int32_t>(months), p.days, p.usec}, typmod);
}

Interval adjust_interval(Interval iv, int32_t typmod) {
  if (typmod < 0) return iv;
  int range = (typmod >> 16) & 0x7FFF, precision = typmod & 0xFFFF;
  auto truncate = [&](int64_t unit) { iv.micros = iv.micros / unit * unit; };
  if (range == kFullRange) {
  } else if (range == kMaskYear) {
    iv.months = iv.months / 12 * 12;
    iv.days = 0;
    iv.micros = 0;
  } else if (range == kMaskMonth || range == (kMaskYear | kMaskMonth)) {
    iv.days = 0;
    iv.micros = 0;
  } else if (range == kMaskDay) {
    iv.micros = 0;
  } else if (range == kMaskHour || range == (kMaskDay | kMaskHour)) {
    truncate(kUsecPerHour);
  } else if (range == kMaskMinute || range == (kMaskDay | kMaskHour | kMaskMinute) ||
             range == (kMaskHour | kMaskMinute)) {
    truncate(kUsecPerMinute);
  }
  if (precision != 0xFFFF) {
    static constexpr int64_t kScales[] = {1000000, 100000, 10000, 1000, 100, 10, 1};
    int64_t scale = kScales[std::min(precision, 6)], offset = scale / 2;
    iv.micros = iv.micros >= 0 ? (iv.micros + offset) / scale * scale : -((-iv.micros + offset) / scale * scale);
  }
  return iv;
}

}  // namespace heliosdb::datetime
