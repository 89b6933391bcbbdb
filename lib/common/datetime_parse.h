// The first stage of PostgreSQL's date/time input (datetime.c), shared by date, time, timetz,
// timestamp, timestamptz (datetime_decode.cpp) and interval (interval_input.cpp) input: the text
// split into typed fields (ParseDateTime), the keyword table (datetktbl), numeric zone
// displacements (DecodeTimezone) and the errors those report (DateTimeParseError).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace heliosdb::datetime {

// ParseDateTime's field types (PostgreSQL's DTK_NUMBER ... DTK_TZ).
enum FieldType {
  kNumber,   // digits and maybe a decimal point: "1999", "08", "1999.008", ".5"
  kDate,     // digits with two delimiters or an embedded word ("1999-01-08", "08-jan-1999"),
             // or a word with punctuation or digits ("america/new_york", "j2451187", "est5edt")
  kTime,     // digits with colons: "04:05:06.789"
  kString,   // a word: "january", "pst", "allballs"
  kSpecial,  // a sign and a word: "-infinity"
  kTz,       // a sign and digits: "-08", "+05:30", "-1999" (a signed number)
};
struct Field {
  std::string text;  // lower-cased
  FieldType type;
};

// PostgreSQL's DTERR_* codes.
enum class Err { kNone, kBadFormat, kOverflow, kMdOverflow, kTzDispOverflow };

// Work-buffer sizes of the callers: date/time input reads into MAXDATELEN + 1 bytes, interval
// input into 256; longer text is a syntax error, as are more than MAXDATEFIELDS (25) fields.
inline constexpr size_t kDateBufLen = 129, kIntervalBufLen = 256, kMaxDateFields = 25;

// ParseDateTime: splits `s` into fields, lower-casing words.
Err split_fields(std::string_view s, size_t buflen, std::vector<Field>& out);

// A word of the date/time keyword table (datetktbl), compared on its first 10 characters.
// Token types are PostgreSQL's (their bit in a field mask is 1 << type).
namespace dtk {
enum TokenType {
  kReserved = 0, kMonth = 1, kYear = 2, kDay = 3, kJulian = 4, kTzAbbrev = 5, kDstTzAbbrev = 6,
  kDynTzAbbrev = 7, kIgnore = 8, kAmPm = 9, kHour = 10, kMinute = 11, kSecond = 12, kMillisecond = 13,
  kMicrosecond = 14, kDoy = 15, kDow = 16, kUnits = 17, kAdBc = 18, kIsoTime = 23, kDstModifier = 28,
  kUnknownField = 31,
};
// Values of kReserved words, and of the kUnits / kIsoTime prefixes ("j2451187", "t040506").
enum TokenValue {
  kNow = 1, kEpoch, kLate, kEarly, kToday, kTomorrow, kYesterday, kZulu,
  kUnitYear, kUnitMonth, kUnitDay, kUnitHour, kUnitMinute, kUnitSecond, kUnitJulian, kUnitTime, kUnitTz,
  kUnitDow, kUnitDoy, kUnitIsoDow, kUnitIsoYear,
};
inline constexpr int kAm = 0, kPm = 1, kHr24 = 2, kAd = 0, kBc = 1;
}  // namespace dtk
struct Keyword {
  const char* token;
  int type;
  int value;
};
// nullptr when `word` (lower case) is no keyword.
const Keyword* find_keyword(std::string_view word);

// DecodeTimezone: "+hh", "-hhmm", "+hh:mm[:ss]" into seconds WEST of UTC (PostgreSQL's sign
// for tm offsets). kTzDispOverflow past 15 hours.
Err decode_timezone(std::string_view s, int& west);

// DateTimeParseError: raises 22007 "invalid input syntax for type <type>", 22008 "date/time
// field value out of range" (with the DateStyle hint for kMdOverflow) or 22009 "time zone
// displacement out of range", each quoting `text`.
[[noreturn]] void raise_parse_error(Err e, std::string_view text, const char* type);

}  // namespace heliosdb::datetime
