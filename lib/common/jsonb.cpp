#include "common/jsonb.h"

#include <algorithm>
#include <map>
#include <vector>

#include "common/errors.h"
#include "common/numeric.h"

namespace heliosdb::jsonb {
namespace {

[[noreturn]] void bad(std::string_view type) {
  raise(sqlstate::kInvalidTextRepresentation, "invalid input syntax for type {}", type);
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) out.push_back(static_cast<char>(cp));
  else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// PostgreSQL's escape_json.
void escape(std::string& out, std::string_view s) {
  out.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          static const char* d = "0123456789abcdef";
          out += "\\u00";
          out.push_back(d[c >> 4]);
          out.push_back(d[c & 15]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

// A recursive-descent JSON parser that writes normalised jsonb text (or only validates).
class Parser {
 public:
  Parser(std::string_view s, bool jsonb) : s_(s), jsonb_(jsonb) {}

  std::string run() {
    std::string out;
    skip();
    value(out, 0);
    skip();
    if (p_ != s_.size()) fail();
    return out;
  }

 private:
  [[noreturn]] void fail() { bad(jsonb_ ? "json" : "json"); }
  void skip() {
    while (p_ < s_.size() && (s_[p_] == ' ' || s_[p_] == '\t' || s_[p_] == '\n' || s_[p_] == '\r')) ++p_;
  }
  bool eat(char c) {
    skip();
    if (p_ < s_.size() && s_[p_] == c) { ++p_; return true; }
    return false;
  }

  std::string string_lit() {
    if (p_ >= s_.size() || s_[p_] != '"') fail();
    ++p_;
    std::string out;
    while (true) {
      if (p_ >= s_.size()) fail();
      unsigned char c = static_cast<unsigned char>(s_[p_++]);
      if (c == '"') return out;
      if (c < 0x20) fail();
      if (c != '\\') { out.push_back(static_cast<char>(c)); continue; }
      if (p_ >= s_.size()) fail();
      char e = s_[p_++];
      switch (e) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '/': out.push_back('/'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': {
          uint32_t cp = hex4();
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (p_ + 1 < s_.size() && s_[p_] == '\\' && s_[p_ + 1] == 'u') {
              p_ += 2;
              uint32_t lo = hex4();
              if (lo < 0xDC00 || lo > 0xDFFF) fail();
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else {
              fail();
            }
          }
          if (cp == 0 && jsonb_)
            raise(sqlstate::kUntranslatableCharacter, "unsupported Unicode escape sequence");
          append_utf8(out, cp);
          break;
        }
        default: fail();
      }
    }
  }

  uint32_t hex4() {
    if (p_ + 4 > s_.size()) fail();
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      char c = s_[p_++];
      int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10
              : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
      if (d < 0) fail();
      v = v * 16 + static_cast<uint32_t>(d);
    }
    return v;
  }

  void number(std::string& out) {
    size_t b = p_;
    if (p_ < s_.size() && s_[p_] == '-') ++p_;
    if (p_ >= s_.size() || !std::isdigit(static_cast<unsigned char>(s_[p_]))) fail();
    if (s_[p_] == '0') ++p_;
    else while (p_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[p_]))) ++p_;
    if (p_ < s_.size() && s_[p_] == '.') {
      ++p_;
      if (p_ >= s_.size() || !std::isdigit(static_cast<unsigned char>(s_[p_]))) fail();
      while (p_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[p_]))) ++p_;
    }
    if (p_ < s_.size() && (s_[p_] == 'e' || s_[p_] == 'E')) {
      ++p_;
      if (p_ < s_.size() && (s_[p_] == '+' || s_[p_] == '-')) ++p_;
      if (p_ >= s_.size() || !std::isdigit(static_cast<unsigned char>(s_[p_]))) fail();
      while (p_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[p_]))) ++p_;
    }
    if (jsonb_) out += numeric::parse(s_.substr(b, p_ - b));
  }

  void value(std::string& out, int depth) {
    if (depth > 6400) raise(sqlstate::kStatementTooComplex, "stack depth limit exceeded");
    skip();
    if (p_ >= s_.size()) fail();
    char c = s_[p_];
    if (c == '{') {
      ++p_;
      std::vector<std::pair<std::string, std::string>> members;
      if (!eat('}')) {
        do {
          skip();
          std::string key = string_lit();
          if (!eat(':')) fail();
          std::string v;
          value(v, depth + 1);
          members.emplace_back(std::move(key), std::move(v));
        } while (eat(','));
        if (!eat('}')) fail();
      }
      if (!jsonb_) return;
      // jsonb: keys ordered by length, then bytes; the last duplicate wins.
      std::stable_sort(members.begin(), members.end(), [](const auto& a, const auto& b) {
        if (a.first.size() != b.first.size()) return a.first.size() < b.first.size();
        return a.first < b.first;
      });
      out.push_back('{');
      bool first = true;
      for (size_t i = 0; i < members.size(); ++i) {
        if (i + 1 < members.size() && members[i + 1].first == members[i].first) continue;
        if (!first) out += ", ";
        first = false;
        escape(out, members[i].first);
        out += ": ";
        out += members[i].second;
      }
      out.push_back('}');
    } else if (c == '[') {
      ++p_;
      if (jsonb_) out.push_back('[');
      if (!eat(']')) {
        bool first = true;
        do {
          if (jsonb_ && !first) out += ", ";
          first = false;
          value(out, depth + 1);
        } while (eat(','));
        if (!eat(']')) fail();
      }
      if (jsonb_) out.push_back(']');
    } else if (c == '"') {
      std::string s = string_lit();
      if (jsonb_) escape(out, s);
    } else if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) {
      number(out);
    } else {
      for (std::string_view w : {"true", "false", "null"}) {
        if (s_.substr(p_, w.size()) == w) {
          p_ += w.size();
          if (p_ < s_.size() && std::isalnum(static_cast<unsigned char>(s_[p_]))) fail();
          if (jsonb_) out += w;
          return;
        }
      }
      fail();
    }
  }

  std::string_view s_;
  bool jsonb_;
  size_t p_ = 0;
};

}  // namespace

