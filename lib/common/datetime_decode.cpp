// date, time, timetz, timestamp and timestamptz input as PostgreSQL 15's date_in, time_in,
// timetz_in, timestamp_in and timestamptz_in: the fields split_fields() finds are read by
// DecodeDateTime or DecodeTimeOnly (with DecodeDate, DecodeNumber, DecodeNumberField, DecodeTime
// and ValidateDate) into calendar fields and a zone offset, then range-checked.
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/datetime.h"
#include "common/datetime_parse.h"
#include "common/errors.h"
#include "common/timezone.h"

namespace heliosdb::datetime {

namespace {

constexpr int64_t kUsecPerSec = 1000000, kUsecPerMinute = 60 * kUsecPerSec, kUsecPerHour = 60 * kUsecPerMinute;
constexpr int64_t kUnixEpochJdate = 2440588;
constexpr int64_t kDateEndJulian = 2147483494;
// PostgreSQL's MIN_TIMESTAMP and END_TIMESTAMP (4714-11-24 BC .. 294277-01-01).
constexpr int64_t kMinTimestamp = -211813488000000000LL, kEndTimestamp = 9223371331200000000LL;

using Mask = uint32_t;
constexpr Mask bit(int type) { return Mask{1} << type; }
constexpr Mask kDateMask = bit(dtk::kYear) | bit(dtk::kMonth) | bit(dtk::kDay);
constexpr Mask kAllSecsMask = bit(dtk::kSecond) | bit(dtk::kMillisecond) | bit(dtk::kMicrosecond);
constexpr Mask kTimeMask = bit(dtk::kHour) | bit(dtk::kMinute) | kAllSecsMask;
constexpr Mask kTzMask = bit(dtk::kTzAbbrev);

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_leap(int y) { return (y % 4 == 0) && ((y % 100 != 0) || (y % 400 == 0)); }
int days_in_month(int y, int m) {
  static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return d[m - 1] + (m == 2 && is_leap(y));
}

// strtol into an int (PostgreSQL's strtoint): false on overflow; `pos` moves past the digits
// and stays put when there are none.
bool read_int(std::string_view s, size_t& pos, int& out) {
  size_t p = pos;
  bool neg = false;
  if (p < s.size() && (s[p] == '+' || s[p] == '-')) neg = s[p++] == '-';
  out = 0;
  if (p >= s.size() || !is_digit(s[p])) return true;
  int64_t v = 0;
  bool overflow = false;
  for (; p < s.size() && is_digit(s[p]); ++p) {
    if (v <= int64_t{INT_MAX} + 1) v = v * 10 + (s[p] - '0');
    if (v > int64_t{INT_MAX} + 1) overflow = true;
  }
  pos = p;
  if (neg) v = -v;
  if (overflow || v > INT_MAX || v < INT_MIN) return false;
  out = static_cast<int>(v);
  return true;
}

// atoi: what C's atoi gives for a run of digits (strtol cut to int).
int atoi_prefix(std::string_view s) { return static_cast<int>(std::strtol(std::string(s).c_str(), nullptr, 10)); }

// ParseFraction: "." and digits to the end of the field.
Err parse_fraction(std::string_view s, double& frac) {
  if (s.size() == 1) {
    frac = 0;
    return Err::kNone;
  }
  std::string buf(s);
  char* end = nullptr;
  errno = 0;
  frac = std::strtod(buf.c_str(), &end);
  if (*end != '\0' || errno != 0) return Err::kBadFormat;
  return Err::kNone;
}
Err parse_fractional_second(std::string_view s, int64_t& fsec) {
  double frac;
  if (Err e = parse_fraction(s, frac); e != Err::kNone) return e;
  fsec = static_cast<int64_t>(std::rint(frac * 1000000));
  return Err::kNone;
}

// PostgreSQL's IS_VALID_JULIAN: 4714-11-01 BC .. 5874898-06-01.
bool valid_julian(int y, int m) {
  return (y > -4713 || (y == -4713 && m >= 11)) && (y < 5874898 || (y == 5874898 && m < 6));
}

bool time_overflows(int hour, int min, int sec, int64_t fsec) {
  if (hour < 0 || hour > 24 || min < 0 || min >= 60 || sec < 0 || sec > 60 || fsec < 0 || fsec > kUsecPerSec) return true;
  // 24:00:00 and a leap second are allowed, but not past the end of the day.
  return ((int64_t{hour} * 60 + min) * 60 + sec) * kUsecPerSec + fsec > kUsecPerDay;
}

// PostgreSQL's dtype: what the text stood for.
enum class Kind { kDate, kTime, kEpoch, kLate, kEarly };

struct Tm {
  int year = 0, mon = 0, mday = 0, hour = 0, min = 0, sec = 0, yday = 0, wday = 0, isdst = -1;
  int64_t fsec = 0;
};

// Seconds since 1970-01-01 of a wall-clock time, as the zone code counts local time.
int64_t local_seconds(const Tm& tm) {
  return (date_to_julian(tm.year, tm.mon, tm.mday) - kUnixEpochJdate) * 86400 + (int64_t{tm.hour} * 60 + tm.min) * 60 +
         tm.sec;
}

// DetermineTimeZoneOffset: seconds west of UTC in `zone` (nullptr: UTC) at a wall-clock time;
// UTC for a date the calendar code cannot handle.
int zone_offset_west(const Tm& tm, const TimeZone* zone) {
  if (!zone || !valid_julian(tm.year, tm.mon)) return 0;
  return -zone->offset_for_local(local_seconds(tm));
}
int abbrev_offset_west(const Tm& tm, const TzAbbrev& abbrev) {
  if (!valid_julian(tm.year, tm.mon)) return -abbrev.offset;
  return -abbrev_offset_for_local(abbrev, local_seconds(tm));
}

class Decoder {
 public:
  Decoder(const Context& ctx, std::vector<Field>& fields) : ctx_(ctx), fields_(fields) {}

