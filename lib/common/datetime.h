// PostgreSQL's date/time types: input (the flexible DecodeDateTime rules), output in every
// DateStyle, and the arithmetic the operators need. Representations are PostgreSQL's:
//   date         days since 2000-01-01 (kDateNegInf / kDatePosInf for -infinity / infinity)
//   time         microseconds since midnight
//   timestamp    microseconds since 2000-01-01 00:00:00 (UTC for timestamptz);
//                INT64_MIN / INT64_MAX are -infinity / infinity
//   interval     heliosdb::Interval {months, days, micros}
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "heliosdb/value.h"

namespace heliosdb::datetime {

class TimeZone;

inline constexpr int64_t kDateNegInf = INT32_MIN;
inline constexpr int64_t kDatePosInf = INT32_MAX;
inline constexpr int64_t kTsNegInf = INT64_MIN;
inline constexpr int64_t kTsPosInf = INT64_MAX;
inline constexpr int64_t kUsecPerDay = 86400000000LL;

enum Style { kISO = 0, kPostgres = 1, kSQL = 2, kGerman = 3 };
enum Order { kMDY = 0, kDMY = 1, kYMD = 2 };

struct Context {
  int style = kISO;
  int order = kMDY;
  const TimeZone* tz = nullptr;  // nullptr: UTC
  int64_t now = 0;               // transaction start, µs since 2000-01-01 UTC
};

// Input (lib/common/datetime_decode.cpp), every form PostgreSQL 15's date_in, time_in,
// timetz_in, timestamp_in and timestamptz_in accept, DateStyle's field order included. Throw
// 22007 (bad syntax), 22008 (field or value out of range), 22009 (zone displacement out of
// range) or 22023 (unknown zone name) with PostgreSQL's messages.
int64_t parse_date(std::string_view text, const Context& ctx);
int64_t parse_time(std::string_view text, const Context& ctx);
// time with time zone: the time of day, and the zone's offset in seconds west of UTC.
int64_t parse_timetz(std::string_view text, const Context& ctx, int& zone_west);
int64_t parse_timestamp(std::string_view text, const Context& ctx, bool with_tz);
// The offset (seconds east of UTC) of a zone named as make_timestamptz's argument, at a
// wall-clock time (µs since 2000-01-01): "+hh[:mm[:ss]]" in ISO sign, an abbreviation or a zone
// name; 22023 for anything else (PostgreSQL's parse_sane_timezone).
int zone_offset_at_local(std::string_view name, int64_t local);
// interval's typmod (PostgreSQL's INTERVAL_TYPMOD): the fields of its range in bits 16..30,
// its precision (0xFFFF: none) in bits 0..15.
inline constexpr int kMaskMonth = 1 << 1, kMaskYear = 1 << 2, kMaskDay = 1 << 3, kMaskHour = 1 << 10,
                     kMaskMinute = 1 << 11, kMaskSecond = 1 << 12, kFullRange = 0x7FFF;
// IntervalStyle.
enum IntervalStyle { kIntervalPostgres, kIntervalPostgresVerbose, kIntervalSqlStandard, kIntervalIso8601 };
// interval_in (lib/common/interval_input.cpp); typmod -1 for none. Under sql_standard a leading
// minus applies to every field when no other field has a sign.
Interval parse_interval(std::string_view text, int32_t typmod = -1, int style = kIntervalPostgres);
// What a typmod keeps of a value: INTERVAL DAY TO HOUR drops minutes and seconds, (p) rounds.
Interval adjust_interval(Interval iv, int32_t typmod);

// Output.
std::string format_date(int64_t date, const Context& ctx);
std::string format_time(int64_t micros);
std::string format_timestamp(int64_t ts, const Context& ctx, bool with_tz);
// interval_out in an IntervalStyle (PostgreSQL's EncodeInterval).
std::string format_interval(const Interval& iv, int style = kIntervalPostgres);

// Rounds to `precision` fractional digits (timestamp(p), time(p), interval(p)).
int64_t round_micros(int64_t micros, int precision);

// Calendar helpers.
int64_t date_to_julian(int year, int month, int day);
void julian_to_date(int64_t jd, int& year, int& month, int& day);
inline constexpr int64_t kPostgresEpochJdate = 2451545;

// Seconds since 1970-01-01 of µs since 2000-01-01 (floored), as the zone code counts time.
inline int64_t unix_seconds(int64_t micros) {
  return micros / 1000000 - (micros % 1000000 < 0 ? 1 : 0) + 946684800;
}

// Conversions between types (casts).
int64_t timestamptz_to_local(int64_t ts, const Context& ctx);      // wall-clock µs in the zone
int64_t local_to_timestamptz(int64_t local, const Context& ctx);
int64_t date_to_timestamp(int64_t date);                            // midnight; infinities kept
int64_t timestamp_to_date(int64_t ts);

// Arithmetic (errors: 22008 "timestamp out of range", "interval out of range").
int64_t timestamp_add_interval(int64_t ts, const Interval& iv, const Context* tz_ctx);
Interval timestamp_diff(int64_t a, int64_t b);
Interval interval_add(const Interval& a, const Interval& b);
Interval interval_sub(const Interval& a, const Interval& b);
Interval interval_neg(const Interval& a);
Interval interval_mul(const Interval& a, double factor);
Interval interval_div(const Interval& a, double divisor);
Interval justify_hours(const Interval& a);
Interval justify_days(const Interval& a);
Interval justify_interval(const Interval& a);
Interval age(int64_t a, int64_t b, const Context* tz_ctx);

// date_part / extract on a field name ("year", "month", "epoch", "dow", ...). Returns the value
// as numeric text with PostgreSQL 15's scales for extract (seconds "4.500000", epoch
// "981173106.000000"). type is the source type OID.
std::string extract(std::string_view field, int64_t value, uint32_t type, const Context& ctx);
std::string extract_interval(std::string_view field, const Interval& iv);
// date_trunc(field, ts) for timestamp (with_tz: in the session zone).
int64_t date_trunc(std::string_view field, int64_t ts, bool with_tz, const Context& ctx);
Interval date_trunc_interval(std::string_view field, const Interval& iv);

}  // namespace heliosdb::datetime
