#include "common/timezone.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>

namespace heliosdb::datetime {

namespace {

int64_t be(const unsigned char* p, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | p[i];
  if (n == 4) return static_cast<int32_t>(static_cast<uint32_t>(v));
  return static_cast<int64_t>(v);
}

bool parse_name(std::string_view& s, std::string& out) {
  out.clear();
  if (!s.empty() && s[0] == '<') {
    size_t e = s.find('>');
    if (e == std::string_view::npos) return false;
    out = std::string(s.substr(1, e - 1));
    s.remove_prefix(e + 1);
    return !out.empty();
  }
  while (!s.empty() && std::isalpha(static_cast<unsigned char>(s[0]))) {
    out.push_back(s[0]);
    s.remove_prefix(1);
  }
  return !out.empty();  // PostgreSQL's tzparse takes abbreviations of any length ("J-1")
}

// [+-]hh[:mm[:ss]] in seconds.
bool parse_hms(std::string_view& s, int& secs, bool allow_sign) {
  int sign = 1;
  if (allow_sign && !s.empty() && (s[0] == '+' || s[0] == '-')) {
    if (s[0] == '-') sign = -1;
    s.remove_prefix(1);
  }
  int part[3] = {0, 0, 0};
  for (int i = 0; i < 3; ++i) {
    if (s.empty() || !std::isdigit(static_cast<unsigned char>(s[0]))) {
      if (i == 0) return false;
      break;
    }
    int v = 0;
    while (!s.empty() && std::isdigit(static_cast<unsigned char>(s[0]))) {
      v = v * 10 + (s[0] - '0');
      s.remove_prefix(1);
    }
    part[i] = v;
    if (i < 2 && !s.empty() && s[0] == ':') s.remove_prefix(1);
    else break;
  }
  secs = sign * (part[0] * 3600 + part[1] * 60 + part[2]);
  return true;
}

bool parse_rule_date(std::string_view& s, int& month, int& week, int& day, int& time) {
  if (s.empty() || s[0] != 'M') return false;  // Jn and n forms are not used by the tz database
  s.remove_prefix(1);
  int vals[3];
  for (int i = 0; i < 3; ++i) {
    int v = 0;
    if (s.empty() || !std::isdigit(static_cast<unsigned char>(s[0]))) return false;
    while (!s.empty() && std::isdigit(static_cast<unsigned char>(s[0]))) {
      v = v * 10 + (s[0] - '0');
      s.remove_prefix(1);
    }
    vals[i] = v;
    if (i < 2) {
      if (s.empty() || s[0] != '.') return false;
      s.remove_prefix(1);
    }
  }
  month = vals[0];
  week = vals[1];
  day = vals[2];
  time = 7200;
  if (!s.empty() && s[0] == '/') {
    s.remove_prefix(1);
    if (!parse_hms(s, time, true)) return false;
  }
  return month >= 1 && month <= 12 && week >= 1 && week <= 5 && day >= 0 && day <= 6;
}

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

int64_t year_of(int64_t unix_seconds) {
  int64_t days = unix_seconds >= 0 ? unix_seconds / 86400 : (unix_seconds - 86399) / 86400;
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return y + (m <= 2);
}

// Local seconds (since 1970) of "day d of week w of month m" at `time` in `year`.
int64_t rule_local(int64_t year, int month, int week, int day, int time) {
  int64_t first = days_from_civil(year, static_cast<unsigned>(month), 1);
  int wday_first = static_cast<int>(((first % 7) + 7 + 4) % 7);  // 1970-01-01 was a Thursday
  int64_t d = first + ((day - wday_first + 7) % 7) + (week - 1) * 7;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int mdays = kDays[month - 1] + (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0));
  while (d >= first + mdays) d -= 7;
  return d * 86400 + time;
}

}  // namespace

bool parse_posix_tz(std::string_view s, TimeZone::Rule& rule) {
  rule = TimeZone::Rule{};
  std::string name;
  if (!parse_name(s, name)) return false;
  int off;
  if (!parse_hms(s, off, true)) return false;
  rule.std_type = {-off, false, name};  // POSIX offsets are west-positive
  if (s.empty()) {
    rule.valid = true;
    return true;
  }
  if (!parse_name(s, name)) return false;
  rule.has_dst = true;
  int dst_off = -off + 3600;
  if (!s.empty() && s[0] != ',') {
    if (!parse_hms(s, off, true)) return false;
    dst_off = -off;
  }
  rule.dst_type = {dst_off, true, name};
  if (s.empty()) {  // no rule given: the US rules, as in POSIX's default
    rule.start_month = 3, rule.start_week = 2, rule.start_day = 0;
    rule.end_month = 11, rule.end_week = 1, rule.end_day = 0;
  } else {
    if (s[0] != ',') return false;
    s.remove_prefix(1);
    if (!parse_rule_date(s, rule.start_month, rule.start_week, rule.start_day, rule.start_time)) return false;
    if (s.empty() || s[0] != ',') return false;
    s.remove_prefix(1);
    if (!parse_rule_date(s, rule.end_month, rule.end_week, rule.end_day, rule.end_time)) return false;
  }
  rule.valid = s.empty();
  return rule.valid;
}

