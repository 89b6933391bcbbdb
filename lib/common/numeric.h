// PostgreSQL's numeric: exact decimal arithmetic with PostgreSQL's scale rules and rounding
// (half away from zero). A numeric datum is its canonical text, exactly as numeric_out prints
// it ("12.50", "-0.001", "NaN", "Infinity", "-Infinity").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace heliosdb::numeric {

// numeric_in: whitespace, sign, digits, point, exponent, NaN, [+-]Infinity/inf. 22P02 otherwise.
std::string parse(std::string_view text);
// Rounds to the typmod's scale and checks its precision (22003 "numeric field overflow").
std::string apply_typmod(std::string_view v, int32_t typmod);

std::string add(std::string_view a, std::string_view b);
std::string sub(std::string_view a, std::string_view b);
std::string mul(std::string_view a, std::string_view b);
// Division with PostgreSQL's select_div_scale; 22012 on a zero divisor.
std::string div(std::string_view a, std::string_view b);
std::string mod(std::string_view a, std::string_view b);
// div(a, b): the quotient truncated towards zero, exactly (numeric_div_trunc).
std::string div_trunc(std::string_view a, std::string_view b);
std::string neg(std::string_view a);
std::string abs(std::string_view a);
// -1, 0, 1; NaN sorts above everything and equals NaN; 1.0 equals 1.00.
int cmp(std::string_view a, std::string_view b);
std::string round(std::string_view a, int scale);
std::string trunc(std::string_view a, int scale);
std::string ceil(std::string_view a);
std::string floor(std::string_view a);
std::string sign(std::string_view a);
std::string sqrt(std::string_view a);
std::string sqrt(std::string_view a, int rscale);  // rounded to rscale digits
// power, exp, ln and log with PostgreSQL's result scales (numeric.c's power_var, exp_var,
// ln_var, log_var) and errors (2201E, 2201F, 22003), correctly rounded.
std::string power(std::string_view a, std::string_view b);
std::string exp(std::string_view a);
std::string ln(std::string_view a);
std::string log(std::string_view base, std::string_view a);
std::string log10(std::string_view a);

std::string from_int64(int64_t v);
std::string from_double(double d);  // float8_numeric: 15 significant digits
std::string from_float4(float f);   // float4_numeric: 6 significant digits
// Rounds to an integer; 22003 "<type_name> out of range" (type_name: "bigint", "integer", ...).
int64_t to_int64(std::string_view v, const char* type_name);
double to_double(std::string_view v);

// Trailing fraction zeros removed: equal numerics give equal strings.
std::string normalized(std::string_view v);
// Appends an order-preserving encoding (memcmp order == numeric order; equal values equal bytes).
void key_encode(std::string_view v, std::string& out);

}  // namespace heliosdb::numeric
