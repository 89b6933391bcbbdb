// json and jsonb text handling: json keeps its text after validation; jsonb is stored as the
// text PostgreSQL's jsonb_out would print (keys sorted and de-duplicated, numbers as numeric).
#pragma once

#include <string>
#include <string_view>

namespace heliosdb::jsonb {

// Throws 22P02 `invalid input syntax for type json` when text is not JSON.
void validate(std::string_view text);

// jsonb_in followed by jsonb_out.
std::string normalize(std::string_view text);

}  // namespace heliosdb::jsonb