struct ZoneLoader {
  static std::shared_ptr<TimeZone> from_file(const std::string& path, std::string name) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return nullptr;
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto* p = reinterpret_cast<const unsigned char*>(data.data());
    size_t size = data.size();
    if (size < 44 || data.compare(0, 4, "TZif") != 0) return nullptr;
    auto z = std::make_shared<TimeZone>();
    z->name_ = std::move(name);
    auto counts = [&](size_t at, int64_t c[6]) {
      for (int i = 0; i < 6; ++i) c[i] = be(p + at + 20 + 4 * i, 4);
    };
    int64_t c[6];
    counts(0, c);
    size_t v1_len = static_cast<size_t>(c[3] * 5 + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0]);
    size_t at = 44;
    int tsize = 4;
    if (data[4] >= '2' && 44 + v1_len + 44 <= size) {
      at = 44 + v1_len;
      counts(at, c);
      at += 44;
      tsize = 8;
    }
    int64_t isut = c[0], isstd = c[1], leap = c[2], timecnt = c[3], typecnt = c[4], charcnt = c[5];
    size_t need = static_cast<size_t>(timecnt * (tsize + 1) + typecnt * 6 + charcnt + leap * (tsize + 4) + isstd + isut);
    if (at + need > size || typecnt <= 0) return nullptr;
    for (int64_t i = 0; i < timecnt; ++i) z->transitions_.push_back(be(p + at + static_cast<size_t>(i) * tsize, tsize));
    at += static_cast<size_t>(timecnt * tsize);
    for (int64_t i = 0; i < timecnt; ++i) z->transition_types_.push_back(p[at + static_cast<size_t>(i)]);
    at += static_cast<size_t>(timecnt);
    size_t chars_at = at + static_cast<size_t>(typecnt * 6);
    for (int64_t i = 0; i < typecnt; ++i) {
      const unsigned char* t = p + at + static_cast<size_t>(i) * 6;
      size_t ai = t[5];
      std::string abbrev;
      for (size_t k = chars_at + ai; k < chars_at + static_cast<size_t>(charcnt) && p[k]; ++k) abbrev.push_back(static_cast<char>(p[k]));
      z->types_.push_back({static_cast<int>(be(t, 4)), t[4] != 0, abbrev});
    }
    for (auto tt : z->transition_types_)
      if (tt >= z->types_.size()) return nullptr;
    at += static_cast<size_t>(typecnt * 6 + charcnt + leap * (tsize + 4) + isstd + isut);
    if (tsize == 8 && at < size && data[at] == '\n') {
      size_t e = data.find('\n', at + 1);
      if (e != std::string::npos) parse_posix_tz(std::string_view(data).substr(at + 1, e - at - 1), z->rule_);
    }
    return z;
  }
};

std::shared_ptr<const TimeZone> TimeZone::fixed(int offset_seconds, std::string name) {
  auto z = std::make_shared<TimeZone>();
  z->name_ = std::move(name);
  z->types_.push_back({offset_seconds, false, z->name_});
  return z;
}

std::shared_ptr<const TimeZone> TimeZone::load(std::string_view name_in) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const TimeZone>> cache;
  std::string name(name_in);
  std::string key;
  for (char ch : name) key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
  std::lock_guard lock(mu);
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  std::shared_ptr<const TimeZone> z;
  int h = 0, m = 0, sec = 0, used = 0;
  const char* digits = name.c_str() + (!name.empty() && (name[0] == '+' || name[0] == '-'));
  if (key == "utc" || key == "gmt" || key == "z" || key == "zulu" || key == "uct" || key == "etc/utc") {
    z = fixed(0, key == "gmt" ? "GMT" : "UTC");
  } else if (!name.empty() && std::isdigit(static_cast<unsigned char>(*digits)) &&
             (std::sscanf(digits, "%2d:%2d:%2d%n", &h, &m, &sec, &used) == 3 || std::sscanf(digits, "%2d:%2d%n", &h, &m, &used) == 2 ||
              std::sscanf(digits, "%2d%n", &h, &used) == 1) &&
             digits + used == name.c_str() + name.size() && h <= 24 && m < 60 && sec < 60) {
    // A POSIX offset with no abbreviation ("-04:30"): hours west of UTC, so 4:30 east.
    auto f = std::make_shared<TimeZone>();
    f->name_ = name;
    f->types_.push_back({(h * 3600 + m * 60 + sec) * (name[0] == '-' ? 1 : -1), false, ""});
    z = f;
  } else if (!name.empty() && name.find("..") == std::string::npos && name[0] != '/') {
    namespace fs = std::filesystem;
    fs::path base("/usr/share/zoneinfo");
    fs::path p = base / name;
    if (!fs::is_regular_file(p)) {
      // Case-insensitive match, component by component (PostgreSQL accepts "america/new_york").
      fs::path cur = base;
      bool ok = true;
      std::string rest = name;
      size_t pos = 0;
      while (ok && pos <= rest.size()) {
        size_t e = rest.find('/', pos);
        std::string comp = rest.substr(pos, e == std::string::npos ? std::string::npos : e - pos);
        bool found = false;
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(cur, ec)) {
          std::string fname = entry.path().filename().string();
          if (fname.size() == comp.size() &&
              std::equal(fname.begin(), fname.end(), comp.begin(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
              })) {
            cur /= fname;
            found = true;
            break;
          }
        }
        ok = found;
        if (e == std::string::npos) break;
        pos = e + 1;
      }
      if (ok && fs::is_regular_file(cur)) p = cur;
    }
    if (fs::is_regular_file(p)) z = ZoneLoader::from_file(p.string(), name);
  }
  if (!z) {
    Rule r;
    if (parse_posix_tz(name, r)) {
      auto tz = std::make_shared<TimeZone>();
      tz->name_ = name;
      tz->types_.push_back(r.std_type);
      tz->rule_ = r;
      z = tz;
    }
  }
  if (z) cache[key] = z;
  return z;
}

