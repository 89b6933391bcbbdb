#include "common/datetime_io.h"

#include <cmath>
#include <cstdlib>
#include <vector>

#include <fmt/format.h>

#include "common/datetime.h"
#include "common/errors.h"
#include "common/timezone.h"

namespace heliosdb::datetime_io {

namespace {

datetime::Context context(const types::TextContext& t) {
  datetime::Context c;
  c.style = t.datestyle;
  c.order = t.dateorder;
  c.tz = t.timezone.get();
  c.now = t.now;
  return c;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Value parse(uint32_t type, std::string_view text, int32_t typmod, const types::TextContext& t) {
  datetime::Context c = context(t);
  switch (type) {
    case oid::kDate: return Value::of(type, datetime::parse_date(text, c));
    case oid::kTime: return Value::of(type, datetime::parse_time(text, c));
    case oid::kTimestamp: return Value::of(type, datetime::parse_timestamp(text, c, false));
    case oid::kTimestamptz: return Value::of(type, datetime::parse_timestamp(text, c, true));
    case oid::kInterval: return Value::of(type, datetime::parse_interval(text, typmod, t.intervalstyle));
    default: unsupported(fmt::format("input of type {}", type));
  }
}

std::string format(const Value& v, const types::TextContext& t) {
  datetime::Context c = context(t);
  switch (v.type()) {
    case oid::kDate: return datetime::format_date(v.as_int(), c);
    case oid::kTime: return datetime::format_time(v.as_int());
    case oid::kTimestamp: return datetime::format_timestamp(v.as_int(), c, false);
    case oid::kTimestamptz: return datetime::format_timestamp(v.as_int(), c, true);
    case oid::kInterval: return datetime::format_interval(v.as_interval(), t.intervalstyle);
    default: unsupported(fmt::format("output of type {}", v.type()));
  }
}

Value apply_typmod(const Value& v, int32_t typmod) {
  if (v.is_null() || typmod < 0) return v;
  switch (v.type()) {
    case oid::kTimestamp:
    case oid::kTimestamptz:
    case oid::kTime:
      return Value::of(v.type(), datetime::round_micros(v.as_int(), typmod));
    case oid::kInterval: return Value::of(v.type(), datetime::adjust_interval(v.as_interval(), typmod));
    default: return v;
  }
}

Value convert(const Value& v, uint32_t to, const types::TextContext& t) {
  datetime::Context c = context(t);
  uint32_t from = v.type();
  if (from == oid::kDate) {
    int64_t ts = datetime::date_to_timestamp(v.as_int());
    if (to == oid::kTimestamp) return Value::of(to, ts);
    if (to == oid::kTimestamptz) return Value::of(to, datetime::local_to_timestamptz(ts, c));
  }
  if (from == oid::kTimestamp || from == oid::kTimestamptz) {
    int64_t local = from == oid::kTimestamptz ? datetime::timestamptz_to_local(v.as_int(), c) : v.as_int();
    if (to == oid::kTimestamptz) return Value::of(to, datetime::local_to_timestamptz(v.as_int(), c));
    if (to == oid::kTimestamp) return Value::of(to, local);
    if (to == oid::kDate) return Value::of(to, datetime::timestamp_to_date(local));
    if (to == oid::kTime) {
      if (local == datetime::kTsPosInf || local == datetime::kTsNegInf) return Value::null(to);
      int64_t t0 = local % datetime::kUsecPerDay;
      return Value::of(to, t0 < 0 ? t0 + datetime::kUsecPerDay : t0);
    }
  }
  if (from == oid::kTime && to == oid::kInterval) return Value::of(to, Interval{0, 0, v.as_int()});
  if (from == oid::kInterval && to == oid::kTime) {
    int64_t t0 = v.as_interval().micros % datetime::kUsecPerDay;
    return Value::of(to, t0 < 0 ? t0 + datetime::kUsecPerDay : t0);
  }
  raise(sqlstate::kCannotCoerce, "cannot cast type {} to {}", from, to);
}

// PostgreSQL's check_datestyle: a style (ISO, SQL, Postgres, German) and/or an order (DMY, MDY,
// YMD, with the aliases European/NonEuropean/US), separated by commas or spaces.
std::string set_datestyle(std::string_view value, types::TextContext& ctx) {
  static const char* kStyles[] = {"ISO", "Postgres", "SQL", "German"};
  static const char* kOrders[] = {"MDY", "DMY", "YMD"};
  int style = ctx.datestyle, order = ctx.dateorder;
  bool have_style = false, have_order = false;
  std::string token;
  std::vector<std::string> tokens;
  for (char c : std::string(value) + ",") {
    if (c == ',' || std::isspace(static_cast<unsigned char>(c))) {
      if (!token.empty()) tokens.push_back(upper(token));
      token.clear();
    } else {
      token.push_back(c);
    }
  }
  auto conflict = [&] {
    throw Error(sqlstate::kInvalidParameterValue, fmt::format("invalid value for parameter \"DateStyle\": \"{}\"", value))
        .with_detail("Conflicting \"datestyle\" specifications.");
  };
  bool german_order = false;
  for (const auto& t : tokens) {
    int s = -1, o = -1;
    if (t == "ISO") s = datetime::kISO;
    else if (t == "POSTGRES") s = datetime::kPostgres;
    else if (t == "SQL") s = datetime::kSQL;
    else if (t == "GERMAN") s = datetime::kGerman;
    else if (t == "MDY" || t == "US" || t == "NONEUROPEAN") o = datetime::kMDY;
    else if (t == "DMY" || t == "EUROPEAN") o = datetime::kDMY;
    else if (t == "YMD") o = datetime::kYMD;
    else if (t == "DEFAULT") {
      s = datetime::kISO;
      o = datetime::kMDY;
    } else {
      throw Error(sqlstate::kInvalidParameterValue, fmt::format("invalid value for parameter \"DateStyle\": \"{}\"", value))
          .with_detail("Unrecognized key word: \"" + t + "\".");
    }
    if (s >= 0) {
      if (have_style && s != style) conflict();
      style = s;
      have_style = true;
      if (s == datetime::kGerman && !have_order) german_order = true;  // German implies DMY
    }
    if (o >= 0) {
      if (have_order && o != order) conflict();
      order = o;
      have_order = true;
    }
  }
  if (german_order && !have_order) order = datetime::kDMY;
  ctx.datestyle = style;
  ctx.dateorder = order;
  return std::string(kStyles[style]) + ", " + kOrders[order];
}

std::string set_timezone(std::string_view value, types::TextContext& ctx) {
  // A number: hours east of UTC (SET TIME ZONE 10.5), a zone PostgreSQL names "<+10:30>-10:30".
  std::string text(value);
  char* end = nullptr;
  double hours = std::strtod(text.c_str(), &end);
  if (!text.empty() && end == text.c_str() + text.size() && std::isfinite(hours)) {
    long east = std::lround(hours * 3600);
    if (std::abs(east) > 168 * 3600) raise(sqlstate::kInvalidParameterValue, "invalid value for parameter \"TimeZone\": \"{}\"", value);
    long a = std::abs(east);
    std::string off = fmt::format("{:02}", a / 3600);
    if (a % 3600) off += fmt::format(":{:02}", a % 3600 / 60);
    if (a % 60) off += fmt::format(":{:02}", a % 60);
    std::string abbrev = (east >= 0 ? "+" : "-") + off;
    ctx.timezone = datetime::TimeZone::fixed(static_cast<int>(east), abbrev);
    return "<" + abbrev + ">" + (east >= 0 ? "-" : "+") + off;
  }
  auto z = datetime::TimeZone::load(value);
  if (!z) raise(sqlstate::kInvalidParameterValue, "invalid value for parameter \"TimeZone\": \"{}\"", value);
  ctx.timezone = z;
  return std::string(value);
}

}  // namespace heliosdb::datetime_io
