// Number templates: to_char(number, text) and to_number(text, text). A port of the NUM_* half of
// PostgreSQL's formatting.c (NUMDesc_prepare, NUM_processor, NUM_numpart_to_char and
// NUM_numpart_from_char, int_to_roman and the per-type to_char front ends), quirks included, so
// that every template gives PostgreSQL 15's bytes in the C locale.
#include <algorithm>
#include <cfloat>
#include <climits>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "common/errors.h"
#include "common/numeric.h"
#include "common/types.h"
#include "executor/builtins.h"

namespace heliosdb::exec {
namespace {

// formatting.c's NUM_poz. Lower-case spellings share the upper-case id except rn and th.
enum class Key {
  kComma,
  kDec,
  k0,
  k9,
  kB,
  kC,
  kD,
  kE,
  kFM,
  kG,
  kL,
  kMI,
  kPL,
  kPR,
  kRN,
  kSG,
  kSP,
  kS,
  kTH,
  kV,
  krn,
  kth
};

struct Keyword {
  std::string_view name;
  Key id;
};

// NUM_keywords: grouped by first character, and within a group a keyword comes before its
// prefixes ("SG", "SP", then "S"), so the first match is the one PostgreSQL's index_seq_search finds.
constexpr Keyword kKeywords[] = {
    {",", Key::kComma}, {".", Key::kDec},  {"0", Key::k0},   {"9", Key::k9},   {"B", Key::kB},   {"C", Key::kC},
    {"D", Key::kD},     {"EEEE", Key::kE}, {"FM", Key::kFM}, {"G", Key::kG},   {"L", Key::kL},   {"MI", Key::kMI},
    {"PL", Key::kPL},   {"PR", Key::kPR},  {"RN", Key::kRN}, {"SG", Key::kSG}, {"SP", Key::kSP}, {"S", Key::kS},
    {"TH", Key::kTH},   {"V", Key::kV},    {"b", Key::kB},   {"c", Key::kC},   {"d", Key::kD},   {"eeee", Key::kE},
    {"fm", Key::kFM},   {"g", Key::kG},    {"l", Key::kL},   {"mi", Key::kMI}, {"pl", Key::kPL}, {"pr", Key::kPR},
    {"rn", Key::krn},   {"sg", Key::kSG},  {"sp", Key::kSP}, {"s", Key::kS},   {"th", Key::kth}, {"v", Key::kV},
};

// NUMDesc's flags (less PostgreSQL's LDECIMAL, PLUS_POST and MINUS_POST, which nothing reads in
// the C locale).
enum : int {
  kDecimal = 1 << 1,
  kZero = 1 << 3,
  kBlank = 1 << 4,
  kFillMode = 1 << 5,
  kLSign = 1 << 6,
  kBracket = 1 << 7,
  kMinus = 1 << 8,
  kPlus = 1 << 9,
  kRoman = 1 << 10,
  kMulti = 1 << 11,
  kEEEE = 1 << 14,
};

enum : int { kLSignPre = -1, kLSignNone = 0, kLSignPost = 1 };

// What a template says about the number: digit positions before and after the decimal point,
// where the sign goes, the flags above (NUMDesc).
struct NumDesc {
  int pre = 0, post = 0, lsign = kLSignNone, flag = 0, pre_lsign_num = 0, multi = 0, zero_start = 0, zero_end = 0;
  bool has(int f) const { return (flag & f) != 0; }
};

// A parsed template: keywords (actions) and the literal characters between them.
struct Node {
  bool action;
  Key key;
  std::string text;  // a literal character (one UTF-8 sequence)
};

struct Template {
  std::vector<Node> nodes;
  NumDesc desc;
};

// C locale: lconv has no signs, thousands separator or currency symbol, so NUM_prepare_locale
// settles on these (the same as without a locale-dependent keyword).
constexpr std::string_view kNegativeSign = "-", kPositiveSign = "+", kDecimalPoint = ".", kThousandsSep = ",",
                           kCurrencySymbol = " ";

// The byte length of the UTF-8 sequence starting at s[i], never past the end (pg_mblen).
size_t char_len(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 1;
  return std::min(n, s.size() - i);
}

[[noreturn]] void template_error(std::string_view message) { raise(sqlstate::kSyntaxError, "{}", message); }

// NUMDesc_prepare: what one keyword adds to the description, and the combinations PostgreSQL refuses.
void prepare(NumDesc& num, Key key) {
  if (num.has(kEEEE) && key != Key::kE) template_error("\"EEEE\" must be the last pattern used");
  switch (key) {
    case Key::k9:
      if (num.has(kBracket)) template_error("\"9\" must be ahead of \"PR\"");
      if (num.has(kMulti)) {
        ++num.multi;
        break;
      }
      if (num.has(kDecimal))
        ++num.post;
      else
        ++num.pre;
      break;
    case Key::k0:
      if (num.has(kBracket)) template_error("\"0\" must be ahead of \"PR\"");
      if (!num.has(kZero) && !num.has(kDecimal)) {
        num.flag |= kZero;
        num.zero_start = num.pre + 1;
      }
      if (!num.has(kDecimal))
        ++num.pre;
      else
        ++num.post;
      num.zero_end = num.pre + num.post;
      break;
    case Key::kB:
      if (num.pre == 0 && num.post == 0 && !num.has(kZero)) num.flag |= kBlank;
      break;
    case Key::kD:  // the locale's decimal point: '.' in the C locale
    case Key::kDec:
      if (num.has(kDecimal)) template_error("multiple decimal points");
      if (num.has(kMulti)) template_error("cannot use \"V\" and decimal point together");
      num.flag |= kDecimal;
      break;
    case Key::kFM:
      num.flag |= kFillMode;
      break;
    case Key::kS:
      if (num.has(kLSign)) template_error("cannot use \"S\" twice");
      if (num.has(kPlus) || num.has(kMinus) || num.has(kBracket))
        template_error("cannot use \"S\" and \"PL\"/\"MI\"/\"SG\"/\"PR\" together");
      if (!num.has(kDecimal)) {
        num.lsign = kLSignPre;
        num.pre_lsign_num = num.pre;
        num.flag |= kLSign;
      } else if (num.lsign == kLSignNone) {
        num.lsign = kLSignPost;
        num.flag |= kLSign;
      }
      break;
    case Key::kMI:
      if (num.has(kLSign)) template_error("cannot use \"S\" and \"MI\" together");
      num.flag |= kMinus;
      break;
    case Key::kPL:
      if (num.has(kLSign)) template_error("cannot use \"S\" and \"PL\" together");
      num.flag |= kPlus;
      break;
    case Key::kSG:
      if (num.has(kLSign)) template_error("cannot use \"S\" and \"SG\" together");
      num.flag |= kMinus | kPlus;
      break;
    case Key::kPR:
      if (num.has(kLSign) || num.has(kPlus) || num.has(kMinus))
        template_error("cannot use \"PR\" and \"S\"/\"PL\"/\"MI\"/\"SG\" together");
      num.flag |= kBracket;
      break;
    case Key::kRN:
    case Key::krn:
      num.flag |= kRoman;
      break;
    case Key::kV:
      if (num.has(kDecimal)) template_error("cannot use \"V\" and decimal point together");
      num.flag |= kMulti;
      break;
    case Key::kE:
      if (num.has(kEEEE)) template_error("cannot use \"EEEE\" twice");
      if (num.has(kBlank) || num.has(kFillMode) || num.has(kLSign) || num.has(kBracket) || num.has(kMinus) ||
          num.has(kPlus) || num.has(kRoman) || num.has(kMulti))
        throw Error(sqlstate::kSyntaxError, "\"EEEE\" is incompatible with other formats")
            .with_detail("\"EEEE\" may only be used together with digit and decimal point patterns.");
      num.flag |= kEEEE;
      break;
    default:
      break;
  }
}

// parse_format for number templates: keywords, "quoted text" (\ escapes inside), \" outside.
Template parse_template(std::string_view fmt) {
  Template t;
  size_t i = 0;
  while (i < fmt.size()) {
    const Keyword* found = nullptr;
    for (const Keyword& k : kKeywords)
      if (fmt.substr(i, k.name.size()) == k.name) {
        found = &k;
        break;
      }
    if (found) {
      t.nodes.push_back({true, found->id, {}});
      prepare(t.desc, found->id);
      i += found->name.size();
    } else if (fmt[i] == '"') {
      for (++i; i < fmt.size();) {
        if (fmt[i] == '"') {
          ++i;
          break;
        }
        if (fmt[i] == '\\' && i + 1 < fmt.size()) ++i;
        size_t n = char_len(fmt, i);
        t.nodes.push_back({false, Key::kComma, std::string(fmt.substr(i, n))});
        i += n;
      }
    } else {
      if (fmt[i] == '\\' && i + 1 < fmt.size() && fmt[i + 1] == '"') ++i;
      size_t n = char_len(fmt, i);
      t.nodes.push_back({false, Key::kComma, std::string(fmt.substr(i, n))});
      i += n;
    }
  }
  return t;
}

// get_th: the ordinal suffix of the number's last digit (teens take "th").
std::string_view ordinal_suffix(const std::string& num, bool upper) {
  char last = num.empty() ? '\0' : num.back();
  if (!(last >= '0' && last <= '9')) raise(sqlstate::kInvalidTextRepresentation, "\"{}\" is not a number", num);
  if (num.size() > 1 && num[num.size() - 2] == '1') last = '0';
  switch (last) {
    case '1':
      return upper ? "ST" : "st";
    case '2':
      return upper ? "ND" : "nd";
    case '3':
      return upper ? "RD" : "rd";
    default:
      return upper ? "TH" : "th";
  }
}

// int_to_roman: 1..3999, otherwise fifteen '#'.
std::string int_to_roman(int number) {
  static const char* const kOnes[] = {"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"};
  static const char* const kTens[] = {"X", "XX", "XXX", "XL", "L", "LX", "LXX", "LXXX", "XC"};
  static const char* const kHundreds[] = {"C", "CC", "CCC", "CD", "D", "DC", "DCC", "DCCC", "CM"};
  if (number > 3999 || number < 1) return std::string(15, '#');
  std::string out(static_cast<size_t>(number / 1000), 'M');
  if (int h = number / 100 % 10) out += kHundreds[h - 1];
  if (int t = number / 10 % 10) out += kTens[t - 1];
  if (int o = number % 10) out += kOnes[o - 1];
  return out;
}

// The number to_char lays into the template, as the per-type front ends prepare it: its digits
// (sign removed; '#'s on overflow; the whole text for EEEE and RN), the blank digit positions
// before it, and its sign ('+', '-', or 0 for RN).
struct Prepared {
  std::string number;
  int out_pre_spaces = 0;
  int sign = 0;
};

// NUM_processor and NUM_numpart_to_char in to_char mode.
class NumberWriter {
 public:
  NumberWriter(const Template& t, NumDesc num, const Prepared& p)
      : nodes_(t.nodes), num_(num), number_(p.number), sign_(p.sign), out_pre_spaces_(p.out_pre_spaces) {}

