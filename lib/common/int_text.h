// Integer input with PostgreSQL 15's int2in / int4in / int8in rules and messages.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace heliosdb {

// Leading and trailing whitespace and a sign are allowed. 22P02 `invalid input syntax for type
// integer: "x"`; 22003 `value "99999999999" is out of range for type integer`.
int64_t parse_int2(std::string_view text);
int64_t parse_int4(std::string_view text);
int64_t parse_int8(std::string_view text);

// Plain decimal digits, nothing else, up to max (option values: ports, sizes, milliseconds);
// nullopt otherwise.
std::optional<uint64_t> parse_count(std::string_view text, uint64_t max = UINT64_MAX);

}  // namespace heliosdb
