// Latency histograms: bucket edges, quantiles against known data, and the measured summary.
#include <gtest/gtest.h>

#include "harness/measure.hpp"
#include "workloads/latency.hpp"

namespace alloclab {
namespace {

TEST(LatencyTest, BucketsAreContiguousAndTight) {
  std::uint64_t prev_edge = 0;
  for (unsigned b = 1; b < 300; ++b) {
    const std::uint64_t edge = LatencyHistogram::upper_edge(b);
    EXPECT_GT(edge, prev_edge);
    EXPECT_EQ(LatencyHistogram::bucket_of(edge), b);
    EXPECT_EQ(LatencyHistogram::bucket_of(prev_edge + 1), b);
    // a bucket spans at most 1/8 of its lower bound (log-linear, 3 sub-bits)
    EXPECT_LE(edge - prev_edge - 1, std::max<std::uint64_t>(prev_edge / 8, 1));
    prev_edge = edge;
  }
}

TEST(LatencyTest, QuantilesOfAKnownSample) {
  LatencyHistogram h;
  for (std::uint64_t v = 1; v <= 1000; ++v) h.add(v);
  EXPECT_EQ(h.total(), 1000u);
  EXPECT_EQ(h.max(), 1000u);
  // Within the bucket error (12.5%) of the exact order statistics.
  EXPECT_NEAR(static_cast<double>(h.quantile(0.5)), 500, 500 * 0.125);
  EXPECT_NEAR(static_cast<double>(h.quantile(0.99)), 990, 990 * 0.125);
  EXPECT_EQ(h.quantile(1.0), 1000u);
  LatencyHistogram other;
  other.add(5000);
  h.merge(other);
  EXPECT_EQ(h.max(), 5000u);
  EXPECT_EQ(h.total(), 1001u);
}

TEST(LatencyTest, MeasureReportsPercentilesPerOpKind) {
  MeasureRequest req;
  req.allocator = "glibc";
  req.workload = "churn";
  req.params = {{"threads", 1}, {"iters", 20000}, {"min_size", 8}, {"max_size", 256}, {"keep", 75}};
  req.rss_interval_ms = 0;
  req.latency_every = 4;
  const Measurement m = measure(req);
  ASSERT_EQ(m.status, Status::kOk) << m.error;
  EXPECT_EQ(m.latency.sample_every, 4u);
  EXPECT_GT(m.latency.timer_ns, 0);
  ASSERT_EQ(m.latency.ops.size(), 2u);  // alloc and free
  EXPECT_EQ(m.latency.ops[0].op, "alloc");
  EXPECT_EQ(m.latency.ops[0].samples + m.latency.ops[1].samples, 40000u / 4);
  for (const LatencyStats& s : m.latency.ops) {
    EXPECT_LE(s.p50, s.p90);
    EXPECT_LE(s.p90, s.p99);
    EXPECT_LE(s.p99, s.p999);
    EXPECT_LE(s.p999, s.max);
  }
}

}  // namespace
}  // namespace alloclab
