// The running sums of PostgreSQL's float8 statistics aggregates (float8_accum and
// float8_regr_accum: the Youngs-Cramer algorithm), their combination, and the final functions of
// var/stddev-style and regression aggregates over them.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace heliosdb::exec {

// (N, Sx, Sxx, Sy, Syy, Sxy): float8_regr_accum's transition array; float8_accum uses the
// first three.
struct FloatStats {
  std::array<double, 6> v{};
  double n() const { return v[0]; }
};

// Adds one value (float8_accum) or one (y, x) pair (float8_regr_accum). Raises 22003
// "value out of range: overflow" when finite inputs overflow, as PostgreSQL does.
void accum(FloatStats& s, double x);
void regr_accum(FloatStats& s, double y, double x);
// Merges b into a (float8_combine, float8_regr_combine; `regr` takes all six sums).
void combine(FloatStats& a, const FloatStats& b, bool regr);

// Whether name is one of the two-argument float8 regression aggregates (covar_pop, corr,
// regr_slope, ...).
bool is_regression_aggregate(std::string_view name);
// The final value of a regression aggregate over s (nullopt: NULL); regr_count is the caller's.
std::optional<double> regression_result(std::string_view name, const FloatStats& s);

}  // namespace heliosdb::exec