  std::string run() {
    if (num_.zero_start) --num_.zero_start;
    if (num_.has(kEEEE)) return number_;  // the front end made the whole text; the rest of the template is ignored
    if (num_.has(kRoman)) {
      num_.lsign = num_.pre_lsign_num = num_.post = num_.pre = 0;
      num_.flag = (num_.flag & kFillMode) | kRoman;
    }
    if (num_.has(kPlus) || num_.has(kMinus)) {
      // MI/PL/SG write the sign themselves; only PL alone still wants it next to the digits
      sign_wrote_ = !(num_.has(kPlus) && !num_.has(kMinus));
    } else {
      if (sign_ != '-' && num_.has(kBracket) && num_.has(kFillMode)) num_.flag &= ~kBracket;
      sign_wrote_ = sign_ == '+' && num_.has(kFillMode) && !num_.has(kLSign);
      if (num_.lsign == kLSignPre && num_.pre == num_.pre_lsign_num) num_.lsign = kLSignPost;
    }
    num_count_ = num_.post + num_.pre - 1;
    if (num_.has(kFillMode) && num_.has(kDecimal)) {
      last_relevant_ = last_relevant_decimal();
      // FM keeps the digits of '0' positions after the point
      if (last_relevant_ >= 0 && num_.zero_end > out_pre_spaces_) {
        int last_zero = std::min(static_cast<int>(number_.size()) - 1, num_.zero_end - out_pre_spaces_);
        if (last_relevant_ < last_zero) last_relevant_ = last_zero;
      }
    }
    if (!sign_wrote_ && out_pre_spaces_ == 0) ++num_count_;

    for (const Node& n : nodes_) {
      if (!n.action) {
        out_ += n.text;
        continue;
      }
      switch (n.key) {
        case Key::k9:
        case Key::k0:
        case Key::kDec:
        case Key::kD:
          digit_part(n.key);
          break;
        case Key::kComma:
        case Key::kG:
          if (num_in_)
            out_ += n.key == Key::kG ? kThousandsSep : ",";
          else if (!num_.has(kFillMode))
            out_ += ' ';
          break;
        case Key::kL:
          out_ += kCurrencySymbol;
          break;
        case Key::kRN:
        case Key::krn: {
          std::string roman = number_.substr(std::min(number_p_, number_.size()));
          if (n.key == Key::krn)
            for (char& c : roman) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
          if (!num_.has(kFillMode) && roman.size() < 15) out_.append(15 - roman.size(), ' ');  // "%15s"
          out_ += roman;
          break;
        }
        case Key::kTH:
        case Key::kth:
          if (num_.has(kRoman) || (!number_.empty() && number_[0] == '#') || sign_ == '-' || num_.has(kDecimal)) break;
          out_ += ordinal_suffix(number_, n.key == Key::kTH);
          break;
        case Key::kMI:
          if (sign_ == '-')
            out_ += '-';
          else if (!num_.has(kFillMode))
            out_ += ' ';
          break;
        case Key::kPL:
          if (sign_ == '+')
            out_ += '+';
          else if (!num_.has(kFillMode))
            out_ += ' ';
          break;
        case Key::kSG:
          out_ += static_cast<char>(sign_);  // RN leaves no sign: a NUL, which ends the text below
          break;
        default:
          break;
      }
    }
    // PostgreSQL builds a C string: a NUL written into it (SG under RN, a digit position past
    // the end of the number) cuts the result there.
    out_.resize(std::strlen(out_.c_str()));
    return std::move(out_);
  }

