// POSIX regular expressions: ~ ~* !~ !~*, regexp_replace, regexp_match, regexp_split_to_array.
// Patterns run on Boost.Regex's Perl syntax, which covers PostgreSQL's advanced regular
// expressions as applications write them (classes, anchors, groups, quantifiers, \d \s \w);
// PostgreSQL-only escapes (\m \M \y) are not translated.
#include <boost/regex.hpp>

#include <list>
#include <unordered_map>

#include "common/array.h"
#include "common/errors.h"
#include "executor/builtins.h"

namespace heliosdb::exec {
namespace {

// Compiled patterns, per thread, the most recent 64.
const boost::regex& compiled(const std::string& pattern, bool icase) {
  struct Cache {
    std::list<std::pair<std::string, boost::regex>> items;  // front: most recent
    std::unordered_map<std::string, decltype(items)::iterator> index;
  };
  thread_local Cache cache;
  std::string key = (icase ? "i:" : "c:") + pattern;
  if (auto it = cache.index.find(key); it != cache.index.end()) {
    cache.items.splice(cache.items.begin(), cache.items, it->second);
    return it->second->second;
  }
  boost::regex re;
  try {
    auto flags = boost::regex::perl | (icase ? boost::regex::icase : boost::regex::normal);
    re.assign(pattern, flags);
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

bool search(const Value* a, bool icase) {
  try {
    return boost::regex_search(a[0].as_string(), compiled(a[1].as_string(), icase));
  } catch (const std::runtime_error& e) {  // too complex to match
    raise(sqlstate::kInvalidRegularExpression, "regular expression failed: {}", e.what());
  }
}

Value f_match(const Value* a, size_t, ExecContext&) { return Value::boolean(search(a, false)); }
Value f_not_match(const Value* a, size_t, ExecContext&) { return Value::boolean(!search(a, false)); }
Value f_match_ci(const Value* a, size_t, ExecContext&) { return Value::boolean(search(a, true)); }
Value f_not_match_ci(const Value* a, size_t, ExecContext&) { return Value::boolean(!search(a, true)); }

struct Flags {
  bool global = false, icase = false;
};
Flags parse_flags(const Value* a, size_t n, size_t at) {
  Flags f;
  if (n <= at) return f;
  for (char c : a[at].as_string()) {
    if (c == 'g') f.global = true;
    else if (c == 'i') f.icase = true;
    else if (c == 'c') f.icase = false;
    else raise(sqlstate::kInvalidParameterValue, "invalid regular expression option: \"{}\"", c);
  }
  return f;
}

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
    while (boost::regex_search(begin, s.cend(), m, re, flags)) {
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
  const boost::regex& re = compiled(a[1].as_string(), f.icase);
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
  each_match(s, from, compiled(a[1].as_string(), f.icase), [&](const boost::smatch&) { return ++count, true; });
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
  nth_match(s, compiled(a[1].as_string(), f.icase), start, nth, [&](const boost::smatch& m) {
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
  nth_match(s, compiled(a[1].as_string(), f.icase), start, nth, [&](const boost::smatch& m) {
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
  if (!boost::regex_search(s, m, compiled(a[1].as_string(), f.icase))) return Value::null(kTextArray);
  std::vector<Value> items;
  if (m.size() == 1) items.push_back(Value::text(m[0].str()));
  for (size_t i = 1; i < m.size(); ++i)
    items.push_back(m[i].matched ? Value::text(m[i].str()) : Value::null(oid::kText));
  return array::make(kTextArray, array::Array::of(oid::kText, std::move(items)));
}

// substring(s FROM pattern): the first parenthesised group's match, else the whole match.
Value f_substring(const Value* a, size_t, ExecContext&) {
  boost::smatch m;
  const std::string& s = a[0].as_string();
  if (!boost::regex_search(s, m, compiled(a[1].as_string(), false))) return Value::null(oid::kText);
  if (m.size() > 1) return m[1].matched ? Value::text(m[1].str()) : Value::null(oid::kText);
  return Value::text(m[0].str());
}

Value f_split_to_array(const Value* a, size_t n, ExecContext&) {
  constexpr uint32_t kTextArray = 1009;
  Flags f = parse_flags(a, n, 2);
  const std::string& s = a[0].as_string();
  const boost::regex& re = compiled(a[1].as_string(), f.icase);
  std::vector<Value> items;
  auto begin = s.cbegin();
  boost::smatch m;
  while (begin != s.cend() && boost::regex_search(begin, s.cend(), m, re)) {
    if (m[0].first == m[0].second) {  // an empty match splits between characters
      if (m[0].first == s.cend()) break;
      auto next = m[0].first == begin ? begin + 1 : m[0].first;
      items.push_back(Value::text(std::string(begin, next)));
      begin = next;
      continue;
    }
    items.push_back(Value::text(std::string(begin, m[0].first)));
    begin = m[0].second;
  }
  items.push_back(Value::text(std::string(begin, s.cend())));
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
  out.push_back({"regexp_like", {t, t}, oid::kBool, f_match});
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
