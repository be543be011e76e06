// Statistics against values checked by hand (and the binomial / normal tables).
#include "reports/stats.hpp"

#include <gtest/gtest.h>

#include <numeric>
#include <vector>

namespace alloclab::reports {
namespace {

std::vector<double> one_to(int n) {
  std::vector<double> v(static_cast<std::size_t>(n));
  std::iota(v.begin(), v.end(), 1.0);
  return v;
}

TEST(ReportsStatsTest, MedianOfOddAndEvenCounts) {
  EXPECT_DOUBLE_EQ(median(std::vector<double>{5, 1, 3}), 3);
  EXPECT_DOUBLE_EQ(median(std::vector<double>{4, 1, 3, 2}), 2.5);
  EXPECT_DOUBLE_EQ(median(std::vector<double>{7}), 7);
}

TEST(ReportsStatsTest, BinomialHalfCdf) {
  EXPECT_DOUBLE_EQ(binomial_half_cdf(5, 0), 1.0 / 32);
  EXPECT_NEAR(binomial_half_cdf(10, 1), 11.0 / 1024, 1e-12);
  EXPECT_NEAR(binomial_half_cdf(20, 5), 21700.0 / 1048576, 1e-12);
  EXPECT_DOUBLE_EQ(binomial_half_cdf(4, 4), 1.0);
}

TEST(ReportsStatsTest, MedianCiUsesOrderStatistics) {
  // n = 10: P(B <= 1) = 11/1024, doubled 0.0215 <= 0.05; P(B <= 2) doubled 0.109 > 0.05 → k = 2.
  const MedianCi ten = median_ci(one_to(10));
  EXPECT_TRUE(ten.order_statistic);
  EXPECT_DOUBLE_EQ(ten.lo, 2);
  EXPECT_DOUBLE_EQ(ten.hi, 9);
  EXPECT_NEAR(ten.coverage, 1 - 22.0 / 1024, 1e-12);
  // n = 20: k = 6 → [x(6), x(15)], coverage 1 - 2·21700/2^20.
  const MedianCi twenty = median_ci(one_to(20));
  EXPECT_DOUBLE_EQ(twenty.lo, 6);
  EXPECT_DOUBLE_EQ(twenty.hi, 15);
  EXPECT_NEAR(twenty.coverage, 1 - 2 * 21700.0 / 1048576, 1e-12);
}

TEST(ReportsStatsTest, MedianCiIgnoresInputOrder) {
  const MedianCi ci = median_ci(std::vector<double>{9, 3, 7, 1, 10, 2, 8, 4, 6, 5});
  EXPECT_DOUBLE_EQ(ci.lo, 2);
  EXPECT_DOUBLE_EQ(ci.hi, 9);
}

TEST(ReportsStatsTest, MedianCiFallsBackToMinMaxBelowSixSamples) {
  const MedianCi five = median_ci(std::vector<double>{3, 1, 5, 2, 4});
  EXPECT_FALSE(five.order_statistic);
  EXPECT_DOUBLE_EQ(five.lo, 1);
  EXPECT_DOUBLE_EQ(five.hi, 5);
  EXPECT_DOUBLE_EQ(five.coverage, 1 - 2.0 / 32);
  // Six samples are the fewest whose min–max interval reaches 95% (1 - 2/64).
  const MedianCi six = median_ci(one_to(6));
  EXPECT_TRUE(six.order_statistic);
  EXPECT_DOUBLE_EQ(six.lo, 1);
  EXPECT_DOUBLE_EQ(six.hi, 6);
  EXPECT_DOUBLE_EQ(six.coverage, 1 - 2.0 / 64);
  const MedianCi single = median_ci(std::vector<double>{4});
  EXPECT_FALSE(single.order_statistic);
  EXPECT_DOUBLE_EQ(single.lo, 4);
  EXPECT_DOUBLE_EQ(single.hi, 4);
}

TEST(ReportsStatsTest, MannWhitneyExactSeparatedSamples) {
  // All 20 orderings of 3 + 3 equally likely; U = 0 happens once: two-sided p = 2/20.
  const MannWhitney r = mann_whitney(std::vector<double>{1, 2, 3}, std::vector<double>{4, 5, 6});
  EXPECT_TRUE(r.exact);
  EXPECT_DOUBLE_EQ(r.u, 0);
  EXPECT_NEAR(r.p, 0.1, 1e-12);
  EXPECT_NEAR(r.min_p, 0.1, 1e-12);
  const MannWhitney flipped = mann_whitney(std::vector<double>{4, 5, 6}, std::vector<double>{1, 2, 3});
  EXPECT_DOUBLE_EQ(flipped.u, 9);
  EXPECT_NEAR(flipped.p, 0.1, 1e-12);
}

TEST(ReportsStatsTest, MannWhitneyExactInterleavedSamples) {
  // U = #(a > b) = 3 (3>2, 5>2, 5>4). Counts of U for 3+3: 1 1 2 3 3 3 3 2 1 1.
  // P(U <= 3) = 7/20, P(U >= 3) = 16/20 → p = 2·7/20 = 0.7.
  const MannWhitney r = mann_whitney(std::vector<double>{1, 3, 5}, std::vector<double>{2, 4, 6});
  EXPECT_DOUBLE_EQ(r.u, 3);
  EXPECT_NEAR(r.p, 0.7, 1e-12);
}

TEST(ReportsStatsTest, MannWhitneyFiveVersusFive) {
  const MannWhitney r =
      mann_whitney(std::vector<double>{10, 11, 12, 13, 14}, std::vector<double>{1, 2, 3, 4, 5});
  EXPECT_TRUE(r.exact);
  EXPECT_DOUBLE_EQ(r.u, 25);
  EXPECT_NEAR(r.p, 2.0 / 252, 1e-12);
  EXPECT_NEAR(r.min_p, 2.0 / 252, 1e-12);
}

TEST(ReportsStatsTest, MannWhitneyTiesUseNormalApproximationWithTieCorrection) {
  // Midranks: 1→1, 2,2,2→3, 3,3→5.5, 4→7, 5→8. R_a = 12.5, U = 2.5, mu = 8,
  // var = 16/12·(9 − (24+6)/56) = 11.2857; z = (5.5 − 0.5)/sqrt(var) = 1.48835; p = 0.136658.
  const MannWhitney r = mann_whitney(std::vector<double>{1, 2, 2, 3}, std::vector<double>{2, 3, 4, 5});
  EXPECT_FALSE(r.exact);
  EXPECT_DOUBLE_EQ(r.u, 2.5);
  EXPECT_NEAR(r.p, 0.13665824773814753, 1e-9);
}

TEST(ReportsStatsTest, MannWhitneyAllEqualIsNoEvidence) {
  const MannWhitney r = mann_whitney(std::vector<double>{2, 2, 2}, std::vector<double>{2, 2});
  EXPECT_DOUBLE_EQ(r.p, 1.0);
}

TEST(ReportsStatsTest, MannWhitneyLargeSamplesUseNormalApproximation) {
  const std::vector<double> a = one_to(60);
  std::vector<double> b = one_to(60);
  for (double& x : b) x += 100;
  const MannWhitney r = mann_whitney(a, b);
  EXPECT_FALSE(r.exact);
  EXPECT_DOUBLE_EQ(r.u, 0);
  EXPECT_NEAR(r.p / 3.556570974984777e-21, 1.0, 1e-6);
}

TEST(ReportsStatsTest, GeometricMean) {
  EXPECT_NEAR(geometric_mean(std::vector<double>{1, 4}), 2.0, 1e-12);
  EXPECT_NEAR(geometric_mean(std::vector<double>{0.5, 2, 1}), 1.0, 1e-12);
}

}  // namespace
}  // namespace alloclab::reports
