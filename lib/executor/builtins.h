// Registration of the built-in functions, one file per family.
#pragma once

#include <vector>

#include "executor/functions.h"

namespace heliosdb::exec {

void register_operators(std::vector<FuncDef>& out);
void register_string_functions(std::vector<FuncDef>& out);
void register_math_functions(std::vector<FuncDef>& out);
void register_misc_functions(std::vector<FuncDef>& out);
void register_datetime_functions(std::vector<FuncDef>& out);
void register_array_functions(std::vector<FuncDef>& out);
void register_regex_functions(std::vector<FuncDef>& out);
void register_catalog_functions(std::vector<FuncDef>& out);
void register_json_functions(std::vector<FuncDef>& out);
void register_to_char_functions(std::vector<FuncDef>& out);
void register_number_format_functions(std::vector<FuncDef>& out);
void register_datetime_parse_functions(std::vector<FuncDef>& out);
void register_bytea_functions(std::vector<FuncDef>& out);
void register_agg_support_functions(std::vector<FuncDef>& out);

// to_json's text of a value (json and jsonb functions, json_agg).
std::string to_json_text(const Value& v, const types::TextContext& text);

// Checked integer arithmetic with PostgreSQL's errors ("integer out of range", 22003).
int64_t int_result(__int128 v, uint32_t type);

}  // namespace heliosdb::exec