 private:
  char current() const { return number_p_ < number_.size() ? number_[number_p_] : '\0'; }
  bool relevant_is_point() const { return last_relevant_ >= 0 && number_[static_cast<size_t>(last_relevant_)] == '.'; }
  // IS_PREDEC_SPACE: the lone 0 before the point of "0.5" under "9.9" prints as a blank.
  bool predec_space() const {
    return !num_.has(kZero) && number_p_ == 0 && !number_.empty() && number_[0] == '0' && num_.post != 0;
  }
  // get_last_relevant_decnum: the last non-zero digit after the point, or the point itself.
  int last_relevant_decimal() const {
    size_t point = number_.find('.');
    if (point == std::string::npos) return -1;
    size_t result = point;
    for (size_t k = point + 1; k < number_.size(); ++k)
      if (number_[k] != '0') result = k;
    return static_cast<int>(result);
  }
  void write_sign_symbol() { out_ += sign_ == '-' ? kNegativeSign : kPositiveSign; }

  // NUM_numpart_to_char: one 9, 0, '.' or D position.
  void digit_part(Key id) {
    if (num_.has(kRoman)) return;
    num_in_ = false;
    if (!sign_wrote_ && (num_curr_ >= out_pre_spaces_ || (num_.has(kZero) && num_.zero_start == num_curr_)) &&
        (!predec_space() || relevant_is_point())) {
      if (num_.has(kLSign)) {
        if (num_.lsign == kLSignPre) {
          write_sign_symbol();
          sign_wrote_ = true;
        }
      } else if (num_.has(kBracket)) {
        out_ += sign_ == '+' ? ' ' : '<';
        sign_wrote_ = true;
      } else if (sign_ == '+') {
        if (!num_.has(kFillMode)) out_ += ' ';
        sign_wrote_ = true;
      } else if (sign_ == '-') {
        out_ += '-';
        sign_wrote_ = true;
      }
    }
    if (num_curr_ < out_pre_spaces_ && (num_.zero_start > num_curr_ || !num_.has(kZero))) {
      if (!num_.has(kFillMode)) out_ += ' ';
    } else if (num_.has(kZero) && num_curr_ < out_pre_spaces_ && num_.zero_start <= num_curr_) {
      out_ += '0';
      num_in_ = true;
    } else {
      if (current() == '.') {
        if (!relevant_is_point() || num_.has(kFillMode)) out_ += kDecimalPoint;  // FM9.9 of 5 gives "5."
      } else if (last_relevant_ >= 0 && static_cast<int>(number_p_) > last_relevant_ && id != Key::k0) {
        // FM: trailing fraction zeros are dropped
      } else if (predec_space()) {
        if (!num_.has(kFillMode))
          out_ += ' ';
        else if (relevant_is_point())
          out_ += '0';  // FM9.9 of 0 gives "0."
      } else {
        out_ += current();
        num_in_ = true;
      }
      if (current()) ++number_p_;
    }
    int end = num_count_ + (out_pre_spaces_ ? 1 : 0) + (num_.has(kDecimal) ? 1 : 0);
    if (last_relevant_ >= 0 && last_relevant_ == static_cast<int>(number_p_)) end = num_curr_;
    if (num_curr_ + 1 == end) {
      if (sign_wrote_ && num_.has(kBracket))
        out_ += sign_ == '+' ? ' ' : '>';
      else if (num_.has(kLSign) && num_.lsign == kLSignPost)
        write_sign_symbol();
    }
    ++num_curr_;
  }

