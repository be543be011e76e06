// reports/stats.hpp — the statistics reports rely on, distribution-free where possible.
//
// Glossary
//   order statistic  x(k): the k-th smallest of n samples (1-based).
//   median CI        distribution-free confidence interval of the median: [x(k), x(n-k+1)] with
//                    the largest k whose coverage 1 - 2·P(Binomial(n, ½) ≤ k-1) is still at least
//                    the confidence asked for. Below 6 samples no k reaches 95%: the interval
//                    falls back to [min, max] and says so (order_statistic == false) together
//                    with the coverage it really has (1 - 2·½ⁿ).
//   Mann–Whitney U   rank-sum test of "one sample tends to be larger"; U counts the pairs (a, b)
//                    with a > b, ties counting ½.
#pragma once

#include <cstddef>
#include <span>

namespace alloclab::reports {

// pre: !xs.empty()
double median(std::span<const double> xs);

struct MedianCi {
  double lo = 0, hi = 0;
  double coverage = 0;          // the interval's actual coverage probability
  bool order_statistic = true;  // false: too few samples, [min, max] shown instead
};
// pre: !xs.empty(), 0 < confidence < 1
MedianCi median_ci(std::span<const double> xs, double confidence = 0.95);

// P(X <= k) for X ~ Binomial(n, 1/2).
double binomial_half_cdf(std::size_t n, std::size_t k);

struct MannWhitney {
  double u = 0;        // U of the first sample: pairs (a, b) with a > b, ties ½
  double p = 1;        // two-sided p-value
  bool exact = false;  // exact permutation distribution (no ties, small samples) vs normal approx
  double min_p = 1;    // smallest two-sided p these sample sizes can ever give
};
// Two-sided Mann–Whitney U test. Exact distribution when there are no ties and both samples are
// small; otherwise the normal approximation with tie correction and continuity correction.
// pre: !a.empty(), !b.empty()
MannWhitney mann_whitney(std::span<const double> a, std::span<const double> b);

// pre: every value > 0, !xs.empty()
double geometric_mean(std::span<const double> xs);

}  // namespace alloclab::reports
