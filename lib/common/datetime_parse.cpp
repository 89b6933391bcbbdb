// ParseDateTime, the keyword table, DecodeTimezone and DateTimeParseError, after PostgreSQL 15's
// datetime.c.
#include "common/datetime_parse.h"

#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>

#include "common/errors.h"

namespace heliosdb::datetime {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) { return is_digit(c) || is_alpha(c); }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// datetktbl, in strcmp order.
constexpr Keyword kKeywords[] = {
    {"-infinity", dtk::kReserved, dtk::kEarly}, {"ad", dtk::kAdBc, dtk::kAd},
    {"allballs", dtk::kReserved, dtk::kZulu}, {"am", dtk::kAmPm, dtk::kAm}, {"apr", dtk::kMonth, 4},
    {"april", dtk::kMonth, 4}, {"at", dtk::kIgnore, 0}, {"aug", dtk::kMonth, 8}, {"august", dtk::kMonth, 8},
    {"bc", dtk::kAdBc, dtk::kBc}, {"d", dtk::kUnits, dtk::kUnitDay}, {"dec", dtk::kMonth, 12},
    {"december", dtk::kMonth, 12}, {"dow", dtk::kUnits, dtk::kUnitDow}, {"doy", dtk::kUnits, dtk::kUnitDoy},
    {"dst", dtk::kDstModifier, 3600}, {"epoch", dtk::kReserved, dtk::kEpoch}, {"feb", dtk::kMonth, 2},
    {"february", dtk::kMonth, 2}, {"fri", dtk::kDow, 5}, {"friday", dtk::kDow, 5},
    {"h", dtk::kUnits, dtk::kUnitHour}, {"infinity", dtk::kReserved, dtk::kLate},
    {"isodow", dtk::kUnits, dtk::kUnitIsoDow}, {"isoyear", dtk::kUnits, dtk::kUnitIsoYear},
    {"j", dtk::kUnits, dtk::kUnitJulian}, {"jan", dtk::kMonth, 1}, {"january", dtk::kMonth, 1},
    {"jd", dtk::kUnits, dtk::kUnitJulian}, {"jul", dtk::kMonth, 7}, {"julian", dtk::kUnits, dtk::kUnitJulian},
    {"july", dtk::kMonth, 7}, {"jun", dtk::kMonth, 6}, {"june", dtk::kMonth, 6},
    {"m", dtk::kUnits, dtk::kUnitMonth}, {"mar", dtk::kMonth, 3}, {"march", dtk::kMonth, 3},
    {"may", dtk::kMonth, 5}, {"mm", dtk::kUnits, dtk::kUnitMinute}, {"mon", dtk::kDow, 1},
    {"monday", dtk::kDow, 1}, {"nov", dtk::kMonth, 11}, {"november", dtk::kMonth, 11},
    {"now", dtk::kReserved, dtk::kNow}, {"oct", dtk::kMonth, 10}, {"october", dtk::kMonth, 10},
    {"on", dtk::kIgnore, 0}, {"pm", dtk::kAmPm, dtk::kPm}, {"s", dtk::kUnits, dtk::kUnitSecond},
    {"sat", dtk::kDow, 6}, {"saturday", dtk::kDow, 6}, {"sep", dtk::kMonth, 9}, {"sept", dtk::kMonth, 9},
    {"september", dtk::kMonth, 9}, {"sun", dtk::kDow, 0}, {"sunday", dtk::kDow, 0},
    {"t", dtk::kIsoTime, dtk::kUnitTime}, {"thu", dtk::kDow, 4}, {"thur", dtk::kDow, 4},
    {"thurs", dtk::kDow, 4}, {"thursday", dtk::kDow, 4}, {"today", dtk::kReserved, dtk::kToday},
    {"tomorrow", dtk::kReserved, dtk::kTomorrow}, {"tue", dtk::kDow, 2}, {"tues", dtk::kDow, 2},
    {"tuesday", dtk::kDow, 2}, {"wed", dtk::kDow, 3}, {"wednesday", dtk::kDow, 3}, {"weds", dtk::kDow, 3},
    {"y", dtk::kUnits, dtk::kUnitYear}, {"yesterday", dtk::kReserved, dtk::kYesterday},
};

// strtol into an int, as PostgreSQL's strtoint: false on overflow. `pos` ends after the digits
// (unchanged when there are none).
bool read_int(std::string_view s, size_t& pos, int& out) {
  size_t p = pos;
  bool neg = false;
  if (p < s.size() && (s[p] == '+' || s[p] == '-')) neg = s[p++] == '-';
  if (p >= s.size() || !is_digit(s[p])) {
    out = 0;
    return true;
  }
  long long v = 0;
  bool overflow = false;
  for (; p < s.size() && is_digit(s[p]); ++p) {
    v = v * 10 + (s[p] - '0');
    if (v > static_cast<long long>(INT_MAX) + 1) overflow = true, v = static_cast<long long>(INT_MAX) + 1;
  }
  if (neg) v = -v;
  pos = p;
  if (overflow || v > INT_MAX || v < INT_MIN) return false;
  out = static_cast<int>(v);
  return true;
}

}  // namespace

const Keyword* find_keyword(std::string_view word) {
  std::string_view key = word.substr(0, 10);
  for (const Keyword& k : kKeywords)
    if (key == std::string_view(k.token).substr(0, 10)) return &k;
  return nullptr;
}

