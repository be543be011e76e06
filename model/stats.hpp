// The statistics of repetitions: the aggregate rows, the terminal table, the reports and the
// harness-cost figure all use these, so they agree on what "median", "cv" and the CI mean.
//
//   order statistic  x(k): the k-th smallest of n samples (1-based).
//   median CI        distribution-free confidence interval of the median: [x(k), x(n-k+1)] with
//                    the largest k whose coverage 1 - 2·P(Binomial(n, ½) ≤ k-1) is still at least
//                    the confidence asked for. Below 6 samples no k reaches 95%: the interval
//                    falls back to [min, max] and says so (order_statistic == false) together
//                    with the coverage it really has (1 - 2·½ⁿ).
#pragma once

#include <cstddef>
#include <span>

namespace alloclab::model {

// The middle value (the mean of the two middle ones for an even count). pre: !xs.empty().
double median(std::span<const double> xs);
// pre: !xs.empty().
double mean(std::span<const double> xs);
// Sample standard deviation (n - 1); 0 for fewer than two values.
double stddev(std::span<const double> xs);
// Coefficient of variation: stddev / mean, a fraction (0.05 = 5 %). pre: !xs.empty().
double cv(std::span<const double> xs);

struct MedianCi {
  double lo = 0, hi = 0;
  double coverage = 0;          // the interval's actual coverage probability
  bool order_statistic = true;  // false: too few samples, [min, max] shown instead
};
// pre: !xs.empty(), 0 < confidence < 1
MedianCi median_ci(std::span<const double> xs, double confidence = 0.95);

// log C(n, k), for any n >= k >= 0 (lgamma: no overflow).
double log_choose(double n, double k);

// P(X <= k) for X ~ Binomial(n, 1/2).
double binomial_half_cdf(std::size_t n, std::size_t k);

}  // namespace alloclab::model
