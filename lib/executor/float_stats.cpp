#include "executor/float_stats.h"

#include <cmath>

#include "common/errors.h"

namespace heliosdb::exec {
namespace {

[[noreturn]] void overflow() { raise(sqlstate::kNumericValueOutOfRange, "value out of range: overflow"); }

// float8_pl: a sum of finite values must stay finite.
double plus(double a, double b) {
  double r = a + b;
  if (std::isinf(r) && !std::isinf(a) && !std::isinf(b)) overflow();
  return r;
}

}  // namespace

void accum(FloatStats& s, double x) {
  double n0 = s.v[0], sx0 = s.v[1];
  double n = n0 + 1, sx = sx0 + x, sxx = s.v[2];
  if (n0 > 0) {
    double t = x * n - sx;
    sxx += t * t / (n * n0);
    if (std::isinf(sx) || std::isinf(sxx)) {
      if (!std::isinf(sx0) && !std::isinf(x)) overflow();
      sxx = std::nan("");
    }
  } else if (std::isnan(x) || std::isinf(x)) {
    sxx = std::nan("");  // the first value decides: no finite variance after it
  }
  s.v[0] = n;
  s.v[1] = sx;
  s.v[2] = sxx;
}

void regr_accum(FloatStats& s, double y, double x) {
  auto [n0, sx0, sxx, sy0, syy, sxy] = s.v;
  double n = n0 + 1, sx = sx0 + x, sy = sy0 + y;
  if (n0 > 0) {
    double tx = x * n - sx, ty = y * n - sy, scale = 1.0 / (n * n0);
    sxx += tx * tx * scale;
    syy += ty * ty * scale;
    sxy += tx * ty * scale;
    if (std::isinf(sx) || std::isinf(sxx) || std::isinf(sy) || std::isinf(syy) || std::isinf(sxy)) {
      if (((std::isinf(sx) || std::isinf(sxx)) && !std::isinf(sx0) && !std::isinf(x)) ||
          ((std::isinf(sy) || std::isinf(syy)) && !std::isinf(sy0) && !std::isinf(y)) ||
          (std::isinf(sxy) && !std::isinf(sx0) && !std::isinf(x) && !std::isinf(sy0) && !std::isinf(y)))
        overflow();
      if (std::isinf(sxx)) sxx = std::nan("");
      if (std::isinf(syy)) syy = std::nan("");
      if (std::isinf(sxy)) sxy = std::nan("");
    }
  } else {
    if (std::isnan(x) || std::isinf(x)) sxx = sxy = std::nan("");
    if (std::isnan(y) || std::isinf(y)) syy = sxy = std::nan("");
  }
  s.v = {n, sx, sxx, sy, syy, sxy};
}

void combine(FloatStats& a, const FloatStats& b, bool regr) {
  double n1 = a.v[0], n2 = b.v[0];
  if (n2 == 0) return;
  if (n1 == 0) {
    a = b;
    return;
  }
  double n = n1 + n2;
  // Combines the sum at i and the sum of squares at i + 1; returns the mean difference.
  auto merge = [&](size_t i) {
    double d = a.v[i] / n1 - b.v[i] / n2;
    a.v[i] = plus(a.v[i], b.v[i]);
    double sq = a.v[i + 1] + b.v[i + 1] + n1 * n2 * d * d / n;
    if (std::isinf(sq) && !std::isinf(a.v[i + 1]) && !std::isinf(b.v[i + 1])) overflow();
    a.v[i + 1] = sq;
    return d;
  };
  double dx = merge(1);
  if (regr) {
    double dy = merge(3);
    double sxy = a.v[5] + b.v[5] + n1 * n2 * dx * dy / n;
    if (std::isinf(sxy) && !std::isinf(a.v[5]) && !std::isinf(b.v[5])) overflow();
    a.v[5] = sxy;
  }
  a.v[0] = n;
}

bool is_regression_aggregate(std::string_view n) {
  return n == "covar_pop" || n == "covar_samp" || n == "corr" || n == "regr_count" || n == "regr_sxx" || n == "regr_syy" ||
         n == "regr_sxy" || n == "regr_avgx" || n == "regr_avgy" || n == "regr_r2" || n == "regr_slope" || n == "regr_intercept";
}

// PostgreSQL's float8_covar_pop, float8_corr, float8_regr_* final functions.
std::optional<double> regression_result(std::string_view name, const FloatStats& s) {
  auto [n, sx, sxx, sy, syy, sxy] = s.v;
  if (n < 1 || (name == "covar_samp" && n < 2)) return std::nullopt;
  if (name == "covar_pop") return sxy / n;
  if (name == "covar_samp") return sxy / (n - 1);
  if (name == "regr_sxx") return sxx;
  if (name == "regr_syy") return syy;
  if (name == "regr_sxy") return sxy;
  if (name == "regr_avgx") return sx / n;
  if (name == "regr_avgy") return sy / n;
  if (name == "corr") {
    if (sxx == 0 || syy == 0) return std::nullopt;  // per spec, NULL for horizontal and vertical lines
    return sxy / std::sqrt(sxx * syy);
  }
  if (sxx == 0) return std::nullopt;
  if (name == "regr_r2") return syy == 0 ? 1.0 : sxy * sxy / (sxx * syy);
  if (name == "regr_slope") return sxy / sxx;
  return (sy - sx * sxy / sxx) / n;  // regr_intercept
}

}  // namespace heliosdb::exec