  Err date_time();  // DecodeDateTime
  Err time_only();  // DecodeTimeOnly

  Tm tm;
  int tz = 0;  // seconds west of UTC
  Kind kind = Kind::kDate;

 private:
  Err decode_date(std::string_view str, Mask fmask, Mask& tmask, bool& is2digits);
  Err decode_number(std::string_view str, bool have_text_month, Mask fmask, Mask& tmask, bool& is2digits);
  Err decode_number_field(std::string_view str, Mask fmask, Mask& tmask, bool& is2digits);
  Err decode_time(std::string_view str, Mask& tmask);
  Err validate_date(Mask fmask, bool isjulian, bool is2digits, bool bc);
  // A word: a zone abbreviation first, then a keyword (DecodeTimezoneAbbrev, DecodeSpecial).
  int lookup(const std::string& word, int& val, const TzAbbrev*& abbrev) const;
  // GetCurrentTimeUsec / GetCurrentDateTime: the transaction start in the session zone.
  Tm current_time(int* west) const;
  void set_date_from_julian(int64_t jd) { julian_to_date(jd, tm.year, tm.mon, tm.mday); }

  const Context& ctx_;
  std::vector<Field>& fields_;
};

Tm Decoder::current_time(int* west) const {
  int64_t local = timestamptz_to_local(ctx_.now, ctx_);
  int64_t date = timestamp_to_date(local);
  int64_t time = local - date * kUsecPerDay;
  Tm t;
  julian_to_date(date + kPostgresEpochJdate, t.year, t.mon, t.mday);
  t.hour = static_cast<int>(time / kUsecPerHour);
  t.min = static_cast<int>(time / kUsecPerMinute % 60);
  t.sec = static_cast<int>(time / kUsecPerSec % 60);
  t.fsec = time % kUsecPerSec;
  if (west) *west = static_cast<int>((ctx_.now - local) / kUsecPerSec);
  return t;
}

int Decoder::lookup(const std::string& word, int& val, const TzAbbrev*& abbrev) const {
  abbrev = find_tz_abbrev(std::string_view(word).substr(0, 10));
  if (abbrev) {
    val = abbrev->offset;
    return abbrev->zone ? dtk::kDynTzAbbrev : abbrev->dst ? dtk::kDstTzAbbrev : dtk::kTzAbbrev;
  }
  if (const Keyword* k = find_keyword(word)) {
    val = k->value;
    return k->type;
  }
  val = 0;
  return dtk::kUnknownField;
}

// DecodeDate: a field with delimiters ("1999-01-08", "08-jan-1999", "1999.008"); month names
// first, then the numbers in DateStyle order.
Err Decoder::decode_date(std::string_view str, Mask fmask, Mask& tmask, bool& is2digits) {
  tmask = 0;
  std::vector<std::string_view> parts;
  size_t p = 0;
  while (p < str.size() && parts.size() < kMaxDateFields) {
    while (p < str.size() && !is_digit(str[p]) && !is_alpha(str[p])) ++p;
    if (p >= str.size()) return Err::kBadFormat;  // a separator at the end
    size_t start = p;
    if (is_digit(str[p])) {
      while (p < str.size() && is_digit(str[p])) ++p;
    } else {
      while (p < str.size() && is_alpha(str[p])) ++p;
    }
    parts.push_back(str.substr(start, p - start));
    if (p < str.size()) ++p;  // the character after a part is its terminator, whatever it is
  }
  bool have_text_month = false;
  std::vector<bool> done(parts.size(), false);
  for (size_t i = 0; i < parts.size(); ++i) {
    if (!is_alpha(parts[i][0])) continue;
    const Keyword* k = find_keyword(parts[i]);
    int type = k ? k->type : dtk::kUnknownField;
    if (type == dtk::kIgnore) continue;
    if (type != dtk::kMonth) return Err::kBadFormat;
    tm.mon = k->value;
    have_text_month = true;
    Mask dmask = bit(type);
    if (fmask & dmask) return Err::kBadFormat;
    fmask |= dmask;
    tmask |= dmask;
    done[i] = true;
  }
  for (size_t i = 0; i < parts.size(); ++i) {
    if (done[i] || is_alpha(parts[i][0])) continue;
    Mask dmask = 0;
    if (Err e = decode_number(parts[i], have_text_month, fmask, dmask, is2digits); e != Err::kNone) return e;
    if (fmask & dmask) return Err::kBadFormat;
    fmask |= dmask;
    tmask |= dmask;
  }
  if ((fmask & ~(bit(dtk::kDoy) | kTzMask)) != kDateMask) return Err::kBadFormat;
  return Err::kNone;
}

// ValidateDate: BC and two-digit years, day of year, and the month and day ranges.
Err Decoder::validate_date(Mask fmask, bool isjulian, bool is2digits, bool bc) {
  if (fmask & bit(dtk::kYear)) {
    if (isjulian) {
      // the year is right as it is
    } else if (bc) {
      if (tm.year <= 0) return Err::kOverflow;  // there is no year zero
      tm.year = -(tm.year - 1);
    } else if (is2digits) {
      // PostgreSQL reads one or two digits as 1970..2069.
      if (tm.year < 0) return Err::kOverflow;
      if (tm.year < 70) tm.year += 2000;
      else if (tm.year < 100) tm.year += 1900;
    } else if (tm.year <= 0) {
      return Err::kOverflow;
    }
  }
  if (fmask & bit(dtk::kDoy)) set_date_from_julian(date_to_julian(tm.year, 1, 1) + tm.yday - 1);
  if ((fmask & bit(dtk::kMonth)) && (tm.mon < 1 || tm.mon > 12)) return Err::kMdOverflow;
  if ((fmask & bit(dtk::kDay)) && (tm.mday < 1 || tm.mday > 31)) return Err::kMdOverflow;
  if ((fmask & kDateMask) == kDateMask && tm.mday > days_in_month(tm.year, tm.mon)) return Err::kOverflow;
  return Err::kNone;
}

// DecodeTime (DecodeTimeCommon for a timestamp): "hh:mm", "hh:mm:ss[.fff]", "mm:ss.fff".
Err Decoder::decode_time(std::string_view str, Mask& tmask) {
  tmask = kTimeMask;
  size_t p = 0;
  int64_t hour = 0;
  for (; p < str.size() && is_digit(str[p]); ++p) {
    hour = hour * 10 + (str[p] - '0');
    if (hour > INT_MAX) return Err::kOverflow;
  }
  if (p >= str.size() || str[p] != ':') return Err::kBadFormat;
  ++p;
  int min = 0, sec = 0;
  int64_t fsec = 0;
  if (!read_int(str, p, min)) return Err::kOverflow;
  if (p == str.size()) {
    sec = 0;
  } else if (str[p] == '.') {
    // always mm:ss.sss
    if (Err e = parse_fractional_second(str.substr(p), fsec); e != Err::kNone) return e;
    sec = min;
    min = static_cast<int>(hour);
    hour = 0;
  } else if (str[p] == ':') {
    ++p;
    if (!read_int(str, p, sec)) return Err::kOverflow;
    if (p < str.size() && str[p] == '.') {
      if (Err e = parse_fractional_second(str.substr(p), fsec); e != Err::kNone) return e;
    } else if (p < str.size()) {
      return Err::kBadFormat;
    }
  } else {
    return Err::kBadFormat;
  }
  if (hour < 0 || min < 0 || min > 59 || sec < 0 || sec > 60 || fsec < 0 || fsec > kUsecPerSec) return Err::kOverflow;
  tm.hour = static_cast<int>(hour);
  tm.min = min;
  tm.sec = sec;
  tm.fsec = fsec;
  return Err::kNone;
}

// DecodeNumber: a plain number placed by what the text has so far and DateStyle.
Err Decoder::decode_number(std::string_view str, bool have_text_month, Mask fmask, Mask& tmask, bool& is2digits) {
  tmask = 0;
  size_t p = 0;
  int val;
  if (!read_int(str, p, val)) return Err::kOverflow;
  if (p == 0) return Err::kBadFormat;
  if (p < str.size() && str[p] == '.') {
    // More than two digits before the point: a date or run-together time (2001.360, 040506.789).
    if (p > 2) return decode_number_field(str, fmask | kDateMask, tmask, is2digits);
    if (Err e = parse_fractional_second(str.substr(p), tm.fsec); e != Err::kNone) return e;
  } else if (p < str.size()) {
    return Err::kBadFormat;
  }
  size_t flen = str.size();
  if (flen == 3 && (fmask & kDateMask) == bit(dtk::kYear) && val >= 1 && val <= 366) {
    tmask = bit(dtk::kDoy) | bit(dtk::kMonth) | bit(dtk::kDay);  // day of year
    tm.yday = val;
    return Err::kNone;
  }
  auto set = [&](int type, int& field) {
    tmask = bit(type);
    field = val;
  };
  switch (fmask & kDateMask) {
    case 0:
      // A year has more than two digits, else the fields come in DateStyle order.
      if (flen >= 3 || ctx_.order == kYMD) set(dtk::kYear, tm.year);
      else if (ctx_.order == kDMY) set(dtk::kDay, tm.mday);
      else set(dtk::kMonth, tm.mon);
      break;
    case bit(dtk::kYear):
      set(dtk::kMonth, tm.mon);
      break;
    case bit(dtk::kMonth):
      // After a month name: MON-DD-YYYY, DD-MON-YYYY, YYYY-MON-DD (and YY-MON-DD in YMD order).
      if (have_text_month && (flen >= 3 || ctx_.order == kYMD)) set(dtk::kYear, tm.year);
      else set(dtk::kDay, tm.mday);
      break;
    case bit(dtk::kYear) | bit(dtk::kMonth):
      if (have_text_month && flen >= 3 && is2digits) {
        // DD-MON-YYYY even in YMD order: the first number was the day after all.
        tmask = bit(dtk::kDay);
        tm.mday = tm.year;
        tm.year = val;
        is2digits = false;
      } else {
        set(dtk::kDay, tm.mday);
      }
      break;
    case bit(dtk::kDay):
      set(dtk::kMonth, tm.mon);
      break;
    case bit(dtk::kMonth) | bit(dtk::kDay):
      set(dtk::kYear, tm.year);
      break;
    case kDateMask:
      return decode_number_field(str, fmask, tmask, is2digits);  // the date is complete: a time
    default:
      return Err::kBadFormat;
  }
  if (tmask == bit(dtk::kYear)) is2digits = flen <= 2;
  return Err::kNone;
}

// DecodeNumberField: run-together digits, "yyyymmdd", "yymmdd", "hhmmss", "hhmm", maybe with a
// fraction of a second.
Err Decoder::decode_number_field(std::string_view str, Mask fmask, Mask& tmask, bool& is2digits) {
  size_t dot = str.find('.');
  if (dot != std::string_view::npos) {
    if (dot + 1 == str.size()) {
      tm.fsec = 0;
    } else {
      std::string frac(str.substr(dot));
      errno = 0;
      double f = std::strtod(frac.c_str(), nullptr);
      if (errno != 0) return Err::kBadFormat;
      tm.fsec = static_cast<int64_t>(std::rint(f * 1000000));
    }
    str = str.substr(0, dot);
  } else if ((fmask & kDateMask) != kDateMask && str.size() >= 6) {
    // Day and month are the last two pairs, the year what comes before.
    size_t len = str.size();
    tmask = kDateMask;
    tm.mday = atoi_prefix(str.substr(len - 2));
    tm.mon = atoi_prefix(str.substr(len - 4, 2));
    tm.year = atoi_prefix(str.substr(0, len - 4));
    if (len - 4 == 2) is2digits = true;
    return Err::kNone;
  }
  if ((fmask & kTimeMask) != kTimeMask) {
    if (str.size() == 6) {
      tmask = kTimeMask;
      tm.sec = atoi_prefix(str.substr(4));
      tm.min = atoi_prefix(str.substr(2, 2));
      tm.hour = atoi_prefix(str.substr(0, 2));
      return Err::kNone;
    }
    if (str.size() == 4) {
      tmask = kTimeMask;
      tm.sec = 0;
      tm.min = atoi_prefix(str.substr(2));
      tm.hour = atoi_prefix(str.substr(0, 2));
      return Err::kNone;
    }
  }
  return Err::kBadFormat;
}

Err Decoder::date_time() {
  Mask fmask = 0, tmask = 0;
  int ptype = 0;  // a unit word ("j", "t", "y") that labels the next field
  int mer = dtk::kHr24;
  bool have_text_month = false, isjulian = false, is2digits = false, bc = false;
  std::shared_ptr<const TimeZone> named_tz;
  const TzAbbrev* dyn_abbrev = nullptr;
  kind = Kind::kDate;
  tm.hour = tm.min = tm.sec = 0;
  tm.fsec = 0;
  tm.isdst = -1;
  tz = 0;
  const size_t nf = fields_.size();
  for (size_t i = 0; i < nf; ++i) {
    const std::string& f = fields_[i].text;
    switch (fields_[i].type) {
      case kDate:
        if (ptype == dtk::kUnitJulian) {
          // A whole Julian day with a zone attached: "J2451187-08".
          size_t p = 0;
          int jday;
          if (!read_int(f, p, jday) || jday < 0) return Err::kOverflow;
          set_date_from_julian(jday);
          isjulian = true;
          if (Err e = decode_timezone(std::string_view(f).substr(p), tz); e != Err::kNone) return e;
          tmask = kDateMask | kTimeMask | kTzMask;
          ptype = 0;
        } else if (ptype != 0 || (fmask & (bit(dtk::kMonth) | bit(dtk::kDay))) == (bit(dtk::kMonth) | bit(dtk::kDay))) {
          // With month and day known this is a zone name ("America/New_York") or a
          // run-together time with a zone ("hhmmss-zz"): "mmm dd hhmmss tz year" is accepted.
          if (is_digit(f[0]) || ptype != 0) {
            if (ptype != 0) {
              if (ptype != dtk::kUnitTime) return Err::kBadFormat;
              ptype = 0;
            }
            if ((fmask & kTimeMask) == kTimeMask) return Err::kBadFormat;
            size_t dash = f.find('-');
            if (dash == std::string::npos) return Err::kBadFormat;
            if (Err e = decode_timezone(std::string_view(f).substr(dash), tz); e != Err::kNone) return e;
            if (Err e = decode_number_field(std::string_view(f).substr(0, dash), fmask, tmask, is2digits); e != Err::kNone)
              return e;
            tmask |= kTzMask;
          } else {
            named_tz = TimeZone::load(f);
            if (!named_tz) raise(sqlstate::kInvalidParameterValue, "time zone \"{}\" not recognized", f);
            tmask = kTzMask;
          }
        } else {
          if (Err e = decode_date(f, fmask, tmask, is2digits); e != Err::kNone) return e;
        }
        break;
      case kTime:
        if (ptype != 0) {  // an ISO time after "t"
          if (ptype != dtk::kUnitTime) return Err::kBadFormat;
          ptype = 0;
        }
        if (Err e = decode_time(f, tmask); e != Err::kNone) return e;
        if (time_overflows(tm.hour, tm.min, tm.sec, tm.fsec)) return Err::kOverflow;
        break;
      case kTz: {
        int west;
        if (Err e = decode_timezone(f, west); e != Err::kNone) return e;
        tz = west;
        tmask = kTzMask;
        break;
      }
      case kNumber:
        if (ptype != 0) {
          // A field labelled by the word before it: "y2001m02d03", "J2451187", "T040506".
          size_t p = 0;
          int value;
          if (!read_int(f, p, value)) return Err::kOverflow;
          bool fraction = p < f.size() && f[p] == '.';
          if (fraction) {
            if (ptype != dtk::kUnitJulian && ptype != dtk::kUnitTime && ptype != dtk::kUnitSecond) return Err::kBadFormat;
          } else if (p < f.size()) {
            return Err::kBadFormat;
          }
          switch (ptype) {
            case dtk::kUnitYear:
              tm.year = value;
              tmask = bit(dtk::kYear);
              break;
            case dtk::kUnitMonth:
              // "m" after a month and an hour is minutes
              if ((fmask & bit(dtk::kMonth)) && (fmask & bit(dtk::kHour))) {
                tm.min = value;
                tmask = bit(dtk::kMinute);
              } else {
                tm.mon = value;
                tmask = bit(dtk::kMonth);
              }
              break;
            case dtk::kUnitDay:
              tm.mday = value;
              tmask = bit(dtk::kDay);
              break;
            case dtk::kUnitHour:
              tm.hour = value;
              tmask = bit(dtk::kHour);
              break;
            case dtk::kUnitMinute:
              tm.min = value;
              tmask = bit(dtk::kMinute);
              break;
            case dtk::kUnitSecond:
              tm.sec = value;
              tmask = bit(dtk::kSecond);
              if (fraction) {
                if (Err e = parse_fractional_second(std::string_view(f).substr(p), tm.fsec); e != Err::kNone) return e;
                tmask = kAllSecsMask;
              }
              break;
            case dtk::kUnitJulian:
              if (value < 0) return Err::kOverflow;
              tmask = kDateMask;
              set_date_from_julian(value);
              isjulian = true;
              if (fraction) {  // a fraction of a Julian day is a time of day
                double day;
                if (Err e = parse_fraction(std::string_view(f).substr(p), day); e != Err::kNone) return e;
                auto t = static_cast<int64_t>(day * static_cast<double>(kUsecPerDay));
                tm.hour = static_cast<int>(t / kUsecPerHour);
                t -= tm.hour * kUsecPerHour;
                tm.min = static_cast<int>(t / kUsecPerMinute);
                t -= tm.min * kUsecPerMinute;
                tm.sec = static_cast<int>(t / kUsecPerSec);
                tm.fsec = t - tm.sec * kUsecPerSec;
                tmask |= kTimeMask;
              }
              break;
            case dtk::kUnitTime:
              if (Err e = decode_number_field(f, fmask | kDateMask, tmask, is2digits); e != Err::kNone) return e;
              if (tmask != kTimeMask) return Err::kBadFormat;
              break;
            default:
              return Err::kBadFormat;
          }
          ptype = 0;
          kind = Kind::kDate;
        } else {
          size_t dot = f.find('.');
          Err e;
          if (dot != std::string::npos && !(fmask & kDateMask)) e = decode_date(f, fmask, tmask, is2digits);
          else if (dot != std::string::npos && dot > 2) e = decode_number_field(f, fmask, tmask, is2digits);
          // Six digits or more are yymmdd / hhmmss unless both a date and a time are known, so a
          // year past 99999 must come last or in ISO form.
          else if (f.size() >= 6 && (!(fmask & kDateMask) || !(fmask & kTimeMask)))
            e = decode_number_field(f, fmask, tmask, is2digits);
          else e = decode_number(f, have_text_month, fmask, tmask, is2digits);
          if (e != Err::kNone) return e;
        }
        break;
      case kString:
      case kSpecial: {
        int val;
        const TzAbbrev* abbrev;
        int type = lookup(f, val, abbrev);
        if (type == dtk::kIgnore) continue;
        tmask = bit(type);
        switch (type) {
          case dtk::kReserved:
            switch (val) {
              case dtk::kNow:
                tmask = kDateMask | kTimeMask | kTzMask;
                kind = Kind::kDate;
                tm = current_time(&tz);
                break;
              case dtk::kYesterday:
              case dtk::kToday:
              case dtk::kTomorrow: {
                tmask = kDateMask;
                kind = Kind::kDate;
                Tm now = current_time(nullptr);
                int delta = val == dtk::kYesterday ? -1 : val == dtk::kTomorrow ? 1 : 0;
                set_date_from_julian(date_to_julian(now.year, now.mon, now.mday) + delta);
                break;
              }
              case dtk::kZulu:
                tmask = kTimeMask | kTzMask;
                kind = Kind::kDate;
                tm.hour = tm.min = tm.sec = 0;
                tz = 0;
                break;
              default:
                // epoch, infinity, -infinity: PostgreSQL 15 ignores any fields after them (but
                // not a date before, which needs a date mask without this bit).
                kind = val == dtk::kEpoch ? Kind::kEpoch : val == dtk::kLate ? Kind::kLate : Kind::kEarly;
            }
            break;
          case dtk::kMonth:
            // A month name after a numeric month: that number was the day.
            if ((fmask & bit(dtk::kMonth)) && !have_text_month && !(fmask & bit(dtk::kDay)) && tm.mon >= 1 &&
                tm.mon <= 31) {
              tm.mday = tm.mon;
              tmask = bit(dtk::kDay);
            }
            have_text_month = true;
            tm.mon = val;
            break;
          case dtk::kDstModifier:  // "MET DST"
            tmask |= bit(dtk::kDstTzAbbrev);
            tm.isdst = 1;
            tz -= val;
            break;
          case dtk::kDstTzAbbrev:
            tmask |= kTzMask;
            tm.isdst = 1;
            tz = -val;
            break;
          case dtk::kTzAbbrev:
            tm.isdst = 0;
            tz = -val;
            break;
          case dtk::kDynTzAbbrev:  // resolved once the date is known
            tmask |= kTzMask;
            dyn_abbrev = abbrev;
            break;
          case dtk::kAmPm:
            mer = val;
            break;
          case dtk::kAdBc:
            bc = val == dtk::kBc;
            break;
          case dtk::kDow:
            tm.wday = val;
            break;
          case dtk::kUnits:
            tmask = 0;
            ptype = val;
            break;
          case dtk::kIsoTime:
            // "t" needs a date before it and a time after it.
            tmask = 0;
            if ((fmask & kDateMask) != kDateMask) return Err::kBadFormat;
            if (i + 1 >= nf || (fields_[i + 1].type != kNumber && fields_[i + 1].type != kTime &&
                                fields_[i + 1].type != kDate))
              return Err::kBadFormat;
            ptype = val;
            break;
          case dtk::kUnknownField:
            named_tz = TimeZone::load(f);  // an all-letters zone name
            if (!named_tz) return Err::kBadFormat;
            tmask = kTzMask;
            break;
          default:
            return Err::kBadFormat;
        }
        break;
      }
    }
    if (tmask & fmask) return Err::kBadFormat;
    fmask |= tmask;
  }
  if (kind != Kind::kDate) return Err::kNone;
  if (Err e = validate_date(fmask, isjulian, is2digits, bc); e != Err::kNone) return e;
  if (mer != dtk::kHr24 && tm.hour > 12) return Err::kOverflow;
  if (mer == dtk::kAm && tm.hour == 12) tm.hour = 0;
  else if (mer == dtk::kPm && tm.hour != 12) tm.hour += 12;
  if ((fmask & kDateMask) != kDateMask) return Err::kBadFormat;  // a time alone is no timestamp
  if (named_tz) {
    if (fmask & bit(dtk::kDstModifier)) return Err::kBadFormat;
    tz = zone_offset_west(tm, named_tz.get());
  }
  if (dyn_abbrev) {
    if (fmask & bit(dtk::kDstModifier)) return Err::kBadFormat;
    tz = abbrev_offset_west(tm, *dyn_abbrev);
  }
  if (!(fmask & kTzMask)) {
    if (fmask & bit(dtk::kDstModifier)) return Err::kBadFormat;  // "DST" without a zone
    tz = zone_offset_west(tm, ctx_.tz);
  }
  return Err::kNone;
}

Err Decoder::time_only() {
  Mask fmask = 0, tmask = 0;
  int ptype = 0;
  int mer = dtk::kHr24;
  bool isjulian = false, is2digits = false, bc = false;
  std::shared_ptr<const TimeZone> named_tz;
  const TzAbbrev* dyn_abbrev = nullptr;
  kind = Kind::kTime;
  tm.hour = tm.min = tm.sec = 0;
  tm.fsec = 0;
  tm.isdst = -1;
  tz = 0;
  const size_t nf = fields_.size();
  for (size_t i = 0; i < nf; ++i) {
    const std::string& f = fields_[i].text;
    switch (fields_[i].type) {
      case kDate:
        // A date only as the first of several fields, before a time or with a zone name last.
        if (i == 0 && nf >= 2 && (fields_[nf - 1].type == kDate || fields_[1].type == kTime)) {
          if (Err e = decode_date(f, fmask, tmask, is2digits); e != Err::kNone) return e;
        } else if (is_digit(f[0])) {
          // "hhmmss-zz"
          if ((fmask & kTimeMask) == kTimeMask) return Err::kBadFormat;
          size_t dash = f.find('-');
          if (dash == std::string::npos) return Err::kBadFormat;
          if (Err e = decode_timezone(std::string_view(f).substr(dash), tz); e != Err::kNone) return e;
          if (Err e = decode_number_field(std::string_view(f).substr(0, dash), fmask | kDateMask, tmask, is2digits);
              e != Err::kNone)
            return e;
          tmask |= kTzMask;
        } else {
          named_tz = TimeZone::load(f);
          if (!named_tz) raise(sqlstate::kInvalidParameterValue, "time zone \"{}\" not recognized", f);
          tmask = kTzMask;
        }
        break;
      case kTime:
        if (ptype != 0) {
          if (ptype != dtk::kUnitTime) return Err::kBadFormat;
          ptype = 0;
        }
        if (Err e = decode_time(f, tmask); e != Err::kNone) return e;
        break;
      case kTz: {
        int west;
        if (Err e = decode_timezone(f, west); e != Err::kNone) return e;
        tz = west;
        tmask = kTzMask;
        break;
      }
      case kNumber:
        if (ptype != 0) {
          size_t p = 0;
          int value;
          if (!read_int(f, p, value)) return Err::kOverflow;
          bool fraction = p < f.size() && f[p] == '.';
          if (fraction) {
            if (ptype != dtk::kUnitJulian && ptype != dtk::kUnitTime && ptype != dtk::kUnitSecond) return Err::kBadFormat;
          } else if (p < f.size()) {
            return Err::kBadFormat;
          }
          switch (ptype) {
            case dtk::kUnitYear:
              tm.year = value;
              tmask = bit(dtk::kYear);
              break;
            case dtk::kUnitMonth:
              if ((fmask & bit(dtk::kMonth)) && (fmask & bit(dtk::kHour))) {
                tm.min = value;
                tmask = bit(dtk::kMinute);
              } else {
                tm.mon = value;
                tmask = bit(dtk::kMonth);
              }
              break;
            case dtk::kUnitDay:
              tm.mday = value;
              tmask = bit(dtk::kDay);
              break;
            case dtk::kUnitHour:
              tm.hour = value;
              tmask = bit(dtk::kHour);
              break;
            case dtk::kUnitMinute:
              tm.min = value;
              tmask = bit(dtk::kMinute);
              break;
            case dtk::kUnitSecond:
              tm.sec = value;
              tmask = bit(dtk::kSecond);
              if (fraction) {
                if (Err e = parse_fractional_second(std::string_view(f).substr(p), tm.fsec); e != Err::kNone) return e;
                tmask = kAllSecsMask;
              }
              break;
            case dtk::kUnitJulian:
              if (value < 0) return Err::kOverflow;
              tmask = kDateMask;
              set_date_from_julian(value);
              isjulian = true;
              if (fraction) {
                double day;
                if (Err e = parse_fraction(std::string_view(f).substr(p), day); e != Err::kNone) return e;
                auto t = static_cast<int64_t>(day * static_cast<double>(kUsecPerDay));
                tm.hour = static_cast<int>(t / kUsecPerHour);
                t -= tm.hour * kUsecPerHour;
                tm.min = static_cast<int>(t / kUsecPerMinute);
                t -= tm.min * kUsecPerMinute;
                tm.sec = static_cast<int>(t / kUsecPerSec);
                tm.fsec = t - tm.sec * kUsecPerSec;
                tmask |= kTimeMask;
              }
              break;
            case dtk::kUnitTime:
              if (Err e = decode_number_field(f, fmask | kDateMask, tmask, is2digits); e != Err::kNone) return e;
              if (tmask != kTimeMask) return Err::kBadFormat;
              break;
            default:
              return Err::kBadFormat;
          }
          ptype = 0;
          kind = Kind::kDate;
        } else {
          size_t dot = f.find('.');
          Err e;
          if (dot != std::string::npos) {
            // A date only as the first field of several with a zone name last.
            if (i == 0 && nf >= 2 && fields_[nf - 1].type == kDate) e = decode_date(f, fmask, tmask, is2digits);
            else if (dot > 2) e = decode_number_field(f, fmask | kDateMask, tmask, is2digits);
            else e = Err::kBadFormat;
          } else if (f.size() > 4) {
            e = decode_number_field(f, fmask | kDateMask, tmask, is2digits);
          } else {
            e = decode_number(f, false, fmask | kDateMask, tmask, is2digits);
          }
          if (e != Err::kNone) return e;
        }
        break;
      case kString:
      case kSpecial: {
        int val;
        const TzAbbrev* abbrev;
        int type = lookup(f, val, abbrev);
        if (type == dtk::kIgnore) continue;
        tmask = bit(type);
        switch (type) {
          case dtk::kReserved:
            if (val == dtk::kNow) {
              tmask = kTimeMask;
              kind = Kind::kTime;
              Tm now = current_time(nullptr);
              tm.hour = now.hour;
              tm.min = now.min;
              tm.sec = now.sec;
              tm.fsec = now.fsec;
            } else if (val == dtk::kZulu) {
              tmask = kTimeMask | kTzMask;
              kind = Kind::kTime;
              tm.hour = tm.min = tm.sec = 0;
              tm.isdst = 0;
            } else {
              return Err::kBadFormat;
            }
            break;
          case dtk::kDstModifier:
            tmask |= bit(dtk::kDstTzAbbrev);
            tm.isdst = 1;
            tz -= val;
            break;
          case dtk::kDstTzAbbrev:
            tmask |= kTzMask;
            tm.isdst = 1;
            tz = -val;
            break;
          case dtk::kTzAbbrev:
            tm.isdst = 0;
            tz = -val;
            break;
          case dtk::kDynTzAbbrev:
            tmask |= kTzMask;
            dyn_abbrev = abbrev;
            break;
          case dtk::kAmPm:
            mer = val;
            break;
          case dtk::kAdBc:
            bc = val == dtk::kBc;
            break;
          case dtk::kUnits:
            tmask = 0;
            ptype = val;
            break;
          case dtk::kIsoTime:
            tmask = 0;
            if (i + 1 >= nf || (fields_[i + 1].type != kNumber && fields_[i + 1].type != kTime &&
                                fields_[i + 1].type != kDate))
              return Err::kBadFormat;
            ptype = val;
            break;
          case dtk::kUnknownField:
            named_tz = TimeZone::load(f);
            if (!named_tz) return Err::kBadFormat;
            tmask = kTzMask;
            break;
          default:
            return Err::kBadFormat;
        }
        break;
      }
    }
    if (tmask & fmask) return Err::kBadFormat;
    fmask |= tmask;
  }
  if (Err e = validate_date(fmask, isjulian, is2digits, bc); e != Err::kNone) return e;
  if (mer != dtk::kHr24 && tm.hour > 12) return Err::kOverflow;
  if (mer == dtk::kAm && tm.hour == 12) tm.hour = 0;
  else if (mer == dtk::kPm && tm.hour != 12) tm.hour += 12;
  if (time_overflows(tm.hour, tm.min, tm.sec, tm.fsec)) return Err::kOverflow;
  if ((fmask & kTimeMask) != kTimeMask) return Err::kBadFormat;
  // A zone whose offset changes needs a date to say which offset.
  if (named_tz) {
    if (fmask & bit(dtk::kDstModifier)) return Err::kBadFormat;
    int east;
    if (named_tz->fixed_offset(east)) {
      tz = -east;
    } else {
      if ((fmask & kDateMask) != kDateMask) return Err::kBadFormat;
      tz = zone_offset_west(tm, named_tz.get());
    }
  }
  auto probe = [&]() {  // the date to resolve an offset at: the one given, else today
    Tm t = tm;
    if ((fmask & kDateMask) == 0) {
      Tm now = current_time(nullptr);
      t.year = now.year;
      t.mon = now.mon;
      t.mday = now.mday;
    }
    return t;
  };
  if (dyn_abbrev) {
    if (fmask & bit(dtk::kDstModifier)) return Err::kBadFormat;
    if ((fmask & kDateMask) != 0 && (fmask & kDateMask) != kDateMask) return Err::kBadFormat;
    tz = abbrev_offset_west(probe(), *dyn_abbrev);
  }
  if (!(fmask & kTzMask)) {
    if (fmask & bit(dtk::kDstModifier)) return Err::kBadFormat;
    if ((fmask & kDateMask) != 0 && (fmask & kDateMask) != kDateMask) return Err::kBadFormat;
    tz = zone_offset_west(probe(), ctx_.tz);
  }
  return Err::kNone;
}

// tm2timestamp: false when out of range. `west` (nullptr: none) is the zone to convert from.
bool tm_to_timestamp(const Tm& tm, const int* west, int64_t& out) {
  if (!valid_julian(tm.year, tm.mon)) return false;
  int64_t date = date_to_julian(tm.year, tm.mon, tm.mday) - kPostgresEpochJdate;
  int64_t time = ((int64_t{tm.hour} * 60 + tm.min) * 60 + tm.sec) * kUsecPerSec + tm.fsec;
  int64_t result;
  if (__builtin_mul_overflow(date, kUsecPerDay, &result) || __builtin_add_overflow(result, time, &result)) return false;
  // Just-barely overflow where the time of day wraps (1999-12-31 24:00:00 is fine).
  if ((result < 0 && date > 0) || (result > 0 && date < -1)) return false;
  if (west && __builtin_add_overflow(result, int64_t{*west} * kUsecPerSec, &result)) return false;
  if (result < kMinTimestamp || result >= kEndTimestamp) return false;
  out = result;
  return true;
}

struct Parsed {
  Tm tm;
  int tz;
  Kind kind;
};

Parsed decode(std::string_view text, const Context& ctx, const char* type, bool time_only) {
  std::vector<Field> fields;
  Err e = split_fields(text, kDateBufLen, fields);
  Decoder d(ctx, fields);
  if (e == Err::kNone) e = time_only ? d.time_only() : d.date_time();
  if (e != Err::kNone) raise_parse_error(e, text, type);
  return {d.tm, d.tz, d.kind};
}

// "YYYY-MM-DD HH:MM:SS[.ffffff][+HH[:MM]]", the form pg_dump and most clients send, read without
// the general decoder; false for anything else (or out of range), which the decoder then reads.
bool read_iso_timestamp(std::string_view s, int64_t& local, bool& have_offset, int& offset) {
  auto num = [&](size_t at, size_t n, int& out) {
    if (at + n > s.size()) return false;
    int v = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      v = v * 10 + (s[i] - '0');
    }
    out = v;
    return true;
  };
  int y, mo, d, h, mi, sec;
  if (s.size() < 19 || !num(0, 4, y) || s[4] != '-' || !num(5, 2, mo) || s[7] != '-' || !num(8, 2, d) || s[10] != ' ' ||
      !num(11, 2, h) || s[13] != ':' || !num(14, 2, mi) || s[16] != ':' || !num(17, 2, sec))
    return false;
  size_t p = 19;
  int64_t frac = 0;
  if (p < s.size() && s[p] == '.') {
    size_t digits = 0;
    for (++p; p < s.size() && s[p] >= '0' && s[p] <= '9'; ++p, ++digits) frac = frac * 10 + (s[p] - '0');
    if (digits == 0 || digits > 6) return false;
    for (; digits < 6; ++digits) frac *= 10;
  }
  have_offset = false;
  offset = 0;
  if (p < s.size()) {
    if (s[p] != '+' && s[p] != '-') return false;
    int oh, om = 0;
    if (!num(p + 1, 2, oh)) return false;
    size_t e = p + 3;
    if (e < s.size() && s[e] == ':') {
      if (!num(e + 1, 2, om)) return false;
      e += 3;
    }
    if (e != s.size() || oh > 15 || om > 59) return false;
    offset = (s[p] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
    have_offset = true;
  }
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > kDays[mo - 1] + (mo == 2 && leap) || h > 23 || mi > 59 || sec > 59)
    return false;
  local = (date_to_julian(y, mo, d) - kPostgresEpochJdate) * kUsecPerDay + ((h * 60LL + mi) * 60 + sec) * kUsecPerSec + frac;
  return true;
}

int64_t time_of(const Tm& tm) { return ((int64_t{tm.hour} * 60 + tm.min) * 60 + tm.sec) * kUsecPerSec + tm.fsec; }

}  // namespace

