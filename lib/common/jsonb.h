// json and jsonb text handling: json keeps its text after validation; jsonb is stored as the
// text PostgreSQL's jsonb_out would print (keys sorted and de-duplicated, numbers as numeric).
#pragma once

#include <string>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace heliosdb::jsonb {

// Throws 22P02 `invalid input syntax for type json` when text is not JSON.
void validate(std::string_view text);

// jsonb_in followed by jsonb_out.
std::string normalize(std::string_view text);

// Appends s as a JSON string literal (PostgreSQL's escape_json).
void append_string(std::string& out, std::string_view s);

// Navigation in valid JSON text (json or normalised jsonb): the text of an object member or an
// array element (negative indexes count from the end), or nullopt.
std::optional<std::string_view> member(std::string_view json, std::string_view key);
std::optional<std::string_view> element(std::string_view json, long index);
// "object", "array", "string", "number", "boolean" or "null".
const char* type_of(std::string_view json);
// Elements of an array / members of an object, as texts.
std::vector<std::string_view> elements(std::string_view json);
std::vector<std::pair<std::string, std::string_view>> members(std::string_view json);
// ->> : a string's contents, null as nullopt, anything else as its text.
std::optional<std::string> as_text(std::string_view json);

}  // namespace heliosdb::jsonb
