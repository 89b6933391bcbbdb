// float4 / float8 text I/O exactly as PostgreSQL 15 prints and reads them.
#pragma once

#include <string>
#include <string_view>

namespace heliosdb {

// float8out / float4out. With extra_float_digits > 0 (the default 1): the shortest text that
// reads back exactly, as "1e+20", "1.2345678901234568e+20", "1e-05", "0.1"; otherwise %.*g with
// DBL_DIG (FLT_DIG) + extra_float_digits digits. "NaN", "Infinity", "-Infinity", "-0".
std::string format_float8(double d, int extra_float_digits = 1);
std::string format_float4(float f, int extra_float_digits = 1);

// float8in / float4in: whitespace, [+-]Infinity/inf, NaN; 22P02 on bad input, 22003 when out of
// range (`"1e400" is out of range for type double precision`).
double parse_float8(std::string_view text);
float parse_float4(std::string_view text);

}  // namespace heliosdb
