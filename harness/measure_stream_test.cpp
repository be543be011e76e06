// measure() over streamed traces: a run of several chunks counts every op it replayed, and
// --duration runs until the clock time is reached.
#include <gtest/gtest.h>

#include "harness/measure.hpp"
#include "model/keys.hpp"

namespace alloclab {
namespace {

MeasureRequest churn_on(const char* allocator, Params params) {
  MeasureRequest req;
  req.allocator = allocator;
  req.workload = "churn";
  req.params = std::move(params);
  req.params.insert({{"threads", 2}, {"min_size", 8}, {"max_size", 256}, {"keep", 75}, {"dist", 0}});
  req.rss_interval_ms = 0;
  return req;
}

std::uint64_t stat(const Measurement& m, std::string_view key) {
  const auto it = m.trace_stats.find(std::string(key));
  return it == m.trace_stats.end() ? 0 : it->second;
}

// 2 x 3M iterations: 6M ops per thread, three chunks of at most 2M.
TEST(MeasureStream, SeveralChunksCountEveryAllocation) {
  const Measurement m = measure(churn_on("null", {{"iters", 3'000'000}}));
  ASSERT_EQ(m.status, Status::kOk) << m.error;
  EXPECT_EQ(m.allocations, 6'000'000u);
  EXPECT_GE(stat(m, model::key::kChunks), 3u);
  EXPECT_GT(stat(m, model::key::kChunkGenNs), 0u);
  EXPECT_LE(stat(m, model::key::kChunkSkewNs), m.wall_ns);
  ASSERT_EQ(m.thread_ns.size(), 2u);
  EXPECT_LE(std::max(m.thread_ns[0], m.thread_ns[1]), m.wall_ns);
  EXPECT_GT(m.peak_live_bytes, 0u);
}

// A trace that fits one chunk is measured as before: no chunk figures.
TEST(MeasureStream, OneChunkHasNoChunkFigures) {
  const Measurement m = measure(churn_on("null", {{"iters", 1000}}));
  ASSERT_EQ(m.status, Status::kOk) << m.error;
  EXPECT_EQ(m.allocations, 2000u);
  EXPECT_TRUE(m.trace_stats.empty());
}

TEST(MeasureStream, DurationRunsUntilTheClockTime) {
  MeasureRequest req = churn_on("null", {});
  req.duration_s = 1;
  const Measurement m = measure(req);
  ASSERT_EQ(m.status, Status::kOk) << m.error;
  EXPECT_GE(m.wall_ns, 1'000'000'000u);
  EXPECT_GE(stat(m, model::key::kChunks), 2u);
  EXPECT_GT(m.allocations, 0u);
}

MeasureRequest aged_on(Params params) {
  MeasureRequest req;
  req.allocator = "glibc";
  req.workload = "aged";
  req.params = std::move(params);
  req.params.insert({{"threads", 2}, {"phases", 3}, {"steps", 4}, {"live", 5000}, {"shrink", 90}, {"long_pct", 20},
                     {"rotate", 25}, {"remote_pct", 0}, {"drift", 100}, {"min_size", 16}, {"max_size", 4096}});
  req.rss_interval_ms = 0;
  return req;
}

// 2 x 3M allocations in 12 grow steps of 250k: four steps a chunk, so the 15 marks come from
// four rounds, in order, on the replay's clock.
TEST(MeasureStream, AgedMarksComeFromEveryChunk) {
  const Measurement m = measure(aged_on({{"iters", 3'000'000}}));
  ASSERT_EQ(m.status, Status::kOk) << m.error;
  EXPECT_GE(stat(m, model::key::kChunks), 4u);
  ASSERT_EQ(m.marks.size(), 15u);
  for (std::size_t i = 0; i < m.marks.size(); ++i) {
    EXPECT_EQ(m.marks[i].after_shrink, i % 5 == 4) << i;
    EXPECT_GT(m.marks[i].rss_bytes, 0u) << i;
    if (i == 0) continue;
    EXPECT_GT(m.marks[i].t_ms, m.marks[i - 1].t_ms) << i;
    EXPECT_GE(m.marks[i].allocations, m.marks[i - 1].allocations) << i;
  }
  EXPECT_EQ(m.marks.back().allocations, 6'000'000u);
  EXPECT_LE(m.marks.back().t_ms * 1e6, static_cast<double>(m.wall_ns));
}

TEST(MeasureStream, AgedRunsForADuration) {
  MeasureRequest req = aged_on({});
  req.duration_s = 1;
  const Measurement m = measure(req);
  ASSERT_EQ(m.status, Status::kOk) << m.error;
  EXPECT_GE(m.wall_ns, 1'000'000'000u);
  ASSERT_GE(m.marks.size(), 2u);
  for (std::size_t i = 0; i < m.marks.size(); ++i) EXPECT_EQ(m.marks[i].after_shrink, i % 5 == 4) << i;
  EXPECT_EQ(m.marks.back().allocations, m.allocations);  // the closing frees only
}

}  // namespace
}  // namespace alloclab
