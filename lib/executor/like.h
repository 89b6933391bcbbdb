// SQL LIKE / ILIKE matching (PostgreSQL's MatchText: % and _, an escape character).
#pragma once

#include <string_view>

namespace heliosdb::exec {

// True when text matches pattern. Characters are UTF-8; case-insensitive folds ASCII and
// Latin letters with tolower. Throws 22025 for a pattern ending in the escape character.
bool like_match(std::string_view text, std::string_view pattern, bool case_insensitive, char escape);

}  // namespace heliosdb::exec
