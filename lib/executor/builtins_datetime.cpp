// Date/time operators and functions: now(), date/timestamp/interval arithmetic, extract,
// date_part, date_trunc, age, justify_*, make_date, to_timestamp, isfinite.
#include <cctype>
#include <cmath>
#include <cstdio>

#include "common/datetime.h"
#include "common/datetime_io.h"
#include "common/errors.h"
#include "common/numeric.h"
#include "common/timezone.h"
#include "executor/builtins.h"

namespace heliosdb::exec {
namespace {

namespace dt = datetime;

dt::Context dctx(const ExecContext& ctx) {
  dt::Context c;
  c.style = ctx.text.datestyle;
  c.order = ctx.text.dateorder;
  c.tz = ctx.text.timezone.get();
  c.now = ctx.txn_start;
  return c;
}

int64_t check_date(int64_t d) {
  if (d + dt::kPostgresEpochJdate < 0 || d + dt::kPostgresEpochJdate > 2147483494LL - 0)
    raise(sqlstate::kDatetimeFieldOverflow, "date out of range");
  return d;
}

Value f_now(const Value*, size_t, ExecContext& ctx) { return Value::of(oid::kTimestamptz, ctx.txn_start); }
Value f_statement_timestamp(const Value*, size_t, ExecContext& ctx) { return Value::of(oid::kTimestamptz, ctx.stmt_start); }
Value f_current_date(const Value*, size_t, ExecContext& ctx) {
  return Value::of(oid::kDate, dt::timestamp_to_date(dt::timestamptz_to_local(ctx.txn_start, dctx(ctx))));
}
Value f_localtimestamp(const Value*, size_t, ExecContext& ctx) {
  return Value::of(oid::kTimestamp, dt::timestamptz_to_local(ctx.txn_start, dctx(ctx)));
}
Value f_localtime(const Value*, size_t, ExecContext& ctx) {
  int64_t l = dt::timestamptz_to_local(ctx.txn_start, dctx(ctx)) % dt::kUsecPerDay;
  return Value::of(oid::kTime, l < 0 ? l + dt::kUsecPerDay : l);
}
Value f_current_user(const Value*, size_t, ExecContext& ctx) {
  return Value::of(oid::kName, ctx.services->setting("__current_user"));
}
Value f_session_user(const Value*, size_t, ExecContext& ctx) {
  return Value::of(oid::kName, ctx.services->setting("session_authorization"));
}

// date +/- integer, date - date
Value date_pl_int(const Value* a, size_t, ExecContext&) {
  int64_t d = a[0].as_int();
  if (d == dt::kDatePosInf || d == dt::kDateNegInf) return a[0];
  return Value::of(oid::kDate, check_date(d + a[1].as_int()));
}
Value int_pl_date(const Value* a, size_t n, ExecContext& ctx) {
  Value sw[2] = {a[1], a[0]};
  return date_pl_int(sw, n, ctx);
}
Value date_mi_int(const Value* a, size_t, ExecContext&) {
  int64_t d = a[0].as_int();
  if (d == dt::kDatePosInf || d == dt::kDateNegInf) return a[0];
  return Value::of(oid::kDate, check_date(d - a[1].as_int()));
}
Value date_mi_date(const Value* a, size_t, ExecContext&) {
  int64_t x = a[0].as_int(), y = a[1].as_int();
  if (x == dt::kDatePosInf || x == dt::kDateNegInf || y == dt::kDatePosInf || y == dt::kDateNegInf)
    raise(sqlstate::kDatetimeFieldOverflow, "cannot subtract infinite dates");
  return Value::int4(static_cast<int32_t>(x - y));
}
// date +/- interval, date + time
Value date_pl_interval(const Value* a, size_t, ExecContext&) {
  return Value::of(oid::kTimestamp, dt::timestamp_add_interval(dt::date_to_timestamp(a[0].as_int()), a[1].as_interval(), nullptr));
}
Value interval_pl_date(const Value* a, size_t n, ExecContext& ctx) {
  Value sw[2] = {a[1], a[0]};
  return date_pl_interval(sw, n, ctx);
}
Value date_mi_interval(const Value* a, size_t, ExecContext&) {
  return Value::of(oid::kTimestamp, dt::timestamp_add_interval(dt::date_to_timestamp(a[0].as_int()), dt::interval_neg(a[1].as_interval()), nullptr));
}
Value date_pl_time(const Value* a, size_t, ExecContext&) {
  int64_t ts = dt::date_to_timestamp(a[0].as_int());
  if (ts == dt::kTsPosInf || ts == dt::kTsNegInf) return Value::of(oid::kTimestamp, ts);
  return Value::of(oid::kTimestamp, ts + a[1].as_int());
}
Value time_pl_date(const Value* a, size_t n, ExecContext& ctx) {
  Value sw[2] = {a[1], a[0]};
  return date_pl_time(sw, n, ctx);
}
// timestamp(tz) +/- interval
template <bool WithTz, bool Minus>
Value ts_pl_interval(const Value* a, size_t, ExecContext& ctx) {
  dt::Context c = dctx(ctx);
  Interval iv = Minus ? dt::interval_neg(a[1].as_interval()) : a[1].as_interval();
  return Value::of(WithTz ? oid::kTimestamptz : oid::kTimestamp, dt::timestamp_add_interval(a[0].as_int(), iv, WithTz ? &c : nullptr));
}
template <bool WithTz>
Value interval_pl_ts(const Value* a, size_t n, ExecContext& ctx) {
  Value sw[2] = {a[1], a[0]};
  return ts_pl_interval<WithTz, false>(sw, n, ctx);
}
Value ts_mi_ts(const Value* a, size_t, ExecContext&) {
  return Value::of(oid::kInterval, dt::timestamp_diff(a[0].as_int(), a[1].as_int()));
}
// time +/- interval, time - time
Value time_pl_interval(const Value* a, size_t, ExecContext&) {
  int64_t t = (a[0].as_int() + a[1].as_interval().micros) % dt::kUsecPerDay;
  return Value::of(oid::kTime, t < 0 ? t + dt::kUsecPerDay : t);
}
Value time_mi_interval(const Value* a, size_t, ExecContext&) {
  int64_t t = (a[0].as_int() - a[1].as_interval().micros) % dt::kUsecPerDay;
  return Value::of(oid::kTime, t < 0 ? t + dt::kUsecPerDay : t);
}
Value time_mi_time(const Value* a, size_t, ExecContext&) {
  return Value::of(oid::kInterval, Interval{0, 0, a[0].as_int() - a[1].as_int()});
}
// interval arithmetic
Value iv_pl(const Value* a, size_t, ExecContext&) { return Value::of(oid::kInterval, dt::interval_add(a[0].as_interval(), a[1].as_interval())); }
Value iv_mi(const Value* a, size_t, ExecContext&) { return Value::of(oid::kInterval, dt::interval_sub(a[0].as_interval(), a[1].as_interval())); }
Value iv_neg(const Value* a, size_t, ExecContext&) { return Value::of(oid::kInterval, dt::interval_neg(a[0].as_interval())); }
Value iv_mul(const Value* a, size_t, ExecContext&) { return Value::of(oid::kInterval, dt::interval_mul(a[0].as_interval(), a[1].as_double())); }
Value mul_iv(const Value* a, size_t, ExecContext&) { return Value::of(oid::kInterval, dt::interval_mul(a[1].as_interval(), a[0].as_double())); }
Value iv_div(const Value* a, size_t, ExecContext&) { return Value::of(oid::kInterval, dt::interval_div(a[0].as_interval(), a[1].as_double())); }

// extract(field FROM x) -> numeric; date_part(field, x) -> float8
Value do_extract(const Value* a, ExecContext& ctx) {
  const std::string& field = a[0].as_string();
  std::string r = a[1].type() == oid::kInterval ? dt::extract_interval(field, a[1].as_interval())
                                                : dt::extract(field, a[1].as_int(), a[1].type(), dctx(ctx));
  if (r == "NULL") return Value::null(oid::kNumeric);
  return Value::of(oid::kNumeric, numeric::parse(r));
}
Value f_extract(const Value* a, size_t, ExecContext& ctx) { return do_extract(a, ctx); }
Value f_date_part(const Value* a, size_t, ExecContext& ctx) {
  Value v = do_extract(a, ctx);
  if (v.is_null()) return Value::null(oid::kFloat8);
  return Value::float8(numeric::to_double(v.as_string()));
}

template <bool WithTz>
Value f_date_trunc(const Value* a, size_t, ExecContext& ctx) {
  return Value::of(WithTz ? oid::kTimestamptz : oid::kTimestamp, dt::date_trunc(a[0].as_string(), a[1].as_int(), WithTz, dctx(ctx)));
}
Value f_date_trunc_interval(const Value* a, size_t, ExecContext&) {
  return Value::of(oid::kInterval, dt::date_trunc_interval(a[0].as_string(), a[1].as_interval()));
}

template <bool WithTz>
Value f_age2(const Value* a, size_t, ExecContext& ctx) {
  dt::Context c = dctx(ctx);
  return Value::of(oid::kInterval, dt::age(a[0].as_int(), a[1].as_int(), WithTz ? &c : nullptr));
}
template <bool WithTz>
Value f_age1(const Value* a, size_t, ExecContext& ctx) {
  dt::Context c = dctx(ctx);
  // age(x) = age(current_date at midnight, x)
  int64_t today = dt::timestamp_to_date(dt::timestamptz_to_local(ctx.txn_start, c)) * dt::kUsecPerDay;
  int64_t ref = WithTz ? dt::local_to_timestamptz(today, c) : today;
  return Value::of(oid::kInterval, dt::age(ref, a[0].as_int(), WithTz ? &c : nullptr));
}

Value f_justify_days(const Value* a, size_t, ExecContext&) { return Value::of(oid::kInterval, dt::justify_days(a[0].as_interval())); }
Value f_justify_hours(const Value* a, size_t, ExecContext&) { return Value::of(oid::kInterval, dt::justify_hours(a[0].as_interval())); }
Value f_justify_interval(const Value* a, size_t, ExecContext&) { return Value::of(oid::kInterval, dt::justify_interval(a[0].as_interval())); }

// make_interval(years, months, weeks, days, hours, mins, secs).
Value f_make_interval(const Value* a, size_t, ExecContext&) {
  double secs = a[6].as_double();
  int64_t months = 0, days = 0, micros = 0, hours_us = 0, mins_us = 0;
  bool overflow = std::isinf(secs) || std::isnan(secs);
  secs = std::rint(secs * 1e6);
  overflow = overflow || !(secs >= -9223372036854775808.0 && secs < 9223372036854775808.0) ||
             __builtin_mul_overflow(a[0].as_int(), int64_t{12}, &months) || __builtin_add_overflow(months, a[1].as_int(), &months) ||
             months > INT32_MAX || months < INT32_MIN || __builtin_mul_overflow(a[2].as_int(), int64_t{7}, &days) ||
             __builtin_add_overflow(days, a[3].as_int(), &days) || days > INT32_MAX || days < INT32_MIN ||
             __builtin_mul_overflow(a[4].as_int(), int64_t{3600000000}, &hours_us) ||
             __builtin_mul_overflow(a[5].as_int(), int64_t{60000000}, &mins_us) ||
             __builtin_add_overflow(hours_us, mins_us, &micros) ||
             __builtin_add_overflow(micros, static_cast<int64_t>(secs), &micros);
  if (overflow) raise(sqlstate::kDatetimeValueOutOfRange, "interval out of range");
  return Value::of(oid::kInterval, Interval{static_cast<int32_t>(months), static_cast<int32_t>(days), micros});
}

// make_time(hour, min, sec): up to 24:00:00.
Value f_make_time(const Value* a, size_t, ExecContext&) {
  int64_t h = a[0].as_int(), m = a[1].as_int();
  double sec = a[2].as_double();
  if (h < 0 || m < 0 || m > 59 || !(sec >= 0) || sec > 60 || h > 24 || (h == 24 && (m > 0 || sec > 0))) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%d:%02d:%02g", static_cast<int>(h), static_cast<int>(m), sec);
    raise(sqlstate::kDatetimeFieldOverflow, "time field value out of range: {}", buf);
  }
  return Value::of(oid::kTime, (h * 60 + m) * 60 * 1000000 + static_cast<int64_t>(sec * 1e6));
}

Value f_make_date(const Value* a, size_t, ExecContext&) {
  int64_t y = a[0].as_int(), m = a[1].as_int(), d = a[2].as_int();
  if (y == 0 || m < 1 || m > 12 || d < 1 || d > 31)
    raise(sqlstate::kDatetimeFieldOverflow, "date field value out of range: {}-{:02}-{:02}", y, m, d);
  int yy = static_cast<int>(y < 0 ? y + 1 : y);
  int64_t jd = dt::date_to_julian(yy, static_cast<int>(m), static_cast<int>(d));
  int cy, cm, cd;
  dt::julian_to_date(jd, cy, cm, cd);
  if (cm != m || cd != d) raise(sqlstate::kDatetimeFieldOverflow, "date field value out of range: {}-{:02}-{:02}", y, m, d);
  return Value::of(oid::kDate, jd - dt::kPostgresEpochJdate);
}

// make_timestamp(year, month, day, hour, min, sec): PostgreSQL's checks and messages.
int64_t make_local_timestamp(const Value* a, ExecContext& ctx) {
  int64_t date = f_make_date(a, 3, ctx).as_int();
  int64_t hour = a[3].as_int(), min = a[4].as_int();
  double sec = a[5].as_double();
  if (hour < 0 || min < 0 || min > 59 || !(sec >= 0) || sec > 60 || hour > 24 || (hour == 24 && (min > 0 || sec > 0))) {
    char b[64];
    std::snprintf(b, sizeof b, "%d:%02d:%02g", static_cast<int>(hour), static_cast<int>(min), sec);
    raise(sqlstate::kDatetimeFieldOverflow, "time field value out of range: {}", b);
  }
  double us = static_cast<double>(date) * dt::kUsecPerDay + static_cast<double>((hour * 60 + min) * 60) * 1e6 + std::rint(sec * 1e6);
  if (us < -211813488000000000.0 || us >= 9224318016000000000.0) {
    char b[96];
    std::snprintf(b, sizeof b, "%d-%02d-%02d %d:%02d:%02g", static_cast<int>(a[0].as_int()), static_cast<int>(a[1].as_int()),
                  static_cast<int>(a[2].as_int()), static_cast<int>(hour), static_cast<int>(min), sec);
    raise(sqlstate::kDatetimeFieldOverflow, "timestamp out of range: {}", b);
  }
  return date * dt::kUsecPerDay + (hour * 60 + min) * 60 * 1000000 + static_cast<int64_t>(std::rint(sec * 1e6));
}
Value f_make_timestamp(const Value* a, size_t, ExecContext& ctx) { return Value::of(oid::kTimestamp, make_local_timestamp(a, ctx)); }
// make_timestamptz(..., zone): the zone read as PostgreSQL's parse_sane_timezone does.
Value f_make_timestamptz(const Value* a, size_t n, ExecContext& ctx) {
  int64_t local = make_local_timestamp(a, ctx);
  if (n == 7) {
    int east = dt::zone_offset_at_local(a[6].as_string(), local);
    return Value::of(oid::kTimestamptz, local - int64_t{east} * 1000000);
  }
  dt::Context c = dctx(ctx);
  return Value::of(oid::kTimestamptz, dt::local_to_timestamptz(local, c));
}

// date_bin(stride, source, origin): the start of the stride-wide bin, counted from origin, that
// source falls in.
Value f_date_bin(const Value* a, size_t, ExecContext&) {
  Interval stride = a[0].as_interval();
  int64_t ts = a[1].as_int(), origin = a[2].as_int();
  if (ts == dt::kTsNegInf || ts == dt::kTsPosInf) return a[1];
  if (origin == dt::kTsNegInf || origin == dt::kTsPosInf) raise(sqlstate::kDatetimeFieldOverflow, "origin out of range");
  if (stride.months != 0) unsupported("timestamps cannot be binned into intervals containing months or years");
  int64_t width, diff, delta, result;
  if (__builtin_mul_overflow(int64_t{stride.days}, dt::kUsecPerDay, &width) || __builtin_add_overflow(width, stride.micros, &width))
    raise(sqlstate::kDatetimeFieldOverflow, "interval out of range");
  if (width <= 0) raise(sqlstate::kDatetimeFieldOverflow, "stride must be greater than zero");
  if (__builtin_sub_overflow(ts, origin, &diff)) raise(sqlstate::kDatetimeFieldOverflow, "interval out of range");
  delta = diff - diff % width;
  // Toward -infinity when source is before origin (not on a bin's start): the bin it is in.
  bool overflow = diff < 0 && diff % width != 0 && __builtin_sub_overflow(delta, width, &delta);
  if (overflow || __builtin_add_overflow(origin, delta, &result) || result < -211813488000000000LL ||
      result >= 9223371331200000000LL)
    raise(sqlstate::kDatetimeFieldOverflow, "timestamp out of range");
  return Value::of(a[1].type(), result);
}

Value f_to_timestamp(const Value* a, size_t, ExecContext&) {
  double secs = a[0].as_double();
  if (std::isnan(secs)) raise(sqlstate::kDatetimeFieldOverflow, "timestamp cannot be NaN");
  if (std::isinf(secs)) return Value::of(oid::kTimestamptz, secs > 0 ? dt::kTsPosInf : dt::kTsNegInf);
  double us = std::rint((secs - 946684800.0) * 1e6);
  if (us < -211813488000000000.0 || us >= 9224318016000000000.0) raise(sqlstate::kDatetimeFieldOverflow, "timestamp out of range: \"{}\"", secs);
  return Value::of(oid::kTimestamptz, static_cast<int64_t>(us));
}

Value f_isfinite(const Value* a, size_t, ExecContext&) {
  int64_t v = a[0].as_int();
  if (a[0].type() == oid::kDate) return Value::boolean(v != dt::kDatePosInf && v != dt::kDateNegInf);
  return Value::boolean(v != dt::kTsPosInf && v != dt::kTsNegInf);
}
Value f_isfinite_interval(const Value*, size_t, ExecContext&) { return Value::boolean(true); }

// AT TIME ZONE: timezone(zone, timestamptz) is the wall-clock time there; timezone(zone,
// timestamp) the instant that wall-clock time is there. The zone is a name, or an interval
// (its offset east of UTC).
std::shared_ptr<const datetime::TimeZone> zone_of(const Value& z) {
  if (z.type() == oid::kInterval) {
    Interval iv = z.as_interval();
    if (iv.months || iv.days)
      raise(sqlstate::kInvalidParameterValue, "interval time zone \"{}\" must not include months or days", "interval");
    return datetime::TimeZone::fixed(static_cast<int>(iv.micros / 1000000), "");
  }
  auto tz = datetime::TimeZone::load(z.as_string());
  if (!tz) raise(sqlstate::kInvalidParameterValue, "time zone \"{}\" not recognized", z.as_string());
  return tz;
}
// A zone named by one of PostgreSQL's abbreviations ("EST", "MSK"), which AT TIME ZONE looks
// up before zone names; nullptr for anything else.
const datetime::TzAbbrev* abbrev_of(const Value& z) {
  if (z.type() == oid::kInterval) return nullptr;
  std::string lower = z.as_string();
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return datetime::find_tz_abbrev(lower);
}
// date_trunc(field, timestamptz, zone): truncated as the wall clock in that zone reads (an
// abbreviation first: a fixed offset, or the zone a dynamic one stands for).
Value f_date_trunc_zone(const Value* a, size_t, ExecContext& ctx) {
  std::shared_ptr<const datetime::TimeZone> tz;
  if (const auto* abbrev = abbrev_of(a[2]))
    tz = abbrev->zone ? datetime::TimeZone::load(abbrev->zone) : datetime::TimeZone::fixed(abbrev->offset, abbrev->name);
  if (!tz) tz = zone_of(a[2]);
  dt::Context c = dctx(ctx);
  c.tz = tz.get();
  return Value::of(oid::kTimestamptz, dt::date_trunc(a[0].as_string(), a[1].as_int(), true, c));
}

Value f_timezone_of_tstz(const Value* a, size_t, ExecContext&) {
  if (const auto* abbrev = abbrev_of(a[0])) {
    int64_t ts = a[1].as_int();
    if (ts == dt::kTsPosInf || ts == dt::kTsNegInf) return Value::of(oid::kTimestamp, ts);
    return Value::of(oid::kTimestamp, ts + int64_t{datetime::abbrev_offset_at_utc(*abbrev, datetime::unix_seconds(ts))} * 1000000);
  }
  auto tz = zone_of(a[0]);
  dt::Context c;
  c.tz = tz.get();
  return Value::of(oid::kTimestamp, dt::timestamptz_to_local(a[1].as_int(), c));
}
Value f_timezone_of_ts(const Value* a, size_t, ExecContext&) {
  if (const auto* abbrev = abbrev_of(a[0])) {
    int64_t local = a[1].as_int();
    if (local == dt::kTsPosInf || local == dt::kTsNegInf) return Value::of(oid::kTimestamptz, local);
    return Value::of(oid::kTimestamptz, local - int64_t{datetime::abbrev_offset_for_local(*abbrev, datetime::unix_seconds(local))} * 1000000);
  }
  auto tz = zone_of(a[0]);
  dt::Context c;
  c.tz = tz.get();
  return Value::of(oid::kTimestamptz, dt::local_to_timestamptz(a[1].as_int(), c));
}

}  // namespace

