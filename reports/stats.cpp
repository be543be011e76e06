// reports/stats.cpp — see stats.hpp.
#include "reports/stats.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace alloclab::reports {
namespace {

using model::log_choose;

// Beyond this many orderings the exact distribution's table gets large; the normal approximation
// is then accurate to far better than the decisions made with it.
constexpr std::size_t kExactMaxPairs = 2500;  // n1 * n2

// Counts, for each u, the orderings of n1 a's and n2 b's with U = u (pairs a > b). Recurrence on
// the largest element: it is an a (beating all n2 b's: u - n2) or a b (u unchanged).
std::vector<double> u_distribution(std::size_t n1, std::size_t n2) {
  const std::size_t width = n1 * n2 + 1;  // u = 0 .. n1·n2
  // Two layers (i - 1 and i) of the table f[j][u], flattened: index j * width + u.
  std::vector<double> prev((n2 + 1) * width, 0.0), cur((n2 + 1) * width, 0.0);
  for (std::size_t j = 0; j <= n2; ++j) prev[j * width] = 1.0;  // i = 0: U = 0 in one way
  for (std::size_t i = 1; i <= n1; ++i) {
    std::fill(cur.begin(), cur.end(), 0.0);
    cur[0] = 1.0;  // j = 0: U = 0
    for (std::size_t j = 1; j <= n2; ++j) {
      for (std::size_t u = 0; u <= i * j; ++u) {
        double ways = cur[(j - 1) * width + u];            // largest is a b
        if (u >= j) ways += prev[j * width + u - j];       // largest is an a: beats j b's
        cur[j * width + u] = ways;
      }
    }
    std::swap(prev, cur);
  }
  return std::vector<double>(prev.begin() + static_cast<std::ptrdiff_t>(n2 * width), prev.end());
}

double normal_two_sided(double z) { return std::erfc(std::fabs(z) / std::sqrt(2.0)); }

}  // namespace

MannWhitney mann_whitney(std::span<const double> a, std::span<const double> b) {
  const std::size_t n1 = a.size(), n2 = b.size();
  const double d1 = static_cast<double>(n1), d2 = static_cast<double>(n2);
  const double n = d1 + d2;

  // Midranks over the pooled sample; tie groups feed the variance correction.
  struct Item {
    double value;
    bool first;
  };
  std::vector<Item> pooled;
  pooled.reserve(n1 + n2);
  for (double x : a) pooled.push_back({x, true});
  for (double x : b) pooled.push_back({x, false});
  std::sort(pooled.begin(), pooled.end(), [](const Item& l, const Item& r) { return l.value < r.value; });
  double rank_sum_a = 0, tie_term = 0;
  bool ties = false;
  for (std::size_t i = 0; i < pooled.size();) {
    std::size_t j = i;
    while (j < pooled.size() && pooled[j].value == pooled[i].value) ++j;
    const double t = static_cast<double>(j - i);
    const double midrank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    for (std::size_t m = i; m < j; ++m)
      if (pooled[m].first) rank_sum_a += midrank;
    if (t > 1) {
      ties = true;
      tie_term += t * t * t - t;
    }
    i = j;
  }

  MannWhitney r;
  r.u = rank_sum_a - d1 * (d1 + 1) / 2.0;
  r.min_p = std::min(1.0, 2.0 * std::exp(-log_choose(n, d1)));

  if (!ties && n1 * n2 <= kExactMaxPairs) {
    const std::vector<double> counts = u_distribution(n1, n2);
    const double total = std::exp(log_choose(n, d1));
    const auto u = static_cast<std::size_t>(std::llround(r.u));
    double le = 0, ge = 0;
    for (std::size_t i = 0; i < counts.size(); ++i) {
      if (i <= u) le += counts[i];
      if (i >= u) ge += counts[i];
    }
    r.p = std::min(1.0, 2.0 * std::min(le, ge) / total);
    r.exact = true;
    return r;
  }

  const double mu = d1 * d2 / 2.0;
  const double variance = d1 * d2 / 12.0 * ((n + 1.0) - tie_term / (n * (n - 1.0)));
  if (variance <= 0) {  // every value equal: no evidence of any difference
    r.p = 1.0;
    return r;
  }
  // Continuity correction: move |U - mu| half a step towards zero.
  const double diff = std::max(0.0, std::fabs(r.u - mu) - 0.5);
  r.p = std::min(1.0, normal_two_sided(diff / std::sqrt(variance)));
  return r;
}

double geometric_mean(std::span<const double> xs) {
  double sum = 0;
  for (double x : xs) sum += std::log(x);
  return std::exp(sum / static_cast<double>(xs.size()));
}

}  // namespace alloclab::reports
