// The floor row's footprint follows the trace (null faults in what it will hand out, not 64 MiB
// per thread), and measure() marks figures that cannot be trusted.
#include <gtest/gtest.h>

#include "allocators/null/null_allocator.hpp"
#include "harness/measure.hpp"

namespace alloclab {
namespace {

MeasureRequest churn(unsigned threads, std::uint64_t iters) {
  MeasureRequest req;
  req.allocator = "null";
  req.workload = "churn";
  req.params = {{"threads", threads}, {"iters", iters}, {"min_size", 8}, {"max_size", 256}, {"keep", 75}};
  req.rss_interval_ms = 0;
  return req;
}

TEST(NullFloor, PrefaultFollowsTheHint) {
  EXPECT_EQ(NullAllocator::prefault_bytes(Config{256, 1, 0}), std::size_t{64} << 20);  // unknown: as before
  EXPECT_EQ(NullAllocator::prefault_bytes(Config{256, 1, 2560}), std::size_t{1} << 20 | 8192);
  EXPECT_EQ(NullAllocator::prefault_bytes(Config{256, 1, std::size_t{1} << 30}), std::size_t{64} << 20);
}

// tb 64 10 8 256 75: each thread holds at most 10 blocks of 256 bytes, so each instance
// faults in 2 x 2560 + 1 MiB rounded to pages; 64 of them, their stacks and the trace stay far
// under 64 x 4 MiB = 256 MiB (it was 64 x 64 MiB = 4 GiB).
TEST(NullFloor, SixtyFourThreadsOfASmallTraceStaySmall) {
  const std::uint64_t before = current_rss_bytes();
  const Measurement m = measure(churn(64, 10));
  ASSERT_EQ(m.status, Status::kOk) << m.error;
  EXPECT_LT(m.rss_peak, before + (std::uint64_t{256} << 20)) << "before " << before;
}

// What null faults in before the clock is its heap: above the baseline, so its overhead is
// at least the prefault's share (it read 0.01x when the baseline held the prefault).
TEST(NullFloor, ThePrefaultCountsAsTheHeaps) {
  const Measurement m = measure(churn(1, 20000));
  ASSERT_EQ(m.status, Status::kOk) << m.error;
  const std::size_t prefault = NullAllocator::prefault_bytes(Config{256, 1, m.peak_live_bytes});
  ASSERT_TRUE(m.has_overhead());
  EXPECT_GE(m.rss_peak - m.rss_baseline, prefault / 10 * 9);
  EXPECT_GE(m.overhead(),
            0.9 * static_cast<double>(prefault) / static_cast<double>(m.peak_live_bytes));
}

TEST(Marks, AShortReplayIsTooShortAndSaysWhichIters) {
  const Measurement m = measure(churn(1, 10));
  ASSERT_EQ(m.status, Status::kOk) << m.error;
  ASSERT_LT(m.wall_ns, model::kMinTrustedWallNs);
  EXPECT_TRUE(m.too_short);
  EXPECT_GT(m.suggested_iters, 10u);
}

TEST(Marks, FromTheFigures) {
  model::Measurement m;
  m.wall_ns = 1'000'000;  // 1 ms
  m.cpu.user_s = 0.001;   // one core's worth
  model::mark_untrusted(m, 4, 2, 1000);
  EXPECT_TRUE(m.too_short);
  EXPECT_EQ(m.suggested_iters, 10000u);
  EXPECT_TRUE(m.oversubscribed);
  EXPECT_FALSE(m.not_parallel);  // 1 of min(4, 2) = 2 cores: half, the threshold
  m.cpu.user_s = 0.0009;
  model::mark_untrusted(m, 4, 2, 1000);
  EXPECT_TRUE(m.not_parallel);
  m.wall_ns = 20'000'000;
  m.cpu.user_s = 0.08;
  model::mark_untrusted(m, 4, 8, 0);
  EXPECT_FALSE(m.too_short);
  EXPECT_EQ(m.suggested_iters, 0u);
  EXPECT_FALSE(m.oversubscribed);
  EXPECT_FALSE(m.not_parallel);
  model::mark_untrusted(m, 1, 1, 0);  // one thread is never "not parallel"
  EXPECT_FALSE(m.not_parallel);
}

// The floor's own rules: one list per size, over-aligned blocks share their size's list but
// are only reused when aligned enough, reset starts over, realloc stays in place within a block.
TEST(NullFloor, ReusesExactlyAndHonoursAlignment) {
  NullAllocator a(Config{});
  ASSERT_NE(a.allocate(16, 16), nullptr);  // so the next block is not 256-aligned
  void* p = a.allocate(100, 16);
  ASSERT_NE(p, nullptr);
  a.deallocate(p, 100, 16);
  void* other = a.allocate(97, 16);
  EXPECT_NE(other, p);  // 97 has a list of its own
  EXPECT_EQ(a.allocate(100, 16), p);
  a.deallocate(p, 100, 16);
  void* q = a.allocate(100, 256);
  ASSERT_NE(q, nullptr);
  EXPECT_NE(q, p);  // the list's head was not aligned enough
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(q) % 256, 0u);
  a.deallocate(q, 100, 256);
  EXPECT_EQ(a.allocate(100, 16), q);  // the list's head is the aligned block
  void* z = a.allocate(0, 16);
  void* z2 = a.allocate(0, 16);
  EXPECT_NE(z, z2);  // n == 0 still gives unique blocks
  void* big = a.allocate(std::size_t{5} << 20, 16);
  ASSERT_NE(big, nullptr);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(big) % 4096, 0u);
  a.deallocate(big, std::size_t{5} << 20, 16);
  EXPECT_EQ(a.allocate(std::size_t{6} << 20, 16), big);  // both round to 8 MiB
  EXPECT_EQ(a.allocate(NullAllocator::kMaxSize + 1, 16), nullptr);
  EXPECT_EQ(a.allocate(64, 8192), nullptr);
}

