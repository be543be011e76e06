// Statistics against values checked by hand (and the binomial table).
#include "model/stats.hpp"

#include <gtest/gtest.h>

#include <numeric>
#include <vector>

namespace alloclab::model {
namespace {

std::vector<double> one_to(int n) {
  std::vector<double> v(static_cast<std::size_t>(n));
  std::iota(v.begin(), v.end(), 1.0);
  return v;
}

TEST(ModelStatsTest, MeanStddevCv) {
  const std::vector<double> v{100, 300, 200};
  EXPECT_DOUBLE_EQ(mean(v), 200);
  EXPECT_DOUBLE_EQ(stddev(v), 100);  // sample (n - 1)
  EXPECT_DOUBLE_EQ(cv(v), 0.5);
  EXPECT_DOUBLE_EQ(stddev(std::vector<double>{7}), 0);
  EXPECT_DOUBLE_EQ(cv(std::vector<double>{7}), 0);
}

TEST(ModelStatsTest, MedianOfOddAndEvenCounts) {
  EXPECT_DOUBLE_EQ(median(std::vector<double>{5, 1, 3}), 3);
  EXPECT_DOUBLE_EQ(median(std::vector<double>{4, 1, 3, 2}), 2.5);
  EXPECT_DOUBLE_EQ(median(std::vector<double>{7}), 7);
}

TEST(ModelStatsTest, BinomialHalfCdf) {
  EXPECT_DOUBLE_EQ(binomial_half_cdf(5, 0), 1.0 / 32);
  EXPECT_NEAR(binomial_half_cdf(10, 1), 11.0 / 1024, 1e-12);
  EXPECT_NEAR(binomial_half_cdf(20, 5), 21700.0 / 1048576, 1e-12);
  EXPECT_DOUBLE_EQ(binomial_half_cdf(4, 4), 1.0);
}

TEST(ModelStatsTest, MedianCiUsesOrderStatistics) {
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

TEST(ModelStatsTest, MedianCiIgnoresInputOrder) {
  const MedianCi ci = median_ci(std::vector<double>{9, 3, 7, 1, 10, 2, 8, 4, 6, 5});
  EXPECT_DOUBLE_EQ(ci.lo, 2);
  EXPECT_DOUBLE_EQ(ci.hi, 9);
}

TEST(ModelStatsTest, MedianCiFallsBackToMinMaxBelowSixSamples) {
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

}  // namespace
}  // namespace alloclab::model