  const std::vector<Node>& nodes_;
  NumDesc num_;
  const std::string& number_;
  size_t number_p_ = 0;
  int last_relevant_ = -1;
  int sign_;
  int out_pre_spaces_;
  bool sign_wrote_ = false;
  bool num_in_ = false;
  int num_count_ = 0;
  int num_curr_ = 0;
  std::string out_;
};

// NUM_processor and NUM_numpart_from_char in to_number mode: the sign and digits read from the
// input, as numeric_in text (" 123.45", "-5"); num.post becomes the fraction digits read.
class NumberReader {
 public:
  NumberReader(const Template& t, NumDesc& num, std::string_view in) : nodes_(t.nodes), num_(num), in_(in) {}

  std::string run() {
    if (num_.has(kEEEE)) raise(sqlstate::kFeatureNotSupported, "\"EEEE\" not supported for input");
    if (num_.has(kRoman)) raise(sqlstate::kFeatureNotSupported, "\"RN\" not supported for input");
    number_ = " ";  // the sign's place
    for (const Node& n : nodes_) {
      if (at_end()) break;
      if (!n.action) {
        // one input character skipped per literal template character, whatever it is
        pos_ += char_len(in_, pos_);
        continue;
      }
      switch (n.key) {
        case Key::k9:
        case Key::k0:
        case Key::kDec:
        case Key::kD:
          digit_part(n.key);
          ++pos_;
          break;
        case Key::kComma:
          if (num_.has(kFillMode)) break;
          if (in_[pos_] == ',') ++pos_;
          break;
        case Key::kG:
          if (num_.has(kFillMode)) break;
          if (amount(kThousandsSep.size()) && in_.substr(pos_, kThousandsSep.size()) == kThousandsSep)
            pos_ += kThousandsSep.size();
          break;
        case Key::kL:
          skip_non_data(1);  // the currency symbol's length in characters
          break;
        case Key::kTH:
        case Key::kth:
          if (number_[0] == '#' || num_.has(kDecimal)) break;
          skip_non_data(2);
          break;
        case Key::kMI:
        case Key::kPL:
        case Key::kSG: {
          char c = in_[pos_];
          bool takes = (c == '-' && n.key != Key::kPL) || (c == '+' && n.key != Key::kMI);
          if (takes) {
            number_[0] = c;
            ++pos_;
          } else {
            skip_non_data(1);
          }
          break;
        }
        default:
          break;
      }
    }
    if (number_.back() == '.') number_.pop_back();
    num_.post = read_post_;
    return std::move(number_);
  }

