// to_char of date/time values and intervals by template patterns (numbers: builtins_number_format.cpp).
#include <cstdlib>
#include <cstring>

#include "common/datetime.h"
#include "common/errors.h"
#include "common/timezone.h"
#include "common/types.h"
#include "executor/builtins.h"

namespace heliosdb::exec {
namespace {

namespace dt = heliosdb::datetime;

const char* const kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                               "July",    "August",   "September", "October", "November", "December"};
const char* const kDays[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

// The broken-down fields of a wall-clock time.
struct Fields {
  int year, month, day, hour, minute, second, micro;
  int64_t julian;
  int dow;  // 0 Sunday
  int doy;
  Interval interval;  // to_char(interval): the fields come from it
  bool is_interval = false;
  std::string tz_abbrev, tz_offset, tz_hours, tz_minutes;  // timestamptz only
};

int iso_year_week(int64_t julian, int& iso_year) {
  // ISO 8601: weeks start on Monday; week 1 holds the year's first Thursday.
  int y, m, d;
  dt::julian_to_date(julian, y, m, d);
  auto week1_monday = [](int year) {
    int64_t jan4 = dt::date_to_julian(year, 1, 4);
    int dow = static_cast<int>((jan4 + 1) % 7);  // 0 Sunday
    return jan4 - ((dow + 6) % 7);
  };
  int64_t start = week1_monday(y);
  if (julian < start) {
    start = week1_monday(y - 1);
    iso_year = y - 1;
  } else if (julian >= week1_monday(y + 1)) {
    start = week1_monday(y + 1);
    iso_year = y + 1;
  } else {
    iso_year = y;
  }
  return static_cast<int>((julian - start) / 7 + 1);
}

std::string ordinal(int64_t n, bool upper) {
  int64_t last2 = n % 100, last = n % 10;
  const char* s = (last2 >= 11 && last2 <= 13) ? "th" : last == 1 ? "st" : last == 2 ? "nd" : last == 3 ? "rd" : "th";
  std::string out(s);
  if (upper)
    for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string cased(std::string s, int mode) {  // 0 as is (Capitalized), 1 upper, 2 lower
  for (auto& c : s)
    c = static_cast<char>(mode == 1 ? std::toupper(static_cast<unsigned char>(c)) : mode == 2 ? std::tolower(static_cast<unsigned char>(c)) : c);
  return s;
}

std::string format_fields(const Fields& f, const std::string& fmt) {
  std::string out;
  size_t i = 0;
  auto at = [&](const char* kw) {
    // Names and markers are matched as written (their case is the output's); numbers either way.
    size_t n = std::strlen(kw);
    if (fmt.compare(i, n, kw) == 0) return true;
    static const char* const kNumeric[] = {"HH24", "HH12", "HH", "MI", "SSSSS", "SSSS", "SS", "MS", "US", "Y,YYY", "YYYY",
                                           "YYY", "YY", "Y", "IYYY", "IYY", "IY", "IW", "IDDD", "ID", "I",
                                           "FF1", "FF2", "FF3", "FF4", "FF5", "FF6", "MM", "DDD", "DD", "D", "WW", "W", "Q", "CC", "J"};
    bool numeric = false;
    for (const char* k : kNumeric) numeric |= std::strcmp(k, kw) == 0;
    if (!numeric || i + n > fmt.size()) return false;
    for (size_t k = 0; k < n; ++k)
      if (std::toupper(static_cast<unsigned char>(fmt[i + k])) != kw[k]) return false;
    return true;
  };
  while (i < fmt.size()) {
    bool fm = false;
    if (at("FM") || at("fm")) {
      fm = true;
      i += 2;
    }
    auto num = [&](int64_t v, int width) {
      std::string s = std::to_string(v < 0 ? -v : v);
      if (!fm && static_cast<int>(s.size()) < width) s.insert(0, static_cast<size_t>(width) - s.size(), '0');
      return (v < 0 ? "-" : "") + s;
    };
    auto name = [&](const std::string& full, int mode, size_t pad) {
      std::string s = cased(full, mode);
      if (!fm && s.size() < pad) s.append(pad - s.size(), ' ');
      return s;
    };
    auto not_interval = [&] {
      if (f.is_interval)
        throw Error(sqlstate::kInvalidDatetimeFormat, "invalid format specification for an interval value")
            .with_hint("Intervals are not tied to specific calendar dates.");
    };
    std::string piece;
    // Years as written: 1 BC (astronomical year 0) is year 1 (PostgreSQL's ADJUST_YEAR).
    int year = f.is_interval || f.year > 0 ? f.year : -(f.year - 1);
    int64_t value = 0;  // the number a TH suffix would follow
    bool numeric_field = true;
    int hour12 = f.hour % 12 == 0 ? 12 : f.hour % 12;
    if (at("HH24")) { piece = num(f.hour, 2); value = f.hour; i += 4; }
    else if (at("HH12")) { piece = num(hour12, 2); value = hour12; i += 4; }
    else if (at("HH")) { piece = num(hour12, 2); value = hour12; i += 2; }
    else if (at("MI")) { piece = num(f.minute, 2); value = f.minute; i += 2; }
    else if (at("SSSSS") || at("SSSS")) {
      value = f.hour * 3600 + f.minute * 60 + f.second;
      piece = num(value, 0);
      i += at("SSSSS") ? 5 : 4;
    }
    else if (at("SS")) { piece = num(f.second, 2); value = f.second; i += 2; }
    else if (at("MS")) { piece = num(f.micro / 1000, 3); value = f.micro / 1000; i += 2; }
    else if (at("US")) { piece = num(f.micro, 6); value = f.micro; i += 2; }
    else if (at("FF1") || at("FF2") || at("FF3") || at("FF4") || at("FF5") || at("FF6")) {  // fractional second digits
      int digits = fmt[i + 2] - '0';
      int64_t scale = 1;
      for (int k = digits; k < 6; ++k) scale *= 10;
      value = f.micro / scale;
      piece = num(value, digits);
      i += 3;
    }
    else if (at("AM") || at("PM")) { piece = f.hour < 12 ? "AM" : "PM"; numeric_field = false; i += 2; }
    else if (at("am") || at("pm")) { piece = f.hour < 12 ? "am" : "pm"; numeric_field = false; i += 2; }
    else if (at("A.D.") || at("B.C.")) { not_interval(); piece = f.year > 0 ? "A.D." : "B.C."; numeric_field = false; i += 4; }
    else if (at("a.d.") || at("b.c.")) { not_interval(); piece = f.year > 0 ? "a.d." : "b.c."; numeric_field = false; i += 4; }
    else if (at("A.M.") || at("P.M.")) { piece = f.hour < 12 ? "A.M." : "P.M."; numeric_field = false; i += 4; }
    else if (at("a.m.") || at("p.m.")) { piece = f.hour < 12 ? "a.m." : "p.m."; numeric_field = false; i += 4; }
    else if (at("Y,YYY")) {
      piece = fmt::format("{},{:03}", year / 1000, year - year / 1000 * 1000);
      value = year;
      i += 5;
    }
    else if (at("YYYY")) { piece = num(year, 4); value = year; i += 4; }
    else if (at("YYY")) { piece = num(year % 1000, 3); value = year % 1000; i += 3; }
    else if (at("YY")) { piece = num(year % 100, 2); value = year % 100; i += 2; }
    else if (at("Y")) { piece = num(year % 10, 1); value = year % 10; i += 1; }
    else if (at("RM") || at("rm")) {
      // Roman month, left-aligned in 4 (PostgreSQL indexes a December-first table).
      static const char* const kRoman[] = {"XII", "XI", "X", "IX", "VIII", "VII", "VI", "V", "IV", "III", "II", "I"};
      bool upper = at("RM");
      i += 2;
      numeric_field = false;
      if (f.month == 0 && f.year == 0) continue;
      int m = f.month == 0 ? (f.year >= 0 ? 0 : 11) : f.month < 0 ? -(f.month + 1) : 12 - f.month;
      piece = cased(kRoman[m], upper ? 1 : 2);
      if (!fm && piece.size() < 4) piece.append(4 - piece.size(), ' ');
    }
    else if (at("IYYY") || at("IYY") || at("IY")) {
      int iy;
      iso_year_week(f.julian, iy);
      if (!f.is_interval && iy <= 0) iy = -(iy - 1);
      size_t n = at("IYYY") ? 4 : at("IYY") ? 3 : 2;
      int64_t mod = n == 4 ? 0 : n == 3 ? 1000 : 100;
      value = mod ? iy % mod : iy;
      piece = num(value, static_cast<int>(n));
      i += n;
    }
    else if (at("IW")) { int iy; int w = iso_year_week(f.julian, iy); piece = num(w, 2); value = w; i += 2; }
    else if (at("IDDD")) {  // the day of the ISO week-numbering year
      not_interval();
      int iy;
      int w = iso_year_week(f.julian, iy);
      value = (w - 1) * 7 + (f.dow == 0 ? 7 : f.dow);
      piece = num(value, 3);
      i += 4;
    }
    else if (at("ID")) { not_interval(); value = f.dow == 0 ? 7 : f.dow; piece = num(value, 1); i += 2; }
    else if (at("I")) {
      int iy;
      iso_year_week(f.julian, iy);
      if (!f.is_interval && iy <= 0) iy = -(iy - 1);
      value = iy % 10;
      piece = num(value, 1);
      i += 1;
    }
    else if (at("MONTH")) { not_interval(); piece = name(kMonths[f.month - 1], 1, 9); numeric_field = false; i += 5; }
    else if (at("Month")) { not_interval(); piece = name(kMonths[f.month - 1], 0, 9); numeric_field = false; i += 5; }
    else if (at("month")) { not_interval(); piece = name(kMonths[f.month - 1], 2, 9); numeric_field = false; i += 5; }
    else if (at("MON")) { not_interval(); piece = cased(std::string(kMonths[f.month - 1]).substr(0, 3), 1); numeric_field = false; i += 3; }
    else if (at("Mon")) { not_interval(); piece = std::string(kMonths[f.month - 1]).substr(0, 3); numeric_field = false; i += 3; }
    else if (at("mon")) { not_interval(); piece = cased(std::string(kMonths[f.month - 1]).substr(0, 3), 2); numeric_field = false; i += 3; }
    else if (at("MM")) { piece = num(f.month, 2); value = f.month; i += 2; }
    else if (at("DAY")) { not_interval(); piece = name(kDays[f.dow], 1, 9); numeric_field = false; i += 3; }
    else if (at("Day")) { not_interval(); piece = name(kDays[f.dow], 0, 9); numeric_field = false; i += 3; }
    else if (at("day")) { not_interval(); piece = name(kDays[f.dow], 2, 9); numeric_field = false; i += 3; }
    else if (at("DY")) { not_interval(); piece = cased(std::string(kDays[f.dow]).substr(0, 3), 1); numeric_field = false; i += 2; }
    else if (at("Dy")) { not_interval(); piece = std::string(kDays[f.dow]).substr(0, 3); numeric_field = false; i += 2; }
    else if (at("dy")) { not_interval(); piece = cased(std::string(kDays[f.dow]).substr(0, 3), 2); numeric_field = false; i += 2; }
    else if (at("DDD")) { piece = num(f.doy, 3); value = f.doy; i += 3; }
    else if (at("DD")) { piece = num(f.day, 2); value = f.day; i += 2; }
    else if (at("D")) { not_interval(); piece = num(f.dow + 1, 1); value = f.dow + 1; i += 1; }
    else if (at("WW")) { value = (f.doy - 1) / 7 + 1; piece = num(value, 2); i += 2; }
    else if (at("W")) { value = (f.day - 1) / 7 + 1; piece = num(value, 1); i += 1; }
    else if (at("Q")) { value = (f.month - 1) / 3 + 1; piece = num(value, 1); i += 1; }
    else if (at("CC")) {
      value = f.is_interval ? f.year / 100 : f.year > 0 ? (f.year - 1) / 100 + 1 : f.year / 100 - 1;
      piece = num(value, 2);
      i += 2;
    }
    else if (at("J")) { piece = num(f.julian, 0); value = f.julian; i += 1; }
    else if (at("TZH") || at("tzh")) { not_interval(); piece = f.tz_hours; numeric_field = false; i += 3; }
    else if (at("TZM") || at("tzm")) { not_interval(); piece = f.tz_minutes; numeric_field = false; i += 3; }
    else if (at("TZ")) { not_interval(); piece = cased(f.tz_abbrev, 1); numeric_field = false; i += 2; }
    else if (at("tz")) { not_interval(); piece = cased(f.tz_abbrev, 2); numeric_field = false; i += 2; }
    else if (at("OF") || at("of")) { not_interval(); piece = f.tz_offset; numeric_field = false; i += 2; }
    else if (at("BC") || at("AD")) { not_interval(); piece = f.year > 0 ? "AD" : "BC"; numeric_field = false; i += 2; }
    else if (at("bc") || at("ad")) { not_interval(); piece = f.year > 0 ? "ad" : "bc"; numeric_field = false; i += 2; }
    else if (fmt[i] == '"') {
      // "literal text" (\" inside)
      for (++i; i < fmt.size() && fmt[i] != '"'; ++i) {
        if (fmt[i] == '\\' && i + 1 < fmt.size()) ++i;
        out += fmt[i];
      }
      ++i;
      continue;
    } else if (fmt[i] == '\\' && i + 1 < fmt.size()) {
      out += fmt[i + 1];
      i += 2;
      continue;
    } else {
      out += fmt[i++];
      continue;
    }
    out += piece;
    if (numeric_field && (at("TH") || at("th"))) {
      out += ordinal(value, at("TH"));
      i += 2;
    }
  }
  return out;
}

Fields fields_of(int64_t local) {
  Fields f{};
  int64_t days = local / dt::kUsecPerDay - (local % dt::kUsecPerDay < 0 ? 1 : 0);
  int64_t tod = local - days * dt::kUsecPerDay;
  f.julian = days + dt::kPostgresEpochJdate;
  dt::julian_to_date(f.julian, f.year, f.month, f.day);
  f.hour = static_cast<int>(tod / 3600000000LL);
  f.minute = static_cast<int>(tod / 60000000LL % 60);
  f.second = static_cast<int>(tod / 1000000 % 60);
  f.micro = static_cast<int>(tod % 1000000);
  f.dow = static_cast<int>((f.julian + 1) % 7);
  f.doy = static_cast<int>(f.julian - dt::date_to_julian(f.year, 1, 1) + 1);
  return f;
}

template <bool WithTz>
Value f_to_char_ts(const Value* a, size_t, ExecContext& ctx) {
  int64_t ts = a[0].as_int();
  if (ts == dt::kTsPosInf || ts == dt::kTsNegInf) return Value::null(oid::kText);
  Fields f;
  if (WithTz) {
    const dt::TimeZone* tz = ctx.text.timezone.get();
    int64_t unix_secs = ts / 1000000 - (ts % 1000000 < 0 ? 1 : 0) + (dt::kPostgresEpochJdate - 2440588) * 86400;
    dt::TimeZone::Local local = tz ? tz->at_utc(unix_secs) : dt::TimeZone::Local{0, false, "UTC"};
    f = fields_of(ts + static_cast<int64_t>(local.offset) * 1000000);
    f.tz_abbrev = local.abbrev;
    int off = local.offset, a_off = off < 0 ? -off : off;
    f.tz_offset = fmt::format("{}{:02}", off < 0 ? '-' : '+', a_off / 3600);
    if (a_off % 3600) f.tz_offset += fmt::format(":{:02}", a_off % 3600 / 60);
    f.tz_hours = fmt::format("{}{:02}", off < 0 ? '-' : '+', a_off / 3600);
    f.tz_minutes = fmt::format("{:02}", a_off % 3600 / 60);
  } else {
    f = fields_of(ts);
  }
  return Value::text(format_fields(f, a[1].as_string()));
}

Value f_to_char_interval(const Value* a, size_t, ExecContext&) {
  Interval iv = a[0].as_interval();
  Fields f{};
  f.year = iv.months / 12;
  f.month = iv.months % 12;
  f.day = iv.days;
  int64_t us = iv.micros;
  f.hour = static_cast<int>(us / 3600000000LL);
  f.minute = static_cast<int>(us / 60000000LL % 60);
  f.second = static_cast<int>(us / 1000000 % 60);
  f.micro = static_cast<int>(us % 1000000);
  f.julian = 0;
  f.dow = 0;
  f.doy = 0;
  f.is_interval = true;
  return Value::text(format_fields(f, a[1].as_string()));
}

}  // namespace

void register_to_char_functions(std::vector<FuncDef>& out) {
  using namespace oid;
  out.push_back({"to_char", {kTimestamp, kText}, kText, f_to_char_ts<false>});
  out.push_back({"to_char", {kTimestamptz, kText}, kText, f_to_char_ts<true>});
  out.push_back({"to_char", {kInterval, kText}, kText, f_to_char_interval});
}

}  // namespace heliosdb::exec