int64_t parse_date(std::string_view text, const Context& ctx) {
  Parsed p = decode(text, ctx, "date", false);
  switch (p.kind) {
    case Kind::kDate: break;
    case Kind::kEpoch:
      p.tm.year = 1970;
      p.tm.mon = p.tm.mday = 1;
      break;
    case Kind::kLate: return kDatePosInf;
    case Kind::kEarly: return kDateNegInf;
    default: raise_parse_error(Err::kBadFormat, text, "date");
  }
  if (!valid_julian(p.tm.year, p.tm.mon)) raise(sqlstate::kDatetimeValueOutOfRange, "date out of range: \"{}\"", text);
  int64_t date = date_to_julian(p.tm.year, p.tm.mon, p.tm.mday) - kPostgresEpochJdate;
  if (date < -kPostgresEpochJdate || date >= kDateEndJulian - kPostgresEpochJdate)
    raise(sqlstate::kDatetimeValueOutOfRange, "date out of range: \"{}\"", text);
  return date;
}

int64_t parse_time(std::string_view text, const Context& ctx) { return time_of(decode(text, ctx, "time", true).tm); }

int64_t parse_timetz(std::string_view text, const Context& ctx, int& zone_west) {
  Parsed p = decode(text, ctx, "time with time zone", true);
  zone_west = p.tz;
  return time_of(p.tm);
}