 private:
  bool at_end() const { return pos_ >= in_.size(); }              // OVERLOAD_TEST
  bool amount(size_t n) const { return pos_ + n <= in_.size(); }  // AMOUNT_TEST
  static bool digit(char c) { return c >= '0' && c <= '9'; }
  bool read_any() const { return read_pre_ + read_post_ > 0; }

  // NUM_eat_non_data_chars: skip up to n characters that cannot be part of the number.
  void skip_non_data(int n) {
    while (n-- > 0 && !at_end() && std::strchr("0123456789.,+-", in_[pos_]) == nullptr) pos_ += char_len(in_, pos_);
  }

  // Reads one sign, digit or point at pos_, leaving pos_ on the last character consumed (the
  // caller steps past it, as NUM_processor's loop does).
  void digit_part(Key id) {
    bool isread = false;
    if (at_end()) return;
    if (in_[pos_] == ' ') ++pos_;
    if (at_end()) return;
    // a sign before the first digit
    if (number_[0] == ' ' && (id == Key::k0 || id == Key::k9) && !read_any()) {
      if (num_.has(kLSign) && num_.lsign == kLSignPre) {
        if (amount(kNegativeSign.size()) && in_.substr(pos_, kNegativeSign.size()) == kNegativeSign) {
          pos_ += kNegativeSign.size();
          number_[0] = '-';
        } else if (amount(kPositiveSign.size()) && in_.substr(pos_, kPositiveSign.size()) == kPositiveSign) {
          pos_ += kPositiveSign.size();
          number_[0] = '+';
        }
      } else if (in_[pos_] == '-' || (num_.has(kBracket) && in_[pos_] == '<')) {
        number_[0] = '-';
        ++pos_;
      } else if (in_[pos_] == '+') {
        number_[0] = '+';
        ++pos_;
      }
    }
    if (at_end()) return;
    if (digit(in_[pos_])) {
      if (read_dec_ && read_post_ == num_.post) return;  // more fraction digits than the template has
      number_ += in_[pos_];
      ++(read_dec_ ? read_post_ : read_pre_);
      isread = true;
    } else if (num_.has(kDecimal) && !read_dec_) {
      if (amount(kDecimalPoint.size()) && in_.substr(pos_, kDecimalPoint.size()) == kDecimalPoint) {
        pos_ += kDecimalPoint.size() - 1;
        number_ += '.';
        read_dec_ = true;
        isread = true;
      }
    }
    if (at_end()) return;
    // a sign after the last digit: S is anchored to it; MI/PL/SG are taken where they stand
    // when the template is not exact ("FM9.999999MI" reading "5.01-")
    if (number_[0] == ' ' && read_any()) {
      if (num_.has(kLSign) && isread && pos_ + 1 < in_.size() && !digit(in_[pos_ + 1])) {
        size_t before = pos_++;
        if (amount(kNegativeSign.size()) && in_.substr(pos_, kNegativeSign.size()) == kNegativeSign) {
          pos_ += kNegativeSign.size() - 1;
          number_[0] = '-';
        } else if (amount(kPositiveSign.size()) && in_.substr(pos_, kPositiveSign.size()) == kPositiveSign) {
          pos_ += kPositiveSign.size() - 1;
          number_[0] = '+';
        }
        if (number_[0] == ' ') pos_ = before;
      } else if (!isread && !num_.has(kLSign) && (num_.has(kPlus) || num_.has(kMinus))) {
        if (in_[pos_] == '-' || in_[pos_] == '+') number_[0] = in_[pos_];
      }
    }
  }

