// Time zones from the system's TZif database (/usr/share/zoneinfo), with POSIX TZ rules for
// times past the transition table, as PostgreSQL's own tz code reads them.
#pragma once

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

// Parses a POSIX TZ string ("PST8PDT,M3.2.0,M11.1.0", "<+03>-3", "UTC0"); false when invalid.
bool parse_posix_tz(std::string_view s, TimeZone::Rule& rule);

}  // namespace heliosdb::datetime
