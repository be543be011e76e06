// Compare-only statistics (Mann–Whitney, geometric mean) against values checked by hand (and the binomial / normal tables).
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
