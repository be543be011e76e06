// Bounded series: however many samples come, the points stay under their bound, the peak is
// kept, and a short run keeps every sample as it was.
#include "harness/series_bound.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace alloclab {
namespace {

TEST(RssSeries, ShortRunsKeepEverySample) {
  RssSeries s;
  for (int i = 0; i < 100; ++i) s.add(i, 1000u + static_cast<std::uint64_t>(i));
  const auto pts = s.take();
  ASSERT_EQ(pts.size(), 100u);
  EXPECT_EQ(pts[37], (RssSeries::Point{37, 1037}));
}

TEST(RssSeries, LongRunsStayBoundedAndKeepThePeak) {
  RssSeries s;
  const int n = 1'000'000;  // an hour of 4 ms samples
  for (int i = 0; i < n; ++i) s.add(i, i == 777'777 ? 99'999'999u : static_cast<std::uint64_t>(i % 1000));
  EXPECT_GE(s.stride(), static_cast<std::size_t>(n) / RssSeries::kMaxPoints);
  const auto pts = s.take();
  EXPECT_LE(pts.size(), RssSeries::kMaxPoints);
  EXPECT_GE(pts.size(), RssSeries::kMaxPoints / 2);
  const auto peak = std::max_element(pts.begin(), pts.end(), [](auto a, auto b) { return a.second < b.second; });
  EXPECT_EQ(*peak, (RssSeries::Point{777'777, 99'999'999u}));
  EXPECT_TRUE(std::is_sorted(pts.begin(), pts.end()));  // in time order
  EXPECT_GE(pts.back().first, n - static_cast<double>(s.stride()));  // covers the whole run
}

model::MarkSample mark(std::uint64_t i, std::uint64_t per_phase) {
  return model::MarkSample{static_cast<double>(i), i * 10, i, i, i % per_phase == per_phase - 1};
}

TEST(MarkSeries, ShortRunsKeepEveryMark) {
  MarkSeries s;
  for (std::uint64_t i = 0; i < 90; ++i) s.add(mark(i, 9));
  const auto m = s.take();
  ASSERT_EQ(m.size(), 90u);
  EXPECT_EQ(m[40], mark(40, 9));
}

TEST(MarkSeries, LongRunsKeepWholePhasesWithinTheBound) {
  MarkSeries s;
  const std::uint64_t per_phase = 9, phases = 100'000;
  for (std::uint64_t i = 0; i < per_phase * phases; ++i) s.add(mark(i, per_phase));
  const auto m = s.take();
  EXPECT_LE(m.size(), MarkSeries::kMaxMarks + MarkSeries::kMaxPhaseMarks);
  EXPECT_GE(m.size(), MarkSeries::kMaxMarks / 2);
  ASSERT_EQ(m.size() % per_phase, 0u);  // whole phases only
  for (std::size_t k = 0; k < m.size(); k += per_phase) {
    const std::uint64_t first = m[k].allocations / 10;
    EXPECT_EQ(first % (per_phase * s.stride()), 0u) << k;  // every stride-th phase, from the first
    for (std::size_t j = 0; j < per_phase; ++j) EXPECT_EQ(m[k + j], mark(first + j, per_phase));
  }
  EXPECT_EQ(m.front(), mark(0, per_phase));
}

TEST(MarkSeries, MarksWithoutShrinksAreBoundedToo) {
  MarkSeries s;
  for (std::uint64_t i = 0; i < 2'000'000; ++i) s.add(mark(i, 1u << 30));
  EXPECT_LE(s.take().size(), MarkSeries::kMaxMarks + MarkSeries::kMaxPhaseMarks);
}

}  // namespace
}  // namespace alloclab