int64_t parse_timestamp(std::string_view text, const Context& ctx, bool with_tz) {
  {
    int64_t local;
    bool have_offset;
    int offset;
    if (read_iso_timestamp(text, local, have_offset, offset) && (with_tz || !have_offset)) {
      if (!with_tz) return local;
      return have_offset ? local - static_cast<int64_t>(offset) * kUsecPerSec : local_to_timestamptz(local, ctx);
    }
  }
  Parsed p = decode(text, ctx, with_tz ? "timestamp with time zone" : "timestamp", false);
  switch (p.kind) {
    case Kind::kDate: {
      int64_t ts;
      if (!tm_to_timestamp(p.tm, with_tz ? &p.tz : nullptr, ts))
        raise(sqlstate::kDatetimeValueOutOfRange, "timestamp out of range: \"{}\"", text);
      return ts;
    }
    case Kind::kEpoch: return (kUnixEpochJdate - kPostgresEpochJdate) * kUsecPerDay;
    case Kind::kLate: return kTsPosInf;
    case Kind::kEarly: return kTsNegInf;
    default: raise_parse_error(Err::kBadFormat, text, with_tz ? "timestamp with time zone" : "timestamp");
  }
}

// parse_sane_timezone (make_timestamptz's zone): a numeric zone in ISO sign ("+2", "-03:30"),
// else an abbreviation, else a zone name, resolved at the wall-clock time given.
int zone_offset_at_local(std::string_view name, int64_t local) {
  if (!name.empty() && is_digit(name[0]))
    throw Error(sqlstate::kInvalidParameterValue,
                fmt::format("invalid input syntax for type numeric time zone: \"{}\"", name))
        .with_hint("Numeric time zones must have \"-\" or \"+\" as first character.");
  int west;
  Err e = decode_timezone(name, west);
  if (e == Err::kNone) return -west;
  if (e == Err::kTzDispOverflow) raise(sqlstate::kInvalidParameterValue, "numeric time zone \"{}\" out of range", name);
  std::string lower(name.substr(0, 63));
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  int64_t local_secs = unix_seconds(local);
  if (const TzAbbrev* a = find_tz_abbrev(std::string_view(lower).substr(0, 10))) return abbrev_offset_for_local(*a, local_secs);
  auto zone = TimeZone::load(name);
  if (!zone) raise(sqlstate::kInvalidParameterValue, "time zone \"{}\" not recognized", name);
  int64_t date = timestamp_to_date(local);
  int y, m, d;
  julian_to_date(date + kPostgresEpochJdate, y, m, d);
  if (!valid_julian(y, m)) return 0;
  return zone->offset_for_local(local_secs);
}

}  // namespace heliosdb::datetime