Err split_fields(std::string_view s, size_t buflen, std::vector<Field>& out) {
  // `used` counts the bytes PostgreSQL's work buffer would hold: each field and its terminator.
  size_t used = 0;
  size_t i = 0;
  bool full = false;
  auto append = [&](Field& f, char c) {
    if (used + 1 >= buflen) full = true;
    ++used;
    f.text += c;
  };
  while (i < s.size()) {
    char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    if (out.size() >= kMaxDateFields) return Err::kBadFormat;
    Field f;
    if (is_digit(c)) {
      while (i < s.size() && is_digit(s[i])) append(f, s[i++]);
      if (i < s.size() && s[i] == ':') {
        f.type = kTime;
        while (i < s.size() && (is_digit(s[i]) || s[i] == ':' || s[i] == '.')) append(f, s[i++]);
      } else if (i < s.size() && (s[i] == '-' || s[i] == '/' || s[i] == '.')) {
        char delim = s[i];
        append(f, s[i++]);
        if (i < s.size() && is_digit(s[i])) {
          f.type = delim == '.' ? kNumber : kDate;
          while (i < s.size() && is_digit(s[i])) append(f, s[i++]);
          if (i < s.size() && s[i] == delim) {  // a three-field date needs the same delimiter twice
            f.type = kDate;
            while (i < s.size() && (is_digit(s[i]) || s[i] == delim)) append(f, s[i++]);
          }
        } else {
          f.type = kDate;  // an embedded month name: "08-jan-1999"
          while (i < s.size() && (is_alnum(s[i]) || s[i] == delim)) append(f, lower(s[i++]));
        }
      } else {
        f.type = kNumber;
      }
    } else if (c == '.') {
      append(f, s[i++]);
      while (i < s.size() && is_digit(s[i])) append(f, s[i++]);
      f.type = kNumber;
    } else if (is_alpha(c)) {
      f.type = kString;
      while (i < s.size() && is_alpha(s[i])) append(f, lower(s[i++]));
      // A date with punctuation, or a zone name ("America/New_York", "EST5EDT", "GMT+8"),
      // unless the word is a keyword followed by digits ("j2451187", "t040506").
      bool date = false;
      if (i < s.size() && (s[i] == '-' || s[i] == '/' || s[i] == '.')) date = true;
      else if (i < s.size() && (s[i] == '+' || is_digit(s[i]))) date = find_keyword(f.text) == nullptr;
      if (date) {
        f.type = kDate;
        do {
          append(f, lower(s[i++]));
        } while (i < s.size() && (s[i] == '+' || s[i] == '-' || s[i] == '/' || s[i] == '_' || s[i] == '.' ||
                                  s[i] == ':' || is_alnum(s[i])));
      }
    } else if (c == '+' || c == '-') {
      append(f, s[i++]);
      while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
      if (i < s.size() && is_digit(s[i])) {
        f.type = kTz;  // a numeric zone, or a signed number or "yyyy-mm" in an interval
        while (i < s.size() && (is_digit(s[i]) || s[i] == ':' || s[i] == '.' || s[i] == '-')) append(f, s[i++]);
      } else if (i < s.size() && is_alpha(s[i])) {
        f.type = kSpecial;
        while (i < s.size() && is_alpha(s[i])) append(f, lower(s[i++]));
      } else {
        return Err::kBadFormat;
      }
    } else if (std::ispunct(static_cast<unsigned char>(c))) {
      ++i;  // other punctuation only separates
      continue;
    } else {
      return Err::kBadFormat;
    }
    if (full) return Err::kBadFormat;
    ++used;  // the field's terminator
    out.push_back(std::move(f));
  }
  return Err::kNone;
}

Err decode_timezone(std::string_view s, int& west) {
  if (s.empty() || (s[0] != '+' && s[0] != '-')) return Err::kBadFormat;
  size_t pos = 1;
  int hr = 0, min = 0, sec = 0;
  if (!read_int(s, pos, hr)) return Err::kTzDispOverflow;
  if (pos < s.size() && s[pos] == ':') {
    ++pos;
    if (!read_int(s, pos, min)) return Err::kTzDispOverflow;
    if (pos < s.size() && s[pos] == ':') {
      ++pos;
      if (!read_int(s, pos, sec)) return Err::kTzDispOverflow;
    }
  } else if (pos == s.size() && s.size() > 3) {
    // Run together: "-0800" (but not hhmmss).
    min = hr % 100;
    hr /= 100;
  }
  // PostgreSQL's MAX_TZDISP_HOUR.
  if (hr < 0 || hr > 15 || min < 0 || min >= 60 || sec < 0 || sec >= 60) return Err::kTzDispOverflow;
  int tz = (hr * 60 + min) * 60 + sec;
  west = s[0] == '-' ? tz : -tz;
  return pos == s.size() ? Err::kNone : Err::kBadFormat;
}

void raise_parse_error(Err e, std::string_view text, const char* type) {
  switch (e) {
    case Err::kOverflow:
      raise(sqlstate::kDatetimeFieldOverflow, "date/time field value out of range: \"{}\"", text);
    case Err::kMdOverflow:
      throw Error(sqlstate::kDatetimeFieldOverflow, fmt::format("date/time field value out of range: \"{}\"", text))
          .with_hint("Perhaps you need a different \"datestyle\" setting.");
    case Err::kTzDispOverflow:
      raise(sqlstate::kInvalidTimeZoneDisplacementValue, "time zone displacement out of range: \"{}\"", text);
    default:
      raise(sqlstate::kInvalidDatetimeFormat, "invalid input syntax for type {}: \"{}\"", type, text);
  }
}

}  // namespace heliosdb::datetime
