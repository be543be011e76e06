#include "model/stats.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace alloclab::model {
namespace {

std::vector<double> sorted(std::span<const double> xs) {
  std::vector<double> v(xs.begin(), xs.end());
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace

double log_choose(double n, double k) { return std::lgamma(n + 1) - std::lgamma(k + 1) - std::lgamma(n - k + 1); }

double median(std::span<const double> xs) {
  const std::vector<double> v = sorted(xs);
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double mean(std::span<const double> xs) {
  double s = 0;
  for (double x : xs) s += x;
  return s / static_cast<double>(xs.size());
}

double stddev(std::span<const double> xs) {
  if (xs.size() < 2) return 0;
  const double mu = mean(xs);
  double s = 0;
  for (double x : xs) s += (x - mu) * (x - mu);
  return std::sqrt(s / static_cast<double>(xs.size() - 1));
}

double cv(std::span<const double> xs) { return stddev(xs) / mean(xs); }

double binomial_half_cdf(std::size_t n, std::size_t k) {
  if (k >= n) return 1.0;
  const double dn = static_cast<double>(n);
  double sum = 0;
  for (std::size_t i = 0; i <= k; ++i) sum += std::exp(log_choose(dn, static_cast<double>(i)) - dn * std::log(2.0));
  return std::min(sum, 1.0);
}

MedianCi median_ci(std::span<const double> xs, double confidence) {
  const std::vector<double> v = sorted(xs);
  const std::size_t n = v.size();
  const double tail = 1.0 - confidence;
  // Largest k (1-based) with 2·P(B <= k-1) <= tail; coverage shrinks as k grows.
  std::size_t k = 0;
  while (k + 1 <= n / 2 && 2.0 * binomial_half_cdf(n, k) <= tail) ++k;
  MedianCi ci;
  if (k == 0) {
    ci.lo = v.front();
    ci.hi = v.back();
    ci.coverage = n < 2 ? 0.0 : 1.0 - 2.0 * std::pow(0.5, static_cast<double>(n));
    ci.order_statistic = false;
    return ci;
  }
  ci.lo = v[k - 1];
  ci.hi = v[n - k];
  ci.coverage = 1.0 - 2.0 * binomial_half_cdf(n, k - 1);
  return ci;
}

}  // namespace alloclab::model
