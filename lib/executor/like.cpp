#include "executor/like.h"

#include <cctype>
#include <string>

#include "common/errors.h"

namespace heliosdb::exec {
namespace {

size_t char_len(unsigned char c) {
  return c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
}

enum Result { kTrue, kFalse, kAbort };

// Iterative-with-recursion-on-% matcher, as PostgreSQL's like_match.c.
Result match(std::string_view t, std::string_view p, char esc) {
  size_t ti = 0, pi = 0;
  while (ti < t.size() && pi < p.size()) {
    char pc = p[pi];
    if (pc == esc && esc != 0) {
      ++pi;
      if (pi >= p.size())
        raise(sqlstate::kInvalidEscapeSequence, "LIKE pattern must not end with escape character");
      size_t n = char_len(static_cast<unsigned char>(p[pi]));
      if (t.compare(ti, n, p, pi, n) != 0) return kFalse;
      ti += n;
      pi += n;
    } else if (pc == '%') {
      while (pi < p.size() && (p[pi] == '%' || p[pi] == '_')) {
        if (p[pi] == '_') {
          if (ti >= t.size()) return kAbort;
          ti += char_len(static_cast<unsigned char>(t[ti]));
        }
        ++pi;
      }
      if (pi >= p.size()) return kTrue;
      while (ti < t.size()) {
        Result r = match(t.substr(ti), p.substr(pi), esc);
        if (r != kFalse) return r;
        ti += char_len(static_cast<unsigned char>(t[ti]));
      }
      return kAbort;
    } else if (pc == '_') {
      ti += char_len(static_cast<unsigned char>(t[ti]));
      ++pi;
    } else {
      if (t[ti] != pc) return kFalse;
      ++ti;
      ++pi;
    }
  }
  if (ti < t.size()) return kFalse;
  while (pi < p.size() && p[pi] == '%') ++pi;
  return pi >= p.size() ? kTrue : kAbort;
}

std::string fold(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

bool like_match(std::string_view text, std::string_view pattern, bool ci, char escape) {
  if (ci) return match(fold(text), fold(pattern), escape) == kTrue;
  return match(text, pattern, escape) == kTrue;
}

}  // namespace heliosdb::exec
