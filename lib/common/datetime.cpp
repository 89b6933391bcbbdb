// Date/time input, output and arithmetic, following PostgreSQL's datetime.c, timestamp.c and
// date.c (same algorithms for Julian days, field decoding, output styles and interval math).
#include "common/datetime.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "common/errors.h"
#include "common/numeric.h"
#include "common/timezone.h"

namespace heliosdb::datetime {

namespace {

constexpr int64_t kUsecPerSec = 1000000;
constexpr int64_t kUsecPerHour = 3600 * kUsecPerSec;
constexpr int64_t kUnixEpochJdate = 2440588;
// Julian-day bounds of timestamps: 4714-11-24 BC .. 294276 AD (PostgreSQL's TIMESTAMP_END_JULIAN).
constexpr int64_t kTimestampEndJulian = 109203528;
constexpr int64_t kDateEndJulian = 2147483494;

const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
const char* const kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

struct Tm {
  int year = 2000, mon = 1, mday = 1, hour = 0, min = 0, sec = 0;
  int64_t fsec = 0;  // microseconds
};

bool is_leap(int y) { return (y % 4 == 0) && ((y % 100 != 0) || (y % 400 == 0)); }
int days_in_month(int y, int m) {
  static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return d[m - 1] + (m == 2 && is_leap(y));
}

// Splits µs since 2000-01-01 into calendar fields.
void ts_to_tm(int64_t ts, Tm& tm) {
  int64_t date = ts / kUsecPerDay;
  int64_t time = ts % kUsecPerDay;
  if (time < 0) {
    time += kUsecPerDay;
    date -= 1;
  }
  julian_to_date(date + kPostgresEpochJdate, tm.year, tm.mon, tm.mday);
  tm.hour = static_cast<int>(time / kUsecPerHour);
  time -= tm.hour * kUsecPerHour;
  tm.min = static_cast<int>(time / (60 * kUsecPerSec));
  time -= tm.min * 60 * kUsecPerSec;
  tm.sec = static_cast<int>(time / kUsecPerSec);
  tm.fsec = time - tm.sec * kUsecPerSec;
}

bool tm_to_ts(const Tm& tm, int64_t& out) {
  int64_t jd = date_to_julian(tm.year, tm.mon, tm.mday);
  if (jd < 0 || jd >= kTimestampEndJulian) return false;
  int64_t date = jd - kPostgresEpochJdate;
  int64_t time = ((tm.hour * 60LL + tm.min) * 60 + tm.sec) * kUsecPerSec + tm.fsec;
  out = date * kUsecPerDay + time;
  return true;
}

void append_2(std::string& s, int v) {
  s.push_back(static_cast<char>('0' + (v / 10) % 10));
  s.push_back(static_cast<char>('0' + v % 10));
}

// Years are printed at least 4 digits wide; BC years as positive with a " BC" suffix.
std::string year_text(int year) {
  int y = year > 0 ? year : -(year - 1);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d", y);
  return buf;
}

// Seconds with the fraction trimmed of trailing zeros (PostgreSQL's AppendSeconds).
void append_seconds(std::string& s, int sec, int64_t fsec) {
  append_2(s, sec < 0 ? -sec : sec);
  if (fsec != 0) {
    int64_t f = fsec < 0 ? -fsec : fsec;
    char buf[32];
    std::snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>(f % 1000000));
    std::string frac(buf);
    while (frac.back() == '0') frac.pop_back();
    s += frac;
  }
}

// "+05", "-08", "+05:30", "+00:19:32" for an offset in seconds east of UTC.
void append_offset(std::string& s, int offset) {
  int a = offset < 0 ? -offset : offset;
  s.push_back(offset < 0 ? '-' : '+');
  append_2(s, a / 3600);
  int mins = (a / 60) % 60, secs = a % 60;
  if (mins || secs) {
    s.push_back(':');
    append_2(s, mins);
  }
  if (secs) {
    s.push_back(':');
    append_2(s, secs);
  }
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

// ---- calendar --------------------------------------------------------------------------------

int64_t date_to_julian(int y, int m, int d) {
  int64_t year = y, month = m;
  if (month > 2) {
    month += 1;
    year += 4800;
  } else {
    month += 13;
    year += 4799;
  }
  int64_t century = year / 100;
  int64_t julian = year * 365 - 32167;
  julian += year / 4 - century + century / 4;
  julian += 7834 * month / 256 + d;
  return julian;
}

void julian_to_date(int64_t jd, int& year, int& month, int& day) {
  uint64_t julian = static_cast<uint64_t>(jd) + 32044;
  uint64_t quad = julian / 146097;
  uint64_t extra = (julian - quad * 146097) * 4 + 3;
  julian += 60 + quad * 3 + extra / 146097;
  quad = julian / 1461;
  julian -= quad * 1461;
  int64_t y = static_cast<int64_t>(julian * 4 / 1461);
  julian = ((y != 0) ? ((julian + 305) % 365) : ((julian + 306) % 366)) + 123;
  y += static_cast<int64_t>(quad * 4);
  year = static_cast<int>(y - 4800);
  quad = julian * 2141 / 65536;
  day = static_cast<int>(julian - 7834 * quad / 256);
  month = static_cast<int>((quad + 10) % 12 + 1);
}

int64_t round_micros(int64_t micros, int precision) {
  if (precision < 0 || precision >= 6 || micros == kTsPosInf || micros == kTsNegInf) return micros;
  static const int64_t scale[] = {1000000, 100000, 10000, 1000, 100, 10};
  int64_t s = scale[precision];
  // PostgreSQL rounds half away from zero here.
  if (micros >= 0) return (micros + s / 2) / s * s;
  return -((-micros + s / 2) / s * s);
}

// ---- zones -----------------------------------------------------------------------------------

int64_t timestamptz_to_local(int64_t ts, const Context& ctx) {
  if (ts == kTsPosInf || ts == kTsNegInf || !ctx.tz) return ts;
  int64_t unix_secs = unix_seconds(ts);
  return ts + static_cast<int64_t>(ctx.tz->at_utc(unix_secs).offset) * kUsecPerSec;
}

int64_t local_to_timestamptz(int64_t local, const Context& ctx) {
  if (local == kTsPosInf || local == kTsNegInf || !ctx.tz) return local;
  int64_t unix_secs = unix_seconds(local);
  return local - static_cast<int64_t>(ctx.tz->offset_for_local(unix_secs)) * kUsecPerSec;
}

int64_t date_to_timestamp(int64_t date) {
  if (date == kDatePosInf) return kTsPosInf;
  if (date == kDateNegInf) return kTsNegInf;
  if (date + kPostgresEpochJdate >= kTimestampEndJulian) raise(sqlstate::kDatetimeFieldOverflow, "date out of range for timestamp");
  return date * kUsecPerDay;
}

int64_t timestamp_to_date(int64_t ts) {
  if (ts == kTsPosInf) return kDatePosInf;
  if (ts == kTsNegInf) return kDateNegInf;
  int64_t d = ts / kUsecPerDay;
  if (ts % kUsecPerDay < 0) --d;
  return d;
}

// ---- output ----------------------------------------------------------------------------------

std::string format_date(int64_t date, const Context& ctx) {
  if (date == kDatePosInf) return "infinity";
  if (date == kDateNegInf) return "-infinity";
  int y, m, d;
  julian_to_date(date + kPostgresEpochJdate, y, m, d);
  std::string s;
  switch (ctx.style) {
    case kISO:
      s = year_text(y) + "-";
      append_2(s, m);
      s += "-";
      append_2(s, d);
      break;
    case kSQL:
      if (ctx.order == kDMY) { append_2(s, d); s += "/"; append_2(s, m); }
      else { append_2(s, m); s += "/"; append_2(s, d); }
      s += "/" + year_text(y);
      break;
    case kGerman:
      append_2(s, d);
      s += ".";
      append_2(s, m);
      s += "." + year_text(y);
      break;
    default:  // Postgres
      if (ctx.order == kDMY) { append_2(s, d); s += "-"; append_2(s, m); }
      else { append_2(s, m); s += "-"; append_2(s, d); }
      s += "-" + year_text(y);
  }
  if (y <= 0) s += " BC";
  return s;
}

std::string format_time(int64_t micros) {
  std::string s;
  int64_t h = micros / kUsecPerHour;
  micros -= h * kUsecPerHour;
  int64_t m = micros / (60 * kUsecPerSec);
  micros -= m * 60 * kUsecPerSec;
  int sec = static_cast<int>(micros / kUsecPerSec);
  append_2(s, static_cast<int>(h));
  s += ":";
  append_2(s, static_cast<int>(m));
  s += ":";
  append_seconds(s, sec, micros - sec * kUsecPerSec);
  return s;
}

std::string format_timestamp(int64_t ts, const Context& ctx, bool with_tz) {
  if (ts == kTsPosInf) return "infinity";
  if (ts == kTsNegInf) return "-infinity";
  int64_t local = ts;
  TimeZone::Local zone{0, false, "UTC"};
  if (with_tz) {
    if (ctx.tz) {
      int64_t unix_secs = unix_seconds(ts);
      zone = ctx.tz->at_utc(unix_secs);
    }
    local = ts + static_cast<int64_t>(zone.offset) * kUsecPerSec;
  }
  Tm tm;
  ts_to_tm(local, tm);
  std::string s;
  std::string time;
  append_2(time, tm.hour);
  time += ":";
  append_2(time, tm.min);
  time += ":";
  append_seconds(time, tm.sec, tm.fsec);
  auto zone_suffix = [&](bool abbrev) {
    if (!with_tz) return;
    if (abbrev && !zone.abbrev.empty() && !(std::isdigit(static_cast<unsigned char>(zone.abbrev[0])) || zone.abbrev[0] == '+' || zone.abbrev[0] == '-')) {
      s += " " + zone.abbrev;
    } else {
      if (abbrev) s += " ";
      append_offset(s, zone.offset);
    }
  };
  switch (ctx.style) {
    case kISO:
      s = year_text(tm.year) + "-";
      append_2(s, tm.mon);
      s += "-";
      append_2(s, tm.mday);
      s += " " + time;
      zone_suffix(false);
      break;
    case kSQL:
      if (ctx.order == kDMY) { append_2(s, tm.mday); s += "/"; append_2(s, tm.mon); }
      else { append_2(s, tm.mon); s += "/"; append_2(s, tm.mday); }
      s += "/" + year_text(tm.year) + " " + time;
      zone_suffix(true);
      break;
    case kGerman:
      append_2(s, tm.mday);
      s += ".";
      append_2(s, tm.mon);
      s += "." + year_text(tm.year) + " " + time;
      zone_suffix(true);
      break;
    default: {  // Postgres: "Sat Feb 03 04:05:06 2001 PST"
      int64_t jd = date_to_julian(tm.year, tm.mon, tm.mday);
      s = kDays[(jd + 1) % 7];
      s += " ";
      if (ctx.order == kDMY) {
        append_2(s, tm.mday);
        s += std::string(" ") + kMonths[tm.mon - 1];
      } else {
        s += kMonths[tm.mon - 1];
        s += " ";
        append_2(s, tm.mday);
      }
      s += " " + time + " " + year_text(tm.year);
      zone_suffix(true);
    }
  }
  if (tm.year <= 0) s += " BC";
  return s;
}

std::string format_interval(const Interval& iv, int style) {
  int64_t year = iv.months / 12, mon = iv.months % 12, mday = iv.days;
  int64_t t = iv.micros;
  int64_t hour = t / kUsecPerHour;
  t -= hour * kUsecPerHour;
  int64_t min = t / (60 * kUsecPerSec);
  t -= min * 60 * kUsecPerSec;
  int64_t sec = t / kUsecPerSec;
  int64_t fsec = t - sec * kUsecPerSec;
  auto abs64 = [](int64_t v) { return v < 0 ? -v : v; };
  auto seconds = [&](std::string& s, bool fill) {  // AppendSeconds
    if (fill) append_seconds(s, static_cast<int>(abs64(sec)), fsec);
    else {
      s += std::to_string(abs64(sec));
      std::string two;
      append_seconds(two, 0, fsec);
      s += two.substr(2);  // the fraction, if any
    }
  };
  std::string s;
  bool is_zero = true, is_before = false;
  switch (style) {
    case kIntervalSqlStandard: {
      bool has_negative = year < 0 || mon < 0 || mday < 0 || hour < 0 || min < 0 || sec < 0 || fsec < 0;
      bool has_positive = year > 0 || mon > 0 || mday > 0 || hour > 0 || min > 0 || sec > 0 || fsec > 0;
      bool has_year_month = year != 0 || mon != 0;
      bool has_day_time = mday != 0 || hour != 0 || min != 0 || sec != 0 || fsec != 0;
      bool standard = !(has_negative && has_positive) && !(has_year_month && has_day_time);
      if (has_negative && standard) {  // one sign before the whole value
        s += "-";
        year = -year, mon = -mon, mday = -mday, hour = -hour, min = -min, sec = -sec, fsec = -fsec;
      }
      if (!has_negative && !has_positive) {
        s += "0";
      } else if (!standard) {  // signs on every part, as mixed signs need
        char ys = year < 0 || mon < 0 ? '-' : '+', ds = mday < 0 ? '-' : '+';
        char ts = hour < 0 || min < 0 || sec < 0 || fsec < 0 ? '-' : '+';
        s += fmt::format("{}{}-{} {}{} {}{}:{:02}:", ys, abs64(year), abs64(mon), ds, abs64(mday), ts, abs64(hour), abs64(min));
        seconds(s, true);
      } else if (has_year_month) {
        s += fmt::format("{}-{}", year, mon);
      } else if (mday != 0) {
        s += fmt::format("{} {}:{:02}:", mday, hour, min);
        seconds(s, true);
      } else {
        s += fmt::format("{}:{:02}:", hour, min);
        seconds(s, true);
      }
      return s;
    }
    case kIntervalIso8601: {
      if (year == 0 && mon == 0 && mday == 0 && hour == 0 && min == 0 && sec == 0 && fsec == 0) return "PT0S";
      s += "P";
      auto part = [&](int64_t v, char unit) {
        if (v != 0) s += std::to_string(v) + unit;
      };
      part(year, 'Y');
      part(mon, 'M');
      part(mday, 'D');
      if (hour != 0 || min != 0 || sec != 0 || fsec != 0) s += "T";
      part(hour, 'H');
      part(min, 'M');
      if (sec != 0 || fsec != 0) {
        if (sec < 0 || fsec < 0) s += "-";
        seconds(s, false);
        s += "S";
      }
      return s;
    }
    case kIntervalPostgresVerbose: {
      s += "@";
      auto part = [&](int64_t v, const char* unit) {
        if (v == 0) return;
        if (is_zero) {  // the first nonzero part decides "ago"
          is_before = v < 0;
          v = abs64(v);
        } else if (is_before) {
          v = -v;
        }
        s += fmt::format(" {} {}{}", v, unit, v == 1 ? "" : "s");
        is_zero = false;
      };
      part(year, "year");
      part(mon, "mon");
      part(mday, "day");
      part(hour, "hour");
      part(min, "min");
      if (sec != 0 || fsec != 0) {
        s += " ";
        if (sec < 0 || (sec == 0 && fsec < 0)) {
          if (is_zero) is_before = true;
          else if (!is_before) s += "-";
        } else if (is_before) {
          s += "-";
        }
        seconds(s, false);
        s += abs64(sec) != 1 || fsec != 0 ? " secs" : " sec";
        is_zero = false;
      }
      if (is_zero) s += " 0";
      if (is_before) s += " ago";
      return s;
    }
    default:
      break;
  }
  auto part = [&](int64_t value, const char* unit) {
    if (value == 0) return;
    if (!is_zero) s += " ";
    if (is_before && value > 0) s += "+";
    s += std::to_string(value) + " " + unit + (value != 1 ? "s" : "");
    is_before = value < 0;
    is_zero = false;
  };
  part(year, "year");
  part(mon, "mon");
  part(mday, "day");
  if (is_zero || hour != 0 || min != 0 || sec != 0 || fsec != 0) {
    bool minus = hour < 0 || min < 0 || sec < 0 || fsec < 0;
    if (!is_zero) s += " ";
    s += minus ? "-" : (is_before ? "+" : "");
    s += fmt::format("{:02}:{:02}:", abs64(hour), abs64(min));
    seconds(s, true);
  }
  return s;
}

// ---- arithmetic ------------------------------------------------------------------------------

int64_t timestamp_add_interval(int64_t ts, const Interval& iv, const Context* tz_ctx) {
  if (ts == kTsPosInf || ts == kTsNegInf) return ts;
  int64_t t = ts;
  if (iv.months != 0 || iv.days != 0) {
    // Month and day steps happen in local time (for timestamptz, in the session zone).
    int64_t local = tz_ctx ? timestamptz_to_local(t, *tz_ctx) : t;
    Tm tm;
    ts_to_tm(local, tm);
    if (iv.months != 0) {
      int64_t m = static_cast<int64_t>(tm.year) * 12 + (tm.mon - 1) + iv.months;
      tm.year = static_cast<int>(m >= 0 ? m / 12 : -((-m + 11) / 12));
      tm.mon = static_cast<int>(m - static_cast<int64_t>(tm.year) * 12) + 1;
      tm.mday = std::min(tm.mday, days_in_month(tm.year, tm.mon));
    }
    int64_t lt;
    if (!tm_to_ts(tm, lt)) raise(sqlstate::kDatetimeFieldOverflow, "timestamp out of range");
    if (iv.days != 0) {
      int64_t jd = date_to_julian(tm.year, tm.mon, tm.mday) + iv.days;
      if (jd < 0 || jd >= kTimestampEndJulian) raise(sqlstate::kDatetimeFieldOverflow, "timestamp out of range");
      lt += static_cast<int64_t>(iv.days) * kUsecPerDay;
    }
    t = tz_ctx ? local_to_timestamptz(lt, *tz_ctx) : lt;
  }
  __int128 r = static_cast<__int128>(t) + iv.micros;
  int64_t min_ts = -(kPostgresEpochJdate) * kUsecPerDay;
  int64_t max_ts = (kTimestampEndJulian - kPostgresEpochJdate) * kUsecPerDay;
  if (r < min_ts || r >= max_ts) raise(sqlstate::kDatetimeFieldOverflow, "timestamp out of range");
  return static_cast<int64_t>(r);
}

Interval timestamp_diff(int64_t a, int64_t b) {
  if (a == kTsPosInf || a == kTsNegInf || b == kTsPosInf || b == kTsNegInf)
    raise(sqlstate::kDatetimeFieldOverflow, "cannot subtract infinite timestamps");
  __int128 d = static_cast<__int128>(a) - b;
  if (d > INT64_MAX || d < INT64_MIN) raise(sqlstate::kDatetimeFieldOverflow, "interval out of range");
  // PostgreSQL's timestamp_mi: whole days moved to the day field (justify_hours).
  return justify_hours(Interval{0, 0, static_cast<int64_t>(d)});
}

Interval interval_add(const Interval& a, const Interval& b) {
  int64_t m = static_cast<int64_t>(a.months) + b.months, d = static_cast<int64_t>(a.days) + b.days;
  __int128 us = static_cast<__int128>(a.micros) + b.micros;
  if (m > INT32_MAX || m < INT32_MIN || d > INT32_MAX || d < INT32_MIN || us > INT64_MAX || us < INT64_MIN)
    raise(sqlstate::kDatetimeFieldOverflow, "interval out of range");
  return {static_cast<int32_t>(m), static_cast<int32_t>(d), static_cast<int64_t>(us)};
}

Interval interval_neg(const Interval& a) {
  if (a.months == INT32_MIN || a.days == INT32_MIN || a.micros == INT64_MIN)
    raise(sqlstate::kDatetimeFieldOverflow, "interval out of range");
  return {-a.months, -a.days, -a.micros};
}

Interval interval_sub(const Interval& a, const Interval& b) { return interval_add(a, interval_neg(b)); }

// interval_mul: fractional months spill into days (30 per month), fractional days into time.
Interval interval_mul(const Interval& a, double factor) {
  if (std::isnan(factor)) raise(sqlstate::kDatetimeFieldOverflow, "interval out of range");
  double months = a.months * factor;
  double days = a.days * factor;
  if (std::isinf(months) || std::isinf(days) || std::fabs(months) > INT32_MAX || std::fabs(days) > INT32_MAX)
    raise(sqlstate::kDatetimeFieldOverflow, "interval out of range");
  int32_t result_months = static_cast<int32_t>(months);
  int32_t result_days = static_cast<int32_t>(days);
  double month_remainder_days = (months - result_months) * 30;
  month_remainder_days = std::rint(month_remainder_days * 1e6) / 1e6;  // TSROUND
  double sec_remainder = (days - result_days + month_remainder_days - static_cast<int32_t>(month_remainder_days)) * 86400;
  sec_remainder = std::rint(sec_remainder * 1e6) / 1e6;
  if (std::fabs(sec_remainder) >= 86400) {
    result_days += static_cast<int32_t>(sec_remainder / 86400);
    sec_remainder -= static_cast<int32_t>(sec_remainder / 86400) * 86400.0;
  }
  result_days += static_cast<int32_t>(month_remainder_days);
  double us = std::rint(a.micros * factor + sec_remainder * 1e6);
  if (std::isnan(us) || us >= 9.2233720368547758e18 || us < -9.2233720368547758e18)
    raise(sqlstate::kDatetimeFieldOverflow, "interval out of range");
  return {result_months, result_days, static_cast<int64_t>(us)};
}

Interval interval_div(const Interval& a, double divisor) {
  if (divisor == 0) raise(sqlstate::kDivisionByZero, "division by zero");
  return interval_mul(a, 1.0 / divisor);
}

Interval justify_hours(const Interval& a) {
  Interval r = a;
  int64_t whole_days = r.micros / kUsecPerDay;
  r.micros -= whole_days * kUsecPerDay;
  int64_t d = static_cast<int64_t>(r.days) + whole_days;
  if (d > INT32_MAX || d < INT32_MIN) raise(sqlstate::kDatetimeFieldOverflow, "interval out of range");
  r.days = static_cast<int32_t>(d);
  if (r.days > 0 && r.micros < 0) {
    r.micros += kUsecPerDay;
    r.days--;
  } else if (r.days < 0 && r.micros > 0) {
    r.micros -= kUsecPerDay;
    r.days++;
  }
  return r;
}

Interval justify_days(const Interval& a) {
  Interval r = a;
  int32_t whole_months = r.days / 30;
  r.days -= whole_months * 30;
  int64_t m = static_cast<int64_t>(r.months) + whole_months;
  if (m > INT32_MAX || m < INT32_MIN) raise(sqlstate::kDatetimeFieldOverflow, "interval out of range");
  r.months = static_cast<int32_t>(m);
  if (r.months > 0 && r.days < 0) {
    r.days += 30;
    r.months--;
  } else if (r.months < 0 && r.days > 0) {
    r.days -= 30;
    r.months++;
  }
  return r;
}

Interval justify_interval(const Interval& a) {
  Interval r = a;
  int64_t whole_days = r.micros / kUsecPerDay;
  r.micros -= whole_days * kUsecPerDay;
  int64_t d = static_cast<int64_t>(r.days) + whole_days;
  int64_t whole_months = d / 30;
  d -= whole_months * 30;
  int64_t m = static_cast<int64_t>(r.months) + whole_months;
  if (m > INT32_MAX || m < INT32_MIN) raise(sqlstate::kDatetimeFieldOverflow, "interval out of range");
  r.months = static_cast<int32_t>(m);
  r.days = static_cast<int32_t>(d);
  if (r.months > 0 && (r.days < 0 || (r.days == 0 && r.micros < 0))) {
    r.days += 30;
    r.months--;
  } else if (r.months < 0 && (r.days > 0 || (r.days == 0 && r.micros > 0))) {
    r.days -= 30;
    r.months++;
  }
  if (r.days > 0 && r.micros < 0) {
    r.micros += kUsecPerDay;
    r.days--;
  } else if (r.days < 0 && r.micros > 0) {
    r.micros -= kUsecPerDay;
    r.days++;
  }
  return r;
}

// PostgreSQL's timestamp_age: field-wise difference with borrowing.
Interval age(int64_t a, int64_t b, const Context* tz_ctx) {
  if (a == kTsPosInf || a == kTsNegInf || b == kTsPosInf || b == kTsNegInf)
    raise(sqlstate::kDatetimeFieldOverflow, "cannot subtract infinite timestamps");
  Tm t1, t2;
  ts_to_tm(tz_ctx ? timestamptz_to_local(a, *tz_ctx) : a, t1);
  ts_to_tm(tz_ctx ? timestamptz_to_local(b, *tz_ctx) : b, t2);
  int64_t fsec = t1.fsec - t2.fsec;
  int64_t sec = t1.sec - t2.sec, min = t1.min - t2.min, hour = t1.hour - t2.hour;
  int64_t mday = t1.mday - t2.mday, mon = t1.mon - t2.mon, year = t1.year - t2.year;
  if (a < b) {
    fsec = -fsec; sec = -sec; min = -min; hour = -hour; mday = -mday; mon = -mon; year = -year;
  }
  while (fsec < 0) { fsec += kUsecPerSec; sec--; }
  while (sec < 0) { sec += 60; min--; }
  while (min < 0) { min += 60; hour--; }
  while (hour < 0) { hour += 24; mday--; }
  while (mday < 0) {
    const Tm& ref = a < b ? t1 : t2;
    mday += days_in_month(ref.year, ref.mon);
    mon--;
  }
  while (mon < 0) { mon += 12; year--; }
  if (a < b) {
    fsec = -fsec; sec = -sec; min = -min; hour = -hour; mday = -mday; mon = -mon; year = -year;
  }
  Interval r;
  r.months = static_cast<int32_t>(year * 12 + mon);
  r.days = static_cast<int32_t>(mday);
  r.micros = ((hour * 60 + min) * 60 + sec) * kUsecPerSec + fsec;
  return r;
}

// ---- extract / date_trunc --------------------------------------------------------------------

namespace {

std::string canon_field(std::string_view f) {
  std::string s = lower(f);
  if (s == "years" || s == "y" || s == "yr" || s == "yrs") return "year";
  if (s == "months" || s == "mon" || s == "mons") return "month";
  if (s == "days" || s == "d") return "day";
  if (s == "hours" || s == "h" || s == "hr" || s == "hrs") return "hour";
  if (s == "minutes" || s == "m" || s == "min" || s == "mins") return "minute";
  if (s == "seconds" || s == "s" || s == "sec" || s == "secs") return "second";
  if (s == "milliseconds" || s == "ms" || s == "msec" || s == "msecs") return "millisecond";
  if (s == "microseconds" || s == "us" || s == "usec" || s == "usecs") return "microsecond";
  if (s == "weeks" || s == "w") return "week";
  if (s == "decades" || s == "dec") return "decade";
  if (s == "centuries" || s == "c") return "century";
  if (s == "millennia" || s == "mil") return "millennium";
  if (s == "quarters" || s == "qtr") return "quarter";
  return s;
}

// Fixed-point text with `scale` fraction digits of value/10^scale.
std::string fixed(__int128 v, int scale) {
  bool neg = v < 0;
  unsigned __int128 u = neg ? static_cast<unsigned __int128>(-v) : static_cast<unsigned __int128>(v);
  std::string d;
  do {
    d.insert(d.begin(), static_cast<char>('0' + static_cast<int>(u % 10)));
    u /= 10;
  } while (u);
  if (scale > 0) {
    while (static_cast<int>(d.size()) <= scale) d.insert(d.begin(), '0');
    d.insert(d.end() - scale, '.');
  }
  return (neg ? "-" : "") + d;
}

[[noreturn]] void unit_not_supported(std::string_view field, const char* type) {
  raise(sqlstate::kFeatureNotSupported, "unit \"{}\" not supported for type {}", field, type);
}

}  // namespace

std::string extract(std::string_view field_in, int64_t value, uint32_t type, const Context& ctx) {
  std::string field = canon_field(field_in);
  const char* tname = type == oid::kDate ? "date" : type == oid::kTime ? "time without time zone"
                      : type == oid::kTimestamp ? "timestamp without time zone" : "timestamp with time zone";
  if (type == oid::kTime) {
    int64_t t = value;
    if (field == "hour") return std::to_string(t / kUsecPerHour);
    if (field == "minute") return std::to_string((t / (60 * kUsecPerSec)) % 60);
    if (field == "second") return fixed(t % (60 * kUsecPerSec), 6);
    if (field == "millisecond") return fixed(t % (60 * kUsecPerSec), 3);
    if (field == "microsecond") return std::to_string(t % (60 * kUsecPerSec));
    if (field == "epoch") return fixed(t, 6);
    unit_not_supported(field_in, tname);
  }
  bool is_date = type == oid::kDate;
  int64_t ts;
  if (is_date) {
    if (value == kDatePosInf || value == kDateNegInf) {
      if (field == "epoch" || field == "year" || field == "decade" || field == "century" || field == "millennium" ||
          field == "julian" || field == "isoyear")
        return value == kDatePosInf ? "Infinity" : "-Infinity";
      return "NULL";
    }
    ts = value * kUsecPerDay;
  } else {
    if (value == kTsPosInf || value == kTsNegInf) {
      if (field == "epoch" || field == "year" || field == "decade" || field == "century" || field == "millennium" ||
          field == "julian" || field == "isoyear")
        return value == kTsPosInf ? "Infinity" : "-Infinity";
      return "NULL";
    }
    ts = value;
  }
  if (field == "epoch") {
    // Near the end of the timestamp range the shift to 1970 passes INT64_MAX.
    __int128 base = static_cast<__int128>(ts) - (kUnixEpochJdate - kPostgresEpochJdate) * kUsecPerDay;
    return is_date ? fixed(base / kUsecPerSec, 0) : fixed(base, 6);
  }
  int64_t local = type == oid::kTimestamptz ? timestamptz_to_local(ts, ctx) : ts;
  Tm tm;
  ts_to_tm(local, tm);
  auto int_result = [](int64_t v) { return std::to_string(v); };
  if (field == "year") return int_result(tm.year > 0 ? tm.year : tm.year - 1);
  if (field == "month") return int_result(tm.mon);
  if (field == "day") return int_result(tm.mday);
  if (field == "quarter") return int_result((tm.mon - 1) / 3 + 1);
  if (field == "decade") return int_result(tm.year >= 0 ? tm.year / 10 : -((8 - (tm.year - 1)) / 10));
  if (field == "century") return int_result(tm.year > 0 ? (tm.year + 99) / 100 : -((99 - (tm.year - 1)) / 100));
  if (field == "millennium") return int_result(tm.year > 0 ? (tm.year + 999) / 1000 : -((999 - (tm.year - 1)) / 1000));
  int64_t jd = date_to_julian(tm.year, tm.mon, tm.mday);
  if (field == "dow") return int_result((jd + 1) % 7);
  if (field == "isodow") return int_result((jd + 1) % 7 == 0 ? 7 : (jd + 1) % 7);
  if (field == "doy") return int_result(jd - date_to_julian(tm.year, 1, 1) + 1);
  if (field == "julian") {
    if (is_date) return int_result(jd);
    int64_t us = ((tm.hour * 60LL + tm.min) * 60 + tm.sec) * kUsecPerSec + tm.fsec;
    return numeric::add(std::to_string(jd), numeric::div(std::to_string(us), std::to_string(kUsecPerDay)));
  }
  if (field == "week" || field == "isoyear") {
    // ISO 8601 weeks start on Monday; week 1 holds January 4th.
    auto iso_week_start = [](int year) {
      int64_t j4 = date_to_julian(year, 1, 4);
      int64_t dow = (j4 + 1) % 7;  // 0 = Sunday
      int64_t iso = dow == 0 ? 7 : dow;
      return j4 - (iso - 1);
    };
    int y = tm.year;
    int64_t start = iso_week_start(y);
    if (jd < start) start = iso_week_start(--y);
    else if (jd >= iso_week_start(y + 1)) start = iso_week_start(++y);
    if (field == "isoyear") return int_result(y > 0 ? y : y - 1);
    return int_result((jd - start) / 7 + 1);
  }
  if (is_date) {
    if (field == "hour" || field == "minute" || field == "second" || field == "millisecond" || field == "microsecond")
      unit_not_supported(field_in, "date");
  }
  if (field == "hour") return int_result(tm.hour);
  if (field == "minute") return int_result(tm.min);
  if (field == "second") return fixed(static_cast<__int128>(tm.sec) * kUsecPerSec + tm.fsec, 6);
  if (field == "millisecond") return fixed(static_cast<__int128>(tm.sec) * kUsecPerSec + tm.fsec, 3);
  if (field == "microsecond") return int_result(tm.sec * kUsecPerSec + tm.fsec);
  if (field == "timezone" || field == "timezone_hour" || field == "timezone_minute") {
    if (type != oid::kTimestamptz) unit_not_supported(field_in, tname);
    int64_t off = (local - ts) / kUsecPerSec;
    if (field == "timezone") return int_result(off);
    if (field == "timezone_hour") return int_result(off / 3600);
    return int_result((off / 60) % 60);
  }
  raise(sqlstate::kInvalidParameterValue, "unit \"{}\" not recognized for type {}", field_in, tname);
}

std::string extract_interval(std::string_view field_in, const Interval& iv) {
  std::string field = canon_field(field_in);
  int64_t t = iv.micros;
  if (field == "millennium") return std::to_string(iv.months / 12 / 1000);
  if (field == "century") return std::to_string(iv.months / 12 / 100);
  if (field == "decade") return std::to_string(iv.months / 12 / 10);
  if (field == "year") return std::to_string(iv.months / 12);
  if (field == "quarter") return std::to_string((iv.months % 12) / 3 + 1);
  if (field == "month") return std::to_string(iv.months % 12);
  if (field == "day") return std::to_string(iv.days);
  if (field == "hour") return std::to_string(t / kUsecPerHour);
  if (field == "minute") return std::to_string((t / (60 * kUsecPerSec)) % 60);
  if (field == "second") return fixed(t % (60 * kUsecPerSec), 6);
  if (field == "millisecond") return fixed(t % (60 * kUsecPerSec), 3);
  if (field == "microsecond") return std::to_string(t % (60 * kUsecPerSec));
  if (field == "epoch") {
    // PostgreSQL counts a year as 365.25 days and a month as 30 days here.
    __int128 us = static_cast<__int128>(iv.months / 12) * 36525 * kUsecPerDay / 100 +
                  static_cast<__int128>(iv.months % 12) * 30 * kUsecPerDay + static_cast<__int128>(iv.days) * kUsecPerDay + t;
    return fixed(us, 6);
  }
  raise(sqlstate::kInvalidParameterValue, "unit \"{}\" not recognized for type interval", field_in);
}

int64_t date_trunc(std::string_view field_in, int64_t ts, bool with_tz, const Context& ctx) {
  if (ts == kTsPosInf || ts == kTsNegInf) return ts;
  std::string field = canon_field(field_in);
  int64_t local = with_tz ? timestamptz_to_local(ts, ctx) : ts;
  Tm tm;
  ts_to_tm(local, tm);
  if (field == "millennium") {
    tm.year = tm.year > 0 ? ((tm.year + 999) / 1000) * 1000 - 999 : -((999 - (tm.year - 1)) / 1000) * 1000 + 1;
    tm.mon = 1; tm.mday = 1; tm.hour = tm.min = tm.sec = 0; tm.fsec = 0;
  } else if (field == "century") {
    tm.year = tm.year > 0 ? ((tm.year + 99) / 100) * 100 - 99 : -((99 - (tm.year - 1)) / 100) * 100 + 1;
    tm.mon = 1; tm.mday = 1; tm.hour = tm.min = tm.sec = 0; tm.fsec = 0;
  } else if (field == "decade") {
    tm.year = tm.year > 0 ? (tm.year / 10) * 10 : -((8 - (tm.year - 1)) / 10) * 10;
    tm.mon = 1; tm.mday = 1; tm.hour = tm.min = tm.sec = 0; tm.fsec = 0;
  } else if (field == "year") {
    tm.mon = 1; tm.mday = 1; tm.hour = tm.min = tm.sec = 0; tm.fsec = 0;
  } else if (field == "quarter") {
    tm.mon = 3 * ((tm.mon - 1) / 3) + 1; tm.mday = 1; tm.hour = tm.min = tm.sec = 0; tm.fsec = 0;
  } else if (field == "month") {
    tm.mday = 1; tm.hour = tm.min = tm.sec = 0; tm.fsec = 0;
  } else if (field == "week") {
    int64_t jd = date_to_julian(tm.year, tm.mon, tm.mday);
    int64_t dow = (jd + 1) % 7;
    jd -= dow == 0 ? 6 : dow - 1;  // back to Monday
    julian_to_date(jd, tm.year, tm.mon, tm.mday);
    tm.hour = tm.min = tm.sec = 0; tm.fsec = 0;
  } else if (field == "day") {
    tm.hour = tm.min = tm.sec = 0; tm.fsec = 0;
  } else if (field == "hour") {
    tm.min = tm.sec = 0; tm.fsec = 0;
  } else if (field == "minute") {
    tm.sec = 0; tm.fsec = 0;
  } else if (field == "second") {
    tm.fsec = 0;
  } else if (field == "millisecond") {
    tm.fsec = (tm.fsec / 1000) * 1000;
  } else if (field == "microsecond") {
  } else {
    raise(sqlstate::kInvalidParameterValue, "unit \"{}\" not recognized for type {}", field_in,
          with_tz ? "timestamp with time zone" : "timestamp without time zone");
  }
  int64_t out;
  if (!tm_to_ts(tm, out)) raise(sqlstate::kDatetimeFieldOverflow, "timestamp out of range");
  return with_tz ? local_to_timestamptz(out, ctx) : out;
}

Interval date_trunc_interval(std::string_view field_in, const Interval& iv) {
  std::string field = canon_field(field_in);
  Interval r = iv;
  int64_t t = iv.micros;
  auto zero_time = [&]() { r.micros = 0; };
  if (field == "millennium") { r.months = (iv.months / 12000) * 12000; r.days = 0; zero_time(); }
  else if (field == "century") { r.months = (iv.months / 1200) * 1200; r.days = 0; zero_time(); }
  else if (field == "decade") { r.months = (iv.months / 120) * 120; r.days = 0; zero_time(); }
  else if (field == "year") { r.months = (iv.months / 12) * 12; r.days = 0; zero_time(); }
  else if (field == "quarter") { r.months = (iv.months / 3) * 3; r.days = 0; zero_time(); }
  else if (field == "month") { r.days = 0; zero_time(); }
  else if (field == "day") zero_time();
  else if (field == "hour") r.micros = (t / kUsecPerHour) * kUsecPerHour;
  else if (field == "minute") r.micros = (t / (60 * kUsecPerSec)) * 60 * kUsecPerSec;
  else if (field == "second") r.micros = (t / kUsecPerSec) * kUsecPerSec;
  else if (field == "millisecond") r.micros = (t / 1000) * 1000;
  else if (field == "microsecond") {}
  else raise(sqlstate::kInvalidParameterValue, "unit \"{}\" not recognized for type interval", field_in);
  return r;
}

}  // namespace heliosdb::datetime
