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

// regexp_replace(source, pattern, replacement [, flags]): \1..\9 are groups, \& the match.
Value f_replace(const Value* a, size_t n, ExecContext&) {
  Flags f = parse_flags(a, n, 3);
  const std::string& s = a[0].as_string();
  const std::string& repl = a[2].as_string();
  const boost::regex& re = compiled(a[1].as_string(), f.icase);
  std::string out;
  auto begin = s.cbegin();
  boost::smatch m;
  auto flags = boost::match_default;
  while (boost::regex_search(begin, s.cend(), m, re, flags)) {
    out.append(begin, m[0].first);
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
    if (m[0].first == m[0].second) {  // an empty match: step over one character
      if (m[0].second == s.cend()) {
        begin = s.cend();
        break;
      }
      out.push_back(*m[0].second);
      begin = m[0].second + 1;
    } else {
      begin = m[0].second;
    }
    if (!f.global) break;
    flags |= boost::match_prev_avail;
  }
  out.append(begin, s.cend());
  return Value::text(std::move(out));
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
  out.push_back({"regexp_replace", {t, t, t}, t, f_replace});
  out.push_back({"regexp_replace", {t, t, t, t}, t, f_replace});
  out.push_back({"regexp_match", {t, t}, 1009, f_regexp_match});
  out.push_back({"regexp_match", {t, t, t}, 1009, f_regexp_match});
  out.push_back({"substring", {t, t}, t, f_substring});
  out.push_back({"regexp_split_to_array", {t, t}, 1009, f_split_to_array});
  out.push_back({"regexp_split_to_array", {t, t, t}, 1009, f_split_to_array});
}

}  // namespace heliosdb::exec