TimeZone::Local TimeZone::at_utc(int64_t t) const {
  auto from_type = [](const Type& ty) { return Local{ty.offset, ty.dst, ty.abbrev}; };
  if (!transitions_.empty() && t < transitions_.back()) {
    auto it = std::upper_bound(transitions_.begin(), transitions_.end(), t);
    if (it == transitions_.begin()) {
      // Before the first transition: the first non-DST type (TZif's rule).
      for (const auto& ty : types_)
        if (!ty.dst) return from_type(ty);
      return from_type(types_[0]);
    }
    return from_type(types_[transition_types_[static_cast<size_t>(it - transitions_.begin() - 1)]]);
  }
  if (rule_.valid) {
    if (!rule_.has_dst) return from_type(rule_.std_type);
    int64_t year = year_of(t + rule_.std_type.offset);
    int64_t start = rule_local(year, rule_.start_month, rule_.start_week, rule_.start_day, rule_.start_time) - rule_.std_type.offset;
    int64_t end = rule_local(year, rule_.end_month, rule_.end_week, rule_.end_day, rule_.end_time) - rule_.dst_type.offset;
    bool dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
    return from_type(dst ? rule_.dst_type : rule_.std_type);
  }
  if (!transitions_.empty()) return from_type(types_[transition_types_.back()]);
  return from_type(types_[0]);
}

int TimeZone::offset_for_local(int64_t local) const {
  int early = at_utc(local - 86400).offset;
  int late = at_utc(local + 86400).offset;
  // PostgreSQL's DetermineTimeZoneOffset: in a fall-back overlap prefer the later
  // interpretation, in a spring-forward gap the earlier offset.
  if (at_utc(local - late).offset == late) return late;
  if (at_utc(local - early).offset == early) return early;
  return early;
}

bool TimeZone::fixed_offset(int& offset) const {
  if (types_.empty()) return false;
  for (const Type& t : types_)
    if (t.offset != types_[0].offset) return false;
  if (rule_.valid && (rule_.std_type.offset != types_[0].offset || (rule_.has_dst && rule_.dst_type.offset != types_[0].offset)))
    return false;
  offset = types_[0].offset;
  return true;
}

bool TimeZone::abbrev_meaning(std::string_view abbrev, int64_t t, int& offset, bool& dst) const {
  auto matches = [&](size_t i) {
    const Type& ty = types_[transition_types_[i]];
    if (ty.abbrev != abbrev) return false;
    offset = ty.offset;
    dst = ty.dst;
    return true;
  };
  size_t cutoff = static_cast<size_t>(std::upper_bound(transitions_.begin(), transitions_.end(), t) - transitions_.begin());
  for (size_t i = cutoff; i-- > 0;)
    if (matches(i)) return true;
  for (size_t i = cutoff; i < transitions_.size(); ++i)
    if (matches(i)) return true;
  return false;
}

extern const TzAbbrev kTzAbbrevs[];
extern const size_t kTzAbbrevCount;

const TzAbbrev* find_tz_abbrev(std::string_view name) {
  const TzAbbrev* end = kTzAbbrevs + kTzAbbrevCount;
  const TzAbbrev* it = std::lower_bound(kTzAbbrevs, end, name, [](const TzAbbrev& a, std::string_view n) { return a.name < n; });
  return it != end && it->name == name ? it : nullptr;
}

namespace {
std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}
}  // namespace

int abbrev_offset_at_utc(const TzAbbrev& a, int64_t t) {
  if (!a.zone) return a.offset;
  auto zone = TimeZone::load(a.zone);
  if (!zone) return 0;
  int offset;
  bool dst;
  return zone->abbrev_meaning(upper(a.name), t, offset, dst) ? offset : zone->at_utc(t).offset;
}

int abbrev_offset_for_local(const TzAbbrev& a, int64_t local) {
  if (!a.zone) return a.offset;
  auto zone = TimeZone::load(a.zone);
  if (!zone) return 0;
  int zone_offset = zone->offset_for_local(local), offset;
  bool dst;
  return zone->abbrev_meaning(upper(a.name), local - zone_offset, offset, dst) ? offset : zone_offset;
}

}  // namespace heliosdb::datetime
