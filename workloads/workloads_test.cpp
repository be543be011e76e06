// The strategies' home workloads: fixed (one size) and frame (allocate a frame, release all).
#include <gtest/gtest.h>

#include "workloads/workload.hpp"

namespace alloclab {
namespace {

Trace make(std::string_view name, Params p, std::uint32_t caps) {
  const WorkloadInfo* w = find_workload(name);
  EXPECT_NE(w, nullptr);
  EXPECT_EQ(complete_params(*w, p), "");
  return w->generate(GenerateRequest{p, 0, caps});
}

TEST(FixedWorkloadTest, EveryAllocationHasTheOneSize) {
  const Trace t = make("fixed", {{"iters", 10000}, {"size", 48}, {"keep", 60}}, kFree);
  std::size_t allocs = 0, frees = 0;
  for (const Op& op : t.threads[0]) {
    if (op.kind() == OpKind::kAlloc) {
      ++allocs;
      EXPECT_EQ(op.arg, 48u);
    } else {
      ++frees;
    }
  }
  EXPECT_EQ(allocs, 10000u);
  EXPECT_EQ(frees, 10000u);
  EXPECT_EQ(t.max_request, 48u);
}

TEST(FrameWorkloadTest, ResetsWhereTheAllocatorCan) {
  const Trace t = make("frame", {{"frames", 3}, {"allocs", 10}}, kReset | kFreeLast);
  ASSERT_EQ(t.threads[0].size(), 3u * 11u);
  for (std::size_t f = 0; f < 3; ++f) {
    for (std::size_t i = 0; i < 10; ++i) EXPECT_EQ(t.threads[0][f * 11 + i].kind(), OpKind::kAlloc);
    EXPECT_EQ(t.threads[0][f * 11 + 10].kind(), OpKind::kReset);
  }
  EXPECT_EQ(t.needs_caps, std::uint32_t{kReset});
  EXPECT_EQ(t.allocations, 30u);
}

TEST(FrameWorkloadTest, FreesNewestFirstWithoutReset) {
  const Trace t = make("frame", {{"frames", 2}, {"allocs", 4}, {"min_size", 16}, {"max_size", 16}}, kFree);
  const std::vector<Op>& ops = t.threads[0];
  ASSERT_EQ(ops.size(), 2u * 8u);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(ops[i].kind(), OpKind::kAlloc);
    EXPECT_EQ(ops[4 + i].kind(), OpKind::kFree);
    EXPECT_EQ(ops[4 + i].slot(), ops[3 - i].slot());  // newest first
  }
  EXPECT_EQ(t.needs_caps, std::uint32_t{kFree});
  EXPECT_EQ(t.peak_live_bytes, 64u);
}

TEST(FrameWorkloadTest, UnsupportedWithoutFreeOrReset) {
  const Trace t = make("frame", {{"frames", 1}, {"allocs", 1}}, 0);
  Traits bump{"bump", "", 0, 1 << 20, 16};
  EXPECT_NE(check_fits(t, 16, bump).find("frees blocks one by one"), std::string::npos);
}

}  // namespace
}  // namespace alloclab
