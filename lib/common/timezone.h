// Time zones from the system's TZif database (/usr/share/zoneinfo), with POSIX TZ rules for
// times past the transition table, as PostgreSQL's own tz code reads them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace heliosdb::datetime {

class TimeZone {
 public:
  // Loads a zone by name (case-insensitive for the names PostgreSQL accepts: "UTC",
  // "PST8PDT", "America/New_York", a POSIX TZ string like "EST5EDT,M3.2.0,M11.1.0").
  // nullptr when unknown. Loaded zones are cached; the result is immutable and thread-safe.
  static std::shared_ptr<const TimeZone> load(std::string_view name);
  // A zone with a fixed offset (seconds east of UTC).
  static std::shared_ptr<const TimeZone> fixed(int offset_seconds, std::string name);

  const std::string& name() const { return name_; }

  struct Local {
    int offset = 0;           // seconds east of UTC
    bool dst = false;
    std::string abbrev;       // "PST", "CEST", "+03"
  };
  // What is in effect at a UTC instant (seconds since 1970-01-01).
  Local at_utc(int64_t unix_seconds) const;
  // The offset to subtract from a local wall-clock time (seconds since 1970-01-01 as if UTC) to
  // get UTC. A time in a spring-forward gap takes the offset before the transition, one in a
  // fall-back overlap the offset after it, as PostgreSQL's DetermineTimeZoneOffset does.
  int offset_for_local(int64_t local_seconds) const;
  // true, with the offset, when the zone has always had one offset (pg_get_timezone_offset).
  bool fixed_offset(int& offset) const;
  // What the abbreviation (upper case, "MSK") meant in this zone at a UTC instant: the latest
  // period using it before then, else the first after (PostgreSQL's
  // pg_interpret_timezone_abbrev). false when the zone never used it.
  bool abbrev_meaning(std::string_view abbrev, int64_t unix_seconds, int& offset, bool& dst) const;

  struct Type {
    int offset;
    bool dst;
    std::string abbrev;
  };
  struct Rule {  // a POSIX TZ rule (the TZif footer)
    bool valid = false;
    Type std_type, dst_type;
    bool has_dst = false;
    // Mm.w.d/time for the start and end of DST; time in seconds of local time.
    int start_month = 0, start_week = 0, start_day = 0, start_time = 7200;
    int end_month = 0, end_week = 0, end_day = 0, end_time = 7200;
  };

 private:
  std::string name_;
  std::vector<int64_t> transitions_;    // UTC seconds
  std::vector<uint8_t> transition_types_;
  std::vector<Type> types_;
  Rule rule_;
  friend struct ZoneLoader;
};

// A time zone abbreviation PostgreSQL 15 knows by default (timezonesets/Default): a fixed
// offset (seconds east of UTC), or a zone (dynamic: the offset it had at the time in question).
struct TzAbbrev {
  const char* name;  // lower case
  int offset;
  bool dst;
  const char* zone;  // nullptr for a fixed offset
};
// The abbreviation of this lower-case name, nullptr when none.
const TzAbbrev* find_tz_abbrev(std::string_view name);
// Seconds east of UTC that an abbreviation means at a UTC instant, and for a local wall-clock
// time (seconds since 1970-01-01 as if UTC), as PostgreSQL's DetermineTimeZoneAbbrevOffsetTS and
// DetermineTimeZoneAbbrevOffset.
int abbrev_offset_at_utc(const TzAbbrev& a, int64_t unix_seconds);
int abbrev_offset_for_local(const TzAbbrev& a, int64_t local_seconds);

// Parses a POSIX TZ string ("PST8PDT,M3.2.0,M11.1.0", "<+03>-3", "UTC0"); false when invalid.
bool parse_posix_tz(std::string_view s, TimeZone::Rule& rule);

}  // namespace heliosdb::datetime
