// Date templates read back: to_timestamp(text, text) and to_date(text, text). A port of the
// parsing half of PostgreSQL's formatting.c (parse_format for DCH, DCH_from_char,
// from_char_parse_int_len, from_char_seq_search and do_to_timestamp), with PostgreSQL 12+'s
// separator and space rules, FX, FM and TH, and its errors word for word. We run in the C
// locale, so TM reads the English names like the plain fields do.
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "common/datetime.h"
#include "common/datetime_parse.h"
#include "common/errors.h"
#include "common/timezone.h"
#include "executor/builtins.h"

namespace heliosdb::exec {
namespace {

namespace dt = datetime;

// formatting.c's DCH_poz, reduced to what reading needs: the lower-case spellings that act
// alike share the upper-case id.
enum class Id {
  kA_D, kA_M, kAD, kAM, kB_C, kBC, kCC, kDAY, kDDD, kDD, kDY, kDay, kDy, kD,
  kFF1, kFF2, kFF3, kFF4, kFF5, kFF6, kFX, kHH24, kHH12, kHH, kIDDD, kID, kIW, kIYYY, kIYY, kIY, kI,
  kJ, kMI, kMM, kMONTH, kMON, kMS, kMonth, kMon, kOF, kP_M, kPM, kQ, kRM, kSSSS, kSS, kTZH, kTZM,
  kTZ, kUS, kWW, kW, kY_YYY, kYYYY, kYYY, kYY, kY,
  ka_d, ka_m, kad, kam, kb_c, kbc, kday, kdy, kmonth, kmon, kp_m, kpm, krm, ktz,
};

// Date conventions a field belongs to (FromCharDateMode).
enum class Mode { kNone, kGregorian, kIsoWeek };

struct Keyword {
  std::string_view name;
  Id id;
  bool is_digit;
  Mode mode;
};

constexpr Mode N = Mode::kNone, G = Mode::kGregorian, I = Mode::kIsoWeek;

// DCH_keywords: grouped by first character, a keyword before its prefixes ("DDD", "DD", "D"),
// so the first match is the one index_seq_search finds. Names are what errors quote.
constexpr Keyword kKeywords[] = {
    {"A.D.", Id::kA_D, false, N}, {"A.M.", Id::kA_M, false, N}, {"AD", Id::kAD, false, N},
    {"AM", Id::kAM, false, N}, {"B.C.", Id::kB_C, false, N}, {"BC", Id::kBC, false, N},
    {"CC", Id::kCC, true, N}, {"DAY", Id::kDAY, false, N}, {"DDD", Id::kDDD, true, G},
    {"DD", Id::kDD, true, G}, {"DY", Id::kDY, false, N}, {"Day", Id::kDay, false, N},
    {"Dy", Id::kDy, false, N}, {"D", Id::kD, true, G}, {"FF1", Id::kFF1, true, N},
    {"FF2", Id::kFF2, true, N}, {"FF3", Id::kFF3, true, N}, {"FF4", Id::kFF4, true, N},
    {"FF5", Id::kFF5, true, N}, {"FF6", Id::kFF6, true, N}, {"FX", Id::kFX, false, N},
    {"HH24", Id::kHH24, true, N}, {"HH12", Id::kHH12, true, N}, {"HH", Id::kHH, true, N},
    {"IDDD", Id::kIDDD, true, I}, {"ID", Id::kID, true, I}, {"IW", Id::kIW, true, I},
    {"IYYY", Id::kIYYY, true, I}, {"IYY", Id::kIYY, true, I}, {"IY", Id::kIY, true, I},
    {"I", Id::kI, true, I}, {"J", Id::kJ, true, N}, {"MI", Id::kMI, true, N},
    {"MM", Id::kMM, true, G}, {"MONTH", Id::kMONTH, false, G}, {"MON", Id::kMON, false, G},
    {"MS", Id::kMS, true, N}, {"Month", Id::kMonth, false, G}, {"Mon", Id::kMon, false, G},
    {"OF", Id::kOF, false, N}, {"P.M.", Id::kP_M, false, N}, {"PM", Id::kPM, false, N},
    {"Q", Id::kQ, true, N}, {"RM", Id::kRM, false, G}, {"SSSSS", Id::kSSSS, true, N},
    {"SSSS", Id::kSSSS, true, N}, {"SS", Id::kSS, true, N}, {"TZH", Id::kTZH, false, N},
    {"TZM", Id::kTZM, true, N}, {"TZ", Id::kTZ, false, N}, {"US", Id::kUS, true, N},
    {"WW", Id::kWW, true, G}, {"W", Id::kW, true, G}, {"Y,YYY", Id::kY_YYY, true, G},
    {"YYYY", Id::kYYYY, true, G}, {"YYY", Id::kYYY, true, G}, {"YY", Id::kYY, true, G},
    {"Y", Id::kY, true, G}, {"a.d.", Id::ka_d, false, N}, {"a.m.", Id::ka_m, false, N},
    {"ad", Id::kad, false, N}, {"am", Id::kam, false, N}, {"b.c.", Id::kb_c, false, N},
    {"bc", Id::kbc, false, N}, {"cc", Id::kCC, true, N}, {"day", Id::kday, false, N},
    {"ddd", Id::kDDD, true, G}, {"dd", Id::kDD, true, G}, {"dy", Id::kdy, false, N},
    {"d", Id::kD, true, G}, {"ff1", Id::kFF1, true, N}, {"ff2", Id::kFF2, true, N},
    {"ff3", Id::kFF3, true, N}, {"ff4", Id::kFF4, true, N}, {"ff5", Id::kFF5, true, N},
    {"ff6", Id::kFF6, true, N}, {"fx", Id::kFX, false, N}, {"hh24", Id::kHH24, true, N},
    {"hh12", Id::kHH12, true, N}, {"hh", Id::kHH, true, N}, {"iddd", Id::kIDDD, true, I},
    {"id", Id::kID, true, I}, {"iw", Id::kIW, true, I}, {"iyyy", Id::kIYYY, true, I},
    {"iyy", Id::kIYY, true, I}, {"iy", Id::kIY, true, I}, {"i", Id::kI, true, I},
    {"j", Id::kJ, true, N}, {"mi", Id::kMI, true, N}, {"mm", Id::kMM, true, G},
    {"month", Id::kmonth, false, G}, {"mon", Id::kmon, false, G}, {"ms", Id::kMS, true, N},
    {"of", Id::kOF, false, N}, {"p.m.", Id::kp_m, false, N}, {"pm", Id::kpm, false, N},
    {"q", Id::kQ, true, N}, {"rm", Id::krm, false, G}, {"sssss", Id::kSSSS, true, N},
    {"ssss", Id::kSSSS, true, N}, {"ss", Id::kSS, true, N}, {"tzh", Id::kTZH, false, N},
    {"tzm", Id::kTZM, true, N}, {"tz", Id::ktz, false, N}, {"us", Id::kUS, true, N},
    {"ww", Id::kWW, true, G}, {"w", Id::kW, true, G}, {"y,yyy", Id::kY_YYY, true, G},
    {"yyyy", Id::kYYYY, true, G}, {"yyy", Id::kYYY, true, G}, {"yy", Id::kYY, true, G},
    {"y", Id::kY, true, G},
};

// Suffix bits (DCH_S_*).
constexpr int kSuffixFM = 0x01, kSuffixTH = 0x02, kSuffixth = 0x04, kSuffixSP = 0x08, kSuffixTM = 0x10;

struct Suffix {
  std::string_view name;
  int bit;
  bool prefix;
};
constexpr Suffix kSuffixes[] = {
    {"FM", kSuffixFM, true}, {"fm", kSuffixFM, true}, {"TM", kSuffixTM, true}, {"tm", kSuffixTM, true},
    {"TH", kSuffixTH, false}, {"th", kSuffixth, false}, {"SP", kSuffixSP, false},
};

enum class NodeType { kEnd, kAction, kChar, kSeparator, kSpace };

struct Node {
  NodeType type = NodeType::kEnd;
  std::string character;  // kChar / kSeparator / kSpace: one (UTF-8) character
  int suffix = 0;
  const Keyword* key = nullptr;
};

bool starts_with(const char* s, std::string_view w) { return std::strncmp(s, w.data(), w.size()) == 0; }

// pg_mblen for UTF-8, never past the terminating NUL.
int char_len(const char* s) {
  unsigned char c = static_cast<unsigned char>(*s);
  int n = (c & 0x80) == 0 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
  int len = 1;
  while (len < n && s[len] != '\0') ++len;
  return len;
}

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// is_separator_char: printable ASCII that is neither a letter nor a digit.
bool is_separator_char(const char* s) {
  char c = *s;
  return c > 0x20 && c < 0x7F && !std::isalnum(static_cast<unsigned char>(c));
}

const Keyword* find_keyword(const char* s) {
  if (*s < 32 || *s > 126) return nullptr;
  for (const Keyword& k : kKeywords)
    if (k.name[0] == *s && starts_with(s, k.name)) return &k;
  return nullptr;
}

const Suffix* find_suffix(const char* s, bool prefix) {
  for (const Suffix& x : kSuffixes)
    if (x.prefix == prefix && starts_with(s, x.name)) return &x;
  return nullptr;
}

// parse_format (DCH, not standard mode); the list ends with a kEnd node.
std::vector<Node> parse_template(const char* str) {
  std::vector<Node> nodes;
  while (*str) {
    int suffix = 0;
    if (const Suffix* s = find_suffix(str, true)) {
      suffix |= s->bit;
      str += s->name.size();
    }
    const Keyword* key = *str ? find_keyword(str) : nullptr;
    if (key) {
      Node n;
      n.type = NodeType::kAction;
      n.key = key;
      n.suffix = suffix;
      str += key->name.size();
      if (*str) {
        if (const Suffix* s = find_suffix(str, false)) {
          n.suffix |= s->bit;
          str += s->name.size();
        }
      }
      nodes.push_back(std::move(n));
    } else if (*str) {
      if (*str == '"') {
        // A double-quoted literal; backslash quotes the next character.
        ++str;
        while (*str) {
          if (*str == '"') {
            ++str;
            break;
          }
          if (*str == '\\' && str[1]) ++str;
          int len = char_len(str);
          Node n;
          n.type = NodeType::kChar;
          n.character.assign(str, len);
          nodes.push_back(std::move(n));
          str += len;
        }
      } else {
        // Outside quotes, backslash is only special right before a double quote.
        if (*str == '\\' && str[1] == '"') ++str;
        int len = char_len(str);
        Node n;
        n.type = is_separator_char(str) ? NodeType::kSeparator : is_space(*str) ? NodeType::kSpace : NodeType::kChar;
        n.character.assign(str, len);
        nodes.push_back(std::move(n));
        str += len;
      }
    }
  }
  nodes.push_back(Node{});
  return nodes;
}

// TmFromChar.
struct FromChar {
  Mode mode = Mode::kNone;
  int hh = 0, pm = 0, mi = 0, ss = 0, ssss = 0, d = 0, dd = 0, ddd = 0, mm = 0, ms = 0, year = 0, bc = 0,
      ww = 0, w = 0, cc = 0, j = 0, us = 0, yysz = 0, tzsign = 0, tzh = 0, tzm = 0, ff = 0;
  bool clock12 = false;
};

Error format_error(std::string message) { return Error(sqlstate::kInvalidDatetimeFormat, std::move(message)); }

std::string key_name(const Node& n) { return std::string(n.key->name); }

void set_mode(FromChar& out, Mode mode) {
  if (mode == Mode::kNone) return;
  if (out.mode == Mode::kNone)
    out.mode = mode;
  else if (out.mode != mode)
    throw format_error("invalid combination of date conventions")
        .with_hint("Do not mix Gregorian and ISO week date conventions in a formatting template.");
}

// from_char_set_int: a field given twice must agree.
void set_int(int& dest, int value, const Node& n) {
  if (dest != 0 && dest != value)
    throw format_error(fmt::format("conflicting values for \"{}\" field in formatting string", key_name(n)))
        .with_detail("This value contradicts a previous setting for the same field type.");
  dest = value;
}

// is_next_separator: whether the field after `n` cannot continue a number, so that `n` may take
// every digit there is.
bool next_is_separator(const Node* n) {
  if (n->type == NodeType::kEnd) return false;
  if (n->type == NodeType::kAction && (n->suffix & (kSuffixTH | kSuffixth))) return true;
  ++n;
  if (n->type == NodeType::kEnd) return true;
  if (n->type == NodeType::kAction) return !n->key->is_digit;
  if (n->character.size() == 1 && std::isdigit(static_cast<unsigned char>(n->character[0]))) return false;
  return true;
}

// from_char_parse_int_len: an integer of `len` characters (any number of them in FM mode or
// before a non-digit field), after leading whitespace. Returns the characters consumed,
// whitespace included. dest nullptr: parsed and dropped (Q).
int parse_int(int* dest, const char*& src, int len, const Node* n) {
  const char* init = src;
  while (*src && is_space(*src)) ++src;
  std::string copy(src, strnlen(src, static_cast<size_t>(len)));
  int used = static_cast<int>(std::strlen(src));
  long result;
  errno = 0;
  if ((n->suffix & kSuffixFM) || next_is_separator(n)) {
    char* end;
    result = std::strtol(init, &end, 10);
    src = end;
  } else {
    if (used < len)
      throw format_error(fmt::format("source string too short for \"{}\" formatting field", key_name(*n)))
          .with_detail(fmt::format("Field requires {} characters, but only {} remain.", len, used))
          .with_hint("If your source string is not fixed-width, try using the \"FM\" modifier.");
    char* last;
    result = std::strtol(copy.c_str(), &last, 10);
    used = static_cast<int>(last - copy.c_str());
    if (used > 0 && used < len)
      throw format_error(fmt::format("invalid value \"{}\" for \"{}\"", copy, key_name(*n)))
          .with_detail(fmt::format("Field requires {} characters, but only {} could be parsed.", len, used))
          .with_hint("If your source string is not fixed-width, try using the \"FM\" modifier.");
    src += used;
  }
  if (src == init)
    throw format_error(fmt::format("invalid value \"{}\" for \"{}\"", copy, key_name(*n)))
        .with_detail("Value must be an integer.");
  if (errno == ERANGE || result < INT_MIN || result > INT_MAX)
    throw Error(sqlstate::kDatetimeValueOutOfRange,
                fmt::format("value for \"{}\" in source string is out of range", key_name(*n)))
        .with_detail(fmt::format("Value must be in the range {} to {}.", INT_MIN, INT_MAX));
  if (dest) set_int(*dest, static_cast<int>(result), *n);
  return static_cast<int>(src - init);
}
int parse_int(int* dest, const char*& src, const Node* n) {
  return parse_int(dest, src, static_cast<int>(n->key->name.size()), n);
}

constexpr const char* kMonthsFull[] = {"January", "February", "March",     "April",   "May",      "June",
                                       "July",    "August",   "September", "October", "November", "December"};
constexpr const char* kMonthsShort[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr const char* kDaysFull[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
constexpr const char* kDaysShort[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
// Matches at an even index are AM (AD), at an odd one PM (BC).
constexpr const char* kAmPm[] = {"am", "pm", "AM", "PM"};
constexpr const char* kAmPmLong[] = {"a.m.", "p.m.", "A.M.", "P.M."};
constexpr const char* kAdBc[] = {"ad", "bc", "AD", "BC"};
constexpr const char* kAdBcLong[] = {"a.d.", "b.c.", "A.D.", "B.C."};
// Longest first, so that "VIII" wins over "V".
constexpr const char* kRomanMonths[] = {"xii", "xi", "x", "ix", "viii", "vii", "vi", "v", "iv", "iii", "ii", "i"};

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c; }

// from_char_seq_search over seq_search_ascii: the first entry the text starts with, ignoring
// ASCII case. Returns its index.
template <size_t K>
int seq_search(const char*& src, const char* const (&words)[K], const Node& n) {
  if (*src) {
    for (size_t i = 0; i < K; ++i) {
      size_t len = std::strlen(words[i]), k = 0;
      while (k < len && src[k] != '\0' && ascii_lower(src[k]) == ascii_lower(words[i][k])) ++k;
      if (k == len) {
        src += len;
        return static_cast<int>(i);
      }
    }
  }
  // The error quotes the text up to the next whitespace.
  std::string copy(src);
  for (size_t i = 0; i < copy.size(); ++i)
    if (copy[i] == ' ' || copy[i] == '\t' || copy[i] == '\n' || copy[i] == '\r' || copy[i] == '\f' || copy[i] == '\v') {
      copy.resize(i);
      break;
    }
  throw format_error(fmt::format("invalid value \"{}\" for \"{}\"", copy, key_name(n)))
      .with_detail("The given value did not match any of the allowed values for this field.");
}

int adjust_partial_year_to_2020(int year) {
  if (year < 70) return year + 2000;
  if (year < 100) return year + 1900;
  if (year < 520) return year + 2000;
  if (year < 1000) return year + 1000;
  return year;
}

void skip_th(const char*& s, int suffix) {
  if (!(suffix & (kSuffixTH | kSuffixth))) return;
  if (*s) s += char_len(s);
  if (*s) s += char_len(s);
}

// Y,YYY: sscanf("%d,%03d%n").
bool scan_y_yyy(const char*& s, int& years) {
  const char* p = s;
  auto scan_int = [&p](int width, long& v) {
    while (*p && is_space(*p)) ++p;
    const char* start = p;
    bool neg = false;
    if (*p == '+' || *p == '-') {
      neg = *p == '-';
      ++p;
    }
    const char* digits = p;
    v = 0;
    while (std::isdigit(static_cast<unsigned char>(*p)) && (width < 0 || p - start < width)) v = v * 10 + (*p++ - '0');
    if (p == digits) return false;
    if (neg) v = -v;
    return true;
  };
  long millennia, rest;
  if (!scan_int(-1, millennia) || *p != ',') return false;
  ++p;
  if (!scan_int(3, rest)) return false;
  years = static_cast<int>(rest + millennia * 1000);
  s = p;
  return true;
}

// DCH_from_char (not standard mode).
void from_char(const std::vector<Node>& nodes, const char* in, FromChar& out) {
  bool fx_mode = false;
  int extra_skip = 0;  // spaces and separators skipped beyond what the template asked for
  const char* s = in;
  const Node* n = nodes.data();
  for (; n->type != NodeType::kEnd && *s != '\0'; ++n) {
    // Spaces at the start of the text and before fields are ignored unless in FX mode.
    if (!fx_mode && !(n->type == NodeType::kAction && n->key->id == Id::kFX) &&
        (n->type == NodeType::kAction || n == nodes.data())) {
      while (*s != '\0' && is_space(*s)) {
        ++s;
        ++extra_skip;
      }
    }
    if (n->type == NodeType::kSpace || n->type == NodeType::kSeparator) {
      if (!fx_mode) {
        // One template space or separator matches one space or separator of the text, or
        // nothing.
        --extra_skip;
        if (is_space(*s) || is_separator_char(s)) {
          ++s;
          ++extra_skip;
        }
      } else {
        s += char_len(s);
      }
      continue;
    }
    if (n->type != NodeType::kAction) {
      // A literal character consumes one character of the text, whatever it is (unless extra
      // ones were skipped already, which may belong to the next field).
      if (!fx_mode && extra_skip > 0)
        --extra_skip;
      else
        s += char_len(s);
      continue;
    }

    set_mode(out, n->key->mode);
    int len = 0;
    switch (n->key->id) {
      case Id::kFX:
        fx_mode = true;
        break;
      case Id::kA_M: case Id::kP_M: case Id::ka_m: case Id::kp_m:
        set_int(out.pm, seq_search(s, kAmPmLong, *n) % 2, *n);
        out.clock12 = true;
        break;
      case Id::kAM: case Id::kPM: case Id::kam: case Id::kpm:
        set_int(out.pm, seq_search(s, kAmPm, *n) % 2, *n);
        out.clock12 = true;
        break;
      case Id::kHH: case Id::kHH12:
        parse_int(&out.hh, s, 2, n);
        out.clock12 = true;
        skip_th(s, n->suffix);
        break;
      case Id::kHH24:
        parse_int(&out.hh, s, 2, n);
        skip_th(s, n->suffix);
        break;
      case Id::kMI:
        parse_int(&out.mi, s, n);
        skip_th(s, n->suffix);
        break;
      case Id::kSS:
        parse_int(&out.ss, s, n);
        skip_th(s, n->suffix);
        break;
      case Id::kMS:
        // "25" is .25 and so is "250"; "025" is .025.
        len = parse_int(&out.ms, s, 3, n);
        out.ms *= len == 1 ? 100 : len == 2 ? 10 : 1;
        skip_th(s, n->suffix);
        break;
      case Id::kFF1: case Id::kFF2: case Id::kFF3: case Id::kFF4: case Id::kFF5: case Id::kFF6:
      case Id::kUS: {
        if (n->key->id != Id::kUS) out.ff = static_cast<int>(n->key->id) - static_cast<int>(Id::kFF1) + 1;
        len = parse_int(&out.us, s, n->key->id == Id::kUS ? 6 : out.ff, n);
        static const int kScale[] = {1, 100000, 10000, 1000, 100, 10};
        out.us *= len >= 1 && len <= 5 ? kScale[len] : 1;
        skip_th(s, n->suffix);
        break;
      }
      case Id::kSSSS:
        parse_int(&out.ssss, s, n);
        skip_th(s, n->suffix);
        break;
      case Id::kTZ: case Id::ktz: case Id::kOF:
        raise(sqlstate::kFeatureNotSupported, "formatting field \"{}\" is only supported in to_char", key_name(*n));
      case Id::kTZH:
        // TZH may be negative, and its minus may have been skipped as a separator: take it
        // back when more was skipped than the template asked for.
        if (*s == '+' || *s == '-' || *s == ' ') {
          out.tzsign = *s == '-' ? -1 : +1;
          ++s;
        } else {
          out.tzsign = extra_skip > 0 && s[-1] == '-' ? -1 : +1;
        }
        parse_int(&out.tzh, s, 2, n);
        break;
      case Id::kTZM:
        if (!out.tzsign) out.tzsign = +1;
        parse_int(&out.tzm, s, 2, n);
        break;
      case Id::kA_D: case Id::kB_C: case Id::ka_d: case Id::kb_c:
        set_int(out.bc, seq_search(s, kAdBcLong, *n) % 2, *n);
        break;
      case Id::kAD: case Id::kBC: case Id::kad: case Id::kbc:
        set_int(out.bc, seq_search(s, kAdBc, *n) % 2, *n);
        break;
      case Id::kMONTH: case Id::kMonth: case Id::kmonth:
        set_int(out.mm, seq_search(s, kMonthsFull, *n) + 1, *n);
        break;
      case Id::kMON: case Id::kMon: case Id::kmon:
        set_int(out.mm, seq_search(s, kMonthsShort, *n) + 1, *n);
        break;
      case Id::kMM:
        parse_int(&out.mm, s, n);
        skip_th(s, n->suffix);
        break;
      case Id::kDAY: case Id::kDay: case Id::kday:
        set_int(out.d, seq_search(s, kDaysFull, *n), *n);
        out.d++;
        break;
      case Id::kDY: case Id::kDy: case Id::kdy:
        set_int(out.d, seq_search(s, kDaysShort, *n), *n);
        out.d++;
        break;
      case Id::kDDD:
        parse_int(&out.ddd, s, n);
        skip_th(s, n->suffix);
        break;
      case Id::kIDDD:
        parse_int(&out.ddd, s, 3, n);
        skip_th(s, n->suffix);
        break;
      case Id::kDD:
        parse_int(&out.dd, s, n);
        skip_th(s, n->suffix);
        break;
      case Id::kD:
        parse_int(&out.d, s, n);
        skip_th(s, n->suffix);
        break;
      case Id::kID:
        parse_int(&out.d, s, 1, n);
        // ISO Monday = 1 to Gregorian Sunday = 1.
        if (++out.d > 7) out.d = 1;
        skip_th(s, n->suffix);
        break;
      case Id::kWW: case Id::kIW:
        parse_int(&out.ww, s, n);
        skip_th(s, n->suffix);
        break;
      case Id::kQ:
        // Read but ignored: it cannot say which day of the quarter.
        parse_int(nullptr, s, n);
        skip_th(s, n->suffix);
        break;
      case Id::kCC:
        parse_int(&out.cc, s, n);
        skip_th(s, n->suffix);
        break;
      case Id::kY_YYY: {
        int years = 0;
        if (!scan_y_yyy(s, years)) throw format_error("invalid input string for \"Y,YYY\"");
        set_int(out.year, years, *n);
        out.yysz = 4;
        skip_th(s, n->suffix);
        break;
      }
      case Id::kYYYY: case Id::kIYYY:
        parse_int(&out.year, s, n);
        out.yysz = 4;
        skip_th(s, n->suffix);
        break;
      case Id::kYYY: case Id::kIYY: case Id::kYY: case Id::kIY: case Id::kY: case Id::kI:
        len = parse_int(&out.year, s, n);
        if (len < 4) out.year = adjust_partial_year_to_2020(out.year);
        out.yysz = static_cast<int>(n->key->name.size());
        skip_th(s, n->suffix);
        break;
      case Id::kRM: case Id::krm:
        set_int(out.mm, 12 - seq_search(s, kRomanMonths, *n), *n);
        break;
      case Id::kW:
        parse_int(&out.w, s, n);
        skip_th(s, n->suffix);
        break;
      case Id::kJ:
        parse_int(&out.j, s, n);
        skip_th(s, n->suffix);
        break;
    }
    // Spaces after fields are ignored.
    if (!fx_mode) {
      extra_skip = 0;
      while (*s != '\0' && is_space(*s)) {
        ++s;
        ++extra_skip;
      }
    }
  }
}

// struct pg_tm, as do_to_timestamp fills it: year 0 is 1 BC.
struct Tm {
  int year = 0, mon = 1, mday = 1, hour = 0, min = 0, sec = 0;
  int64_t fsec = 0;
  int fprec = 0;
  bool has_zone = false;
  int zone_east = 0;  // seconds east of UTC when has_zone
};

bool is_leap(int y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

int64_t date2j(int y, int m, int d) { return dt::date_to_julian(y, m, d); }
void j2date(int64_t jd, int& y, int& m, int& d) { dt::julian_to_date(jd, y, m, d); }
int j2day(int64_t jd) {
  int64_t d = (jd + 1) % 7;
  return static_cast<int>(d < 0 ? d + 7 : d);
}
// Julian day of Monday of ISO week `week` of ISO year `year`.
int64_t isoweek2j(int year, int week) {
  int64_t day4 = date2j(year, 1, 4);
  int64_t day0 = j2day(day4 - 1);
  return int64_t{week - 1} * 7 + (day4 - day0);
}

[[noreturn]] void field_overflow(const std::string& text) { dt::raise_parse_error(dt::Err::kOverflow, text, "timestamp"); }

// do_to_timestamp (not standard mode).
Tm to_tm(const std::string& text, const std::string& format) {
  FromChar f;
  Tm tm;
  if (!format.empty()) from_char(parse_template(format.c_str()), text.c_str(), f);

  if (f.ssss) {
    tm.hour = f.ssss / 3600;
    tm.min = f.ssss % 3600 / 60;
    tm.sec = f.ssss % 60;
  }
  if (f.ss) tm.sec = f.ss;
  if (f.mi) tm.min = f.mi;
  if (f.hh) tm.hour = f.hh;

  if (f.clock12) {
    if (tm.hour < 1 || tm.hour > 12)
      throw format_error(fmt::format("hour \"{}\" is invalid for the 12-hour clock", tm.hour))
          .with_hint("Use the 24-hour clock, or give an hour between 1 and 12.");
    if (f.pm && tm.hour < 12)
      tm.hour += 12;
    else if (!f.pm && tm.hour == 12)
      tm.hour = 0;
  }

  constexpr int kYear = 1, kMonth = 2, kDay = 4, kDate = 7;
  int fmask = 0;
  if (f.year) {
    // CC with YY (or Y): YY are the low digits of a year of that century (the 21st runs from
    // 2001 to 2100; the 6th BC from 600 BC to 501 BC). A 4-digit year overrides CC.
    if (f.cc && f.yysz <= 2) {
      if (f.bc) f.cc = -f.cc;
      tm.year = f.year % 100;
      if (tm.year) {
        if (f.cc >= 0)
          tm.year += (f.cc - 1) * 100;
        else
          tm.year = (f.cc + 1) * 100 - tm.year + 1;
      } else {
        tm.year = f.cc * 100 + (f.cc >= 0 ? 0 : 1);
      }
    } else {
      tm.year = f.year;
      if (f.bc) tm.year = -tm.year;
      if (tm.year < 0) tm.year++;
    }
    fmask |= kYear;
  } else if (f.cc) {
    // The first year of the century.
    if (f.bc) f.cc = -f.cc;
    tm.year = f.cc >= 0 ? (f.cc - 1) * 100 + 1 : f.cc * 100 + 1;
    fmask |= kYear;
  }

  if (f.j) {
    j2date(f.j, tm.year, tm.mon, tm.mday);
    fmask |= kDate;
  }

  if (f.ww) {
    if (f.mode == Mode::kIsoWeek) {
      // Without a day the date is the Monday of the ISO week.
      int64_t jd = isoweek2j(tm.year, f.ww);
      if (f.d) jd += f.d > 1 ? f.d - 2 : 6;
      j2date(jd, tm.year, tm.mon, tm.mday);
      fmask |= kDate;
    } else {
      f.ddd = (f.ww - 1) * 7 + 1;
    }
  }

  if (f.w) f.dd = (f.w - 1) * 7 + 1;
  if (f.dd) {
    tm.mday = f.dd;
    fmask |= kDay;
  }
  if (f.mm) {
    tm.mon = f.mm;
    fmask |= kMonth;
  }

  if (f.ddd && (tm.mon <= 1 || tm.mday <= 1)) {
    // Month and day from the day of the year (of the ISO year in ISO week mode).
    if (!tm.year && !f.bc) throw format_error("cannot calculate day of year without year information");
    if (f.mode == Mode::kIsoWeek) {
      int64_t j0 = isoweek2j(tm.year, 1) - 1;
      j2date(j0 + f.ddd, tm.year, tm.mon, tm.mday);
      fmask |= kDate;
    } else {
      static const int kYearSum[2][13] = {{0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365},
                                          {0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366}};
      const int* y = kYearSum[is_leap(tm.year) ? 1 : 0];
      int i = 1;
      for (; i <= 12; ++i)
        if (f.ddd <= y[i]) break;
      if (tm.mon <= 1) tm.mon = i;
      if (tm.mday <= 1) tm.mday = f.ddd - y[i - 1];
      fmask |= kMonth | kDay;
    }
  }

  if (f.ms) tm.fsec += int64_t{f.ms} * 1000;
  if (f.us) tm.fsec += f.us;
  tm.fprec = f.ff;

  // ValidateDate (AD/BC already applied).
  if (fmask != 0) {
    static const int kDaysIn[2][12] = {{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31},
                                       {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}};
    if ((fmask & kMonth) && (tm.mon < 1 || tm.mon > 12)) field_overflow(text);
    if ((fmask & kDay) && (tm.mday < 1 || tm.mday > 31)) field_overflow(text);
    if ((fmask & kDate) == kDate && tm.mday > kDaysIn[is_leap(tm.year) ? 1 : 0][tm.mon - 1]) field_overflow(text);
  }
  if (tm.hour < 0 || tm.hour >= 24 || tm.min < 0 || tm.min >= 60 || tm.sec < 0 || tm.sec >= 60 || tm.fsec < 0 ||
      tm.fsec >= 1000000)
    field_overflow(text);

  if (f.tzsign) {
    if (f.tzh < 0 || f.tzh > 15 || f.tzm < 0 || f.tzm >= 60)
      dt::raise_parse_error(dt::Err::kTzDispOverflow, text, "timestamp");
    tm.has_zone = true;
    tm.zone_east = f.tzsign * (f.tzh * 3600 + f.tzm * 60);
  }
  return tm;
}

// IS_VALID_JULIAN: from 4714-11-01 BC up to (not including) 5874898-06-01.
bool valid_julian(int y, int m) {
  return (y > -4713 || (y == -4713 && m >= 11)) && (y < 5874898 || (y == 5874898 && m < 6));
}

Value f_to_timestamp_text(const Value* a, size_t, ExecContext& ctx) {
  std::string text(a[0].as_string());
  Tm tm = to_tm(text, std::string(a[1].as_string()));
  // tm2timestamp, then the zone: the one given, or the session's.
  auto out_of_range = [] { raise(sqlstate::kDatetimeValueOutOfRange, "timestamp out of range"); };
  if (!valid_julian(tm.year, tm.mon)) out_of_range();
  int64_t date = date2j(tm.year, tm.mon, tm.mday) - dt::kPostgresEpochJdate;
  int64_t time = ((int64_t{tm.hour} * 60 + tm.min) * 60 + tm.sec) * 1000000 + tm.fsec;
  int64_t local;
  if (__builtin_mul_overflow(date, dt::kUsecPerDay, &local) || __builtin_add_overflow(local, time, &local))
    out_of_range();
  if ((local < 0 && date > 0) || (local > 0 && date < -1)) out_of_range();
  int64_t result;
  if (tm.has_zone) {
    if (__builtin_sub_overflow(local, int64_t{tm.zone_east} * 1000000, &result)) out_of_range();
  } else {
    dt::Context c;
    c.tz = ctx.text.timezone.get();
    result = dt::local_to_timestamptz(local, c);
  }
  if (result < -211813488000000000LL || result >= 9223371331200000000LL) out_of_range();
  if (tm.fprec) result = dt::round_micros(result, tm.fprec);
  return Value::of(oid::kTimestamptz, result);
}

Value f_to_date(const Value* a, size_t, ExecContext&) {
  std::string text(a[0].as_string());
  Tm tm = to_tm(text, std::string(a[1].as_string()));
  if (!valid_julian(tm.year, tm.mon)) raise(sqlstate::kDatetimeValueOutOfRange, "date out of range: \"{}\"", text);
  int64_t date = date2j(tm.year, tm.mon, tm.mday) - dt::kPostgresEpochJdate;
  if (date < -dt::kPostgresEpochJdate || date >= 2147483494LL - dt::kPostgresEpochJdate)
    raise(sqlstate::kDatetimeValueOutOfRange, "date out of range: \"{}\"", text);
  return Value::of(oid::kDate, date);
}

}  // namespace

void register_datetime_parse_functions(std::vector<FuncDef>& out) {
  using namespace oid;
  out.push_back({"to_timestamp", {kText, kText}, kTimestamptz, f_to_timestamp_text});
  out.push_back({"to_date", {kText, kText}, kDate, f_to_date});
}

}  // namespace heliosdb::exec