TEST(NullFloor, ReallocInPlaceWithinTheBlockAndResetStartsOver) {
  NullAllocator a(Config{});
  auto* p = static_cast<unsigned char*>(a.allocate(20, 16));
  for (int i = 0; i < 20; ++i) p[i] = static_cast<unsigned char>(i);
  EXPECT_EQ(a.reallocate(p, 20, 32, 16), p);
  auto* q = static_cast<unsigned char*>(a.reallocate(p, 32, 200, 16));
  ASSERT_NE(q, p);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(q[i], i);
  EXPECT_EQ(a.allocate(32, 16), p);  // the old block went back to the list of its last size
  a.reset();
  void* first = a.allocate(48, 16);
  void* second = a.allocate(48, 16);
  a.deallocate(second, 48, 16);
  a.reset();
  EXPECT_EQ(a.allocate(48, 16), first);  // the list was emptied: the bump pointer's first block
  EXPECT_EQ(a.allocate(48, 16), second);
}

// The replay's fast path is the same lists as allocate/deallocate.
TEST(NullFloor, FastPathSharesTheLists) {
  NullAllocator a(Config{});
  void* p = a.allocate_fast(64);
  ASSERT_NE(p, nullptr);
  a.deallocate_fast(p, 64);
  EXPECT_EQ(a.allocate(64, 16), p);
  a.deallocate(p, 64, 16);
  EXPECT_EQ(a.allocate_fast(64), p);
  void* z = a.allocate_fast(0);
  EXPECT_NE(z, a.allocate_fast(0));  // n == 0 still gives unique blocks
  void* top = a.allocate_fast(NullAllocator::kFastMax);
  void* after = a.allocate_fast(16);
  EXPECT_GE(static_cast<char*>(after) - static_cast<char*>(top), static_cast<std::ptrdiff_t>(NullAllocator::kFastMax));
}

}  // namespace
}  // namespace alloclab
