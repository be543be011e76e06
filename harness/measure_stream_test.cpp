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

}  // namespace
}  // namespace alloclab