namespace {
// (start1, end1) OVERLAPS (start2, end2), PostgreSQL's overlaps_timestamp: each pair in order,
// then NULL where the answer depends on a missing end.
Value f_overlaps(const Value* a, size_t, ExecContext&) {
  Value ts1 = a[0], te1 = a[1], ts2 = a[2], te2 = a[3];
  auto order = [](Value& s, Value& e) -> bool {  // false: both NULL
    if (s.is_null()) {
      if (e.is_null()) return false;
      std::swap(s, e);
    } else if (!e.is_null() && compare_values(s, e) > 0) {
      std::swap(s, e);
    }
    return true;
  };
  if (!order(ts1, te1) || !order(ts2, te2)) return Value::null(oid::kBool);
  int c = compare_values(ts1, ts2);
  if (c > 0) {
    if (te2.is_null()) return Value::null(oid::kBool);
    if (compare_values(ts1, te2) < 0) return Value::boolean(true);
    return te1.is_null() ? Value::null(oid::kBool) : Value::boolean(false);
  }
  if (c < 0) {
    if (te1.is_null()) return Value::null(oid::kBool);
    if (compare_values(ts2, te1) < 0) return Value::boolean(true);
    return te2.is_null() ? Value::null(oid::kBool) : Value::boolean(false);
  }
  return te1.is_null() || te2.is_null() ? Value::null(oid::kBool) : Value::boolean(true);
}
}  // namespace

