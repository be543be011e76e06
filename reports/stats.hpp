// reports/stats.hpp — the compare-only statistics, distribution-free where possible.
//
// Glossary
//   median, median CI  the results model's (model/stats.hpp), shared with the harness.
//   Mann–Whitney U   rank-sum test of "one sample tends to be larger"; U counts the pairs (a, b)
//                    with a > b, ties counting ½.
#pragma once

#include <cstddef>
#include <span>

#include "model/stats.hpp"

namespace alloclab::reports {

using model::binomial_half_cdf;
using model::median;
using model::median_ci;
using model::MedianCi;

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