void validate(std::string_view text) { Parser(text, false).run(); }

std::string normalize(std::string_view text) { return Parser(text, true).run(); }

void append_string(std::string& out, std::string_view s) { escape(out, s); }

namespace {

struct Scanner {
  std::string_view s;
  size_t p = 0;
  void skip() {
    while (p < s.size() && (s[p] == ' ' || s[p] == '\t' || s[p] == '\n' || s[p] == '\r')) ++p;
  }
  // Skips one value (the text is valid JSON); returns its span.
  std::string_view value() {
    skip();
    size_t b = p;
    if (p >= s.size()) return {};
    char c = s[p];
    if (c == '"') {
      ++p;
      while (p < s.size() && s[p] != '"') p += s[p] == '\\' ? 2 : 1;
      ++p;
    } else if (c == '{' || c == '[') {
      int depth = 0;
      while (p < s.size()) {
        char d = s[p];
        if (d == '"') {
          value();
          continue;
        }
        ++p;
        if (d == '{' || d == '[') ++depth;
        else if ((d == '}' || d == ']') && --depth == 0) break;
      }
    } else {
      while (p < s.size() && s[p] != ',' && s[p] != '}' && s[p] != ']' && s[p] != ' ' && s[p] != '\n' &&
             s[p] != '\t' && s[p] != '\r')
        ++p;
    }
    return s.substr(b, p - b);
  }
  bool eat(char c) {
    skip();
    if (p < s.size() && s[p] == c) {
      ++p;
      return true;
    }
    return false;
  }
};

std::string unescape(std::string_view lit) {
  // lit is a valid JSON string literal; reuse the parser to decode it.
  std::string norm = Parser(lit, true).run();  // re-escaped canonical form
  std::string out;
  for (size_t i = 1; i + 1 < norm.size(); ++i) {
    char c = norm[i];
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    char e = norm[++i];
    switch (e) {
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case 'u': {
        uint32_t cp = static_cast<uint32_t>(std::stoul(std::string(norm.substr(i + 1, 4)), nullptr, 16));
        append_utf8(out, cp);
        i += 4;
        break;
      }
      default: out.push_back(e);
    }
  }
  return out;
}

}  // namespace

std::vector<std::pair<std::string, std::string_view>> members(std::string_view json) {
  std::vector<std::pair<std::string, std::string_view>> out;
  Scanner sc{json};
  if (!sc.eat('{') || sc.eat('}')) return out;
  do {
    std::string key = unescape(sc.value());
    sc.eat(':');
    out.emplace_back(std::move(key), sc.value());
  } while (sc.eat(','));
  return out;
}

std::vector<std::string_view> elements(std::string_view json) {
  std::vector<std::string_view> out;
  Scanner sc{json};
  if (!sc.eat('[') || sc.eat(']')) return out;
  do out.push_back(sc.value());
  while (sc.eat(','));
  return out;
}

std::optional<std::string_view> member(std::string_view json, std::string_view key) {
  std::optional<std::string_view> found;
  for (auto& [k, v] : members(json))
    if (k == key) found = v;  // json keeps duplicates: the last one wins, as in PostgreSQL
  return found;
}

std::optional<std::string_view> element(std::string_view json, long index) {
  auto items = elements(json);
  long n = static_cast<long>(items.size());
  if (index < 0) index += n;
  if (index < 0 || index >= n) return std::nullopt;
  return items[static_cast<size_t>(index)];
}

const char* type_of(std::string_view json) {
  Scanner sc{json};
  sc.skip();
  if (sc.p >= json.size()) return "null";
  switch (json[sc.p]) {
    case '{': return "object";
    case '[': return "array";
    case '"': return "string";
    case 't': case 'f': return "boolean";
    case 'n': return "null";
    default: return "number";
  }
}

std::optional<std::string> as_text(std::string_view json) {
  std::string_view t = type_of(json);
  if (t == "null") return std::nullopt;
  Scanner sc{json};
  std::string_view v = sc.value();
  if (t == "string") return unescape(v);
  return std::string(v);
}

}  // namespace heliosdb::jsonb