void register_datetime_functions(std::vector<FuncDef>& out) {
  for (uint32_t t : {oid::kTimestamptz, oid::kTimestamp, oid::kTime}) out.push_back({"overlaps", {t, t, t, t}, oid::kBool, f_overlaps, false});
  using namespace oid;
  out.push_back({"now", {}, kTimestamptz, f_now});
  out.push_back({"transaction_timestamp", {}, kTimestamptz, f_now});
  out.push_back({"statement_timestamp", {}, kTimestamptz, f_statement_timestamp});
  out.push_back({"clock_timestamp", {}, kTimestamptz, f_statement_timestamp, true, true});
  out.push_back({"current_date", {}, kDate, f_current_date});
  out.push_back({"localtimestamp", {}, kTimestamp, f_localtimestamp});
  out.push_back({"localtime", {}, kTime, f_localtime});
  out.push_back({"current_user", {}, kName, f_current_user});
  out.push_back({"session_user", {}, kName, f_session_user});

  out.push_back({"+", {kDate, kInt4}, kDate, date_pl_int});
  out.push_back({"+", {kInt4, kDate}, kDate, int_pl_date});
  out.push_back({"-", {kDate, kInt4}, kDate, date_mi_int});
  out.push_back({"-", {kDate, kDate}, kInt4, date_mi_date});
  out.push_back({"+", {kDate, kInterval}, kTimestamp, date_pl_interval});
  out.push_back({"+", {kInterval, kDate}, kTimestamp, interval_pl_date});
  out.push_back({"-", {kDate, kInterval}, kTimestamp, date_mi_interval});
  out.push_back({"+", {kDate, kTime}, kTimestamp, date_pl_time});
  out.push_back({"+", {kTime, kDate}, kTimestamp, time_pl_date});
  out.push_back({"+", {kTimestamp, kInterval}, kTimestamp, ts_pl_interval<false, false>});
  out.push_back({"-", {kTimestamp, kInterval}, kTimestamp, ts_pl_interval<false, true>});
  out.push_back({"+", {kInterval, kTimestamp}, kTimestamp, interval_pl_ts<false>});
  out.push_back({"+", {kTimestamptz, kInterval}, kTimestamptz, ts_pl_interval<true, false>});
  out.push_back({"-", {kTimestamptz, kInterval}, kTimestamptz, ts_pl_interval<true, true>});
  out.push_back({"+", {kInterval, kTimestamptz}, kTimestamptz, interval_pl_ts<true>});
  out.push_back({"-", {kTimestamp, kTimestamp}, kInterval, ts_mi_ts});
  out.push_back({"-", {kTimestamptz, kTimestamptz}, kInterval, ts_mi_ts});
  out.push_back({"+", {kTime, kInterval}, kTime, time_pl_interval});
  out.push_back({"-", {kTime, kInterval}, kTime, time_mi_interval});
  out.push_back({"-", {kTime, kTime}, kInterval, time_mi_time});
  out.push_back({"+", {kInterval, kInterval}, kInterval, iv_pl});
  out.push_back({"-", {kInterval, kInterval}, kInterval, iv_mi});
  out.push_back({"-", {kInterval}, kInterval, iv_neg});
  out.push_back({"*", {kInterval, kFloat8}, kInterval, iv_mul});
  out.push_back({"*", {kFloat8, kInterval}, kInterval, mul_iv});
  out.push_back({"/", {kInterval, kFloat8}, kInterval, iv_div});

  for (uint32_t t : {kTimestamp, kTimestamptz, kDate, kTime, kInterval}) {
    out.push_back({"extract", {kText, t}, kNumeric, f_extract});
    out.push_back({"date_part", {kText, t}, kFloat8, f_date_part});
  }
  out.push_back({"date_trunc", {kText, kTimestamp}, kTimestamp, f_date_trunc<false>});
  out.push_back({"date_trunc", {kText, kTimestamptz}, kTimestamptz, f_date_trunc<true>});
  out.push_back({"date_trunc", {kText, kInterval}, kInterval, f_date_trunc_interval});
  out.push_back({"date_trunc", {kText, kTimestamptz, kText}, kTimestamptz, f_date_trunc_zone});
  out.push_back({"age", {kTimestamp, kTimestamp}, kInterval, f_age2<false>});
  out.push_back({"age", {kTimestamptz, kTimestamptz}, kInterval, f_age2<true>});
  out.push_back({"age", {kTimestamp}, kInterval, f_age1<false>});
  out.push_back({"age", {kTimestamptz}, kInterval, f_age1<true>});
  out.push_back({"justify_days", {kInterval}, kInterval, f_justify_days});
  out.push_back({"justify_hours", {kInterval}, kInterval, f_justify_hours});
  out.push_back({"justify_interval", {kInterval}, kInterval, f_justify_interval});
  out.push_back({"make_date", {kInt4, kInt4, kInt4}, kDate, f_make_date});
  out.push_back({"make_time", {kInt4, kInt4, kFloat8}, kTime, f_make_time});
  out.push_back({"make_interval", {kInt4, kInt4, kInt4, kInt4, kInt4, kInt4, kFloat8}, kInterval, f_make_interval});
  out.push_back({"make_timestamp", {kInt4, kInt4, kInt4, kInt4, kInt4, kFloat8}, kTimestamp, f_make_timestamp});
  out.push_back({"make_timestamptz", {kInt4, kInt4, kInt4, kInt4, kInt4, kFloat8}, kTimestamptz, f_make_timestamptz});
  out.push_back({"make_timestamptz", {kInt4, kInt4, kInt4, kInt4, kInt4, kFloat8, kText}, kTimestamptz, f_make_timestamptz});
  out.push_back({"date_bin", {kInterval, kTimestamp, kTimestamp}, kTimestamp, f_date_bin});
  out.push_back({"date_bin", {kInterval, kTimestamptz, kTimestamptz}, kTimestamptz, f_date_bin});
  for (uint32_t z : {kText, kInterval}) {
    out.push_back({"timezone", {z, kTimestamptz}, kTimestamp, f_timezone_of_tstz});
    out.push_back({"timezone", {z, kTimestamp}, kTimestamptz, f_timezone_of_ts});
  }
  out.push_back({"to_timestamp", {kFloat8}, kTimestamptz, f_to_timestamp});
  out.push_back({"isfinite", {kDate}, kBool, f_isfinite});
  out.push_back({"isfinite", {kTimestamp}, kBool, f_isfinite});
  out.push_back({"isfinite", {kTimestamptz}, kBool, f_isfinite});
  out.push_back({"isfinite", {kInterval}, kBool, f_isfinite_interval});
}

}  // namespace heliosdb::exec