  const std::vector<Node>& nodes_;
  NumDesc& num_;
  std::string_view in_;
  size_t pos_ = 0;
  std::string number_;
  bool read_dec_ = false;
  int read_pre_ = 0;
  int read_post_ = 0;
};

// fill_str of an overflowing number: '#' for every digit position, the point in its place.
std::string overflow_text(const NumDesc& num) {
  std::string s(static_cast<size_t>(num.pre + num.post + 1), '#');
  s[static_cast<size_t>(num.pre)] = '.';
  return s;
}

// EEEE of NaN or infinity: " #.##e+##" shaped.
std::string eeee_special_text(const NumDesc& num) {
  std::string s(static_cast<size_t>(num.pre + num.post + 6), '#');
  s[0] = ' ';
  s[static_cast<size_t>(num.pre + 1)] = '.';
  return s;
}

// The digits of a number's text (sign removed) against the template: blank positions to fill
// before it, or '#'s when its integer part has more digits than the template.
void lay_out(std::string_view text, const NumDesc& num, Prepared& p) {
  p.sign = '+';
  if (!text.empty() && text.front() == '-') {
    p.sign = '-';
    text.remove_prefix(1);
  }
  size_t point = text.find('.');
  int pre_len = static_cast<int>(point == std::string_view::npos ? text.size() : point);
  if (pre_len < num.pre) p.out_pre_spaces = num.pre - pre_len;
  p.number = pre_len > num.pre ? overflow_text(num) : std::string(text);
}

// An integer's text: its digits then, for 9s after a point, that many zeros.
void lay_out_integer(std::string_view digits, const NumDesc& num, Prepared& p) {
  std::string text(digits);
  if (num.post) {
    text += '.';
    text.append(static_cast<size_t>(num.post), '0');
  }
  lay_out(text, num, p);
}

// PostgreSQL's own snprintf (src/port/snprintf.c) for "%.*f" / "%+.*e": NaN and Infinity
// spelled so, "-0" for minus zero, and precision past 350 made up with zeros.
std::string pg_printf(double v, int precision, char conversion, bool force_sign) {
  if (std::isnan(v)) return "NaN";
  bool negative = std::signbit(v);
  std::string out = negative ? "-" : force_sign ? "+" : "";
  v = std::fabs(v);
  if (std::isinf(v)) return out += "Infinity";
  if (precision < 0) precision = 0;
  int prec = std::min(precision, 350);
  char spec[] = {'%', '.', '*', conversion, '\0'};
  int n = std::snprintf(nullptr, 0, spec, prec, v);
  std::string digits(static_cast<size_t>(n), '\0');
  std::snprintf(digits.data(), digits.size() + 1, spec, prec, v);
  size_t pad_at = conversion == 'e' ? digits.rfind('e') : digits.size();
  digits.insert(pad_at, static_cast<size_t>(precision - prec), '0');
  return out += digits;
}

// numeric_out_sci: d.ddd…e±XX of a numeric's text, rounded half away from zero to `scale`
// fraction digits. The exponent is the unrounded one (9.99 at one digit is "10.0e+00").
std::string numeric_sci(const std::string& v, int scale) {
  if (v == "NaN" || v == "Infinity" || v == "-Infinity") return v;
  scale = std::max(scale, 0);
  bool negative = v[0] == '-';
  std::string_view body(v);
  if (negative) body.remove_prefix(1);
  size_t point = body.find('.');
  int int_len = static_cast<int>(point == std::string_view::npos ? body.size() : point);
  std::string digits;
  for (char c : body)
    if (c != '.') digits += c;
  size_t first = digits.find_first_not_of('0');
  int exponent = 0;
  if (first != std::string::npos) {  // zero keeps its zeros and exponent 0
    exponent = int_len - 1 - static_cast<int>(first);
    digits.erase(0, first);
  }
  // The significand's digits: one before the point, `scale` after, rounded on the next one.
  size_t keep = static_cast<size_t>(scale) + 1;
  bool round_up = digits.size() > keep && digits[keep] >= '5';
  digits.resize(keep, '0');
  if (round_up) {
    size_t k = digits.size();
    while (k > 0 && digits[k - 1] == '9') digits[--k] = '0';
    if (k == 0)
      digits.insert(digits.begin(), '1');
    else
      ++digits[k - 1];
  }
  std::string sig = digits.substr(0, digits.size() - static_cast<size_t>(scale));
  if (scale > 0) {
    sig += '.';
    sig.append(digits, digits.size() - static_cast<size_t>(scale));
  }
  return fmt::format("{}{}e{}{:02}", negative ? "-" : "", sig, exponent < 0 ? '-' : '+', std::abs(exponent));
}

// numeric_out_sci's text for to_char: a blank where a positive number's sign would be.
std::string eeee_numeric(const std::string& v, const NumDesc& num) {
  std::string s = numeric_sci(v, num.post);
  if (s == "NaN" || s == "Infinity" || s == "-Infinity") return eeee_special_text(num);
  if (s[0] != '-') s.insert(s.begin(), ' ');
  return s;
}

std::string eeee_double(double v, const NumDesc& num) {
  if (std::isnan(v) || std::isinf(v)) return eeee_special_text(num);
  std::string s = pg_printf(v, num.post, 'e', true);
  if (s[0] == '+') s[0] = ' ';
  return s;
}

int32_t to_int4(int64_t v) {
  if (v < INT32_MIN || v > INT32_MAX) raise(sqlstate::kNumericValueOutOfRange, "integer out of range");
  return static_cast<int32_t>(v);
}

// (int) rint(v) as PostgreSQL's x86-64 build computes it: out of range and NaN give INT_MIN.
int double_to_int_x86(double v) {
  double r = std::rint(v);
  if (!(r >= static_cast<double>(INT32_MIN) && r <= static_cast<double>(INT32_MAX))) return INT32_MIN;
  return static_cast<int>(r);
}

Prepared prepare_int4(int32_t value, NumDesc& num) {
  Prepared p;
  if (num.has(kRoman)) {
    p.number = int_to_roman(value);
  } else if (num.has(kEEEE)) {
    p.number = pg_printf(static_cast<double>(value), num.post, 'e', true);
    if (p.number[0] == '+') p.number[0] = ' ';
  } else {
    if (num.has(kMulti)) {
      // value * (int32) pow(10, multi), wrapping as PostgreSQL's build does (-fwrapv; the
      // conversion of a power past int32 gives INT_MIN)
      int32_t factor = num.multi <= 9 ? static_cast<int32_t>(std::lround(std::pow(10.0, num.multi))) : INT32_MIN;
      value = static_cast<int32_t>(static_cast<uint32_t>(value) * static_cast<uint32_t>(factor));
      num.pre += num.multi;
    }
    lay_out_integer(std::to_string(value), num, p);
  }
  return p;
}

Prepared prepare_int8(int64_t value, NumDesc& num) {
  Prepared p;
  if (num.has(kRoman)) {
    p.number = int_to_roman(to_int4(value));
  } else if (num.has(kEEEE)) {
    p.number = eeee_numeric(std::to_string(value), num);
  } else {
    if (num.has(kMulti)) {
      double factor = std::rint(std::pow(10.0, num.multi));
      // dtoi8, then int8mul
      if (!(factor >= -9223372036854775808.0 && factor < 9223372036854775808.0))
        raise(sqlstate::kNumericValueOutOfRange, "bigint out of range");
      int64_t product;
      if (__builtin_mul_overflow(value, static_cast<int64_t>(factor), &product))
        raise(sqlstate::kNumericValueOutOfRange, "bigint out of range");
      value = product;
      num.pre += num.multi;
    }
    lay_out_integer(std::to_string(value), num, p);
  }
  return p;
}

Prepared prepare_numeric(const std::string& value, NumDesc& num) {
  Prepared p;
  if (num.has(kRoman)) {
    p.number = int_to_roman(to_int4(numeric::to_int64(numeric::round(value, 0), "integer")));
  } else if (num.has(kEEEE)) {
    p.number = eeee_numeric(value, num);
  } else {
    std::string v = value;
    if (num.has(kMulti)) {
      v = numeric::mul(value, numeric::power("10", std::to_string(num.multi)));
      num.pre += num.multi;
    }
    lay_out(numeric::round(v, num.post), num, p);
  }
  return p;
}

// float4_to_char and float8_to_char: the same steps in the type's own precision (FLT_DIG or
// DBL_DIG significant digits at most).
template <class Float>
Prepared prepare_float(Float value, NumDesc& num) {
  constexpr int kDigits = sizeof(Float) == sizeof(float) ? FLT_DIG : DBL_DIG;
  Prepared p;
  if (num.has(kRoman)) {
    p.number = int_to_roman(double_to_int_x86(value));
  } else if (num.has(kEEEE)) {
    p.number = eeee_double(value, num);
  } else {
    Float val = value;
    if (num.has(kMulti)) {
      double power = std::pow(10.0, num.multi);  // past float's range it is float's infinity, as in C
      Float multi = power > std::numeric_limits<Float>::max() ? std::numeric_limits<Float>::infinity()
                                                              : static_cast<Float>(power);
      val = value * multi;
      num.pre += num.multi;
    }
    int pre_len = static_cast<int>(pg_printf(std::fabs(static_cast<double>(val)), 0, 'f', false).size());
    if (pre_len >= kDigits)
      num.post = 0;
    else if (pre_len + num.post > kDigits)
      num.post = kDigits - pre_len;
    lay_out(pg_printf(static_cast<double>(val), num.post, 'f', false), num, p);
  }
  return p;
}

Value f_to_char(const Value* a, size_t, ExecContext&) {
  const std::string& fmt = a[1].as_string();
  if (fmt.empty()) return Value::text("");
  Template t = parse_template(fmt);
  NumDesc num = t.desc;
  Prepared p;
  switch (a[0].type()) {
    case oid::kInt4:
      p = prepare_int4(static_cast<int32_t>(a[0].as_int()), num);
      break;
    case oid::kInt8:
      p = prepare_int8(a[0].as_int(), num);
      break;
    case oid::kFloat4:
      p = prepare_float(static_cast<float>(a[0].as_double()), num);
      break;
    case oid::kFloat8:
      p = prepare_float(a[0].as_double(), num);
      break;
    default:
      p = prepare_numeric(a[0].as_string(), num);
      break;
  }
  return Value::text(NumberWriter(t, num, p).run());
}

Value f_to_number(const Value* a, size_t, ExecContext&) {
  const std::string& fmt = a[1].as_string();
  if (fmt.empty()) return Value::null(oid::kNumeric);
  Template t = parse_template(fmt);
  NumDesc num = t.desc;
  std::string text = NumberReader(t, num, a[0].as_string()).run();
  // numeric_in with typmod (precision << 16 | scale) + VARHDRSZ, decoded as numeric's typmod
  // is: 16 bits of precision, an 11-bit signed scale; a typmod that wrapped negative is none.
  int scale = num.post, precision = num.pre + num.multi + scale;
  int32_t typmod = static_cast<int32_t>((static_cast<uint32_t>(precision) << 16 | static_cast<uint32_t>(scale)) + 4u);
  std::string result = numeric::parse(text);
  if (typmod >= 4) {
    uint32_t bits = static_cast<uint32_t>(typmod - 4);
    int tm_precision = static_cast<int>((bits >> 16) & 0xffff);
    int tm_scale = static_cast<int>(((bits & 0x7ff) ^ 1024)) - 1024;
    result = numeric::apply_typmod(
        result, static_cast<int32_t>(
                    (static_cast<uint32_t>(tm_precision) << 16 | (static_cast<uint32_t>(tm_scale) & 0xffff)) + 4u));
  }
  if (num.has(kMulti)) result = numeric::mul(result, numeric::power("10", std::to_string(-num.multi)));
  return Value::of(oid::kNumeric, std::move(result));
}

}  // namespace

void register_number_format_functions(std::vector<FuncDef>& out) {
  using namespace oid;
  for (uint32_t t : {kInt4, kInt8, kFloat4, kFloat8, kNumeric})
    out.push_back({"to_char", {t, kText}, kText, f_to_char});
  out.push_back({"to_number", {kText, kText}, kNumeric, f_to_number});
}

}  // namespace heliosdb::exec
