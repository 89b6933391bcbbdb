// POSIX regular expressions: ~ ~* !~ !~*, regexp_replace, regexp_match(es), regexp_split_to_array,
// SIMILAR TO and substring(... SIMILAR ...).
// Patterns run on Boost.Regex's Perl syntax, which covers PostgreSQL's advanced regular
// expressions as applications write them (classes, anchors, groups, quantifiers, \d \s \w);
// translate() maps what differs: anchors, the word-boundary escapes \m \M \y \Y, and the
// preference of a lazy group for short matches inside it.
#include <boost/regex.hpp>

#include <list>
#include <unordered_map>

#include "common/array.h"
#include "common/errors.h"
#include "executor/builtins.h"

namespace heliosdb::exec {
namespace {

// A pattern's options, from the flags argument of the regexp functions (PostgreSQL's
// parse_re_flags).
struct Flags {
  bool global = false, icase = false;
  bool newline_dot = false;   // n, p: "." does not match a newline
  bool line_anchors = false;  // n, w: ^ and $ match at line boundaries
  bool expanded = false;      // x: white space and # comments ignored
  bool quote = false;         // q: the pattern is a literal string
  std::string key() const {
    return std::string{icase ? 'i' : 'c', newline_dot ? 'n' : 's', line_anchors ? 'w' : '-', expanded ? 'x' : '-', quote ? 'q' : '-'};
  }
};
Flags parse_flags(const Value* a, size_t n, size_t at) {
  Flags f;
  if (n <= at) return f;
  for (char c : a[at].as_string()) {
    switch (c) {
      case 'g': f.global = true; break;
      case 'i': f.icase = true; break;
      case 'c': f.icase = false; break;
      case 'n': case 'm': f.newline_dot = f.line_anchors = true; break;
      case 's': f.newline_dot = f.line_anchors = false; break;
      case 'p': f.newline_dot = true, f.line_anchors = false; break;
      case 'w': f.newline_dot = false, f.line_anchors = true; break;
      case 'x': f.expanded = true; break;
      case 't': f.expanded = false; break;
      case 'q': f.quote = true; break;
      case 'e': break;  // extended REs: what we run covers them
      case 'b': unsupported("basic regular expressions (flag \"b\")");
      default: raise(sqlstate::kInvalidParameterValue, "invalid regular expression option: \"{}\"", c);
    }
  }
  return f;
}
Flags case_flags(bool icase) {
  Flags f;
  f.icase = icase;
  return f;
}

// The end of the bracket expression that starts at p[i] == '[' (one past its "]"), or npos.
size_t bracket_end(std::string_view p, size_t i) {
  size_t j = i + 1;
  if (j < p.size() && p[j] == '^') ++j;
  if (j < p.size() && p[j] == ']') ++j;  // a leading "]" is literal
  for (; j < p.size(); ++j) {
    if (p[j] == '\\') {
      ++j;
    } else if (p[j] == '[' && j + 1 < p.size() && (p[j + 1] == ':' || p[j + 1] == '.' || p[j + 1] == '=')) {
      size_t close = p.find(std::string{p[j + 1], ']'}, j + 2);
      if (close == std::string_view::npos) return close;
      j = close + 1;
    } else if (p[j] == ']') {
      return j + 1;
    }
  }
  return std::string_view::npos;
}

// The length of the quantifier at p[i] (*, +, ?, {m,n}), 0 when there is none.
size_t quantifier_length(std::string_view p, size_t i) {
  if (i >= p.size()) return 0;
  if (p[i] == '*' || p[i] == '+' || p[i] == '?') return 1;
  if (p[i] != '{') return 0;
  size_t close = p.find('}', i);
  return close == std::string_view::npos ? 0 : close - i + 1;
}

// Makes every quantifier of the translated regex r[from, to) lazy: in PostgreSQL a lazy
// quantifier on a group makes the whole group prefer the shortest match (SIMILAR TO's first
// part is such a group).
void make_lazy(std::string& r, size_t from, size_t to) {
  std::string out;
  size_t i = from;
  while (i < to) {
    if (r[i] == '\\') {
      out.append(r, i, 2);
      i += 2;
    } else if (r[i] == '[') {
      size_t end = std::min(bracket_end(r, i), to);
      out.append(r, i, end - i);
      i = end;
    } else if (r[i] == '(' && i + 1 < to && r[i + 1] == '?') {
      out.append(r, i, 3);  // (?: (?= (?! (?<
      i += 3;
    } else if (size_t q = quantifier_length(r, i); q > 0) {
      out.append(r, i, q);
      i += q;
      if (i < to && (r[i] == '?' || r[i] == '+')) out += r[i++];  // already lazy (or possessive)
      else out += '?';
    } else {
      out += r[i++];
    }
  }
  r.replace(from, to - from, out);
}

// The Boost (Perl syntax) regex for a PostgreSQL regex: outside line mode ^ and $ anchor only at
// the ends of the string (Perl's $ also matches before a final newline); in it, at every newline.
std::string translate(std::string_view p, const Flags& f) {
  std::string out;
  std::vector<size_t> groups;  // where each open group starts in out
  for (size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (c == '\\' && i + 1 < p.size()) {
      char d = p[++i];
      if (d == 'm') out += "\\b(?=\\w)";
      else if (d == 'M') out += "\\b(?<=\\w)";
      else if (d == 'y') out += "\\b";
      else if (d == 'Y') out += "\\B";
      else if (d == 'Z') out += "\\z";
      else out += {'\\', d};
    } else if (c == '[') {
      size_t end = bracket_end(p, i);
      if (end == std::string_view::npos) end = p.size();
      out.append(p.substr(i, end - i));
      i = end - 1;
    } else if (c == '^') {
      out += f.line_anchors ? "(?<![^\\n])" : "\\A";
    } else if (c == '$') {
      out += f.line_anchors ? "(?![^\\n])" : "\\z";
    } else if (c == '(') {
      groups.push_back(out.size());
      out += c;
    } else if (c == ')' && !groups.empty()) {
      size_t open = groups.back();
      groups.pop_back();
      out += c;
      size_t q = quantifier_length(p, i + 1);
      if (q > 0 && i + 1 + q < p.size() && p[i + 1 + q] == '?') {
        size_t body = open + (out.compare(open, 3, "(?:") == 0 ? 3 : 1);
        make_lazy(out, body, out.size() - 1);
      }
    } else {
      out += c;
    }
  }
  return out;
}

// Compiled patterns, per thread, the most recent 64.
const boost::regex& compiled(const std::string& pattern, const Flags& f) {
  struct Cache {
    std::list<std::pair<std::string, boost::regex>> items;  // front: most recent
    std::unordered_map<std::string, decltype(items)::iterator> index;
  };
  thread_local Cache cache;
  std::string key = f.key() + ":" + pattern;
  if (auto it = cache.index.find(key); it != cache.index.end()) {
    cache.items.splice(cache.items.begin(), cache.items, it->second);
    return it->second->second;
  }
  boost::regex re;
  try {
    auto icase = f.icase ? boost::regex::icase : boost::regex::normal;
    if (f.quote) {
      re.assign(pattern, boost::regex::literal | icase);
    } else {
      auto flags = boost::regex::perl | icase | boost::regex::no_mod_m | (f.newline_dot ? boost::regex::no_mod_s : boost::regex::mod_s) |
                   (f.expanded ? boost::regex::mod_x : boost::regex::normal);
      re.assign(translate(pattern, f), flags);
    }
  } catch (const boost::regex_error& e) {
    raise(sqlstate::kInvalidRegularExpression, "invalid regular expression: {}", e.what());
  }
  cache.items.emplace_front(key, std::move(re));
  cache.index[key] = cache.items.begin();
  if (cache.items.size() > 64) {
    cache.index.erase(cache.items.back().first);
    cache.items.pop_back();
  }
  return cache.items.front().second;
}

bool search(const std::string& s, const std::string& pattern, const Flags& f) {
  try {
    return boost::regex_search(s, compiled(pattern, f));
  } catch (const std::runtime_error& e) {  // too complex to match
    raise(sqlstate::kInvalidRegularExpression, "regular expression failed: {}", e.what());
  }
}

Value f_match(const Value* a, size_t, ExecContext&) { return Value::boolean(search(a[0].as_string(), a[1].as_string(), case_flags(false))); }
Value f_not_match(const Value* a, size_t, ExecContext&) { return Value::boolean(!search(a[0].as_string(), a[1].as_string(), case_flags(false))); }
Value f_match_ci(const Value* a, size_t, ExecContext&) { return Value::boolean(search(a[0].as_string(), a[1].as_string(), case_flags(true))); }
Value f_not_match_ci(const Value* a, size_t, ExecContext&) { return Value::boolean(!search(a[0].as_string(), a[1].as_string(), case_flags(true))); }

// Character positions (1-based, UTF-8) and byte offsets.
size_t byte_at(const std::string& s, int64_t pos) {
  size_t b = 0;
  for (int64_t c = 1; c < pos && b < s.size(); ++c) {
    ++b;
    while (b < s.size() && (static_cast<unsigned char>(s[b]) & 0xC0) == 0x80) ++b;
  }
  return b;
}
int64_t char_pos(const std::string& s, size_t byte) {
  int64_t n = 1;
  for (size_t b = 0; b < byte && b < s.size(); ++b) n += (static_cast<unsigned char>(s[b]) & 0xC0) != 0x80;
  return n;
}

// An integer argument at position `at` (its default when absent), at least `min`.
int64_t int_arg(const Value* a, size_t n, size_t at, int64_t dflt, const char* name, int64_t min) {
  if (n <= at) return dflt;
  int64_t v = a[at].as_int();
  if (v < min) raise(sqlstate::kInvalidParameterValue, "invalid value for parameter \"{}\": {}", name, v);
  return v;
}

// Calls f on each successive match of re in s from byte offset `from` (an empty match steps
// over one character) until f returns false.
template <class F>
void each_match(const std::string& s, size_t from, const boost::regex& re, F&& f) {
  auto begin = s.cbegin() + static_cast<long>(std::min(from, s.size()));
  auto flags = from > 0 ? boost::match_prev_avail : boost::match_default;
  boost::smatch m;
  try {
    while (boost::regex_search(begin, s.cend(), m, re, flags, s.cbegin())) {
      if (!f(m)) return;
      if (m[0].first == m[0].second) {
        if (m[0].second == s.cend()) return;
        begin = m[0].second + 1;
        while (begin != s.cend() && (static_cast<unsigned char>(*begin) & 0xC0) == 0x80) ++begin;
      } else {
        begin = m[0].second;
      }
      flags = boost::match_prev_avail;
    }
  } catch (const std::runtime_error& e) {  // too complex to match
    raise(sqlstate::kInvalidRegularExpression, "regular expression failed: {}", e.what());
  }
}

void append_replacement(std::string& out, const std::string& repl, const boost::smatch& m) {
  for (size_t i = 0; i < repl.size(); ++i) {
    char c = repl[i];
    if (c == '\\' && i + 1 < repl.size()) {
      char d = repl[i + 1];
      if (d >= '1' && d <= '9') {
        out += m[d - '0'].str();
        ++i;
        continue;
      }
      if (d == '&') {
        out += m[0].str();
        ++i;
        continue;
      }
      if (d == '\\') {
        out.push_back('\\');
        ++i;
        continue;
      }
    }
    out.push_back(c);
  }
}

// regexp_replace(source, pattern, replacement [, start [, N]] [, flags]): \1..\9 are groups,
// \& the match; the N-th match from start (every one for N = 0, or with flag g and no N).
template <bool Positional>
Value f_replace(const Value* a, size_t n, ExecContext&) {
  size_t flags_at = Positional ? (n > 5 ? 5 : n) : 3;
  Flags f = parse_flags(a, n, flags_at);
  const std::string& s = a[0].as_string();
  const std::string& repl = a[2].as_string();
  int64_t start = Positional ? int_arg(a, n, 3, 1, "start", 1) : 1;
  int64_t nth = Positional && n > 4 ? int_arg(a, n, 4, 1, "n", 0) : (f.global ? 0 : 1);
  const boost::regex& re = compiled(a[1].as_string(), f);
  size_t from = byte_at(s, start);
  std::string out(s, 0, from);
  size_t copied = from;
  int64_t count = 0;
  each_match(s, from, re, [&](const boost::smatch& m) {
    if (nth != 0 && ++count < nth) return true;
    size_t at = static_cast<size_t>(m[0].first - s.cbegin());
    out.append(s, copied, at - copied);
    append_replacement(out, repl, m);
    copied = static_cast<size_t>(m[0].second - s.cbegin());
    return nth == 0;
  });
  out.append(s, copied, std::string::npos);
  return Value::text(std::move(out));
}

Flags no_global(const Value* a, size_t n, size_t at, const char* fn) {
  Flags f = parse_flags(a, n, at);
  if (f.global) raise(sqlstate::kInvalidParameterValue, "{}() does not support the \"global\" option", fn);
  return f;
}

// regexp_count(string, pattern [, start [, flags]]): how many matches from start.
Value f_regexp_count(const Value* a, size_t n, ExecContext&) {
  Flags f = no_global(a, n, 3, "regexp_count");
  const std::string& s = a[0].as_string();
  size_t from = byte_at(s, int_arg(a, n, 2, 1, "start", 1));
  int32_t count = 0;
  each_match(s, from, compiled(a[1].as_string(), f), [&](const boost::smatch&) { return ++count, true; });
  return Value::int4(count);
}

// The N-th match from start of regexp_instr / regexp_substr; calls f(m) with it if there is one.
template <class F>
void nth_match(const std::string& s, const boost::regex& re, int64_t start, int64_t nth, F&& f) {
  int64_t count = 0;
  each_match(s, byte_at(s, start), re, [&](const boost::smatch& m) {
    if (++count < nth) return true;
    f(m);
    return false;
  });
}

// regexp_instr(string, pattern [, start [, N [, endoption [, flags [, subexpr]]]]]): where the
// N-th match (or its subexpr-th group) begins, or ends with endoption 1; 0 for none.
Value f_regexp_instr(const Value* a, size_t n, ExecContext&) {
  const std::string& s = a[0].as_string();
  int64_t start = int_arg(a, n, 2, 1, "start", 1), nth = int_arg(a, n, 3, 1, "n", 1);
  int64_t end = int_arg(a, n, 4, 0, "endoption", 0);
  if (end > 1) raise(sqlstate::kInvalidParameterValue, "invalid value for parameter \"endoption\": {}", end);
  Flags f = no_global(a, n, 5, "regexp_instr");
  int64_t sub = int_arg(a, n, 6, 0, "subexpr", 0);
  int32_t pos = 0;
  nth_match(s, compiled(a[1].as_string(), f), start, nth, [&](const boost::smatch& m) {
    if (static_cast<size_t>(sub) >= m.size() || !m[static_cast<size_t>(sub)].matched) return;
    auto it = end ? m[static_cast<size_t>(sub)].second : m[static_cast<size_t>(sub)].first;
    pos = static_cast<int32_t>(char_pos(s, static_cast<size_t>(it - s.cbegin())));
  });
  return Value::int4(pos);
}

// regexp_substr(string, pattern [, start [, N [, flags [, subexpr]]]]): the N-th match (or its
// subexpr-th group), or NULL.
Value f_regexp_substr(const Value* a, size_t n, ExecContext&) {
  const std::string& s = a[0].as_string();
  int64_t start = int_arg(a, n, 2, 1, "start", 1), nth = int_arg(a, n, 3, 1, "n", 1);
  Flags f = no_global(a, n, 4, "regexp_substr");
  int64_t sub = int_arg(a, n, 5, 0, "subexpr", 0);
  Value out = Value::null(oid::kText);
  nth_match(s, compiled(a[1].as_string(), f), start, nth, [&](const boost::smatch& m) {
    if (static_cast<size_t>(sub) < m.size() && m[static_cast<size_t>(sub)].matched) out = Value::text(m[static_cast<size_t>(sub)].str());
  });
  return out;
}

// regexp_match(s, pattern [, flags]): the groups of the first match (the whole match when the
// pattern has none), or NULL.
Value f_regexp_match(const Value* a, size_t n, ExecContext&) {
  constexpr uint32_t kTextArray = 1009;
  Flags f = parse_flags(a, n, 2);
  if (f.global) raise(sqlstate::kInvalidParameterValue, "regexp_match() does not support the \"global\" option");
  boost::smatch m;
  const std::string& s = a[0].as_string();
  if (!boost::regex_search(s, m, compiled(a[1].as_string(), f))) return Value::null(kTextArray);
  std::vector<Value> items;
  if (m.size() == 1) items.push_back(Value::text(m[0].str()));
  for (size_t i = 1; i < m.size(); ++i)
    items.push_back(m[i].matched ? Value::text(m[i].str()) : Value::null(oid::kText));
  return array::make(kTextArray, array::Array::of(oid::kText, std::move(items)));
}

// regexp_like(s, pattern [, flags]).
Value f_regexp_like(const Value* a, size_t n, ExecContext&) {
  Flags f = no_global(a, n, 2, "regexp_like");
  return Value::boolean(search(a[0].as_string(), a[1].as_string(), f));
}

// regexp_matches(s, pattern [, flags]) as a two-dimensional text[]: a row per match (each match
// with flag g, else the first), a column per group (the whole match when there is none). The
// select list turns its rows into the function's rows.
Value f_regexp_matches(const Value* a, size_t n, ExecContext&) {
  Flags f = parse_flags(a, n, 2);
  const std::string& s = a[0].as_string();
  array::Array out;
  out.elem = oid::kText;
  int32_t rows = 0, width = 1;
  each_match(s, 0, compiled(a[1].as_string(), f), [&](const boost::smatch& m) {
    ++rows;
    width = m.size() > 1 ? static_cast<int32_t>(m.size() - 1) : 1;
    if (m.size() == 1) out.items.push_back(Value::text(m[0].str()));
    for (size_t i = 1; i < m.size(); ++i) out.items.push_back(m[i].matched ? Value::text(m[i].str()) : Value::null(oid::kText));
    return f.global;
  });
  if (rows > 0) {
    out.dims = {rows, width};
    out.lbounds = {1, 1};
  }
  return array::make(1009, out);
}

// substring(s FROM pattern): the first parenthesised group's match, else the whole match.
Value substring_of(const std::string& s, const std::string& pattern) {
  boost::smatch m;
  if (!boost::regex_search(s, m, compiled(pattern, Flags()))) return Value::null(oid::kText);
  if (m.size() > 1) return m[1].matched ? Value::text(m[1].str()) : Value::null(oid::kText);
  return Value::text(m[0].str());
}
Value f_substring(const Value* a, size_t, ExecContext&) { return substring_of(a[0].as_string(), a[1].as_string()); }

// similar_to_escape(pattern [, escape]): the POSIX regex of a SIMILAR TO pattern, as PostgreSQL's
// similar_escape_internal writes it: ^(?:part1){1,1}?(part2){1,1}(?:part3)$ when escape-double-
// quotes split the pattern (part1 matching as little, part2 as much as it can), else ^(?:...)$.
// The escape defaults to backslash; an empty one means none.
std::string similar_regex(const std::string& pattern, const std::string* escape) {
  std::string esc = escape ? *escape : "\\";
  if (esc.size() > 1 && char_pos(esc, esc.size()) > 2) {
    Error e(sqlstate::kInvalidEscapeSequence, "invalid escape string");
    e.with_hint("Escape string must be empty or one character.");
    throw e;
  }
  std::string r = "^(?:";
  bool after_escape = false, in_class = false;
  int quotes = 0;
  for (size_t i = 0; i < pattern.size();) {
    size_t len = 1;
    while (i + len < pattern.size() && (static_cast<unsigned char>(pattern[i + len]) & 0xC0) == 0x80) ++len;
    std::string_view ch(pattern.data() + i, len);
    i += len;
    char c = ch[0];
    if (after_escape) {
      after_escape = false;
      if (c == '"' && !in_class) {
        if (quotes == 2)
          raise(sqlstate::kInvalidUseOfEscapeCharacter, "SQL regular expression may not contain more than two escape-double-quote separators");
        r += quotes++ == 0 ? "){1,1}?(" : "){1,1}(?:";
      } else {
        r += '\\';
        r += ch;
      }
    } else if (!esc.empty() && ch == esc) {
      after_escape = true;
    } else if (in_class) {
      if (c == '\\') r += '\\';
      r += ch;
      if (c == ']') in_class = false;
    } else if (c == '[') {
      r += c;
      in_class = true;
    } else if (c == '%') {
      r += ".*";
    } else if (c == '_') {
      r += '.';
    } else if (c == '(') {
      r += "(?:";  // groups do not capture: only part2 does
    } else if (c == '\\' || c == '.' || c == '^' || c == '$') {
      r += '\\';
      r += c;
    } else {
      r += ch;
    }
  }
  return r + ")$";
}
Value f_similar_to_escape(const Value* a, size_t n, ExecContext&) {
  return Value::text(similar_regex(a[0].as_string(), n > 1 ? &a[1].as_string() : nullptr));
}
// substring(s SIMILAR pattern ESCAPE escape), also written substring(s FROM pattern FOR escape).
Value f_similar_substring(const Value* a, size_t, ExecContext&) {
  return substring_of(a[0].as_string(), similar_regex(a[1].as_string(), &a[2].as_string()));
}

// regexp_split_to_array(s, pattern [, flags]): the pieces between matches, ignoring the
// degenerate ones (empty matches at either end or just after the previous match), as
// PostgreSQL's setup_regexp_matches does for splitting.
Value f_split_to_array(const Value* a, size_t n, ExecContext&) {
  constexpr uint32_t kTextArray = 1009;
  Flags f = no_global(a, n, 2, "regexp_split_to_array");
  const std::string& s = a[0].as_string();
  std::vector<Value> items;
  size_t piece = 0, prev_end = 0;
  each_match(s, 0, compiled(a[1].as_string(), f), [&](const boost::smatch& m) {
    auto so = static_cast<size_t>(m[0].first - s.cbegin()), eo = static_cast<size_t>(m[0].second - s.cbegin());
    if (so < s.size() && eo > prev_end) {
      items.push_back(Value::text(s.substr(piece, so - piece)));
      piece = eo;
    }
    prev_end = eo;
    return true;
  });
  items.push_back(Value::text(s.substr(piece)));
  return array::make(kTextArray, array::Array::of(oid::kText, std::move(items)));
}

}  // namespace

void register_regex_functions(std::vector<FuncDef>& out) {
  const uint32_t t = oid::kText;
  out.push_back({"~", {t, t}, oid::kBool, f_match});
  out.push_back({"!~", {t, t}, oid::kBool, f_not_match});
  out.push_back({"~*", {t, t}, oid::kBool, f_match_ci});
  out.push_back({"!~*", {t, t}, oid::kBool, f_not_match_ci});
  out.push_back({"textregexeq", {t, t}, oid::kBool, f_match});
  out.push_back({"regexp_like", {t, t}, oid::kBool, f_regexp_like});
  out.push_back({"regexp_like", {t, t, t}, oid::kBool, f_regexp_like});
  out.push_back({"?regexp_matches", {t, t}, 1009, f_regexp_matches});
  out.push_back({"?regexp_matches", {t, t, t}, 1009, f_regexp_matches});
  out.push_back({"similar_to_escape", {t}, t, f_similar_to_escape});
  out.push_back({"similar_to_escape", {t, t}, t, f_similar_to_escape});
  out.push_back({"substring", {t, t, t}, t, f_similar_substring});
  const uint32_t i = oid::kInt4;
  out.push_back({"regexp_replace", {t, t, t}, t, f_replace<false>});
  out.push_back({"regexp_replace", {t, t, t, t}, t, f_replace<false>});
  out.push_back({"regexp_replace", {t, t, t, i}, t, f_replace<true>});
  out.push_back({"regexp_replace", {t, t, t, i, i}, t, f_replace<true>});
  out.push_back({"regexp_replace", {t, t, t, i, i, t}, t, f_replace<true>});
  out.push_back({"regexp_count", {t, t}, i, f_regexp_count});
  out.push_back({"regexp_count", {t, t, i}, i, f_regexp_count});
  out.push_back({"regexp_count", {t, t, i, t}, i, f_regexp_count});
  for (size_t k = 2; k <= 7; ++k) {
    std::vector<uint32_t> args{t, t, i, i, i, t, i};
    args.resize(k);
    out.push_back({"regexp_instr", args, i, f_regexp_instr});
  }
  for (size_t k = 2; k <= 6; ++k) {
    std::vector<uint32_t> args{t, t, i, i, t, i};
    args.resize(k);
    out.push_back({"regexp_substr", args, t, f_regexp_substr});
  }
  out.push_back({"regexp_match", {t, t}, 1009, f_regexp_match});
  out.push_back({"regexp_match", {t, t, t}, 1009, f_regexp_match});
  out.push_back({"substring", {t, t}, t, f_substring});
  out.push_back({"regexp_split_to_array", {t, t}, 1009, f_split_to_array});
  out.push_back({"regexp_split_to_array", {t, t, t}, 1009, f_split_to_array});
}

}  // namespace heliosdb::exec
